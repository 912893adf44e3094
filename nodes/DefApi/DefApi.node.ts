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
import { executeProviderNode, taskOperations } from '../shared/router';
import type { OperationRegistry } from '../shared/router';
import { withToolDescriptions } from '../shared/tool';
import { defApiCallback, defApiClient, defApiTasks } from './adapter';
import { defApiProperties } from './description';
import { createDefApiRequest } from './parameters';

const operations: OperationRegistry = {
	image: taskOperations(defApiTasks, createDefApiRequest, { parking: true }),
};

export class DefApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: defApiClient.displayName,
		name: 'defApi',
		icon: { light: 'file:../../icons/defapi.svg', dark: 'file:../../icons/defapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(defApiProperties),
		description:
			'Generate and edit images with Nano Banana (GemPix2) and other Gemini image models through DefAPI',
		defaults: { name: defApiClient.displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: defApiClient.credentialType, required: true }],
		// Resumes executions parked in "Provider Callback" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(defApiProperties, defApiClient.displayName),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeProviderNode(this, defApiClient, operations);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeParkedRun(this, defApiTasks, defApiCallback);
	}
}
