import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { executeDownloadOperation } from '../shared/calls';
import { actionSubtitle } from '../shared/node-description';
import { PARKED_WEBHOOKS } from '../shared/parking';
import { resumeParkedRun } from '../shared/resume';
import { executeProviderNode, taskOperations } from '../shared/router';
import type { OperationRegistry } from '../shared/router';
import { withToolDescriptions } from '../shared/tool';
import { miniMaxClient, miniMaxTasks } from './adapter';
import { miniMaxProperties } from './description';
import { createMiniMaxRequest } from './parameters';

const operations: OperationRegistry = {
	video: {
		...taskOperations(miniMaxTasks, createMiniMaxRequest, { parking: true }),
		download: {
			async execute() {
				return await executeDownloadOperation(this, miniMaxTasks);
			},
		},
	},
};

export class MiniMax implements INodeType {
	description: INodeTypeDescription = {
		// n8n 2.x has a MiniMax node of its own: the name says which one this is.
		displayName: 'MiniMax Hailuo',
		name: 'miniMax',
		icon: { light: 'file:../../icons/minimax.svg', dark: 'file:../../icons/minimax.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(miniMaxProperties),
		description:
			'Make Hailuo videos with MiniMax from text or from an image, and get them as video files',
		defaults: { name: 'MiniMax Hailuo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: miniMaxClient.credentialType, required: true }],
		// Resumes executions parked in "Poll in the Background" wait mode; never a workflow webhook.
		webhooks: PARKED_WEBHOOKS,
		properties: withToolDescriptions(
			miniMaxProperties,
			miniMaxClient.displayName,
			'usually 1 to 5 minutes, longer at peak times',
		),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeProviderNode(this, miniMaxClient, operations);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeParkedRun(this, miniMaxTasks);
	}
}
