import type { INodePropertyOptions } from 'n8n-workflow';

/** The models offered in the node's list ("custom" lets the user type any other ID). */
export const GPTUNNEL_MODELS: INodePropertyOptions[] = [
	{ name: 'Custom Model ID', value: 'custom', description: 'A model that is not in this list' },
	{ name: 'Flux Kontext Max (Image)', value: 'flux-kontext-max' },
	{ name: 'GPT Image 1 (Image)', value: 'gpt-image-1' },
	{
		name: 'Imagen 3 (Image)',
		value: 'google-imagen-3',
		description: 'Google Imagen 3; takes an aspect ratio',
	},
	{ name: 'Nano Banana (Image)', value: 'nano-banana' },
	{ name: 'Seedance 1 Lite 480P 5S (Video)', value: 'seedance-1-lite-480P-5s' },
	{ name: 'Seedream 4 (Image)', value: 'seedream-4' },
	{ name: 'Sora (Video)', value: 'sora' },
	{ name: 'Suno (Music)', value: 'suno' },
	{ name: 'Veo 3 (Video)', value: 'glabs-veo-3' },
	{ name: 'Veo 3 Fast (Video)', value: 'glabs-veo-3-fast' },
];
