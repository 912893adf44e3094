import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { runTasks } from '../../../shared/engine';
import { ProviderError } from '../../../shared/errors';
import { hostOf } from '../../../shared/host';
import { emitOutcomes, failedItem, failureRule, mergeInOrder } from '../../../shared/items';
import type { ItemOutcome } from '../../../shared/items';
import { compactRaw, toFileItem } from '../../../shared/outputs';
import { TaskSession } from '../../../shared/session';
import { readSettings } from '../../../shared/settings';
import type { ItemSettings } from '../../../shared/settings';
import { errorText } from '../../../shared/states';
import { mapWithLimit, settle } from '../../../shared/timing';
import type { ProviderCall, TaskJob, TaskResult } from '../../../shared/types';
import type { BatchJob } from '../../adapter';
import { batchTasks, nalitekClient, readImageId } from '../../adapter';

/** One batch: the input items it was made from, and how to create it (or its id, to follow it). */
export interface BatchPlan {
	itemIndexes: number[];
	/** The client id of each job, in the order of `itemIndexes` (batches of prompts set them). */
	jobIds?: string[];
	call?: ProviderCall;
	batchId?: string;
}

export const jobIdFor = (itemIndex: number) => `item-${itemIndex}`;

/** The error items of input refused before anything was sent (with Continue On Fail on), by item. */
export type RejectedItems = Map<number, INodeExecutionData>;

/**
 * Runs a check for one item (or for every item of a batch): its value, or — with Continue On
 * Fail — undefined and the items noted as refused. Without Continue On Fail the error stops the node.
 */
export function rejectOrKeep<T>(
	ctx: IExecuteFunctions,
	itemIndexes: number | number[],
	rejected: RejectedItems,
	check: () => T,
): T | undefined {
	try {
		return check();
	} catch (error) {
		return reject(ctx, itemIndexes, rejected, error);
	}
}

export async function rejectOrKeepAsync<T>(
	ctx: IExecuteFunctions,
	itemIndexes: number | number[],
	rejected: RejectedItems,
	check: () => Promise<T>,
): Promise<T | undefined> {
	try {
		return await check();
	} catch (error) {
		return reject(ctx, itemIndexes, rejected, error);
	}
}

function reject(
	ctx: IExecuteFunctions,
	itemIndexes: number | number[],
	rejected: RejectedItems,
	error: unknown,
): undefined {
	const indexes = Array.isArray(itemIndexes) ? itemIndexes : [itemIndexes];
	const rule = failureRule(ctx, nalitekClient);
	const json = { provider: nalitekClient.provider, status: 'failed' };
	for (const itemIndex of indexes)
		rejected.set(itemIndex, failedItem(rule, error, itemIndex, json));
	return undefined;
}

/** Pairs a job with the input item that asked for it: by client id, else by position. */
function itemForJob(plan: BatchPlan, job: BatchJob, position: number): number {
	if (job.id !== undefined && plan.jobIds) {
		const index = plan.jobIds.indexOf(String(job.id));
		if (index >= 0) return plan.itemIndexes[index];
	}
	return plan.itemIndexes[Math.min(position, plan.itemIndexes.length - 1)];
}

/**
 * Creates the batches (2 per minute, as Nalitek allows), follows them until every job is final,
 * and gives one output item per job with its file, paired to the input item it came from.
 */
export async function runBatches(
	ctx: IExecuteFunctions,
	plans: BatchPlan[],
	rejected: RejectedItems = new Map(),
): Promise<INodeExecutionData[]> {
	const session = new TaskSession(hostOf(ctx), batchTasks);
	const settings = new Map<number, ItemSettings>();
	for (const plan of plans)
		for (const itemIndex of plan.itemIndexes)
			settings.set(itemIndex, readSettings(ctx, batchTasks, itemIndex));
	if (plans.length)
		session.requestTimeoutMs = settings.get(plans[0].itemIndexes[0])!.requestTimeoutMs;
	const jobs: TaskJob[] = plans.map((plan) => {
		const itemIndex = plan.itemIndexes[0];
		const timing = settings.get(itemIndex)!.timing;
		return plan.batchId !== undefined
			? { itemIndex, taskId: plan.batchId, timing }
			: { itemIndex, call: plan.call!, timing };
	});
	const results = await runTasks(session, jobs, { wait: true });

	const outcomes: ItemOutcome[] = [];
	for (const [index, result] of results.entries()) {
		outcomes.push(...(await batchOutcomes(session, plans[index], result, settings)));
	}
	// Stable: the jobs of one item keep their order.
	outcomes.sort((a, b) => a.itemIndex - b.itemIndex);
	session.logSummary();
	return mergeInOrder(emitOutcomes(failureRule(ctx, nalitekClient), outcomes), rejected.values());
}

