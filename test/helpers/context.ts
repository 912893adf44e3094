/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// An IExecuteFunctions for running a node's execute() in jest. HTTP is real (global fetch, so both
// the emulator and nock see genuine requests); credentials are applied the way the credential's
// `authenticate` block says. The real-n8n end-to-end run (test/e2e) proves the rest.
import { Readable } from 'stream';

import type {
	IBinaryData,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { CLOCK } from '../../nodes/shared/timing';
import { clock as sharedClock } from './clock';
import type { TestClock } from './clock';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
}

export interface ContextOptions {
	node: INodeType;
	credentialType: ICredentialType;
	credentials: IDataObject;
	/** Parameter values; a function gets the item index. */
	parameters: Record<string, unknown | ((itemIndex: number) => unknown)>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	signal?: AbortSignal;
	/** The node's "Retry On Fail" setting. */
	retryOnFail?: boolean;
	/** n8n's per-execution node context; share one object between runs to act as retries of one execution. */
	nodeContext?: IDataObject;
	/** Replaces how files are stored (e.g. to make storing fail). */
	prepareBinaryData?: (
		data: Buffer | Readable,
		fileName?: string,
		mimeType?: string,
	) => Promise<IBinaryData>;
}

export interface TestContext {
	ctx: IExecuteFunctions;
	requests: RecordedRequest[];
	/** Whether prepareBinaryData was handed a stream (not a whole buffer) for each file. */
	binaryInputs: Array<'stream' | 'buffer'>;
	logs: string[];
	/** The clock the node waits by (the test file's virtual clock); its `now()` measures a run. */
	clock: TestClock;
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

export function createContext(options: ContextOptions): TestContext {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const requests: RecordedRequest[] = [];
	const binaryInputs: Array<'stream' | 'buffer'> = [];
	const logs: string[] = [];
	const node: INode = {
		id: 'test-node',
		name: options.node.description.defaults.name ?? 'Node',
		type: `n8n-nodes-genmedia.${options.node.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		retryOnFail: options.retryOnFail,
	};
	const nodeContext = options.nodeContext ?? {};
	const record = (opts: IHttpRequestOptions) => {
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(opts.headers ?? {})) headers[key] = String(value);
		requests.push({ method: String(opts.method ?? 'GET'), url: String(opts.url), headers });
	};

	const clock = sharedClock;
	const ctx = {
		[CLOCK]: clock,
		getInputData: () => items,
		getNode: () => node,
		getContext: () => nodeContext,
		continueOnFail: () => options.continueOnFail === true,
		getExecutionCancelSignal: () => options.signal,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			// A path such as "referenceImages.images" reads inside a collection, as n8n does.
			const [top, ...rest] = name.split('.');
			if (top in options.parameters) {
				const value = options.parameters[top];
				let resolved =
					typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
				for (const key of rest) resolved = (resolved as Record<string, unknown> | undefined)?.[key];
				if (resolved !== undefined || !rest.length) return resolved;
			}
			if (arguments.length >= 3) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		async getCredentials(type: string) {
			if (type !== options.credentialType.name)
				throw new Error(`Node does not have credentials of type ${type}`);
			return options.credentials;
		},
		logger: {
			debug: (m: string) => logs.push(m),
			info: (m: string) => logs.push(m),
			warn: (m: string) => logs.push(m),
			error: (m: string) => logs.push(m),
		},
		helpers: {
			// n8n's own helpers for pairing output items, as NodeExecuteFunctions implements them.
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				list: INodeExecutionData[],
				{ itemData }: { itemData: { item: number } },
			) => list.map((item) => ({ ...item, pairedItem: itemData })),
			async httpRequest(opts: IHttpRequestOptions) {
				record(opts);
				return await realRequest(opts, options.signal);
			},
			async httpRequestWithAuthentication(type: string, opts: IHttpRequestOptions) {
				if (type !== options.credentialType.name)
					throw new Error(`Unknown credential type ${type}`);
				const auth = options.credentialType.authenticate as {
					properties?: { headers?: Record<string, string> };
				};
				const headers: IDataObject = { ...(opts.headers ?? {}) };
				for (const [key, template] of Object.entries(auth?.properties?.headers ?? {})) {
					headers[key] = resolveCredentialExpression(template, options.credentials);
				}
				const authed = { ...opts, headers };
				record(authed);
				return await realRequest(authed, options.signal);
			},
			assertBinaryData(itemIndex: number, name: string): IBinaryData {
				const binary = items[itemIndex]?.binary?.[name];
				if (!binary)
					throw new Error(
						`This operation expects the node's input data to contain a binary file '${name}'`,
					);
				return binary;
			},
			async getBinaryDataBuffer(itemIndex: number, name: string): Promise<Buffer> {
				const binary = items[itemIndex]?.binary?.[name];
				if (!binary) throw new Error(`No binary data '${name}'`);
				return Buffer.from(binary.data, 'base64');
			},
			async prepareBinaryData(
				data: Buffer | Readable,
				fileName?: string,
				mimeType?: string,
			): Promise<IBinaryData> {
				if (options.prepareBinaryData)
					return await options.prepareBinaryData(data, fileName, mimeType);
				const { buffer, kind } = await toBuffer(data);
				binaryInputs.push(kind);
				return {
					data: buffer.toString('base64'),
					mimeType: mimeType ?? 'application/octet-stream',
					fileName,
					fileSize: String(buffer.length),
				};
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, requests, binaryInputs, logs, clock };
}

/** A Generate run's parameters: nothing optional set, polled every second; the test's own on top. */
export function generateParameters(parameters: Record<string, unknown>): IDataObject {
	return {
		resource: 'image',
		operation: 'generate',
		additionalFields: {},
		options: { pollInterval: 1 },
		...parameters,
	} as IDataObject;
}

/** Runs a node's execute() once with the given parameters; returns the first output. */
export function runNode(options: ContextOptions): {
	test: TestContext;
	result: Promise<INodeExecutionData[]>;
} {
	const test = createContext(options);
	const result = (
		options.node.execute as (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>
	)
		.call(test.ctx)
		.then(([output]) => output);
	return { test, result };
}
