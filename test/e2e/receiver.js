'use strict';
// The AI Media Trigger's rules in a running n8n: a Nalitek webhook signed by Python (json.dumps,
// Cyrillic escaped) starts its workflow once and a one-character change gets 401; MiniMax's
// Processing, Processing, Success start it once; a DefAPI result of 2 MB inline base64 arrives as
// a file, and every provider got its answer before the work was done.

const assert = require('assert');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const TOKEN = 'e2e-receiver-token-9c2e';

/** A webhook body as Nalitek's Python SDK would sign it (json.dumps, the signature added to the body). */
function pythonSigned(payload, secret) {
	const script = [
		'import hashlib, hmac, json, sys',
		'payload = json.loads(sys.argv[1])',
		'text = json.dumps(payload)',
		"payload['signature'] = 'sha256=' + hmac.new(sys.argv[2].encode(), text.encode(), hashlib.sha256).hexdigest()",
		'print(json.dumps(payload))',
	].join('\n');
	return execFileSync('python3', ['-c', script, JSON.stringify(payload), secret], {
		encoding: 'utf8',
	}).trim();
}

module.exports = async function checkReceiverRules({ e2e, emulator, userFolder, assertNoKey }) {
	const sink = await e2e.startSink();
	const receivers = {};
	for (const [key, file] of [
		['nalitek', 'nalitek'],
		['miniMax', 'minimax'],
		['defApi', 'defapi'],
	]) {
		const workflow = e2e.loadExample(`callbacks-${file}-receive.json`);
		workflow.id = `Rules${key}`.padEnd(16, '0').slice(0, 16);
		workflow.name = `${workflow.name} (receiver rules)`;
		const trigger = workflow.nodes.find(
			(node) => node.type === 'n8n-nodes-genmedia.aiMediaTrigger',
		);
		trigger.webhookId = crypto.randomUUID();
		if (key !== 'nalitek') trigger.parameters.token = TOKEN;
		e2e.addReportNode(
			workflow,
			'Keep the File',
			sink.url,
			'={{ JSON.stringify({ provider: $json.provider, taskId: $json.taskId, status: $json.status, confirmed: $json.confirmed, mimeType: $binary.data ? $binary.data.mimeType : null, fileSize: $binary.data ? $binary.data.fileSize : null }) }}',
		);
		workflow.active = true;
		await e2e.importWorkflow(userFolder, workflow);
		await e2e.activateWorkflow(userFolder, workflow.id);
		receivers[key] = trigger.webhookId;
	}
	const server = await e2e.startN8n(userFolder);
	const hook = (key) => `${server.url}/webhook/${receivers[key]}/callback`;
	const post = async (url, text) => {
		const started = Date.now();
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: text,
		});
		return { status: response.status, body: await response.text(), ms: Date.now() - started };
	};
	const reportsFor = (provider) => sink.received.filter((report) => report.provider === provider);
	const waitFor = async (provider, count, timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		while (reportsFor(provider).length < count && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 200));
		// Anything more would come within a moment.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		return reportsFor(provider);
	};
	const api = async (method, path, headers, body) =>
		(
			await fetch(`${emulator.url}${path}`, {
				method,
				headers: { 'content-type': 'application/json', ...headers },
				body: body === undefined ? undefined : JSON.stringify(body),
			})
		).json();
	try {
		for (const key of Object.keys(receivers)) await e2e.waitForWebhook(hook(key));
		const measured = [];

		// Nalitek: a real image with a Cyrillic prompt, its webhook signed by Python.
		const prompt = 'Город на закате, масляная живопись [ms:10]';
		const image = await api(
			'POST',
			'/api/generate',
			{ 'x-api-key': emulator.config.keys.nalitek },
			{ prompt },
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const view = await api('GET', `/api/get/${image.image_id}`, {
			'x-api-key': emulator.config.keys.nalitek,
		});
		const payload = {
			event: 'generation.complete',
			timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
			data: { image_id: image.image_id, url: view.url, prompt, seed: 8472659 },
		};
		const signed = pythonSigned(payload, emulator.config.nalitekWebhookSecret);
		assert.ok(
			signed.includes('\\u0413\\u043e\\u0440\\u043e\\u0434'),
			'Python escaped the Cyrillic prompt',
		);
		const accepted = await post(hook('nalitek'), signed);
		assert.strictEqual(accepted.status, 200, accepted.body);
		measured.push(`Nalitek signed by Python answered in ${accepted.ms} ms`);
		const tampered = await post(hook('nalitek'), signed.replace('8472659', '8472658'));
		assert.strictEqual(tampered.status, 401);
		const nalitek = await waitFor('nalitek', 1);
		assert.deepStrictEqual(
			nalitek.map((r) => [r.taskId, r.status, r.mimeType]),
			[[String(image.image_id), 'succeeded', 'image/png']],
		);

		// MiniMax: two progress callbacks, then the final one — one run.
		const miniMaxAuth = { authorization: `Bearer ${emulator.config.keys.miniMax}` };
		const task = await api('POST', '/v1/video_generation', miniMaxAuth, {
			model: 'T2V-01',
			prompt: 'a wave [ms:10]',
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		const done = await api(
			'GET',
			`/v1/query/video_generation?task_id=${task.task_id}`,
			miniMaxAuth,
		);
		const processing = {
			task_id: task.task_id,
			status: 'Processing',
			file_id: '',
			base_resp: { status_code: 0, status_msg: 'success' },
		};
		for (const body of [processing, processing, done]) {
			const answer = await post(`${hook('miniMax')}?token=${TOKEN}`, JSON.stringify(body));
			assert.strictEqual(answer.status, 200, answer.body);
		}
		const miniMax = await waitFor('miniMax', 1);
		assert.deepStrictEqual(
			miniMax.map((r) => [r.taskId, r.status, r.confirmed, r.mimeType]),
			[[String(task.task_id), 'succeeded', true, 'video/mp4']],
		);

		// DefAPI: the provider itself posts a finished task whose picture is 2 MB of inline base64.
		const callbacksBefore = (emulator.stats.callbacks ?? []).length;
		const created = await api(
			'POST',
			'/api/image/gen',
			{ authorization: `Bearer ${emulator.config.keys.defApi}` },
			{
				model: 'google/gempix2',
				prompt: 'a 2K picture [ms:200] [shape:datauri] [bytes:2000000]',
				callback_url: `${hook('defApi')}?token=${TOKEN}`,
			},
		);
		const defApi = await waitFor('defApi', 1);
		assert.deepStrictEqual(
			defApi.map((r) => [r.taskId, r.status, r.mimeType]),
			[[created.data.task_id, 'succeeded', 'image/png']],
		);
		assert.match(String(defApi[0].fileSize), /^2(\.0)? MB$/);
		const callback = (emulator.stats.callbacks ?? [])
			.slice(callbacksBefore)
			.find((entry) => entry.url.startsWith(hook('defApi')));
		assert.ok(
			callback && callback.status === 200,
			`DefAPI's callback was answered ${callback?.status}`,
		);
		assert.ok(callback.text.length > 2_000_000, 'the callback carried the whole picture');
		measured.push(
			`DefAPI ${(callback.text.length / 1e6).toFixed(1)} MB callback answered in ${callback.answeredMs} ms`,
		);

		assertNoKey(server.log());
		e2e.log(`     ${measured.join('; ')}`);
	} finally {
		await server.stop();
		sink.close();
	}
};
