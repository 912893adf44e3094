'use strict';
// A provider emulator: a real HTTP server on 127.0.0.1 that speaks the documented protocols, with
// statuses that change over time, failures, 429 with Retry-After, transient errors and callbacks.
// Used by the node tests, the real-n8n end-to-end run, the demo and the benchmark.
//
// Control endpoints (no auth):
//   POST /__control/config   { taskMs, timeScale, rateLimit: { limit, windowMs, retryAfterSec } | null, faults, ... }
//   GET  /__control/stats    request counts, per task and in total
//   POST /__control/reset    forget tasks and counts
//
// Behaviour per task can be chosen in the prompt with tags, e.g. "a cat [ms:800] [shape:base64]".
//
// Faults: `config.faults = { create: [...], read: [...], file: [...] }` are queues; each request of
// that class (task creates, status reads, file downloads) takes the next fault, until the queue is
// empty. Kinds: "429" (Retry-After: 1, nothing done; "429:N" asks for N seconds), "500" | "502" | "503", "reset" (the
// connection is cut), "slow" (answers after `config.slowMs`), "malformed" (HTTP 200, broken JSON),
// "404", "error200" (HTTP 200 with the provider's error body), "leak" (HTTP 401 whose message repeats
// the key the request carried, as some gateways do), "echo" (the real answer with the key added
// to it). On a create every fault but 429 and "refused500"
// comes after the provider took the task: the answer is lost, the task exists — the case where a
// client that sends again pays twice. "refused500" (creates) is the other reading of a documented
// "500 — repeat the request later": the server failed before making anything. "truncate" (files
// only) cuts the file halfway.

const fs = require('fs');
const http = require('http');
const path = require('path');
const { URL } = require('url');

const pictures = require('./pictures');

/**
 * Every provider is one module in providers/: a factory `(emulator) => { handle, reset }` with
 * its `routes` (creates and reads, as "METHOD /path" patterns) and its HTTP-200 `errorBody`.
 */
const PROVIDER_MODULES = fs
	.readdirSync(path.join(__dirname, 'providers'))
	.filter((file) => file.endsWith('.js'))
	.sort()
	.map((file) => require(path.join(__dirname, 'providers', file)));

const DEFAULT_CONFIG = {
	taskMs: 1500,
	rateLimit: null,
	faults: null,
	slowMs: 3000,
	keys: {
		genApi: 'test-genapi-key',
		gptunnel: 'test-gptunnel-key',
		defApi: 'dk-test-defapi-key',
		miniMax: 'sk-api-test-minimax-key',
		nalitek: 'test-nalitek-key',
		nalitekAdmin: 'test-nalitek-admin-key',
	},
	nalitekWebhookSecret: 'test-nalitek-webhook-secret',
};

/** Whether a request starts a paid task ("create"), reads one ("read"), or neither. */
function requestClass(method, pathname) {
	const route = `${method} ${pathname}`;
	const matches = (patterns) => patterns.some((pattern) => pattern.test(route));
	if (PROVIDER_MODULES.some((module) => matches(module.routes.create))) return 'create';
	if (PROVIDER_MODULES.some((module) => matches(module.routes.read))) return 'read';
	return undefined;
}

/** The provider's own way of saying "error" with HTTP 200 (as its document shows). */
function errorBodyFor(method, pathname) {
	const route = `${method} ${pathname}`;
	const owner = PROVIDER_MODULES.find((module) =>
		[...module.routes.create, ...module.routes.read].some((pattern) => pattern.test(route)),
	);
	return owner?.errorBody ?? { error: 'Temporary failure', details: 'please retry' };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The key a request carried, as a gateway that echoes it would write it. */
function sentKey(req) {
	return req.headers.authorization ?? req.headers['x-api-key'] ?? '';
}

/** Reads `[name:value]` tags from a prompt. */
function readTags(text) {
	const tags = {};
	for (const match of String(text ?? '').matchAll(/\[([a-z0-9_-]+)(?::([^\]]*))?\]/gi)) {
		tags[match[1].toLowerCase()] = match[2] === undefined ? true : match[2];
	}
	return tags;
}

