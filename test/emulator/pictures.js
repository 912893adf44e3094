'use strict';
// Pictures the provider emulator hands out: drawn at the size the request asked for, different for
// every prompt (a landscape whose colours, sun and hills come from the prompt, with the prompt
// written across the bottom), and encoded as real PNG, JPEG or WebP files that browsers and n8n's
// image view show. The prompt is also stored in the file (PNG tEXt, JPEG comment) so tests can
// tell which task made which file.

const zlib = require('zlib');
const jpeg = require('jpeg-js');

// ---------------------------------------------------------------------------------------------
// Drawing

/** A 5×7 font, one byte per column (bit 0 at the top), for the letters a prompt is written in. */
const FONT = {
	A: [0x7c, 0x12, 0x11, 0x12, 0x7c],
	B: [0x7f, 0x49, 0x49, 0x49, 0x36],
	C: [0x3e, 0x41, 0x41, 0x41, 0x22],
	D: [0x7f, 0x41, 0x41, 0x22, 0x1c],
	E: [0x7f, 0x49, 0x49, 0x49, 0x41],
	F: [0x7f, 0x09, 0x09, 0x09, 0x01],
	G: [0x3e, 0x41, 0x49, 0x49, 0x7a],
	H: [0x7f, 0x08, 0x08, 0x08, 0x7f],
	I: [0x00, 0x41, 0x7f, 0x41, 0x00],
	J: [0x20, 0x40, 0x41, 0x3f, 0x01],
	K: [0x7f, 0x08, 0x14, 0x22, 0x41],
	L: [0x7f, 0x40, 0x40, 0x40, 0x40],
	M: [0x7f, 0x02, 0x0c, 0x02, 0x7f],
	N: [0x7f, 0x04, 0x08, 0x10, 0x7f],
	O: [0x3e, 0x41, 0x41, 0x41, 0x3e],
	P: [0x7f, 0x09, 0x09, 0x09, 0x06],
	Q: [0x3e, 0x41, 0x51, 0x21, 0x5e],
	R: [0x7f, 0x09, 0x19, 0x29, 0x46],
	S: [0x46, 0x49, 0x49, 0x49, 0x31],
	T: [0x01, 0x01, 0x7f, 0x01, 0x01],
	U: [0x3f, 0x40, 0x40, 0x40, 0x3f],
	V: [0x1f, 0x20, 0x40, 0x20, 0x1f],
	W: [0x3f, 0x40, 0x38, 0x40, 0x3f],
	X: [0x63, 0x14, 0x08, 0x14, 0x63],
	Y: [0x07, 0x08, 0x70, 0x08, 0x07],
	Z: [0x61, 0x51, 0x49, 0x45, 0x43],
	0: [0x3e, 0x51, 0x49, 0x45, 0x3e],
	1: [0x00, 0x42, 0x7f, 0x40, 0x00],
	2: [0x42, 0x61, 0x51, 0x49, 0x46],
	3: [0x21, 0x41, 0x45, 0x4b, 0x31],
	4: [0x18, 0x14, 0x12, 0x7f, 0x10],
	5: [0x27, 0x45, 0x45, 0x45, 0x39],
	6: [0x3c, 0x4a, 0x49, 0x49, 0x30],
	7: [0x01, 0x71, 0x09, 0x05, 0x03],
	8: [0x36, 0x49, 0x49, 0x49, 0x36],
	9: [0x06, 0x49, 0x49, 0x29, 0x1e],
	' ': [0, 0, 0, 0, 0],
	'.': [0x00, 0x60, 0x60, 0x00, 0x00],
	',': [0x00, 0x50, 0x30, 0x00, 0x00],
	'-': [0x08, 0x08, 0x08, 0x08, 0x08],
	'!': [0x00, 0x00, 0x5f, 0x00, 0x00],
	'?': [0x02, 0x01, 0x51, 0x09, 0x06],
	':': [0x00, 0x36, 0x36, 0x00, 0x00],
	"'": [0x00, 0x05, 0x03, 0x00, 0x00],
	'/': [0x20, 0x10, 0x08, 0x04, 0x02],
	'(': [0x00, 0x1c, 0x22, 0x41, 0x00],
	')': [0x00, 0x41, 0x22, 0x1c, 0x00],
	'&': [0x36, 0x49, 0x55, 0x22, 0x50],
};

