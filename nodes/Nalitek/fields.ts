// The fields of Nalitek's operations, each given its display rules by the operation that uses it.
import type { INodeProperties } from 'n8n-workflow';

import {
	callbackUrlField,
	getTaskOptionsField,
	promptField as sharedPromptField,
	taskIdField,
	waitOptionsField,
} from '../shared/descriptions';
import { FORMATS, MODELS, WEBHOOK_EVENTS, generateTasks } from './adapter';
import { MAX_SIDE, MIN_SIDE } from './parameters';

/** The generation options of generate, image-to-image and batches; only what is added is sent. */
export function generationOptions({
	strength = false,
	extra = [] as INodeProperties[],
} = {}): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: FORMATS.map((format) => ({ name: format.toUpperCase(), value: format })),
			default: 'png',
		},
		{
			displayName: 'Guidance Scale',
			name: 'guidanceScale',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20, numberPrecision: 1 },
			default: 7.5,
			description: 'How closely the image follows the prompt (1–20)',
		},
		{
			displayName: 'Height',
			name: 'height',
			type: 'number',
			typeOptions: { minValue: MIN_SIDE, maxValue: MAX_SIDE },
			default: 1024,
			description:
				'Pixels, 256 to 4096 as your plan allows (Free 1024, Pro and Business 2048, Enterprise 4096); 512 to 2048 in multiples of 64, or 1920×1080, are recommended',
		},
		{
			displayName: 'LoRA Names or IDs',
			name: 'loraIds',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getLoras' },
			default: [],
			description:
				'Style models to apply. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: MODELS.map((model) => ({
				name: model === 'flux-dev' ? 'FLUX Dev (Quality)' : 'FLUX Schnell (Fast)',
				value: model,
			})),
			default: 'flux-dev',
		},
		{
			displayName: 'Negative Prompt',
			name: 'negativePrompt',
			type: 'string',
			default: '',
			placeholder: 'e.g. blurry, low quality',
			description: 'What the image should not show',
		},
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			default: -1,
			description: 'The same seed and prompt give the same image; -1 picks a random one',
		},
		{
			displayName: 'Smart Upscale',
			name: 'smartUpscale',
			type: 'boolean',
			default: true,
			description:
				'Whether to generate at half size and upscale to the target, which is faster for large images',
		},
		{
			displayName: 'Steps',
			name: 'steps',
			type: 'number',
			typeOptions: { minValue: 10, maxValue: 100 },
			default: 30,
			description: 'More steps give more detail and take longer (10–100)',
		},
		{
			displayName: 'Target Height',
			name: 'targetHeight',
			type: 'number',
			typeOptions: { minValue: MIN_SIDE, maxValue: MAX_SIDE },
			default: 2048,
			description: 'Final height after Smart Upscale, in pixels: up to 4096 and at most 4× Height',
		},
		{
			displayName: 'Target Width',
			name: 'targetWidth',
			type: 'number',
			typeOptions: { minValue: MIN_SIDE, maxValue: MAX_SIDE },
			default: 2048,
			description: 'Final width after Smart Upscale, in pixels: up to 4096 and at most 4× Width',
		},
		{
			displayName: 'Width',
			name: 'width',
			type: 'number',
			typeOptions: { minValue: MIN_SIDE, maxValue: MAX_SIDE },
			default: 1024,
			description:
				'Pixels, 256 to 4096 as your plan allows (Free 1024, Pro and Business 2048, Enterprise 4096); 512 to 2048 in multiples of 64, or 1920×1080, are recommended',
		},
	];
	options.push(...extra);
	if (strength) {
		options.push({
			displayName: 'Strength',
			name: 'strength',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 0.75,
			description: 'How much the image may change: 0 keeps it, 1 ignores it',
		});
	}
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields you add are sent; Nalitek uses its defaults for the rest',
		options,
	};
}

/** A URL Nalitek posts the result to as well (an AI Media Trigger), for operations that also wait. */
export const callbackUrlOption: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callbackUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://your-n8n.example.com/webhook/…/callback',
	description:
		'Optional. Nalitek also posts the result to this URL, for example the Production URL of an AI Media Trigger.',
};

export const promptField = sharedPromptField(
	'e.g. A lighthouse on a cliff at sunset, oil painting',
	'What the image should show',
);

export const imageIdField: INodeProperties = {
	displayName: 'Image ID',
	name: 'imageId',
	type: 'string',
	required: true,
	default: '={{ $json.imageId ?? $json.taskId ?? $json.id }}',
	description:
		'The ID of a Nalitek image. The default reads it from the incoming item, so a chain of Nalitek nodes needs no typing.',
};

export const batchIdField: INodeProperties = {
	displayName: 'Batch ID',
	name: 'batchId',
	type: 'string',
	required: true,
	default: '={{ $json.batchId }}',
	description: 'The ID of a Nalitek batch. The default reads it from the incoming item.',
};

export const inputBinaryField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'inputBinaryField',
	type: 'string',
	required: true,
	default: 'data',
	placeholder: 'e.g. data',
	hint: 'The name of the input binary field containing the image',
	description:
		'The binary field of the incoming item that holds the image (PNG, JPG or WebP, at most 10 MB)',
};

/** The shared fields without their display rules, for operations that set their own. */
const bare = (property: INodeProperties): INodeProperties => ({
	...property,
	displayOptions: undefined,
});

export const waitOptions = bare(waitOptionsField([], generateTasks.timing));
export const readOptions = bare(getTaskOptionsField([]));
export const taskId: INodeProperties = {
	...bare(taskIdField([])),
	description:
		'The ID Nalitek gave the task (its image ID). The default reads it from the incoming item, so this node can follow a "Create Task" node directly.',
};
export const callbackUrl: INodeProperties = {
	...bare(callbackUrlField([])),
	description:
		'Optional. Nalitek posts the events you pick below to this URL, for example the URL of an AI Media Trigger node. n8n must be reachable from the internet for this.',
};
export const webhookEvents: INodeProperties = {
	displayName: 'Callback Events',
	name: 'webhookEvents',
	type: 'multiOptions',
	options: WEBHOOK_EVENTS.map((event) => ({ name: event, value: event })),
	default: ['generation.complete', 'generation.failed'],
	description: 'Which events Nalitek sends to the callback URL',
	displayOptions: { hide: { callbackUrl: [''] } },
};
