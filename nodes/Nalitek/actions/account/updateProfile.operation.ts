import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { MODELS } from '../../adapter';
import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['updateProfile'] } },
	[
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Default Model',
					name: 'defaultModel',
					type: 'options',
					options: MODELS.map((model) => ({ name: model, value: model })),
					default: 'flux-dev',
				},
				{
					displayName: 'Default Quality',
					name: 'defaultQuality',
					type: 'options',
					options: [
						{ name: 'High', value: 'high' },
						{ name: 'Standard', value: 'standard' },
						{ name: 'Ultra', value: 'ultra' },
					],
					default: 'high',
				},
				{
					displayName: 'Email',
					name: 'email',
					type: 'string',
					placeholder: 'e.g. name@email.com',
					default: '',
				},
				{
					displayName: 'Email Notifications',
					name: 'emailNotifications',
					type: 'boolean',
					default: true,
					description: 'Whether Nalitek sends you emails',
				},
				{ displayName: 'Username', name: 'username', type: 'string', default: '' },
				{
					displayName: 'Webhooks Enabled',
					name: 'webhookEnabled',
					type: 'boolean',
					default: false,
					description: 'Whether webhooks are enabled for the account',
				},
			],
		},
	],
);

/** PUT /api/user/profile with only the fields the user added. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(this, (itemIndex) => {
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = {};
		const settings: IDataObject = {};
		if (fields.username) body.username = fields.username;
		if (fields.email) body.email = fields.email;
		if (fields.defaultModel) settings.default_model = fields.defaultModel;
		if (fields.defaultQuality) settings.default_quality = fields.defaultQuality;
		if (typeof fields.emailNotifications === 'boolean')
			settings.email_notifications = fields.emailNotifications;
		if (typeof fields.webhookEnabled === 'boolean')
			settings.webhook_enabled = fields.webhookEnabled;
		if (Object.keys(settings).length) body.settings = settings;
		if (!Object.keys(body).length)
			throw new NodeOperationError(this.getNode(), 'Add at least one field to update', {
				itemIndex,
			});
		return { method: 'PUT', path: '/api/user/profile', body };
	});
}
