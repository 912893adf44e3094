import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallbackContract, ParsedCallback } from '../shared/callbacks';
import { verifyBodySignature } from '../shared/callbacks';
import { ProviderError } from '../shared/errors';
import { errorText, isFinal, statusOf, readStatusAnswer } from '../shared/states';
import type {
	ProviderClient,
	ProviderFailure,
	ProviderResponse,
	TaskProtocol,
	TaskState,
} from '../shared/types';

/*
 * Nalitek (FLUX API v2) as the engine sees it: the client every request goes through, the task
 * protocols of images, upscales and batches, and the webhook contract.
 */

const HINTS: Record<number, string> = {
	403: 'The daily quota of your plan is used up; it resets at 00:00 UTC. (An admin operation with a non-admin key also gives 403.)',
	429: 'Nalitek allows 10 generations and 10 image-to-image requests, 5 upscales and 2 batches per minute. The node paces itself; this limit was hit by other clients of the same key.',
};

/** Errors come as `{ error, details, code, request_id }`. */
export function readNalitekFailure(response: ProviderResponse): ProviderFailure | undefined {
	if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
	const body = (
		response.body && typeof response.body === 'object' ? response.body : {}
	) as IDataObject;
	const error = typeof body.error === 'string' ? body.error : undefined;
	const details = typeof body.details === 'string' ? body.details : undefined;
	const message = error && details ? `${error}: ${details}` : (error ?? details);
	if (!message) return undefined;
	return { message, code: typeof body.code === 'string' ? body.code : undefined };
}

/** Nalitek for every request: the credential, the name, how it says "error". */
export const nalitekClient: ProviderClient = {
	provider: 'nalitek',
	displayName: 'Nalitek',
	credentialType: 'nalitekApi',
	hints: HINTS,
	readFailure: readNalitekFailure,
	// The document's error table: "500 Internal Server Error — repeat later".
	resendCreateOn: [500],
};

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
export const INPUT_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

const taskSchema = z
	.object({
		status: z.string().nullish(),
		url: z.string().nullish(),
		message: z.string().nullish(),
		error_message: z.string().nullish(),
		progress: z.number().nullish(),
	})
	.passthrough();

export function parseNalitekTask(body: unknown): TaskState {
	const task = readStatusAnswer(taskSchema, body, nalitekClient.displayName, 'an image status');
	const raw = task as IDataObject;
	const status = statusOf(task.status);
	const progress = task.progress ?? undefined;
	if (status === 'succeeded') {
		if (!task.url) return { status: 'failed', error: 'The image is complete but has no link', raw };
		// Links may be relative ("/uploads/images/…"): the engine resolves them against the base URL.
		return { status: 'succeeded', outputs: [{ url: task.url }], raw };
	}
	if (status === 'failed')
		return { status, error: task.error_message ?? task.message ?? 'Generation failed', raw };
	return { status, raw, progress };
}

/** `image_id`, or `id` in some answers; a number or a string. */
export function readImageId(body: IDataObject): string | undefined {
	const id = body.image_id ?? body.id;
	return typeof id === 'number' || (typeof id === 'string' && id !== '') ? String(id) : undefined;
}

/** Webhooks: `{ event, timestamp, data: { image_id, url, … }, signature }`. */
export function parseNalitekCallback(body: IDataObject): ParsedCallback {
	const data = (body.data && typeof body.data === 'object' ? body.data : {}) as IDataObject;
	const event = typeof body.event === 'string' ? body.event : undefined;
	// A batch's notice names the batch: it says what became of it, and its images are read with
	// "Wait for Batch".
	if (
		event?.startsWith('batch.') &&
		(typeof data.batch_id === 'string' || typeof data.batch_id === 'number')
	) {
		const failed = event.endsWith('.failed');
		return {
			taskId: String(data.batch_id),
			event,
			final: true,
			state: {
				status: failed ? 'failed' : 'succeeded',
				outputs: [],
				raw: body,
				...(failed ? { error: 'The batch failed' } : {}),
			},
		};
	}
	const taskId = readImageId(data);
	if (!taskId) throw new ProviderError('The webhook names no image_id', 'provider');
	const raw = { ...body } as IDataObject;
	delete raw.signature;
	if (event?.endsWith('.complete')) {
		// Without a link the image is read through the API (the receiver reads a final callback
		// that brings no state).
		const url = typeof data.url === 'string' && data.url.trim() ? data.url.trim() : undefined;
		return {
			taskId,
			event,
			final: true,
			state: url ? { status: 'succeeded', outputs: [{ url }], raw } : undefined,
		};
	}
	if (event?.endsWith('.failed')) {
		// The document shows no failed body: its error format (`error`, `details`) and the image's
		// `error_message` are all read.
		const message =
			errorText(data.error_message, data.error, data.message, data.details, body.error) ??
			'Generation failed';
		return { taskId, event, final: true, state: { status: 'failed', error: message, raw } };
	}
	return {
		taskId,
		event,
		final: false,
		state: {
			status: 'running',
			raw,
			progress: typeof data.progress === 'number' ? data.progress : undefined,
		},
	};
}

