import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode, INodePropertyOptions } from 'n8n-workflow';

/** A decimal number as text: digits, an optional sign and fraction; nothing else, no spaces. */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * A parameter's value as a number: a number, or text that is exactly a decimal number ("512",
 * "7.5"). Anything else — an array, "0x400", " 512 ", "1e3", true — is NaN, so range checks
 * refuse it instead of letting JavaScript coerce it. Unset values are undefined.
 */
export function exactNumber(value: unknown): number | undefined {
	if (value === undefined || value === '' || value === null) return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
	if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
	return NaN;
}

/** Shows a refused value as the user gave it: JSON for arrays and objects, quoted text. */
export function shown(value: unknown): string {
	if (typeof value === 'string')
		return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
	const json = JSON.stringify(value);
	return json === undefined ? String(value) : json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

export interface RangeRule {
	min: number;
	max: number;
	/** Only whole numbers (the default). */
	whole?: boolean;
	/** What a whole number counts, in the message: "pixels". */
	unit?: string;
	/** The error's description. */
	hint?: string;
}

/**
 * Checks an optional number against its documented range and returns it as a number (what is
 * sent); unset values pass as undefined.
 */
export function checkRange(
	node: INode,
	itemIndex: number,
	label: string,
	value: unknown,
	{ min, max, whole = true, unit, hint = 'Nothing was sent to the provider.' }: RangeRule,
): number | undefined {
	const number = exactNumber(value);
	if (number === undefined) return undefined;
	if (
		!Number.isFinite(number) ||
		number < min ||
		number > max ||
		(whole && !Number.isInteger(number))
	) {
		const kind = whole ? `a whole number${unit ? ` of ${unit}` : ''} ` : '';
		throw new NodeOperationError(
			node,
			`${label} must be ${kind}from ${min} to ${max} (got ${shown(value)})`,
			{ itemIndex, description: hint },
		);
	}
	return number;
}

/** Checks an optional choice against the values a document lists; returns it as text. */
export function checkChoice(
	node: INode,
	itemIndex: number,
	label: string,
	value: unknown,
	choices: string[],
): string | undefined {
	if (value === undefined || value === '' || value === null) return undefined;
	if (typeof value !== 'string' || !choices.includes(value)) {
		throw new NodeOperationError(
			node,
			`${label} must be one of ${choices.join(', ')} (got ${shown(value)})`,
			{ itemIndex, description: 'Nothing was sent to the provider.' },
		);
	}
	return value;
}

/** Checks an optional free text field: text only, trimmed; unset or blank is undefined. */
export function checkText(
	node: INode,
	itemIndex: number,
	label: string,
	value: unknown,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string')
		throw new NodeOperationError(node, `${label} must be text (got ${shown(value)})`, {
			itemIndex,
			description: 'Nothing was sent to the provider.',
		});
	return value.trim() || undefined;
}

/** Checks an optional yes/no field: only true or false are sent. */
export function checkBoolean(
	node: INode,
	itemIndex: number,
	label: string,
	value: unknown,
): boolean | undefined {
	if (value === undefined || value === '' || value === null) return undefined;
	if (typeof value === 'boolean') return value;
	throw new NodeOperationError(node, `${label} must be true or false (got ${shown(value)})`, {
		itemIndex,
		description: 'Nothing was sent to the provider.',
	});
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

/**
 * The longest prompt sent where a provider's document names no limit: far above what image models
 * read, far below what would make a request a burden.
 */
export const DEFAULT_MAX_PROMPT_LENGTH = 10_000;

/**
 * The prompt of an item, trimmed. Text only (a number from an expression is taken as text); an
 * object, an empty prompt or one longer than `maxLength` stops the node before any request.
 */
export function readPrompt(
	ctx: IExecuteFunctions,
	itemIndex: number,
	maxLength = DEFAULT_MAX_PROMPT_LENGTH,
): string {
	const value = ctx.getNodeParameter('prompt', itemIndex, '') as unknown;
	if (
		value !== null &&
		value !== undefined &&
		typeof value !== 'string' &&
		typeof value !== 'number'
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Prompt" must be text, not ${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`,
			{
				itemIndex,
				description:
					'Map a text field of the input, e.g. {{ $json.prompt }}, not a whole object. Nothing was sent to the provider.',
			},
		);
	}
	const prompt = String(value ?? '').trim();
	if (!prompt) {
		throw new NodeOperationError(ctx.getNode(), '"Prompt" is empty', {
			itemIndex,
			description:
				'Enter a prompt, or map it from the input, e.g. {{ $json.prompt }}. Nothing was sent to the provider.',
		});
	}
	if (prompt.length > maxLength) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The prompt has ${prompt.length} characters; at most ${maxLength} are sent`,
			{ itemIndex, description: 'Shorten the prompt. Nothing was sent to the provider.' },
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
