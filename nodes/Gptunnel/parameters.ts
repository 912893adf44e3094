import type { IDataObject } from 'n8n-workflow';

import { readImageInputParameter, readImageInputs } from '../shared/images';
import type { CreateRequest } from '../shared/types';
import { checkChoice, readModel, readPrompt } from '../shared/validation';
import { ASPECT_RATIOS } from './adapter';
import { GPTUNNEL_MODELS } from './models';

/** The create request of an item: model, prompt, aspect ratio, reference images. */
export const createGptunnelRequest: CreateRequest = async (ctx, itemIndex) => {
	const model = readModel(ctx, itemIndex, GPTUNNEL_MODELS);
	const body: IDataObject = { model, prompt: readPrompt(ctx, itemIndex) };
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const ar = checkChoice(ctx.getNode(), itemIndex, 'Aspect ratio', fields.ar, ASPECT_RATIOS);
	if (ar) body.ar = ar;
	const references = readImageInputParameter(ctx, itemIndex, 'referenceImages.images');
	const images = await readImageInputs(ctx, itemIndex, references, {
		label: 'Reference images',
		maxBytes: 20 * 1024 * 1024,
	});
	if (images.length) body.images = images;
	return { method: 'POST', path: '/v1/media/create', body };
};
