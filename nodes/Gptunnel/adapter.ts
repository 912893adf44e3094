import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { ProviderError } from '../shared/errors';
import { errorText, isFinal, statusOf, readStatusAnswer } from '../shared/states';
import type {
	MediaOutput,
	ProviderClient,
	ProviderFailure,
	ProviderResponse,
	TaskProtocol,
	TaskState,
} from '../shared/types';

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

const text = (value: unknown) => errorText(value);

/**
 * The media API answers HTTP 200 with `code != 0` when it refuses a request (e.g. `code: 3`
 * with zod-style `issues[]`); other endpoints answer `{ error: { message, type, code } }`.
 */
export function readGptunnelFailure(response: ProviderResponse): ProviderFailure | undefined {
	const body = (
		response.body && typeof response.body === 'object' ? response.body : {}
	) as IDataObject;
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
	const message = [
		text(body.error) ?? text(body.message),
		issues.length ? issues.join('; ') : undefined,
	]
		.filter(Boolean)
		.join(' — ');
	if (!message && !refused) return undefined;
	return {
		message: message || `GPTunnel refused the request (code ${String(code)})`,
		code: refused ? (code as number) : undefined,
	};
}

function readOutputs(task: z.infer<typeof taskSchema>): MediaOutput[] {
	const urls = [task.url, task.urls]
		.flat()
		.filter((url): url is string => typeof url === 'string' && url.trim() !== '');
	return urls.map((url) => ({ url: url.trim() }));
}

export function parseGptunnelTask(body: unknown): TaskState {
	const task = readStatusAnswer(taskSchema, body, gptunnelClient.displayName);
	const raw = task as IDataObject;
	const word = (task.status ?? '').toLowerCase();
	const status = statusOf(word);
	if (status === 'succeeded') {
		const outputs = readOutputs(task);
		if (!outputs.length)
			return { status: 'failed', error: 'The task finished but returned no file', raw };
		return { status: 'succeeded', outputs, raw };
	}
	if (status === 'failed')
		return {
			status,
			error: errorText(task.error, task.message) ?? `The task ended with status "${word}"`,
			raw,
		};
	return { status, raw };
}

export const gptunnelClient: ProviderClient = {
	provider: 'gptunnel',
	displayName: 'GPTunnel',
	credentialType: 'gptunnelApi',
	readFailure: readGptunnelFailure,
};

export const gptunnelTasks: TaskProtocol = {
	client: gptunnelClient,
	// Images take 10–60 s; video and music several minutes, hence the long default wait.
	timing: { firstCheckMs: 5_000, intervalMs: 5_000, maxWaitMs: 600_000 },

	parseCreated(response) {
		const body = (response.body ?? {}) as IDataObject;
		if (typeof body.id !== 'string' || !body.id) {
			throw new ProviderError('GPTunnel accepted the request but returned no task id', 'provider', {
				httpCode: response.statusCode,
			});
		}
		const state = parseGptunnelTask(body);
		return { taskId: body.id, state: isFinal(state) ? state : undefined };
	},

	getTaskCall(taskId) {
		return { method: 'POST', path: '/v1/media/result', body: { task_id: taskId } };
	},

	parseTask(response) {
		return parseGptunnelTask(response.body);
	},
};
