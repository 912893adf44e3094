import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTaskOperation } from '../../../shared/operations';
import { generateTasks } from '../../adapter';
import { callbackUrl, generationOptions, promptField, webhookEvents } from '../../fields';
import { createGenerateRequest } from '../../parameters';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['createTask'] } },
	[promptField, generationOptions(), callbackUrl, webhookEvents],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeTaskOperation(this, generateTasks, 'createTask', createGenerateRequest);
}
