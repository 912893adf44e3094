'use strict';
// DefAPI (https://api.defapi.org): POST /api/image/gen, GET /api/task/query?task_id=.
// Prompt tags: [ms:N] task length, [fail] ends "failed" with status_reason, [text] ends "success"
// with only a text result, [notfound:N] first N queries answer 404 "task not found",
// [reject] create answers 400 with a detail, [unwrapped] query answers without the { code, message, data } wrapper, [shape:datauri] inline result.

const crypto = require('crypto');

const LONG_SIDE = { '1k': 1024, '2k': 2048, '4k': 4096 };

/** The picture a request asks for: 1K on the long side unless `image_size` says more, at `aspect_ratio`. */
function pictureFor(prompt, json) {
	const long = LONG_SIDE[String(json.image_size ?? '1k').toLowerCase()] ?? 1024;
	const [w, h] = /^\d+:\d+$/.test(String(json.aspect_ratio))
		? String(json.aspect_ratio).split(':').map(Number)
		: [1, 1];
	const scale = long / Math.max(w, h);
	return { prompt, width: Math.round(w * scale), height: Math.round(h * scale), format: 'png' };
}

module.exports = function defApi(emulator) {
	const tasks = new Map();

	function view(task) {
		const elapsed = emulator.now() - task.createdAt;
		const base = {
			task_id: task.id,
			created_at: new Date(task.createdAt).toISOString(),
			status_reason: { message: null },
		};
		if (elapsed < task.ms) {
			const phase = elapsed / task.ms;
			return {
				...base,
				status: phase < 0.2 ? 'pending' : phase < 0.4 ? 'submitted' : 'in_progress',
				result: null,
			};
		}
		if (task.tags.fail) {
			return {
				...base,
				status: 'failed',
				result: null,
				status_reason: { message: 'Image generation was blocked by content policy' },
			};
		}
		if (task.tags.text) {
			return {
				...base,
				status: 'success',
				result: [{ text: 'I cannot create images of real people.' }],
				consumed: '0.000000',
			};
		}
		// [bytes:N] makes the inline PNG as large as a real 2K/4K picture (several MB).
		const image =
			task.tags.shape === 'datauri'
				? `data:image/png;base64,${emulator.pictureBase64(`defapi-${task.id}`, { ...task.picture, bytes: Number(task.tags.bytes ?? 0) })}`
				: emulator.pictureUrl(`defapi-${task.id}`, task.picture);
		return { ...base, status: 'success', result: [{ image }], consumed: '0.500000' };
	}

	return {
		reset() {
			tasks.clear();
		},
		async handle(req, res, url, body, { send }) {
			const path = url.pathname;
			if (!path.startsWith('/api/image/') && !path.startsWith('/api/task/')) return false;
			if (req.headers.authorization !== `Bearer ${emulator.config.keys.defApi}`) {
				return send(
					res,
					401,
					path.startsWith('/api/task/')
						? { code: 401, message: 'Invalid API key' }
						: { code: 1, message: 'Invalid API key' },
				);
			}

			if (req.method === 'POST' && path === '/api/image/gen') {
				const json = body.json ?? {};
				const prompt = typeof json.prompt === 'string' ? json.prompt : '';
				if (!json.model)
					return send(res, 400, { code: 1, message: 'failed', detail: 'model is required' });
				if (!prompt.trim())
					return send(res, 400, { code: 1, message: 'failed', detail: 'prompt is required' });
				const images = Array.isArray(json.images) ? json.images : [];
				if (/\[reject\]/.test(prompt))
					return send(res, 400, {
						code: 1,
						message: 'failed',
						detail: 'prompt violates the content policy',
					});
				if (images.length > 4)
					return send(res, 400, {
						code: 1,
						message: 'failed',
						detail: 'at most 4 images are allowed',
					});
				const tags = emulator.readTags(prompt);
				const id = `ta${crypto.randomUUID().slice(2)}`;
				const task = {
					id,
					prompt,
					tags,
					createdAt: emulator.now(),
					ms: Number(tags.ms ?? emulator.config.taskMs),
					notFound: Number(tags.notfound ?? 0),
					picture: pictureFor(prompt, json),
				};
				tasks.set(id, task);
				emulator.countTask('defApi', id, 'creates', {
					prompt,
					images: images.map((image) =>
						String(image).startsWith('data:')
							? String(image).slice(0, String(image).indexOf(';'))
							: image,
					),
					body: { ...json, images: undefined },
					doneAt: task.createdAt + task.ms,
				});
				if (typeof json.callback_url === 'string') {
					emulator.later(task.ms + 50, () => {
						const { created_at: _created, ...payload } = view(task);
						emulator.callback(json.callback_url, payload);
					});
				}
				return send(res, 200, { code: 0, message: 'ok', data: { task_id: id } });
			}

			if (req.method === 'GET' && path === '/api/task/query') {
				const task = tasks.get(url.searchParams.get('task_id') ?? '');
				if (!task) return send(res, 404, { code: 1, message: 'task not found' });
				emulator.countTask('defApi', task.id, 'reads');
				if (task.notFound > 0) {
					task.notFound--;
					return send(res, 404, { code: 1, message: 'task not found' });
				}
				const data = view(task);
				return send(res, 200, task.tags.unwrapped ? data : { code: 0, message: 'ok', data });
			}
			return send(res, 404, { code: 1, message: `No route ${req.method} ${path}` });
		},
	};
};

/**
 * What the server needs to know of this provider without asking it: which requests start a paid
 * task and which read one (the fault queues and counts use them), and its way of saying "error"
 * with HTTP 200.
 */
module.exports.routes = {
	create: [/^POST \/api\/image\/gen$/],
	read: [/^GET \/api\/task\/query$/],
};
module.exports.errorBody = { code: 1, message: 'internal error' };
