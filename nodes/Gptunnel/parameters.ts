import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { readImageInputParameter, readImageInputs } from '../shared/images';
import type { CreateRequest } from '../shared/types';
import { readModel, readPrompt } from '../shared/validation';
import { ASPECT_RATIOS } from './adapter';
import { GPTUNNEL_MODELS } from './models';

/** The create request of an item: model, prompt, aspect ratio, reference images. */
export const createGptunnelRequest: CreateRequest = async (ctx, itemIndex) => {
	const model = readModel(ctx, itemIndex, GPTUNNEL_MODELS);
	const body: IDataObject = { model, prompt: readPrompt(ctx, itemIndex) };
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	if (fields.ar !== undefined && fields.ar !== '') {
		if (!ASPECT_RATIOS.includes(String(fields.ar))) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Aspect ratio must be one of ${ASPECT_RATIOS.join(', ')}`,
				{ itemIndex },
			);
		}
		body.ar = fields.ar;
	}
	const references = readImageInputParameter(ctx, itemIndex, 'referenceImages.images');
	const images = await readImageInputs(ctx, itemIndex, references, {
		label: 'Reference images',
		maxBytes: 20 * 1024 * 1024,
	});
	if (images.length) body.images = images;
	return { method: 'POST', path: '/v1/media/create', body };
};