/** A small deterministic generator, so the same prompt always gives the same picture. */
function randomFrom(text) {
	let state = 2166136261;
	for (const ch of String(text)) state = Math.imul(state ^ ch.codePointAt(0), 16777619) >>> 0;
	return () => {
		state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
		state ^= state >>> 13;
		return (state >>> 0) / 4294967296;
	};
}

function hsl(h, s, l) {
	const k = (n) => (n + h * 12) % 12;
	const a = s * Math.min(l, 1 - l);
	const f = (n) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
	return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

const mix = (a, b, t) => a.map((value, i) => Math.round(value + (b[i] - value) * t));

/** The words of a prompt worth writing on the picture: tags such as "[ms:800]" are left out. */
function caption(prompt) {
	return String(prompt ?? '')
		.replace(/\[[^\]]*\]/g, ' ')
		.toUpperCase()
		.replace(/\s+/g, ' ')
		.trim();
}

function wrap(text, perLine, maxLines) {
	const lines = [];
	let line = '';
	for (const word of text.split(' ')) {
		if ((line ? `${line} ${word}` : word).length <= perLine) line = line ? `${line} ${word}` : word;
		else {
			if (line) lines.push(line);
			line = word.slice(0, perLine);
		}
		if (lines.length === maxLines) break;
	}
	if (line && lines.length < maxLines) lines.push(line);
	return lines;
}

/**
 * Draws the picture of `prompt` (any text; `seed` changes it further) as RGB rows.
 * Returns `{ width, height, rgb }` with 3 bytes per pixel.
 */
function drawScene(prompt, width, height, seed = '') {
	const random = randomFrom(`${seed}|${prompt}`);
	const hue = random();
	const skyTop = hsl(hue, 0.55, 0.35 + random() * 0.2);
	const skyBottom = hsl((hue + 0.08 + random() * 0.1) % 1, 0.65, 0.75);
	const sun = {
		x: (0.2 + random() * 0.6) * width,
		y: (0.15 + random() * 0.3) * height,
		r: (0.06 + random() * 0.08) * Math.min(width, height),
	};
	const sunColour = hsl((hue + 0.5) % 1, 0.9, 0.7);
	const hills = Array.from({ length: 3 }, (_, n) => ({
		base: height * (0.55 + n * 0.12),
		amplitude: height * (0.04 + random() * 0.06),
		frequency: ((1 + random() * 3) * Math.PI * 2) / width,
		phase: random() * Math.PI * 2,
		colour: hsl((hue + 0.25 + n * 0.05) % 1, 0.45, 0.45 - n * 0.1),
	}));
	const rgb = Buffer.alloc(width * height * 3);
	// Where each hill starts, column by column; the nearest hill that covers a pixel wins.
	const tops = hills.map((hill) =>
		Float64Array.from(
			{ length: width },
			(_, x) => hill.base + hill.amplitude * Math.sin(x * hill.frequency + hill.phase),
		),
	);
	for (let y = 0; y < height; y++) {
		const sky = mix(skyTop, skyBottom, y / height);
		const dy = y - sun.y;
		const sunHalf = dy * dy <= sun.r * sun.r ? Math.sqrt(sun.r * sun.r - dy * dy) : -1;
		let at = y * width * 3;
		for (let x = 0; x < width; x++, at += 3) {
			let colour = sky;
			if (sunHalf >= 0 && Math.abs(x - sun.x) <= sunHalf) colour = sunColour;
			for (let n = hills.length - 1; n >= 0; n--) {
				if (y >= tops[n][x]) {
					colour = hills[n].colour;
					break;
				}
			}
			rgb[at] = colour[0];
			rgb[at + 1] = colour[1];
			rgb[at + 2] = colour[2];
		}
	}
	writeCaption({ width, height, rgb }, prompt);
	return { width, height, rgb };
}

