import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = [];

/** One item per API key (their prefixes, never the keys themselves). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		{ method: 'GET', path: '/api/user/api-keys' },
		(body) => (Array.isArray(body.api_keys) ? body.api_keys : []) as IDataObject[],
	);
}
