import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionSubtitle } from '../../nodes/shared/node-description';
import { executeProviderNode, taskOperations } from '../../nodes/shared/router';
import type { OperationRegistry } from '../../nodes/shared/router';
import { withToolDescriptions } from '../../nodes/shared/tool';
import { toyClient, toyTasks } from './adapter';
import { toyProperties } from './description';
import { createToyRequest } from './parameters';

const operations: OperationRegistry = { image: taskOperations(toyTasks, createToyRequest) };

export class Toy implements INodeType {
	description: INodeTypeDescription = {
		displayName: toyClient.displayName,
		name: 'toy',
		icon: { light: 'file:toy.svg', dark: 'file:toy.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(toyProperties),
		description: 'Draw toy pictures',
		defaults: { name: toyClient.displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: toyClient.credentialType, required: true }],
		properties: withToolDescriptions(toyProperties, toyClient.displayName),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeProviderNode(this, toyClient, operations);
	}
}
