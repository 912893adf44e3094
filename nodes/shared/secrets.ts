import type { IDataObject } from 'n8n-workflow';

/** Shorter values are not secrets worth hunting for (and would mangle ordinary text). */
const MIN_SECRET_LENGTH = 6;
/** Nesting below this is cut: an answer built to exhaust the stack ends here. */
const MAX_DEPTH = 64;
export const REDACTED = '[redacted]';

/**
 * The secrets of a credential: every text field but its base URL (API key, webhook secret …),
 * and the tokens a node was given, each also as it would appear in a URL.
 */
export function secretsOf(credentials: IDataObject | undefined, extra: unknown[] = []): string[] {
	const values = [
		...Object.entries(credentials ?? {})
			.filter(([name]) => name !== 'baseUrl')
			.map(([, value]) => value),
		...extra,
	];
	const secrets = new Set<string>();
	for (const value of values) {
		if (typeof value !== 'string' || value.trim().length < MIN_SECRET_LENGTH) continue;
		secrets.add(value);
		secrets.add(encodeURIComponent(value));
	}
	// Longest first, so a secret that contains another is replaced whole.
	return [...secrets].sort((a, b) => b.length - a.length);
}

/** The text with every secret replaced by "[redacted]". */
export function redactText(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets)
		if (result.includes(secret)) result = result.split(secret).join(REDACTED);
	return result;
}

/**
 * A copy of a provider's answer (or a callback) with every secret removed from its texts, keys
 * included: what the package builds from it — errors, hints, `raw`, log lines — cannot carry one.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
	if (!secrets.length) return value;
	const walk = (node: unknown, depth: number): unknown => {
		if (typeof node === 'string') return redactText(node, secrets);
		if (!node || typeof node !== 'object') return node;
		if (depth >= MAX_DEPTH) return '(nested too deeply)';
		if (Array.isArray(node)) return node.map((inner) => walk(inner, depth + 1));
		// Parsed JSON only: a stream or a buffer passes as it is.
		const prototype = Object.getPrototypeOf(node) as unknown;
		if (prototype !== Object.prototype && prototype !== null) return node;
		const copy: IDataObject = {};
		for (const [key, inner] of Object.entries(node as IDataObject))
			copy[redactText(key, secrets)] = walk(inner, depth + 1) as IDataObject[string];
		return copy;
	};
	return walk(value, 0) as T;
}
