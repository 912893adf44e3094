import type { IDataObject } from 'n8n-workflow';

import { readImageInputParameter, readImageInputs } from '../shared/images';
import type { CreateRequest } from '../shared/types';
import { checkChoice, readCallbackUrl, readModel, readPrompt } from '../shared/validation';
import { ASPECT_RATIOS, IMAGE_SIZES, MAX_REFERENCE_IMAGES } from './adapter';
import { DEFAPI_MODELS } from './models';

/** The create request of an item: model, prompt, options, up to four reference images. */
export const createDefApiRequest: CreateRequest = async (ctx, itemIndex, options) => {
	const node = ctx.getNode();
	const body: IDataObject = {
		model: readModel(ctx, itemIndex, DEFAPI_MODELS),
		prompt: readPrompt(ctx, itemIndex),
	};
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const aspectRatio = checkChoice(
		node,
		itemIndex,
		'Aspect ratio',
		fields.aspectRatio,
		ASPECT_RATIOS,
	);
	if (aspectRatio) body.aspect_ratio = aspectRatio;
	const imageSize = checkChoice(node, itemIndex, 'Image size', fields.imageSize, IMAGE_SIZES);
	if (imageSize) body.image_size = imageSize;
	const references = readImageInputParameter(ctx, itemIndex, 'referenceImages.images');
	const images = await readImageInputs(ctx, itemIndex, references, {
		label: 'Reference images',
		max: MAX_REFERENCE_IMAGES,
		maxBytes: 20 * 1024 * 1024,
	});
	if (images.length) body.images = images;
	const callbackUrl = options?.callbackUrl ?? readCallbackUrl(ctx, itemIndex);
	if (callbackUrl) body.callback_url = callbackUrl;
	return { method: 'POST', path: '/api/image/gen', body };
};
