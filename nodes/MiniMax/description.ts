import type { INodeProperties } from 'n8n-workflow';

import {
	callbackUrlField,
	customModelField,
	getTaskOptionsField,
	taskIdField,
	taskOperationOptions,
	waitOptionsField,
} from '../shared/descriptions';
import { MAX_PROMPT_LENGTH, RESOLUTIONS, miniMaxAdapter } from './adapter';
import { MINIMAX_MODELS } from './models';

const RESOURCES = ['video'];
const create = { show: { resource: RESOURCES, operation: ['generate', 'createTask'] } };

function frameFields(which: 'first' | 'last'): INodeProperties[] {
	const label = which === 'first' ? 'First Frame' : 'Last Frame';
	const source = `${which}FrameSource`;
	const purpose =
		which === 'first'
			? 'The image the video starts from (image-to-video). JPG, PNG or WebP, under 20 MB, short side over 300 px.'
			: 'The image the video ends on (for the models that take one). JPG, PNG or WebP, under 20 MB.';
	return [
		{
			displayName: label,
			name: source,
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'From a Binary Field', value: 'binary', description: 'A file from an earlier node, e.g. an image made by Gen-API' },
				{ name: 'From a Link', value: 'url', description: 'A public image URL' },
			],
			default: 'none',
			description: purpose,
			displayOptions: create,
		},
		{
			displayName: `${label} Field`,
			name: `${which}FrameBinaryProperty`,
			type: 'string',
			default: 'data',
			description: 'The name of the binary field of the incoming item that holds the image',
			displayOptions: { show: { ...create.show, [source]: ['binary'] } },
		},
		{
			displayName: `${label} Link`,
			name: `${which}FrameUrl`,
			type: 'string',
			default: '',
			placeholder: 'https://example.com/frame.jpg',
			displayOptions: { show: { ...create.show, [source]: ['url'] } },
		},
	];
}

export const miniMaxProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Video', value: 'video', description: 'Hailuo videos from text or from an image' }],
		default: 'video',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: RESOURCES } },
		options: [
			...taskOperationOptions('a video'),
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
	customModelField(RESOURCES),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'The camera slowly circles the product on a turntable, soft studio light',
		description: `What happens in the video, up to ${MAX_PROMPT_LENGTH} characters. Optional when a first frame is given.`,
		displayOptions: create,
	},
	...frameFields('first'),
	...frameFields('last'),
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
		description: 'The file ID of a finished video task. The default reads it from the incoming item.',
		displayOptions: { show: { resource: RESOURCES, operation: ['download'] } },
	},
	waitOptionsField(RESOURCES, miniMaxAdapter.timing),
	{ ...getTaskOptionsField(RESOURCES), displayOptions: { show: { resource: RESOURCES, operation: ['getTask', 'download'] } } },
];
