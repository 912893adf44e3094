import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { z } from 'zod';

import type { CallbackContract, ParsedCallback } from '../shared/callbacks';
import { freshTimestamp, verifyBodySignature } from '../shared/callbacks';
import { ProviderError } from '../shared/errors';
import { readBinaryImage } from '../shared/images';
import { buildMultipart } from '../shared/multipart';
import type { MultipartPart } from '../shared/multipart';
import type { PollTiming, ProviderCall, ProviderFailure, ProviderResponse, TaskAdapter, TaskState } from '../shared/types';
import { checkHttpUrl, readIdParameter, readPrompt } from '../shared/validation';

export const MODELS = ['flux-dev', 'flux-schnell'];
export const FORMATS = ['png', 'jpeg', 'webp'];
export const WEBHOOK_EVENTS = [
	'generation.started',
	'generation.progress',
	'generation.complete',
	'generation.failed',
	'upscale.complete',
	'upscale.failed',
];
const INPUT_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

const TIMING: PollTiming = { firstCheckMs: 5_000, intervalMs: 3_000, maxWaitMs: 300_000 };

const HINTS: Record<number, string> = {
	403: 'The daily quota of your plan is used up; it resets at 00:00 UTC. (An admin operation with a non-admin key also gives 403.)',
	429: 'Nalitek allows 10 generations and 10 image-to-image requests, 5 upscales and 2 batches per minute. The node paces itself; this limit was hit by other clients of the same key.',
};

const taskSchema = z
	.object({
		status: z.string().nullish(),
		url: z.string().nullish(),
		message: z.string().nullish(),
		error_message: z.string().nullish(),
		progress: z.number().nullish(),
	})
	.passthrough();

/** Errors come as `{ error, details, code, request_id }`. */
export function readNalitekFailure(response: ProviderResponse): ProviderFailure | undefined {
	if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as IDataObject;
	const error = typeof body.error === 'string' ? body.error : undefined;
	const details = typeof body.details === 'string' ? body.details : undefined;
	const message = error && details ? `${error}: ${details}` : error ?? details;
	if (!message) return undefined;
	return { message, code: typeof body.code === 'string' ? body.code : undefined };
}

export function parseNalitekTask(body: unknown): TaskState {
	const parsed = taskSchema.safeParse(body);
	if (!parsed.success) throw new ProviderError('Nalitek answered with something that is not an image status', 'provider', { transient: true });
	const task = parsed.data;
	const raw = task as IDataObject;
	const status = (task.status ?? '').toLowerCase();
	const progress = task.progress ?? undefined;
	if (status === 'completed' || status === 'success' || status === 'done') {
		if (!task.url) return { status: 'failed', error: 'The image is complete but has no link', raw };
		// Links may be relative ("/uploads/images/…"): the engine resolves them against the base URL.
		return { status: 'succeeded', outputs: [{ url: task.url }], raw };
	}
	if (status === 'failed' || status === 'error' || status === 'cancelled') {
		return { status: 'failed', error: task.error_message ?? task.message ?? 'Generation failed', raw };
	}
	return { status: status === 'queued' || status === 'pending' ? 'queued' : 'running', raw, progress };
}

/** `image_id`, or `id` in some answers; a number or a string. */
export function readImageId(body: IDataObject): string | undefined {
	const id = body.image_id ?? body.id;
	return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : undefined;
}

// --- parameter checks (the documented ranges) ---

/**
 * Sizes: the document's table says 512–2048 in steps of 64, its own example sends 1920×1080 and
 * its plan table allows up to 4096×4096 (Enterprise). Only what no reading accepts is refused
 * here; Nalitek judges the rest against the plan of the key, and its answer is shown.
 */
export const MIN_SIDE = 512;
export const MAX_SIDE = 4096;

function checkDimension(node: INode, itemIndex: number, label: string, value: unknown): number | undefined {
	if (value === undefined || value === '' || value === null) return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number < MIN_SIDE || number > MAX_SIDE) {
		throw new NodeOperationError(node, `${label} must be a whole number of pixels from ${MIN_SIDE} to ${MAX_SIDE} (got ${String(value)})`, {
			itemIndex,
			description: 'Your plan may allow less: Free 1024, Pro and Business 2048, Enterprise 4096. Multiples of 64 and 1920×1080 are what Nalitek recommends.',
		});
	}
	return number;
}

