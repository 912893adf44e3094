import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { describeOutput, isInline, toBinary } from './binary';
import type { CallbackContract } from './callbacks';
import { DEFAULT_MAX_FILE_MB, TASK_OPERATIONS } from './descriptions';
import type { TaskOperation } from './descriptions';
import { ProviderSession, TaskSession, runTasks } from './engine';
import { ProviderError, toNodeError } from './errors';
import { REQUEST_TIMEOUT_MS, checkResponse } from './http';
import { emitOutcomes, forEachItem } from './items';
import { canPark, parkExecution, parkedCallbackUrl, resumeParked } from './parking';
import { isFinal } from './states';
import type { ItemOutcome } from './items';
import { RetryMemory } from './retries';
import { continuesOnFail, isToolRun } from './tool';
import { exactNumber, readIdParameter } from './validation';
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
	TaskState,
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
	/** A larger result file is not stored ("Max File Size"). */
	maxBytes: number;
}

export function readSettings(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
	itemIndex: number,
): ItemSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = settingsFrom(options, tasks, (message) => {
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
	});
	// A model never receives binary data: as a tool, files are downloaded only when asked for.
	if (isToolRun(ctx) && options.download === undefined) settings.download = false;
	return settings;
}

/** The settings in an operation's Options; `refuse` throws for a value that cannot be used. */
export function settingsFrom(
	options: IDataObject,
	tasks: TaskProtocol,
	refuse: (message: string) => never,
): ItemSettings {
	const atLeastOne = (name: string, unit: string, fallback: number) => {
		const value = options[name];
		if (value === undefined || value === '' || value === null) return fallback;
		const number = exactNumber(value);
		if (number === undefined || !Number.isFinite(number) || number < 1)
			refuse(`"${name}" must be a number of ${unit}, at least 1 (got ${String(value)})`);
		return number;
	};
	const seconds = (name: string, fallbackMs: number) =>
		atLeastOne(name, 'seconds', fallbackMs / 1000) * 1000;
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (!binaryPropertyName) refuse('"Put Output File in Field" must not be empty');
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
		maxBytes: atLeastOne('maxFileSizeMb', 'megabytes', DEFAULT_MAX_FILE_MB) * 1024 * 1024,
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
		maxBytes: DEFAULT_MAX_FILE_MB * 1024 * 1024,
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
	settings: Pick<ItemSettings, 'download' | 'binaryPropertyName' | 'maxBytes'>,
	json: IDataObject,
	pairedItem: { item: number },
): Promise<INodeExecutionData> {
	const described = describeOutput(output, baseName);
	const inline = isInline(output.url);
	const file: IDataObject = {
		// A file that came inline is never put in `url`: megabytes of base64 help nobody there.
		url: inline ? null : output.url,
		mimeType: described.mimeType ?? null,
		fileName: described.fileName,
	};
	if (inline) file.inline = true;
	if (output.fileId !== undefined) file.fileId = output.fileId;
	const item: INodeExecutionData = { json: { ...json, outputs: [file] }, pairedItem };
	// An inline file costs no download and has no other copy: it is kept as binary data even
	// with "Download Files" off (a tool's caller reads only its type).
	if (settings.download || inline) {
		const policy = await session.fetchPolicy();
		const binary = await session.retrying(
			DOWNLOAD_ATTEMPTS,
			async () =>
				await toBinary(ctx, output, baseName, {
					signal: session.signal,
					maxBytes: settings.maxBytes,
					policy,
				}),
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
export async function toOutputItems(
	ctx: IExecuteFunctions,
	session: TaskSession,
	results: TaskResult[],
	settings: Map<number, ItemSettings>,
	continueOnFail = continuesOnFail(ctx),
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

	return emitOutcomes(
		ctx,
		client,
		outcomes,
		(nodeError, itemIndex) => {
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
		},
		continueOnFail,
	);
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
	{ parking = false }: { parking?: boolean } = {},
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	// "Provider Callback": the tasks call this execution back instead of being polled.
	const park =
		parking &&
		operation === 'generate' &&
		canPark(ctx) &&
		ctx.getNodeParameter('waitMode', 0, 'poll') === 'callback';
	const callbackUrl = park ? parkedCallbackUrl(ctx) : undefined;
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
				const call = await createRequest(ctx, itemIndex, { callbackUrl });
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
			if (!continuesOnFail(ctx))
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
		results = await runTasks(session, jobs, { wait: operation !== 'createTask' && !park });
	}
	if (park) {
		const parked = await parkTasks(ctx, session, results, rejected, settings, memory, calls);
		if (parked) return parked;
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
 * After the creates of a "Provider Callback" run: tasks created long enough ago to have finished
 * (a callback that came while the run was still creating got n8n's 409) are read once; then the
 * execution parks with the items a timeout passes on, or — when nothing is left to wait for —
 * returns undefined and the run ends as in Poll mode.
 */
async function parkTasks(
	ctx: IExecuteFunctions,
	session: TaskSession,
	results: TaskResult[],
	rejected: TaskResult[],
	settings: Map<number, ItemSettings>,
	memory: RetryMemory | undefined,
	calls: Map<number, ProviderCall>,
): Promise<INodeExecutionData[] | undefined> {
	const isWaiting = (result: TaskResult) =>
		!result.error && result.taskId !== undefined && !(result.state && isFinal(result.state));
	const readBefore = session.clock.now() - session.tasks.timing.firstCheckMs;
	await mapWithLimit(
		results.filter((result) => isWaiting(result) && (result.createdAt ?? 0) <= readBefore),
		session.limits.pollConcurrency,
		async (result) => {
			const read = await settle(async () => await session.readTask(result.taskId!));
			if (read.ok && isFinal(read.value)) {
				result.state = read.value;
				result.status = read.value.status;
			}
		},
	);
	if (!results.some(isWaiting)) return undefined;

	const all = [...results, ...rejected].sort((a, b) => a.itemIndex - b.itemIndex);
	if (memory)
		for (const result of all) {
			const call = calls.get(result.itemIndex);
			if (call) memory.remember(result.itemIndex, call, result);
		}
	// What a timeout passes on: waiting tasks as "timeout" with their ID, finished ones with their
	// links (downloaded when the execution resumes), failures as now — without Continue On Fail
	// they stop the node here, naming the other tasks.
	const parkedSettings = new Map<number, ItemSettings>();
	for (const [itemIndex, itemSettings] of settings)
		parkedSettings.set(itemIndex, { ...itemSettings, download: false, failOnTimeout: false });
	const known = new Map<string, TaskState>();
	const stored = await toOutputItems(
		ctx,
		session,
		all.map((result) => {
			if (result.taskId && result.state && isFinal(result.state))
				known.set(result.taskId, result.state);
			return isWaiting(result) ? { ...result, status: 'timeout', state: undefined } : result;
		}),
		parkedSettings,
	);
	const first = settings.get(all[0].itemIndex)!;
	const waitTill = new Date(session.clock.now() + first.timing.maxWaitMs);
	session.debug(
		`${all.filter(isWaiting).length} tasks wait for their callbacks until ${waitTill.toISOString()}`,
	);
	session.logSummary();
	await parkExecution(ctx, stored, waitTill, known);
	return stored;
}

/**
 * The items of a parked run when it resumes: what `stored` kept, with every waiting task now
 * final (`states`) and the files downloaded, as Poll mode gives them. Failures are items: a
 * resumed execution cannot be stopped by the node.
 */
export async function finishParked(
	ctx: IExecuteFunctions,
	session: TaskSession,
	stored: INodeExecutionData[],
	states: Map<string, TaskState>,
	itemSettings: ItemSettings,
): Promise<INodeExecutionData[]> {
	const results: TaskResult[] = [];
	const kept: INodeExecutionData[] = [];
	const settings = new Map<number, ItemSettings>();
	stored.forEach((item, position) => {
		const paired = item.pairedItem;
		const itemIndex =
			typeof paired === 'number'
				? paired
				: Array.isArray(paired)
					? (paired[0]?.item ?? position)
					: (paired?.item ?? position);
		settings.set(itemIndex, itemSettings);
		const json = item.json ?? {};
		const taskId =
			json.taskId === null || json.taskId === undefined ? undefined : String(json.taskId);
		const state = taskId ? states.get(taskId) : undefined;
		if (json.status === 'timeout' && state) {
			results.push({ itemIndex, taskId, status: state.status, state });
			return;
		}
		const outputs = Array.isArray(json.outputs) ? (json.outputs as IDataObject[]) : [];
		// A file that came inline was kept as binary data when the execution parked.
		if (json.status === 'succeeded' && itemSettings.download && outputs.length && !item.binary) {
			// A file known before the execution parked: fetched now, as Poll mode would have.
			results.push({
				itemIndex,
				taskId,
				status: 'succeeded',
				state: {
					status: 'succeeded',
					outputs: outputs.map((output) => ({
						url: String(output.url ?? ''),
						fileId: output.fileId === undefined ? undefined : String(output.fileId),
					})),
					raw: (json.raw ?? {}) as IDataObject,
				},
			});
			return;
		}
		kept.push({
			json,
			...(item.binary ? { binary: item.binary } : {}),
			pairedItem: { item: itemIndex },
		});
	});
	const made = await toOutputItems(ctx, session, results, settings, true);
	const indexOf = (item: INodeExecutionData) =>
		(item.pairedItem as { item: number } | undefined)?.item ?? 0;
	return [...kept, ...made].sort((a, b) => indexOf(a) - indexOf(b));
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
	{ parking = false }: { parking?: boolean } = {},
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const handler = own[`${resource}.${operation}`];
	if (handler) return [await handler()];
	if (!TASK_OPERATIONS.includes(operation as TaskOperation)) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported`);
	}
	return [
		await executeTaskOperation(ctx, tasks, operation as TaskOperation, createRequest, { parking }),
	];
}

/**
 * The webhook() of a provider node whose operations can wait for callbacks: resumes the parked
 * execution once every task is final, with the items Poll mode gives.
 */
export async function resumeParkedRun(
	ctx: IWebhookFunctions,
	tasks: TaskProtocol,
	callback: CallbackContract,
): Promise<IWebhookResponseData> {
	return await resumeParked(ctx, {
		tasks,
		callback,
		finish: async (webhookCtx, session, stored, states) => {
			const options = webhookCtx.getNodeParameter('options', {}) as IDataObject;
			const itemSettings = settingsFrom(options, tasks, (message) => {
				throw new NodeOperationError(webhookCtx.getNode(), message);
			});
			// The engine's helpers work with any context that offers HTTP and binary helpers.
			return await finishParked(
				webhookCtx as unknown as IExecuteFunctions,
				session,
				stored,
				states,
				itemSettings,
			);
		},
	});
}
