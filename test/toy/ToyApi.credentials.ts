import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** The toy provider's credential: a key sent as a header, and the Base URL. */
export class ToyApi implements ICredentialType {
	name = 'toyApi';

	displayName = 'Toy API';

	icon: Icon = { light: 'file:toy.svg', dark: 'file:toy.dark.svg' };

	documentationUrl = 'https://toy.example/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'https://toy.example' },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Toy-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/toy/account', method: 'GET' },
	};
}
