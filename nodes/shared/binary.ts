import type { IBinaryData, IHttpRequestOptions } from 'n8n-workflow';

import { ProviderError } from './errors';
import type { FetchPolicy } from './fetch-policy';
import { MAX_REDIRECTS, refusedLink } from './fetch-policy';
import type { EngineHost, FileBody } from './host';
import {
	classifySource,
	cleanMimeType,
	describeOutput,
	extensionFor,
	sniffMimeType,
} from './media';
import { settle } from './timing';
import type { MediaOutput } from './types';

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface DownloadLimits {
	signal?: AbortSignal;
	/** Files larger than this are refused: announced, inline, or counted while streaming. */
	maxBytes?: number;
	/** Where links may point (see fetch-policy.ts); every redirect is checked too. */
	policy: FetchPolicy;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The bytes of inline data, checked: base64 only, within the size limit, not empty. */
function decodeInline(base64: string, maxBytes: number | undefined): Buffer {
	const text = base64.replace(/\s+/g, '');
	if (!BASE64.test(text))
		throw new ProviderError('The provider returned a file that is not valid base64', 'download');
	const estimated = Math.floor((text.length * 3) / 4);
	if (maxBytes !== undefined && estimated > maxBytes) throw tooLarge(estimated, maxBytes);
	const buffer = Buffer.from(text, 'base64');
	if (!buffer.length) throw new ProviderError('The provider returned an empty file', 'download');
	return buffer;
}

type Body = NodeJS.ReadableStream & {
	destroy?: (error?: Error) => void;
	push?: (chunk: unknown, encoding?: BufferEncoding) => boolean;
};
type StreamResponse = { statusCode?: number; headers?: Record<string, unknown>; body?: Body };

/**
 * Counts what a download stream delivers and stops it past `maxBytes`, whatever its headers
 * announced, and after decompression (a small gzip answer can inflate to gigabytes). Counted where
 * the stream takes its data in, so it holds however n8n reads the stream.
 */
function capStream(body: Body, maxBytes: number | undefined): () => boolean {
	let bytes = 0;
	let exceeded = false;
	const push = body.push;
	if (maxBytes === undefined || typeof push !== 'function') return () => exceeded;
	body.push = function (this: Body, chunk: unknown, encoding?: BufferEncoding) {
		if (!exceeded && chunk !== null && chunk !== undefined) {
			bytes +=
				typeof chunk === 'string'
					? Buffer.byteLength(chunk, encoding)
					: (chunk as { length: number }).length;
			if (bytes > maxBytes) {
				exceeded = true;
				body.destroy?.(tooLarge(undefined, maxBytes));
				return false;
			}
		}
		return push.call(this, chunk, encoding);
	};
	return () => exceeded;
}

/** Whether n8n's own SSRF protection (n8n 2.x) refused a request: its errors, however wrapped. */
function blockedByN8n(error: unknown): boolean {
	let current = error as { name?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.name === 'string' && current.name.startsWith('SsrfBlocked')) return true;
		current = current.cause as typeof current;
	}
	return false;
}

/** GETs a result link, following at most MAX_REDIRECTS redirects, each checked against the policy. */
async function openDownload(
	host: EngineHost,
	link: string,
	{ signal, policy }: DownloadLimits,
): Promise<StreamResponse> {
	let url = link;
	for (let redirects = 0; ; redirects++) {
		const refused = refusedLink(url, policy);
		if (refused) {
			throw new ProviderError(`The result file was not fetched: ${refused}`, 'download', {
				hint: 'Links from callbacks and provider answers may not point inside your network. If you host the provider yourself, turn on "Allow Private Network Downloads" in its credential.',
			});
		}
		const request: IHttpRequestOptions = {
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		};
		if (signal) request.abortSignal = signal;
		const outcome = await settle(async () => (await host.request(request)) as StreamResponse);
		if (!outcome.ok) {
			const failure = outcome.error as { code?: string; errorResponse?: { code?: string } };
			const code = failure.code ?? failure.errorResponse?.code;
			if (signal?.aborted) throw new ProviderError('The execution was cancelled', 'download');
			if (blockedByN8n(outcome.error)) {
				throw new ProviderError(
					"The result file was not fetched: n8n's SSRF protection refused its address",
					'download',
					{
						hint: 'The link resolves to an address n8n may not reach (N8N_SSRF_PROTECTION_ENABLED). An n8n administrator can allow it with N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES.',
					},
				);
			}
			throw new ProviderError(
				'Could not download the result file: the connection broke',
				'download',
				{
					transient: true,
					hint: `Try again later, or run "Get Task" again for a fresh link.${code ? ` Network error: ${code}.` : ''}`,
				},
			);
		}
		const response = outcome.value;
		const statusCode = Number(response.statusCode ?? 0);
		const location = response.headers?.location;
		if (statusCode < 300 || statusCode >= 400 || typeof location !== 'string') return response;
		response.body?.destroy?.();
		if (redirects >= MAX_REDIRECTS) {
			throw new ProviderError(
				`The result file was not fetched: more than ${MAX_REDIRECTS} redirects`,
				'download',
			);
		}
		url = new URL(location, url).toString();
	}
}

