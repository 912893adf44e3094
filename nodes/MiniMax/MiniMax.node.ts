import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { executeNode, withToolDescriptions } from '../shared/tool';
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
		properties: withToolDescriptions(
			miniMaxProperties,
			'MiniMax',
			'usually 1 to 5 minutes, longer at peak times',
		),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNode(
			this,
			'MiniMax',
			async () =>
				await routeProviderNode(this, miniMaxTasks, createMiniMaxRequest, {
					'video.download': async () => await executeDownloadOperation(this, miniMaxTasks),
				}),
		);
	}
}
