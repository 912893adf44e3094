import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { TaskSession } from '../shared/engine';
import { toNodeError } from '../shared/errors';
import { checkResponse, sendToProvider } from '../shared/http';
import { executeTaskOperation } from '../shared/operations';
import type { TaskOperation } from '../shared/descriptions';
import { TASK_OPERATIONS } from '../shared/descriptions';
import { API, genApiAdapter } from './adapter';
import { genApiProperties } from './description';

export class GenApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gen-API',
		name: 'genApi',
		icon: { light: 'file:genApi.svg', dark: 'file:genApi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Generate images (z-image) and other media with Gen-API, wait for the result and get the files',
		defaults: { name: 'Gen-API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'genApiApi', required: true }],
		properties: genApiProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;

		if (resource === 'account') {
			return [await getBalance(this)];
		}
		if (!TASK_OPERATIONS.includes(operation as TaskOperation)) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return [await executeTaskOperation(this, genApiAdapter, operation as TaskOperation)];
	}
}

/** One account read per input item (usually one), with the balance at the top of the item. */
async function getBalance(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const session = new TaskSession(ctx, genApiAdapter);
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const response = checkResponse(
				genApiAdapter,
				await sendToProvider(ctx, genApiAdapter, { method: 'GET', path: `${API}/user` }, session.signal),
				'call',
			);
			const body = (response.body && typeof response.body === 'object' ? response.body : {}) as IDataObject;
			const account = (body.data && typeof body.data === 'object' ? body.data : body) as IDataObject;
			output.push({ json: { provider: genApiAdapter.provider, balance: account.balance ?? null, raw: body }, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), error, genApiAdapter.displayName, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
