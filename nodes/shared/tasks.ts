import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runTasks } from './engine';
import { hostOf } from './host';
import { failedItem, failureRule, mergeInOrder } from './items';
import { Outcomes, toOutputItems } from './outputs';
import { reachesItself, sendCheck } from './background';
import { canPark, parkTasks, parkedCallbackUrl } from './parking';
import type { WaitMode } from './parking';
import { RetryMemory } from './retries';
import { TaskSession } from './session';
import { fixedSettings, readSettings } from './settings';
import type { ItemSettings } from './settings';
import { mapWithLimit, throwIfCancelled } from './timing';
import type { CreateRequest, ProviderCall, TaskJob, TaskProtocol, TaskResult } from './types';
import { readIdParameter } from './validation';

/**
 * What the engine does for a task operation of a node: create a task per item and wait for it
 * (Generate, Upscale, Image to Image …), create without waiting (Create Task), read a known task
 * once (Get Task) or wait for it (Wait for Task).
 */
export type TaskMode = 'createAndWait' | 'create' | 'read' | 'wait';

export interface TaskOperationOptions {
	/** The operation offers the Wait Modes that park (the node has the parked webhook). */
	parking?: boolean;
}

function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdParameter(ctx, itemIndex, 'taskId', {
		missing: 'No task ID: set "Task ID" or feed items that have a "taskId" field',
	});
}

/**
 * Runs a task operation for all input items. Every item's parameters are read and checked before
 * the first request is sent, so bad input never costs money.
 */
export async function executeTaskOperation(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
	mode: TaskMode,
	createRequest?: CreateRequest,
	{ parking = false }: TaskOperationOptions = {},
): Promise<INodeExecutionData[]> {
	const creates = mode === 'createAndWait' || mode === 'create';
	if (creates && !createRequest)
		throw new NodeOperationError(ctx.getNode(), 'This operation creates nothing here');
	// "Provider Callback" and "Poll in the Background" park the execution once the tasks are
	// created: the tasks call it back, or n8n's webhook side checks them.
	let waitMode =
		parking && mode === 'createAndWait' && canPark(ctx)
			? (ctx.getNodeParameter('waitMode', 0, 'poll') as WaitMode)
			: 'poll';
	const resumeUrl = waitMode !== 'poll' ? parkedCallbackUrl(ctx) : undefined;
	const callbackUrl = waitMode === 'callback' ? resumeUrl : undefined;
	const host = hostOf(ctx);
	const session = new TaskSession(host, tasks);
	const rule = failureRule(ctx, tasks.client);
	const settings = new Map<number, ItemSettings>();
	const jobs: TaskJob[] = [];
	const refused = new Map<number, INodeExecutionData>();
	const memory = RetryMemory.of(ctx);
	const calls = new Map<number, ProviderCall>();

	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const itemSettings =
				mode === 'create' ? fixedSettings(tasks) : readSettings(ctx, tasks, itemIndex);
			settings.set(itemIndex, itemSettings);
			const { timing } = itemSettings;
			if (creates) {
				const call = await createRequest!(ctx, itemIndex, { callbackUrl });
				calls.set(itemIndex, call);
				// On n8n's Retry On Fail, a task an earlier try created for this item is followed, not paid again.
				const known = memory?.taskFor(itemIndex, call);
				jobs.push(known ? { itemIndex, taskId: known, timing } : { itemIndex, call, timing });
			} else {
				jobs.push({ itemIndex, taskId: readTaskId(ctx, itemIndex), timing });
			}
		} catch (error) {
			// Bad input stops the node here, before anything is sent; with Continue On Fail the
			// item goes on as an error item.
			const json = { provider: tasks.client.provider, taskId: null, status: 'failed', outputs: [] };
			refused.set(itemIndex, failedItem(rule, error, itemIndex, { ...json, raw: {} }));
			settings.delete(itemIndex);
		}
	}
	// Requests are shared by all items of the run: the first item's "Request Timeout" applies.
	if (jobs.length) session.requestTimeoutMs = settings.get(jobs[0].itemIndex)!.requestTimeoutMs;
	// Checks in the background need n8n to reach itself at the resume URL: where it cannot, the
	// tasks are polled here rather than left unchecked until Max Wait.
	if (waitMode === 'background' && jobs.length && !(await reachesItself(host, resumeUrl!))) {
		host.log(
			'warn',
			`${tasks.client.displayName}: n8n does not answer at this execution's resume URL (${new URL(resumeUrl!).origin}), so the tasks are polled in the execution instead of in the background; set WEBHOOK_URL to an address n8n itself reaches`,
		);
		waitMode = 'poll';
	}
	const park = waitMode !== 'poll';

	// Files of a finished task are fetched while the engine still follows the others.
	const outcomes = new Outcomes(session, settings);
	const results =
		mode === 'read'
			? await readEach(session, jobs)
			: await runTasks(session, jobs, {
					wait: mode !== 'create' && !park,
					onSucceeded: (result) => outcomes.start(result),
					// A run that polls lives in this process until its files are in: should the process
					// die, n8n's log still says which tasks were paid for (for "Wait for Task").
					onCreated: (created) => {
						if (mode === 'createAndWait' && !park) logCreated(ctx, session, created);
					},
				});
	if (park) {
		const parked = await parkTasks(
			ctx,
			session,
			results,
			refused,
			settings,
			rule,
			waitMode,
			(all) => remember(memory, calls, all),
		);
		if (parked) {
			// The first check hands the tasks over to n8n's webhook side; this process keeps nothing.
			if (waitMode === 'background') void sendCheck(host, resumeUrl!, { first: true });
			return parked;
		}
	}
	remember(memory, calls, results);
	const failed = results.some(
		(result) =>
			result.error ||
			result.status === 'failed' ||
			(result.status === 'timeout' && settings.get(result.itemIndex)?.failOnTimeout),
	);
	if (memory && !failed && !refused.size) memory.forget();
	const made = await toOutputItems(session, results, settings, rule, outcomes);
	session.logSummary();
	return mergeInOrder(made, refused.values());
}

