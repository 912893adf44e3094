import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { MultipartPart } from '../../../shared/multipart';
import { checkHttpUrl, readPrompt } from '../../../shared/validation';
import { MAX_BATCH } from '../../adapter';
import {
	callbackUrlOption,
	generationOptions,
	inputBinaryField,
	promptField,
	waitOptions,
} from '../../fields';
import { multipartCall, readGenerationOptions, readInputImage } from '../../parameters';
import type { BatchPlan, RejectedItems } from './common';
import { rejectOrKeep, rejectOrKeepAsync, runBatches } from './common';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['batch'], operation: ['imageToImage'] } },
	[
		inputBinaryField,
		{
			...promptField,
			description: "How each item's image should change. Up to 10 items go into one batch.",
		},
		{
			...generationOptions({ strength: true, extra: [callbackUrlOption] }),
			description:
				'Only the fields you add are sent. They apply to every image of a batch and are read from the first item of each batch.',
		},
		waitOptions,
	],
);

/** Every input item gives one image and one prompt; items are sent 10 to a batch as multipart. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const prepared: Array<{ itemIndex: number; image: MultipartPart; prompt: MultipartPart }> = [];
	const rejected: RejectedItems = new Map();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const image = await rejectOrKeepAsync(
			this,
			itemIndex,
			rejected,
			async () => await readInputImage(this, itemIndex),
		);
		const prompt =
			image && rejectOrKeep(this, itemIndex, rejected, () => readPrompt(this, itemIndex));
		if (image && prompt)
			prepared.push({
				itemIndex,
				image: { field: 'images[]', file: image },
				prompt: { field: 'prompts[]', value: prompt },
			});
	}
	const plans: BatchPlan[] = [];
	for (let start = 0; start < prepared.length; start += MAX_BATCH) {
		const chunk = prepared.slice(start, start + MAX_BATCH);
		const first = chunk[0].itemIndex;
		const extra = rejectOrKeep(
			this,
			chunk.map(({ itemIndex }) => itemIndex),
			rejected,
			() => {
				const shared = readGenerationOptions(this, first, { strength: true });
				// The batch form names its LoRA list lora_models inside shared_params (document example).
				if (shared.lora_ids) {
					shared.lora_models = shared.lora_ids;
					delete shared.lora_ids;
					delete shared.lora_id;
				}
				const parts: MultipartPart[] = [{ field: 'shared_params', value: JSON.stringify(shared) }];
				const { callbackUrl } = this.getNodeParameter('additionalFields', first, {}) as IDataObject;
				if (callbackUrl)
					parts.push({
						field: 'webhook_url',
						value: checkHttpUrl(this.getNode(), first, 'Callback URL', String(callbackUrl).trim()),
					});
				return parts;
			},
		);
		if (!extra) continue;
		// Files first, then prompts, in the same order: the n-th prompt belongs to the n-th image.
		const parts: MultipartPart[] = [
			...chunk.map(({ image }) => image),
			...chunk.map(({ prompt }) => prompt),
			...extra,
		];
		plans.push({
			itemIndexes: chunk.map(({ itemIndex }) => itemIndex),
			call: multipartCall('/api/batch/img2img', parts),
		});
	}
	return await runBatches(this, plans, rejected);
}
