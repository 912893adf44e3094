import type { INodePropertyOptions } from 'n8n-workflow';

/** The models offered in the node's list ("custom" lets the user type any other ID). */
export const MINIMAX_MODELS: INodePropertyOptions[] = [
	{ name: 'Custom Model ID', value: 'custom', description: 'A model that is not in this list' },
	{ name: 'Hailuo 02', value: 'MiniMax-Hailuo-02' },
	{ name: 'Hailuo 2.3', value: 'MiniMax-Hailuo-2.3', description: 'Text or image to video' },
	{
		name: 'Hailuo 2.3 Fast',
		value: 'MiniMax-Hailuo-2.3-Fast',
		description: 'Image to video, faster and cheaper',
	},
	{ name: 'I2V-01', value: 'I2V-01', description: 'Image to video' },
	{
		name: 'I2V-01-Director',
		value: 'I2V-01-Director',
		description: 'Image to video with camera instructions in the prompt',
	},
	{ name: 'I2V-01-Live', value: 'I2V-01-live', description: 'Image to video for illustrations' },
	{ name: 'S2V-01', value: 'S2V-01', description: 'Subject reference to video' },
	{ name: 'T2V-01', value: 'T2V-01', description: 'Text to video' },
	{
		name: 'T2V-01-Director',
		value: 'T2V-01-Director',
		description: 'Text to video with camera instructions in the prompt',
	},
];
