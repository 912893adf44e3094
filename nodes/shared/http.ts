import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { ProviderError, hintFor } from './errors';
import type { FetchPolicy } from './fetch-policy';
import { policyFor } from './fetch-policy';
import type { EngineHost } from './host';
import { redact, secretsOf } from './secrets';
import type { ProviderCall, ProviderFailure, ProviderResponse, ProviderClient } from './types';

export const REQUEST_TIMEOUT_MS = 60_000;

/** Connection errors that prove the request never reached the provider. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** What the package needs of a provider credential beyond signing requests. */
export interface CredentialInfo {
	baseUrl: string;
	/** Texts never to repeat (see secrets.ts). */
	secrets: string[];
	/** Where result files of this provider may be fetched from. */
	policy: FetchPolicy;
}

/** Worked out once per credential read (a run reads each credential once). */
const infoOf = new WeakMap<IDataObject, CredentialInfo>();

/** What a credential of the host says of its provider. */
export async function credentialInfo(
	host: Pick<EngineHost, 'credentials'>,
	credentialType: string,
): Promise<CredentialInfo> {
	const credentials = await host.credentials(credentialType);
	let info = infoOf.get(credentials);
	if (!info) {
		const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
		info = {
			baseUrl,
			secrets: secretsOf(credentials),
			policy: policyFor(baseUrl, credentials.allowPrivateNetwork === true),
		};
		infoOf.set(credentials, info);
	}
	return info;
}

/**
 * The URL of an API path under a credential's Base URL. Providers' documents give their base URL
 * with or without the API's own prefix (Gen-API's is `https://api.gen-api.ru/api/v1`, its paths
 * start with `/api/v1/`): when the Base URL already ends with the first segments of the path, they
 * are not repeated.
 */
export function apiUrl(baseUrl: string, path: string): string {
	const base = baseUrl.replace(/\/+$/, '');
	if (!path.startsWith('/')) return `${base}/${path}`;
	let basePath: string;
	try {
		basePath = new URL(base).pathname;
	} catch {
		return `${base}${path}`;
	}
	const baseSegments = basePath.split('/').filter(Boolean);
	const pathSegments = path.split('?')[0].split('/').filter(Boolean);
	for (
		let overlap = Math.min(baseSegments.length, pathSegments.length - 1);
		overlap > 0;
		overlap--
	) {
		const tail = baseSegments.slice(-overlap);
		if (tail.every((segment, i) => segment === pathSegments[i])) {
			const prefix = `/${pathSegments.slice(0, overlap).join('/')}`;
			return `${base}${path.slice(prefix.length)}`;
		}
	}
	return `${base}${path}`;
}

/** Reads `Retry-After` (seconds or an HTTP date) in milliseconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(text));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function header(headers: Record<string, unknown>, name: string): unknown {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers ?? {}))
		if (key.toLowerCase() === wanted) return value;
	return undefined;
}

/** The message a provider put into an error answer, whatever the shape. */
export function messageFromBody(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		return text && text.length <= 300 && !text.startsWith('<') ? text : undefined;
	}
	if (!body || typeof body !== 'object') return undefined;
	const data = body as IDataObject;
	const candidates = [
		data.error,
		data.message,
		data.detail,
		data.details,
		data.status_msg,
		data.msg,
	];
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
		if (candidate && typeof candidate === 'object') {
			const nested = messageFromBody(candidate);
			if (nested) return nested;
		}
	}
	return undefined;
}

/**
 * Sends one request with the provider's credential. Never throws for an HTTP status:
 * the caller decides what a status means. Network failures become ProviderError.
 */
