import type { INodeProperties } from 'n8n-workflow';

import {
	callbackUrlField,
	customModelField,
	getTaskOptionsField,
	imageInputValues,
	promptField,
	taskIdField,
	waitOptionsField,
} from '../shared/descriptions';
import { taskOperationOptions } from '../shared/node-description';
import { waitModeFields } from '../shared/parking';
import { MAX_PROMPT_LENGTH, RESOLUTIONS, miniMaxClient, miniMaxTasks } from './adapter';
import { MINIMAX_MODELS } from './models';

const RESOURCES = ['video'];
const create = { show: { resource: RESOURCES, operation: ['generate', 'createTask'] } };

const FRAME_FILES =
	'JPG, PNG or WebP, under 20 MB, short side over 300 px, sides between 2:5 and 5:2.';

const framesField: INodeProperties = {
	displayName: 'Frames',
	name: 'frames',
	type: 'fixedCollection',
	placeholder: 'Add Frame',
	default: {},
	description:
		'Optional. An image the video starts from (image-to-video), and one it ends on (for the models that take one).',
	displayOptions: create,
	options: [
		{
			displayName: 'First Frame',
			name: 'firstFrame',
			values: imageInputValues(`The image the video starts from. ${FRAME_FILES}`),
		},
		{
			displayName: 'Last Frame',
			name: 'lastFrame',
			values: imageInputValues(`The image the video ends on. ${FRAME_FILES}`),
		},
	],
};

export const miniMaxProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Video', value: 'video', description: 'Hailuo videos from text or from an image' },
		],
		default: 'video',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: RESOURCES } },
		options: [
			...taskOperationOptions({
				generate: 'Generate a video',
				createTask: 'Create a video task',
				media: 'a video',
			}),
			{
				name: 'Download',
				value: 'download',
				description: 'Get the video file of a finished task by its file ID',
				action: 'Download a video',
			},
		].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'generate',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: MINIMAX_MODELS,
		default: 'MiniMax-Hailuo-2.3',
		displayOptions: create,
	},
	customModelField(RESOURCES, 'MiniMax-Hailuo-02'),
	promptField(
		'e.g. The camera slowly circles the product on a turntable, soft studio light',
		`What happens in the video, up to ${MAX_PROMPT_LENGTH} characters. Optional when a first frame is given.`,
		create,
		{ required: false },
	),
	framesField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields you add are sent; MiniMax uses its defaults for the rest',
		displayOptions: create,
		options: [
			{
				displayName: 'Duration (Seconds)',
				name: 'duration',
				type: 'options',
				options: [
					{ name: '6', value: 6 },
					{ name: '10', value: 10 },
				],
				default: 6,
				description: 'Not every model and resolution offers 10 seconds',
			},
			{
				displayName: 'Prompt Optimizer',
				name: 'promptOptimizer',
				type: 'boolean',
				default: true,
				description: 'Whether MiniMax may rewrite the prompt for a better result',
			},
			{
				displayName: 'Resolution',
				name: 'resolution',
				type: 'options',
				options: RESOLUTIONS.map((resolution) => ({ name: resolution, value: resolution })),
				default: '768P',
				description: 'Which resolutions a model offers depends on the model',
			},
		],
	},
	callbackUrlField(RESOURCES),
	taskIdField(RESOURCES),
	{
		displayName: 'File ID',
		name: 'fileId',
		type: 'string',
		required: true,
		default: '={{ $json.outputs?.[0]?.fileId ?? $json.file_id }}',
		description:
			'The file ID of a finished video task. The default reads it from the incoming item.',
		displayOptions: { show: { resource: RESOURCES, operation: ['download'] } },
	},
	{
		// Gen-API, DefAPI and Nalitek offer "Wait Mode: Provider Callback" here; MiniMax cannot.
		displayName:
			'MiniMax checks a callback URL with a challenge while the task is still being created, before n8n can pause the execution, so Generate cannot wait for its callbacks: it polls, in the execution or in the background. To be called back instead, use Create Task with the Production URL of an AI Media Trigger as Callback URL.',
		name: 'pollingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: RESOURCES, operation: ['generate'] } },
	},
	...waitModeFields({ resource: RESOURCES, operation: ['generate'] }, miniMaxClient.displayName, {
		callbacks: false,
	}),
	waitOptionsField(RESOURCES, miniMaxTasks.timing),
	{
		...getTaskOptionsField(RESOURCES),
		displayOptions: { show: { resource: RESOURCES, operation: ['getTask', 'download'] } },
	},
];