/**
 * A real video and a real song for the providers that make them: a 2-second H.264 clip (320×180)
 * and a 1-second MP3 tone, made once with Debian's ffmpeg:
 *   ffmpeg -f lavfi -i testsrc2=size=320x180:rate=10 -t 2 -c:v libx264 -profile:v baseline \
 *     -pix_fmt yuv420p -crf 30 -movflags +faststart -map_metadata -1 clip.mp4
 *   ffmpeg -f lavfi -i "sine=frequency=440:duration=1" -ac 1 -ar 22050 -b:a 32k tone.mp3
 * and, for MiniMax, one clip per resolution (912×512, 1366×768, 1920×1080) and length (6, 10 s)
 * that shows its own time, length and size (clip-<W>x<H>-<seconds>.mp4):
 *   ffmpeg -f lavfi -i "color=c=0x2a4d69:size=WxH:rate=2,drawtext=fontfile=/usr/share/fonts/truetype/\
 *     dejavu/DejaVuSans.ttf:text='%{pts\:hms} / D s  WxH':fontsize=h/10:fontcolor=white:\
 *     x=(w-text_w)/2:y=(h-text_h)/2" -t D -c:v libx264 -profile:v baseline -pix_fmt yuv420p \
 *     -crf 36 -movflags +faststart -map_metadata -1 clip-WxH-D.mp4
 */
const MEDIA = {
	mp4: fs.readFileSync(path.join(__dirname, 'media', 'clip.mp4')),
	mp3: fs.readFileSync(path.join(__dirname, 'media', 'tone.mp3')),
};

/** A small PNG for test inputs (reference images, first frames), with `text` stored in it. */
function makePng(seed, text = '', size = 32) {
	return pictures.encodePng(pictures.drawScene(text, size, size, seed), text);
}

/**
 * The emulator's time, by which tasks progress, rate windows run, callbacks come and slow answers
 * are slow. With a `clock` (the jest tests' virtual clock, test/emulator/virtual-clock.js) it is
 * that clock's; otherwise it is real time, `timeScale` times faster when asked.
 */
function emulatorTime(clock, config) {
	if (clock) {
		return {
			now: () => clock.now(),
			later: (ms, fn) => clock.setTimer(fn, ms),
			hold: (ms) => clock.holdWhile(ms),
			track: (promise) => clock.track(promise),
		};
	}
	const origin = Date.now();
	const scale = () => config.timeScale ?? 1;
	return {
		now: () => origin + (Date.now() - origin) * scale(),
		later(ms, fn) {
			// One real millisecond more: at a shortened time scale, Date.now()'s whole milliseconds
			// would otherwise let a callback that is due read its task a moment too early.
			const timer = setTimeout(fn, Math.ceil(ms / scale()) + 1);
			return { cancel: () => clearTimeout(timer) };
		},
		hold: (ms) => sleep(ms),
		track: (promise) => promise,
	};
}

