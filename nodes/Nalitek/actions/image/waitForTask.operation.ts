import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { taskId, waitOptions } from '../../fields';
import { imageTasks } from './tasks';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['waitForTask'] } },
	[taskId, waitOptions],
);

export const { execute } = imageTasks.waitForTask;