/** Writes `prompt` across the bottom of a picture, white on a darkened band, as large as the width allows. */
function writeCaption({ width, height, rgb }, prompt) {
	const text = caption(prompt);
	if (text && width >= 48 && height >= 32) {
		const scale = Math.max(1, Math.floor(width / (6 * 32)));
		const perLine = Math.max(1, Math.floor((width - 2 * scale) / (6 * scale)));
		const lines = wrap(text, perLine, 3);
		const lineHeight = 9 * scale;
		const top = height - lines.length * lineHeight - 2 * scale;
		for (let y = Math.max(0, top - scale); y < height; y++) {
			for (let x = 0; x < width; x++) {
				const at = (y * width + x) * 3;
				rgb[at] >>= 2;
				rgb[at + 1] >>= 2;
				rgb[at + 2] >>= 2;
			}
		}
		lines.forEach((line, row) => {
			const left = Math.floor((width - line.length * 6 * scale) / 2);
			[...line].forEach((ch, column) => {
				const glyph = FONT[ch] ?? FONT['?'];
				glyph.forEach((bits, gx) => {
					for (let gy = 0; gy < 7; gy++) {
						if (!((bits >> gy) & 1)) continue;
						for (let sy = 0; sy < scale; sy++) {
							for (let sx = 0; sx < scale; sx++) {
								const px = left + (column * 6 + gx) * scale + sx;
								const py = top + row * lineHeight + gy * scale + sy;
								if (px >= 0 && px < width && py >= 0 && py < height)
									rgb.fill(255, (py * width + px) * 3, (py * width + px) * 3 + 3);
							}
						}
					}
				});
			});
		});
	}
}

/**
 * The pixels of a picture file: PNG (8-bit RGB or RGBA, as the emulator and most tools write
 * them) or JPEG. Undefined for anything else (WebP is not decoded here).
 */
function decodePicture(buffer) {
	if (buffer.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return decodePng(buffer);
	if (buffer[0] === 0xff && buffer[1] === 0xd8) {
		const { width, height, data } = jpeg.decode(buffer, { useTArray: true });
		const rgb = Buffer.alloc(width * height * 3);
		for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
			rgb[j] = data[i];
			rgb[j + 1] = data[i + 1];
			rgb[j + 2] = data[i + 2];
		}
		return { width, height, rgb };
	}
	return undefined;
}

function decodePng(buffer) {
	const { width, height } = pngSize(buffer);
	const depth = buffer[24];
	const colour = buffer[25];
	const interlace = buffer[28];
	const channels = { 2: 3, 6: 4 }[colour];
	if (depth !== 8 || !channels || interlace) return undefined;
	const parts = [];
	for (let at = 8; at + 8 <= buffer.length; ) {
		const length = buffer.readUInt32BE(at);
		if (buffer.toString('ascii', at + 4, at + 8) === 'IDAT')
			parts.push(buffer.subarray(at + 8, at + 8 + length));
		at += 12 + length;
	}
	const raw = zlib.inflateSync(Buffer.concat(parts));
	const stride = width * channels;
	const rows = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		for (let i = 0; i < stride; i++) {
			const x = raw[y * (stride + 1) + 1 + i];
			const a = i >= channels ? rows[y * stride + i - channels] : 0;
			const b = y > 0 ? rows[(y - 1) * stride + i] : 0;
			const c = i >= channels && y > 0 ? rows[(y - 1) * stride + i - channels] : 0;
			let value = x;
			if (filter === 1) value = x + a;
			else if (filter === 2) value = x + b;
			else if (filter === 3) value = x + ((a + b) >> 1);
			else if (filter === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
			}
			rows[y * stride + i] = value & 0xff;
		}
	}
	const rgb = Buffer.alloc(width * height * 3);
	for (let p = 0; p < width * height; p++) rows.copy(rgb, p * 3, p * channels, p * channels + 3);
	return { width, height, rgb };
}

/** A picture enlarged or shrunk to `width` × `height` (bilinear). */
function resizePicture(picture, width, height) {
	if (picture.width === width && picture.height === height) return picture;
	const src = picture.rgb;
	const sw = picture.width;
	const rgb = Buffer.alloc(width * height * 3);
	const fx = sw / width;
	const fy = picture.height / height;
	// Per column: the two source columns and the weight of the right one.
	const x0s = new Int32Array(width);
	const x1s = new Int32Array(width);
	const wxs = new Float64Array(width);
	for (let x = 0; x < width; x++) {
		const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
		x0s[x] = Math.floor(sx);
		x1s[x] = Math.min(sw - 1, x0s[x] + 1);
		wxs[x] = sx - x0s[x];
	}
	let out = 0;
	for (let y = 0; y < height; y++) {
		const sy = Math.min(picture.height - 1, Math.max(0, (y + 0.5) * fy - 0.5));
		const y0 = Math.floor(sy);
		const row0 = y0 * sw * 3;
		const row1 = Math.min(picture.height - 1, y0 + 1) * sw * 3;
		const wy = sy - y0;
		for (let x = 0; x < width; x++) {
			const a = x0s[x] * 3;
			const b = x1s[x] * 3;
			const wx = wxs[x];
			for (let c = 0; c < 3; c++) {
				const top = src[row0 + a + c] * (1 - wx) + src[row0 + b + c] * wx;
				const bottom = src[row1 + a + c] * (1 - wx) + src[row1 + b + c] * wx;
				rgb[out++] = Math.round(top * (1 - wy) + bottom * wy);
			}
		}
	}
	return { width, height, rgb };
}

