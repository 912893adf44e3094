/**
 * Where a result file may be fetched from. A link in a callback or a provider's answer is data
 * from outside: it must not make n8n fetch from inside its own network (loopback services, the
 * cloud metadata address, the LAN), send credentials written into the link, or follow redirects
 * without end. Addresses are judged as the link writes them: a node cannot resolve host names,
 * so a name that resolves to a private address is n8n's to refuse (n8n 2.x: N8N_SSRF_PROTECTION_ENABLED).
 */
export interface FetchPolicy {
	/** Origins that may be fetched whatever their address: the provider's own (its base URL). */
	trustedOrigins: string[];
	/** Private, loopback and link-local addresses are allowed (a provider hosted in-house). */
	allowPrivateNetwork: boolean;
}

/** Redirects a download follows, each checked like the first link. */
export const MAX_REDIRECTS = 5;

export const STRICT_POLICY: FetchPolicy = { trustedOrigins: [], allowPrivateNetwork: false };

/** The policy for a provider credential: its base URL's origin is trusted. */
export function policyFor(baseUrl: string | undefined, allowPrivateNetwork: boolean): FetchPolicy {
	const origin = originOf(baseUrl ?? '');
	return { trustedOrigins: origin ? [origin] : [], allowPrivateNetwork };
}

function originOf(url: string): string | undefined {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
	} catch {
		return undefined;
	}
}

function ipv4Private(parts: number[]): boolean {
	const [a, b] = parts;
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		(a === 192 && b === 0 && parts[2] === 0) ||
		(a === 198 && (b === 18 || b === 19)) ||
		a >= 224
	);
}

function parseIpv4(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const numbers = parts.map(Number);
	return numbers.every((n) => n <= 255) ? numbers : undefined;
}

/** The 16-bit groups of an IPv6 address as the URL parser writes it (compressed, lower case). */
function parseIpv6(host: string): number[] | undefined {
	const [head, tail, extra] = host.split('::');
	if (extra !== undefined) return undefined;
	const groups = (text: string) => (text ? text.split(':').map((g) => parseInt(g, 16)) : []);
	const left = groups(head);
	const right = tail === undefined ? [] : groups(tail);
	const missing = 8 - left.length - right.length;
	if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
	const all = [...left, ...Array<number>(missing).fill(0), ...right];
	return all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : undefined;
}

function ipv6Private(groups: number[]): boolean {
	const zeroUntil = (n: number) => groups.slice(0, n).every((g) => g === 0);
	const embeddedV4 = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
	if (zeroUntil(8) || (zeroUntil(7) && groups[7] === 1)) return true; // :: and ::1
	if (zeroUntil(5) && groups[5] === 0xffff) return ipv4Private(embeddedV4); // ::ffff:a.b.c.d
	if (groups[0] === 0x64 && groups[1] === 0xff9b) return ipv4Private(embeddedV4); // NAT64
	if ((groups[0] & 0xfe00) === 0xfc00) return true; // fc00::/7, unique local
	if ((groups[0] & 0xffc0) === 0xfe80) return true; // fe80::/10, link-local
	return (groups[0] & 0xff00) === 0xff00; // multicast
}

/** Whether a host (as new URL() writes it) is this machine or a private, link-local or special network. */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (host.startsWith('[') && host.endsWith(']')) {
		const groups = parseIpv6(host.slice(1, -1));
		return groups === undefined || ipv6Private(groups);
	}
	const ipv4 = parseIpv4(host);
	return ipv4 !== undefined && ipv4Private(ipv4);
}

/**
 * Checks a link against the policy; returns the reason it may not be fetched, or undefined. The
 * URL parser has already turned other spellings of an address (2130706433, 0x7f.1) into dotted form.
 */
export function refusedLink(link: string, policy: FetchPolicy): string | undefined {
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		return 'it is not a valid link';
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return `only http and https links are fetched, not ${url.protocol.replace(/:$/, '')}`;
	if (url.username || url.password) return 'it has a user name or password in it';
	if (policy.trustedOrigins.includes(url.origin)) return undefined;
	if (!policy.allowPrivateNetwork && isPrivateHost(url.hostname))
		return `it points to a private or local address (${url.hostname})`;
	return undefined;
}
