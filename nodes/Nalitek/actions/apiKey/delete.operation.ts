import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readIdParameter } from '../../../shared/validation';
import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['apiKey'], operation: ['delete'] } },
	[
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			required: true,
			default: '={{ $json.id }}',
			description: 'The ID of the key (from "Get Many"), not the key itself',
		},
	],
);

const KEY_ID_MESSAGE = 'Key ID must be the ID of a key, e.g. 123';

function readKeyId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdParameter(ctx, itemIndex, 'keyId', {
		missing: KEY_ID_MESSAGE,
		invalid: () => KEY_ID_MESSAGE,
	});
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		(itemIndex) => ({
			method: 'DELETE',
			path: `/api/user/api-keys/${encodeURIComponent(readKeyId(this, itemIndex))}`,
		}),
		(_body, itemIndex) => ({ keyId: readKeyId(this, itemIndex), deleted: true }),
	);
}
