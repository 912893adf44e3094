import type { IExecuteFunctions } from 'n8n-workflow';

import { readIdParameter } from '../../../shared/validation';

export function readBatchId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdParameter(ctx, itemIndex, 'batchId', {
		missing: 'No batch ID: set "Batch ID" or feed items that have a "batchId" field',
		invalid: (batchId) => `"${batchId}" is not a batch ID`,
	});
}
