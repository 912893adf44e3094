import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTaskOperation } from '../../../shared/operations';
import { generateAdapter } from '../../adapter';
import { generationOptions, promptField } from '../../descriptions';
import { callbackUrl, webhookEvents } from '../../fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['createTask'] } }, [
	promptField,
	generationOptions(),
	callbackUrl,
	webhookEvents,
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeTaskOperation(this, generateAdapter, 'createTask');
}
