import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { taskOperationOptions } from '../shared/node-description';
import { operations } from './actions/operations';

const op = (
	value: string,
	name: string,
	description: string,
	action: string,
): INodePropertyOptions => ({ name, value, description, action });

const OPERATIONS: Record<string, { default: string; options: INodePropertyOptions[] }> = {
	image: {
		default: 'generate',
		options: [
			...taskOperationOptions({
				generate: 'Generate an image',
				createTask: 'Create an image task',
				media: 'an image',
			}),
			op('delete', 'Delete', 'Delete an image', 'Delete an image'),
			op('get', 'Get', 'Get the details of an image', 'Get an image'),
			op('getMany', 'Get Many', 'List your images', 'Get many images'),
			op(
				'imageToImage',
				'Image to Image',
				'Change an image from the incoming item with a prompt, wait and return the file',
				'Transform an image',
			),
			op(
				'upscale',
				'Upscale',
				'Upscale an image 2× or 4×, wait and return the file',
				'Upscale an image',
			),
		],
	},
	batch: {
		default: 'generate',
		options: [
			op('cancel', 'Cancel', 'Cancel the jobs of a batch that have not finished', 'Cancel a batch'),
			op(
				'generate',
				'Generate',
				'One image per incoming item, sent 10 to a batch; waits and returns the files',
				'Generate images in batches',
			),
			op('get', 'Get', 'Get the status of a batch', 'Get a batch'),
			op(
				'imageToImage',
				'Image to Image',
				'Change the image of every incoming item, in batches; waits and returns the files',
				'Transform images in batches',
			),
			op(
				'waitForBatch',
				'Wait for Batch',
				'Wait for batches started earlier and return one file per job',
				'Wait for a batch',
			),
		],
	},
	lora: {
		default: 'getMany',
		options: [op('getMany', 'Get Many', 'List the LoRA style models', 'Get many LoRAs')],
	},
	account: {
		default: 'getStats',
		options: [
			op(
				'changePassword',
				'Change Password',
				'Change the password of your account',
				'Change the account password',
			),
			op('getProfile', 'Get Profile', 'Get your profile', 'Get the profile'),
			op('getStats', 'Get Stats', 'Usage and the remaining daily quota', 'Get usage statistics'),
			op('updateProfile', 'Update Profile', 'Change profile settings', 'Update the profile'),
		],
	},
	apiKey: {
		default: 'getMany',
		options: [
			op('create', 'Create', 'Create a new API key', 'Create an API key'),
			op('delete', 'Delete', 'Delete an API key', 'Delete an API key'),
			op('getMany', 'Get Many', 'List your API keys', 'Get many API keys'),
		],
	},
	admin: {
		default: 'getUsers',
		options: [
			op('banUser', 'Ban User', 'Block a user, with a reason (admin key)', 'Ban a user'),
			op(
				'getStatistics',
				'Get Statistics',
				'Statistics of the whole service (admin key)',
				'Get service statistics',
			),
			op('getUsers', 'Get Users', 'List users (admin key)', 'Get users'),
			op(
				'updateQuota',
				'Update Quota',
				"Change a user's daily quota (admin key)",
				'Update a user quota',
			),
		],
	},
	service: {
		default: 'getStatus',
		options: [
			op(
				'getStatus',
				'Get Status',
				'Whether the service and its models are up (free)',
				'Get the service status',
			),
		],
	},
};

export const nalitekProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Admin', value: 'admin', description: 'For admin keys' },
			{ name: 'API Key', value: 'apiKey' },
			{ name: 'Batch', value: 'batch', description: 'Many images in few requests' },
			{ name: 'Image', value: 'image' },
			{ name: 'LoRA', value: 'lora' },
			{ name: 'Service', value: 'service' },
		],
		default: 'image',
	},
	...Object.entries(OPERATIONS).map(
		([resource, { default: value, options }]): INodeProperties => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			// Alphabetical, as n8n lists operations (the four task operations come from the shared list).
			options: [...options].sort((a, b) => a.name.localeCompare(b.name)),
			default: value,
		}),
	),
	...Object.values(operations).flatMap((byOperation) =>
		Object.values(byOperation).flatMap((operation) => operation.description),
	),
];
