'use strict';
// The receiver as the open internet meets it, in a running n8n: bodies built to make a parser
// backtrack (100 KB and 16 MB) and nested 200 000 levels deep, answered 4xx at once while n8n keeps
// answering /healthz; 5 copies of one callback at once; strangers without a token or with a made-up
// task; links into the machine; a file that never ends and a gzip bomb. Each case counts what it
// must not cause: executions, provider reads, requests to the inside, bytes downloaded.

const assert = require('assert');
const crypto = require('crypto');
const http = require('http');
const zlib = require('zlib');

const TOKEN = 'e2e-attack-token-41b7';
const MB = 1024 * 1024;

/** A server on 127.0.0.1 that stands for a service inside the machine; counts what it is asked. */
async function insideHost(handler) {
	const host = { requests: 0, sent: 0 };
	const server = http.createServer((req, res) => {
		host.requests++;
		handler(req, res, host);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	host.url = `http://127.0.0.1:${server.address().port}`;
	host.close = () => {
		server.closeAllConnections();
		server.close();
	};
	return host;
}

module.exports = async function attackSuite({ e2e, emulator, userFolder, check, assertNoKey }) {
	const sink = await e2e.startSink();
	const secret = emulator.config.nalitekWebhookSecret;
	const hmac = (text) =>
		`sha256=${crypto.createHmac('sha256', secret).update(text, 'utf8').digest('hex')}`;
	const signed = (data) => {
		const payload = {
			event: 'generation.complete',
			timestamp: new Date().toISOString(),
			data,
		};
		return JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload)) });
	};

	// Receiving workflows: Nalitek signed (Max File Size 10 MB), Nalitek unverified, MiniMax and
	// DefAPI with a token. Each reports what it received to the sink.
	const receivers = {};
	for (const [name, file, parameters] of [
		['signed', 'nalitek', { options: { maxFileSizeMb: 10 } }],
		['unverified', 'nalitek', { verifySignature: false }],
		['miniMax', 'minimax', { token: TOKEN }],
		['defApi', 'defapi', { token: TOKEN }],
	]) {
		const workflow = e2e.loadExample(`callbacks-${file}-receive.json`);
		workflow.id = `Attack${name}`.padEnd(16, '0').slice(0, 16);
		workflow.name = `${workflow.name} (attacks: ${name})`;
		const trigger = workflow.nodes.find(
			(node) => node.type === 'n8n-nodes-genmedia.aiMediaTrigger',
		);
		trigger.webhookId = crypto.randomUUID();
		Object.assign(trigger.parameters, parameters);
		e2e.addReportNode(
			workflow,
			'Keep the File',
			sink.url,
			`={{ JSON.stringify({ receiver: ${JSON.stringify(name)}, taskId: $json.taskId, status: $json.status, error: $json.error || null, fileSize: $binary.data ? $binary.data.fileSize : null }) }}`,
		);
		workflow.active = true;
		await e2e.importWorkflow(userFolder, workflow);
		await e2e.activateWorkflow(userFolder, workflow.id);
		receivers[name] = { id: workflow.id, hook: trigger.webhookId };
	}
	const server = await e2e.startN8n(userFolder);
	const hook = (name) => `${server.url}/webhook/${receivers[name].hook}/callback`;
	const reports = (name) => sink.received.filter((report) => report.receiver === name);
	/** How many executions a receiving workflow has had, by n8n's own list. */
	const executions = async (name) => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: receivers[name].id }));
		const { status, body } = await server.rest('GET', `/executions?limit=100&filter=${filter}`);
		const data = body?.data ?? body;
		if (status !== 200 || !Array.isArray(data?.results))
			throw new Error(`listing executions: ${status} ${JSON.stringify(body).slice(0, 300)}`);
		return Math.max(data.count ?? 0, data.results.length);
	};
	const post = async (url, text, headers = {}) => {
		const started = Date.now();
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: text,
		});
		return { status: response.status, body: await response.text(), ms: Date.now() - started };
	};
	// The body that froze n8n held it for ~55 s. Idle, these answers take 0.1–0.6 s and /healthz
	// under 0.2 s; the limit leaves room for a machine busy with another n8n's run.
	const ANSWER_LIMIT_MS = 3000;
	/** Sends one request while polling /healthz every 50 ms; the slowest health answer comes back too. */
	const whileHealthy = async (send) => {
		let slowest = 0;
		let polling = true;
		const poller = (async () => {
			while (polling) {
				const started = Date.now();
				await fetch(`${server.url}/healthz`).then(
					(r) => r.text(),
					() => '',
				);
				slowest = Math.max(slowest, Date.now() - started);
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		})();
		try {
			return { ...(await send()), slowestHealthMs: slowest };
		} finally {
			polling = false;
			await poller;
		}
	};
	const settled = async (name, count, timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		while (reports(name).length < count && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 200));
		// Anything more would come within a moment.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		return reports(name);
	};

	try {
		for (const name of Object.keys(receivers)) await e2e.waitForWebhook(hook(name));

		await check(
			'attacks: bodies built to hurt (100 KB and 16 MB of backtracking bait, 200 000 levels deep) get 4xx within seconds while n8n keeps answering; nothing starts',
			async () => {
				// The body that froze n8n for ~55 s: a bogus signature, then long runs of spaces.
				const bait = (bytes) => {
					const spaces = ' '.repeat(Math.floor(bytes / 3));
					return `{"event":"generation.complete","signature"${spaces}:"sha256=00",${spaces}"data":{"image_id":1},"x":"${spaces.slice(0, -64)}"}`;
				};
				const deep = `{"challenge":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
				const cases = [
					['Nalitek, 100 KB', hook('signed'), bait(100 * 1024), 401],
					['Nalitek, 16 MB', hook('signed'), bait(15.9 * 1000 * 1000), 413],
					[
						'DefAPI with its token, 16 MB',
						`${hook('defApi')}?token=${TOKEN}`,
						bait(15.9 * 1000 * 1000),
						400,
					],
					[
						'MiniMax with its token, 200 000 levels',
						`${hook('miniMax')}?token=${TOKEN}`,
						deep,
						400,
					],
					['DefAPI without a token, 200 000 levels', hook('defApi'), deep, 401],
				];
				const measured = [];
				for (const [label, url, text, status] of cases) {
					const answer = await whileHealthy(() => post(url, text));
					assert.strictEqual(
						answer.status,
						status,
						`${label}: ${answer.status} ${answer.body.slice(0, 200)}`,
					);
					assert.ok(answer.ms < ANSWER_LIMIT_MS, `${label}: answered after ${answer.ms} ms`);
					assert.ok(
						answer.slowestHealthMs < ANSWER_LIMIT_MS,
						`${label}: /healthz took ${answer.slowestHealthMs} ms`,
					);
					assert.ok(
						!answer.body.includes('at ') || !/\.js:\d+/.test(answer.body),
						`${label}: a stack trace`,
					);
					measured.push(
						`${label} → ${answer.status} in ${answer.ms} ms (slowest /healthz ${answer.slowestHealthMs} ms)`,
					);
				}
				for (const name of Object.keys(receivers))
					assert.strictEqual(await executions(name), 0, `${name} started`);
				e2e.log(`     ${measured.join('; ')}`);
			},
		);

		await check(
			'attacks: strangers start nothing and spend nothing — MiniMax without its token, a Nalitek callback naming no image of the account',
			async () => {
				const readsBefore = emulator.stats.byRoute['GET /v1/query/video_generation'] ?? 0;
				const body = JSON.stringify({
					task_id: '1234',
					status: 'Success',
					file_id: '99',
					base_resp: { status_code: 0 },
				});
				const answers = await Promise.all(
					Array.from({ length: 100 }, () => post(hook('miniMax'), body)),
				);
				assert.deepStrictEqual([...new Set(answers.map((a) => a.status))], [401]);
				assert.strictEqual(
					(emulator.stats.byRoute['GET /v1/query/video_generation'] ?? 0) - readsBefore,
					0,
				);
				const nalitekReads = () =>
					Object.entries(emulator.stats.byRoute)
						.filter(([route]) => route.startsWith('GET /api/get/'))
						.reduce((n, [, c]) => n + c, 0);
				const before = nalitekReads();
				const unknown = await post(
					hook('unverified'),
					JSON.stringify({
						event: 'generation.complete',
						data: { image_id: 987654321, url: 'https://x/y.png' },
					}),
				);
				assert.strictEqual(unknown.status, 404, unknown.body);
				assert.strictEqual(nalitekReads() - before, 1);
				assert.strictEqual(await executions('miniMax'), 0);
				assert.strictEqual(await executions('unverified'), 0);
				e2e.log(
					`     100 MiniMax posts without the token: 100 × 401, 0 reads; unknown Nalitek image: 404 after 1 read`,
				);
			},
		);

		await check('attacks: 5 copies of one signed callback sent at once start one run', async () => {
			const image = await (
				await fetch(`${emulator.url}/api/generate`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'x-api-key': emulator.config.keys.nalitek,
					},
					body: JSON.stringify({ prompt: 'sent five times [ms:10]' }),
				})
			).json();
			await new Promise((resolve) => setTimeout(resolve, 300));
			const text = signed({
				image_id: image.image_id,
				url: `/uploads/images/flux_${image.image_id}.png`,
			});
			const before = await executions('signed');
			const answers = await Promise.all(
				Array.from({ length: 5 }, () => post(hook('signed'), text)),
			);
			assert.deepStrictEqual(
				answers.map((a) => a.status),
				[200, 200, 200, 200, 200],
			);
			const received = (await settled('signed', 1)).filter(
				(r) => r.taskId === String(image.image_id),
			);
			assert.strictEqual(received.length, 1, JSON.stringify(received));
			assert.strictEqual((await executions('signed')) - before, 1);
			e2e.log(`     answers: ${answers.map((a) => a.body).join(' ')}`);
		});

		await check(
			'attacks: links into the machine are not fetched (n8n itself, another local service, the metadata address, file://, gopher://, user:pass@); a file that never ends and a gzip bomb stop at Max File Size',
			async () => {
				const inside = await insideHost((_req, res) => res.end('{"inside":true}'));
				let endlessSent = 0;
				const endless = await insideHost((_req, res) => {
					res.writeHead(200, { 'content-type': 'image/png' });
					const chunk = Buffer.alloc(64 * 1024, 7);
					const pump = () => {
						while (!res.destroyed && endlessSent < 300 * MB) {
							endlessSent += chunk.length;
							if (!res.write(chunk)) return void res.once('drain', pump);
						}
						res.end();
					};
					pump();
				});
				const bomb = zlib.gzipSync(Buffer.alloc(300 * MB), { level: 9 });
				const gzip = await insideHost((_req, res) => {
					res.writeHead(200, {
						'content-type': 'image/png',
						'content-encoding': 'gzip',
						'content-length': bomb.length,
					});
					res.end(bomb);
				});
				try {
					const cases = [
						[`${server.url}/rest/settings`, /private or local address/],
						[`${inside.url}/secret.png`, /private or local address/],
						['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
						['file:///etc/passwd', /only http and https/],
						['gopher://127.0.0.1:6379/_INFO', /only http and https/],
						[`http://user:pass@example.com/a.png`, /user name or password/],
					];
					let id = 500;
					const expected = reports('signed').length + cases.length;
					for (const [url] of cases) await post(hook('signed'), signed({ image_id: ++id, url }));
					const received = await settled('signed', expected);
					for (const [n, [url, reason]] of cases.entries()) {
						const report = received.find((r) => r.taskId === String(501 + n));
						assert.ok(report, `no run for ${url}`);
						assert.strictEqual(report.fileSize, null, `${url} was fetched`);
						assert.match(String(report.error), reason, `${url}: ${report.error}`);
					}
					assert.strictEqual(inside.requests, 0, 'a service inside the machine was asked');
					e2e.log(`     refused: ${cases.map(([url]) => url.slice(0, 40)).join(', ')}`);

					// A provider hosted in-house: the credential allows private addresses, so these links
					// are fetched, but redirects are checked again and files stop at Max File Size (10 MB).
					const credentials = e2e
						.emulatorCredentials(emulator)
						.filter((c) => c.type === 'nalitekApi');
					credentials[0].data.allowPrivateNetwork = true;
					await e2e.importCredentials(userFolder, credentials);
					const inHouse = [
						[`${endless.url}/endless.png`, /larger than the 10\.0 MB allowed/],
						[`${gzip.url}/bomb.png`, /larger than the 10\.0 MB allowed/],
					];
					const expectedAfter = reports('signed').length + inHouse.length;
					for (const [url] of inHouse) await post(hook('signed'), signed({ image_id: ++id, url }));
					const after = await settled('signed', expectedAfter, 60_000);
					for (const [n, [url, reason]] of inHouse.entries()) {
						const report = after.find((r) => r.taskId === String(id - inHouse.length + 1 + n));
						assert.ok(report, `no run for ${url}`);
						assert.match(String(report.error), reason, `${url}: ${report.error}`);
					}
					const overMb = (endlessSent - 10 * MB) / MB;
					assert.ok(endlessSent < 300 * MB, 'the endless file was read to its end');
					e2e.log(
						`     endless file: the host pushed ${(endlessSent / MB).toFixed(1)} MB (${overMb.toFixed(1)} MB past Max File Size, kernel buffers included); gzip bomb: ${(bomb.length / 1024).toFixed(0)} KB → stopped at 10 MB`,
					);
				} finally {
					for (const host of [inside, endless, gzip]) host.close();
				}
			},
		);
		assertNoKey(server.log());
	} finally {
		await server.stop();
		sink.close();
	}
};
