import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { hostOf } from './host';
import { checkResponse } from './http';
import { forEachItem } from './items';
import { compactRaw, toFileItem } from './outputs';
import { ProviderSession, TaskSession } from './session';
import { readSettings } from './settings';
import type { ProviderCall, ProviderClient, TaskProtocol } from './types';
import { readIdParameter } from './validation';

/**
 * A plain call per input item (account balance, model lists …), with the same error handling as
 * the task operations: provider message and hint, Continue On Fail, pairing. `toJson` turns the
 * answer into the item's JSON (or several items' JSON); `raw` keeps the answer, shortened.
 */
export async function executeSimpleCall(
	ctx: IExecuteFunctions,
	client: ProviderClient,
	call: ProviderCall | ((itemIndex: number) => ProviderCall | Promise<ProviderCall>),
	toJson: (body: IDataObject, itemIndex: number) => IDataObject | IDataObject[],
	{ withRaw = true }: { withRaw?: boolean } = {},
): Promise<INodeExecutionData[]> {
	const session = new ProviderSession(hostOf(ctx), client);
	return await forEachItem(ctx, client, async (itemIndex) => {
		const request = typeof call === 'function' ? await call(itemIndex) : call;
		const body = checkResponse(client, await session.send(request), 'call').body;
		const json = (
			body && typeof body === 'object' && !Array.isArray(body) ? body : { value: body ?? null }
		) as IDataObject;
		const results = toJson(json, itemIndex);
		if (Array.isArray(results))
			return results.map((result) => ({ provider: client.provider, ...result }));
		return withRaw
			? { provider: client.provider, ...results, raw: compactRaw(json) }
			: { provider: client.provider, ...results };
	});
}

/**
 * "Download": the file behind a provider's file id (from an earlier item) as binary data,
 * one item per input item.
 */
export async function executeDownloadOperation(
	ctx: IExecuteFunctions,
	tasks: TaskProtocol,
): Promise<INodeExecutionData[]> {
	const session = new TaskSession(hostOf(ctx), tasks);
	const { provider } = tasks.client;
	return await forEachItem(
		ctx,
		tasks.client,
		async (itemIndex) => {
			const fileId = readIdParameter(ctx, itemIndex, 'fileId', {
				missing: 'No file ID: set "File ID" or feed items that have a "fileId" field',
			});
			const settings = readSettings(ctx, tasks, itemIndex);
			const json: IDataObject = { provider, fileId, status: 'succeeded' };
			const output = await session.resolveOutput({ url: '', fileId });
			return [
				await toFileItem(
					session,
					output,
					`${provider}-${fileId}`,
					{ ...settings, download: true },
					json,
					{ item: itemIndex },
				),
			];
		},
		{ status: 'failed' },
	);
}
