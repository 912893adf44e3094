import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { keyHeader } from './keyHeader';
import { allowPrivateNetworkProperty } from './privateNetwork';

export class DefApiApi implements ICredentialType {
	name = 'defApiApi';

	displayName = 'DefAPI API';

	icon: Icon = { light: 'file:../icons/defapi.svg', dark: 'file:../icons/defapi.dark.svg' };

	documentationUrl = 'https://defapi.org';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'dk-...',
			description: 'Your key from the DefAPI dashboard; it starts with "dk-"',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.defapi.org',
			description:
				'Change only to go through a gateway or a test server. The API paths (/api/...) are added to it.',
		},
		allowPrivateNetworkProperty,
	];

	authenticate = keyHeader('Authorization', 'Bearer ');

	// DefAPI has no documented free account call. Asking for a task that cannot exist is free:
	// a valid key gets "task not found", a wrong one "Invalid API key".
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/api$/, "")}}',
			url: '/api/task/query',
			qs: { task_id: 'n8n-credential-test' },
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'message',
					value: 'Invalid API key',
					message: 'The API key is not valid',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 401, message: 'The API key is not valid' },
			},
		],
	};
}
