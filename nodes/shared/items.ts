import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './errors';
import type { NodeError } from './errors';
import { settle, throwIfCancelled } from './timing';
import { continuesOnFail } from './tool';
import type { ProviderClient } from './types';

/** What became of one input item: its output items, or the error that ended it. */
export type ItemOutcome =
	| { itemIndex: number; items: INodeExecutionData[] }
	| { itemIndex: number; error: unknown; json: IDataObject };

/**
 * The one place where an item's failure is decided: without Continue On Fail it stops the node
 * (with `onStop` adding to the message first); with it, the item's `json` goes on with the
 * provider's message and hint, paired to its input item. Outcomes are emitted in the order given.
 * A resumed execution cannot be stopped by the node: it passes `continueOnFail` true.
 */
export function emitOutcomes(
	ctx: IExecuteFunctions,
	client: ProviderClient,
	outcomes: Iterable<ItemOutcome>,
	onStop?: (error: NodeError, itemIndex: number) => void,
	continueOnFail = continuesOnFail(ctx),
): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		if ('items' in outcome) {
			output.push(...outcome.items);
			continue;
		}
		const nodeError = toNodeError(
			ctx.getNode(),
			outcome.error,
			client.displayName,
			outcome.itemIndex,
		);
		if (!continueOnFail) {
			onStop?.(nodeError, outcome.itemIndex);
			throw nodeError;
		}
		const hint = nodeError.description ? { hint: nodeError.description } : {};
		output.push({
			json: { ...outcome.json, error: nodeError.message, ...hint },
			pairedItem: { item: outcome.itemIndex },
		});
	}
	return output;
}

/** Output items from what an operation made for one input item, paired to it as n8n does. */
export function pairedItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	made: IDataObject | IDataObject[] | INodeExecutionData[],
): INodeExecutionData[] {
	const list = Array.isArray(made) ? made : [made];
	const items = list.map((entry) => (isItem(entry) ? entry : { json: entry as IDataObject }));
	return ctx.helpers.constructExecutionMetaData(items, { itemData: { item: itemIndex } });
}

const isItem = (entry: unknown): entry is INodeExecutionData =>
	!!entry &&
	typeof entry === 'object' &&
	'json' in entry &&
	typeof (entry as INodeExecutionData).json === 'object';

/**
 * n8n's per-item loop: `work` runs for each input item in turn; what it returns (JSON objects or
 * whole items) is paired to that item. A failure stops the node, or with Continue On Fail becomes
 * an error item (`failedJson` plus the message); a stopped execution always ends the loop.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	client: ProviderClient,
	work: (itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]>,
	failedJson: IDataObject = {},
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const signal = ctx.getExecutionCancelSignal?.();
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const outcome = await settle(async () => await work(itemIndex));
		if (!outcome.ok) throwIfCancelled(signal);
		const item: ItemOutcome = outcome.ok
			? { itemIndex, items: pairedItems(ctx, itemIndex, outcome.value) }
			: { itemIndex, error: outcome.error, json: { provider: client.provider, ...failedJson } };
		output.push(...emitOutcomes(ctx, client, [item]));
	}
	return output;
}
