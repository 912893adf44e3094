import type { INodeProperties } from 'n8n-workflow';

import { waitModeFields } from '../shared/parking';
import {
	callbackUrlField,
	customModelField,
	getTaskOptionsField,
	promptField,
	referenceImagesField,
	taskIdField,
	waitOptionsField,
} from '../shared/descriptions';
import { taskOperationOptions } from '../shared/node-description';
import {
	ASPECT_RATIOS,
	IMAGE_SIZES,
	MAX_REFERENCE_IMAGES,
	defApiClient,
	defApiTasks,
} from './adapter';
import { DEFAPI_MODELS } from './models';

const RESOURCES = ['image'];
const create = { show: { resource: RESOURCES, operation: ['generate', 'createTask'] } };

export const defApiProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Image',
				value: 'image',
				description: 'Images with Nano Banana and other Gemini image models',
			},
		],
		default: 'image',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: RESOURCES } },
		options: taskOperationOptions({
			generate: 'Generate an image',
			createTask: 'Create an image task',
			media: 'an image',
		}),
		default: 'generate',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: DEFAPI_MODELS,
		default: 'google/gempix2',
		displayOptions: create,
	},
	customModelField(RESOURCES, 'google/nano-banana-pro'),
	promptField(
		'e.g. Put the two products in a wicker basket on a kitchen table',
		'What to draw, or what to do with the reference images',
		create,
	),
	referenceImagesField(RESOURCES, { max: MAX_REFERENCE_IMAGES, purpose: 'to edit or combine' }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields you add are sent. Not every model takes them.',
		displayOptions: create,
		options: [
			{
				displayName: 'Aspect Ratio',
				name: 'aspectRatio',
				type: 'options',
				options: ASPECT_RATIOS.map((ratio) => ({
					name: ratio === 'auto' ? 'Auto' : ratio,
					value: ratio,
				})),
				default: 'auto',
				description: 'Width to height of the image, for the models that take it',
			},
			{
				displayName: 'Image Size',
				name: 'imageSize',
				type: 'options',
				options: IMAGE_SIZES.map((size) => ({ name: size.toUpperCase(), value: size })),
				default: '1k',
				description: 'Resolution, for the models that take it (e.g. Nano Banana Pro)',
			},
		],
	},
	callbackUrlField(RESOURCES),
	taskIdField(RESOURCES),
	...waitModeFields({ resource: RESOURCES, operation: ['generate'] }, defApiClient.displayName),
	waitOptionsField(RESOURCES, defApiTasks.timing),
	getTaskOptionsField(RESOURCES),
];
