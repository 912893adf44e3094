import type { INodePropertyOptions } from 'n8n-workflow';

/** The models offered in the node's list ("custom" lets the user type any other ID). */
export const DEFAPI_MODELS: INodePropertyOptions[] = [
	{ name: 'Custom Model ID', value: 'custom', description: 'A model that is not in this list' },
	{ name: 'Gemini 2.5 Flash Image', value: 'google/gemini-2.5-flash-image' },
	{
		name: 'GemPix2 (Nano Banana)',
		value: 'google/gempix2',
		description: 'Nano Banana, the default model of the GemPix2 API',
	},
	{ name: 'Nano Banana', value: 'google/nano-banana' },
	{ name: 'Nano Banana 2', value: 'google/nano-banana-2' },
	{ name: 'Nano Banana Pro', value: 'google/nano-banana-pro' },
];
