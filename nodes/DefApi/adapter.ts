import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallbackContract } from '../shared/callbacks';
import { ProviderError } from '../shared/errors';
import { isFinal, statusOf, readStatusAnswer } from '../shared/states';
import type {
	MediaOutput,
	ProviderClient,
	ProviderFailure,
	ProviderResponse,
	TaskProtocol,
	TaskState,
} from '../shared/types';

export const MAX_REFERENCE_IMAGES = 4;
export const ASPECT_RATIOS = [
	'auto',
	'1:1',
	'16:9',
	'21:9',
	'2:3',
	'3:2',
	'3:4',
	'4:3',
	'4:5',
	'5:4',
	'9:16',
];
export const IMAGE_SIZES = ['1k', '2k', '4k'];

const taskSchema = z
	.object({
		task_id: z.string().optional(),
		status: z.string().nullish(),
		result: z.array(z.unknown()).nullish(),
		status_reason: z.object({ message: z.string().nullish() }).passthrough().nullish(),
		consumed: z.union([z.string(), z.number()]).nullish(),
	})
	.passthrough();

/** Query answers come wrapped in `{ code, message, data }` or bare: accept both. */
function unwrap(body: unknown): unknown {
	if (body && typeof body === 'object' && 'data' in body) {
		const data = (body as IDataObject).data;
		if (data && typeof data === 'object' && !Array.isArray(data)) return data;
	}
	return body;
}

function isTaskNotFound(body: unknown): boolean {
	const message = body && typeof body === 'object' ? (body as IDataObject).message : undefined;
	return typeof message === 'string' && /task not found/i.test(message);
}

export function readDefApiFailure(response: ProviderResponse): ProviderFailure | undefined {
	const body = (
		response.body && typeof response.body === 'object' ? response.body : {}
	) as IDataObject;
	const isHttpError = response.statusCode < 200 || response.statusCode >= 300;
	const code = body.code;
	const refused = code !== undefined && code !== null && Number(code) !== 0;
	if (!isHttpError && !refused) return undefined;
	const detail = typeof body.detail === 'string' ? body.detail : undefined;
	const message = typeof body.message === 'string' ? body.message : undefined;
	// `{"code":1,"message":"failed","detail":"prompt is required"}`: the detail says what is wrong.
	const text =
		detail && message
			? message === 'failed'
				? detail
				: `${message}: ${detail}`
			: (detail ?? message);
	return {
		message: text ?? `DefAPI refused the request (code ${String(code)})`,
		code: refused ? (code as number) : undefined,
	};
}

export function parseDefApiTask(body: unknown): TaskState {
	const task = readStatusAnswer(taskSchema, unwrap(body), defApiClient.displayName);
	const raw = task as IDataObject;
	const status = statusOf(task.status);
	if (status === 'succeeded') {
		const entries = (task.result ?? []) as IDataObject[];
		const outputs: MediaOutput[] = entries
			.map((entry) => (typeof entry === 'string' ? entry : (entry?.image ?? entry?.url)))
			.filter((url): url is string => typeof url === 'string' && url.trim() !== '')
			.map((url) => ({ url: url.trim() }));
		if (outputs.length) return { status: 'succeeded', outputs, raw };
		// The model answered in words instead of drawing (a refusal or a question): that is a failure.
		const words = entries
			.map((entry) => entry?.text)
			.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
		return {
			status: 'failed',
			error: words.length
				? `The model returned text instead of an image: ${words.join(' ')}`
				: 'The task finished but returned no image',
			raw,
		};
	}
	if (status === 'failed')
		return { status, error: task.status_reason?.message ?? 'Generation failed', raw };
	return { status, raw };
}

export const defApiClient: ProviderClient = {
	provider: 'defApi',
	displayName: 'DefAPI',
	credentialType: 'defApiApi',
	// The document: "use exponential backoff to retry on 500 errors".
	resendCreateOn: [500],
	readFailure: readDefApiFailure,
};

export const defApiTasks: TaskProtocol = {
	client: defApiClient,
	timing: { firstCheckMs: 5_000, intervalMs: 3_000, maxWaitMs: 300_000 },

	parseCreated(response) {
		const data = unwrap(response.body) as IDataObject;
		const taskId = data?.task_id;
		if (typeof taskId !== 'string' || !taskId) {
			throw new ProviderError('DefAPI accepted the request but returned no task_id', 'provider', {
				httpCode: response.statusCode,
			});
		}
		return { taskId };
	},

	getTaskCall(taskId) {
		return { method: 'GET', path: '/api/task/query', qs: { task_id: taskId } };
	},

	parseTask(response) {
		return parseDefApiTask(response.body);
	},

	// Right after creation the query may say "task not found" for a moment.
	isNotFoundYet: (response) => isTaskNotFound(response.body),
};

/** DefAPI posts the finished task, shaped like a query answer; it signs nothing. */
export const defApiCallback: CallbackContract = {
	authentication: 'token',
	// Results may come inline as base64 (a 4K picture is megabytes): as much as n8n itself takes.
	maxBodyBytes: 16 * 1024 * 1024,
	trustsBody: true,
	credential: 'optional',
	description: 'Nano Banana and other Gemini image models',
	instructions:
		'Paste this node\'s Production URL, followed by ?token= and your Secret Token, into the "Callback URL" of a DefAPI Create Task node. DefAPI must reach n8n: run n8n with WEBHOOK_URL set to its public address.',
	parse(body) {
		const data = unwrap(body) as IDataObject;
		if (typeof data.task_id !== 'string' || !data.task_id)
			throw new ProviderError('The callback names no task_id', 'provider');
		const state = parseDefApiTask(data);
		return { taskId: data.task_id, state, final: isFinal(state) };
	},
};
