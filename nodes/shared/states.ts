import type { IDataObject } from 'n8n-workflow';

import { ProviderError } from './errors';
import type { TaskState, TaskStatus } from './types';

/** The words providers use for a task that ended well. */
const SUCCEEDED = new Set(['success', 'succeeded', 'completed', 'complete', 'done']);
/** … for a task that ended badly. */
const FAILED = new Set(['fail', 'failed', 'error', 'cancelled', 'canceled']);
/** … for a task that has not started yet. */
const QUEUED = new Set([
	'queued',
	'queueing',
	'pending',
	'waiting',
	'starting',
	'preparing',
	'submitted',
	'idle',
	'in_queue',
]);

/**
 * A provider's status word as the node's status. A word no provider documents is read as
 * "still working": providers add statuses without notice, and the task's Max Wait still applies.
 */
export function statusOf(word: unknown): Exclude<TaskStatus, 'timeout'> {
	const status = String(word ?? '')
		.trim()
		.toLowerCase();
	if (SUCCEEDED.has(status)) return 'succeeded';
	if (FAILED.has(status)) return 'failed';
	return QUEUED.has(status) ? 'queued' : 'running';
}

/** Whether a task has ended, well or badly. */
export const isFinal = (state: Pick<TaskState, 'status'> | undefined): state is TaskState =>
	state?.status === 'succeeded' || state?.status === 'failed';

/** The first readable message among `values`: a non-empty string, or an object's `message`. */
export function errorText(...values: unknown[]): string | undefined {
	for (const value of values) {
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (value && typeof value === 'object') {
			const message = (value as IDataObject).message;
			if (typeof message === 'string' && message.trim()) return message.trim();
		}
	}
	return undefined;
}

/**
 * A status answer read by its schema. One that does not fit is a broken answer, read again like
 * a 5xx: `what` says what was expected ("a task", "an image status").
 */
export function readStatusAnswer<T>(
	schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
	body: unknown,
	displayName: string,
	what = 'a task',
): T {
	const parsed = schema.safeParse(body);
	if (!parsed.success)
		throw new ProviderError(
			`${displayName} answered with something that is not ${what}`,
			'provider',
			{
				transient: true,
			},
		);
	return parsed.data;
}
