import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CallbackContract } from '../shared/callbacks';
import { ProviderError } from '../shared/errors';
import { isFinal, statusOf, readStatusAnswer } from '../shared/states';
import type {
	ProviderClient,
	ProviderFailure,
	ProviderResponse,
	TaskProtocol,
	TaskState,
} from '../shared/types';

export const MAX_PROMPT_LENGTH = 2000;
export const DURATIONS = [6, 10];
export const RESOLUTIONS = ['512P', '768P', '1080P'];
export const FRAME_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** Frames must be smaller than 20 MB. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024 - 1;

interface CodeInfo {
	meaning: string;
	hint?: string;
	/** Worth asking again later (rate limits, overload). */
	transient?: boolean;
	/** The provider refused before starting anything: a create may be sent again. */
	notAccepted?: boolean;
}

const REGION_HINT =
	'Check the API key, and that the base URL in the credential matches its region: https://api.minimax.io for global keys, https://api.minimaxi.com for mainland-China keys.';

/** MiniMax reports errors as HTTP 200 with `base_resp.status_code != 0`. */
export const MINIMAX_CODES: Record<number, CodeInfo> = {
	1000: { meaning: 'Unknown error at MiniMax' },
	1001: { meaning: 'The request timed out at MiniMax', transient: true },
	1002: {
		meaning: 'Rate limit reached',
		hint: 'Send fewer items per run or raise "Poll Interval".',
		transient: true,
		notAccepted: true,
	},
	1004: { meaning: 'Not authorized', hint: REGION_HINT },
	1008: { meaning: 'Insufficient balance', hint: 'Top up your MiniMax account.' },
	1024: { meaning: 'Internal error at MiniMax', transient: true },
	1026: {
		meaning: 'The input contains sensitive content',
		hint: 'Change the prompt or the frame image.',
	},
	1027: {
		meaning: 'The generated video was flagged as sensitive',
		hint: 'Change the prompt or the frame image.',
	},
	1033: { meaning: 'System error at MiniMax', transient: true },
	1041: {
		meaning: 'Connection limit reached',
		hint: 'Send fewer items at once.',
		transient: true,
		notAccepted: true,
	},
	2013: {
		meaning: 'Invalid parameters',
		hint: 'Check the model, duration, resolution and images; for a callback URL, the receiver must answer the challenge.',
	},
	2038: {
		meaning: 'Real-name verification is required for this account',
		hint: 'Complete the verification in the MiniMax dashboard.',
	},
	2045: {
		meaning: 'Request rate is growing too fast',
		hint: 'Send fewer items per run.',
		transient: true,
		notAccepted: true,
	},
	2049: { meaning: 'Invalid API key', hint: REGION_HINT },
	2056: { meaning: 'Usage limit exceeded', hint: 'Wait for your plan limit to reset or raise it.' },
};

const baseRespSchema = z
	.object({
		status_code: z.union([z.number(), z.string()]).optional(),
		status_msg: z.string().nullish(),
	})
	.passthrough();

const taskSchema = z
	.object({
		task_id: z.string().nullish(),
		status: z.string().nullish(),
		file_id: z.union([z.string(), z.number()]).nullish(),
		video_width: z.number().nullish(),
		video_height: z.number().nullish(),
		base_resp: baseRespSchema.nullish(),
	})
	.passthrough();

export function readMiniMaxFailure(response: ProviderResponse): ProviderFailure | undefined {
	const body = (
		response.body && typeof response.body === 'object' ? response.body : {}
	) as IDataObject;
	const parsed = baseRespSchema.safeParse(body.base_resp);
	const code = parsed.success ? Number(parsed.data.status_code ?? 0) : 0;
	if (!code) return undefined;
	const info = MINIMAX_CODES[code];
	const providerText = parsed.success ? (parsed.data.status_msg ?? undefined) : undefined;
	const meaning = info?.meaning ?? `MiniMax error ${code}`;
	return {
		message:
			providerText && providerText.toLowerCase() !== meaning.toLowerCase()
				? `${meaning} (${code}: ${providerText})`
				: `${meaning} (${code})`,
		code,
		transient: info?.transient === true,
		notAccepted: info?.notAccepted === true,
		hint: info?.hint,
	};
}

