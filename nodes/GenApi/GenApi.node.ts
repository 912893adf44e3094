import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { executeNode, withToolDescriptions } from '../shared/tool';
import { executeSimpleCall, resumeParkedRun, routeProviderNode } from '../shared/operations';
import { PARKED_WEBHOOKS } from '../shared/parking';
import { API, genApiCallback, genApiClient, genApiTasks } from './adapter';
import { genApiProperties } from './description';
import { createGenApiRequest } from './parameters';

export class GenApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gen-API',
		name: 'genApi',
		icon: { light: 'file:../../icons/genapi.svg', dark: 'file:../../icons/genapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(genApiProperties),
		description:
			'Generate images (z-image) and other media with Gen-API, wait for the result and get the files',
		defaults: { name: 'Gen-API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'genApiApi', required: true }],
		// Resumes executions parked in "Provider Callback" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(genApiProperties, 'Gen-API'),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNode(
			this,
			'Gen-API',
			async () =>
				await routeProviderNode(
					this,
					genApiTasks,
					createGenApiRequest,
					{
						'account.getBalance': async () =>
							await executeSimpleCall(
								this,
								genApiClient,
								{ method: 'GET', path: `${API}/user` },
								(body) => {
									const account = (
										body.data && typeof body.data === 'object' ? body.data : body
									) as IDataObject;
									return { balance: account.balance ?? null };
								},
							),
					},
					{ parking: true },
				),
		);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeParkedRun(this, genApiTasks, genApiCallback);
	}
}
