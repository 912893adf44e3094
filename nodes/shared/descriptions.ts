import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { PollTiming } from './types';

export type TaskOperation = 'generate' | 'createTask' | 'getTask' | 'waitForTask';

export const TASK_OPERATIONS: readonly TaskOperation[] = ['generate', 'createTask', 'getTask', 'waitForTask'];

/** The four operations every provider node offers, worded for the kind of media it makes. */
export function taskOperationOptions(media: string): INodePropertyOptions[] {
	return [
		{
			name: 'Create Task',
			value: 'createTask',
			description: `Start generating ${media} and return the task ID at once, without waiting`,
			action: `Create a ${media} task`,
		},
		{
			name: 'Generate',
			value: 'generate',
			description: `Generate ${media}, wait until it is ready and return the files`,
			action: `Generate ${media}`,
		},
		{
			name: 'Get Task',
			value: 'getTask',
			description: 'Read the status of a task once (and its files when it has finished)',
			action: 'Get a task',
		},
		{
			name: 'Wait for Task',
			value: 'waitForTask',
			description: 'Wait until tasks started earlier have finished and return their files',
			action: 'Wait for a task',
		},
	];
}

export function taskIdField(resources: string[]): INodeProperties {
	return {
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '={{ $json.taskId }}',
		description:
			'The ID of a task created earlier. The default reads it from the incoming item, so this node can follow a "Create Task" node directly.',
		displayOptions: { show: { resource: resources, operation: ['getTask', 'waitForTask'] } },
	};
}

export function callbackUrlField(resources: string[]): INodeProperties {
	return {
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://your-n8n.example.com/webhook/...',
		description:
			'Optional. The provider calls this URL when the task has finished. Paste the Production URL of an AI Media Trigger node (with ?token=… when the trigger asks for a secret token); the workflow of that trigger then receives the result. n8n must be reachable from the provider.',
		displayOptions: { show: { resource: resources, operation: ['createTask'] } },
	};
}

const downloadOption: INodeProperties = {
	displayName: 'Download Files',
	name: 'download',
	type: 'boolean',
	default: true,
	description:
		'Whether to download each generated file into the item as binary data. Turn off to get only the links (they expire after some hours).',
};

const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: 'The name of the binary property that receives the file',
};

const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 60,
	description:
		'How long one request to the provider may take before it counts as failed. A status check that times out is tried again; a create that times out is not sent again, so a task is never paid twice.',
};

function optionsCollection(resources: string[], operations: TaskOperation[], options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: resources, operation: operations } },
		options,
	};
}

/** Options of the operations that wait: how often to check, how long to wait, what to do with files. */
export function waitOptionsField(resources: string[], timing: PollTiming): INodeProperties {
	return optionsCollection(resources, ['generate', 'waitForTask'], [
		downloadOption,
		{
			displayName: 'Fail on Timeout',
			name: 'failOnTimeout',
			type: 'boolean',
			default: false,
			description:
				'Whether a task that is not ready after "Max Wait" stops the workflow with an error. When off, the item comes out with status "timeout" and its task ID, so a "Wait for Task" node can pick it up later.',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: Math.round(timing.maxWaitMs / 1000),
			description: 'How long to wait for each task before giving up on it',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: Math.round(timing.intervalMs / 1000),
			description:
				'How often to ask the provider whether a task is ready. The wait grows slowly for long tasks to save requests.',
		},
		binaryPropertyOption,
		requestTimeoutOption,
	]);
}

export function getTaskOptionsField(resources: string[]): INodeProperties {
	return optionsCollection(resources, ['getTask'], [downloadOption, binaryPropertyOption]);
}

/** Reference images from links and from binary fields of the input item (sent inline). */
export function referenceImageFields(
	resources: string[],
	{ max, purpose }: { max?: number; purpose: string },
): INodeProperties[] {
	const show = { resource: resources, operation: ['generate', 'createTask'] };
	return [
		{
			displayName: 'Reference Image Links',
			name: 'imageUrls',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/product.png',
			description: `Optional. Public links to images ${purpose}, separated by commas or new lines${max ? ` (at most ${max} images in all)` : ''}.`,
			displayOptions: { show },
		},
		{
			displayName: 'Reference Image Fields',
			name: 'imageBinaryProperties',
			type: 'string',
			default: '',
			placeholder: 'data, data_1',
			description: `Optional. Names of binary fields of the incoming item that hold images ${purpose}, separated by commas. They are sent inline, so they need no public link.`,
			displayOptions: { show },
		},
	];
}

/** A model list with a "custom" entry and the field for the custom ID. */
export function customModelField(resources: string[]): INodeProperties {
	return {
		displayName: 'Custom Model ID',
		name: 'customModel',
		type: 'string',
		// Not marked required: n8n would then block workflows whose Model is an expression. An empty
		// ID is refused with a clear message when the node runs.
		default: '',
		placeholder: 'e.g. google-imagen-4',
		description: "The provider's ID of a model that is not in the list",
		displayOptions: { show: { resource: resources, operation: ['generate', 'createTask'], model: ['custom'] } },
	};
}