/**
 * Turns one output into n8n binary data. Links are streamed into n8n's binary store, so a large
 * video never sits whole in memory (in n8n's filesystem or S3 mode); inline data is decoded. Kept
 * apart from authenticated calls: result files are public links and must not get the key.
 */
export async function toBinary(
	host: EngineHost,
	output: MediaOutput,
	baseName: string,
	limits: DownloadLimits,
): Promise<IBinaryData> {
	const { signal, maxBytes } = limits;
	const source = classifySource(output.url);
	const described = describeOutput(output, baseName);
	if (source.kind !== 'url') {
		const buffer = decodeInline(source.base64, maxBytes);
		const sniffed = sniffMimeType(buffer);
		// Bare base64 says nothing of itself: it must be a picture or a video the package knows.
		if (source.kind === 'base64' && !sniffed && !output.mimeType)
			throw new ProviderError(
				'The provider returned data that is not a known image or video',
				'download',
			);
		const mimeType =
			output.mimeType ??
			(source.kind === 'dataUri' ? source.mimeType : undefined) ??
			sniffed ??
			'image/png';
		const fileName = output.fileName ?? `${baseName}.${extensionFor(mimeType)}`;
		return await host.storeFile(buffer, fileName, mimeType);
	}

	const response = await openDownload(host, source.url, limits);
	const statusCode = Number(response.statusCode ?? 0);
	if (statusCode < 200 || statusCode >= 300) {
		response.body?.destroy?.();
		throw new ProviderError(`Could not download the result file (HTTP ${statusCode})`, 'download', {
			httpCode: statusCode,
			transient: statusCode === 429 || statusCode >= 500,
			hint: 'The file link may have expired. Run "Get Task" again for a fresh link.',
		});
	}
	const announced = Number(response.headers?.['content-length']);
	if (maxBytes !== undefined && Number.isFinite(announced) && announced > maxBytes) {
		response.body?.destroy?.();
		throw tooLarge(announced, maxBytes);
	}
	const mimeType =
		output.mimeType ??
		cleanMimeType(response.headers?.['content-type']) ??
		described.mimeType ??
		'application/octet-stream';
	const fileName = output.fileName ?? `${baseName}.${extensionFor(mimeType)}`;
	const exceeded = response.body ? capStream(response.body, maxBytes) : () => false;
	const stored = await settle(
		async () => await host.storeFile(response.body as unknown as FileBody, fileName, mimeType),
	);
	if (!stored.ok) {
		// The file host must not keep a connection open for a file nobody reads any more.
		response.body?.destroy?.();
		if (exceeded()) throw tooLarge(undefined, maxBytes!);
		if (signal?.aborted) throw new ProviderError('The execution was cancelled', 'download');
		throw new ProviderError('The download of the result file broke off', 'download', {
			transient: true,
			hint: 'The connection to the file host broke. Try again later.',
		});
	}
	return stored.value;
}

/** A file over the limit: its size when known, or where the download was stopped. */
function tooLarge(bytes: number | undefined, maxBytes: number): ProviderError {
	const mb = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`;
	return new ProviderError(
		bytes === undefined
			? `The result file is larger than the ${mb(maxBytes)} allowed: the download was stopped there`
			: `The result file is ${mb(bytes)}, more than the ${mb(maxBytes)} allowed`,
		'download',
		{ hint: 'Raise "Max File Size", or fetch the file from its link.' },
	);
}
