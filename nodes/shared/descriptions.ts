import type { INodeProperties } from 'n8n-workflow';

import type { TaskOperation } from './node-description';

import type { PollTiming } from './types';

/**
 * The prompt of a create operation: four rows, an example that fits the node as placeholder.
 * Required unless the node accepts another input instead (MiniMax: a first frame).
 */
export function promptField(
	placeholder: string,
	description: string,
	displayOptions?: INodeProperties['displayOptions'],
	{ required = true }: { required?: boolean } = {},
): INodeProperties {
	const field: INodeProperties = {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder,
		description,
	};
	if (required) field.required = true;
	if (displayOptions) field.displayOptions = displayOptions;
	return field;
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

/** "Max File Size (MB)" when it is not set. */
export const DEFAULT_MAX_FILE_MB = 200;

export const maxFileSizeOption: INodeProperties = {
	displayName: 'Max File Size (MB)',
	name: 'maxFileSizeMb',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_MAX_FILE_MB,
	description:
		'A larger result file is not stored: the download stops at this size, whatever the file host announces, and the item says why and keeps the link',
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

function optionsCollection(
	resources: string[],
	operations: TaskOperation[],
	options: INodeProperties[],
): INodeProperties {
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
	return optionsCollection(
		resources,
		['generate', 'waitForTask'],
		[
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
			maxFileSizeOption,
			requestTimeoutOption,
		],
	);
}

export function getTaskOptionsField(resources: string[]): INodeProperties {
	return optionsCollection(
		resources,
		['getTask'],
		[downloadOption, binaryPropertyOption, maxFileSizeOption],
	);
}

/**
 * One image given to the provider, said the same way in every node: where it comes from, then
 * the "Input Binary Field" of the incoming item (n8n's own words) or the "Image URL".
 */
export function imageInputValues(binaryDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{
					name: 'Binary File',
					value: 'binary',
					description: 'A file of the incoming item, e.g. an image made by an earlier node',
				},
				{ name: 'Image URL', value: 'url', description: 'A public link to the image' },
			],
			default: 'binary',
		},
		{
			displayName: 'Input Binary Field',
			name: 'inputBinaryField',
			type: 'string',
			default: 'data',
			placeholder: 'e.g. data',
			hint: 'The name of the input binary field containing the image (several names separated by commas, where more images are allowed)',
			description: binaryDescription,
			displayOptions: { show: { source: ['binary'] } },
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/product.png',
			displayOptions: { show: { source: ['url'] } },
		},
	];
}

/** Reference images, one entry per image, from binary fields of the incoming item or from links. */
export function referenceImagesField(
	resources: string[],
	{ max, purpose }: { max?: number; purpose: string },
): INodeProperties {
	return {
		displayName: 'Reference Images',
		name: 'referenceImages',
		type: 'fixedCollection',
		placeholder: 'Add Reference Image',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Reference Image' },
		default: {},
		description: `Optional. Images ${purpose}${max ? ` (at most ${max})` : ''}. Files of the incoming item are sent inline, so they need no public link.`,
		displayOptions: { show: { resource: resources, operation: ['generate', 'createTask'] } },
		options: [
			{
				displayName: 'Reference Image',
				name: 'images',
				values: imageInputValues(
					'JPG, PNG, WebP or GIF, up to 20 MB. To send several files of earlier nodes, put them into one item with Aggregate (Include Binaries): they become data, data_1, …',
				),
			},
		],
	};
}

/** A model list with a "custom" entry and the field for the custom ID. */
export function customModelField(resources: string[], example: string): INodeProperties {
	return {
		displayName: 'Custom Model ID',
		name: 'customModel',
		type: 'string',
		// Not marked required: n8n would then block workflows whose Model is an expression. An empty
		// ID is refused with a clear message when the node runs.
		default: '',
		placeholder: `e.g. ${example}`,
		description: "The provider's ID of a model that is not in the list",
		displayOptions: {
			show: { resource: resources, operation: ['generate', 'createTask'], model: ['custom'] },
		},
	};
}
