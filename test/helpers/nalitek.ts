// The Nalitek node as the node tests run it: Image → Generate by default, polled every second.
import type { INodeExecutionData } from 'n8n-workflow';

import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import { Nalitek } from '../../nodes/Nalitek/Nalitek.node';
import { generateParameters, runNode } from './context';

export interface NalitekRun {
	baseUrl: string;
	apiKey: string;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
}

export function runNalitek(
	parameters: Record<string, unknown>,
	{ baseUrl, apiKey, items, continueOnFail }: NalitekRun,
): ReturnType<typeof runNode> {
	return runNode({
		node: new Nalitek(),
		credentialType: new NalitekApi(),
		credentials: { apiKey, baseUrl },
		parameters: generateParameters(parameters),
		items,
		continueOnFail,
	});
}
