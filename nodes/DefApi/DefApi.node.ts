import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { routeProviderNode } from '../shared/operations';
import { defApiAdapter } from './adapter';
import { defApiProperties } from './description';

export class DefApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DefAPI',
		name: 'defApi',
		icon: { light: 'file:defApi.svg', dark: 'file:defApi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(defApiProperties),
		description: 'Generate and edit images with Nano Banana (GemPix2) and other Gemini image models through DefAPI',
		defaults: { name: 'DefAPI' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'defApiApi', required: true }],
		properties: defApiProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeProviderNode(this, defApiAdapter);
	}
}