/**
 * Image to image: the input picture kept in its shapes and redrawn in the palette the prompt
 * picks (its brightness mapped onto two colours of the prompt, in a few flat tones, like a
 * print), `strength` (0–1) of the way, with the new prompt written across it.
 */
function restylePicture(picture, prompt, strength = 0.75) {
	const random = randomFrom(`style|${prompt}`);
	const hue = random();
	const dark = hsl(hue, 0.6, 0.2);
	const light = hsl((hue + 0.15 + random() * 0.2) % 1, 0.7, 0.85);
	const levels = 5;
	const tones = Array.from({ length: levels }, (_, n) => mix(dark, light, n / (levels - 1)));
	const src = picture.rgb;
	const rgb = Buffer.alloc(src.length);
	for (let i = 0; i < rgb.length; i += 3) {
		const luma = (0.299 * src[i] + 0.587 * src[i + 1] + 0.114 * src[i + 2]) / 255;
		const styled = tones[Math.round(luma * (levels - 1))];
		rgb[i] = Math.round(src[i] * (1 - strength) + styled[0] * strength);
		rgb[i + 1] = Math.round(src[i + 1] * (1 - strength) + styled[1] * strength);
		rgb[i + 2] = Math.round(src[i + 2] * (1 - strength) + styled[2] * strength);
	}
	const result = { width: picture.width, height: picture.height, rgb };
	writeCaption(result, prompt);
	return result;
}

// ---------------------------------------------------------------------------------------------
// PNG

