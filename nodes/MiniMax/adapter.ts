import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { ProviderError } from '../shared/errors';
import { readImageInputParameter, readImageInputs } from '../shared/images';
import type { ProviderFailure, ProviderResponse, TaskAdapter, TaskState } from '../shared/types';
import { readCallbackUrl, readModel } from '../shared/validation';
import { MINIMAX_MODELS } from './models';

export const MAX_PROMPT_LENGTH = 2000;
export const DURATIONS = [6, 10];
export const RESOLUTIONS = ['512P', '768P', '1080P'];
const FRAME_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** Frames must be smaller than 20 MB. */
const MAX_FRAME_BYTES = 20 * 1024 * 1024 - 1;

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
	1002: { meaning: 'Rate limit reached', hint: 'Send fewer items per run or raise "Poll Interval".', transient: true, notAccepted: true },
	1004: { meaning: 'Not authorized', hint: REGION_HINT },
	1008: { meaning: 'Insufficient balance', hint: 'Top up your MiniMax account.' },
	1024: { meaning: 'Internal error at MiniMax', transient: true },
	1026: { meaning: 'The input contains sensitive content', hint: 'Change the prompt or the frame image.' },
	1027: { meaning: 'The generated video was flagged as sensitive', hint: 'Change the prompt or the frame image.' },
	1033: { meaning: 'System error at MiniMax', transient: true },
	1041: { meaning: 'Connection limit reached', hint: 'Send fewer items at once.', transient: true, notAccepted: true },
	2013: { meaning: 'Invalid parameters', hint: 'Check the model, duration, resolution and images; for a callback URL, the receiver must answer the challenge.' },
	2038: { meaning: 'Real-name verification is required for this account', hint: 'Complete the verification in the MiniMax dashboard.' },
	2045: { meaning: 'Request rate is growing too fast', hint: 'Send fewer items per run.', transient: true, notAccepted: true },
	2049: { meaning: 'Invalid API key', hint: REGION_HINT },
	2056: { meaning: 'Usage limit exceeded', hint: 'Wait for your plan limit to reset or raise it.' },
};

const baseRespSchema = z.object({ status_code: z.union([z.number(), z.string()]).optional(), status_msg: z.string().nullish() }).passthrough();

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
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as IDataObject;
	const parsed = baseRespSchema.safeParse(body.base_resp);
	const code = parsed.success ? Number(parsed.data.status_code ?? 0) : 0;
	if (!code) return undefined;
	const info = MINIMAX_CODES[code];
	const providerText = parsed.success ? parsed.data.status_msg ?? undefined : undefined;
	const meaning = info?.meaning ?? `MiniMax error ${code}`;
	return {
		message: providerText && providerText.toLowerCase() !== meaning.toLowerCase() ? `${meaning} (${code}: ${providerText})` : `${meaning} (${code})`,
		code,
		transient: info?.transient === true,
		notAccepted: info?.notAccepted === true,
		hint: info?.hint,
	};
}

export function parseMiniMaxTask(body: unknown): TaskState {
	const parsed = taskSchema.safeParse(body);
	if (!parsed.success) {
		throw new ProviderError('MiniMax answered with something that is not a task', 'provider', { transient: true });
	}
	const task = parsed.data;
	const raw = task as IDataObject;
	const status = (task.status ?? '').toLowerCase();
	if (status === 'success') {
		if (task.file_id === undefined || task.file_id === null || task.file_id === '') {
			return { status: 'failed', error: 'The task finished but named no file', raw };
		}
		return { status: 'succeeded', outputs: [{ url: '', fileId: String(task.file_id), mimeType: 'video/mp4' }], raw };
	}
	if (status === 'fail' || status === 'failed') {
		const message = task.base_resp?.status_msg;
		return { status: 'failed', error: message && message !== 'success' ? message : 'Video generation failed', raw };
	}
	return { status: status === 'processing' ? 'running' : 'queued', raw };
}

async function readFrame(ctx: IExecuteFunctions, itemIndex: number, which: 'firstFrame' | 'lastFrame'): Promise<string | undefined> {
	const entries = readImageInputParameter(ctx, itemIndex, `frames.${which}`);
	if (!entries.length) return undefined;
	const label = which === 'firstFrame' ? 'First frame' : 'Last frame';
	const [image] = await readImageInputs(ctx, itemIndex, entries, { label, max: 1, mimeTypes: FRAME_TYPES, maxBytes: MAX_FRAME_BYTES });
	return image;
}

