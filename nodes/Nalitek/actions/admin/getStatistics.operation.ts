import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = [];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(this, { method: 'GET', path: '/api/admin/statistics' });
}
