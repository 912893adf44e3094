'use strict';
// Gen-API (https://api.gen-api.ru): POST /api/v1/networks/{id}, GET /api/v1/request/get/{id}, GET /api/v1/user.
// Prompt tags: [ms:N] task length, [fail] ends "failed", [error] ends "error", [unknown] reports an
// unknown status first, [shape:result|full_response|datauri|base64] result shape, [images:N] files,
// [notfound:N] first N reads answer 404, [5xx:N] first N reads answer 500, [createfail:500] create answers 500,
// [expired] the file link answers 404. The document gives no `progress`: answers
// carry `progress: null` while starting and a number later, as servers that have the field do.

module.exports = function genApi(emulator) {
	const tasks = new Map();
	let nextId = 1000;

	function authorised(req) {
		return req.headers.authorization === `Bearer ${emulator.config.keys.genApi}`;
	}

	function resultFor(task) {
		const shape = task.tags.shape ?? 'result';
		const count = Number(task.tags.images ?? task.body.num_images ?? 1);
		// The picture is drawn at the size asked for (the document's default is 992×992).
		const picture = {
			prompt: task.prompt,
			width: Number(task.body.width ?? 992),
			height: Number(task.body.height ?? 992),
			format: task.body.output_format === 'jpg' ? 'jpg' : 'png',
		};
		const files = Array.from({ length: count }, (_, n) => {
			const name = `${task.tags.expired ? 'expired-' : ''}genapi-${task.id}-${n + 1}`;
			if (shape === 'datauri' || shape === 'base64') {
				// Inline results are PNG data (bare base64 has no type: the document says it is PNG).
				const base64 = emulator.pictureBase64(name, { ...picture, format: 'png' });
				return shape === 'datauri' ? `data:image/png;base64,${base64}` : base64;
			}
			return emulator.pictureUrl(name, picture);
		});
		return shape === 'full_response'
			? { full_response: files.map((url) => ({ url })) }
			: { result: files };
	}

	function view(task) {
		const elapsed = emulator.now() - task.createdAt;
		const done = elapsed >= task.ms;
		const base = { request_id: task.id, id: task.id };
		if (!done) {
			if (task.tags.unknown) return { ...base, status: 'warming_up' };
			const phase = elapsed / task.ms;
			if (phase < 0.2) return { ...base, status: 'starting', progress: null };
			return {
				...base,
				status: phase < 0.5 ? 'pending' : 'processing',
				progress: Math.round(100 * phase),
			};
		}
		if (task.tags.fail)
			return { ...base, status: 'failed', error: 'NSFW content detected in the prompt' };
		if (task.tags.error)
			return { ...base, status: 'error', error: { message: 'Internal generation error' } };
		return { ...base, status: 'success', cost: 0.6, ...resultFor(task) };
	}

	return {
		reset() {
			tasks.clear();
		},
		async handle(req, res, url, body, { send }) {
			const path = url.pathname;
			if (!path.startsWith('/api/v1/')) return false;
			if (!authorised(req)) return send(res, 401, { message: 'Unauthenticated.' });

			if (req.method === 'GET' && path === '/api/v1/user') {
				return send(res, 200, {
					id: 42,
					name: 'Emulator',
					email: 'user@example.com',
					balance: 1234.5,
				});
			}

			const create = /^\/api\/v1\/networks\/([^/]+)$/.exec(path);
			if (req.method === 'POST' && create) {
				if (body.invalid || !body.json)
					return send(res, 400, { message: 'Request body must be JSON' });
				const prompt = String(body.json.prompt ?? '');
				const tags = emulator.readTags(prompt);
				if (tags.createfail) return send(res, Number(tags.createfail), { message: 'Server Error' });
				if (create[1] === 'z-image' && !prompt.trim()) {
					return send(res, 422, {
						message: 'The given data was invalid.',
						errors_validation: { prompt: ['The prompt field is required.'] },
					});
				}
				const id = nextId++;
				const task = {
					id,
					network: create[1],
					prompt,
					tags,
					body: body.json,
					createdAt: emulator.now(),
					ms: Number(tags.ms ?? emulator.config.taskMs),
					notFound: Number(tags.notfound ?? 0),
					serverErrors: Number(tags['5xx'] ?? 0),
				};
				tasks.set(String(id), task);
				emulator.countTask('genApi', id, 'creates', {
					prompt,
					network: task.network,
					body: body.json,
					doneAt: task.createdAt + task.ms,
				});
				if (typeof body.json.callback_url === 'string') {
					emulator.later(task.ms + 5, () => emulator.callback(body.json.callback_url, view(task)));
				}
				if (body.json.is_sync) return send(res, 200, view({ ...task, ms: 0 }));
				return send(res, 200, { request_id: id, status: 'starting' });
			}

			const read = /^\/api\/v1\/request\/get\/([^/]+)$/.exec(path);
			if (req.method === 'GET' && read) {
				const task = tasks.get(read[1]);
				if (!task) return send(res, 404, { message: 'Request not found' });
				emulator.countTask('genApi', task.id, 'reads');
				if (task.notFound > 0) {
					task.notFound--;
					return send(res, 404, { message: 'Request not found' });
				}
				if (task.serverErrors > 0) {
					task.serverErrors--;
					return send(res, 500, { message: 'Server Error' });
				}
				return send(res, 200, view(task));
			}
			return send(res, 404, { message: `No route ${req.method} ${path}` });
		},
	};
};

/**
 * What the server needs to know of this provider without asking it: which requests start a paid
 * task and which read one (the fault queues and counts use them), and its way of saying "error"
 * with HTTP 200.
 */
module.exports.routes = {
	create: [/^POST \/api\/v1\/networks\/[^/]+$/],
	read: [/^GET \/api\/v1\/request\/get\/[^/]+$/],
};
module.exports.errorBody = { error: 'Service temporarily unavailable' };
