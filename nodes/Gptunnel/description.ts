import type { INodeProperties } from 'n8n-workflow';

import {
	customModelField,
	getTaskOptionsField,
	promptField,
	referenceImagesField,
	taskIdField,
	waitOptionsField,
} from '../shared/descriptions';
import { balanceOperationField } from '../shared/balance';
import { taskOperationOptions } from '../shared/node-description';
import { waitModeFields } from '../shared/parking';
import { ASPECT_RATIOS, gptunnelClient, gptunnelTasks } from './adapter';
import { GPTUNNEL_MODELS } from './models';

const RESOURCES = ['media'];
const create = { show: { resource: RESOURCES, operation: ['generate', 'createTask'] } };

export const gptunnelProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account', description: 'Your GPTunnel account' },
			{
				name: 'Media',
				value: 'media',
				description: 'Images, videos and music from the media models',
			},
		],
		default: 'media',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: RESOURCES } },
		options: taskOperationOptions({
			generate: 'Generate media',
			createTask: 'Create a media task',
			media: 'an image, a video or music',
		}),
		default: 'generate',
	},
	balanceOperationField,
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: GPTUNNEL_MODELS,
		default: 'google-imagen-3',
		description:
			'The media model. The result is an image, a video or a music file depending on the model.',
		displayOptions: create,
	},
	customModelField(RESOURCES, 'google-imagen-4'),
	promptField(
		'e.g. A samurai in white porcelain armour in a misty forest, cinematic',
		'What to generate',
		create,
	),
	referenceImagesField(RESOURCES, {
		purpose: 'that models such as Nano Banana or Veo use as context or first frame',
	}),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: create,
		options: [
			{
				displayName: 'Aspect Ratio',
				name: 'ar',
				type: 'options',
				options: ASPECT_RATIOS.map((ratio) => ({ name: ratio, value: ratio })),
				default: '1:1',
				description: 'Width to height of the image (Imagen 3 and other models that take "ar")',
			},
		],
	},
	taskIdField(RESOURCES),
	...waitModeFields({ resource: RESOURCES, operation: ['generate'] }, gptunnelClient.displayName, {
		callbacks: false,
	}),
	waitOptionsField(RESOURCES, gptunnelTasks.timing),
	getTaskOptionsField(RESOURCES),
];
