import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { batchIdField } from '../../fields';
import { nalitekCall } from '../call';
import { readBatchId } from './readBatchId';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['batch'], operation: ['cancel'] } },
	[batchIdField],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		(itemIndex) => ({
			method: 'DELETE',
			path: `/api/batch/${encodeURIComponent(readBatchId(this, itemIndex))}`,
		}),
		(body, itemIndex) => ({ batchId: readBatchId(this, itemIndex), ...body }),
	);
}
