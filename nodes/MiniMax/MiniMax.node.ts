import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { executeDownloadOperation, routeProviderNode } from '../shared/operations';
import { miniMaxAdapter } from './adapter';
import { miniMaxProperties } from './description';

export class MiniMax implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MiniMax',
		name: 'miniMax',
		icon: { light: 'file:miniMax.svg', dark: 'file:miniMax.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(miniMaxProperties),
		description: 'Make Hailuo videos with MiniMax from text or from an image, and get them as video files',
		defaults: { name: 'MiniMax' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'miniMaxApi', required: true }],
		properties: miniMaxProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeProviderNode(this, miniMaxAdapter, {
			'video.download': async () => await executeDownloadOperation(this, miniMaxAdapter),
		});
	}
}
