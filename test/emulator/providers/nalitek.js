'use strict';
// Nalitek FLUX API v2 (https://image.nalitek.com), with its per-endpoint rate limits (429 +
// Retry-After), daily quota (403), multipart uploads, batches and signed webhooks.
// Prompt tags: [ms:N] task length, [fail] ends "failed", [idkey] the create answer says `id`
// instead of `image_id`, [abs] absolute result links (relative by default), [batchfail] (first
// prompt of a batch) the batch ends "failed" with no jobs listed.
// Config: nalitekWindowMs (rate-limit window, default 60000), nalitekQuota (daily generations),
// nalitekWebhookSecret, nalitekMinSide (256 as the smart-upscale section generates; 512 as the
// parameter table says), nalitekLoraField ('lora_ids' as the table names it, 'lora_id' as every
// example sends it), nalitekHistory (earlier images the account lists), nalitekWebhookShape ('error': a failed event carries its message in
// data.error; 'nourl': a complete event carries no data.url).

const crypto = require('crypto');

const pictures = require('../pictures');

const { pictureSize } = pictures;

const LIMITS = { generate: 10, img2img: 10, upscale: 5, images: 60, batch: 2 };
/** The largest side each plan allows (the document's plan table). */
const PLAN_MAX = { free: 1024, pro: 2048, business: 2048, enterprise: 4096 };
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_UPLOAD = 10 * 1024 * 1024;

/**
 * Python's json.dumps with its defaults: ", " and ": " between items, every character outside
 * printable ASCII written as \\uXXXX (UTF-16 code units, so emoji become surrogate pairs).
 */
