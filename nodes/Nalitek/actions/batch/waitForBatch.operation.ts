import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readIdParameter } from '../../../shared/validation';
import { batchIdField, waitOptions } from '../../fields';
import type { BatchPlan } from './common';
import { runBatches } from './common';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['batch'], operation: ['waitForBatch'] } },
	[batchIdField, waitOptions],
);

/**
 * Follows the batches named by the input items. Items that came out of a timed-out batch carry
 * their job id, so each job's file goes back to the item that asked for it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const byBatch = new Map<string, BatchPlan>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const batchId = readIdParameter(this, itemIndex, 'batchId', {
			missing: 'No batch ID: set "Batch ID" or feed items that have a "batchId" field',
		});
		const plan = byBatch.get(batchId) ?? { itemIndexes: [], jobIds: [], batchId };
		plan.itemIndexes.push(itemIndex);
		const jobId = items[itemIndex].json.jobId;
		plan.jobIds!.push(typeof jobId === 'string' ? jobId : '');
		byBatch.set(batchId, plan);
	}
	return await runBatches(this, [...byBatch.values()]);
}
