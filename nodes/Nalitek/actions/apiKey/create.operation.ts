import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { splitList } from '../../../shared/images';
import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['apiKey'], operation: ['create'] } },
	[
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Production',
			description: 'A name to recognise the key by',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Allowed IP Addresses',
					name: 'ipWhitelist',
					type: 'string',
					default: '',
					placeholder: 'e.g. 203.0.113.10, 203.0.113.11',
					description: 'Only these addresses may use the key, separated by commas',
				},
				{
					displayName: 'Rate Limit',
					name: 'rateLimit',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 60,
					description: 'Requests per minute this key may make',
				},
			],
		},
		{
			displayName:
				'The new key is in the output once: store it right away (e.g. in an n8n credential), it cannot be read again',
			name: 'notice',
			type: 'notice',
			default: '',
		},
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(this, (itemIndex) => {
		const name = String(this.getNodeParameter('name', itemIndex, '') ?? '').trim();
		if (!name) throw new NodeOperationError(this.getNode(), 'The key needs a name', { itemIndex });
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = { name };
		const ips = splitList(fields.ipWhitelist);
		if (ips.length) body.ip_whitelist = ips;
		if (fields.rateLimit !== undefined) body.rate_limit = fields.rateLimit;
		return { method: 'POST', path: '/api/user/api-keys', body };
	});
}
