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
import { resumeParkedRun, routeProviderNode } from '../shared/operations';
import { PARKED_WEBHOOKS } from '../shared/parking';
import { defApiCallback, defApiTasks } from './adapter';
import { defApiProperties } from './description';
import { createDefApiRequest } from './parameters';

export class DefApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DefAPI',
		name: 'defApi',
		icon: { light: 'file:../../icons/defapi.svg', dark: 'file:../../icons/defapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(defApiProperties),
		description:
			'Generate and edit images with Nano Banana (GemPix2) and other Gemini image models through DefAPI',
		defaults: { name: 'DefAPI' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'defApiApi', required: true }],
		// Resumes executions parked in "Provider Callback" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(defApiProperties, 'DefAPI'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNode(
			this,
			'DefAPI',
			async () =>
				await routeProviderNode(this, defApiTasks, createDefApiRequest, {}, { parking: true }),
		);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeParkedRun(this, defApiTasks, defApiCallback);
	}
}
