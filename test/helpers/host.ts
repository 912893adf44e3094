/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// A small EngineHost for jest: what the engine needs of n8n (nodes/shared/host.ts), with real HTTP
// (global fetch, so both the emulator and nock see genuine requests) on the test file's virtual
// clock, credentials applied the way the credential's `authenticate` block says, files kept in
// memory. Errors look like those of n8n's HTTP helpers (axios codes), the only part of n8n the
// engine reads. The real-n8n end-to-end run (test/e2e) proves the rest.
import { Readable } from 'stream';

import type {
	ICredentialDataDecryptedObject,
	IBinaryData,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import type { EngineHost, FileBody } from '../../nodes/shared/host';
import { clock as sharedClock } from './clock';
import type { TestClock } from './clock';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
}

export interface HostOptions {
	credentialType: ICredentialType;
	credentials: IDataObject;
	signal?: AbortSignal;
	node?: INode;
	/** Replaces how files are stored (e.g. to make storing fail). */
	storeFile?: (
		data: Buffer | Readable,
		fileName?: string,
		mimeType?: string,
	) => Promise<IBinaryData>;
}

export interface TestHost {
	host: EngineHost;
	requests: RecordedRequest[];
	/** Whether the store was handed a stream (not a whole buffer) for each file. */
	binaryInputs: Array<'stream' | 'buffer'>;
	logs: string[];
	/** The clock the engine waits by (the test file's virtual clock); its `now()` measures a run. */
	clock: TestClock;
}

export const TEST_NODE: INode = {
	id: 'test-node',
	name: 'Node',
	type: 'n8n-nodes-genmedia.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function createHost(options: HostOptions): TestHost {
	const requests: RecordedRequest[] = [];
	const binaryInputs: Array<'stream' | 'buffer'> = [];
	const logs: string[] = [];
	const record = (opts: IHttpRequestOptions) => {
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(opts.headers ?? {})) headers[key] = String(value);
		requests.push({ method: String(opts.method ?? 'GET'), url: String(opts.url), headers });
	};
	const host: EngineHost = {
		node: options.node ?? TEST_NODE,
		clock: sharedClock,
		signal: options.signal,
		async credentials(type) {
			if (type !== options.credentialType.name)
				throw new Error(`Node does not have credentials of type ${type}`);
			return options.credentials;
		},
		async request(opts, credentialType) {
			if (credentialType === undefined) {
				record(opts);
				return await realRequest(opts, options.signal);
			}
			if (credentialType !== options.credentialType.name)
				throw new Error(`Unknown credential type ${credentialType}`);
			const auth = options.credentialType.authenticate;
			let authed: IHttpRequestOptions;
			if (typeof auth === 'function') {
				// As n8n does: the credential's function signs the request.
				authed = await auth(options.credentials as ICredentialDataDecryptedObject, { ...opts });
			} else {
				const headers: IDataObject = { ...(opts.headers ?? {}) };
				const templates = (auth as { properties?: { headers?: Record<string, string> } })
					?.properties?.headers;
				for (const [key, template] of Object.entries(templates ?? {}))
					headers[key] = resolveCredentialExpression(template, options.credentials);
				authed = { ...opts, headers };
			}
			record(authed);
			return await realRequest(authed, options.signal);
		},
		async storeFile(data: FileBody, fileName?: string, mimeType?: string) {
			const body = data as Buffer | Readable;
			if (options.storeFile) return await options.storeFile(body, fileName, mimeType);
			const { buffer, kind } = await toBuffer(body);
			binaryInputs.push(kind);
			return {
				data: buffer.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileSize: String(buffer.length),
			};
		},
		log(_level, message) {
			logs.push(message);
		},
	};
	return { host, requests, binaryInputs, logs, clock: sharedClock };
}

function resolveCredentialExpression(template: string, credentials: IDataObject): string {
	return template
		.replace(/^=/, '')
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key) => String(credentials[key] ?? ''));
}

/**
 * An HTTP request as n8n's helpers send it, over a real socket. Time stands still while it is in
 * flight and until its body is read (a streamed body: until the stream ends); its timeout runs on
 * the test clock, so only a server that waits on that clock can make it expire.
 */
async function realRequest(options: IHttpRequestOptions, signal?: AbortSignal) {
	const end = sharedClock.begin();
	let response: unknown;
	try {
		response = await sendRequest(options, signal);
	} finally {
		const body = (response as { body?: unknown } | undefined)?.body ?? response;
		if (body instanceof Readable && !body.readableEnded && !body.destroyed) {
			body.once('close', end);
			body.once('end', end);
			body.once('error', end);
		} else end();
	}
	return response;
}

async function sendRequest(options: IHttpRequestOptions, signal?: AbortSignal) {
	const url = new URL(String(options.url), options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {}))
		url.searchParams.set(key, String(value));
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {}))
		headers[key.toLowerCase()] = String(value);
	let body: string | Buffer | undefined;
	if (Buffer.isBuffer(options.body)) {
		body = options.body;
	} else if (options.body !== undefined) {
		body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		headers['content-type'] ??= 'application/json';
	}
	const controller = new AbortController();
	// Like axios: the timeout ends the request with ECONNABORTED, a cancel with ERR_CANCELED.
	const timeoutMs = options.timeout ?? 60_000;
	let timedOut = false;
	const timer = sharedClock.setTimer(() => {
		timedOut = true;
		controller.abort();
	}, timeoutMs);
	const abort = () => controller.abort();
	(options.abortSignal as AbortSignal | undefined)?.addEventListener('abort', abort);
	signal?.addEventListener('abort', abort);
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body,
			signal: controller.signal,
			// As axios with maxRedirects 0: the 3xx answer itself comes back.
			redirect: options.disableFollowRedirect ? 'manual' : 'follow',
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string } }).cause;
		if (timedOut)
			throw Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), {
				code: 'ECONNABORTED',
			});
		const wrapped = new Error((error as Error).message) as Error & { code?: string };
		wrapped.code =
			cause?.code ?? ((error as Error).name === 'AbortError' ? 'ERR_CANCELED' : undefined);
		if ((error as Error).name === 'AbortError') wrapped.name = 'AbortError';
		throw wrapped;
	} finally {
		timer.cancel();
		(options.abortSignal as AbortSignal | undefined)?.removeEventListener('abort', abort);
		signal?.removeEventListener('abort', abort);
	}
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((value, key) => (responseHeaders[key] = value));
	if (!options.ignoreHttpStatusErrors && !response.ok) {
		throw Object.assign(new Error(`HTTP ${response.status}`), { httpCode: response.status });
	}
	let parsed: unknown;
	if (options.encoding === 'stream') {
		parsed = response.body ? Readable.fromWeb(response.body as never) : Readable.from([]);
	} else {
		const text = await response.text();
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = text;
		}
	}
	return options.returnFullResponse
		? {
				statusCode: response.status,
				headers: responseHeaders,
				body: parsed,
				statusMessage: response.statusText,
			}
		: parsed;
}

async function toBuffer(
	data: Buffer | Readable,
): Promise<{ buffer: Buffer; kind: 'stream' | 'buffer' }> {
	if (Buffer.isBuffer(data)) return { buffer: data, kind: 'buffer' };
	const chunks: Buffer[] = [];
	for await (const part of data) chunks.push(Buffer.from(part));
	return { buffer: Buffer.concat(chunks), kind: 'stream' };
}
