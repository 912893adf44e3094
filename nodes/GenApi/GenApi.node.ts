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
import { API, genApiCallback, genApiClient, genApiTasks } from './adapter';
import { genApiProperties } from './description';
import { createGenApiRequest } from './parameters';

const tasks = taskOperations(genApiTasks, createGenApiRequest, { parking: true });

const operations: OperationRegistry = {
	image: tasks,
	network: tasks,
	account: { getBalance: balanceOperation(genApiClient, { method: 'GET', path: `${API}/user` }) },
};

export class GenApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: genApiClient.displayName,
		name: 'genApi',
		icon: { light: 'file:../../icons/genapi.svg', dark: 'file:../../icons/genapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(genApiProperties),
		description:
			'Generate images (z-image) and other media with Gen-API, wait for the result and get the files',
		defaults: { name: genApiClient.displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: genApiClient.credentialType, required: true }],
		// Resumes executions parked in "Provider Callback" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(genApiProperties, genApiClient.displayName),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeProviderNode(this, genApiClient, operations);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeParkedRun(this, genApiTasks, genApiCallback);
	}
}
