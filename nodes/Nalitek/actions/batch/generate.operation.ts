import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';
import { readPrompt } from '../../../shared/validation';
import { MAX_BATCH, readGenerationOptions } from '../../adapter';
import { generationOptions, promptField } from '../../descriptions';
import { waitOptions } from '../../fields';
import type { BatchPlan } from './common';
import { jobIdFor, runBatches } from './common';

/** How Nalitek runs a batch; sent once per batch, next to the jobs. */
const batchFields: INodeProperties[] = [
	{
		displayName: 'Parallel',
		name: 'parallel',
		type: 'boolean',
		default: false,
		description: 'Whether Nalitek may work on the jobs of a batch at the same time',
	},
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'options',
		options: [
			{ name: 'High', value: 'high' },
			{ name: 'Low', value: 'low' },
			{ name: 'Normal', value: 'normal' },
		],
		default: 'normal',
		description: 'The queue priority of the batch',
	},
];

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['batch'], operation: ['generate'] } }, [
	{ ...promptField, description: 'The prompt of each item. Up to 10 items go into one batch; more items make several batches.' },
	generationOptions({ extra: batchFields }),
	waitOptions,
]);

/** Every input item becomes one job; items are sent 10 to a batch. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const jobs: Array<{ itemIndex: number; job: IDataObject }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const params = readGenerationOptions(this, itemIndex);
			const job: IDataObject = { id: jobIdFor(itemIndex), prompt: readPrompt(this, itemIndex) };
			if (Object.keys(params).length) job.params = params;
			jobs.push({ itemIndex, job });
		} catch (error) {
			// Checked for every item before the first batch is sent.
			throw toNodeError(this.getNode(), error, 'Nalitek', itemIndex);
		}
	}
	const settings = this.getNodeParameter('additionalFields', 0, {}) as IDataObject;
	const plans: BatchPlan[] = [];
	for (let start = 0; start < jobs.length; start += MAX_BATCH) {
		const chunk = jobs.slice(start, start + MAX_BATCH);
		const body: IDataObject = { batch: chunk.map(({ job }) => job) };
		if (typeof settings.parallel === 'boolean') body.parallel = settings.parallel;
		if (settings.priority) body.priority = settings.priority;
		plans.push({
			itemIndexes: chunk.map(({ itemIndex }) => itemIndex),
			jobIds: chunk.map(({ job }) => String(job.id)),
			call: { method: 'POST', path: '/api/batch/generate', body },
		});
	}
	return await runBatches(this, plans);
}
