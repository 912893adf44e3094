import type { INodeProperties } from 'n8n-workflow';

import { waitModeFields } from '../shared/parking';
import {
	callbackUrlField,
	getTaskOptionsField,
	promptField,
	taskIdField,
	waitOptionsField,
} from '../shared/descriptions';
import { balanceOperationField } from '../shared/balance';
import { taskOperationOptions } from '../shared/node-description';
import { genApiClient, genApiTasks } from './adapter';

const TASK_RESOURCES = ['image', 'network'];

const create = (resource: string): INodeProperties['displayOptions'] => ({
	show: { resource: [resource], operation: ['generate', 'createTask'] },
});

export const genApiProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account', description: 'Your Gen-API account' },
			{ name: 'Image (Z-Image)', value: 'image', description: 'Images with the z-image network' },
			{
				name: 'Other Network',
				value: 'network',
				description:
					'Any other Gen-API network by its ID (flux, midjourney, kling …), parameters as JSON',
			},
		],
		default: 'image',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['image'] } },
		options: taskOperationOptions({
			generate: 'Generate an image',
			createTask: 'Create an image task',
			media: 'an image',
		}),
		default: 'generate',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['network'] } },
		options: taskOperationOptions({
			generate: 'Generate media with another network',
			createTask: 'Create a task on another network',
			media: 'media with the network',
		}),
		default: 'generate',
	},
	balanceOperationField,

	// z-image
	promptField(
		'e.g. A lighthouse on a cliff at sunset, oil painting',
		'What the image should show. Prompts in any language are translated unless you turn that off.',
		create('image'),
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields you add are sent; Gen-API uses its defaults for the rest',
		displayOptions: create('image'),
		options: [
			{
				displayName: 'Acceleration',
				name: 'acceleration',
				type: 'options',
				options: [
					{ name: 'High', value: 'high' },
					{ name: 'None', value: 'none' },
				],
				default: 'high',
				description: 'Faster generation ("high", the default) or full quality ("none")',
			},
			{
				displayName: 'Enable Prompt Expansion',
				name: 'enablePromptExpansion',
				type: 'boolean',
				default: false,
				description: 'Whether Gen-API may add detail to a short prompt',
			},
			{
				displayName: 'Enable Safety Checker',
				name: 'enableSafetyChecker',
				type: 'boolean',
				default: true,
				description: 'Whether unsafe images are blocked',
			},
			{
				displayName: 'Height',
				name: 'height',
				type: 'number',
				typeOptions: { minValue: 64, maxValue: 4096 },
				default: 992,
				description: 'Image height in pixels',
			},
			{
				displayName: 'Inference Steps',
				name: 'numInferenceSteps',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: 8,
				description: 'More steps give more detail and take longer',
			},
			{
				displayName: 'Model',
				name: 'model',
				type: 'string',
				default: 'turbo',
				description: 'The z-image model variant',
			},
			{
				displayName: 'Number of Images',
				name: 'numImages',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 4 },
				default: 1,
				description: 'Images per prompt. Each image becomes its own output item.',
			},
			{
				displayName: 'Output Format',
				name: 'outputFormat',
				type: 'options',
				options: [
					{ name: 'PNG', value: 'png' },
					{ name: 'JPG', value: 'jpg' },
				],
				default: 'png',
			},
			{
				displayName: 'Translate Prompt',
				name: 'translateInput',
				type: 'boolean',
				default: true,
				description: 'Whether Gen-API translates the prompt into English first',
			},
			{
				displayName: 'Width',
				name: 'width',
				type: 'number',
				typeOptions: { minValue: 64, maxValue: 4096 },
				default: 992,
				description: 'Image width in pixels',
			},
		],
	},

	// any other network
	{
		displayName: 'Network ID',
		name: 'networkId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. flux',
		description:
			'The ID of the network as written on its page at gen-api.ru, e.g. flux, midjourney, kling',
		displayOptions: create('network'),
	},
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		required: true,
		default: '{\n  "prompt": ""\n}',
		description: 'The request body the network expects, as listed on its API page at gen-api.ru',
		displayOptions: create('network'),
	},

	callbackUrlField(TASK_RESOURCES),
	taskIdField(TASK_RESOURCES),
	...waitModeFields(
		{ resource: TASK_RESOURCES, operation: ['generate'] },
		genApiClient.displayName,
	),
	waitOptionsField(TASK_RESOURCES, genApiTasks.timing),
	getTaskOptionsField(TASK_RESOURCES),
];