export function parseMiniMaxTask(body: unknown): TaskState {
	const task = readStatusAnswer(taskSchema, body, miniMaxClient.displayName);
	const raw = task as IDataObject;
	const status = statusOf(task.status);
	if (status === 'succeeded') {
		if (task.file_id === undefined || task.file_id === null || task.file_id === '') {
			return { status: 'failed', error: 'The task finished but named no file', raw };
		}
		return {
			status: 'succeeded',
			outputs: [{ url: '', fileId: String(task.file_id), mimeType: 'video/mp4' }],
			raw,
		};
	}
	if (status === 'failed') {
		const message = task.base_resp?.status_msg;
		return {
			status,
			error: message && message !== 'success' ? message : 'Video generation failed',
			raw,
		};
	}
	// Preparing and Queueing are queued, Processing is running.
	return { status, raw };
}

export const miniMaxClient: ProviderClient = {
	provider: 'miniMax',
	displayName: 'MiniMax',
	credentialType: 'miniMaxApi',
	readFailure: readMiniMaxFailure,
};

export const miniMaxTasks: TaskProtocol = {
	client: miniMaxClient,
	// Videos take 1–5 minutes, longer at peak times.
	timing: { firstCheckMs: 10_000, intervalMs: 10_000, maxWaitMs: 900_000 },
	limits: { createConcurrency: 3, pollConcurrency: 5 },

	parseCreated(response) {
		const body = (response.body ?? {}) as IDataObject;
		if (typeof body.task_id !== 'string' || !body.task_id) {
			throw new ProviderError('MiniMax accepted the request but returned no task_id', 'provider', {
				httpCode: response.statusCode,
			});
		}
		return { taskId: body.task_id };
	},

	getTaskCall(taskId) {
		return { method: 'GET', path: '/v1/query/video_generation', qs: { task_id: taskId } };
	},

	parseTask(response) {
		return parseMiniMaxTask(response.body);
	},

	resolveFile: {
		call: (fileId) => ({ method: 'GET', path: '/v1/files/retrieve', qs: { file_id: fileId } }),
		parse(response, fileId) {
			const file = ((response.body ?? {}) as IDataObject).file as IDataObject | undefined;
			const url = file?.download_url;
			if (typeof url !== 'string' || !url) {
				throw new ProviderError(
					`MiniMax returned no download link for file ${fileId}`,
					'provider',
					{ httpCode: response.statusCode },
				);
			}
			return { url, fileId, mimeType: 'video/mp4' };
		},
	},
};

/**
 * MiniMax checks the URL with a challenge before it accepts the task, then posts status
 * updates shaped like the query answer (Preparing, Queueing, Processing, then Success or Fail).
 * It signs nothing, so the receiving URL carries a token: without one, anyone who learns the URL
 * could start the workflow and make it read tasks with the user's key. The challenge goes to the
 * URL as given, token included, so the token costs the user nothing.
 */
export const miniMaxCallback: CallbackContract = {
	authentication: 'token',
	trustsBody: true,
	progress: true,
	credential: 'optional',
	description: 'Hailuo videos; answers the challenge MiniMax sends first',
	instructions:
		'Paste this node\'s Production URL, followed by ?token= and your Secret Token, into the "Callback URL" of a MiniMax Create Task node. MiniMax checks the URL before it starts the task, so the workflow must be active and n8n reachable (WEBHOOK_URL set to its public address). With the MiniMax credential the video becomes a file.',
	handshake(body) {
		return typeof body.challenge === 'string' && body.status === undefined
			? { challenge: body.challenge }
			: undefined;
	},
	parse(body) {
		const taskId = body.task_id;
		if ((typeof taskId !== 'string' && typeof taskId !== 'number') || taskId === '') {
			throw new ProviderError('The callback names no task_id', 'provider');
		}
		const failure = readMiniMaxFailure({ statusCode: 200, headers: {}, body });
		const state: TaskState = failure
			? { status: 'failed', error: failure.message, raw: body }
			: parseMiniMaxTask(body);
		return { taskId: String(taskId), state, final: isFinal(state) };
	},
};
