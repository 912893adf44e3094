import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { executeDownloadOperation, routeProviderNode } from '../shared/operations';
import { miniMaxTasks } from './adapter';
import { miniMaxProperties } from './description';
import { createMiniMaxRequest } from './parameters';

export class MiniMax implements INodeType {
	description: INodeTypeDescription = {
		// n8n 2.x has a MiniMax node of its own: the name says which one this is.
		displayName: 'MiniMax Hailuo',
		name: 'miniMax',
		icon: { light: 'file:../../icons/minimax.svg', dark: 'file:../../icons/minimax.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(miniMaxProperties),
		description:
			'Make Hailuo videos with MiniMax from text or from an image, and get them as video files',
		defaults: { name: 'MiniMax Hailuo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'miniMaxApi', required: true }],
		properties: miniMaxProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeProviderNode(this, miniMaxTasks, createMiniMaxRequest, {
			'video.download': async () => await executeDownloadOperation(this, miniMaxTasks),
		});
	}
}
