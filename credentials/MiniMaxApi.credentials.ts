import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { keyHeader } from './keyHeader';
import { allowPrivateNetworkProperty } from './privateNetwork';

export class MiniMaxApi implements ICredentialType {
	name = 'miniMaxApi';

	displayName = 'MiniMax API';

	icon: Icon = { light: 'file:../icons/minimax.svg', dark: 'file:../icons/minimax.dark.svg' };

	documentationUrl = 'https://platform.minimax.io/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk-api-...',
			description: 'Your key from the MiniMax console',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.minimax.io',
			description:
				'Keys are bound to a region: use https://api.minimax.io for global keys and https://api.minimaxi.com for mainland-China keys. The API paths (/v1/...) are added to it.',
		},
		allowPrivateNetworkProperty,
	];

	authenticate = keyHeader('Authorization', 'Bearer ');

	// Asking for a task that cannot exist is free. MiniMax answers HTTP 200 either way; only
	// codes 1004 (not authorized) and 2049 (invalid key) say the key is wrong.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/v1$/, "")}}',
			url: '/v1/query/video_generation',
			qs: { task_id: 'n8n-credential-test' },
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'base_resp.status_code',
					value: 1004,
					message:
						'The key is not authorized (1004). Check the key and that the base URL matches its region.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'base_resp.status_code',
					value: 2049,
					message:
						'Invalid API key (2049). Check the key and that the base URL matches its region.',
				},
			},
		],
	};
}
