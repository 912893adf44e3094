import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { toBinary } from './binary';
import { ProviderError } from './errors';
import { emitOutcomes } from './items';
import type { FailureRule, ItemOutcome } from './items';
import { describeOutput, isInline } from './media';
import type { TaskSession } from './session';
import type { ItemSettings } from './settings';
import { limiter, settle, throwIfCancelled } from './timing';
import type { Settled } from './timing';
import type { MediaOutput, ProviderClient, TaskResult, TaskStatus } from './types';

const DOWNLOAD_CONCURRENCY = 8;
/** Inline files and other long strings are shortened in `raw`, so an item stays small. */
const RAW_STRING_LIMIT = 2_000;

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
				await toBinary(session.host, output, baseName, {
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
 * What became of one task: its items with their files (fetched now), or the error that ended
 * it. Throws only when the execution was cancelled.
 */
async function outcomeOf(
	session: TaskSession,
	result: TaskResult,
	itemSettings: ItemSettings,
): Promise<ItemOutcome> {
	const { client } = session;
	const { itemIndex } = result;
	const pairedItem = { item: itemIndex };
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
		const baseName = fileBaseName(client.provider, result.taskId, announced, index, outputs.length);
		const json = { ...baseJson(client, result, 'succeeded'), raw };
		const file = await settle(async () =>
			toFileItem(
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
}

/**
 * The outcomes of a run's tasks. A task's files are fetched as soon as it has succeeded (`start`,
 * while the engine still follows the others), at most DOWNLOAD_CONCURRENCY at a time.
 */
export class Outcomes {
	private readonly started = new Map<TaskResult, Promise<Settled<ItemOutcome>>>();
	private readonly limit = limiter(DOWNLOAD_CONCURRENCY);

	constructor(
		private readonly session: TaskSession,
		private readonly settings: Map<number, ItemSettings>,
	) {}

	start(result: TaskResult): void {
		if (this.started.has(result)) return;
		const itemSettings = this.settings.get(result.itemIndex)!;
		this.started.set(
			result,
			settle(
				async () =>
					await this.limit(async () => await outcomeOf(this.session, result, itemSettings)),
			),
		);
	}

	async of(results: TaskResult[]): Promise<ItemOutcome[]> {
		for (const result of results) this.start(result);
		const settled = await Promise.all(
			results.map(async (result) => await this.started.get(result)!),
		);
		return settled.map((outcome) => {
			if (!outcome.ok) throw outcome.error;
			return outcome.value;
		});
	}
}

/**
 * Turns engine results into output items, in input order: one item per generated file, one item
 * per task without files. A failed item goes by `rule`: an error item, or — the first by item
 * order — a stop once every task has been handled, naming the tasks of the other items.
 */
export async function toOutputItems(
	session: TaskSession,
	results: TaskResult[],
	settings: Map<number, ItemSettings>,
	rule: FailureRule,
	outcomes = new Outcomes(session, settings),
): Promise<INodeExecutionData[]> {
	return emitOutcomes(rule, await outcomes.of(results), (nodeError, itemIndex) => {
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
