import { NodeOperationError, jsonParse } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { ProviderError } from '../shared/errors';
import type { MediaOutput, ProviderCall, ProviderResponse, TaskAdapter, TaskState } from '../shared/types';
import { checkIntegerRange, readCallbackUrl, readPrompt } from '../shared/validation';

export const API = '/api/v1';

/** Default network of the `image` resource. */
export const Z_IMAGE = 'z-image';

const createdSchema = z
	.object({ request_id: z.union([z.number(), z.string().min(1)]), status: z.string().optional() })
	.passthrough();

const taskSchema = z
	.object({
		status: z.string().optional(),
		result: z.unknown().optional(),
		full_response: z.unknown().optional(),
		error: z.unknown().optional(),
		progress: z.number().optional(),
	})
	.passthrough();

const QUEUED = new Set(['starting', 'pending', 'queued', 'in_queue', 'waiting']);
const FAILED = new Set(['failed', 'error', 'canceled', 'cancelled']);

/** z-image fields: node parameter name → API field name. */
const Z_IMAGE_FIELDS: Record<string, string> = {
	translateInput: 'translate_input',
	width: 'width',
	height: 'height',
	numImages: 'num_images',
	model: 'model',
	outputFormat: 'output_format',
	numInferenceSteps: 'num_inference_steps',
	enableSafetyChecker: 'enable_safety_checker',
	acceleration: 'acceleration',
	enablePromptExpansion: 'enable_prompt_expansion',
};

function errorText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim()) return value.trim();
	if (value && typeof value === 'object') {
		const message = (value as IDataObject).message;
		if (typeof message === 'string' && message.trim()) return message.trim();
	}
	return undefined;
}

/** `result` first, then `full_response` (the order of the documentation); strings or `{ url }`. */
export function readOutputs(body: z.infer<typeof taskSchema>): MediaOutput[] {
	const toList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value ? [value] : []);
	const pick = (entry: unknown): string | undefined => {
		if (typeof entry === 'string') return entry.trim() || undefined;
		if (entry && typeof entry === 'object') {
			const url = (entry as IDataObject).url ?? (entry as IDataObject).image;
			return typeof url === 'string' && url.trim() ? url.trim() : undefined;
		}
		return undefined;
	};
	for (const source of [body.result, body.full_response]) {
		const urls = toList(source).map(pick).filter((url): url is string => url !== undefined);
		if (urls.length) return urls.map((url) => ({ url }));
	}
	return [];
}

export function parseGenApiTask(body: unknown): TaskState {
	const parsed = taskSchema.safeParse(body);
	if (!parsed.success) {
		throw new ProviderError('Gen-API answered with something that is not a task', 'provider', { transient: true });
	}
	const task = parsed.data;
	const raw = task as IDataObject;
	const status = (task.status ?? '').toLowerCase();
	const progress = task.progress;
	if (status === 'success' || status === 'succeeded' || status === 'completed') {
		const outputs = readOutputs(task);
		if (!outputs.length) return { status: 'failed', error: 'The task finished but returned no file', raw };
		return { status: 'succeeded', outputs, raw, progress };
	}
	if (FAILED.has(status)) {
		return { status: 'failed', error: errorText(task.error) ?? errorText(raw.message) ?? 'Generation failed', raw };
	}
	// Unknown statuses are read as "still working": new ones appear without notice.
	return { status: QUEUED.has(status) ? 'queued' : 'running', raw, progress };
}

function zImageBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const body: IDataObject = { prompt: readPrompt(ctx, itemIndex) };
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const node = ctx.getNode();
	checkIntegerRange(node, itemIndex, 'Width', fields.width, 64, 4096);
	checkIntegerRange(node, itemIndex, 'Height', fields.height, 64, 4096);
	checkIntegerRange(node, itemIndex, 'Number of Images', fields.numImages, 1, 4);
	checkIntegerRange(node, itemIndex, 'Inference Steps', fields.numInferenceSteps, 1, 50);
	// Only what the user set is sent: the provider's own defaults apply to the rest.
	for (const [parameter, field] of Object.entries(Z_IMAGE_FIELDS)) {
		const value = fields[parameter];
		if (value !== undefined && value !== '') body[field] = value;
	}
	return body;
}