function checkNumber(node: INode, itemIndex: number, label: string, value: unknown, min: number, max: number, integer = false) {
	if (value === undefined || value === '' || value === null) return undefined;
	const number = Number(value);
	if (!Number.isFinite(number) || number < min || number > max || (integer && !Number.isInteger(number))) {
		throw new NodeOperationError(node, `${label} must be ${integer ? 'a whole number ' : ''}from ${min} to ${max} (got ${String(value)})`, { itemIndex });
	}
	return number;
}

function checkChoice(node: INode, itemIndex: number, label: string, value: unknown, choices: string[]) {
	if (value === undefined || value === '' || value === null) return undefined;
	if (!choices.includes(String(value))) {
		throw new NodeOperationError(node, `${label} must be one of ${choices.join(', ')} (got ${String(value)})`, { itemIndex });
	}
	return String(value);
}

/** Reads the generation options every image operation shares; only what is set is returned. */
export function readGenerationOptions(ctx: IExecuteFunctions, itemIndex: number, { strength = false } = {}): IDataObject {
	const node = ctx.getNode();
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	const set = (key: string, value: unknown) => {
		if (value !== undefined) body[key] = value;
	};
	if (typeof fields.negativePrompt === 'string' && fields.negativePrompt.trim()) body.negative_prompt = fields.negativePrompt.trim();
	set('width', checkDimension(node, itemIndex, 'Width', fields.width));
	set('height', checkDimension(node, itemIndex, 'Height', fields.height));
	set('steps', checkNumber(node, itemIndex, 'Steps', fields.steps, 10, 100, true));
	set('guidance_scale', checkNumber(node, itemIndex, 'Guidance Scale', fields.guidanceScale, 1, 20));
	if (fields.seed !== undefined && fields.seed !== '') {
		const seed = Number(fields.seed);
		if (!Number.isInteger(seed) || seed < -1) {
			throw new NodeOperationError(node, `Seed must be -1 (random) or a whole number of 0 or more (got ${String(fields.seed)})`, { itemIndex });
		}
		body.seed = seed;
	}
	set('format', checkChoice(node, itemIndex, 'Format', fields.format, FORMATS));
	set('model', checkChoice(node, itemIndex, 'Model', fields.model, MODELS));
	if (strength) set('strength', checkNumber(node, itemIndex, 'Strength', fields.strength, 0, 1));
	const loras = Array.isArray(fields.loraIds) ? (fields.loraIds as string[]).filter(Boolean) : typeof fields.loraIds === 'string' ? fields.loraIds.split(',').map((id) => id.trim()).filter(Boolean) : [];
	if (loras.length) body.lora_ids = loras;
	if (typeof fields.smartUpscale === 'boolean') body.smart_upscale = fields.smartUpscale;
	set('target_width', checkDimension(node, itemIndex, 'Target Width', fields.targetWidth));
	set('target_height', checkDimension(node, itemIndex, 'Target Height', fields.targetHeight));
	if ((body.target_width !== undefined || body.target_height !== undefined) && body.smart_upscale === false) {
		throw new NodeOperationError(node, 'Target Width and Target Height need Smart Upscale on', { itemIndex });
	}
	return body;
}

function readWebhook(ctx: IExecuteFunctions, itemIndex: number, body: IDataObject) {
	if (ctx.getNodeParameter('operation', itemIndex) !== 'createTask') return;
	const url = String(ctx.getNodeParameter('callbackUrl', itemIndex, '') ?? '').trim();
	if (!url) return;
	body.webhook_url = checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', url);
	const events = ctx.getNodeParameter('webhookEvents', itemIndex, []) as string[];
	if (events.length) body.webhook_events = events;
}

// --- the task adapters: one per create endpoint, all read with /api/get/{id} ---

/** Webhooks: `{ event, timestamp, data: { image_id, url, … }, signature }`. */
export function parseNalitekCallback(body: IDataObject): ParsedCallback {
	const data = (body.data && typeof body.data === 'object' ? body.data : {}) as IDataObject;
	const event = typeof body.event === 'string' ? body.event : undefined;
	// A batch's notice names the batch; it is acknowledged, and read with "Wait for Batch".
	if (event?.startsWith('batch.') && (typeof data.batch_id === 'string' || typeof data.batch_id === 'number')) {
		return { taskId: String(data.batch_id), event, final: true };
	}
	const taskId = readImageId(data);
	if (!taskId) throw new ProviderError('The webhook names no image_id', 'provider');
	const raw = { ...body } as IDataObject;
	delete raw.signature;
	if (event?.endsWith('.complete') && typeof data.url === 'string' && data.url) {
		return { taskId, event, final: true, state: { status: 'succeeded', outputs: [{ url: data.url }], raw } };
	}
	if (event?.endsWith('.failed')) {
		const message = typeof data.error_message === 'string' ? data.error_message : typeof data.message === 'string' ? data.message : 'Generation failed';
		return { taskId, event, final: true, state: { status: 'failed', error: message, raw } };
	}
	return { taskId, event, final: false, state: { status: 'running', raw, progress: typeof data.progress === 'number' ? data.progress : undefined } };
}

