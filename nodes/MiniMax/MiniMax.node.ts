import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import type { TaskOperation } from '../shared/descriptions';
import { TASK_OPERATIONS } from '../shared/descriptions';
import { executeDownloadOperation, executeTaskOperation } from '../shared/operations';
import { miniMaxAdapter } from './adapter';
import { miniMaxProperties } from './description';

export class MiniMax implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MiniMax',
		name: 'miniMax',
		icon: { light: 'file:miniMax.svg', dark: 'file:miniMax.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Make Hailuo videos with MiniMax from text or from an image, and get them as video files',
		defaults: { name: 'MiniMax' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'miniMaxApi', required: true }],
		properties: miniMaxProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === 'download') return [await executeDownloadOperation(this, miniMaxAdapter)];
		if (!TASK_OPERATIONS.includes(operation as TaskOperation)) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return [await executeTaskOperation(this, miniMaxAdapter, operation as TaskOperation)];
	}
}
