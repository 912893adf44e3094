import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { mergeInOrder } from './items';
import { toOutputItems } from './outputs';
import type { TaskSession } from './session';
import type { ItemSettings } from './settings';
import type { TaskResult, TaskState } from './types';

/*
 * The items a parked execution keeps (parking.ts) and what they become when it resumes, for both
 * wait modes that park (resume.ts takes callbacks in, background.ts checks the tasks).
 */

/** The items stored with the waiting execution (its input, as n8n gives it to the webhook). */
export function storedItems(ctx: IWebhookFunctions): INodeExecutionData[] {
	const value = ctx.evaluateExpression('{{ $input.all() }}', 0) as unknown;
	return Array.isArray(value) ? (value as INodeExecutionData[]) : [];
}

/** The tasks still waited for: the stored items a timeout would pass on as "timeout". */
export function pendingTaskIds(stored: INodeExecutionData[]): string[] {
	return stored
		.filter((item) => item.json?.status === 'timeout' && item.json.taskId !== null)
		.map((item) => String(item.json.taskId));
}

/**
 * The items of a parked run when it resumes: what `stored` kept, with every waiting task now
 * final (`states`) and the files downloaded, as Poll mode gives them. Failures are items: a
 * resumed execution cannot be stopped by the node.
 */
export async function finishParked(
	session: TaskSession,
	stored: INodeExecutionData[],
	states: Map<string, TaskState>,
	itemSettings: ItemSettings,
): Promise<INodeExecutionData[]> {
	const results: TaskResult[] = [];
	const kept: INodeExecutionData[] = [];
	const settings = new Map<number, ItemSettings>();
	stored.forEach((item, position) => {
		const paired = item.pairedItem;
		const itemIndex =
			typeof paired === 'number'
				? paired
				: Array.isArray(paired)
					? (paired[0]?.item ?? position)
					: (paired?.item ?? position);
		settings.set(itemIndex, itemSettings);
		const json = item.json ?? {};
		const taskId =
			json.taskId === null || json.taskId === undefined ? undefined : String(json.taskId);
		const state = taskId ? states.get(taskId) : undefined;
		if (json.status === 'timeout' && state) {
			results.push({ itemIndex, taskId, status: state.status, state });
			return;
		}
		const outputs = Array.isArray(json.outputs) ? (json.outputs as IDataObject[]) : [];
		// A file that came inline was kept as binary data when the execution parked.
		if (json.status === 'succeeded' && itemSettings.download && outputs.length && !item.binary) {
			// A file known before the execution parked: fetched now, as Poll mode would have.
			results.push({
				itemIndex,
				taskId,
				status: 'succeeded',
				state: {
					status: 'succeeded',
					outputs: outputs.map((output) => ({
						url: String(output.url ?? ''),
						fileId: output.fileId === undefined ? undefined : String(output.fileId),
					})),
					raw: (json.raw ?? {}) as IDataObject,
				},
			});
			return;
		}
		kept.push({
			json,
			...(item.binary ? { binary: item.binary } : {}),
			pairedItem: { item: itemIndex },
		});
	});
	const rule = {
		node: session.host.node,
		displayName: session.client.displayName,
		continueOnFail: true,
	};
	const made = await toOutputItems(session, results, settings, rule);
	return mergeInOrder(made, kept);
}
