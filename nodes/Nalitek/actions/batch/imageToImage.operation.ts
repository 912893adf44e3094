import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toNodeError } from '../../../shared/errors';
import type { MultipartPart } from '../../../shared/multipart';
import { readPrompt } from '../../../shared/validation';
import { MAX_BATCH, multipartCall, readGenerationOptions, readInputImage } from '../../adapter';
import { generationOptions, inputBinaryField, promptField } from '../../descriptions';
import { waitOptions } from '../../fields';
import type { BatchPlan } from './common';
import { runBatches } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['batch'], operation: ['imageToImage'] } }, [
	inputBinaryField,
	{ ...promptField, description: 'How each item\'s image should change. Up to 10 items go into one batch.' },
	{
		...generationOptions({ strength: true }),
		description: 'Only the fields you add are sent. They apply to every image of a batch and are read from the first item of each batch.',
	},
	waitOptions,
]);

/** Every input item gives one image and one prompt; items are sent 10 to a batch as multipart. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const prepared: Array<{ itemIndex: number; parts: MultipartPart[] }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const prompt = readPrompt(this, itemIndex);
			const image = await readInputImage(this, itemIndex);
			prepared.push({ itemIndex, parts: [{ field: 'images[]', file: image }, { field: 'prompts[]', value: prompt }] });
		} catch (error) {
			throw toNodeError(this.getNode(), error, 'Nalitek', itemIndex);
		}
	}
	const plans: BatchPlan[] = [];
	for (let start = 0; start < prepared.length; start += MAX_BATCH) {
		const chunk = prepared.slice(start, start + MAX_BATCH);
		const first = chunk[0].itemIndex;
		let shared;
		try {
			shared = readGenerationOptions(this, first, { strength: true });
		} catch (error) {
			throw toNodeError(this.getNode(), error, 'Nalitek', first);
		}
		// Files first, then prompts, in the same order: the n-th prompt belongs to the n-th image.
		const parts: MultipartPart[] = [
			...chunk.map(({ parts: [image] }) => image),
			...chunk.map(({ parts: [, prompt] }) => prompt),
			{ field: 'shared_params', value: JSON.stringify(shared) },
		];
		plans.push({ itemIndexes: chunk.map(({ itemIndex }) => itemIndex), call: multipartCall('/api/batch/img2img', parts) });
	}
	return await runBatches(this, plans);
}