function networkBody(ctx: IExecuteFunctions, itemIndex: number): { networkId: string; body: IDataObject } {
	const node = ctx.getNode();
	const networkId = String(ctx.getNodeParameter('networkId', itemIndex, '') ?? '').trim();
	if (!/^[a-z0-9][a-z0-9._-]*$/i.test(networkId)) {
		throw new NodeOperationError(node, `"${networkId}" is not a Gen-API network ID`, {
			itemIndex,
			description: 'Use the ID from the network page on gen-api.ru, for example "flux" or "kling".',
		});
	}
	const value = ctx.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	let body: unknown = value;
	if (typeof value === 'string') {
		try {
			body = jsonParse(value);
		} catch {
			throw new NodeOperationError(node, 'The parameters are not valid JSON', { itemIndex });
		}
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new NodeOperationError(node, 'The parameters must be a JSON object, like {"prompt": "a cat"}', {
			itemIndex,
		});
	}
	return { networkId, body: body as IDataObject };
}

export const genApiAdapter: TaskAdapter = {
	provider: 'genApi',
	displayName: 'Gen-API',
	credentialType: 'genApiApi',
	// The documentation advises a read every 3 s; images take 30–60 s, busy periods several minutes.
	timing: { firstCheckMs: 3_000, intervalMs: 3_000, maxWaitMs: 300_000 },
	limits: { createConcurrency: 5, pollConcurrency: 8 },

	prepareCreate(ctx, itemIndex): ProviderCall {
		const resource = ctx.getNodeParameter('resource', itemIndex) as string;
		const { networkId, body } =
			resource === 'network' ? networkBody(ctx, itemIndex) : { networkId: Z_IMAGE, body: zImageBody(ctx, itemIndex) };
		const callbackUrl = readCallbackUrl(ctx, itemIndex);
		if (callbackUrl) body.callback_url = callbackUrl;
		return { method: 'POST', path: `${API}/networks/${encodeURIComponent(networkId)}`, body };
	},

	parseCreated(response: ProviderResponse) {
		const parsed = createdSchema.safeParse(response.body);
		if (!parsed.success) {
			throw new ProviderError('Gen-API accepted the request but returned no request_id', 'provider', {
				httpCode: response.statusCode,
			});
		}
		const taskId = String(parsed.data.request_id);
		const state = parseGenApiTask(parsed.data);
		// `is_sync` networks answer with the result right away.
		return { taskId, state: state.status === 'succeeded' || state.status === 'failed' ? state : undefined };
	},

	getTaskCall(taskId) {
		return { method: 'GET', path: `${API}/request/get/${encodeURIComponent(taskId)}` };
	},

	parseTask(response) {
		return parseGenApiTask(response.body);
	},

	// Gen-API documents no callback body: it is a signal naming the task, which is read again
	// through the API for its status and files. Nothing in the body is used as a result.
	callback: {
		authentication: 'token',
		trustsBody: false,
		credential: 'required',
		description: 'Z-image and every other Gen-API network',
		instructions:
			'Paste this node\'s Production URL, followed by ?token= and your Secret Token, into the "Callback URL" of a Gen-API Create Task node. The trigger reads each task again with the Gen-API credential. Gen-API must reach n8n: run n8n with WEBHOOK_URL set to its public address.',
		parse(body) {
			const id = body.request_id ?? body.id;
			if (typeof id !== 'number' && (typeof id !== 'string' || !id)) {
				throw new ProviderError('The callback names no request_id', 'provider');
			}
			// A body that says the task is still running is progress; anything else means "look now".
			const status = typeof body.status === 'string' ? parseGenApiTask({ status: body.status }).status : undefined;
			return { taskId: String(id), final: status !== 'queued' && status !== 'running' };
		},
	},

	readFailure(response) {
		if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
		const body = (response.body ?? {}) as IDataObject;
		const validation = body.errors_validation;
		if (validation && typeof validation === 'object') {
			const messages = Object.entries(validation as IDataObject).map(
				([field, value]) => `${field}: ${Array.isArray(value) ? value.join(', ') : String(value)}`,
			);
			if (messages.length) return { message: `Invalid parameters — ${messages.join('; ')}` };
		}
		return undefined;
	},
};
