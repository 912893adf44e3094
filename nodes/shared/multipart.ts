import { randomBytes } from 'node:crypto';

export type MultipartPart =
	| { field: string; value: string }
	| { field: string; file: { data: Buffer; fileName: string; mimeType: string } };

/**
 * Builds a multipart/form-data body. Written out by hand because community nodes may not
 * depend on a form-data package; the files are small (provider limits of a few MB).
 */
export function buildMultipart(parts: MultipartPart[]): { body: Buffer; contentType: string } {
	const boundary = `----n8nGenmedia${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	const quote = (text: string) => text.replace(/["\r\n]/g, '_');
	for (const part of parts) {
		if ('file' in part) {
			chunks.push(
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.field)}"; filename="${quote(part.file.fileName)}"\r\nContent-Type: ${part.file.mimeType}\r\n\r\n`,
				),
				part.file.data,
				Buffer.from('\r\n'),
			);
		} else {
			chunks.push(
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.field)}"\r\n\r\n${part.value}\r\n`,
				),
			);
		}
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
