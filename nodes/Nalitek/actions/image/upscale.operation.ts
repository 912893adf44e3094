import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTaskOperation } from '../../../shared/tasks';
import { waitModeFields } from '../../../shared/parking';
import { nalitekClient, upscaleTasks } from '../../adapter';
import { callbackUrlOption, imageIdField, waitOptions } from '../../fields';
import { createUpscaleRequest } from '../../parameters';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['upscale'] } },
	[
		imageIdField,
		{
			displayName: 'Scale',
			name: 'scale',
			type: 'options',
			options: [
				{ name: '2×', value: 2 },
				{ name: '4×', value: 4 },
			],
			default: 2,
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			description: 'Only the fields you add are sent; Nalitek uses its defaults for the rest',
			default: {},
			options: [
				callbackUrlOption,
				{
					displayName: 'Denoise',
					name: 'denoise',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
					default: 0.5,
					description: 'How much noise to remove (0–1); lower keeps more fine detail',
				},
				{
					displayName: 'Face Enhance',
					name: 'faceEnhance',
					type: 'boolean',
					default: false,
					description: 'Whether to improve faces (GFPGAN), for portraits',
				},
			],
		},
		...waitModeFields({}, nalitekClient.displayName),
		waitOptions,
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeTaskOperation(this, upscaleTasks, 'createAndWait', createUpscaleRequest, {
		parking: true,
	});
}
