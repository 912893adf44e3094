import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode, INodePropertyOptions } from 'n8n-workflow';

/** Checks an optional whole number against its documented range; unset values pass. */
export function checkIntegerRange(
	node: INode,
	itemIndex: number,
	label: string,
	value: unknown,
	min: number,
	max: number,
): void {
	if (value === undefined || value === '' || value === null) return;
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new NodeOperationError(
			node,
			`${label} must be a whole number from ${min} to ${max} (got ${String(value)})`,
			{
				itemIndex,
			},
		);
	}
}

/** Returns the URL when it is an absolute http(s) URL, throws otherwise. */
export function checkHttpUrl(node: INode, itemIndex: number, label: string, value: string): string {
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new NodeOperationError(node, `${label} must be an http(s) URL (got "${value}")`, {
			itemIndex,
		});
	}
	return value;
}

/** The prompt of an item, trimmed; empty or too long prompts stop the node before any request. */
export function readPrompt(ctx: IExecuteFunctions, itemIndex: number, maxLength?: number): string {
	const prompt = String(ctx.getNodeParameter('prompt', itemIndex, '') ?? '').trim();
	if (!prompt) {
		throw new NodeOperationError(ctx.getNode(), '"Prompt" is empty', {
			itemIndex,
			description:
				'Enter a prompt, or map it from the input, e.g. {{ $json.prompt }}. Nothing was sent to the provider.',
		});
	}
	if (maxLength !== undefined && prompt.length > maxLength) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The prompt has ${prompt.length} characters; the provider takes at most ${maxLength}`,
			{ itemIndex },
		);
	}
	return prompt;
}

/**
 * The model chosen in the list, or the custom model ID when "Custom" is chosen. A value from an
 * expression must be one of the list: other IDs go through "Custom Model ID", so a typo is caught
 * before a paid request.
 */
export function readModel(
	ctx: IExecuteFunctions,
	itemIndex: number,
	known: INodePropertyOptions[],
): string {
	const model = String(ctx.getNodeParameter('model', itemIndex, '') ?? '').trim();
	if (model !== 'custom') {
		if (known.some((option) => option.value === model)) return model;
		throw new NodeOperationError(ctx.getNode(), `Model "${model}" is not in the list`, {
			itemIndex,
			description: `Pick a model from the list, or choose "Custom Model ID" and enter the ID there. Known IDs: ${known
				.filter((option) => option.value !== 'custom')
				.map((option) => option.value)
				.join(', ')}.`,
		});
	}
	const custom = String(ctx.getNodeParameter('customModel', itemIndex, '') ?? '').trim();
	if (!custom)
		throw new NodeOperationError(
			ctx.getNode(),
			'Enter the Custom Model ID, or pick a model from the list',
			{ itemIndex },
		);
	return custom;
}

/** The optional callback URL of a Create Task operation, checked; empty when not set. */
export function readCallbackUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	if (ctx.getNodeParameter('operation', itemIndex) !== 'createTask') return '';
	const callbackUrl = String(ctx.getNodeParameter('callbackUrl', itemIndex, '') ?? '').trim();
	return callbackUrl ? checkHttpUrl(ctx.getNode(), itemIndex, 'Callback URL', callbackUrl) : '';
}

/**
 * An ID parameter as a string (numbers from expressions included), trimmed. A missing ID stops
 * the node with `missing`; with `invalid`, so does one that is not letters, digits, _ or -.
 */
export function readIdParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	messages: { missing: string; invalid?: (id: string) => string },
): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const id =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!id) throw new NodeOperationError(ctx.getNode(), messages.missing, { itemIndex });
	if (messages.invalid && !/^[\w-]+$/.test(id)) {
		throw new NodeOperationError(ctx.getNode(), messages.invalid(id), { itemIndex });
	}
	return id;
}
