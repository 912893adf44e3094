import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { TaskState } from './types';

/** A callback as the receiver read it: the task it is about, and what it says of it. */
export interface ParsedCallback {
	taskId: string;
	/** The provider's event name, for providers that send events. */
	event?: string;
	/** What the body says of the task; a hint until the caller is verified or the task is read again. */
	state?: TaskState;
	/** True for the last callback of a task (finished or failed); progress callbacks are false. */
	final: boolean;
}

/** What came in: the body as sent and as parsed, and the headers (lower-case names). */
export interface CallbackRequest {
	rawBody: Buffer;
	body: IDataObject;
	headers: Record<string, string | undefined>;
	query: IDataObject;
}

/**
 * How a provider calls back, declared by its adapter. The AI Media Trigger (and a parked
 * execution) read every provider's callbacks through this, with no provider names of their own.
 */
export interface CallbackContract {
	/**
	 * How a caller proves it is the provider: a secret token the user appends to the URL
	 * (required, or optional for providers whose URL check makes a required token awkward), or
	 * a signature made with the credential's secret.
	 */
	authentication: 'token' | 'optionalToken' | 'signature';
	/** Checks a signature; `secret` is the credential's webhook secret or, without one, its API key. */
	verifySignature?(request: CallbackRequest, secret: string, now: number): boolean;
	/** The answer to a handshake the provider sends before any callback (MiniMax's challenge). */
	handshake?(body: IDataObject): IDataObject | undefined;
	/** Reads a callback; throws when the body is not one of this provider's. */
	parse(body: IDataObject): ParsedCallback;
	/**
	 * Whether the state in a verified callback can be used as it is. When false (an undocumented
	 * body) or when the caller is not verified, the task is read again through the provider's API.
	 */
	trustsBody: boolean;
	/** The events the provider sends, and those that start the workflow unless the user says otherwise. */
	events?: { all: string[]; default: string[] };
	/** True when the provider also reports progress (the user may ask for those callbacks too). */
	progress?: boolean;
	/** Whether the receiver needs the provider credential (to read the task again, or to check signatures). */
	credential: 'required' | 'optional';
	/** What the user does with the receiving URL, shown in the trigger's panel. */
	instructions: string;
	/** Shown next to the provider's name in the trigger's Provider list. */
	description: string;
}

/** Compares two secrets in constant time; different lengths or empty secrets never match. */
export function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** The token a caller sent: `?token=` in the URL, or an `X-Webhook-Token` header. */
export function givenToken(request: CallbackRequest): string {
	const query = request.query.token;
	if (typeof query === 'string') return query;
	return request.headers['x-webhook-token'] ?? '';
}

export function hmacSha256(secret: string, data: Buffer | string): string {
	return createHmac('sha256', secret).update(data).digest('hex');
}

/**
 * JSON as Python's `json.dumps` writes it by default: ", " and ": " separators and every
 * non-ASCII character escaped as \uXXXX (surrogate pairs above U+FFFF). Providers whose SDKs are
 * Python sign this text.
 */
export function pythonJson(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'string') {
		return JSON.stringify(value).replace(
			/[\u007f-\uffff]/g,
			(ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
		);
	}
	if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
	if (typeof value === 'object') {
		const entries = Object.entries(value as IDataObject).filter(([, inner]) => inner !== undefined);
		return `{${entries.map(([key, inner]) => `${pythonJson(key)}: ${pythonJson(inner)}`).join(', ')}}`;
	}
	return 'null';
}

/** The raw body with one string member (e.g. `"signature": "…"`) cut out, the rest as sent. */
export function withoutMember(rawBody: string, name: string): string | undefined {
	const member = `"${name}"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*"`;
	const after = new RegExp(`\\s*,\\s*${member}`);
	const before = new RegExp(`${member}\\s*,\\s*`);
	if (after.test(rawBody)) return rawBody.replace(after, '');
	if (before.test(rawBody)) return rawBody.replace(before, '');
	return undefined;
}

/**
 * Checks a `sha256=<hex>` HMAC over every text a signer can have signed: the raw body as received
 * (signature in a header), the raw body with its `signature` member cut out, and the body
 * without it re-serialised compactly (JavaScript) or as Python's json.dumps does.
 */
export function verifyBodySignature(
	request: CallbackRequest,
	secret: string,
	headerNames: string[],
): boolean {
	const fromHeader = headerNames
		.map((name) => request.headers[name])
		.find((value) => typeof value === 'string' && value);
	const fromBody = typeof request.body.signature === 'string' ? request.body.signature : undefined;
	const signature = (fromHeader ?? fromBody ?? '')
		.trim()
		.replace(/^sha256=/i, '')
		.toLowerCase();
	if (!signature || !secret) return false;
	const raw = request.rawBody.toString('utf8');
	const unsigned = { ...request.body };
	delete unsigned.signature;
	const texts = new Set<string>([raw, JSON.stringify(unsigned), pythonJson(unsigned)]);
	const cut = withoutMember(raw, 'signature');
	if (cut !== undefined) texts.add(cut);
	let match = false;
	// Every candidate is compared, so the time taken does not tell which one matched.
	for (const text of texts) match = sameSecret(signature, hmacSha256(secret, text)) || match;
	return match;
}

/** A callback whose `timestamp` is further than this from now is refused (a replay). */
export const CALLBACK_MAX_AGE_MS = 5 * 60_000;

/** True when an ISO `timestamp` is missing or within CALLBACK_MAX_AGE_MS of now. */
export function freshTimestamp(value: unknown, now: number): boolean {
	if (value === undefined || value === null || value === '') return true;
	const at =
		typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(String(value));
	return Number.isFinite(at) && Math.abs(now - at) <= CALLBACK_MAX_AGE_MS;
}

/** Parses a callback body; undefined when it is not a JSON object. */
export function parseCallbackBody(
	rawBody: Buffer | undefined,
	parsed: unknown,
): IDataObject | undefined {
	if (rawBody && rawBody.length) {
		try {
			const value = JSON.parse(rawBody.toString('utf8')) as unknown;
			return value && typeof value === 'object' && !Array.isArray(value)
				? (value as IDataObject)
				: undefined;
		} catch {
			return undefined;
		}
	}
	return parsed &&
		typeof parsed === 'object' &&
		!Array.isArray(parsed) &&
		Object.keys(parsed).length
		? (parsed as IDataObject)
		: undefined;
}

/** Answers the caller with a small JSON body now; what the webhook does next does not wait for it. */
export function replyJson(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** A callback as it came in: raw body, parsed body and lower-case headers; undefined when not a JSON object. */
export function readCallbackRequest(ctx: IWebhookFunctions): CallbackRequest | undefined {
	const raw = ctx.getRequestObject() as unknown as { rawBody?: Buffer; body?: unknown };
	const body = parseCallbackBody(raw.rawBody, raw.body ?? ctx.getBodyData());
	if (!body) return undefined;
	const headers: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(ctx.getHeaderData())) {
		headers[name.toLowerCase()] = Array.isArray(value)
			? value[0]
			: typeof value === 'string'
				? value
				: undefined;
	}
	return {
		rawBody: raw.rawBody ?? Buffer.from(JSON.stringify(body)),
		body,
		headers,
		query: ctx.getQueryData() as IDataObject,
	};
}