/**
 * Nalitek's webhooks carry `"signature": "sha256=…"` in the body (or a header). The document names
 * neither the key nor the signed text: the key is the credential's Webhook Secret (its API key
 * when none is set), and the text any a signer can have signed — see verifyBodySignature. A
 * `timestamp` more than 5 minutes away is a replay.
 */
const nalitekCallback: CallbackContract = {
	authentication: 'signature',
	trustsBody: true,
	credential: 'required',
	events: { all: WEBHOOK_EVENTS, default: ['generation.complete', 'generation.failed', 'upscale.complete', 'upscale.failed'] },
	description: 'FLUX images; checks the signature with the Webhook Secret of the credential',
	instructions:
		'Paste this node\'s Production URL into the "Callback URL" of a Nalitek Create Task node. Nalitek signs each callback; the trigger checks it with the Webhook Secret of your Nalitek credential (or its API key when no secret is set). n8n must be reachable: set WEBHOOK_URL to its public address.',
	verifySignature(request, secret, now) {
		return freshTimestamp(request.body.timestamp, now) && verifyBodySignature(request, secret, ['x-signature', 'x-nalitek-signature', 'x-webhook-signature']);
	},
	parse: parseNalitekCallback,
};

function imageAdapter(prepareCreate: TaskAdapter['prepareCreate'], createsPerMinute: number): TaskAdapter {
	return {
		provider: 'nalitek',
		displayName: 'Nalitek',
		credentialType: 'nalitekApi',
		timing: TIMING,
		limits: { createConcurrency: 5, pollConcurrency: 8, createsPerMinute },
		hints: HINTS,
		prepareCreate,
		parseCreated: parseImageCreated,
		getTaskCall: (taskId) => ({ method: 'GET', path: `/api/get/${encodeURIComponent(taskId)}` }),
		parseTask: (response) => parseNalitekTask(response.body),
		readFailure: readNalitekFailure,
		callback: nalitekCallback,
	};
}

/**
 * A create answer names the image to wait for (`image_id`, or `id`), or — as the document's
 * image-to-image and upscale examples read it — already holds the finished image (`url`), with
 * or without an id. Both are accepted.
 */
export function parseImageCreated(response: ProviderResponse): { taskId?: string; state?: TaskState } {
	const body = (response.body ?? {}) as IDataObject;
	const taskId = readImageId(body);
	const url = typeof body.url === 'string' && body.url !== '' ? body.url : undefined;
	const status = String(body.status ?? '').toLowerCase();
	if (url && (!status || ['completed', 'success', 'done'].includes(status))) {
		return { taskId, state: { status: 'succeeded', outputs: [{ url }], raw: body } };
	}
	if (!taskId) {
		throw new ProviderError('Nalitek accepted the request but returned neither an image_id nor a finished image', 'provider', {
			httpCode: response.statusCode,
		});
	}
	const state = body.status ? parseNalitekTask(body) : undefined;
	return { taskId, state: state?.status === 'succeeded' || state?.status === 'failed' ? state : undefined };
}

export const generateAdapter = imageAdapter((ctx, itemIndex) => {
	const body: IDataObject = { prompt: readPrompt(ctx, itemIndex), ...readGenerationOptions(ctx, itemIndex) };
	readWebhook(ctx, itemIndex, body);
	return { method: 'POST', path: '/api/generate', body };
}, 10);

/** The image of an item for image-to-image: from a binary field, png/jpg/webp, at most 10 MB. */
export async function readInputImage(ctx: IExecuteFunctions, itemIndex: number) {
	const field = String(ctx.getNodeParameter('inputBinaryField', itemIndex, 'data') ?? '').trim() || 'data';
	return await readBinaryImage(ctx, itemIndex, field, { label: 'Input image', mimeTypes: INPUT_TYPES, maxBytes: MAX_INPUT_BYTES });
}

export function multipartCall(path: string, parts: MultipartPart[]): ProviderCall {
	const { body, contentType } = buildMultipart(parts);
	return { method: 'POST', path, body, headers: { 'Content-Type': contentType } };
}

