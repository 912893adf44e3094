import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { ProviderError } from './errors';
import { settle } from './timing';
import type { MediaOutput } from './types';

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

const EXTENSIONS: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/svg+xml': 'svg',
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'audio/mpeg': 'mp3',
	'audio/wav': 'wav',
};

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	svg: 'image/svg+xml',
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
};

export type MediaSource =
	| { kind: 'url'; url: string }
	| { kind: 'dataUri'; mimeType: string; base64: string }
	| { kind: 'base64'; base64: string };

/** Tells an http(s) URL from a `data:` URI and from bare base64. */
export function classifySource(value: string): MediaSource {
	const text = value.trim();
	if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
	const dataUri = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/is.exec(text);
	if (dataUri)
		return {
			kind: 'dataUri',
			mimeType: dataUri[1] || 'application/octet-stream',
			base64: dataUri[2],
		};
	return { kind: 'base64', base64: text };
}

/** Whether a result is the file itself (a data URI or bare base64) rather than a link to it. */
export function isInline(value: string): boolean {
	return value.trim() !== '' && classifySource(value).kind !== 'url';
}

/** Recognises the common media formats by their first bytes. */
export function sniffMimeType(bytes: Uint8Array): string | undefined {
	const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
	if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
	if (ascii(0, 4) === 'GIF8') return 'image/gif';
	if (ascii(4, 8) === 'ftyp') return 'video/mp4';
	return undefined;
}

export function extensionFor(mimeType: string | undefined): string {
	if (!mimeType) return 'bin';
	return (
		EXTENSIONS[mimeType.toLowerCase()] ??
		mimeType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ??
		'bin'
	);
}

function mimeFromUrl(url: string): string | undefined {
	const path = url.split(/[?#]/)[0];
	const extension = /\.([a-z0-9]{2,5})$/i.exec(path)?.[1]?.toLowerCase();
	return extension ? MIME_BY_EXTENSION[extension] : undefined;
}

function cleanMimeType(value: unknown): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string') return undefined;
	const mime = text.split(';')[0].trim().toLowerCase();
	// Servers and CDNs often send a generic type for media files: the URL then knows better.
	return mime && mime !== 'application/octet-stream' && mime !== 'binary/octet-stream'
		? mime
		: undefined;
}

/** The mime type and file name an output will get, known without downloading it. */
export function describeOutput(
	output: MediaOutput,
	baseName: string,
): { mimeType?: string; fileName: string } {
	const source = classifySource(output.url);
	let mimeType = output.mimeType;
	if (!mimeType && source.kind === 'url') mimeType = mimeFromUrl(source.url);
	if (!mimeType && source.kind === 'dataUri') mimeType = source.mimeType;
	return { mimeType, fileName: output.fileName ?? `${baseName}.${extensionFor(mimeType)}` };
}

/**
 * Turns one output into n8n binary data. URLs are streamed into n8n's binary store, so a large
 * video never sits whole in memory (in n8n's filesystem or S3 mode); inline data is decoded.
 * Kept apart from authenticated calls: result files are public links and must not get the key.
 */
export async function toBinary(
	ctx: IExecuteFunctions,
	output: MediaOutput,
	baseName: string,
	signal?: AbortSignal,
	maxBytes?: number,
): Promise<IBinaryData> {
	const source = classifySource(output.url);
	const described = describeOutput(output, baseName);
	if (source.kind !== 'url') {
		const buffer = Buffer.from(source.base64.replace(/\s+/g, ''), 'base64');
		if (!buffer.length) throw new ProviderError('The provider returned an empty file', 'download');
		if (maxBytes !== undefined && buffer.length > maxBytes) throw tooLarge(buffer.length, maxBytes);
		const mimeType =
			output.mimeType ??
			(source.kind === 'dataUri' ? source.mimeType : undefined) ??
			sniffMimeType(buffer) ??
			'image/png';
		const fileName = output.fileName ?? `${baseName}.${extensionFor(mimeType)}`;
		return await ctx.helpers.prepareBinaryData(buffer, fileName, mimeType);
	}

	const request: IHttpRequestOptions = {
		method: 'GET',
		url: source.url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: DOWNLOAD_TIMEOUT_MS,
	};
	if (signal) request.abortSignal = signal;
	type StreamResponse = {
		statusCode?: number;
		headers?: Record<string, unknown>;
		body?: NodeJS.ReadableStream & { destroy?: () => void };
	};
	const outcome = await settle(
		async () => (await ctx.helpers.httpRequest(request)) as StreamResponse,
	);
	if (!outcome.ok) {
		const failure = outcome.error as { code?: string; errorResponse?: { code?: string } };
		const code = failure.code ?? failure.errorResponse?.code;
		if (signal?.aborted) throw new ProviderError('The execution was cancelled', 'download');
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
	type Streamable = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];
	const stored = await settle(
		async () =>
			await ctx.helpers.prepareBinaryData(
				response.body as unknown as Streamable,
				fileName,
				mimeType,
			),
	);
	if (!stored.ok) {
		// The file host must not keep a connection open for a file nobody reads any more.
		response.body?.destroy?.();
		if (signal?.aborted) throw new ProviderError('The execution was cancelled', 'download');
		throw new ProviderError('The download of the result file broke off', 'download', {
			transient: true,
			hint: 'The connection to the file host broke. Try again later.',
		});
	}
	// A host that announced no length is measured after the fact.
	const size = storedBytes(stored.value);
	if (maxBytes !== undefined && size !== undefined && size > maxBytes)
		throw tooLarge(size, maxBytes);
	return stored.value;
}

function tooLarge(bytes: number, maxBytes: number): ProviderError {
	const mb = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`;
	return new ProviderError(
		`The result file is ${mb(bytes)}, more than the ${mb(maxBytes)} allowed`,
		'download',
		{
			hint: 'Raise "Max File Size", or fetch the file from its link.',
		},
	);
}

/** The size of stored binary data: inline base64, or the "12.3 kB" n8n writes for stored files. */
function storedBytes(binary: IBinaryData): number | undefined {
	if (!binary.id && binary.data) return Math.floor((binary.data.length * 3) / 4);
	const match = /^([\d.]+)\s*(B|kB|MB|GB)$/i.exec(String(binary.fileSize ?? ''));
	if (!match) return undefined;
	const unit = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9 }[match[2].toLowerCase()] ?? 1;
	return Math.round(Number(match[1]) * unit);
}