function createEmulator(options = {}) {
	// `providerModules`: more provider modules than those in providers/ (a test's own provider).
	const { clock, providerModules = [], ...settings } = options;
	const config = {
		...DEFAULT_CONFIG,
		...settings,
		keys: { ...DEFAULT_CONFIG.keys, ...settings.keys },
	};
	const stats = { requests: 0, throttled: 0, byRoute: {}, tasks: {}, faults: {} };
	const recent = [];
	const timers = new Set();
	let baseUrl = '';
	const time = emulatorTime(clock, config);

	const held = [];
	async function deliver(entry) {
		try {
			const started = Date.now();
			entry.sentAt = time.now();
			await time.track(
				(async () => {
					const response = await fetch(entry.url, {
						method: 'POST',
						headers: { 'content-type': 'application/json', ...entry.headers },
						body: entry.text,
					});
					entry.answeredMs = Date.now() - started;
					entry.status = response.status;
					entry.body = await response.text();
				})(),
			);
		} catch (error) {
			entry.status = `error: ${error.message}`;
		}
		return entry;
	}

	const emulator = {
		config,
		stats,
		/** The emulator's time (see emulatorTime). */
		now() {
			return time.now();
		},
		/** Real I/O the emulator starts on its own (a handshake): time stands still until it ends. */
		track(promise) {
			return time.track(promise);
		},
		get url() {
			return baseUrl;
		},
		readTags,
		makePng,
		/** Records a request against a task id (creates, reads). */
		countTask(provider, id, kind, extra = {}) {
			const key = `${provider}:${id}`;
			const task = (stats.tasks[key] ??= { provider, id, creates: 0, reads: 0, ...extra });
			Object.assign(task, extra);
			task[kind] = (task[kind] ?? 0) + 1;
			task[`first_${kind}`] ??= time.now();
			task[`last_${kind}`] = time.now();
			return task;
		},
		later(ms, fn) {
			const timer = time.later(ms, () => {
				timers.delete(timer);
				fn();
			});
			timers.add(timer);
		},
		/**
		 * POSTs JSON (an object, or text as it is) to a callback URL; failures are recorded, never
		 * thrown. With `config.holdCallbacks` a callback is kept instead (a provider whose callback is
		 * late, or lost), to be sent by `releaseCallbacks()` or dropped by `dropCallbacks()`.
		 */
		async callback(url, payload, headers = {}) {
			stats.callbacks = stats.callbacks ?? [];
			const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
			const entry = {
				url,
				payload: typeof payload === 'string' ? JSON.parse(payload) : payload,
				text,
				headers,
				status: null,
			};
			stats.callbacks.push(entry);
			if (config.holdCallbacks) {
				entry.status = 'held';
				held.push(entry);
				return entry;
			}
			return await deliver(entry);
		},
		/** Sends the callbacks kept while `config.holdCallbacks` was on (all, or those `which` picks). */
		async releaseCallbacks(which = () => true) {
			const now = held.filter(which);
			for (const entry of now) held.splice(held.indexOf(entry), 1);
			return await Promise.all(now.map(deliver));
		},
		/** Forgets kept callbacks: they are never sent (a provider that lost them). */
		dropCallbacks() {
			const dropped = held.splice(0);
			for (const entry of dropped) entry.status = 'dropped';
			return dropped;
		},
		get heldCallbacks() {
			return [...held];
		},
		fileUrl(name) {
			return `${baseUrl}/files/${name}`;
		},
		/**
		 * The link of a picture for a prompt, drawn when it is downloaded at the size asked for
		 * (default 1024×1024) in the format its extension names (png, jpg, jpeg, webp).
		 */
		pictureUrl(name, { prompt = '', width = 1024, height = 1024, format = 'png' } = {}) {
			const query = new URLSearchParams({
				prompt: String(prompt),
				w: String(width),
				h: String(height),
			});
			return `${baseUrl}/files/${name}.${format}?${query}`;
		},
		/** The picture itself: `{ data, mimeType }`. */
		picture(name, { prompt = '', width = 1024, height = 1024, format = 'png' } = {}) {
			return pictures.makePicture({ prompt, width, height, format, seed: name });
		},
		/** The same picture, inline as base64 (for providers that return files in the answer). */
		pictureBase64(
			name,
			{ prompt = '', width = 1024, height = 1024, format = 'png', bytes = 0 } = {},
		) {
			const { data } = pictures.makePicture({ prompt, width, height, format, seed: name });
			return (format === 'png' && bytes ? pictures.padPng(data, bytes) : data).toString('base64');
		},
	};

	const providers = [...PROVIDER_MODULES, ...providerModules].map((create) => create(emulator));

	function send(res, status, body, headers = {}) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, {
			'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
			...headers,
		});
		res.end(text);
	}

	/** Sliding-window limit over all provider requests, like a per-key limit. */
	function throttled(res) {
		const limit = config.rateLimit;
		if (!limit) return false;
		const now = emulator.now();
		while (recent.length && recent[0] <= now - limit.windowMs) recent.shift();
		if (recent.length >= limit.limit) {
			stats.throttled++;
			send(
				res,
				429,
				{ message: 'Too Many Attempts.' },
				{ 'retry-after': String(limit.retryAfterSec ?? 1) },
			);
			return true;
		}
		recent.push(now);
		return false;
	}

	async function readBody(req) {
		const chunks = [];
		for await (const part of req) chunks.push(part);
		const raw = Buffer.concat(chunks);
		const type = req.headers['content-type'] ?? '';
		if (type.includes('application/json') && raw.length) {
			try {
				return { raw, json: JSON.parse(raw.toString('utf8')) };
			} catch {
				return { raw, json: undefined, invalid: true };
			}
		}
		return { raw, json: undefined };
	}

	function nextFault(kind) {
		const fault = config.faults?.[kind]?.shift();
		if (fault) stats.faults[`${kind} ${fault}`] = (stats.faults[`${kind} ${fault}`] ?? 0) + 1;
		return fault;
	}

	/** Answers with a fault instead of the real answer. */
	function injure(req, res, fault, pathname) {
		if (fault === 'reset') return req.socket.destroy();
		if (fault === '502' || fault === '503') {
			res.writeHead(Number(fault), { 'content-type': 'text/html' });
			return res.end(
				`<html><body><h1>${fault === '502' ? '502 Bad Gateway' : '503 Service Temporarily Unavailable'}</h1></body></html>`,
			);
		}
		if (fault === 'malformed') {
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end('{"status": "succ');
		}
		if (fault === 'error200') return send(res, 200, errorBodyFor(req.method, pathname));
		if (fault === 'leak') {
			const key = sentKey(req);
			return send(res, 401, {
				message: `key ${key} rejected`,
				error: { detail: `invalid ${key}` },
			});
		}
		if (fault === '404') return send(res, 404, { message: 'Not found' });
		return send(res, Number(fault) || 500, { message: 'Server Error' });
	}

	/** Lets the providers handle a request; `capture` keeps their answer instead of sending it. */
	async function handleProviders(req, res, url, body, capture) {
		const respond = capture
			? (_res, status, answer, headers) => capture.push({ status, answer, headers })
			: send;
		for (const provider of providers) {
			const handled = await provider.handle(req, res, url, body, { send: respond });
			if (handled !== false) return;
		}
		respond(res, 404, { message: `No route ${req.method} ${url.pathname}` });
	}

	function serveFile(url, req, res) {
		const name = decodeURIComponent(url.pathname.slice('/files/'.length));
		stats.downloads = (stats.downloads ?? 0) + 1;
		stats.lastDownloadAt = time.now();
		const fault = nextFault('file');
		if (fault && fault !== 'truncate') return injure(req, res, fault, url.pathname);
		if (name.startsWith('expired')) return send(res, 404, { message: 'expired' });
		const big = /^big-(\d+)\.(mp4|bin|png)$/.exec(name);
		if (big) {
			// Streamed in 64 KiB pieces, never built whole in memory. A video is the sample clip
			// followed by an MP4 "free" box that pads it to the size asked for: still a valid MP4.
			// (Other big files only need to be big: a PNG signature, then filler.)
			const head =
				big[2] === 'mp4'
					? MEDIA.mp4
					: big[2] === 'png'
						? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
						: Buffer.alloc(0);
			const total = Math.max(Number(big[1]), big[2] === 'mp4' ? head.length : 0);
			const type = { mp4: 'video/mp4', png: 'image/png', bin: 'application/octet-stream' }[big[2]];
			res.writeHead(200, { 'content-type': type, 'content-length': total });
			const padding = total - head.length;
			const pieces = [head];
			if (big[2] === 'mp4' && padding > 0) {
				if (padding < 8)
					return send(res, 400, { message: `an MP4 of ${total} bytes cannot be padded` });
				const box = Buffer.alloc(8);
				box.writeUInt32BE(padding, 0);
				box.write('free', 4, 'latin1');
				pieces.push(box);
			}
			const filler = Buffer.alloc(65536, big[2] === 'mp4' ? 0 : 7);
			let sent = 0;
			res.on('finish', () => {
				stats.streamedBytes = (stats.streamedBytes ?? 0) + sent;
			});
			const pump = () => {
				while (sent < total) {
					const next = pieces.shift() ?? filler;
					const chunk = next.subarray(0, Math.min(next.length, total - sent));
					sent += chunk.length;
					if (!res.write(chunk)) return res.once('drain', pump);
				}
				res.end();
			};
			return pump();
		}
		if (/\.txt$/.test(name)) {
			res.writeHead(200, { 'content-type': 'text/plain' });
			return res.end('not an image\n');
		}
		const clip = /^clip-\d+x\d+-\d+\.mp4$/.exec(name);
		if (clip && fs.existsSync(path.join(__dirname, 'media', name))) {
			const body = fs.readFileSync(path.join(__dirname, 'media', name));
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length });
			return res.end(body);
		}
		const media = /\.(mp4|mp3)$/.exec(name);
		if (media) {
			const body = MEDIA[media[1]];
			res.writeHead(200, {
				'content-type': media[1] === 'mp4' ? 'video/mp4' : 'audio/mpeg',
				'content-length': body.length,
			});
			return res.end(body);
		}
		const picture = /^(.+)\.(png|jpg|jpeg|webp)$/.exec(name);
		if (picture) {
			const size = (key) => Math.min(8192, Math.max(1, Number(url.searchParams.get(key)) || 512));
			const { data, mimeType } = pictures.makePicture({
				prompt: url.searchParams.get('prompt') ?? '',
				width: size('w'),
				height: size('h'),
				format: picture[2],
				seed: picture[1],
			});
			res.writeHead(200, { 'content-type': mimeType, 'content-length': data.length });
			if (fault === 'truncate') {
				res.write(data.subarray(0, data.length >> 1));
				return setTimeout(() => req.socket.destroy(), 50);
			}
			return res.end(data);
		}
		return send(res, 404, { message: 'no such file' });
	}

	const server = http.createServer(async (req, res) => {
		try {
			const url = new URL(req.url, baseUrl || 'http://127.0.0.1');
			const route = `${req.method} ${url.pathname.replace(/\/[0-9a-f-]{6,}$|\/\d+$/i, '/:id')}`;
			stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
			if (url.pathname === '/__control/stats') return send(res, 200, stats);
			if (url.pathname === '/__control/reset') {
				for (const key of Object.keys(stats.tasks)) delete stats.tasks[key];
				Object.assign(stats, {
					requests: 0,
					throttled: 0,
					byRoute: {},
					downloads: 0,
					callbacks: [],
					faults: {},
				});
				for (const provider of providers) provider.reset?.();
				return send(res, 200, { ok: true });
			}
			if (url.pathname === '/__control/config') {
				const { json } = await readBody(req);
				Object.assign(config, json ?? {});
				return send(res, 200, config);
			}
			if (url.pathname.startsWith('/files/')) return serveFile(url, req, res);

			stats.requests++;
			if (throttled(res)) return;
			const kind = requestClass(req.method, url.pathname);
			const fault = kind ? nextFault(kind) : undefined;
			// "429" asks to retry after 1 s, "429:N" after N seconds.
			const throttle = /^429(?::(\d+))?$/.exec(fault ?? '');
			if (throttle)
				return send(
					res,
					429,
					{ message: 'Too Many Attempts.' },
					{ 'retry-after': throttle[1] ?? '1' },
				);
			const body = await readBody(req);
			if (!fault) return await handleProviders(req, res, url, body);
			if (fault === 'refused500') return send(res, 500, { message: 'Server Error' });
			if (fault === 'echo') {
				// The provider answers, and a gateway in between adds what it was sent.
				const answers = [];
				await handleProviders(req, res, url, body, answers);
				const [answer] = answers;
				const gateway = { seen: sentKey(req) };
				const echo = (value) =>
					value && typeof value === 'object' && !Array.isArray(value)
						? { ...value, gateway, ...(value.data ? { data: echo(value.data) } : {}) }
						: value;
				const echoed = echo(answer.answer);
				return send(res, answer.status, echoed, answer.headers);
			}
			if (kind === 'read') {
				if (fault !== 'slow') return injure(req, res, fault, url.pathname);
				await time.hold(config.slowMs);
				return await handleProviders(req, res, url, body);
			}
			// A create: the provider takes the task, then its answer is lost (or comes too late).
			const answers = [];
			await handleProviders(req, res, url, body, answers);
			if (fault !== 'slow') return injure(req, res, fault, url.pathname);
			await time.hold(config.slowMs);
			const [answer] = answers;
			if (!res.destroyed) send(res, answer.status, answer.answer, answer.headers);
		} catch (error) {
			send(res, 500, { message: `emulator error: ${error.message}` });
		}
	});

	emulator.start = (port = 0) =>
		new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				baseUrl = `http://127.0.0.1:${server.address().port}`;
				resolve(baseUrl);
			});
		});
	emulator.stop = () =>
		new Promise((resolve) => {
			for (const timer of timers) timer.cancel();
			timers.clear();
			server.closeAllConnections?.();
			server.close(() => resolve());
		});
	return emulator;
}

module.exports = {
	createEmulator,
	makePng,
	readPngPrompt: pictures.readPngPrompt,
	picturePrompt: pictures.picturePrompt,
	pictureSize: pictures.pictureSize,
	readTags,
};

if (require.main === module) {
	const port = Number(process.argv[2] ?? 0);
	const emulator = createEmulator();
	emulator.start(port).then((url) => {
		process.stdout.write(`provider emulator listening on ${url}\n`);
	});
}
