import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['admin'], operation: ['getUsers'] } },
	[
		{ displayName: 'Page', name: 'page', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
		{
			displayName: 'Per Page',
			name: 'perPage',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 50,
		},
	],
);

/** One item per user (needs an admin key). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		(itemIndex) => ({
			method: 'GET',
			path: '/api/admin/users',
			qs: {
				page: this.getNodeParameter('page', itemIndex, 1),
				per_page: this.getNodeParameter('perPage', itemIndex, 50),
			},
		}),
		(body) => (Array.isArray(body.users) ? body.users : []) as IDataObject[],
	);
}
