import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { ProviderError } from '../shared/errors';
import { readImageInputParameter, readImageInputs } from '../shared/images';
import type { MediaOutput, ProviderFailure, ProviderResponse, TaskAdapter, TaskState } from '../shared/types';
import { readModel, readPrompt } from '../shared/validation';
import { GPTUNNEL_MODELS } from './models';

export const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'];

const taskSchema = z
	.object({
		code: z.union([z.number(), z.string()]).optional(),
		id: z.string().optional(),
		status: z.string().nullish(),
		url: z.union([z.string(), z.array(z.string())]).nullish(),
		urls: z.array(z.string()).nullish(),
		error: z.unknown().optional(),
		message: z.unknown().optional(),
	})
	.passthrough();

const QUEUED = new Set(['idle', 'queued', 'pending', 'waiting']);
const FAILED = new Set(['failed', 'error', 'cancelled', 'canceled']);

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim()) return value.trim();
	if (value && typeof value === 'object' && typeof (value as IDataObject).message === 'string') {
		return ((value as IDataObject).message as string).trim() || undefined;
	}
	return undefined;
}

/**
 * The media API answers HTTP 200 with `code != 0` when it refuses a request (e.g. `code: 3`
 * with zod-style `issues[]`); other endpoints answer `{ error: { message, type, code } }`.
 */
export function readGptunnelFailure(response: ProviderResponse): ProviderFailure | undefined {
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as IDataObject;
	const code = body.code;
	const refused = code !== undefined && code !== null && Number(code) !== 0;
	const isHttpError = response.statusCode < 200 || response.statusCode >= 300;
	if (!refused && !isHttpError) return undefined;
	const issues = Array.isArray(body.issues)
		? (body.issues as IDataObject[])
				.map((issue) => {
					const path = Array.isArray(issue.path) ? issue.path.join('.') : undefined;
					return [path, text(issue.message) ?? text(issue)].filter(Boolean).join(': ');
				})
				.filter(Boolean)
		: [];
	const message = [text(body.error) ?? text(body.message), issues.length ? issues.join('; ') : undefined]
		.filter(Boolean)
		.join(' — ');
	if (!message && !refused) return undefined;
	return { message: message || `GPTunnel refused the request (code ${String(code)})`, code: refused ? (code as number) : undefined };
}

function readOutputs(task: z.infer<typeof taskSchema>): MediaOutput[] {
	const urls = [task.url, task.urls].flat().filter((url): url is string => typeof url === 'string' && url.trim() !== '');
	return urls.map((url) => ({ url: url.trim() }));
}

export function parseGptunnelTask(body: unknown): TaskState {
	const parsed = taskSchema.safeParse(body);
	if (!parsed.success) {
		throw new ProviderError('GPTunnel answered with something that is not a task', 'provider', { transient: true });
	}
	const task = parsed.data;
	const raw = task as IDataObject;
	const status = (task.status ?? '').toLowerCase();
	if (status === 'done' || status === 'success' || status === 'completed') {
		const outputs = readOutputs(task);
		if (!outputs.length) return { status: 'failed', error: 'The task finished but returned no file', raw };
		return { status: 'succeeded', outputs, raw };
	}
	if (FAILED.has(status)) {
		return { status: 'failed', error: text(task.error) ?? text(task.message) ?? `The task ended with status "${status}"`, raw };
	}
	return { status: QUEUED.has(status) ? 'queued' : 'running', raw };
}

export const gptunnelAdapter: TaskAdapter = {
	provider: 'gptunnel',
	displayName: 'GPTunnel',
	credentialType: 'gptunnelApi',
	// Images take 10–60 s; video and music several minutes, hence the long default wait.
	timing: { firstCheckMs: 5_000, intervalMs: 5_000, maxWaitMs: 600_000 },
	limits: { createConcurrency: 5, pollConcurrency: 8 },

	async prepareCreate(ctx, itemIndex) {
		const model = readModel(ctx, itemIndex, GPTUNNEL_MODELS);
		const body: IDataObject = { model, prompt: readPrompt(ctx, itemIndex) };
		const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		if (fields.ar !== undefined && fields.ar !== '') {
			if (!ASPECT_RATIOS.includes(String(fields.ar))) {
				throw new NodeOperationError(ctx.getNode(), `Aspect ratio must be one of ${ASPECT_RATIOS.join(', ')}`, { itemIndex });
			}
			body.ar = fields.ar;
		}
		const references = readImageInputParameter(ctx, itemIndex, 'referenceImages.images');
		const images = await readImageInputs(ctx, itemIndex, references, { label: 'Reference images', maxBytes: 20 * 1024 * 1024 });
		if (images.length) body.images = images;
		return { method: 'POST', path: '/v1/media/create', body };
	},

	parseCreated(response) {
		const body = (response.body ?? {}) as IDataObject;
		if (typeof body.id !== 'string' || !body.id) {
			throw new ProviderError('GPTunnel accepted the request but returned no task id', 'provider', {
				httpCode: response.statusCode,
			});
		}
		const state = parseGptunnelTask(body);
		return { taskId: body.id, state: state.status === 'succeeded' || state.status === 'failed' ? state : undefined };
	},

	getTaskCall(taskId) {
		return { method: 'POST', path: '/v1/media/result', body: { task_id: taskId } };
	},

	parseTask(response) {
		return parseGptunnelTask(response.body);
	},

	readFailure: readGptunnelFailure,
};
