import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallbackContract } from '../shared/callbacks';
import { ProviderError } from '../shared/errors';
import { errorText, isFinal, statusOf, readStatusAnswer } from '../shared/states';
import type {
	MediaOutput,
	ProviderClient,
	ProviderResponse,
	TaskProtocol,
	TaskState,
} from '../shared/types';

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
		progress: z.number().nullish(),
	})
	.passthrough();

/** `result` first, then `full_response` (the order of the documentation); strings or `{ url }`. */
export function readOutputs(body: z.infer<typeof taskSchema>): MediaOutput[] {
	const toList = (value: unknown): unknown[] =>
		Array.isArray(value) ? value : value ? [value] : [];
	const pick = (entry: unknown): string | undefined => {
		if (typeof entry === 'string') return entry.trim() || undefined;
		if (entry && typeof entry === 'object') {
			const url = (entry as IDataObject).url ?? (entry as IDataObject).image;
			return typeof url === 'string' && url.trim() ? url.trim() : undefined;
		}
		return undefined;
	};
	for (const source of [body.result, body.full_response]) {
		const urls = toList(source)
			.map(pick)
			.filter((url): url is string => url !== undefined);
		if (urls.length) return urls.map((url) => ({ url }));
	}
	return [];
}

export function parseGenApiTask(body: unknown): TaskState {
	const task = readStatusAnswer(taskSchema, body, genApiClient.displayName);
	const raw = task as IDataObject;
	const status = statusOf(task.status);
	const progress = task.progress ?? undefined;
	if (status === 'succeeded') {
		const outputs = readOutputs(task);
		if (!outputs.length)
			return { status: 'failed', error: 'The task finished but returned no file', raw };
		return { status: 'succeeded', outputs, raw, progress };
	}
	if (status === 'failed')
		return { status, error: errorText(task.error, raw.message) ?? 'Generation failed', raw };
	return { status, raw, progress };
}

export const genApiClient: ProviderClient = {
	provider: 'genApi',
	displayName: 'Gen-API',
	credentialType: 'genApiApi',
	// The document's error table: "500 — Gen-API server error: repeat the request later".
	resendCreateOn: [500],
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

export const genApiTasks: TaskProtocol = {
	client: genApiClient,
	// The documentation advises a read every 3 s; images take 30–60 s, busy periods several minutes.
	timing: { firstCheckMs: 3_000, intervalMs: 3_000, maxWaitMs: 300_000 },
	// "404 while polling may be temporary, repeat the request": the document's client repeats it up
	// to 60 times, 3 s apart.
	limits: { notFoundBudget: 60 },

	parseCreated(response: ProviderResponse) {
		const parsed = createdSchema.safeParse(response.body);
		if (!parsed.success) {
			throw new ProviderError(
				'Gen-API accepted the request but returned no request_id',
				'provider',
				{
					httpCode: response.statusCode,
				},
			);
		}
		const taskId = String(parsed.data.request_id);
		const state = parseGenApiTask(parsed.data);
		// `is_sync` networks answer with the result right away.
		return { taskId, state: isFinal(state) ? state : undefined };
	},

	getTaskCall(taskId) {
		return { method: 'GET', path: `${API}/request/get/${encodeURIComponent(taskId)}` };
	},

	parseTask(response) {
		return parseGenApiTask(response.body);
	},
};

/**
 * Gen-API documents no callback body: it is a signal naming the task, which is read again
 * through the API for its status and files. Nothing in the body is used as a result.
 */
export const genApiCallback: CallbackContract = {
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
		const status = typeof body.status === 'string' ? statusOf(body.status) : undefined;
		return { taskId: String(id), final: status !== 'queued' && status !== 'running' };
	},
};
