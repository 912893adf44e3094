import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = [];

/** One item per LoRA model of GET /api/loras. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(this, { method: 'GET', path: '/api/loras' }, (body) => {
		const loras = (
			Array.isArray(body.loras)
				? body.loras
				: Array.isArray((body.data as IDataObject)?.loras)
					? (body.data as IDataObject).loras
					: []
		) as IDataObject[];
		return loras;
	});
}
