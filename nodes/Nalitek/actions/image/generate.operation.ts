import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { waitModeFields } from '../../../shared/parking';
import { nalitekClient } from '../../adapter';
import { generationOptions, promptField, waitOptions } from '../../fields';
import { imageTasks } from './tasks';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['generate'] } },
	[promptField, generationOptions(), ...waitModeFields({}, nalitekClient.displayName), waitOptions],
);

export const { execute } = imageTasks.generate;
