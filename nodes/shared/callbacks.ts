import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import type { TopLevelMember } from './json-scan';
import { withoutMember } from './json-scan';
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

/** What came in: the body as sent, its top-level members and the parsed body; the headers (lower-case names). */
export interface CallbackRequest {
	raw: Buffer;
	members: TopLevelMember[];
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
	 * How a caller proves it is the provider: a secret token the user appends to the URL, or a
	 * signature made with the credential's secret.
	 */
	authentication: 'token' | 'signature';
	/** Checks a signature; `secret` is the credential's webhook secret or, without one, its API key. */
	verifySignature?(request: CallbackRequest, secret: string): boolean;
	/** Where a signed body says when it was sent (checked against the replay window). */
	signedAt?(body: IDataObject): unknown;
	/** The largest body this provider sends (inline files make some large); 1 MB when unset. */
	maxBodyBytes?: number;
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
export function givenToken(request: Pick<CallbackRequest, 'headers' | 'query'>): string {
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

/**
 * Checks a `sha256=<hex>` HMAC over every text a signer can have signed: the raw body as received
 * (signature in a header), the raw body with its `signature` member cut out, and the body
 * without it re-serialised compactly (JavaScript) or as Python's json.dumps does. Each text is
 * built in one pass (json-scan.ts), so the check takes time in proportion to the body.
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
	const unsigned = { ...request.body };
	delete unsigned.signature;
	const texts: Array<Buffer | string> = [
		request.raw,
		JSON.stringify(unsigned),
		pythonJson(unsigned),
	];
	const cut = withoutMember(request.raw, request.members, 'signature');
	if (cut !== undefined) texts.push(cut);
	let match = false;
	// Every candidate is compared, so the time taken does not tell which one matched.
	for (const text of texts) match = sameSecret(signature, hmacSha256(secret, text)) || match;
	return match;
}

/** How long a signed callback stays acceptable, unless the user sets another replay window. */
export const DEFAULT_REPLAY_WINDOW_MINUTES = 5;
export const DEFAULT_REPLAY_WINDOW_MS = DEFAULT_REPLAY_WINDOW_MINUTES * 60_000;

/**
 * Why a signed callback's send time is refused, or undefined when it is within `windowMs` of
 * `now` (0: no window, anything goes). A callback without a time could be replayed forever, so
 * with a window it must have one.
 */
export function staleTimestamp(value: unknown, now: number, windowMs: number): string | undefined {
	if (windowMs <= 0) return undefined;
	if (value === undefined || value === null || value === '')
		return 'The callback has no timestamp, so it could be a replay';
	const at =
		typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(String(value));
	if (!Number.isFinite(at)) return "The callback's timestamp is not a date";
	const minutes = (ms: number) =>
		ms < 120_000 ? `${Math.round(ms / 1000)} seconds` : `${Math.round(ms / 60_000)} minutes`;
	if (Math.abs(now - at) <= windowMs) return undefined;
	return `The callback's timestamp is ${minutes(Math.abs(now - at))} ${at < now ? 'old' : 'in the future'}; the replay window is ${minutes(windowMs)}`;
}
