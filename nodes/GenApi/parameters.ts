import { NodeOperationError, jsonParse } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CreateRequest, ProviderCall } from '../shared/types';
import {
	checkBoolean,
	checkChoice,
	checkRange,
	checkText,
	readCallbackUrl,
	readPrompt,
} from '../shared/validation';
import { API, Z_IMAGE } from './adapter';

/** z-image fields: node parameter name → API field name, its label, and what it takes. */
const Z_IMAGE_FIELDS: Array<
	[string, string, string, { range: [number, number] } | 'boolean' | 'text' | { choices: string[] }]
> = [
	['translateInput', 'translate_input', 'Translate Input', 'boolean'],
	['width', 'width', 'Width', { range: [64, 4096] }],
	['height', 'height', 'Height', { range: [64, 4096] }],
	['numImages', 'num_images', 'Number of Images', { range: [1, 4] }],
	['model', 'model', 'Model', 'text'],
	['outputFormat', 'output_format', 'Output Format', { choices: ['png', 'jpg'] }],
	['numInferenceSteps', 'num_inference_steps', 'Inference Steps', { range: [1, 50] }],
	['enableSafetyChecker', 'enable_safety_checker', 'Enable Safety Checker', 'boolean'],
	['acceleration', 'acceleration', 'Acceleration', { choices: ['none', 'high'] }],
	['enablePromptExpansion', 'enable_prompt_expansion', 'Enable Prompt Expansion', 'boolean'],
];

function zImageBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const body: IDataObject = { prompt: readPrompt(ctx, itemIndex) };
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const node = ctx.getNode();
	// Only what the user set is sent, typed as the document shows: the provider's own defaults
	// apply to the rest.
	for (const [parameter, field, label, kind] of Z_IMAGE_FIELDS) {
		const value = fields[parameter];
		const checked =
			kind === 'boolean'
				? checkBoolean(node, itemIndex, label, value)
				: kind === 'text'
					? checkText(node, itemIndex, label, value)
					: 'range' in kind
						? checkRange(node, itemIndex, label, value, { min: kind.range[0], max: kind.range[1] })
						: checkChoice(node, itemIndex, label, value, kind.choices);
		if (checked !== undefined) body[field] = checked;
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