const crcTable = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buffer) {
	let c = 0xffffffff;
	for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

function encodePng({ width, height, rgb }, text = '') {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // truecolour
	// Filter "Sub" on every row: flat areas become zeros, which deflate packs tightly.
	const stride = width * 3;
	const filtered = Buffer.alloc((stride + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (stride + 1);
		filtered[row] = 1;
		for (let i = 0; i < stride; i++) {
			const left = i >= 3 ? rgb[y * stride + i - 3] : 0;
			filtered[row + 1 + i] = (rgb[y * stride + i] - left) & 0xff;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		// iTXt holds UTF-8, so a Cyrillic or Chinese prompt survives (tEXt is Latin-1 only).
		pngChunk(
			'iTXt',
			Buffer.concat([Buffer.from('prompt\0\0\0\0\0', 'latin1'), Buffer.from(text, 'utf8')]),
		),
		pngChunk('IDAT', zlib.deflateSync(filtered, { level: 6 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** The "prompt" text chunk of a PNG made here. */
function readPngPrompt(buffer) {
	let offset = 8;
	while (offset + 8 <= buffer.length) {
		const length = buffer.readUInt32BE(offset);
		const type = buffer.toString('ascii', offset + 4, offset + 8);
		const data = buffer.subarray(offset + 8, offset + 8 + length);
		if (type === 'iTXt' && data.subarray(0, 7).toString('latin1') === 'prompt\0') {
			// keyword \0 compression flag, method \0 language \0 translated keyword \0 text
			let at = 9;
			for (let nulls = 0; nulls < 2; at++) if (data[at] === 0) nulls++;
			return data.subarray(at).toString('utf8');
		}
		if (type === 'tEXt') {
			const [key, value] = data.toString('latin1').split('\0');
			if (key === 'prompt') return value;
		}
		offset += 12 + length;
	}
	return undefined;
}

/**
 * A PNG grown to `totalBytes` with a private ancillary chunk ("emUl": readers skip it), for tests
 * that need the size of a real 2K or 4K photograph. Smaller targets leave the PNG as it is.
 */
function padPng(png, totalBytes) {
	const extra = totalBytes - png.length - 12;
	if (!(extra > 0)) return png;
	const iend = png.length - 12;
	return Buffer.concat([
		png.subarray(0, iend),
		pngChunk('emUl', Buffer.alloc(extra, 0x5a)),
		png.subarray(iend),
	]);
}

/** Width and height from the IHDR of a PNG. */
function pngSize(buffer) {
	return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

// ---------------------------------------------------------------------------------------------
// JPEG (baseline, through jpeg-js) with the prompt in a comment segment

function encodeJpeg({ width, height, rgb }, text = '') {
	const rgba = Buffer.alloc(width * height * 4, 255);
	for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) rgb.copy(rgba, j, i, i + 3);
	const encoded = jpeg.encode({ data: rgba, width, height }, 85).data;
	const comment = Buffer.from(`prompt:${text}`, 'utf8').subarray(0, 65000);
	const segment = Buffer.alloc(4);
	segment.writeUInt16BE(0xfffe, 0);
	segment.writeUInt16BE(comment.length + 2, 2);
	// SOI, then the comment, then the rest.
	return Buffer.concat([encoded.subarray(0, 2), segment, comment, encoded.subarray(2)]);
}

function readJpegPrompt(buffer) {
	let offset = 2;
	while (offset + 4 <= buffer.length && buffer[offset] === 0xff) {
		const marker = buffer[offset + 1];
		const length = buffer.readUInt16BE(offset + 2);
		if (marker === 0xfe) {
			const text = buffer.subarray(offset + 4, offset + 2 + length).toString('utf8');
			if (text.startsWith('prompt:')) return text.slice('prompt:'.length);
		}
		if (marker === 0xda) break;
		offset += 2 + length;
	}
	return undefined;
}

/** Width and height from the start-of-frame segment of a JPEG. */
function jpegSize(buffer) {
	let offset = 2;
	while (offset + 9 <= buffer.length) {
		const marker = buffer[offset + 1];
		if (marker >= 0xc0 && marker <= 0xc2)
			return { width: buffer.readUInt16BE(offset + 7), height: buffer.readUInt16BE(offset + 5) };
		offset += 2 + buffer.readUInt16BE(offset + 2);
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// WebP, lossless (VP8L): subtract-green and "left" predictor transforms, then Huffman codes built
// from the residuals. No backward references or colour cache: simple, valid, and small enough for
// smooth pictures (about 1 byte a pixel).

class BitWriter {
	constructor() {
		this.bytes = [];
		this.value = 0;
		this.count = 0;
	}
	/** `n` bits of `value`, least significant first (VP8L's bit order). */
	write(value, n) {
		for (let i = 0; i < n; i++) {
			this.value |= ((value >>> i) & 1) << this.count;
			if (++this.count === 8) {
				this.bytes.push(this.value);
				this.value = 0;
				this.count = 0;
			}
		}
	}
	/** A prefix code: its bits from the most significant down, as the decoder walks the tree. */
	writeCode(code, length) {
		for (let i = length - 1; i >= 0; i--) this.write((code >>> i) & 1, 1);
	}
	finish() {
		if (this.count) this.bytes.push(this.value);
		return Buffer.from(this.bytes);
	}
}

/** Huffman code lengths for `counts`, none longer than `limit` (counts are flattened until they fit). */
function huffmanLengths(counts, limit) {
	let weights = counts.slice();
	for (;;) {
		const nodes = weights
			.map((weight, symbol) => ({ weight, symbol }))
			.filter((node) => node.weight > 0);
		const lengths = new Array(counts.length).fill(0);
		if (nodes.length === 1) {
			lengths[nodes[0].symbol] = 1;
			return lengths;
		}
		let queue = nodes;
		while (queue.length > 1) {
			queue.sort((a, b) => a.weight - b.weight);
			const [a, b] = queue.splice(0, 2);
			queue.push({ weight: a.weight + b.weight, children: [a, b] });
		}
		let longest = 0;
		const walk = (node, depth) => {
			if (node.children) return node.children.forEach((child) => walk(child, depth + 1));
			lengths[node.symbol] = depth;
			longest = Math.max(longest, depth);
		};
		walk(queue[0], 0);
		if (longest <= limit) return lengths;
		weights = weights.map((weight) => (weight ? Math.max(1, weight >> 1) : 0));
	}
}

/** Canonical codes for code lengths. */
function canonicalCodes(lengths) {
	const codes = new Array(lengths.length).fill(0);
	let code = 0;
	for (let length = 1; length <= 15; length++) {
		for (let symbol = 0; symbol < lengths.length; symbol++) {
			if (lengths[symbol] === length) codes[symbol] = code++;
		}
		code <<= 1;
	}
	return codes;
}

const CODE_LENGTH_ORDER = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/** Writes one prefix code and returns how to write its symbols. */
function writePrefixCode(bits, counts) {
	const used = counts.map((count, symbol) => (count ? symbol : -1)).filter((symbol) => symbol >= 0);
	if (used.length <= 2 && used.every((symbol) => symbol < 256)) {
		// A "simple" code: one symbol costs no bits, two cost one bit each.
		const symbols = used.length ? used : [0];
		bits.write(1, 1);
		bits.write(symbols.length - 1, 1);
		bits.write(1, 1); // the first symbol takes 8 bits
		bits.write(symbols[0], 8);
		if (symbols.length === 2) bits.write(symbols[1], 8);
		return (symbol) => {
			if (symbols.length === 2) bits.write(symbol === symbols[1] ? 1 : 0, 1);
		};
	}
	const lengths = huffmanLengths(counts, 15);
	const codes = canonicalCodes(lengths);
	// The lengths themselves, written with a code of their own (lengths 0–15, no repeats).
	const lengthCounts = new Array(19).fill(0);
	for (const length of lengths) lengthCounts[length]++;
	const lengthUsed = lengthCounts.filter(Boolean).length;
	const lengthLengths = huffmanLengths(lengthCounts, 7);
	const lengthCodes = canonicalCodes(lengthLengths);
	let last = CODE_LENGTH_ORDER.length - 1;
	while (last > 3 && !lengthLengths[CODE_LENGTH_ORDER[last]]) last--;
	bits.write(0, 1); // normal code
	bits.write(last + 1 - 4, 4);
	for (let i = 0; i <= last; i++) bits.write(lengthLengths[CODE_LENGTH_ORDER[i]], 3);
	bits.write(0, 1); // every symbol's length follows
	for (const length of lengths) {
		// A code of one symbol is read with no bits at all.
		if (lengthUsed > 1) bits.writeCode(lengthCodes[length], lengthLengths[length]);
	}
	return (symbol) => bits.writeCode(codes[symbol], lengths[symbol]);
}

function encodeWebp({ width, height, rgb }) {
	if (width > 16384 || height > 16384)
		throw new Error('WebP pictures are at most 16384 pixels a side');
	const pixels = width * height;
	// Subtract green, then predict each pixel from its left neighbour (the first of a row from
	// the one above, the very first from opaque black), keeping the residuals.
	const g = new Uint8Array(pixels);
	const r = new Uint8Array(pixels);
	const b = new Uint8Array(pixels);
	for (let i = 0; i < pixels; i++) {
		g[i] = rgb[i * 3 + 1];
		r[i] = (rgb[i * 3] - g[i]) & 0xff;
		b[i] = (rgb[i * 3 + 2] - g[i]) & 0xff;
	}
	const residual = (channel) => {
		const out = new Uint8Array(pixels);
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				const i = y * width + x;
				const predicted = x > 0 ? channel[i - 1] : y > 0 ? channel[i - width] : 0;
				out[i] = (channel[i] - predicted) & 0xff;
			}
		}
		return out;
	};
	const [rg, rr, rb] = [residual(g), residual(r), residual(b)];

	const bits = new BitWriter();
	bits.write(0x2f, 8);
	bits.write(width - 1, 14);
	bits.write(height - 1, 14);
	bits.write(0, 1); // no alpha
	bits.write(0, 3); // version
	bits.write(1, 1); // a transform:
	bits.write(2, 2); //   subtract green
	bits.write(1, 1); // a transform:
	bits.write(0, 2); //   predictor,
	const sizeBits = 9; //   in blocks of 512 pixels,
	bits.write(sizeBits - 2, 3);
	const blocks = Math.ceil(width / (1 << sizeBits)) * Math.ceil(height / (1 << sizeBits));
	// …each block using predictor 1 ("left"): the block image, with one-symbol codes, costs no pixel bits.
	bits.write(0, 1); // no colour cache
	const blockGreen = new Array(280).fill(0);
	blockGreen[1] = blocks;
	const writeBlock = [blockGreen, [1], [1], [1], [1]].map((counts) =>
		writePrefixCode(bits, counts),
	);
	for (let i = 0; i < blocks; i++)
		writeBlock.slice(0, 4).forEach((write, channel) => write(channel === 0 ? 1 : 0));
	bits.write(0, 1); // no more transforms
	bits.write(0, 1); // no colour cache
	bits.write(0, 1); // one set of prefix codes for the whole picture
	const count = (values, size) => {
		const counts = new Array(size).fill(0);
		for (const value of values) counts[value]++;
		return counts;
	};
	const writeGreen = writePrefixCode(bits, count(rg, 280));
	const writeRed = writePrefixCode(bits, count(rr, 256));
	const writeBlue = writePrefixCode(bits, count(rb, 256));
	const writeAlpha = writePrefixCode(bits, [1]); // alpha residuals are all 0
	writePrefixCode(bits, [1]); // distances: none used
	for (let i = 0; i < pixels; i++) {
		writeGreen(rg[i]);
		writeRed(rr[i]);
		writeBlue(rb[i]);
		writeAlpha(0);
	}
	const data = bits.finish();
	const padded = data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
	const chunkHeader = Buffer.alloc(8);
	chunkHeader.write('VP8L', 0, 'ascii');
	chunkHeader.writeUInt32LE(data.length, 4);
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'ascii');
	riff.writeUInt32LE(4 + chunkHeader.length + padded.length, 4);
	riff.write('WEBP', 8, 'ascii');
	return Buffer.concat([riff, chunkHeader, padded]);
}

/** Width and height from a VP8L header. */
function webpSize(buffer) {
	if (buffer.toString('ascii', 12, 16) !== 'VP8L' || buffer[20] !== 0x2f) return undefined;
	const bits = buffer.readUInt32LE(21);
	return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}

// ---------------------------------------------------------------------------------------------

const MIME = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };
const ENCODERS = { png: encodePng, jpg: encodeJpeg, jpeg: encodeJpeg, webp: encodeWebp };

/** Pictures already made, by name, prompt, size and format: a few tasks ask for the same file often. */
const cache = new Map();
const CACHE_LIMIT = 64;

/**
 * The picture for a prompt, at a size, in a format ("png", "jpg"/"jpeg" or "webp").
 * `seed` tells tasks with the same prompt apart.
 */
/** Encodes pixels as a picture file in a format ("png", "jpg"/"jpeg" or "webp"), with the prompt stored in it. */
function encodePicture(picture, prompt, format = 'png') {
	const type = ENCODERS[format] ? format : 'png';
	return { data: ENCODERS[type](picture, prompt), mimeType: MIME[type] };
}

function makePicture({ prompt = '', width = 1024, height = 1024, format = 'png', seed = '' } = {}) {
	const w = Math.max(1, Math.min(8192, Math.round(Number(width) || 1024)));
	const h = Math.max(1, Math.min(8192, Math.round(Number(height) || 1024)));
	const type = ENCODERS[format] ? format : 'png';
	const key = `${type}|${w}x${h}|${seed}|${prompt}`;
	let file = cache.get(key);
	if (!file) {
		file = ENCODERS[type](drawScene(prompt, w, h, seed), prompt);
		cache.set(key, file);
		if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value);
	}
	return { data: file, mimeType: MIME[type] };
}

/** The size of a picture made here, whatever its format. */
function pictureSize(buffer) {
	if (buffer.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return pngSize(buffer);
	if (buffer[0] === 0xff && buffer[1] === 0xd8) return jpegSize(buffer);
	if (buffer.toString('ascii', 0, 4) === 'RIFF') return webpSize(buffer);
	return undefined;
}

/** The prompt stored in a PNG or JPEG made here. */
function picturePrompt(buffer) {
	if (buffer[0] === 0xff && buffer[1] === 0xd8) return readJpegPrompt(buffer);
	return readPngPrompt(buffer);
}

module.exports = {
	decodePicture,
	drawScene,
	encodePicture,
	resizePicture,
	restylePicture,
	encodePng,
	encodeJpeg,
	encodeWebp,
	makePicture,
	padPng,
	pictureSize,
	picturePrompt,
	readPngPrompt,
	MIME,
};