export const miniMaxAdapter: TaskAdapter = {
	provider: 'miniMax',
	displayName: 'MiniMax',
	credentialType: 'miniMaxApi',
	// Videos take 1–5 minutes, longer at peak times.
	timing: { firstCheckMs: 10_000, intervalMs: 10_000, maxWaitMs: 900_000 },
	limits: { createConcurrency: 3, pollConcurrency: 5 },

	async prepareCreate(ctx, itemIndex) {
		const node = ctx.getNode();
		const model = readModel(ctx, itemIndex, MINIMAX_MODELS);
		const prompt = String(ctx.getNodeParameter('prompt', itemIndex, '') ?? '').trim();
		if (prompt.length > MAX_PROMPT_LENGTH) {
			throw new NodeOperationError(node, `The prompt has ${prompt.length} characters; MiniMax takes at most ${MAX_PROMPT_LENGTH}`, { itemIndex });
		}
		const firstFrame = await readFrame(ctx, itemIndex, 'firstFrame');
		const lastFrame = await readFrame(ctx, itemIndex, 'lastFrame');
		if (!prompt && !firstFrame) {
			throw new NodeOperationError(node, '"Prompt" is empty: enter a prompt, or give a first frame to animate', { itemIndex });
		}
		const body: IDataObject = { model };
		if (prompt) body.prompt = prompt;
		if (firstFrame) body.first_frame_image = firstFrame;
		if (lastFrame) body.last_frame_image = lastFrame;
		const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		if (fields.duration !== undefined && fields.duration !== '') {
			if (!DURATIONS.includes(Number(fields.duration))) {
				throw new NodeOperationError(node, `Duration must be ${DURATIONS.join(' or ')} seconds`, { itemIndex });
			}
			body.duration = Number(fields.duration);
		}
		if (fields.resolution !== undefined && fields.resolution !== '') {
			if (!RESOLUTIONS.includes(String(fields.resolution))) {
				throw new NodeOperationError(node, `Resolution must be one of ${RESOLUTIONS.join(', ')}`, { itemIndex });
			}
			body.resolution = fields.resolution;
		}
		if (typeof fields.promptOptimizer === 'boolean') body.prompt_optimizer = fields.promptOptimizer;
		const callbackUrl = readCallbackUrl(ctx, itemIndex);
		if (callbackUrl) body.callback_url = callbackUrl;
		return { method: 'POST', path: '/v1/video_generation', body };
	},

	parseCreated(response) {
		const body = (response.body ?? {}) as IDataObject;
		if (typeof body.task_id !== 'string' || !body.task_id) {
			throw new ProviderError('MiniMax accepted the request but returned no task_id', 'provider', { httpCode: response.statusCode });
		}
		return { taskId: body.task_id };
	},

	getTaskCall(taskId) {
		return { method: 'GET', path: '/v1/query/video_generation', qs: { task_id: taskId } };
	},

	parseTask(response) {
		return parseMiniMaxTask(response.body);
	},

	readFailure: readMiniMaxFailure,

	// MiniMax checks the URL with a challenge before it accepts the task, then posts status
	// updates shaped like the query answer (Preparing, Queueing, Processing, then Success or Fail).
	callback: {
		authentication: 'optionalToken',
		trustsBody: true,
		progress: true,
		credential: 'optional',
		description: 'Hailuo videos; answers the challenge MiniMax sends first',
		instructions:
			'Paste this node\'s Production URL (with ?token= and your Secret Token, if you set one) into the "Callback URL" of a MiniMax Create Task node. MiniMax checks the URL before it starts the task, so the workflow must be active and n8n reachable (WEBHOOK_URL set to its public address). With the MiniMax credential the video becomes a file.',
		handshake(body) {
			return typeof body.challenge === 'string' && body.status === undefined ? { challenge: body.challenge } : undefined;
		},
		parse(body) {
			const taskId = body.task_id;
			if ((typeof taskId !== 'string' && typeof taskId !== 'number') || taskId === '') {
				throw new ProviderError('The callback names no task_id', 'provider');
			}
			const failure = readMiniMaxFailure({ statusCode: 200, headers: {}, body });
			const state: TaskState = failure ? { status: 'failed', error: failure.message, raw: body } : parseMiniMaxTask(body);
			return { taskId: String(taskId), state, final: state.status === 'succeeded' || state.status === 'failed' };
		},
	},

	resolveFile: {
		call: (fileId) => ({ method: 'GET', path: '/v1/files/retrieve', qs: { file_id: fileId } }),
		parse(response, fileId) {
			const file = ((response.body ?? {}) as IDataObject).file as IDataObject | undefined;
			const url = file?.download_url;
			if (typeof url !== 'string' || !url) {
				throw new ProviderError(`MiniMax returned no download link for file ${fileId}`, 'provider', { httpCode: response.statusCode });
			}
			return { url, fileId, mimeType: 'video/mp4' };
		},
	},
};
