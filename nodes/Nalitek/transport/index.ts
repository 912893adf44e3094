import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeSimpleCall } from '../../shared/operations';
import type {
	ProviderCall,
	ProviderClient,
	ProviderFailure,
	ProviderResponse,
} from '../../shared/types';

const HINTS: Record<number, string> = {
	403: 'The daily quota of your plan is used up; it resets at 00:00 UTC. (An admin operation with a non-admin key also gives 403.)',
	429: 'Nalitek allows 10 generations and 10 image-to-image requests, 5 upscales and 2 batches per minute. The node paces itself; this limit was hit by other clients of the same key.',
};

/** Errors come as `{ error, details, code, request_id }`. */
export function readNalitekFailure(response: ProviderResponse): ProviderFailure | undefined {
	if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
	const body = (
		response.body && typeof response.body === 'object' ? response.body : {}
	) as IDataObject;
	const error = typeof body.error === 'string' ? body.error : undefined;
	const details = typeof body.details === 'string' ? body.details : undefined;
	const message = error && details ? `${error}: ${details}` : (error ?? details);
	if (!message) return undefined;
	return { message, code: typeof body.code === 'string' ? body.code : undefined };
}

/** Nalitek for every request: the credential, the name, how it says "error". */
export const nalitekClient: ProviderClient = {
	provider: 'nalitek',
	displayName: 'Nalitek',
	credentialType: 'nalitekApi',
	hints: HINTS,
	readFailure: readNalitekFailure,
	// The document's error table: "500 Internal Server Error — repeat later".
	resendCreateOn: [500],
};

/** A plain Nalitek call per input item with the shared error handling (messages, hints, continue-on-fail). */
export async function nalitekCall(
	ctx: IExecuteFunctions,
	call: ProviderCall | ((itemIndex: number) => ProviderCall | Promise<ProviderCall>),
	toJson: (body: IDataObject, itemIndex: number) => IDataObject | IDataObject[] = (body) => body,
	options?: { withRaw?: boolean },
): Promise<INodeExecutionData[]> {
	return await executeSimpleCall(ctx, nalitekClient, call, toJson, options ?? { withRaw: false });
}
