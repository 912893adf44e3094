import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { callbackUrl, generationOptions, promptField, webhookEvents } from '../../fields';
import { imageTasks } from './tasks';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['createTask'] } },
	[promptField, generationOptions(), callbackUrl, webhookEvents],
);

export const { execute } = imageTasks.createTask;
