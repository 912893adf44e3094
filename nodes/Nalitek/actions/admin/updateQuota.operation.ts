import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { exactNumber, readIdParameter } from '../../../shared/validation';
import { nalitekCall } from '../call';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['admin'], operation: ['updateQuota'] } },
	[
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '={{ $json.id }}',
		},
		{
			displayName: 'Daily Generations',
			name: 'dailyGenerations',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 100,
		},
		{
			displayName: 'Daily Upscales',
			name: 'dailyUpscales',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 50,
		},
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await nalitekCall(
		this,
		(itemIndex) => {
			const userIdMessage = 'User ID must be the ID of a user, e.g. 123';
			const userId = readIdParameter(this, itemIndex, 'userId', {
				missing: userIdMessage,
				invalid: () => userIdMessage,
			});
			const dailyGenerations = exactNumber(this.getNodeParameter('dailyGenerations', itemIndex, 0));
			const dailyUpscales = exactNumber(this.getNodeParameter('dailyUpscales', itemIndex, 0));
			for (const [label, value] of [
				['Daily Generations', dailyGenerations],
				['Daily Upscales', dailyUpscales],
			] as const) {
				if (value === undefined || !Number.isInteger(value) || value < 0)
					throw new NodeOperationError(
						this.getNode(),
						`${label} must be a whole number of 0 or more`,
						{ itemIndex },
					);
			}
			return {
				method: 'POST',
				path: `/api/admin/user/${encodeURIComponent(userId)}/quota`,
				body: { daily_generations: dailyGenerations, daily_upscales: dailyUpscales },
			};
		},
		(body, itemIndex) => ({
			userId: String(this.getNodeParameter('userId', itemIndex, '')),
			updated: true,
			...body,
		}),
	);
}
