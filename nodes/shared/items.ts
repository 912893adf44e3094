import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './errors';
import type { NodeError } from './errors';
import { settle, throwIfCancelled } from './timing';
import { continuesOnFail } from './tool';
import type { ProviderClient } from './types';

/** How a run treats a failed item: who failed, in whose name, and whether the run goes on. */
export interface FailureRule {
	node: INode;
	/** The provider's name in messages. */
	displayName: string;
	/**
	 * Continue On Fail: set by the user, and always on for an AI Agent's tool (a failure is an
	 * answer), a resumed execution and a trigger (neither can be stopped by the node).
	 */
	continueOnFail: boolean;
}

/** The failure rule of a node run: its Continue On Fail setting, or a tool's. */
export function failureRule(ctx: IExecuteFunctions, client: ProviderClient): FailureRule {
	return {
		node: ctx.getNode(),
		displayName: client.displayName,
		continueOnFail: continuesOnFail(ctx),
	};
}

/**
 * The one place that decides what a failed item becomes. Without Continue On Fail the error stops
 * the node (`onStop` may add to its message first); with it, the item's `json` goes on with the
 * provider's message and hint, paired to its input item.
 */
export function failedItem(
	rule: FailureRule,
	error: unknown,
	itemIndex: number,
	json: IDataObject,
	onStop?: (error: NodeError) => void,
): INodeExecutionData {
	const nodeError = toNodeError(rule.node, error, rule.displayName, itemIndex);
	if (!rule.continueOnFail) {
		onStop?.(nodeError);
		throw nodeError;
	}
	const hint = nodeError.description ? { hint: nodeError.description } : {};
	return {
		json: { ...json, error: nodeError.message, ...hint },
		pairedItem: { item: itemIndex },
	};
}

/** What became of one input item: its output items, or the error that ended it. */
export type ItemOutcome =
	| { itemIndex: number; items: INodeExecutionData[] }
	| { itemIndex: number; error: unknown; json: IDataObject };

/** The output items of outcomes, in the order given; failures go through `failedItem`. */
export function emitOutcomes(
	rule: FailureRule,
	outcomes: Iterable<ItemOutcome>,
	onStop?: (error: NodeError, itemIndex: number) => void,
): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		if ('items' in outcome) output.push(...outcome.items);
		else
			output.push(
				failedItem(rule, outcome.error, outcome.itemIndex, outcome.json, (error) =>
					onStop?.(error, outcome.itemIndex),
				),
			);
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
 * whole items) is paired to that item. A failure goes through `failedItem` (`failedJson` plus the
 * message); a stopped execution always ends the loop.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	client: ProviderClient,
	work: (itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]>,
	failedJson: IDataObject = {},
): Promise<INodeExecutionData[]> {
	const rule = failureRule(ctx, client);
	const output: INodeExecutionData[] = [];
	const signal = ctx.getExecutionCancelSignal?.();
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		const outcome = await settle(async () => await work(itemIndex));
		if (outcome.ok) output.push(...pairedItems(ctx, itemIndex, outcome.value));
		else {
			throwIfCancelled(signal);
			output.push(
				failedItem(rule, outcome.error, itemIndex, { provider: client.provider, ...failedJson }),
			);
		}
	}
	return output;
}

/** Output items in input order: those made from tasks, and the error items of refused input. */
export function mergeInOrder(
	made: INodeExecutionData[],
	others: Iterable<INodeExecutionData>,
): INodeExecutionData[] {
	const rest = [...others];
	if (!rest.length) return made;
	const indexOf = (item: INodeExecutionData) =>
		(item.pairedItem as { item: number } | undefined)?.item ?? 0;
	return [...made, ...rest].sort((a, b) => indexOf(a) - indexOf(b));
}
