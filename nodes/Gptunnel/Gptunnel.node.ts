import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { balanceOperation } from '../shared/balance';
import { actionSubtitle } from '../shared/node-description';
import { PARKED_WEBHOOKS } from '../shared/parking';
import { resumeParkedRun } from '../shared/resume';
import { executeProviderNode, taskOperations } from '../shared/router';
import type { OperationRegistry } from '../shared/router';
import { withToolDescriptions } from '../shared/tool';
import { gptunnelClient, gptunnelTasks } from './adapter';
import { gptunnelProperties } from './description';
import { createGptunnelRequest } from './parameters';

const operations: OperationRegistry = {
	media: taskOperations(gptunnelTasks, createGptunnelRequest, { parking: true }),
	account: { getBalance: balanceOperation(gptunnelClient, { method: 'GET', path: '/v1/balance' }) },
};

export class Gptunnel implements INodeType {
	description: INodeTypeDescription = {
		displayName: gptunnelClient.displayName,
		name: 'gptunnel',
		icon: { light: 'file:../../icons/gptunnel.svg', dark: 'file:../../icons/gptunnel.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(gptunnelProperties),
		description:
			'Generate images, videos and music with the GPTunnel media models (Imagen 3, Veo, Sora, Suno …)',
		defaults: { name: gptunnelClient.displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: gptunnelClient.credentialType, required: true }],
		// Resumes executions parked in "Poll in the Background" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(gptunnelProperties, gptunnelClient.displayName),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeProviderNode(this, gptunnelClient, operations);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeParkedRun(this, gptunnelTasks);
	}
}
