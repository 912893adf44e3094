/**
 * One pass over JSON bytes as they came in, in time proportional to their length whatever they
 * hold: no regular expression and no recursion, so a body built to make a parser backtrack or
 * overflow its stack costs no more than any other body of its size. Used on callbacks before
 * anything else. It reads bytes, not text: every character JSON's structure is made of is ASCII,
 * and no byte of a multi-byte UTF-8 character can be taken for one.
 */

/** A member of the top-level object: the byte where its key starts and where its value ends (inclusive). */
export interface TopLevelMember {
	key: string;
	start: number;
	end: number;
}

export type JsonScan =
	| { ok: true; depth: number; members: TopLevelMember[] }
	| { ok: false; reason: 'depth' | 'shape' };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/**
 * Checks that `text` is a top-level JSON object nested at most `maxDepth` levels, and lists the
 * members of that object with their positions. It checks structure only (strings, brackets,
 * commas); JSON.parse judges the rest.
 */
export function scanJson(bytes: Uint8Array, maxDepth: number): JsonScan {
	const members: TopLevelMember[] = [];
	let depth = 0;
	let deepest = 0;
	let lastSignificant = -1;
	let expectKey = false;
	let key: string | undefined;
	let keyStart = -1;
	let index = 0;
	const length = bytes.length;
	while (index < length && isSpace(bytes[index])) index++;
	if (bytes[index] !== OPEN_OBJECT) return { ok: false, reason: 'shape' };
	const closeMember = () => {
		if (key !== undefined) members.push({ key, start: keyStart, end: lastSignificant });
		key = undefined;
	};
	for (; index < length; index++) {
		const code = bytes[index];
		if (isSpace(code)) continue;
		if (depth === 0 && lastSignificant >= 0) return { ok: false, reason: 'shape' };
		if (code === QUOTE) {
			let end = index + 1;
			while (end < length) {
				const inner = bytes[end];
				if (inner === BACKSLASH) end += 2;
				else if (inner === QUOTE) break;
				else end++;
			}
			if (end >= length) return { ok: false, reason: 'shape' };
			if (depth === 1 && expectKey) {
				try {
					key = JSON.parse(Buffer.from(bytes.subarray(index, end + 1)).toString('utf8')) as string;
				} catch {
					return { ok: false, reason: 'shape' };
				}
				keyStart = index;
				expectKey = false;
			}
			index = end;
			lastSignificant = end;
			continue;
		}
		if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
			depth++;
			if (depth > maxDepth) return { ok: false, reason: 'depth' };
			if (depth > deepest) deepest = depth;
			if (depth === 1) expectKey = true;
		} else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
			if (depth === 0) return { ok: false, reason: 'shape' };
			if (depth === 1) closeMember();
			depth--;
		} else if (code === COMMA && depth === 1) {
			closeMember();
			expectKey = true;
		}
		lastSignificant = index;
	}
	if (depth !== 0) return { ok: false, reason: 'shape' };
	return { ok: true, depth: deepest, members };
}

/**
 * The bytes with one top-level member (e.g. `"signature": "…"`) cut out and everything else as
 * sent: with the comma before it, or — for the first member — the comma after it. Undefined when
 * the member is missing or the only one.
 */
export function withoutMember(
	bytes: Buffer,
	members: TopLevelMember[],
	name: string,
): Buffer | undefined {
	const at = members.findIndex((member) => member.key === name);
	if (at < 0 || members.length < 2) return undefined;
	const member = members[at];
	if (at > 0)
		return Buffer.concat([
			bytes.subarray(0, members[at - 1].end + 1),
			bytes.subarray(member.end + 1),
		]);
	return Buffer.concat([bytes.subarray(0, member.start), bytes.subarray(members[1].start)]);
}
