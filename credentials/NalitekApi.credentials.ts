import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { keyHeader } from './keyHeader';
import { allowPrivateNetworkProperty } from './privateNetwork';

export class NalitekApi implements ICredentialType {
	name = 'nalitekApi';

	displayName = 'Nalitek API';

	icon: Icon = { light: 'file:../icons/nalitek.svg', dark: 'file:../icons/nalitek.dark.svg' };

	documentationUrl = 'https://image.nalitek.com';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your key from the Nalitek dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://image.nalitek.com',
			description:
				'Change only to go through a gateway or a test server. The API paths (/api/...) are added to it.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The secret Nalitek signs webhooks with; the AI Media Trigger node uses it to check the "sha256=" signature.',
		},
		allowPrivateNetworkProperty,
	];

	authenticate = keyHeader('X-API-Key');

	// Reading the usage statistics is free.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/api$/, "")}}',
			url: '/api/user/stats',
			method: 'GET',
		},
	};
}
