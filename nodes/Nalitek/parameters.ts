import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readBinaryImage } from '../shared/images';
import { buildMultipart } from '../shared/multipart';
import type { MultipartPart } from '../shared/multipart';
import type { CreateOptions, CreateRequest, ProviderCall } from '../shared/types';
import {
	checkChoice,
	checkHttpUrl,
	checkRange,
	exactNumber,
	readIdParameter,
	readPrompt,
	shown,
} from '../shared/validation';
import type { RangeRule } from '../shared/validation';
import { FORMATS, INPUT_TYPES, MAX_INPUT_BYTES, MODELS } from './adapter';

/**
 * Sizes: the document's table says 512–2048 in steps of 64, its smart-upscale section generates
 * 256×256 directly, its own example sends 1920×1080 and its plan table allows up to 4096×4096
 * (Enterprise). Only what no reading accepts is refused here; Nalitek judges the rest against the
 * plan of the key, and its answer is shown.
 */
export const MIN_SIDE = 256;
export const MAX_SIDE = 4096;
/** "The largest upscale factor is 4x" (the smart-upscale section). */
export const MAX_SMART_UPSCALE = 4;
/** Width and height when none is given (both parameter tables). */
const DEFAULT_SIDE = 1024;

/** Width and height: a whole number of pixels within Nalitek's table. */
const SIDE: RangeRule = {
	min: MIN_SIDE,
	max: MAX_SIDE,
	unit: 'pixels',
	hint: 'Your plan may allow less: Free 1024, Pro and Business 2048, Enterprise 4096. Nalitek recommends 512 to 2048 in multiples of 64, or 1920×1080; sizes up to 512 are generated without Smart Upscale.',
};

/** Reads the generation options every image operation shares; only what is set is returned. */
export function readGenerationOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ strength = false } = {},
): IDataObject {
	const node = ctx.getNode();
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	const set = (key: string, value: unknown) => {
		if (value !== undefined) body[key] = value;
	};
	if (typeof fields.negativePrompt === 'string' && fields.negativePrompt.trim())
		body.negative_prompt = fields.negativePrompt.trim();
	set('width', checkRange(node, itemIndex, 'Width', fields.width, SIDE));
	set('height', checkRange(node, itemIndex, 'Height', fields.height, SIDE));
	set('steps', checkRange(node, itemIndex, 'Steps', fields.steps, { min: 10, max: 100 }));
	set(
		'guidance_scale',
		checkRange(node, itemIndex, 'Guidance Scale', fields.guidanceScale, {
			min: 1,
			max: 20,
			whole: false,
		}),
	);
	const seed = exactNumber(fields.seed);
	if (seed !== undefined) {
		if (!Number.isInteger(seed) || seed < -1) {
			throw new NodeOperationError(
				node,
				`Seed must be -1 (random) or a whole number of 0 or more (got ${shown(fields.seed)})`,
				{ itemIndex },
			);
		}
		body.seed = seed;
	}
	set('format', checkChoice(node, itemIndex, 'Format', fields.format, FORMATS));
	set('model', checkChoice(node, itemIndex, 'Model', fields.model, MODELS));
	if (strength)
		set(
			'strength',
			checkRange(node, itemIndex, 'Strength', fields.strength, { min: 0, max: 1, whole: false }),
		);
	const loras = Array.isArray(fields.loraIds)
		? (fields.loraIds as string[]).filter(Boolean)
		: typeof fields.loraIds === 'string'
			? fields.loraIds
					.split(',')
					.map((id) => id.trim())
					.filter(Boolean)
			: [];
	if (loras.length) {
		body.lora_ids = loras;
		// The parameter table names an array, every example of the document sends `lora_id`, one
		// string: one LoRA goes in both, so it is applied under either reading.
		if (loras.length === 1) body.lora_id = loras[0];
	}
	if (typeof fields.smartUpscale === 'boolean') body.smart_upscale = fields.smartUpscale;
	set('target_width', checkRange(node, itemIndex, 'Target Width', fields.targetWidth, SIDE));
	set('target_height', checkRange(node, itemIndex, 'Target Height', fields.targetHeight, SIDE));
	if (
		(body.target_width !== undefined || body.target_height !== undefined) &&
		body.smart_upscale === false
	) {
		throw new NodeOperationError(node, 'Target Width and Target Height need Smart Upscale on', {
			itemIndex,
		});
	}
	for (const [target, side, label] of [
		['target_width', 'width', 'Width'],
		['target_height', 'height', 'Height'],
	] as const) {
		const from = (body[side] as number | undefined) ?? DEFAULT_SIDE;
		const to = body[target] as number | undefined;
		if (to !== undefined && to > from * MAX_SMART_UPSCALE) {
			throw new NodeOperationError(
				node,
				`Target ${label} ${to} is more than ${MAX_SMART_UPSCALE}× the ${label} of ${from}: Smart Upscale enlarges at most ${MAX_SMART_UPSCALE}×`,
				{
					itemIndex,
					description: `Raise ${label} to at least ${Math.ceil(to / MAX_SMART_UPSCALE)}, or lower Target ${label}.`,
				},
			);
		}
	}
	return body;
}