async function batchOutcomes(
	session: TaskSession,
	plan: BatchPlan,
	result: TaskResult,
	settings: Map<number, ItemSettings>,
): Promise<ItemOutcome[]> {
	const batchId = result.taskId ?? null;
	const base = { provider: 'nalitek', batchId };
	if (result.error || result.status === 'failed') {
		const error =
			result.error ??
			new ProviderError(result.state?.error ?? 'The batch failed', 'task', {
				taskId: batchId ?? undefined,
			});
		return plan.itemIndexes.map((itemIndex, n) => ({
			itemIndex,
			error,
			json: { ...base, jobId: plan.jobIds?.[n] ?? null, status: 'failed' } as IDataObject,
		}));
	}
	if (result.status === 'timeout') {
		// Nothing is lost: "Wait for Batch" picks these items up by batch and job id.
		return plan.itemIndexes.map((itemIndex, n) => {
			const itemSettings = settings.get(itemIndex)!;
			const json: IDataObject = {
				...base,
				jobId: plan.jobIds?.[n] ?? null,
				status: 'timeout',
				outputs: [],
			};
			if (itemSettings.failOnTimeout) {
				const error = new ProviderError(
					`The batch was not done after ${Math.round(itemSettings.timing.maxWaitMs / 1000)} seconds`,
					'timeout',
					{
						taskId: batchId ?? undefined,
						hint: 'Raise "Max Wait", or use "Wait for Batch" later with this batch ID.',
					},
				);
				return { itemIndex, error, json };
			}
			return { itemIndex, items: [{ json, pairedItem: { item: itemIndex } }] };
		});
	}
	const raw = (result.state?.raw ?? {}) as IDataObject;
	const jobs = (Array.isArray(raw.jobs) ? raw.jobs : []) as BatchJob[];
	const fromJobs = await mapWithLimit(jobs, 4, async (job, position) => {
		const itemIndex = itemForJob(plan, job, position);
		const imageId = readImageId(job as IDataObject) ?? null;
		const status = String(job.status ?? '').toLowerCase();
		const json: IDataObject = {
			...base,
			jobId: job.id ?? null,
			taskId: imageId,
			status: 'succeeded',
			outputs: [],
			raw: job as unknown as JsonObject,
		};
		if (status !== 'completed' || !job.url) {
			const message =
				job.error_message ??
				job.message ??
				(status === 'cancelled'
					? 'The job was cancelled'
					: `The job ended with status "${status}"`);
			return {
				itemIndex,
				error: new ProviderError(message, 'task', { taskId: imageId ?? undefined }),
				json: { ...json, status: 'failed' },
			};
		}
		const itemSettings = settings.get(itemIndex)!;
		const file = await settle(async () =>
			toFileItem(
				session,
				await session.resolveOutput({ url: job.url as string }),
				`nalitek-${imageId ?? batchId}`,
				itemSettings,
				json,
				{ item: itemIndex },
			),
		);
		return file.ok
			? { itemIndex, items: [file.value] }
			: { itemIndex, error: file.error, json: { ...json, status: 'failed' } };
	});
	// A batch that ended without naming a job for an item (a failed batch may list no jobs at all)
	// still gives that item its outcome.
	const answered = new Set(fromJobs.map(({ itemIndex }) => itemIndex));
	const status = String(raw.status ?? '').toLowerCase();
	const message =
		errorText(raw.error_message, raw.error, raw.message, raw.details) ??
		(status === 'cancelled' || status === 'canceled'
			? 'The batch was cancelled'
			: status === 'failed'
				? 'The batch failed'
				: 'The batch ended without a job for this item');
	const unanswered = plan.itemIndexes.flatMap((itemIndex, n) =>
		answered.has(itemIndex)
			? []
			: [
					{
						itemIndex,
						error: new ProviderError(message, 'task', { taskId: batchId ?? undefined }),
						json: {
							...base,
							jobId: plan.jobIds?.[n] ?? null,
							status: 'failed',
							raw: compactRaw(raw),
						} as IDataObject,
					},
				],
	);
	return [...fromJobs, ...unanswered];
}
