import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeSimpleCall } from '../../shared/calls';
import type { ProviderCall } from '../../shared/types';
import { nalitekClient } from '../adapter';

/** A plain Nalitek call per input item with the shared error handling (messages, hints, continue-on-fail). */
export async function nalitekCall(
	ctx: IExecuteFunctions,
	call: ProviderCall | ((itemIndex: number) => ProviderCall | Promise<ProviderCall>),
	toJson: (body: IDataObject, itemIndex: number) => IDataObject | IDataObject[] = (body) => body,
	options?: { withRaw?: boolean },
): Promise<INodeExecutionData[]> {
	return await executeSimpleCall(ctx, nalitekClient, call, toJson, options ?? { withRaw: false });
}
