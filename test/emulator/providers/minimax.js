'use strict';
// MiniMax (https://api.minimax.io): POST /v1/video_generation, GET /v1/query/video_generation?task_id=,
// GET /v1/files/retrieve?file_id=. Errors come as HTTP 200 with base_resp.status_code != 0.
// A callback_url is first sent { challenge } and must echo it within 3 s, or the create fails with 2013;
// after completion the status is posted to it.
// Prompt tags: [ms:N] task length, [fail] ends "Fail", [code:N] create answers code N (with
// [code:N:K] only the first K creates of that prompt),
// [querycode:N:K] the first K queries answer code N, [size:BYTES] the video's size (streamed).

const crypto = require('crypto');

const CHALLENGE_TIMEOUT_MS = 3000;
const MESSAGES = {
	1002: 'rate limit exceeded',
	1004: 'login fail: Please carry the API secret key in the Authorization field of the request header',
	1008: 'insufficient balance',
	1026: 'input new_sensitive',
	1027: 'output new_sensitive',
	1033: 'system error',
	2013: 'invalid params',
	2049: 'invalid api key',
};

/** The frame size of each resolution MiniMax offers. */
const SIZES = { '512P': [912, 512], '768P': [1366, 768], '1080P': [1920, 1080] };

module.exports = function miniMax(emulator) {
	const tasks = new Map();
	const files = new Map();
	const refusedCreates = new Map();
	let nextFile = 380000000000;

	const ok = { status_code: 0, status_msg: 'success' };
	const fail = (code, message) => ({
		status_code: code,
		status_msg: message ?? MESSAGES[code] ?? 'error',
	});

	function view(task) {
		const elapsed = emulator.now() - task.createdAt;
		const base = { task_id: task.id };
		if (elapsed < task.ms) {
			const phase = elapsed / task.ms;
			return {
				...base,
				status: phase < 0.15 ? 'Preparing' : phase < 0.4 ? 'Queueing' : 'Processing',
				file_id: '',
				base_resp: ok,
			};
		}
		if (task.tags.fail) return { ...base, status: 'Fail', file_id: '', base_resp: ok };
		const [width, height] = SIZES[task.resolution];
		if (!task.fileId) {
			task.fileId = String(nextFile++);
			// Without [size:…] the video is a real clip of the length and resolution asked for.
			files.set(task.fileId, {
				bytes: Number(task.tags.size ?? 0),
				taskId: task.id,
				clip: `clip-${width}x${height}-${task.duration}.mp4`,
			});
		}
		return {
			...base,
			status: 'Success',
			file_id: task.fileId,
			video_width: width,
			video_height: height,
			base_resp: ok,
		};
	}

	/** The challenge handshake: the receiver must echo the value within 3 seconds. */
	async function checkCallback(url) {
		const challenge = crypto.randomBytes(12).toString('hex');
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), CHALLENGE_TIMEOUT_MS);
		try {
			return await emulator.track(
				(async () => {
					const response = await fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ challenge }),
						signal: controller.signal,
					});
					const body = await response.json().catch(() => ({}));
					return response.ok && body.challenge === challenge;
				})(),
			);
		} catch {
			return false;
		} finally {
			clearTimeout(timer);
		}
	}

	return {
		reset() {
			tasks.clear();
			files.clear();
			refusedCreates.clear();
		},
		async handle(req, res, url, body, { send }) {
			const path = url.pathname;
			if (
				!['/v1/video_generation', '/v1/query/video_generation', '/v1/files/retrieve'].includes(path)
			)
				return false;
			const auth = req.headers.authorization ?? '';
			if (!auth.startsWith('Bearer ')) return send(res, 200, { base_resp: fail(1004) });
			if (auth !== `Bearer ${emulator.config.keys.miniMax}`)
				return send(res, 200, { base_resp: fail(2049) });

			if (req.method === 'POST' && path === '/v1/video_generation') {
				const json = body.json ?? {};
				const prompt = typeof json.prompt === 'string' ? json.prompt : '';
				const tags = emulator.readTags(prompt);
				if (tags.code) {
					const [code, times] = String(tags.code).split(':');
					const refused = refusedCreates.get(prompt) ?? 0;
					if (!times || refused < Number(times)) {
						refusedCreates.set(prompt, refused + 1);
						return send(res, 200, { task_id: '', base_resp: fail(Number(code)) });
					}
				}
				if (!json.model)
					return send(res, 200, {
						task_id: '',
						base_resp: fail(2013, 'invalid params, model is required'),
					});
				if (prompt.length > 2000)
					return send(res, 200, {
						task_id: '',
						base_resp: fail(2013, 'invalid params, prompt too long'),
					});
				if (!prompt && !json.first_frame_image)
					return send(res, 200, {
						task_id: '',
						base_resp: fail(2013, 'invalid params, prompt is required'),
					});
				for (const key of ['first_frame_image', 'last_frame_image']) {
					const image = json[key];
					if (
						image !== undefined &&
						!/^(https?:\/\/|data:image\/(jpeg|png|webp);base64,)/.test(String(image))
					) {
						return send(res, 200, {
							task_id: '',
							base_resp: fail(2013, `invalid params, ${key} must be a URL or a base64 data URL`),
						});
					}
				}
				if (typeof json.callback_url === 'string' && !(await checkCallback(json.callback_url))) {
					return send(res, 200, {
						task_id: '',
						base_resp: fail(2013, 'invalid params, fail to check callback url'),
					});
				}
				const id = String(Date.now()) + String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
				const [queryCode, queryCount] = String(tags.querycode ?? '').split(':');
				const task = {
					id,
					prompt,
					tags,
					createdAt: emulator.now(),
					ms: Number(tags.ms ?? emulator.config.taskMs),
					queryCode: Number(queryCode || 0),
					// As the document and MiniMax's defaults have it: 6 s at 768P unless asked otherwise.
					duration: Number(json.duration) === 10 ? 10 : 6,
					resolution: SIZES[json.resolution] ? json.resolution : '768P',
					queryErrors: Number(queryCount || (queryCode ? 1 : 0)),
				};
				tasks.set(id, task);
				const frame = (image) =>
					image === undefined
						? undefined
						: String(image).startsWith('data:')
							? String(image).slice(0, String(image).indexOf(';'))
							: image;
				emulator.countTask('miniMax', id, 'creates', {
					prompt,
					body: {
						...json,
						first_frame_image: frame(json.first_frame_image),
						last_frame_image: frame(json.last_frame_image),
					},
				});
				if (typeof json.callback_url === 'string') {
					// Status updates shaped like the query answer while the video is made, then the final one.
					for (const share of [0.2, 0.5, 0.75])
						emulator.later(Math.round(task.ms * share), () =>
							emulator.callback(json.callback_url, view(task)),
						);
					emulator.later(task.ms + 50, () => emulator.callback(json.callback_url, view(task)));
				}
				return send(res, 200, { task_id: id, base_resp: ok });
			}

			if (req.method === 'GET' && path === '/v1/query/video_generation') {
				const task = tasks.get(url.searchParams.get('task_id') ?? '');
				if (!task)
					return send(res, 200, {
						task_id: url.searchParams.get('task_id') ?? '',
						status: '',
						base_resp: fail(2013, 'invalid params, task not found'),
					});
				emulator.countTask('miniMax', task.id, 'reads');
				if (task.queryErrors > 0) {
					task.queryErrors--;
					return send(res, 200, { task_id: task.id, status: '', base_resp: fail(task.queryCode) });
				}
				return send(res, 200, view(task));
			}

			if (req.method === 'GET' && path === '/v1/files/retrieve') {
				const fileId = url.searchParams.get('file_id') ?? '';
				const file = files.get(fileId);
				if (!file)
					return send(res, 200, { base_resp: fail(2013, 'invalid params, file not found') });
				emulator.stats.fileRetrievals = (emulator.stats.fileRetrievals ?? 0) + 1;
				return send(res, 200, {
					file: {
						file_id: Number(fileId),
						bytes: file.bytes,
						created_at: Math.floor(Date.now() / 1000),
						filename: 'output.mp4',
						purpose: 'video_generation',
						download_url: emulator.fileUrl(file.bytes ? `big-${file.bytes}.mp4` : file.clip),
					},
					base_resp: ok,
				});
			}
			return send(res, 404, { base_resp: fail(1000, 'not found') });
		},
	};
};

/**
 * What the server needs to know of this provider without asking it: which requests start a paid
 * task and which read one (the fault queues and counts use them), and its way of saying "error"
 * with HTTP 200.
 */
module.exports.routes = {
	create: [/^POST \/v1\/video_generation$/],
	read: [/^GET \/v1\/query\/video_generation$/, /^GET \/v1\/files\/retrieve$/],
};
module.exports.errorBody = { base_resp: { status_code: 1033, status_msg: 'system error' } };
