import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readIdParameter } from '../../../shared/validation';
import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['admin'], operation: ['banUser'] } },
	[
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '={{ $json.id }}',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			placeholder: 'e.g. Violation of terms of service',
			description: 'Why the user is banned; Nalitek keeps it with the ban',
		},
	],
);

const userIdMessage = 'User ID must be the ID of a user, e.g. 123';

/** POST /api/admin/user/{id}/ban (admin keys only). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const userId = (itemIndex: number) =>
		readIdParameter(this, itemIndex, 'userId', {
			missing: userIdMessage,
			invalid: () => userIdMessage,
		});
	return await nalitekCall(
		this,
		(itemIndex) => ({
			method: 'POST',
			path: `/api/admin/user/${encodeURIComponent(userId(itemIndex))}/ban`,
			body: { reason: String(this.getNodeParameter('reason', itemIndex, '') ?? '') },
		}),
		(body, itemIndex) => ({ userId: userId(itemIndex), banned: true, ...body }),
	);
}
