import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

const HINTS: Record<number, string> = {
	400: 'The provider refused the parameters. Check the message above and the values you set.',
	401: 'Check the API key in the credential (and the base URL, if you changed it).',
	402: 'The account balance is used up. Top it up in the provider dashboard.',
	403: "The key may not do this, or the plan's quota is used up. Check the key's permissions and your plan.",
	404: 'The provider does not know this task. Check the task ID.',
	422: 'The provider refused the parameters. Check the message above and the values you set.',
	429: 'Too many requests. Send fewer items per run, or raise "Poll Interval".',
	500: 'The provider had a server error. Try again later.',
	502: 'The provider could not be reached through its gateway. Try again later.',
	503: 'The provider is overloaded or down for maintenance. Try again later.',
	504: 'The provider timed out. Try again later.',
};

export type ProviderErrorKind = 'http' | 'provider' | 'network' | 'task' | 'timeout' | 'download';

/**
 * An error met while talking to a provider. It never holds request options, so no API key
 * can leak through it; it becomes a NodeApiError only at the edge of the node.
 */
export class ProviderError extends Error {
	constructor(
		message: string,
		readonly kind: ProviderErrorKind,
		readonly details: {
			httpCode?: number;
			providerCode?: string | number;
			retryAfterMs?: number;
			transient?: boolean;
			/** The provider cannot have accepted the request (refused connection, 429, documented codes). */
			notAccepted?: boolean;
			/** A read answered "no such task" while the task may still be being registered. */
			notFoundYet?: boolean;
			taskId?: string;
			hint?: string;
		} = {},
	) {
		super(message);
		this.name = 'ProviderError';
	}
}

export function hintFor(
	httpCode: number | undefined,
	extra?: Record<number, string>,
): string | undefined {
	if (httpCode === undefined) return undefined;
	return extra?.[httpCode] ?? HINTS[httpCode] ?? (httpCode >= 500 ? HINTS[500] : undefined);
}

/** The errors n8n shows for an item. */
export type NodeError = NodeApiError | NodeOperationError;

/** Turns anything thrown while working on an item into the error n8n shows for that item. */
export function toNodeError(
	node: INode,
	error: unknown,
	displayName: string,
	itemIndex: number,
): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof ProviderError) {
		const { httpCode, providerCode, taskId, hint } = error.details;
		const response: JsonObject = { message: error.message };
		if (httpCode !== undefined) response.httpCode = String(httpCode);
		if (providerCode !== undefined) response.code = String(providerCode);
		if (taskId !== undefined) response.taskId = taskId;
		const description = [hint, taskId ? `Task ID: ${taskId}` : undefined].filter(Boolean).join(' ');
		if (error.kind === 'http' || error.kind === 'provider' || error.kind === 'network') {
			return new NodeApiError(node, response, {
				message: `${displayName}: ${error.message}`,
				description: description || undefined,
				httpCode: httpCode !== undefined ? String(httpCode) : undefined,
				itemIndex,
			});
		}
		return new NodeOperationError(node, `${displayName}: ${error.message}`, {
			description: description || undefined,
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
