import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeOutput, toBinary } from './binary';
import { TASK_OPERATIONS } from './descriptions';
import type { TaskOperation } from './descriptions';
import { ProviderSession, TaskSession, runTasks } from './engine';
import { ProviderError, toNodeError } from './errors';
import { REQUEST_TIMEOUT_MS, checkResponse } from './http';
import { emitOutcomes, forEachItem } from './items';
import type { ItemOutcome } from './items';
import { RetryMemory } from './retries';
import { readIdParameter } from './validation';
import { mapWithLimit, settle, throwIfCancelled } from './timing';
import type {
	CreateRequest,
	MediaOutput,
	PollTiming,
	ProviderCall,
	ProviderClient,
	TaskJob,
	TaskProtocol,
	TaskResult,
	TaskStatus,
} from './types';

const DOWNLOAD_CONCURRENCY = 4;
/** Inline files and other long strings are shortened in `raw`, so an item stays small. */
const RAW_STRING_LIMIT = 2_000;

export interface ItemSettings {
	timing: PollTiming;
	download: boolean;
	binaryPropertyName: string;
	failOnTimeout: boolean;
	/** How long one request to the provider may take. */
	requestTimeoutMs: number;
}

export function readSettings(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
	itemIndex: number,
): ItemSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const seconds = (name: string, fallbackMs: number) => {
		const value = options[name];
		if (value === undefined || value === '') return fallbackMs;
		const number = Number(value);
		if (!Number.isFinite(number) || number < 1) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"${name}" must be a number of seconds, at least 1`,
				{
					itemIndex,
				},
			);
		}
		return number * 1000;
	};
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (!binaryPropertyName) {
		throw new NodeOperationError(ctx.getNode(), '"Put Output File in Field" must not be empty', {
			itemIndex,
		});
	}
	const intervalMs = seconds('pollInterval', tasks.timing.intervalMs);
	return {
		timing: {
			// The first read never comes later than the interval the user asked for.
			firstCheckMs: Math.min(tasks.timing.firstCheckMs, intervalMs),
			intervalMs,
			maxWaitMs: seconds('maxWait', tasks.timing.maxWaitMs),
		},
		download: options.download !== false,
		binaryPropertyName,
		failOnTimeout: options.failOnTimeout === true,
		requestTimeoutMs: seconds('requestTimeout', REQUEST_TIMEOUT_MS),
	};
}

/** Settings of an operation without options, and of items whose options could not be read. */
function fixedSettings(tasks: TaskProtocol): ItemSettings {
	return {
		timing: tasks.timing,
		download: false,
		binaryPropertyName: 'data',
		failOnTimeout: false,
		requestTimeoutMs: REQUEST_TIMEOUT_MS,
	};
}

function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdParameter(ctx, itemIndex, 'taskId', {
		missing: 'No task ID: set "Task ID" or feed items that have a "taskId" field',
	});
}

/** Keeps `raw` readable and small: base64 files and other long strings are cut. */
export function compactRaw(value: unknown): IDataObject {
	const walk = (node: unknown): unknown => {
		if (typeof node === 'string') {
			return node.length > RAW_STRING_LIMIT
				? `${node.slice(0, 64)}… (${node.length} characters)`
				: node;
		}
		if (Array.isArray(node)) return node.map(walk);
		if (node && typeof node === 'object') {
			return Object.fromEntries(
				Object.entries(node as IDataObject).map(([key, inner]) => [key, walk(inner)]),
			) as IDataObject;
		}
		return node;
	};
	const compact = walk(value);
	return compact && typeof compact === 'object' && !Array.isArray(compact)
		? (compact as IDataObject)
		: { value: compact as string };
}

function baseJson(client: ProviderClient, result: TaskResult, status: TaskStatus): IDataObject {
	const json: IDataObject = {
		provider: client.provider,
		taskId: result.taskId ?? null,
		status,
		outputs: [],
	};
	if (result.state?.progress !== undefined) json.progress = result.state.progress;
	return json;
}

/**
 * The name of a result file without its extension: the provider and the task, or — for a result
 * that came without a task id — the name in its link.
 */
export function fileBaseName(
	provider: string,
	taskId: string | undefined,
	output: MediaOutput,
	index: number,
	count: number,
): string {
	const suffix = count > 1 ? `-${index + 1}` : '';
	if (taskId) return `${provider}-${taskId}${suffix}`;
	const fromUrl = /^https?:\/\/|^\//i.test(output.url)
		? /([\w.-]+?)(?:\.[a-z0-9]{2,5})?(?:[?#].*)?$/i.exec(output.url)?.[1]
		: undefined;
	return `${provider}-${fromUrl ?? 'result'}${suffix}`;
}

/** A file download is tried this often when the connection breaks or the file host answers 5xx/429. */
const DOWNLOAD_ATTEMPTS = 4;

/** One output item for one file: its description in `outputs`, the file itself as binary data. */
export async function toFileItem(
	ctx: IExecuteFunctions,
	session: TaskSession,
	output: MediaOutput,
	baseName: string,
	settings: Pick<ItemSettings, 'download' | 'binaryPropertyName'> & { maxBytes?: number },
	json: IDataObject,
	pairedItem: { item: number },
): Promise<INodeExecutionData> {
	const described = describeOutput(output, baseName);
	const inline = !/^https?:\/\//i.test(output.url);
	const file: IDataObject = {
		// Inline files are in the binary data already; repeating megabytes of base64 helps nobody.
		url: inline && settings.download ? null : output.url,
		mimeType: described.mimeType ?? null,
		fileName: described.fileName,
	};
	if (output.fileId !== undefined) file.fileId = output.fileId;
	const item: INodeExecutionData = { json: { ...json, outputs: [file] }, pairedItem };
	if (settings.download) {
		const binary = await session.retrying(
			DOWNLOAD_ATTEMPTS,
			async () => await toBinary(ctx, output, baseName, session.signal, settings.maxBytes),
		);
		file.mimeType = binary.mimeType;
		file.fileName = binary.fileName ?? file.fileName;
		item.binary = { [settings.binaryPropertyName]: binary };
	}
	return item;
}

/**
 * Turns engine results into output items, in input order: one item per generated file,
 * one item per task without files. Failed items become error items with "Continue On Fail",
 * otherwise the first failure (by item order) stops the node once every task has been handled.
 */
async function toOutputItems(
	ctx: IExecuteFunctions,
	session: TaskSession,
	results: TaskResult[],
	settings: Map<number, ItemSettings>,
): Promise<INodeExecutionData[]> {
	const { client } = session;
	const outcomes = await mapWithLimit(
		results,
		DOWNLOAD_CONCURRENCY,
		async (result): Promise<ItemOutcome> => {
			const { itemIndex } = result;
			const pairedItem = { item: itemIndex };
			const itemSettings = settings.get(itemIndex)!;
			const raw = compactRaw(result.state?.raw ?? {});
			let error = result.error;
			if (!error && result.status === 'failed') {
				error = new ProviderError(result.state?.error ?? 'The task failed', 'task', {
					taskId: result.taskId,
				});
			}
			if (!error && result.status === 'timeout' && itemSettings.failOnTimeout) {
				error = new ProviderError(
					`The task was not ready after ${Math.round(itemSettings.timing.maxWaitMs / 1000)} seconds`,
					'timeout',
					{
						taskId: result.taskId,
						hint: 'Raise "Max Wait", or use "Wait for Task" later with this task ID.',
					},
				);
			}
			if (error) return { itemIndex, error, json: { ...baseJson(client, result, 'failed'), raw } };

			const outputs = result.status === 'succeeded' ? (result.state?.outputs ?? []) : [];
			if (!outputs.length) {
				return {
					itemIndex,
					items: [{ json: { ...baseJson(client, result, result.status), raw }, pairedItem }],
				};
			}
			const items: INodeExecutionData[] = [];
			for (const [index, announced] of outputs.entries()) {
				throwIfCancelled(session.signal);
				const baseName = fileBaseName(
					client.provider,
					result.taskId,
					announced,
					index,
					outputs.length,
				);
				const json = { ...baseJson(client, result, 'succeeded'), raw };
				const file = await settle(async () =>
					toFileItem(
						ctx,
						session,
						await session.resolveOutput(announced),
						baseName,
						itemSettings,
						json,
						pairedItem,
					),
				);
				if (!file.ok) {
					const fileError = file.error as Error;
					if (fileError instanceof ProviderError) fileError.details.taskId ??= result.taskId;
					// The task itself succeeded: keep what is known of its file, so it can be fetched again.
					const known: IDataObject = { url: announced.url || null };
					if (announced.fileId !== undefined) known.fileId = announced.fileId;
					return {
						itemIndex,
						error: fileError,
						json: { ...json, status: 'failed', outputs: [known] },
					};
				}
				items.push(file.value);
			}
			return { itemIndex, items };
		},
	);

	return emitOutcomes(ctx, client, outcomes, (nodeError, itemIndex) => {
		const others = results
			.filter((r) => r.taskId && r.itemIndex !== itemIndex)
			.map((r) => r.taskId);
		if (others.length) {
			// Nothing is lost: the other tasks of this run may have finished and can be fetched by ID.
			nodeError.description = [
				nodeError.description,
				`Tasks of the other items: ${others.join(', ')}.`,
			]
				.filter(Boolean)
				.join(' ');
		}
	});
}

/**
 * Runs one of the four task operations for all input items. Every item's parameters are
 * read and checked before the first request is sent, so bad input never costs money.
 */
export async function executeTaskOperation(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
	operation: TaskOperation,
	createRequest?: CreateRequest,
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const session = new TaskSession(ctx, tasks);
	const { client } = tasks;
	const settings = new Map<number, ItemSettings>();
	const jobs: TaskJob[] = [];
	const rejected: TaskResult[] = [];
	const memory = RetryMemory.of(ctx);
	const calls = new Map<number, ProviderCall>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const itemSettings =
				operation === 'createTask' ? fixedSettings(tasks) : readSettings(ctx, tasks, itemIndex);
			settings.set(itemIndex, itemSettings);
			if (operation === 'generate' || operation === 'createTask') {
				if (!createRequest)
					throw new NodeOperationError(
						ctx.getNode(),
						`The operation "${operation}" creates nothing here`,
					);
				const call = await createRequest(ctx, itemIndex);
				calls.set(itemIndex, call);
				// On n8n's Retry On Fail, a task an earlier try created for this item is followed, not paid again.
				const known = memory?.taskFor(itemIndex, call);
				jobs.push(
					known
						? { itemIndex, taskId: known, timing: itemSettings.timing }
						: { itemIndex, call, timing: itemSettings.timing },
				);
			} else {
				jobs.push({ itemIndex, taskId: readTaskId(ctx, itemIndex), timing: itemSettings.timing });
			}
		} catch (error) {
			if (!ctx.continueOnFail())
				throw toNodeError(ctx.getNode(), error, client.displayName, itemIndex);
			settings.set(itemIndex, fixedSettings(tasks));
			rejected.push({ itemIndex, status: 'failed', error: error as Error });
		}
	}
	// Requests are shared by all items of the run: the first item's "Request Timeout" applies.
	if (jobs.length) session.requestTimeoutMs = settings.get(jobs[0].itemIndex)!.requestTimeoutMs;

	let results: TaskResult[];
	if (operation === 'getTask') {
		results = await mapWithLimit(jobs, session.limits.pollConcurrency, async (job) => {
			const taskId = (job as { taskId: string }).taskId;
			try {
				const state = await session.readTask(taskId);
				return { itemIndex: job.itemIndex, taskId, status: state.status, state } as TaskResult;
			} catch (error) {
				throwIfCancelled(session.signal);
				return {
					itemIndex: job.itemIndex,
					taskId,
					status: 'failed',
					error: error as Error,
				} as TaskResult;
			}
		});
	} else {
		results = await runTasks(session, jobs, { wait: operation !== 'createTask' });
	}
	results.push(...rejected);
	results.sort((a, b) => a.itemIndex - b.itemIndex);
	if (memory) {
		for (const result of results) {
			const call = calls.get(result.itemIndex);
			if (call) memory.remember(result.itemIndex, call, result);
		}
		const failed = results.some(
			(result) =>
				result.error ||
				result.status === 'failed' ||
				(result.status === 'timeout' && settings.get(result.itemIndex)?.failOnTimeout),
		);
		if (!failed) memory.forget();
	}
	const output = await toOutputItems(ctx, session, results, settings);
	session.logSummary();
	return output;
}

/**
 * A plain call per input item (account balance, model lists …), with the same error handling as
 * the task operations: provider message and hint, Continue On Fail, pairing. `toJson` turns the
 * answer into the item's JSON (or several items' JSON); `raw` keeps the answer, shortened.
 */
export async function executeSimpleCall(
	ctx: IExecuteFunctions,
	client: ProviderClient,
	call: ProviderCall | ((itemIndex: number) => ProviderCall | Promise<ProviderCall>),
	toJson: (body: IDataObject, itemIndex: number) => IDataObject | IDataObject[],
	{ withRaw = true }: { withRaw?: boolean } = {},
): Promise<INodeExecutionData[]> {
	const session = new ProviderSession(ctx, client);
	return await forEachItem(ctx, client, async (itemIndex) => {
		const request = typeof call === 'function' ? await call(itemIndex) : call;
		const body = checkResponse(client, await session.send(request), 'call').body;
		const json = (
			body && typeof body === 'object' && !Array.isArray(body) ? body : { value: body ?? null }
		) as IDataObject;
		const results = toJson(json, itemIndex);
		if (Array.isArray(results))
			return results.map((result) => ({ provider: client.provider, ...result }));
		return withRaw
			? { provider: client.provider, ...results, raw: compactRaw(json) }
			: { provider: client.provider, ...results };
	});
}

/**
 * "Download": the file behind a provider's file id (from an earlier item) as binary data,
 * one item per input item.
 */
export async function executeDownloadOperation(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
): Promise<INodeExecutionData[]> {
	const session = new TaskSession(ctx, tasks);
	const { provider } = tasks.client;
	return await forEachItem(
		ctx,
		tasks.client,
		async (itemIndex) => {
			const fileId = readIdParameter(ctx, itemIndex, 'fileId', {
				missing: 'No file ID: set "File ID" or feed items that have a "fileId" field',
			});
			const settings = readSettings(ctx, tasks, itemIndex);
			const json: IDataObject = { provider, fileId, status: 'succeeded' };
			const output = await session.resolveOutput({ url: '', fileId });
			return [
				await toFileItem(
					ctx,
					session,
					output,
					`${provider}-${fileId}`,
					{ ...settings, download: true },
					json,
					{ item: itemIndex },
				),
			];
		},
		{ status: 'failed' },
	);
}

/**
 * The execute() of a provider node: the four task operations go to the engine, the node's own
 * operations (keyed "resource.operation") to their handlers.
 */
export async function routeProviderNode(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
	createRequest: CreateRequest,
	own: Record<string, () => Promise<INodeExecutionData[]>> = {},
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const handler = own[`${resource}.${operation}`];
	if (handler) return [await handler()];
	if (!TASK_OPERATIONS.includes(operation as TaskOperation)) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported`);
	}
	return [await executeTaskOperation(ctx, tasks, operation as TaskOperation, createRequest)];
}
