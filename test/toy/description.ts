import type { INodeProperties } from 'n8n-workflow';

import {
	callbackUrlField,
	getTaskOptionsField,
	promptField,
	taskIdField,
	waitOptionsField,
} from '../../nodes/shared/descriptions';
import { taskOperationOptions } from '../../nodes/shared/node-description';
import { toyTasks } from './adapter';

const RESOURCES = ['image'];

export const toyProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Image', value: 'image' }],
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
	promptField('e.g. A toy robot', 'What to draw', {
		show: { resource: RESOURCES, operation: ['generate', 'createTask'] },
	}),
	callbackUrlField(RESOURCES),
	taskIdField(RESOURCES),
	waitOptionsField(RESOURCES, toyTasks.timing),
	getTaskOptionsField(RESOURCES),
];
