import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import type { TaskOperation } from '../shared/descriptions';
import { TASK_OPERATIONS } from '../shared/descriptions';
import { executeSimpleCall, executeTaskOperation } from '../shared/operations';
import { gptunnelAdapter } from './adapter';
import { gptunnelProperties } from './description';

export class Gptunnel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GPTunnel',
		name: 'gptunnel',
		icon: { light: 'file:gptunnel.svg', dark: 'file:gptunnel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Generate images, videos and music with the GPTunnel media models (Imagen 3, Veo, Sora, Suno …)',
		defaults: { name: 'GPTunnel' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gptunnelApi', required: true }],
		properties: gptunnelProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'account') {
			return [
				await executeSimpleCall(this, gptunnelAdapter, { method: 'GET', path: '/v1/balance' }, (body: IDataObject) => ({
					balance: body.balance ?? null,
				})),
			];
		}
		if (!TASK_OPERATIONS.includes(operation as TaskOperation)) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return [await executeTaskOperation(this, gptunnelAdapter, operation as TaskOperation)];
	}
}
