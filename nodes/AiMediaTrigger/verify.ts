import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in constant time; different lengths never match. */
export function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

function hmac(secret: string, data: Buffer | string): string {
	return `sha256=${createHmac('sha256', secret).update(data).digest('hex')}`;
}

/**
 * Checks a Nalitek `sha256=` signature. The document names an HMAC-SHA256 but not its exact input,
 * so two readings are accepted: the raw body as received (signature sent in a header), and the
 * JSON body without its `signature` field (signature sent inside the body).
 */
export function verifyNalitekSignature(rawBody: Buffer, body: Record<string, unknown>, headerSignature: string | undefined, secret: string): boolean {
	const signature = headerSignature ?? (typeof body.signature === 'string' ? body.signature : undefined);
	if (!signature || !secret) return false;
	const normalised = signature.startsWith('sha256=') ? signature : `sha256=${signature}`;
	const { signature: _omitted, ...unsigned } = body;
	const candidates = [hmac(secret, rawBody), hmac(secret, JSON.stringify(unsigned))];
	return candidates.map((candidate) => sameSecret(normalised, candidate)).includes(true);
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** Parses a callback body; undefined when it is not a JSON object. */
export function parseCallbackBody(rawBody: Buffer | undefined, parsed: unknown): Record<string, unknown> | undefined {
	if (rawBody && rawBody.length) {
		try {
			const value = JSON.parse(rawBody.toString('utf8')) as unknown;
			return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
		} catch {
			return undefined;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length ? (parsed as Record<string, unknown>) : undefined;
}
