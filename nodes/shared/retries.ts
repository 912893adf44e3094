import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ProviderCall, TaskResult } from './types';

/** Where a node run keeps the tasks it created, in n8n's per-execution node context. */
const CONTEXT_KEY = 'genmediaCreatedTasks';

interface Remembered {
	fingerprint: string;
	taskId: string;
	status: string;
}

/**
 * The same request, whatever multipart boundary it was given: method, path, query and body.
 */
export function fingerprint(call: ProviderCall): string {
	const hash = createHash('sha256').update(
		`${call.method} ${call.path} ${JSON.stringify(call.qs ?? {})}\n`,
	);
	if (Buffer.isBuffer(call.body)) {
		const boundary = /boundary=([^;]+)/.exec(String(call.headers?.['Content-Type'] ?? ''))?.[1];
		hash.update(boundary ? call.body.toString('latin1').split(boundary).join('') : call.body);
	} else {
		hash.update(JSON.stringify(call.body ?? null));
	}
	return hash.digest('hex');
}

/**
 * With n8n's "Retry On Fail", a failed run of the node is run again inside the same execution.
 * The tasks the failed run created are remembered (in the execution's node context, which lives
 * as long as the execution), so that a retry follows them instead of creating — and paying for —
 * them again. Only tasks that did not fail are reused; a run that ends without a failed item
 * forgets them, so a later run of the node (a loop) creates its own.
 */
export class RetryMemory {
	private constructor(private readonly store: IDataObject) {}

	/** Undefined when the node is not retried or n8n offers no node context. */
	static of(ctx: IExecuteFunctions): RetryMemory | undefined {
		if (ctx.getNode().retryOnFail !== true || typeof ctx.getContext !== 'function')
			return undefined;
		const context = ctx.getContext('node');
		context[CONTEXT_KEY] ??= {};
		return new RetryMemory(context[CONTEXT_KEY] as IDataObject);
	}

	/** The task an earlier try created for this item and request, when it is still worth following. */
	taskFor(itemIndex: number, call: ProviderCall): string | undefined {
		const known = this.store[itemIndex] as unknown as Remembered | undefined;
		if (!known || known.fingerprint !== fingerprint(call) || known.status === 'failed')
			return undefined;
		return known.taskId;
	}

	remember(itemIndex: number, call: ProviderCall, result: TaskResult): void {
		if (!result.taskId) return;
		const entry: Remembered = {
			fingerprint: fingerprint(call),
			taskId: result.taskId,
			status: result.error ? 'failed' : result.status,
		};
		this.store[itemIndex] = entry as unknown as IDataObject;
	}

	forget(): void {
		for (const key of Object.keys(this.store)) delete this.store[key];
	}
}