/**
 * Nalitek's webhooks carry `"signature": "sha256=…"` in the body (or a header). The document names
 * neither the key nor the signed text: the key is the credential's Webhook Secret (its API key
 * when none is set), and the text any a signer can have signed — see verifyBodySignature. Its
 * `timestamp` is checked against the replay window.
 */
export const nalitekCallback: CallbackContract = {
	authentication: 'signature',
	trustsBody: true,
	credential: 'required',
	events: {
		all: WEBHOOK_EVENTS,
		default: ['generation.complete', 'generation.failed', 'upscale.complete', 'upscale.failed'],
	},
	description: 'FLUX images; checks the signature with the Webhook Secret of the credential',
	instructions:
		'Paste this node\'s Production URL into the "Callback URL" of a Nalitek Create Task node. Nalitek signs each callback; the trigger checks it with the Webhook Secret of your Nalitek credential (or its API key when no secret is set). n8n must be reachable: set WEBHOOK_URL to its public address.',
	verifySignature(request, secret) {
		return verifyBodySignature(request, secret, [
			'x-signature',
			'x-nalitek-signature',
			'x-webhook-signature',
		]);
	},
	signedAt: (body) => body.timestamp,
	parse: parseNalitekCallback,
};

/**
 * A create answer names the image to wait for (`image_id`, or `id`), or — as the document's
 * image-to-image and upscale examples read it — already holds the finished image (`url`), with
 * or without an id. Both are accepted.
 */
export function parseImageCreated(response: ProviderResponse): {
	taskId?: string;
	state?: TaskState;
} {
	const body = (response.body ?? {}) as IDataObject;
	const taskId = readImageId(body);
	const url = typeof body.url === 'string' && body.url !== '' ? body.url : undefined;
	const status = String(body.status ?? '').toLowerCase();
	if (url && (!status || statusOf(status) === 'succeeded')) {
		return { taskId, state: { status: 'succeeded', outputs: [{ url }], raw: body } };
	}
	if (!taskId) {
		throw new ProviderError(
			'Nalitek accepted the request but returned neither an image_id nor a finished image',
			'provider',
			{
				httpCode: response.statusCode,
			},
		);
	}
	const state = body.status ? parseNalitekTask(body) : undefined;
	return { taskId, state: isFinal(state) ? state : undefined };
}

/** Images, image-to-image and upscales: each its own create endpoint and limit, all read with /api/get/{id}. */
function imageTasks(createsPerMinute: number): TaskProtocol {
	return {
		client: nalitekClient,
		timing: { firstCheckMs: 5_000, intervalMs: 3_000, maxWaitMs: 300_000 },
		limits: { createsPerMinute },
		parseCreated: parseImageCreated,
		getTaskCall: (taskId) => ({ method: 'GET', path: `/api/get/${encodeURIComponent(taskId)}` }),
		parseTask: (response) => parseNalitekTask(response.body),
	};
}

/** Nalitek allows 10 generations and 10 image-to-image requests, but 5 upscales a minute. */
export const generateTasks = imageTasks(10);
export const imageToImageTasks = imageTasks(10);
export const upscaleTasks = imageTasks(5);

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
export const batchTasks: TaskProtocol = {
	client: nalitekClient,
	timing: { firstCheckMs: 5_000, intervalMs: 5_000, maxWaitMs: 900_000 },
	limits: { createConcurrency: 1, pollConcurrency: 4, createsPerMinute: 2 },
	parseCreated(response) {
		const body = (response.body ?? {}) as IDataObject;
		const batchId = body.batch_id ?? body.id;
		if (typeof batchId !== 'string' && typeof batchId !== 'number') {
			throw new ProviderError('Nalitek accepted the batch but returned no batch_id', 'provider', {
				httpCode: response.statusCode,
			});
		}
		return { taskId: String(batchId) };
	},
	getTaskCall: (batchId) => ({ method: 'GET', path: `/api/batch/${encodeURIComponent(batchId)}` }),
	parseTask(response) {
		const body = (response.body ?? {}) as IDataObject;
		const jobs = (Array.isArray(body.jobs) ? body.jobs : []) as BatchJob[];
		const status = String(body.status ?? '').toLowerCase();
		const allFinal =
			jobs.length > 0 && jobs.every((job) => FINAL_JOB.has(String(job.status ?? '').toLowerCase()));
		if (allFinal || ['completed', 'failed', 'cancelled', 'canceled'].includes(status)) {
			// Jobs are judged one by one when the items are made; the batch itself is done.
			return { status: 'succeeded', outputs: [], raw: body };
		}
		return {
			status: status === 'queued' ? 'queued' : 'running',
			raw: body,
			progress:
				typeof body.completed === 'number' && typeof body.total === 'number' && body.total
					? Math.round((100 * body.completed) / body.total)
					: undefined,
		};
	},
};
