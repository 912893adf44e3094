import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { actionSubtitle } from '../shared/descriptions';
import { router } from './actions/router';
import { nalitekProperties } from './description';
import { getLoras } from './methods/loadOptions';

export class Nalitek implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nalitek',
		name: 'nalitek',
		icon: { light: 'file:../../icons/nalitek.svg', dark: 'file:../../icons/nalitek.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(nalitekProperties),
		description:
			'Generate, transform and upscale images with the Nalitek FLUX API, one by one or in batches',
		defaults: { name: 'Nalitek' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nalitekApi', required: true }],
		properties: nalitekProperties,
	};

	methods = { loadOptions: { getLoras } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