function readWebhook(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	options?: CreateOptions,
) {
	if (options?.callbackUrl) {
		body.webhook_url = options.callbackUrl;
		body.webhook_events = ['generation.complete', 'generation.failed'];
		return;
	}
	if (ctx.getNodeParameter('operation', itemIndex) !== 'createTask') return;
	const url = String(ctx.getNodeParameter('callbackUrl', itemIndex, '') ?? '').trim();
	if (!url) return;
	body.webhook_url = checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', url);
	const events = ctx.getNodeParameter('webhookEvents', itemIndex, []) as string[];
	if (events.length) body.webhook_events = events;
}

/** Generate and Create Task: prompt, options and — for Create Task — the webhook. */
export const createGenerateRequest: CreateRequest = (ctx, itemIndex, options) => {
	const body: IDataObject = {
		prompt: readPrompt(ctx, itemIndex),
		...readGenerationOptions(ctx, itemIndex),
	};
	readWebhook(ctx, itemIndex, body, options);
	return { method: 'POST', path: '/api/generate', body };
};

/** The image of an item for image-to-image: from a binary field, png/jpg/webp, at most 10 MB. */
export async function readInputImage(ctx: IExecuteFunctions, itemIndex: number) {
	const field =
		String(ctx.getNodeParameter('inputBinaryField', itemIndex, 'data') ?? '').trim() || 'data';
	return await readBinaryImage(ctx, itemIndex, field, {
		label: 'Input image',
		mimeTypes: INPUT_TYPES,
		maxBytes: MAX_INPUT_BYTES,
	});
}

export function multipartCall(path: string, parts: MultipartPart[]): ProviderCall {
	const { body, contentType } = buildMultipart(parts);
	return { method: 'POST', path, body, headers: { 'Content-Type': contentType } };
}

/** Image to image: the input image as a multipart upload, with the prompt and options. */
export const createImageToImageRequest: CreateRequest = async (ctx, itemIndex) => {
	const prompt = readPrompt(ctx, itemIndex);
	const options = readGenerationOptions(ctx, itemIndex, { strength: true });
	const image = await readInputImage(ctx, itemIndex);
	const parts: MultipartPart[] = [
		{ field: 'image', file: image },
		{ field: 'prompt', value: prompt },
	];
	for (const [key, value] of Object.entries(options)) {
		// The img2img form names its LoRA list lora_models[].
		if (key === 'lora_ids')
			for (const id of value as string[]) parts.push({ field: 'lora_models[]', value: id });
		else if (key !== 'lora_id') parts.push({ field: key, value: String(value) });
	}
	return multipartCall('/api/img2img', parts);
};

export function readImageIdParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdParameter(ctx, itemIndex, 'imageId', {
		missing: 'No image ID: set "Image ID" or feed items from an earlier Nalitek node',
		invalid: (id) => `"${id}" is not an image ID`,
	});
}

/** Upscale: an earlier image by id, 2× or 4×. */
export const createUpscaleRequest: CreateRequest = (ctx, itemIndex, options) => {
	const node = ctx.getNode();
	const imageId = readImageIdParameter(ctx, itemIndex);
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { scale: exactNumber(ctx.getNodeParameter('scale', itemIndex, 2)) };
	if (body.scale !== 2 && body.scale !== 4)
		throw new NodeOperationError(node, 'Scale must be 2 or 4', { itemIndex });
	if (typeof fields.faceEnhance === 'boolean') body.face_enhance = fields.faceEnhance;
	const denoise = checkRange(node, itemIndex, 'Denoise', fields.denoise, {
		min: 0,
		max: 1,
		whole: false,
	});
	if (denoise !== undefined) body.denoise = denoise;
	const callbackUrl = options?.callbackUrl
		? options.callbackUrl
		: typeof fields.callbackUrl === 'string' && fields.callbackUrl.trim()
			? checkHttpUrl(node, itemIndex, 'Callback URL', fields.callbackUrl.trim())
			: '';
	if (callbackUrl) {
		body.webhook_url = callbackUrl;
		body.webhook_events = ['upscale.complete', 'upscale.failed'];
	}
	return { method: 'POST', path: `/api/upscale/${encodeURIComponent(imageId)}`, body };
};
