import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { imageIdField } from '../../fields';
import { readImageIdParameter } from '../../parameters';
import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['get'] } },
	[imageIdField],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		(itemIndex) => ({
			method: 'GET',
			path: `/api/images/${encodeURIComponent(readImageIdParameter(this, itemIndex))}`,
		}),
		(body, itemIndex) => ({ imageId: readImageIdParameter(this, itemIndex), ...body }),
	);
}
