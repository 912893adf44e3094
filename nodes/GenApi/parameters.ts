import { NodeOperationError, jsonParse } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CreateRequest, ProviderCall } from '../shared/types';
import { checkIntegerRange, readCallbackUrl, readPrompt } from '../shared/validation';
import { API, Z_IMAGE } from './adapter';

/** z-image fields: node parameter name → API field name. */
const Z_IMAGE_FIELDS: Record<string, string> = {
	translateInput: 'translate_input',
	width: 'width',
	height: 'height',
	numImages: 'num_images',
	model: 'model',
	outputFormat: 'output_format',
	numInferenceSteps: 'num_inference_steps',
	enableSafetyChecker: 'enable_safety_checker',
	acceleration: 'acceleration',
	enablePromptExpansion: 'enable_prompt_expansion',
};

function zImageBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const body: IDataObject = { prompt: readPrompt(ctx, itemIndex) };
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const node = ctx.getNode();
	checkIntegerRange(node, itemIndex, 'Width', fields.width, 64, 4096);
	checkIntegerRange(node, itemIndex, 'Height', fields.height, 64, 4096);
	checkIntegerRange(node, itemIndex, 'Number of Images', fields.numImages, 1, 4);
	checkIntegerRange(node, itemIndex, 'Inference Steps', fields.numInferenceSteps, 1, 50);
	// Only what the user set is sent: the provider's own defaults apply to the rest.
	for (const [parameter, field] of Object.entries(Z_IMAGE_FIELDS)) {
		const value = fields[parameter];
		if (value !== undefined && value !== '') body[field] = value;
	}
	return body;
}

function networkBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { networkId: string; body: IDataObject } {
	const node = ctx.getNode();
	const networkId = String(ctx.getNodeParameter('networkId', itemIndex, '') ?? '').trim();
	if (!/^[a-z0-9][a-z0-9._-]*$/i.test(networkId)) {
		throw new NodeOperationError(node, `"${networkId}" is not a Gen-API network ID`, {
			itemIndex,
			description: 'Use the ID from the network page on gen-api.ru, for example "flux" or "kling".',
		});
	}
	const value = ctx.getNodeParameter('parameters', itemIndex, '{}') as unknown;
	let body: unknown = value;
	if (typeof value === 'string') {
		try {
			body = jsonParse(value);
		} catch {
			throw new NodeOperationError(node, 'The parameters are not valid JSON', { itemIndex });
		}
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new NodeOperationError(
			node,
			'The parameters must be a JSON object, like {"prompt": "a cat"}',
			{
				itemIndex,
			},
		);
	}
	return { networkId, body: body as IDataObject };
}

/** The create request of an item: z-image, or any other network with JSON parameters. */
export const createGenApiRequest: CreateRequest = (ctx, itemIndex, options): ProviderCall => {
	const resource = ctx.getNodeParameter('resource', itemIndex) as string;
	const { networkId, body } =
		resource === 'network'
			? networkBody(ctx, itemIndex)
			: { networkId: Z_IMAGE, body: zImageBody(ctx, itemIndex) };
	const callbackUrl = options?.callbackUrl ?? readCallbackUrl(ctx, itemIndex);
	if (callbackUrl) body.callback_url = callbackUrl;
	return { method: 'POST', path: `${API}/networks/${encodeURIComponent(networkId)}`, body };
};
