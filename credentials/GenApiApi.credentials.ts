import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { keyHeader } from './keyHeader';
import { allowPrivateNetworkProperty } from './privateNetwork';

export class GenApiApi implements ICredentialType {
	name = 'genApiApi';

	displayName = 'Gen-API API';

	icon: Icon = { light: 'file:../icons/genapi.svg', dark: 'file:../icons/genapi.dark.svg' };

	documentationUrl = 'https://gen-api.ru/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your key from the Gen-API dashboard (gen-api.ru → API keys)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.gen-api.ru',
			description:
				"Change only to go through a gateway or a test server. Written with or without the API's /api/v1 (https://api.gen-api.ru or https://api.gen-api.ru/api/v1), both work.",
		},
		allowPrivateNetworkProperty,
	];

	authenticate = keyHeader('Authorization', 'Bearer ');

	// Reading the account is free: testing a key never starts a paid generation.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/api\\/v1$/, "")}}',
			url: '/api/v1/user',
			method: 'GET',
		},
	};
}
