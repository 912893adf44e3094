import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { CallbackContract, CallbackRequest, ParsedCallback } from './callbacks';
import { givenToken, sameSecret, staleTimestamp } from './callbacks';
import type { ProviderError } from './errors';
import type { EngineHost } from './host';
import { scanJson } from './json-scan';
import { redact, secretsOf } from './secrets';
import type { TaskSession } from './session';
import { settle } from './timing';
import type { TaskState } from './types';

/**
 * The callback intake: every request the AI Media Trigger or a parked execution receives passes
 * here first, in this order, each step in time proportional to the body and none of them
 * trusting it: size, token, shape and depth, JSON, handshake, signature and replay window, the
 * provider's reading. What a step refuses gets a 4xx answer and starts nothing.
 */

/** The largest callback body read when the provider's contract names no other bound. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;
/** Provider callbacks are a few levels deep; a body nested deeper is refused unread. */
export const MAX_CALLBACK_DEPTH = 32;

/** A request as n8n hands it over: the raw body when n8n kept it, otherwise what it parsed. */
export interface RawCallback {
	rawBody?: Buffer;
	parsed?: unknown;
	headers: Record<string, unknown>;
	query: IDataObject;
}

export interface IntakeRules {
	contract: CallbackContract;
	/** The token the caller must send (the trigger's Secret Token); undefined where none is asked. */
	token?: string;
	/** The secret signatures are checked with; undefined or empty: signatures are not checked. */
	signingSecret?: string;
	/** Whether a caller that proved nothing is refused (401) rather than read as a hint to confirm. */
	requireProof: boolean;
	/** How old a signed callback may be; 0: any age. */
	replayWindowMs: number;
	now: number;
	/** Texts never to repeat: the credential's secrets and the token. */
	secrets: readonly string[];
}

export type Intake =
	| { ok: false; status: number; message: string }
	| { ok: true; handshake: IDataObject }
	| {
			ok: true;
			handshake?: undefined;
			callback: ParsedCallback;
			/** The caller proved to be the provider (token or signature). */
			verified: boolean;
	  };

const refuse = (status: number, message: string): Intake => ({ ok: false, status, message });

const isPlainObject = (value: unknown): value is IDataObject =>
	!!value && typeof value === 'object' && !Array.isArray(value);

/** Reads one callback by the rules; never throws. */
export function takeIn(raw: RawCallback, rules: IntakeRules): Intake {
	const { contract } = rules;
	const bytes = raw.rawBody ?? Buffer.from(JSON.stringify(raw.parsed ?? null));
	const maxBytes = contract.maxBodyBytes ?? MAX_CALLBACK_BYTES;
	if (bytes.length > maxBytes)
		return refuse(413, `A callback may have at most ${Math.round(maxBytes / 1024)} KB`);
	const headers: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(raw.headers ?? {})) {
		const first = Array.isArray(value) ? value[0] : value;
		headers[name.toLowerCase()] = typeof first === 'string' ? first : undefined;
	}
	const partial = { headers, query: raw.query ?? {} };

	let verified = false;
	if (rules.token !== undefined) {
		// A token is checked before the body is looked at: a stranger costs a comparison.
		if (!rules.token || !sameSecret(givenToken(partial), rules.token))
			return refuse(401, 'Unauthorized');
		verified = true;
	}

	const scan = scanJson(bytes, MAX_CALLBACK_DEPTH);
	if (!scan.ok)
		return scan.reason === 'depth'
			? refuse(400, `A callback may be nested at most ${MAX_CALLBACK_DEPTH} levels deep`)
			: refuse(400, 'Expected a JSON object');
	// n8n has parsed this very body already; it is parsed here only when n8n kept it as text.
	let body =
		raw.rawBody && isPlainObject(raw.parsed) && Object.keys(raw.parsed).length
			? raw.parsed
			: undefined;
	if (!body) {
		try {
			body = JSON.parse(bytes.toString('utf8')) as IDataObject;
		} catch {
			return refuse(400, 'Expected a JSON object');
		}
	}
	if (!isPlainObject(body)) return refuse(400, 'Expected a JSON object');
	const request: CallbackRequest = { raw: bytes, members: scan.members, body, ...partial };

	const handshake = contract.handshake?.(body);
	if (handshake) return { ok: true, handshake };

	if (contract.authentication === 'signature' && rules.signingSecret) {
		if (contract.verifySignature?.(request, rules.signingSecret) === true) {
			const stale = staleTimestamp(contract.signedAt?.(body), rules.now, rules.replayWindowMs);
			if (stale) return refuse(401, stale);
			verified = true;
		} else if (rules.requireProof) return refuse(401, 'The signature does not match');
	}
	if (rules.requireProof && !verified) return refuse(401, 'Unauthorized');

	// Nothing read from a callback may carry a secret on into items or logs.
	let callback: ParsedCallback;
	try {
		callback = contract.parse(redact(body, rules.secrets));
	} catch {
		return refuse(400, 'Not a callback of this provider');
	}
	return { ok: true, callback, verified };
}

