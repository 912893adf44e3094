import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTaskOperation } from '../../../shared/tasks';
import { imageToImageTasks } from '../../adapter';
import { generationOptions, inputBinaryField, promptField, waitOptions } from '../../fields';
import { createImageToImageRequest } from '../../parameters';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['imageToImage'] } },
	[
		inputBinaryField,
		{
			...promptField,
			description: 'How the image should change',
			placeholder: 'e.g. Turn it into a watercolor painting',
		},
		generationOptions({ strength: true }),
		waitOptions,
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeTaskOperation(
		this,
		imageToImageTasks,
		'createAndWait',
		createImageToImageRequest,
	);
}
