import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { executeNode, withToolDescriptions } from '../shared/tool';
import { resumeParkedRun } from '../shared/operations';
import { PARKED_WEBHOOKS } from '../shared/parking';
import { generateTasks, nalitekCallback, upscaleTasks } from './adapter';
import { router } from './actions/router';
import { nalitekProperties } from './description';
import { getLoras } from './methods/loadOptions';

export class Nalitek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nalitek',
		name: 'nalitek',
		icon: { light: 'file:../../icons/nalitek.svg', dark: 'file:../../icons/nalitek.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(nalitekProperties),
		description:
			'Generate, transform and upscale images with the Nalitek FLUX API, one by one or in batches',
		defaults: { name: 'Nalitek' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nalitekApi', required: true }],
		// Resumes executions parked in "Provider Callback" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(nalitekProperties, 'Nalitek'),
	};

	methods = { loadOptions: { getLoras } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNode(this, 'Nalitek', async () => await router.call(this));
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const upscale = this.getNodeParameter('operation', '') === 'upscale';
		return await resumeParkedRun(this, upscale ? upscaleTasks : generateTasks, nalitekCallback);
	}
}
