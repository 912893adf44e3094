import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { executeSimpleCall } from './calls';
import type { Operation } from './router';
import type { ProviderCall, ProviderClient } from './types';

/** The Operation field of the Account resource, for providers whose API tells the balance. */
export const balanceOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Get Balance',
			value: 'getBalance',
			description: 'Read the balance of your account (free)',
			action: 'Get the account balance',
		},
	],
	default: 'getBalance',
};

/** Account → Get Balance: one item with `balance`, read from the answer or its `data`. */
export function balanceOperation(client: ProviderClient, call: ProviderCall): Operation {
	return {
		async execute() {
			return await executeSimpleCall(this, client, call, (body) => {
				const account = (
					body.data && typeof body.data === 'object' ? body.data : body
				) as IDataObject;
				return { balance: account.balance ?? null };
			});
		},
	};
}
