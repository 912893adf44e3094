import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = [];

/** Usage and the remaining daily quota (GET /api/user/stats). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(this, { method: 'GET', path: '/api/user/stats' });
}
