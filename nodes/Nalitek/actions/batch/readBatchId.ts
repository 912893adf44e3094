import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

export function readBatchId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('batchId', itemIndex, '') as unknown;
	const batchId = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^[\w-]+$/.test(batchId)) {
		throw new NodeOperationError(ctx.getNode(), batchId ? `"${batchId}" is not a batch ID` : 'No batch ID: set "Batch ID" or feed items that have a "batchId" field', { itemIndex });
	}
	return batchId;
}
