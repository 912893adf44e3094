import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkHttpUrl, readPrompt } from '../../../shared/validation';
import { MAX_BATCH } from '../../adapter';
import { callbackUrlOption, generationOptions, promptField, waitOptions } from '../../fields';
import { readGenerationOptions } from '../../parameters';
import type { BatchPlan, RejectedItems } from './common';
import { jobIdFor, rejectOrKeep, runBatches } from './common';

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

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['batch'], operation: ['generate'] } },
	[
		{
			...promptField,
			description:
				'The prompt of each item. Up to 10 items go into one batch; more items make several batches.',
		},
		generationOptions({ extra: [...batchFields, callbackUrlOption] }),
		waitOptions,
	],
);

/** Every input item becomes one job; items are sent 10 to a batch. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const jobs: Array<{ itemIndex: number; job: IDataObject }> = [];
	const rejected: RejectedItems = new Map();
	// Every item is checked before the first batch is sent; with Continue On Fail a bad item is an error item.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = rejectOrKeep(this, itemIndex, rejected, () => {
			const params = readGenerationOptions(this, itemIndex);
			const job: IDataObject = { id: jobIdFor(itemIndex), prompt: readPrompt(this, itemIndex) };
			if (Object.keys(params).length) job.params = params;
			return job;
		});
		if (outcome) jobs.push({ itemIndex, job: outcome });
	}
	const plans: BatchPlan[] = [];
	for (let start = 0; start < jobs.length; start += MAX_BATCH) {
		const chunk = jobs.slice(start, start + MAX_BATCH);
		const first = chunk[0].itemIndex;
		const body = rejectOrKeep(
			this,
			chunk.map(({ itemIndex }) => itemIndex),
			rejected,
			() => {
				const settings = this.getNodeParameter('additionalFields', first, {}) as IDataObject;
				const batch: IDataObject = { batch: chunk.map(({ job }) => job) };
				if (typeof settings.parallel === 'boolean') batch.parallel = settings.parallel;
				if (settings.priority) batch.priority = settings.priority;
				if (settings.callbackUrl)
					batch.webhook_url = checkHttpUrl(
						this.getNode(),
						first,
						'Callback URL',
						String(settings.callbackUrl).trim(),
					);
				return batch;
			},
		);
		if (!body) continue;
		plans.push({
			itemIndexes: chunk.map(({ itemIndex }) => itemIndex),
			jobIds: chunk.map(({ job }) => String(job.id)),
			call: { method: 'POST', path: '/api/batch/generate', body },
		});
	}
	return await runBatches(this, plans, rejected);
}
