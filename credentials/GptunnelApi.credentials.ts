import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { keyHeader } from './keyHeader';
import { allowPrivateNetworkProperty } from './privateNetwork';

export class GptunnelApi implements ICredentialType {
	name = 'gptunnelApi';

	displayName = 'GPTunnel API';

	icon: Icon = { light: 'file:../icons/gptunnel.svg', dark: 'file:../icons/gptunnel.dark.svg' };

	documentationUrl = 'https://docs.gptunnel.ru';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your key from the GPTunnel dashboard (gptunnel.ru → API)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gptunnel.ru',
			description:
				'Change only to go through a gateway or a test server. The API paths (/v1/...) are added to it.',
		},
		allowPrivateNetworkProperty,
	];

	// GPTunnel expects the bare key, without "Bearer".
	authenticate = keyHeader('Authorization');

	// Reading the balance is free: testing a key never starts a paid generation.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '/v1/balance',
			method: 'GET',
		},
	};
}
