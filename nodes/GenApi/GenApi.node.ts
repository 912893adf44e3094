import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { executeSimpleCall, executeTaskOperation } from '../shared/operations';
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
			return [
				await executeSimpleCall(this, genApiAdapter, { method: 'GET', path: `${API}/user` }, (body) => {
					const account = (body.data && typeof body.data === 'object' ? body.data : body) as IDataObject;
					return { balance: account.balance ?? null };
				}),
			];
		}
		if (!TASK_OPERATIONS.includes(operation as TaskOperation)) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return [await executeTaskOperation(this, genApiAdapter, operation as TaskOperation)];
	}
}