/** The request of a webhook call as the intake reads it. */
export function rawCallback(ctx: IWebhookFunctions): RawCallback {
	const request = ctx.getRequestObject() as unknown as { rawBody?: unknown; body?: unknown };
	return {
		rawBody: Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined,
		parsed: request.body ?? ctx.getBodyData(),
		headers: ctx.getHeaderData() as Record<string, unknown>,
		query: ctx.getQueryData() as IDataObject,
	};
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

/** A node's credential when one is set, or undefined (read through the host, so once per call). */
export async function optionalCredentials(
	host: Pick<EngineHost, 'credentials'>,
	type: string,
): Promise<IDataObject | undefined> {
	const outcome = await settle(async () => await host.credentials(type));
	return outcome.ok ? outcome.value : undefined;
}

/** Callbacks one node remembers at most; the oldest are forgotten first. */
const MEMORY_LIMIT = 10_000;

/**
 * Which callbacks a receiving node has taken already, so a repeat starts nothing. Claimed in one
 * synchronous step, so copies that arrive together are told apart in one n8n process; the
 * workflow's static data carries the memory to other processes (webhook processes in queue
 * mode) and across restarts, for copies that come one after another.
 */
export class CallbackMemory {
	private static readonly scopes = new Map<string, Map<string, number>>();

	/** Forgets what a node remembered (its workflow was activated again). */
	static clear(scope: string): void {
		CallbackMemory.scopes.delete(scope);
	}

	/**
	 * Takes `key` unless it was taken within `windowMs`: true for the first copy, false for a
	 * repeat. `stored` is the node's static data.
	 */
	static claim(
		scope: string,
		key: string,
		now: number,
		windowMs: number,
		stored: IDataObject,
	): boolean {
		let seen = CallbackMemory.scopes.get(scope);
		if (!seen) {
			seen = new Map();
			CallbackMemory.scopes.set(scope, seen);
		}
		const fromStore = (stored.seen ?? {}) as Record<string, number>;
		const takenAt = seen.get(key) ?? fromStore[key];
		if (takenAt !== undefined && now - takenAt <= windowMs) return false;
		seen.delete(key);
		seen.set(key, now);
		for (const [entry, at] of seen) {
			if (seen.size <= MEMORY_LIMIT && now - at <= windowMs) break;
			seen.delete(entry);
		}
		const kept: Record<string, number> = {};
		for (const [entry, at] of Object.entries(fromStore))
			if (now - at <= windowMs && entry !== key) kept[entry] = at;
		kept[key] = now;
		const entries = Object.entries(kept);
		stored.seen = Object.fromEntries(entries.slice(Math.max(0, entries.length - MEMORY_LIMIT)));
		return true;
	}
}

/** How a receiving node takes callbacks in: the AI Media Trigger's settings, or a parked run's. */
export interface ReceiveOptions {
	/** The token the caller must send; undefined where none is asked. */
	token?: string;
	/** Whether signatures are checked: with the credential's Webhook Secret, or its API key when none is set. */
	verifySignature: boolean;
	requireProof: boolean;
	replayWindowMs: number;
	now: number;
}

/** Takes one webhook call in by the intake's rules, with the node's credential (when set). */
export function receiveCallback(
	ctx: IWebhookFunctions,
	contract: CallbackContract,
	credentials: IDataObject | undefined,
	options: ReceiveOptions,
): Intake {
	return takeIn(rawCallback(ctx), {
		contract,
		token: options.token,
		signingSecret: options.verifySignature
			? String(credentials?.webhookSecret || credentials?.apiKey || '')
			: undefined,
		requireProof: options.requireProof,
		replayWindowMs: options.replayWindowMs,
		now: options.now,
		secrets: secretsOf(credentials, [options.token]),
	});
}

export type Confirmed =
	| { ok: true; state: TaskState }
	| { ok: false; status: number; message: string };

/**
 * Reads the task a callback names, trying passing failures again `attempts` times (providers call
 * back once, so a proven callback is not given up lightly). For a caller that proved nothing,
 * "not found" is final: the callback names no task of this account.
 */
export async function confirmTask(
	session: TaskSession,
	taskId: string,
	{ attempts, proven }: { attempts: number; proven: boolean },
): Promise<Confirmed> {
	const read = await settle(
		async () =>
			await session.retrying(
				attempts,
				async () => await session.readTask(taskId, undefined, { notFoundIsFinal: !proven }),
			),
	);
	if (read.ok) return { ok: true, state: read.value };
	const httpCode = (read.error as ProviderError).details?.httpCode;
	if (httpCode === 404 || httpCode === 401 || httpCode === 403)
		return { ok: false, status: 404, message: `No such task at ${session.client.displayName}` };
	return {
		ok: false,
		status: 503,
		message: 'The callback could not be confirmed now; send it again',
	};
}
