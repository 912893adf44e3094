import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/node-description';
import { PARKED_WEBHOOKS } from '../shared/parking';
import { resumeParkedRun } from '../shared/resume';
import { executeProviderNode } from '../shared/router';
import { withToolDescriptions } from '../shared/tool';
import { operations } from './actions/operations';
import { generateTasks, nalitekCallback, nalitekClient, upscaleTasks } from './adapter';
import { nalitekProperties } from './description';
import { getLoras } from './methods/loadOptions';

export class Nalitek implements INodeType {
	description: INodeTypeDescription = {
		displayName: nalitekClient.displayName,
		name: 'nalitek',
		icon: { light: 'file:../../icons/nalitek.svg', dark: 'file:../../icons/nalitek.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(nalitekProperties),
		description:
			'Generate, transform and upscale images with the Nalitek FLUX API, one by one or in batches',
		defaults: { name: nalitekClient.displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: nalitekClient.credentialType, required: true }],
		// Resumes executions parked in "Provider Callback" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(nalitekProperties, nalitekClient.displayName),
	};

	methods = { loadOptions: { getLoras } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeProviderNode(this, nalitekClient, operations);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const upscale = this.getNodeParameter('operation', '') === 'upscale';
		return await resumeParkedRun(this, upscale ? upscaleTasks : generateTasks, nalitekCallback);
	}
}
