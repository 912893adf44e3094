import type { INodeProperties } from 'n8n-workflow';

import { callbackUrlField, getTaskOptionsField, taskIdField, waitOptionsField } from '../shared/descriptions';
import { WEBHOOK_EVENTS, generateAdapter } from './adapter';

/** The shared fields without their display rules, for operations that set their own. */
const bare = (property: INodeProperties): INodeProperties => ({ ...property, displayOptions: undefined });

export const waitOptions = bare(waitOptionsField([], generateAdapter.timing));
export const readOptions = bare(getTaskOptionsField([]));
export const taskId: INodeProperties = {
	...bare(taskIdField([])),
	description: 'The ID Nalitek gave the task (its image ID). The default reads it from the incoming item, so this node can follow a "Create Task" node directly.',
};
export const callbackUrl: INodeProperties = {
	...bare(callbackUrlField([])),
	description:
		'Optional. Nalitek posts the events you pick below to this URL, for example the URL of an AI Media Trigger node. n8n must be reachable from the internet for this.',
};
export const webhookEvents: INodeProperties = {
	displayName: 'Callback Events',
	name: 'webhookEvents',
	type: 'multiOptions',
	options: WEBHOOK_EVENTS.map((event) => ({ name: event, value: event })),
	default: ['generation.complete', 'generation.failed'],
	description: 'Which events Nalitek sends to the callback URL',
	displayOptions: { hide: { callbackUrl: [''] } },
};
