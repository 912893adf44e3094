'use strict';
// GPTunnel (https://gptunnel.ru): POST /v1/media/create, POST|GET /v1/media/result, GET /v1/balance.
// Auth: `Authorization: <key>` without "Bearer". Refusals come as HTTP 200 with `code != 0`.
// Prompt tags: [ms:N] task length, [fail] ends "failed", [code:N] create answers code N,
// [invalid] create answers code 3 with issues, [resultcode:N] status reads answer code N.

const crypto = require('crypto');

const RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'];
const VIDEO = /veo|sora|seedance|kling|video/i;
const MUSIC = /suno/i;

module.exports = function gptunnel(emulator) {
	const tasks = new Map();

	function view(task) {
		const elapsed = emulator.now() - task.createdAt;
		const base = {
			code: 0,
			id: task.id,
			model: task.model,
			prompt: task.shownPrompt,
			created_at: Math.floor(task.createdAt / 1000),
		};
		if (elapsed < task.ms) {
			const phase = elapsed / task.ms;
			return {
				...base,
				status: phase < 0.2 ? 'idle' : phase < 0.6 ? 'processing' : 'running',
				url: null,
			};
		}
		if (task.tags.fail)
			return {
				...base,
				status: 'failed',
				url: null,
				error: 'Generation was blocked by the safety filter',
			};
		const name = `gptunnel-${task.id}_result`;
		if (VIDEO.test(task.model) || MUSIC.test(task.model)) {
			const ext = VIDEO.test(task.model) ? 'mp4' : 'mp3';
			return {
				...base,
				status: 'done',
				url: `${emulator.fileUrl(`${name}.${ext}`)}?prompt=${encodeURIComponent(task.prompt)}`,
				cost: 2.5,
			};
		}
		// Images are 1024 pixels on the long side, at the aspect ratio asked for; Imagen 3 answers in WebP.
		const [w, h] = String(task.ar ?? '1:1')
			.split(':')
			.map(Number);
		const scale = 1024 / Math.max(w, h);
		const picture = {
			prompt: task.prompt,
			width: Math.round(w * scale),
			height: Math.round(h * scale),
			format: task.model === 'google-imagen-3' ? 'webp' : 'png',
		};
		return { ...base, status: 'done', url: emulator.pictureUrl(name, picture), cost: 2.5 };
	}

	return {
		reset() {
			tasks.clear();
		},
		async handle(req, res, url, body, { send }) {
			const path = url.pathname;
			if (!path.startsWith('/v1/media/') && path !== '/v1/balance') return false;
			if (req.headers.authorization !== emulator.config.keys.gptunnel) {
				return send(res, 401, {
					error: { message: 'Unauthorized request', type: 'unauthorized_request_error', code: 401 },
				});
			}
			if (req.method === 'GET' && path === '/v1/balance')
				return send(res, 200, { balance: 500.25, currency: 'RUB' });

			if (req.method === 'POST' && path === '/v1/media/create') {
				const json = body.json ?? {};
				const prompt = typeof json.prompt === 'string' ? json.prompt : '';
				const tags = emulator.readTags(prompt);
				const issues = [];
				if (!json.model)
					issues.push({ code: 'invalid_type', path: ['model'], message: 'Required' });
				if (tags.invalid)
					issues.push({
						code: 'invalid_string',
						path: ['prompt'],
						message: 'Prompt contains forbidden words',
					});
				if (!prompt.trim())
					issues.push({
						code: 'too_small',
						path: ['prompt'],
						message: 'String must contain at least 1 character(s)',
					});
				if (json.ar !== undefined && !RATIOS.includes(json.ar))
					issues.push({
						code: 'invalid_enum_value',
						path: ['ar'],
						message: `Invalid enum value. Expected ${RATIOS.join(' | ')}`,
					});
				if (issues.length) return send(res, 200, { code: 3, message: 'Validation error', issues });
				if (tags.code)
					return send(res, 200, {
						code: Number(tags.code),
						message: 'Insufficient balance to create the task',
					});
				const id = crypto.randomBytes(12).toString('hex');
				const task = {
					id,
					model: json.model,
					ar: json.ar,
					prompt,
					shownPrompt: json.ar ? `${prompt} --ar ${json.ar}` : prompt,
					tags,
					createdAt: emulator.now(),
					ms: Number(tags.ms ?? emulator.config.taskMs),
				};
				tasks.set(id, task);
				const images = Array.isArray(json.images) ? json.images : [];
				emulator.countTask('gptunnel', id, 'creates', {
					prompt,
					body: {
						...json,
						images: images.map((image) => (String(image).startsWith('data:') ? 'data-url' : image)),
					},
				});
				return send(res, 200, { ...view(task), status: 'idle', url: null });
			}

			if (path === '/v1/media/result' && (req.method === 'POST' || req.method === 'GET')) {
				const taskId = (body.json ?? {}).task_id ?? url.searchParams.get('task_id');
				const task = tasks.get(String(taskId));
				if (!task) return send(res, 200, { code: 5, message: 'Task not found' });
				emulator.countTask('gptunnel', task.id, 'reads');
				if (task.tags.resultcode)
					return send(res, 200, {
						code: Number(task.tags.resultcode),
						message: 'Task was removed by moderation',
					});
				return send(res, 200, view(task));
			}
			return send(res, 404, { error: { message: `No route ${req.method} ${path}` } });
		},
	};
};

/**
 * What the server needs to know of this provider without asking it: which requests start a paid
 * task and which read one (the fault queues and counts use them), and its way of saying "error"
 * with HTTP 200.
 */
module.exports.routes = {
	create: [/^POST \/v1\/media\/create$/],
	read: [/^(GET|POST) \/v1\/media\/result$/],
};
module.exports.errorBody = { code: 1, message: 'Internal server error, try again later' };
