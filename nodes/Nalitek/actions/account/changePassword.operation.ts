import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['changePassword'] } },
	[
		{
			displayName: 'Current Password',
			name: 'currentPassword',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'New Password',
			name: 'newPassword',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
	],
);

/** POST /api/user/password. Neither password is written into the output. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		(itemIndex) => {
			const currentPassword = String(this.getNodeParameter('currentPassword', itemIndex, '') ?? '');
			const newPassword = String(this.getNodeParameter('newPassword', itemIndex, '') ?? '');
			if (!currentPassword || !newPassword) {
				throw new NodeOperationError(this.getNode(), 'Enter the current and the new password', {
					itemIndex,
				});
			}
			if (currentPassword === newPassword) {
				throw new NodeOperationError(
					this.getNode(),
					'The new password is the same as the current one',
					{ itemIndex },
				);
			}
			return {
				method: 'POST',
				path: '/api/user/password',
				body: { current_password: currentPassword, new_password: newPassword },
			};
		},
		() => ({ changed: true }),
	);
}
