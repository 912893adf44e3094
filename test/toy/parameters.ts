import type { CreateRequest } from '../../nodes/shared/types';
import { readCallbackUrl, readPrompt } from '../../nodes/shared/validation';

/** An item's create request: its prompt, and where the toy calls back. */
export const createToyRequest: CreateRequest = (ctx, itemIndex, options) => {
	const callbackUrl = options?.callbackUrl ?? readCallbackUrl(ctx, itemIndex);
	const body = {
		prompt: readPrompt(ctx, itemIndex),
		...(callbackUrl ? { hook: callbackUrl } : {}),
	};
	return { method: 'POST', path: '/toy/tickets', body };
};