/** Notes the tasks of this try, for a retry of the node (Retry On Fail) to follow instead of paying again. */
function remember(
	memory: RetryMemory | undefined,
	calls: Map<number, ProviderCall>,
	results: TaskResult[],
): void {
	if (!memory) return;
	for (const result of results) {
		const call = calls.get(result.itemIndex);
		if (call) memory.remember(result.itemIndex, call, result);
	}
}

/** Task IDs per log line: a run of a thousand items writes ten lines. */
const IDS_PER_LINE = 100;

/** One line per hundred created tasks in n8n's log (info): the execution and the task IDs, in item order. */
function logCreated(ctx: IExecuteFunctions, session: TaskSession, results: TaskResult[]): void {
	const ids = results.flatMap((result) =>
		result.taskId === undefined || result.createdAt === undefined ? [] : [result.taskId],
	);
	for (let from = 0; from < ids.length; from += IDS_PER_LINE) {
		const part = ids.slice(from, from + IDS_PER_LINE);
		session.host.log(
			'info',
			`${session.client.displayName}: execution ${ctx.getExecutionId()} created ${ids.length} tasks${ids.length > IDS_PER_LINE ? ` (${from + 1}–${from + part.length})` : ''}, task IDs: ${part.join(', ')}`,
		);
	}
}

/** Get Task: every task read once, a failed read as a failed item. */
async function readEach(session: TaskSession, jobs: TaskJob[]): Promise<TaskResult[]> {
	return await mapWithLimit(jobs, session.limits.pollConcurrency, async (job) => {
		const taskId = (job as { taskId: string }).taskId;
		try {
			const state = await session.readTask(taskId);
			return { itemIndex: job.itemIndex, taskId, status: state.status, state } as TaskResult;
		} catch (error) {
			throwIfCancelled(session.signal);
			return { itemIndex: job.itemIndex, taskId, status: 'failed', error } as TaskResult;
		}
	});
}