export const imageToImageAdapter = imageAdapter(async (ctx, itemIndex) => {
	const prompt = readPrompt(ctx, itemIndex);
	const options = readGenerationOptions(ctx, itemIndex, { strength: true });
	const image = await readInputImage(ctx, itemIndex);
	const parts: MultipartPart[] = [{ field: 'image', file: image }, { field: 'prompt', value: prompt }];
	for (const [key, value] of Object.entries(options)) {
		// The img2img form names its LoRA list lora_models[].
		if (key === 'lora_ids') for (const id of value as string[]) parts.push({ field: 'lora_models[]', value: id });
		else parts.push({ field: key, value: String(value) });
	}
	return multipartCall('/api/img2img', parts);
}, 10);

export function readImageIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdParameter(ctx, itemIndex, 'imageId', {
		missing: 'No image ID: set "Image ID" or feed items from an earlier Nalitek node',
		invalid: (id) => `"${id}" is not an image ID`,
	});
}

export const upscaleAdapter = imageAdapter(
	(ctx, itemIndex) => {
		const node = ctx.getNode();
		const imageId = readImageIdParameter(ctx, itemIndex);
		const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = { scale: Number(ctx.getNodeParameter('scale', itemIndex, 2)) };
		if (body.scale !== 2 && body.scale !== 4) throw new NodeOperationError(node, 'Scale must be 2 or 4', { itemIndex });
		if (typeof fields.faceEnhance === 'boolean') body.face_enhance = fields.faceEnhance;
		const denoise = checkNumber(node, itemIndex, 'Denoise', fields.denoise, 0, 1);
		if (denoise !== undefined) body.denoise = denoise;
		if (typeof fields.callbackUrl === 'string' && fields.callbackUrl.trim()) {
			body.webhook_url = checkHttpUrl(node, itemIndex, 'Callback URL', fields.callbackUrl.trim());
			body.webhook_events = ['upscale.complete', 'upscale.failed'];
		}
		return { method: 'POST', path: `/api/upscale/${encodeURIComponent(imageId)}`, body };
	},
	5,
);

// --- batches ---

export const MAX_BATCH = 10;

export interface BatchJob {
	id?: string;
	image_id?: number | string;
	status?: string;
	url?: string | null;
	error_message?: string | null;
	message?: string | null;
	[key: string]: unknown;
}

const FINAL_JOB = new Set(['completed', 'failed', 'cancelled', 'canceled', 'error']);

/** A batch is a task of its own: read with GET /api/batch/{id} until every job is final. */
export const batchAdapter: TaskAdapter = {
	provider: 'nalitek',
	displayName: 'Nalitek',
	credentialType: 'nalitekApi',
	timing: { firstCheckMs: 5_000, intervalMs: 5_000, maxWaitMs: 900_000 },
	limits: { createConcurrency: 1, pollConcurrency: 4, createsPerMinute: 2 },
	hints: HINTS,
	prepareCreate: () => {
		throw new ProviderError('Batches are created by the batch operations', 'task');
	},
	parseCreated(response) {
		const body = (response.body ?? {}) as IDataObject;
		const batchId = body.batch_id ?? body.id;
		if (typeof batchId !== 'string' && typeof batchId !== 'number') {
			throw new ProviderError('Nalitek accepted the batch but returned no batch_id', 'provider', { httpCode: response.statusCode });
		}
		return { taskId: String(batchId) };
	},
	getTaskCall: (batchId) => ({ method: 'GET', path: `/api/batch/${encodeURIComponent(batchId)}` }),
	parseTask(response) {
		const body = (response.body ?? {}) as IDataObject;
		const jobs = (Array.isArray(body.jobs) ? body.jobs : []) as BatchJob[];
		const status = String(body.status ?? '').toLowerCase();
		const allFinal = jobs.length > 0 && jobs.every((job) => FINAL_JOB.has(String(job.status ?? '').toLowerCase()));
		if (allFinal || ['completed', 'failed', 'cancelled', 'canceled'].includes(status)) {
			// Jobs are judged one by one when the items are made; the batch itself is done.
			return { status: 'succeeded', outputs: [], raw: body };
		}
		return { status: status === 'queued' ? 'queued' : 'running', raw: body, progress: typeof body.completed === 'number' && typeof body.total === 'number' && body.total ? Math.round((100 * body.completed) / body.total) : undefined };
	},
	readFailure: readNalitekFailure,
};
