import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTaskOperation } from '../../../shared/operations';
import { waitModeFields } from '../../../shared/parking';
import { generateTasks } from '../../adapter';
import { generationOptions, promptField, waitOptions } from '../../fields';
import { createGenerateRequest } from '../../parameters';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['generate'] } },
	[promptField, generationOptions(), ...waitModeFields({}, 'Nalitek'), waitOptions],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeTaskOperation(this, generateTasks, 'generate', createGenerateRequest, {
		parking: true,
	});
}
