import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { imageTasks } from './tasks';
import { readOptions, taskId } from '../../fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['getTask'] } },
	[taskId, readOptions],
);

export const { execute } = imageTasks.getTask;
