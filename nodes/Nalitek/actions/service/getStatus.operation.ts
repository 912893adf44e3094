import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = [];

/** Service and model status (GET /api/status; needs no key, costs nothing). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(this, { method: 'GET', path: '/api/status' });
}