function pythonDumps(value) {
	if (value === null || value === undefined) return 'null';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
	if (typeof value === 'string') {
		let out = '"';
		for (let i = 0; i < value.length; i++) {
			const code = value.charCodeAt(i);
			const ch = value[i];
			if (ch === '"') out += '\\"';
			else if (ch === '\\') out += '\\\\';
			else if (ch === '\n') out += '\\n';
			else if (ch === '\r') out += '\\r';
			else if (ch === '\t') out += '\\t';
			else if (ch === '\b') out += '\\b';
			else if (ch === '\f') out += '\\f';
			else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
			else out += ch;
		}
		return `${out}"`;
	}
	if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
	return `{${Object.entries(value)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${pythonDumps(k)}: ${pythonDumps(v)}`)
		.join(', ')}}`;
}

/** Splits a multipart/form-data body into fields and files. */
function parseMultipart(raw, contentType) {
	const boundary = /boundary=([^;]+)/.exec(contentType ?? '')?.[1];
	if (!boundary) return undefined;
	const parts = [];
	const delimiter = Buffer.from(`--${boundary}`);
	let start = raw.indexOf(delimiter);
	while (start >= 0) {
		const next = raw.indexOf(delimiter, start + delimiter.length);
		if (next < 0) break;
		const part = raw.subarray(start + delimiter.length + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd >= 0) {
			const head = part.subarray(0, headerEnd).toString('utf8');
			const name = /name="([^"]*)"/.exec(head)?.[1];
			const fileName = /filename="([^"]*)"/.exec(head)?.[1];
			const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
			const data = part.subarray(headerEnd + 4);
			parts.push(
				fileName === undefined
					? { name, value: data.toString('utf8') }
					: { name, fileName, type, data },
			);
		}
		start = next;
	}
	return parts;
}

function sniff(data) {
	if (data[0] === 0x89 && data.toString('latin1', 1, 4) === 'PNG') return 'image/png';
	if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
	if (data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP')
		return 'image/webp';
	return 'application/octet-stream';
}

module.exports = function nalitek(emulator) {
	const images = new Map();
	const batches = new Map();
	const recent = {};
	/** Starts every rate-limit window afresh (a bench's measured run is not charged with earlier ones). */
	emulator.resetNalitekWindows = () => {
		for (const key of Object.keys(recent)) delete recent[key];
	};
	let nextImage = 4738;
	let used = 0;
	/** The account's password, for POST /api/user/password. */
	let password = 'emulator-password';
	let apiKeys = [
		{
			id: 1,
			name: 'Default',
			prefix: 'nk_live_ab12',
			created_at: '2025-01-01T00:00:00Z',
			last_used_at: null,
			usage: { total_requests: 0 },
		},
	];
	const profile = {
		id: 347,
		username: 'emulator_user',
		email: 'user@example.com',
		role: 'user',
		plan: 'pro',
		settings: {
			default_model: 'flux-dev',
			default_quality: 'high',
			email_notifications: true,
			webhook_enabled: false,
		},
	};

	const error = (res, send, status, message, details, code, headers) =>
		send(
			res,
			status,
			{ error: message, details, code, request_id: `req_${crypto.randomBytes(6).toString('hex')}` },
			headers,
		);

	/** Per-endpoint sliding window; returns the seconds to wait when the limit is reached. */
	function limited(kind) {
		const windowMs = emulator.config.nalitekWindowMs ?? 60_000;
		const now = emulator.now();
		const list = (recent[kind] ??= []);
		while (list.length && list[0] <= now - windowMs) list.shift();
		if (list.length >= LIMITS[kind])
			return Math.max(1, Math.ceil((list[0] + windowMs - now) / 1000));
		list.push(now);
		return 0;
	}

	/**
	 * The picture an image task makes: the size and format asked for (1024×1024 PNG by default),
	 * the target size after a smart upscale, the source size times the scale for an upscale.
	 */
	function pictureOf(fields) {
		const body = fields.body ?? {};
		const params = { ...(body.shared ?? {}), ...body };
		const number = (value) =>
			Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : undefined;
		if (fields.kind === 'upscale') {
			const source = images.get(fields.source);
			const scale = Number(body.scale ?? 2);
			return { width: source.width * scale, height: source.height * scale, format: source.format };
		}
		const smart = params.smart_upscale === true || params.smart_upscale === 'true';
		const upload = fields.upload ? pictureSize(fields.upload) : undefined;
		return {
			width:
				(smart && number(params.target_width)) || number(params.width) || upload?.width || 1024,
			height:
				(smart && number(params.target_height)) || number(params.height) || upload?.height || 1024,
			format: ['png', 'jpeg', 'webp'].includes(params.format) ? params.format : 'png',
		};
	}

	/**
	 * The pixels of an image: a new picture of its prompt; for an upscale, its source enlarged;
	 * for image to image, the uploaded picture at the size asked for, redrawn in the prompt's
	 * colours (as far as `strength` says) — so a chain's pictures visibly come from each other.
	 */
	function pixelsOf(image) {
		if (image.kind === 'upscale' && images.has(image.source))
			return pictures.resizePicture(pixelsOf(images.get(image.source)), image.width, image.height);
		const input = image.kind === 'img2img' && image.upload && pictures.decodePicture(image.upload);
		if (input) {
			const params = { ...(image.body?.shared ?? {}), ...image.body };
			const strength = Number.isFinite(Number(params.strength)) ? Number(params.strength) : 0.75;
			return pictures.restylePicture(
				pictures.resizePicture(input, image.width, image.height),
				image.prompt,
				Math.min(1, Math.max(0, strength)),
			);
		}
		return pictures.drawScene(image.prompt, image.width, image.height, `nalitek-${image.id}`);
	}

	/** The file of a finished image, encoded once. */
	function fileOf(image) {
		image.file ??= pictures.encodePicture(pixelsOf(image), image.prompt, image.format);
		return image.file;
	}

	/**
	 * The LoRAs an image is made with. The parameter table names `lora_ids`, an array; every
	 * example sends `lora_id`, one string. The emulator reads one of them (config.nalitekLoraField,
	 * 'lora_ids' by default), as a server built from either would; the forms' `lora_models` always.
	 */
	function lorasOf(body = {}) {
		const params = { ...(body.shared ?? {}), ...body };
		if (Array.isArray(params.lora_models)) return params.lora_models.map(String);
		if ((emulator.config.nalitekLoraField ?? 'lora_ids') === 'lora_id')
			return typeof params.lora_id === 'string' && params.lora_id ? [params.lora_id] : [];
		return Array.isArray(params.lora_ids) ? params.lora_ids.map(String) : [];
	}

	function createImage({ upload, ...fields }) {
		const id = nextImage++;
		const tags = emulator.readTags(fields.prompt);
		const picture = pictureOf({ ...fields, upload });
		const image = {
			id,
			createdAt: emulator.now(),
			ms: Number(tags.ms ?? emulator.config.taskMs),
			tags,
			cancelled: false,
			seed: 8472659 + id,
			...fields,
			...picture,
			// Image to image draws its picture from the uploaded one.
			upload,
		};
		images.set(id, image);
		emulator.countTask('nalitek', id, 'creates', {
			prompt: fields.prompt,
			kind: fields.kind,
			body: fields.body,
			loras: lorasOf(fields.body),
			doneAt: image.createdAt + image.ms,
		});
		if (fields.webhookUrl) {
			emulator.later(image.ms + 50, () => {
				const state = view(image);
				const event =
					fields.kind === 'upscale'
						? `upscale.${state.status === 'completed' ? 'complete' : 'failed'}`
						: `generation.${state.status === 'completed' ? 'complete' : 'failed'}`;
				if (fields.webhookEvents && !fields.webhookEvents.includes(event)) return;
				const shape = emulator.config.nalitekWebhookShape;
				const data = {
					image_id: id,
					url: state.url,
					prompt: image.prompt,
					seed: image.seed,
					generation_time: image.ms / 1000,
				};
				if (state.status !== 'completed') {
					// The document shows no failed body: its error format names the message `error`.
					if (shape === 'error') data.error = state.error_message ?? state.message;
					else data.error_message = state.error_message ?? state.message;
				}
				if (shape === 'nourl') delete data.url;
				sendWebhook(fields.webhookUrl, event, data, image.tags);
			});
		}
		return image;
	}

	/**
	 * Posts a webhook as the document shows it: `{ event, timestamp, data, signature }` with an
	 * HMAC-SHA256 "sha256=…" signature. The document names neither the key nor the signed text, so
	 * the emulator signs as its Python SDK would by default (json.dumps of the payload without the
	 * signature, the signature added to the body), or — with config.nalitekSignature or a prompt
	 * tag [sig:compact] / [sig:header] — compact JSON in the body, or the raw body signed and the
	 * signature in an X-Signature header. The key is the webhook secret, or the API key without one.
	 */
	function sendWebhook(url, event, data, tags = {}) {
		const style = tags.sig ?? emulator.config.nalitekSignature ?? 'python';
		const payload = {
			event,
			timestamp: new Date(emulator.now() + Number(tags.skew ?? 0) * 1000)
				.toISOString()
				.replace(/\.\d{3}Z$/, 'Z'),
			data,
		};
		const key = emulator.config.nalitekWebhookSecret || emulator.config.keys.nalitek;
		const hmac = (text) =>
			`sha256=${crypto.createHmac('sha256', key).update(text, 'utf8').digest('hex')}`;
		if (style === 'header') {
			const text = JSON.stringify(payload);
			return emulator.callback(url, text, { 'X-Signature': hmac(text) });
		}
		const dumps = style === 'compact' ? JSON.stringify : pythonDumps;
		return emulator.callback(url, dumps({ ...payload, signature: hmac(dumps(payload)) }));
	}

	/**
	 * The document's image-to-image and upscale examples read the finished image straight from the
	 * 201 answer (`result['url']`, `result['dimensions']`, `result['seed']`), with no id shown. That
	 * reading is answered for a prompt tagged [inline] (for an upscale, the source's prompt) or with
	 * config.nalitekInline; otherwise an id to wait for, as for generate.
	 */
	function inline(image) {
		if (!image.tags.inline && !emulator.config.nalitekInline) return false;
		image.ms = 0;
		return true;
	}

	function finished(image) {
		return {
			url: view(image).url,
			dimensions: `${image.width}x${image.height}`,
			seed: image.seed,
			prompt: image.prompt,
		};
	}

	function view(image) {
		const elapsed = emulator.now() - image.createdAt;
		if (image.cancelled) return { status: 'failed', url: null, message: 'Cancelled' };
		if (elapsed < image.ms)
			return {
				status: elapsed < image.ms * 0.2 ? 'queued' : 'generating',
				url: null,
				message: 'Generating',
				progress: Math.round((100 * elapsed) / image.ms),
			};
		if (image.tags.fail)
			return {
				status: 'failed',
				url: null,
				message: 'Generation failed: NSFW content detected',
				error_message: 'NSFW content detected',
			};
		const query = new URLSearchParams({
			prompt: image.prompt,
			w: String(image.width),
			h: String(image.height),
		});
		const path = `/uploads/images/flux_${image.id}.${image.format}?${query}`;
		return {
			status: 'completed',
			url: image.tags.abs ? `${emulator.url}${path}` : path,
			message: 'Image generated successfully',
		};
	}

	function details(image) {
		const state = view(image);
		return {
			id: image.id,
			status: state.status,
			url: state.url,
			thumbnail_url: state.url,
			prompt: image.prompt,
			seed: image.seed,
			width: image.width ?? 1024,
			height: image.height ?? 1024,
			dimensions: `${image.width ?? 1024}x${image.height ?? 1024}`,
			is_upscaled: image.kind === 'upscale',
			error_message: state.error_message ?? null,
			created_at: new Date(image.createdAt).toISOString(),
		};
	}

	/**
	 * Sizes as the document allows them: at least 256 (its smart-upscale section generates
	 * 256×256 directly; config.nalitekMinSide = 512 reads the parameter table instead), at most
	 * the plan's maximum (Free 1024, Pro and Business 2048, Enterprise 4096). The "multiple of 64"
	 * of its table is not enforced: its own example asks for 1920×1080. A smart upscale enlarges
	 * at most 4× ("the largest upscale factor is 4x").
	 */
	function checkParams(params) {
		const plan = emulator.config.nalitekPlan ?? profile.plan;
		const max = PLAN_MAX[plan] ?? 2048;
		const min = emulator.config.nalitekMinSide ?? 256;
		for (const key of ['width', 'height']) {
			const value = params[key];
			if (value === undefined) continue;
			if (!Number.isInteger(Number(value)) || value < min)
				return `${key} must be a whole number of at least ${min}`;
			if (value > max)
				return `${key} ${value} exceeds the ${max}×${max} maximum of the ${plan} plan`;
		}
		for (const key of ['target_width', 'target_height']) {
			const value = params[key];
			if (value !== undefined && (!Number.isInteger(Number(value)) || value < min || value > 4096))
				return `${key} must be between ${min} and 4096`;
			const side = Number(params[key.replace('target_', '')] ?? 1024);
			if (value !== undefined && value > 4 * side)
				return `${key} ${value} is more than 4x the ${key.replace('target_', '')} ${side}`;
		}
		if (params.steps !== undefined && (params.steps < 10 || params.steps > 100))
			return 'steps must be between 10 and 100';
		if (
			params.guidance_scale !== undefined &&
			(params.guidance_scale < 1 || params.guidance_scale > 20)
		)
			return 'guidance_scale must be between 1 and 20';
		if (params.strength !== undefined && (params.strength < 0 || params.strength > 1))
			return 'strength must be between 0 and 1';
		return undefined;
	}

	function quotaLeft() {
		const quota = emulator.config.nalitekQuota;
		return quota === undefined || used < quota;
	}

	function batchView(batch) {
		const jobs = batch.jobs.map((job) => {
			const image = images.get(job.image_id);
			const state = view(image);
			return {
				id: job.id,
				image_id: job.image_id,
				status: state.status,
				url: state.url,
				seed: image.seed,
				generation_time: image.ms / 1000,
				error_message: state.error_message ?? null,
			};
		});
		const count = (status) => jobs.filter((job) => job.status === status).length;
		const done = jobs.every((job) => job.status === 'completed' || job.status === 'failed');
		if (batch.failAfter !== undefined && emulator.now() >= batch.failAfter)
			return { batch_id: batch.id, status: 'failed', error: 'Worker pool crashed' };
		return {
			batch_id: batch.id,
			status: batch.cancelled ? 'cancelled' : done ? 'completed' : 'processing',
			total: jobs.length,
			queued: count('queued'),
			processing: count('generating'),
			completed: count('completed'),
			failed: count('failed'),
			jobs,
		};
	}

	function createBatch(res, send, entries, { webhookUrl, ...extra }) {
		const id = `batch_${Date.now()}_${crypto.randomBytes(4).toString('hex')}`;
		const made = entries.map((entry) =>
			createImage({ ...entry, kind: entry.kind ?? 'generate', batchId: id }),
		);
		const jobs = made.map((image, position) => ({
			id: entries[position].clientId ?? `job_${position + 1}`,
			image_id: image.id,
			status: 'queued',
			position: position + 1,
		}));
		const batch = { id, jobs, cancelled: false, ...extra };
		if (made[0]?.tags.batchfail) batch.failAfter = made[0].createdAt + made[0].ms;
		batches.set(id, batch);
		emulator.stats.batches = (emulator.stats.batches ?? 0) + 1;
		emulator.stats.lastBatch = {
			total: jobs.length,
			...extra,
			...(webhookUrl ? { webhookUrl } : {}),
		};
		if (webhookUrl) {
			// "URL для уведомлений о завершении": one notice when every job of the batch is done.
			emulator.later(Math.max(...made.map((image) => image.ms)) + 50, () => {
				const view = batchView(batch);
				sendWebhook(
					webhookUrl,
					'batch.complete',
					{
						batch_id: id,
						status: view.status,
						total: view.total,
						completed: view.completed,
						failed: view.failed,
					},
					made[0].tags,
				);
			});
		}
		return send(res, 202, {
			batch_id: id,
			status: 'processing',
			total: jobs.length,
			queued: jobs.length,
			processing: 0,
			completed: 0,
			failed: 0,
			jobs,
			status_url: `/api/batch/${id}`,
		});
	}

	function readUpload(res, send, parts, name) {
		const file = parts.find((part) => part.name === name && part.data);
		if (!file)
			return (
				error(res, send, 400, 'Validation error', `${name} file is required`, 'VALIDATION_ERROR') &&
				undefined
			);
		if (!IMAGE_TYPES.includes(sniff(file.data)))
			return (
				error(
					res,
					send,
					400,
					'Validation error',
					'Unsupported image format (png, jpg, webp)',
					'VALIDATION_ERROR',
				) && undefined
			);
		if (file.data.length > MAX_UPLOAD)
			return (
				error(res, send, 400, 'Validation error', 'Image larger than 10 MB', 'VALIDATION_ERROR') &&
				undefined
			);
		return file;
	}

	return {
		reset() {
			images.clear();
			batches.clear();
			for (const key of Object.keys(recent)) delete recent[key];
			used = 0;
			password = 'emulator-password';
		},
		async handle(req, res, url, body, { send }) {
			const path = url.pathname;
			if (path.startsWith('/uploads/images/')) {
				const [, id, format] = /flux_(\d+)\.(png|jpeg|webp)$/.exec(path) ?? [];
				if (!id) return send(res, 404, { error: 'Not found' });
				const size = (key) => Number(url.searchParams.get(key)) || 1024;
				const image = images.get(Number(id));
				const file = image
					? fileOf(image)
					: emulator.picture(`nalitek-${id}`, {
							prompt: url.searchParams.get('prompt') ?? '',
							width: size('w'),
							height: size('h'),
							format,
						});
				res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.data.length });
				return res.end(file.data);
			}
			if (!path.startsWith('/api/')) return false;
			if (req.method === 'GET' && path === '/api/status') {
				return send(res, 200, {
					status: 'operational',
					version: '2.0',
					services: {
						generation: 'operational',
						img2img: 'operational',
						upscale: 'operational',
						storage: 'operational',
						websocket: 'operational',
					},
					models: {
						'flux-dev': { status: 'available', queue_size: 5, avg_generation_time: 28.5 },
						'flux-schnell': { status: 'available', queue_size: 2, avg_generation_time: 15.3 },
					},
					timestamp: new Date().toISOString(),
				});
			}
			const key = req.headers['x-api-key'];
			const isAdmin = key === emulator.config.keys.nalitekAdmin;
			if (key !== emulator.config.keys.nalitek && !isAdmin)
				return error(res, send, 401, 'Unauthorized', 'Missing or invalid API key', 'UNAUTHORIZED');

			const throttle = (kind) => {
				const wait = limited(kind);
				if (!wait) return false;
				emulator.stats.nalitek429 = (emulator.stats.nalitek429 ?? 0) + 1;
				error(
					res,
					send,
					429,
					'Too Many Requests',
					`Rate limit of ${LIMITS[kind]} requests per minute exceeded`,
					'RATE_LIMITED',
					{ 'retry-after': String(wait) },
				);
				return true;
			};
			const json = body.json ?? {};

			if (req.method === 'POST' && path === '/api/generate') {
				if (throttle('generate')) return;
				if (!quotaLeft())
					return error(
						res,
						send,
						403,
						'Quota exceeded',
						'Daily generation limit reached. Resets at 00:00 UTC',
						'QUOTA_EXCEEDED',
					);
				if (typeof json.prompt !== 'string' || !json.prompt.trim())
					return error(
						res,
						send,
						400,
						'Validation error',
						'prompt is required',
						'VALIDATION_ERROR',
					);
				const invalid = checkParams(json);
				if (invalid) return error(res, send, 400, 'Validation error', invalid, 'VALIDATION_ERROR');
				used++;
				const image = createImage({
					prompt: json.prompt,
					kind: 'generate',
					body: json,
					webhookUrl: json.webhook_url,
					webhookEvents: json.webhook_events,
				});
				const answer = {
					status: 'generating',
					generation_id: `gen_${Date.now()}${image.id}`,
					url: null,
					thumbnail_url: null,
					prompt: image.prompt,
					seed: image.seed,
					dimensions: `${json.width ?? 1024}x${json.height ?? 1024}`,
					estimated_time: Math.ceil(image.ms / 1000),
					progress_url: `/api/images/${image.id}`,
					websocket_channel: `generation_${image.id}`,
				};
				return send(
					res,
					201,
					image.tags.idkey ? { id: image.id, ...answer } : { image_id: image.id, ...answer },
				);
			}

			if (req.method === 'POST' && path === '/api/img2img') {
				if (throttle('img2img')) return;
				const parts = parseMultipart(body.raw, req.headers['content-type']);
				if (!parts)
					return error(
						res,
						send,
						400,
						'Validation error',
						'multipart/form-data expected',
						'VALIDATION_ERROR',
					);
				const file = readUpload(res, send, parts, 'image');
				if (!file) return;
				const fields = Object.fromEntries(
					parts
						.filter((part) => part.value !== undefined && !part.name.endsWith('[]'))
						.map((part) => [part.name, part.value]),
				);
				const loras = parts
					.filter((part) => part.name === 'lora_models[]')
					.map((part) => part.value);
				if (!fields.prompt)
					return error(
						res,
						send,
						400,
						'Validation error',
						'prompt is required',
						'VALIDATION_ERROR',
					);
				const numbers = Object.fromEntries(
					[
						'width',
						'height',
						'target_width',
						'target_height',
						'steps',
						'guidance_scale',
						'strength',
					]
						.filter((k) => fields[k] !== undefined)
						.map((k) => [k, Number(fields[k])]),
				);
				const invalid = checkParams(numbers);
				if (invalid) return error(res, send, 400, 'Validation error', invalid, 'VALIDATION_ERROR');
				used++;
				const image = createImage({
					prompt: fields.prompt,
					kind: 'img2img',
					upload: file.data,
					body: {
						...fields,
						lora_models: loras,
						image: { fileName: file.fileName, type: sniff(file.data), bytes: file.data.length },
					},
				});
				if (inline(image)) return send(res, 201, finished(image));
				return send(res, 201, {
					image_id: image.id,
					status: 'generating',
					url: null,
					prompt: image.prompt,
					seed: image.seed,
					progress_url: `/api/images/${image.id}`,
				});
			}

			const upscale = /^\/api\/upscale\/(\d+)$/.exec(path);
			if (req.method === 'POST' && upscale) {
				if (throttle('upscale')) return;
				const source = images.get(Number(upscale[1]));
				if (!source)
					return error(res, send, 404, 'Not found', `Image ${upscale[1]} not found`, 'NOT_FOUND');
				if (view(source).status !== 'completed')
					return error(
						res,
						send,
						400,
						'Validation error',
						'Only completed images can be upscaled',
						'VALIDATION_ERROR',
					);
				const scale = Number(json.scale ?? 2);
				if (scale !== 2 && scale !== 4)
					return error(
						res,
						send,
						400,
						'Validation error',
						'scale must be 2 or 4',
						'VALIDATION_ERROR',
					);
				const image = createImage({
					prompt: source.prompt,
					kind: 'upscale',
					source: source.id,
					body: json,
					webhookUrl: json.webhook_url,
					webhookEvents: json.webhook_events,
				});
				if (inline(image)) return send(res, 201, { ...finished(image), scale });
				return send(res, 201, {
					image_id: image.id,
					original_image_id: source.id,
					status: 'generating',
					scale,
					url: null,
				});
			}

			const get = /^\/api\/get\/(\d+)$/.exec(path);
			if (req.method === 'GET' && get) {
				const image = images.get(Number(get[1]));
				if (!image)
					return error(res, send, 404, 'Not found', `Image ${get[1]} not found`, 'NOT_FOUND');
				emulator.countTask('nalitek', image.id, 'reads');
				const { status, url: link, message } = view(image);
				return send(res, 200, { status, url: link, message });
			}

			const one = /^\/api\/images\/(\d+)$/.exec(path);
			if (one) {
				if (throttle('images')) return;
				const image = images.get(Number(one[1]));
				if (!image)
					return error(res, send, 404, 'Not found', `Image ${one[1]} not found`, 'NOT_FOUND');
				if (req.method === 'DELETE') {
					images.delete(image.id);
					res.writeHead(204);
					return res.end();
				}
				return send(res, 200, details(image));
			}
			if (req.method === 'GET' && path === '/api/images') {
				if (throttle('images')) return;
				// config.nalitekPages: 'ignore' answers page 1 whatever is asked; a number caps the pages
				// (asking past the last page gives the last one) — both readings a server may take.
				const asked = Number(url.searchParams.get('page') ?? 1);
				const pageMode = emulator.config.nalitekPages;
				// config.nalitekPageSize: a server that gives fewer per page than asked.
				const perPage = Math.min(
					100,
					emulator.config.nalitekPageSize ?? 100,
					Number(url.searchParams.get('per_page') ?? 20),
				);
				// config.nalitekHistory: an account that already holds that many finished images.
				const history = Array.from({ length: emulator.config.nalitekHistory ?? 0 }, (_, n) => ({
					id: -(n + 1),
					status: 'completed',
					url: `/uploads/images/flux_history_${n + 1}.png`,
					prompt: `earlier image ${n + 1}`,
					is_upscaled: false,
				}));
				let list = [...history, ...[...images.values()].map(details)];
				const status = url.searchParams.get('status');
				if (status) list = list.filter((image) => image.status === status);
				const upscaled = url.searchParams.get('is_upscaled');
				if (upscaled !== null)
					list = list.filter((image) => String(image.is_upscaled) === upscaled);
				list.sort((a, b) =>
					url.searchParams.get('sort') === 'date_asc' ? a.id - b.id : b.id - a.id,
				);
				const lastPage = Math.max(1, Math.ceil(list.length / perPage));
				const page =
					pageMode === 'ignore'
						? 1
						: typeof pageMode === 'number'
							? Math.min(asked, pageMode)
							: asked;
				const answer = {
					images: list.slice((page - 1) * perPage, page * perPage),
					total: list.length,
					current_page: page,
					per_page: perPage,
					total_pages: lastPage,
				};
				// A server that ignores pages does not say how many there are.
				if (pageMode === 'ignore') delete answer.total_pages;
				return send(res, 200, answer);
			}

			if (req.method === 'POST' && path === '/api/batch/generate') {
				if (throttle('batch')) return;
				const list = Array.isArray(json.batch) ? json.batch : [];
				if (!list.length || list.length > 10)
					return error(
						res,
						send,
						400,
						'Validation error',
						'batch must hold 1 to 10 requests',
						'VALIDATION_ERROR',
					);
				for (const entry of list) {
					if (typeof entry.prompt !== 'string' || !entry.prompt.trim())
						return error(
							res,
							send,
							400,
							'Validation error',
							'every batch entry needs a prompt',
							'VALIDATION_ERROR',
						);
					const invalid = checkParams(entry.params ?? {});
					if (invalid)
						return error(res, send, 400, 'Validation error', invalid, 'VALIDATION_ERROR');
				}
				return createBatch(
					res,
					send,
					list.map((entry) => ({ prompt: entry.prompt, clientId: entry.id, body: entry.params })),
					{ parallel: json.parallel, priority: json.priority, webhookUrl: json.webhook_url },
				);
			}
			if (req.method === 'POST' && path === '/api/batch/img2img') {
				if (throttle('batch')) return;
				const parts = parseMultipart(body.raw, req.headers['content-type']);
				if (!parts)
					return error(
						res,
						send,
						400,
						'Validation error',
						'multipart/form-data expected',
						'VALIDATION_ERROR',
					);
				const files = parts.filter((part) => part.name === 'images[]' && part.data);
				const prompts = parts.filter((part) => part.name === 'prompts[]').map((part) => part.value);
				if (!files.length || files.length !== prompts.length)
					return error(
						res,
						send,
						400,
						'Validation error',
						'images[] and prompts[] must have the same length',
						'VALIDATION_ERROR',
					);
				for (const file of files) {
					if (!IMAGE_TYPES.includes(sniff(file.data)) || file.data.length > MAX_UPLOAD)
						return error(
							res,
							send,
							400,
							'Validation error',
							'Unsupported or too large image',
							'VALIDATION_ERROR',
						);
				}
				let shared = {};
				try {
					shared = JSON.parse(parts.find((part) => part.name === 'shared_params')?.value ?? '{}');
				} catch {
					return error(
						res,
						send,
						400,
						'Validation error',
						'shared_params must be JSON',
						'VALIDATION_ERROR',
					);
				}
				const webhookUrl = parts.find((part) => part.name === 'webhook_url')?.value;
				return createBatch(
					res,
					send,
					prompts.map((prompt, n) => ({
						prompt,
						kind: 'img2img',
						upload: files[n].data,
						body: { shared, image: { bytes: files[n].data.length, type: sniff(files[n].data) } },
					})),
					{ webhookUrl },
				);
			}
			const batchPath = /^\/api\/batch\/([\w-]+)$/.exec(path);
			if (batchPath) {
				const batch = batches.get(batchPath[1]);
				if (!batch)
					return error(res, send, 404, 'Not found', `Batch ${batchPath[1]} not found`, 'NOT_FOUND');
				if (req.method === 'DELETE') {
					let cancelled = 0;
					for (const job of batch.jobs) {
						const image = images.get(job.image_id);
						if (view(image).status !== 'completed' && view(image).status !== 'failed') {
							image.cancelled = true;
							cancelled++;
						}
					}
					batch.cancelled = true;
					return send(res, 200, {
						batch_id: batch.id,
						cancelled,
						completed: batch.jobs.length - cancelled,
						message: 'Batch processing cancelled',
					});
				}
				emulator.countTask('nalitek', batch.id, 'reads');
				return send(res, 200, batchView(batch));
			}

			if (req.method === 'GET' && path === '/api/loras') {
				return send(res, 200, {
					loras: [
						{
							id: 'anime-style-v2',
							name: 'Anime Style v2',
							description: 'Anime characters',
							category: 'style',
							is_active: true,
						},
						{
							id: 'detailed-eyes-v1',
							name: 'Detailed Eyes v1',
							description: 'Sharper eyes',
							category: 'character',
							is_active: true,
						},
						{ id: 'old-style', name: 'Old Style', category: 'style', is_active: false },
					],
				});
			}
			if (req.method === 'GET' && path === '/api/user/stats') {
				const quota = emulator.config.nalitekQuota ?? 100;
				return send(res, 200, {
					user: { id: profile.id, username: profile.username, plan: profile.plan },
					quota: {
						daily_generations: quota,
						used_generations: used,
						remaining_generations: Math.max(0, quota - used),
						reset_at: '2026-01-01T00:00:00Z',
					},
					statistics: { total_generations: used },
				});
			}
			if (path === '/api/user/profile') {
				if (req.method === 'PUT') {
					const { settings, ...rest } = json;
					Object.assign(profile, rest);
					Object.assign(profile.settings, settings ?? {});
				}
				return send(res, 200, profile);
			}
			if (req.method === 'POST' && path === '/api/user/password') {
				if (!json.current_password || !json.new_password)
					return error(
						res,
						send,
						400,
						'Validation error',
						'current_password and new_password are required',
						'VALIDATION_ERROR',
					);
				if (json.current_password !== password)
					return error(
						res,
						send,
						400,
						'Validation error',
						'current_password is wrong',
						'VALIDATION_ERROR',
					);
				password = json.new_password;
				return send(res, 200, { message: 'Password changed successfully' });
			}
			if (path === '/api/user/api-keys') {
				if (req.method === 'POST') {
					if (!json.name)
						return error(
							res,
							send,
							400,
							'Validation error',
							'name is required',
							'VALIDATION_ERROR',
						);
					const created = {
						id: apiKeys.length + 1,
						name: json.name,
						prefix: 'nk_live_zz99',
						created_at: new Date().toISOString(),
						last_used_at: null,
						usage: { total_requests: 0 },
						ip_whitelist: json.ip_whitelist ?? null,
						rate_limit: json.rate_limit ?? null,
					};
					apiKeys.push(created);
					return send(res, 201, {
						...created,
						key: `nk_live_${crypto.randomBytes(16).toString('hex')}`,
					});
				}
				return send(res, 200, { api_keys: apiKeys });
			}
			const keyPath = /^\/api\/user\/api-keys\/(\d+)$/.exec(path);
			if (req.method === 'DELETE' && keyPath) {
				const before = apiKeys.length;
				apiKeys = apiKeys.filter((entry) => String(entry.id) !== keyPath[1]);
				if (apiKeys.length === before)
					return error(res, send, 404, 'Not found', `API key ${keyPath[1]} not found`, 'NOT_FOUND');
				res.writeHead(204);
				return res.end();
			}
			if (path.startsWith('/api/admin/')) {
				if (!isAdmin)
					return error(res, send, 403, 'Forbidden', 'Admin access required', 'FORBIDDEN');
				if (req.method === 'GET' && path === '/api/admin/users')
					return send(res, 200, {
						users: [
							{ id: 1, username: 'john_doe', plan: 'pro' },
							{ id: 2, username: 'jane', plan: 'free' },
						],
						total: 2,
					});
				if (req.method === 'GET' && path === '/api/admin/statistics')
					return send(res, 200, { total_users: 2, total_images: images.size });
				const quota = /^\/api\/admin\/user\/(\d+)\/quota$/.exec(path);
				if (req.method === 'POST' && quota)
					return send(res, 200, {
						user_id: Number(quota[1]),
						daily_generations: json.daily_generations,
						daily_upscales: json.daily_upscales,
					});
				const ban = /^\/api\/admin\/user\/(\d+)\/ban$/.exec(path);
				if (req.method === 'POST' && ban) {
					emulator.stats.nalitekBans = [
						...(emulator.stats.nalitekBans ?? []),
						{ userId: Number(ban[1]), reason: json.reason ?? null },
					];
					return send(res, 200, {
						user_id: Number(ban[1]),
						banned: true,
						reason: json.reason ?? null,
					});
				}
			}
			return error(res, send, 404, 'Not found', `No route ${req.method} ${path}`, 'NOT_FOUND');
		},
	};
};

/**
 * What the server needs to know of this provider without asking it: which requests start a paid
 * task and which read one (the fault queues and counts use them), and its way of saying "error"
 * with HTTP 200.
 */
module.exports.routes = {
	create: [/^POST \/api\/(generate|img2img|upscale\/\d+|batch\/generate|batch\/img2img)$/],
	read: [/^GET \/api\/get\/\d+$/, /^GET \/api\/batch\/[\w-]+$/],
};
module.exports.errorBody = { error: 'Temporary failure', details: 'please retry' };