export async function sendToProvider(
	host: EngineHost,
	client: ProviderClient,
	call: ProviderCall,
	timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<ProviderResponse> {
	const { baseUrl, secrets } = await credentialInfo(host, client.credentialType);
	const options: IHttpRequestOptions = {
		method: call.method,
		url: apiUrl(baseUrl, call.path),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
	};
	// A ready-made body (multipart) is sent as it is; the answer is still read as JSON.
	if (call.body !== undefined) options.body = call.body;
	if (call.qs !== undefined) options.qs = call.qs;
	if (call.headers !== undefined) options.headers = call.headers;
	if (host.signal) options.abortSignal = host.signal;
	let response: { statusCode?: number; headers?: Record<string, unknown>; body?: unknown };
	try {
		response = (await host.request(options, client.credentialType)) as typeof response;
	} catch (error) {
		throw networkError(error, client.displayName, timeoutMs);
	}
	// Some gateways echo the key in their answers: nothing read from here may carry a secret.
	return {
		statusCode: Number(response?.statusCode ?? 0),
		headers: redact(response?.headers ?? {}, secrets),
		body: redact(response?.body, secrets),
	};
}

/** Describes a failed connection without any part of the request (its headers hold the key). */
export function networkError(
	error: unknown,
	displayName: string,
	timeoutMs = REQUEST_TIMEOUT_MS,
): ProviderError {
	// n8n wraps the HTTP client's error in a NodeApiError: the original sits in errorResponse.
	const err = error as {
		code?: string;
		cause?: { code?: string };
		errorResponse?: { code?: string; message?: string };
		httpCode?: string;
		name?: string;
		message?: string;
	};
	const wrappedCode =
		typeof err?.httpCode === 'string' && /^E[A-Z_]+$/.test(err.httpCode) ? err.httpCode : undefined;
	const code = err?.code ?? err?.cause?.code ?? err?.errorResponse?.code ?? wrappedCode;
	if (err?.name === 'AbortError' || err?.name === 'CanceledError' || code === 'ERR_CANCELED') {
		return new ProviderError('The execution was cancelled', 'network', { transient: false });
	}
	const text = `${err?.message ?? ''} ${err?.errorResponse?.message ?? ''}`;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout of \d+ms exceeded/.test(text)) {
		return new ProviderError(
			`${displayName} did not answer within ${Math.round(timeoutMs / 1000)} s`,
			'network',
			{
				transient: true,
				hint: 'The provider is slow or the connection hangs. Raise "Request Timeout" if this happens often.',
			},
		);
	}
	const notAccepted = code !== undefined && NOT_SENT_CODES.has(code);
	// The message is in words: n8n replaces a message that names a system error code with its own
	// text, which would drop the provider's name. The code goes to the hint.
	const what = notAccepted
		? 'the connection was refused or the host was not found'
		: 'the connection broke';
	const advice = notAccepted
		? 'Check the base URL in the credential and that the service is reachable from n8n.'
		: 'Try again later.';
	return new ProviderError(`Could not reach ${displayName}: ${what}`, 'network', {
		transient: true,
		notAccepted,
		hint: `${advice}${code ? ` Network error: ${code}.` : ''}`,
	});
}

/**
 * Classifies an answer: returns it when it is a success, throws ProviderError otherwise.
 * `phase` matters for 404: while polling, right after create, it means "not there yet" (and so
 * does an answer `isNotFoundYet` recognises).
 */
export function checkResponse(
	client: ProviderClient,
	response: ProviderResponse,
	phase: 'create' | 'poll' | 'call',
	isNotFoundYet?: (response: ProviderResponse) => boolean,
): ProviderResponse {
	const { statusCode } = response;
	const failure: ProviderFailure | undefined = client.readFailure?.(response);
	const isHttpError = statusCode < 200 || statusCode >= 300;
	if (!isHttpError && !failure) {
		// JSON was asked for: a body that could not be parsed is a broken answer, not a result.
		if (typeof response.body === 'string' && response.body.trim()) {
			throwError(`${client.displayName} sent an answer that is not valid JSON`, 'http', {
				httpCode: statusCode,
				transient: true,
				hint: 'The provider or a proxy in between sent a broken answer. Try again later.',
			});
		}
		return response;
	}

	const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'));
	if (isHttpError) {
		const message =
			failure?.message ??
			messageFromBody(response.body) ??
			`The provider answered HTTP ${statusCode}`;
		const notFoundYet =
			phase === 'poll' && (statusCode === 404 || isNotFoundYet?.(response) === true);
		const transient =
			statusCode === 429 ||
			statusCode === 408 ||
			statusCode >= 500 ||
			notFoundYet ||
			failure?.transient === true;
		return throwError(message, 'http', {
			httpCode: statusCode,
			providerCode: failure?.code,
			retryAfterMs,
			transient,
			notFoundYet,
			// A 429 is a refusal: the provider did not start anything; so is a create status its
			// document says to send again.
			notAccepted:
				statusCode === 429 ||
				failure?.notAccepted === true ||
				(phase === 'create' && client.resendCreateOn?.includes(statusCode) === true),
			hint: failure?.hint ?? hintFor(statusCode, client.hints),
		});
	}
	const notFoundYet = phase === 'poll' && isNotFoundYet?.(response) === true;
	return throwError(failure!.message, 'provider', {
		httpCode: statusCode,
		providerCode: failure!.code,
		retryAfterMs,
		transient: failure!.transient === true || notFoundYet,
		notFoundYet,
		notAccepted: failure!.notAccepted === true,
		hint: failure!.hint,
	});
}

function throwError(
	message: string,
	kind: 'http' | 'provider',
	details: ProviderError['details'],
): never {
	throw new ProviderError(message, kind, details);
}
