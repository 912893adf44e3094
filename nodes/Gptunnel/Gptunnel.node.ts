import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { executeNode, withToolDescriptions } from '../shared/tool';
import { executeSimpleCall, routeProviderNode } from '../shared/operations';
import { gptunnelClient, gptunnelTasks } from './adapter';
import { gptunnelProperties } from './description';
import { createGptunnelRequest } from './parameters';

export class Gptunnel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GPTunnel',
		name: 'gptunnel',
		icon: { light: 'file:../../icons/gptunnel.svg', dark: 'file:../../icons/gptunnel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(gptunnelProperties),
		description:
			'Generate images, videos and music with the GPTunnel media models (Imagen 3, Veo, Sora, Suno …)',
		defaults: { name: 'GPTunnel' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gptunnelApi', required: true }],
		properties: withToolDescriptions(gptunnelProperties, 'GPTunnel'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNode(
			this,
			'GPTunnel',
			async () =>
				await routeProviderNode(this, gptunnelTasks, createGptunnelRequest, {
					'account.getBalance': async () =>
						await executeSimpleCall(
							this,
							gptunnelClient,
							{ method: 'GET', path: '/v1/balance' },
							(body: IDataObject) => ({
								balance: body.balance ?? null,
							}),
						),
				}),
		);
	}
}
