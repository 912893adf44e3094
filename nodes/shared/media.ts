import type { MediaOutput } from './types';

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

/**
 * Tells a link from a `data:` URI and from bare base64. Base64 has no colon: anything with a
 * scheme is a link (and only http(s) links are ever fetched).
 */
export function classifySource(value: string): MediaSource {
	const text = value.trim();
	if (text.slice(0, 5).toLowerCase() === 'data:') {
		const comma = text.indexOf(',');
		const header = comma < 0 ? '' : text.slice(5, comma);
		if (comma >= 0 && /;base64$/i.test(header)) {
			return {
				kind: 'dataUri',
				mimeType: header.split(';')[0] || 'application/octet-stream',
				base64: text.slice(comma + 1),
			};
		}
	}
	if (text.includes(':')) return { kind: 'url', url: text };
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

export function cleanMimeType(value: unknown): string | undefined {
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
