/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- tests run servers and timers of their own; the rules are for the published nodes */
// The AI Media Trigger: who may call (tokens, signatures as real signers make them), what a
// callback may make the trigger fetch, the answer the provider gets (at once), MiniMax's
// handshake and progress, duplicates. Real HTTP to the emulator for tasks and files.
import { createHmac } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';

import type { ICredentialType, IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { DefApiApi } from '../../credentials/DefApiApi.credentials';
import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { MiniMaxApi } from '../../credentials/MiniMaxApi.credentials';
import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import { AiMediaTrigger } from '../../nodes/AiMediaTrigger/AiMediaTrigger.node';
import type { CallbackRequest } from '../../nodes/shared/callbacks';
import {
	DEFAULT_REPLAY_WINDOW_MS,
	pythonJson,
	sameSecret,
	staleTimestamp,
	verifyBodySignature,
} from '../../nodes/shared/callbacks';
import { takeIn } from '../../nodes/shared/intake';
import { scanJson, withoutMember } from '../../nodes/shared/json-scan';
import { nalitekCallback } from '../../nodes/Nalitek/adapter';
import { clock, testFetch } from '../helpers/clock';
import { createContext } from '../helpers/context';
import { webhookContext } from '../helpers/webhook';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, makePng, pictureSize, readPngPrompt } from '../helpers/emulator';

const SECRET = 'whsec-test-123';
const hmac = (text: string, secret = SECRET) =>
	`sha256=${createHmac('sha256', secret).update(text, 'utf8').digest('hex')}`;
const request = (raw: string, headers: Record<string, string> = {}): CallbackRequest => {
	const bytes = Buffer.from(raw);
	const scan = scanJson(bytes, 32);
	if (!scan.ok) throw new Error(`not a JSON object: ${scan.reason}`);
	return {
		raw: bytes,
		members: scan.members,
		body: JSON.parse(raw) as IDataObject,
		headers,
		query: {},
	};
};

/** What Python 3's json.dumps printed for PAYLOAD (checked once with python3, kept as text). */
const PAYLOAD = {
	event: 'generation.complete',
	timestamp: '2025-01-15T10:30:00Z',
	data: {
		image_id: 123,
		url: 'https://x/y.png',
		prompt: 'футуристический город \u007f 😀 "q" \n',
		seed: 8472659,
		generation_time: 25.5,
		ok: true,
		none: null,
		list: [1, 2.5, 'a'],
	},
};
const PYTHON_DUMPS =
	'{"event": "generation.complete", "timestamp": "2025-01-15T10:30:00Z", "data": {"image_id": 123, "url": "https://x/y.png", "prompt": "\\u0444\\u0443\\u0442\\u0443\\u0440\\u0438\\u0441\\u0442\\u0438\\u0447\\u0435\\u0441\\u043a\\u0438\\u0439 \\u0433\\u043e\\u0440\\u043e\\u0434 \\u007f \\ud83d\\ude00 \\"q\\" \\n", "seed": 8472659, "generation_time": 25.5, "ok": true, "none": null, "list": [1, 2.5, "a"]}}';

describe('signatures as real signers make them', () => {
	it("writes JSON exactly as Python's json.dumps does", () => {
		expect(pythonJson(PAYLOAD)).toBe(PYTHON_DUMPS);
	});

	it('accepts a Python-signed body with the signature inside, Cyrillic and emoji included', () => {
		const body = `${PYTHON_DUMPS.slice(0, -1)}, "signature": "${hmac(PYTHON_DUMPS)}"}`;
		expect(verifyBodySignature(request(body), SECRET, [])).toBe(true);
	});

	it('accepts compact JSON with the signature inside, and a signed raw body with the signature in a header', () => {
		const compact = JSON.stringify(PAYLOAD);
		expect(
			verifyBodySignature(
				request(JSON.stringify({ ...PAYLOAD, signature: hmac(compact) })),
				SECRET,
				[],
			),
		).toBe(true);
		expect(
			verifyBodySignature(request(compact, { 'x-signature': hmac(compact) }), SECRET, [
				'x-signature',
			]),
		).toBe(true);
		expect(
			verifyBodySignature(
				request(compact, { 'x-signature': hmac(compact).slice('sha256='.length) }),
				SECRET,
				['x-signature'],
			),
		).toBe(true);
	});

	it('accepts the raw body with the signature member cut out, whatever its spacing and key order', () => {
		const signed =
			'{\n  "timestamp": "2025-01-15T10:30:00Z",\n  "event": "generation.complete",\n  "data": {"image_id": 5, "generation_time": 1.0}\n}';
		const body = `${signed.slice(0, -2)},\n  "signature": "${hmac(signed)}"\n}`;
		const cut = (text: string) =>
			withoutMember(Buffer.from(text), request(text).members, 'signature')?.toString('utf8');
		expect(cut(body)).toBe(signed);
		// First member: the comma after it goes.
		const first = `{"signature": "${hmac(signed)}",\n  ${signed.slice(1).trimStart()}`;
		expect(cut(first)).toBe(`{${signed.slice(1).trimStart()}`);
		expect(verifyBodySignature(request(body), SECRET, [])).toBe(true);
	});

	it('refuses a one-character change, another key, a missing signature and an empty key', () => {
		const body = `${PYTHON_DUMPS.slice(0, -1)}, "signature": "${hmac(PYTHON_DUMPS)}"}`;
		expect(verifyBodySignature(request(body.replace('8472659', '8472658')), SECRET, [])).toBe(
			false,
		);
		expect(verifyBodySignature(request(body), 'another-secret', [])).toBe(false);
		expect(verifyBodySignature(request(PYTHON_DUMPS), SECRET, [])).toBe(false);
		expect(verifyBodySignature(request(body), '', [])).toBe(false);
	});

	it('takes a timestamp within the replay window; refuses an older one, and none, saying why; 0 turns it off', () => {
		const now = Date.parse('2026-01-01T12:00:00Z');
		const window = DEFAULT_REPLAY_WINDOW_MS;
		expect(staleTimestamp('2026-01-01T11:56:00Z', now, window)).toBeUndefined();
		expect(staleTimestamp(Date.parse('2026-01-01T11:56:00Z') / 1000, now, window)).toBeUndefined();
		expect(staleTimestamp('2026-01-01T11:54:59Z', now, window)).toBe(
			"The callback's timestamp is 5 minutes old; the replay window is 5 minutes",
		);
		expect(staleTimestamp('2025-01-15T10:30:00Z', now, window)).toMatch(/\d+ minutes old/);
		expect(staleTimestamp(undefined, now, window)).toBe(
			'The callback has no timestamp, so it could be a replay',
		);
		expect(staleTimestamp('not a date', now, window)).toMatch(/not a date/);
		expect(staleTimestamp('2025-01-15T10:30:00Z', now, 0)).toBeUndefined();
		expect(staleTimestamp(undefined, now, 0)).toBeUndefined();
	});

	it('compares tokens exactly and reads only JSON objects', () => {
		expect(sameSecret('abc', 'abc')).toBe(true);
		expect(sameSecret('abd', 'abc')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
		const rules = {
			contract: nalitekCallback,
			requireProof: false,
			replayWindowMs: 0,
			now: 0,
			secrets: [],
		};
		const raw = (text: string) => ({ rawBody: Buffer.from(text), headers: {}, query: {} });
		expect(takeIn(raw('{"data":{"image_id":1}}'), rules)).toMatchObject({
			ok: true,
			callback: { taskId: '1' },
		});
		for (const text of ['[1]', 'not json', '{"a":1} x', '{"a":', '"x"'])
			expect(takeIn(raw(text), rules)).toEqual({
				ok: false,
				status: 400,
				message: 'Expected a JSON object',
			});
	});
});

describe('AI Media Trigger webhook', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = createEmulator({ taskMs: 50 });
		await emulator.start();
	});
	afterAll(async () => emulator.stop());

	let workflows = 0;
	const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
		defApi: new DefApiApi(),
		genApi: new GenApiApi(),
		miniMax: new MiniMaxApi(),
		nalitek: new NalitekApi(),
	};

	function call(
		provider: string,
		body: unknown,
		{
			query = {},
			headers = {},
			parameters = {},
			credentials,
			raw,
			staticData = {},
			workflowId = `wf-${++workflows}`,
		}: {
			query?: IDataObject;
			headers?: Record<string, string>;
			parameters?: IDataObject;
			credentials?: IDataObject;
			raw?: string;
			staticData?: IDataObject;
			/** Calls with the same workflow share the trigger's memory of callbacks taken. */
			workflowId?: string;
		} = {},
	) {
		const base = createContext({
			node: new AiMediaTrigger() as never,
			credentialType: CREDENTIAL_TYPES[provider],
			credentials: credentials ?? {},
			parameters: {},
		});
		const { ctx, sent } = webhookContext(base, {
			body,
			raw,
			query,
			headers,
			parameters: { provider, token: '', verifySignature: true, options: {}, ...parameters },
			staticData,
			workflowId,
			noCredentials: !credentials,
		});
		const trigger = new AiMediaTrigger();
		return trigger.webhook.call(ctx).then((result: IWebhookResponseData) => ({
			result,
			sent,
			staticData,
			requests: base.requests,
			/** When the answer was sent, relative to the end of the call: before the file came. */
			ended: Date.now(),
		}));
	}

	const items = (result: IWebhookResponseData) => result.workflowData?.[0] ?? [];
	const api = async (
		method: string,
		path: string,
		headers: Record<string, string>,
		body?: unknown,
	) =>
		(await (
			await testFetch(`${emulator.url}${path}`, {
				method,
				headers: { 'content-type': 'application/json', ...headers },
				body: body === undefined ? undefined : JSON.stringify(body),
			})
		).json()) as IDataObject;
	/** Lets the emulator's tasks (50 ms each) finish. */
	const settle = () => clock.sleep(120);

	const defApiDone = {
		task_id: 'ta-1',
		status: 'success',
		result: [{ image: 'https://example.com/a.png' }],
		consumed: '0.5',
		status_reason: { message: null },
	};

	it('DefAPI: the right token starts the workflow; a wrong or missing one gets 401 without echoing the secret', async () => {
		const { result, sent } = await call('defApi', defApiDone, {
			query: { token: 's3cret' },
			parameters: { token: 's3cret', options: { download: false } },
		});
		expect(sent).toMatchObject({ status: 200, body: { received: true } });
		expect(items(result)[0].json).toMatchObject({
			provider: 'defApi',
			taskId: 'ta-1',
			status: 'succeeded',
			confirmed: true,
			outputs: [{ url: 'https://example.com/a.png' }],
		});
		for (const query of [{ token: 'nope' }, {}]) {
			const refused = await call('defApi', defApiDone, { query, parameters: { token: 's3cret' } });
			expect(refused.result.workflowData).toBeUndefined();
			expect(refused.sent).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
		}
	});

	it('answers the provider at once and fetches the file after', async () => {
		// A file host that takes a while to answer.
		let servedAt = 0;
		const slow = http.createServer((_req, res) =>
			setTimeout(() => {
				servedAt = Date.now();
				res.end(makePng('slow', 'slow'));
			}, 300),
		);
		await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow.png`;
			const done = { ...defApiDone, result: [{ image: url }] };
			const { result, sent, ended } = await call('defApi', done, {
				query: { token: 't' },
				parameters: { token: 't' },
				// The file host is on this machine: the credential allows that.
				credentials: { apiKey: 'dk-k', baseUrl: emulator.url, allowPrivateNetwork: true },
			});
			expect(sent.body).toEqual({ received: true });
			// The provider had its answer before the file host sent the file; the item came after.
			expect(servedAt).toBeGreaterThan(0);
			expect(sent.at!).toBeLessThan(servedAt);
			expect(ended).toBeGreaterThanOrEqual(servedAt);
			expect(readPngPrompt(Buffer.from(items(result)[0].binary!.data.data, 'base64'))).toBe('slow');
		} finally {
			slow.close();
		}
	});

	it('DefAPI: a 2 MB base64 result arrives as a file', async () => {
		const key = emulator.config.keys.defApi;
		const created = await api(
			'POST',
			'/api/image/gen',
			{ authorization: `Bearer ${key}` },
			{ model: 'google/gempix2', prompt: 'large [ms:10] [shape:datauri] [bytes:2000000]' },
		);
		await settle();
		const task = await api(
			'GET',
			`/api/task/query?task_id=${(created.data as IDataObject).task_id}`,
			{ authorization: `Bearer ${key}` },
		);
		const payload = JSON.stringify(task.data);
		expect(payload.length).toBeGreaterThan(2_000_000);
		const { result, sent } = await call('defApi', task.data, {
			query: { token: 't' },
			parameters: { token: 't' },
		});
		expect(sent.status).toBe(200);
		const file = Buffer.from(items(result)[0].binary!.data.data, 'base64');
		expect(file.length).toBe(2_000_000);
		expect(pictureSize(file)).toEqual({ width: 1024, height: 1024 });
	});

	it('a result larger than Max File Size is not downloaded: the item says so and keeps the link', async () => {
		const url = `${emulator.url}/files/big-${3 * 1024 * 1024}.png`;
		const { result } = await call(
			'defApi',
			{ ...defApiDone, result: [{ image: url }] },
			{
				query: { token: 't' },
				parameters: { token: 't', options: { maxFileSizeMb: 1 } },
				// The provider's own host (its base URL) may serve files.
				credentials: { apiKey: emulator.config.keys.defApi, baseUrl: emulator.url },
			},
		);
		const [item] = items(result);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({
			outputs: [{ url }],
			error: expect.stringMatching(/3\.0 MB, more than the 1\.0 MB allowed/),
		});
	});

	it('Gen-API: the body is only a signal; the task is read again and nothing the body names is fetched', async () => {
		const key = emulator.config.keys.genApi;
		const created = await api(
			'POST',
			'/api/v1/networks/z-image',
			{ authorization: `Bearer ${key}` },
			{ prompt: 'real [ms:10]', width: 256, height: 256 },
		);
		await settle();
		const forged = {
			request_id: created.request_id,
			status: 'success',
			result: ['http://127.0.0.1:9/evil.png'],
		};
		const { result, requests } = await call('genApi', forged, {
			query: { token: 't' },
			parameters: { token: 't' },
			credentials: { apiKey: key, baseUrl: emulator.url },
		});
		const [item] = items(result);
		expect(item.json).toMatchObject({
			provider: 'genApi',
			taskId: String(created.request_id),
			status: 'succeeded',
			confirmed: true,
		});
		expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe('real [ms:10]');
		expect(requests.map((r) => r.url).filter((u) => u.includes('evil'))).toEqual([]);
		expect(requests.some((r) => r.url.endsWith(`/api/v1/request/get/${created.request_id}`))).toBe(
			true,
		);
	});

	it('Gen-API: a callback for a task that is still running starts nothing', async () => {
		const key = emulator.config.keys.genApi;
		const created = await api(
			'POST',
			'/api/v1/networks/z-image',
			{ authorization: `Bearer ${key}` },
			{ prompt: 'slow [ms:60000]' },
		);
		const { result, sent } = await call(
			'genApi',
			{ request_id: created.request_id },
			{
				query: { token: 't' },
				parameters: { token: 't' },
				credentials: { apiKey: key, baseUrl: emulator.url },
			},
		);
		expect(sent.body).toEqual({ received: true });
		expect(result.workflowData).toBeUndefined();
	});

	it('MiniMax: answers the challenge (sent to the URL with its token) at once and starts nothing', async () => {
		const { result, sent, requests } = await call(
			'miniMax',
			{ challenge: 'abc123' },
			{ query: { token: 'k' }, parameters: { token: 'k' } },
		);
		expect(result.workflowData).toBeUndefined();
		expect(sent).toMatchObject({ status: 200, body: { challenge: 'abc123' } });
		expect(requests).toEqual([]);
		const stranger = await call('miniMax', { challenge: 'abc123' }, { parameters: { token: 'k' } });
		expect(stranger.sent).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
	});

	async function finishedMiniMaxTask() {
		const key = emulator.config.keys.miniMax;
		const auth = { authorization: `Bearer ${key}` };
		const created = await api('POST', '/v1/video_generation', auth, {
			model: 'T2V-01',
			prompt: 'clip [ms:10]',
		});
		await settle();
		const status = await api('GET', `/v1/query/video_generation?task_id=${created.task_id}`, auth);
		return { key, taskId: String(created.task_id), status };
	}

	it('MiniMax: Processing, Processing, Success start the workflow once; with progress updates on, each does', async () => {
		const { key, taskId, status } = await finishedMiniMaxTask();
		const processing = {
			task_id: taskId,
			status: 'Processing',
			file_id: '',
			base_resp: { status_code: 0, status_msg: 'success' },
		};
		const credentials = { apiKey: key, baseUrl: emulator.url };
		const staticData: IDataObject = {};
		const started: unknown[] = [];
		for (const body of [processing, processing, status]) {
			const { result, sent } = await call('miniMax', body, {
				credentials,
				staticData,
				query: { token: 'k' },
				parameters: { token: 'k' },
				workflowId: 'wf-minimax-progress',
			});
			expect(sent.status).toBe(200);
			if (result.workflowData) started.push(items(result)[0].json.status);
		}
		expect(started).toEqual(['succeeded']);

		// Asked for, progress starts the workflow too (from a verified caller, as the body says it).
		const progressStarts: unknown[] = [];
		for (const body of [{ ...processing, status: 'Queueing' }, processing]) {
			const { result } = await call('miniMax', body, {
				credentials,
				query: { token: 'k' },
				parameters: { token: 'k', progressUpdates: true },
			});
			if (result.workflowData) progressStarts.push(items(result)[0].json.status);
		}
		expect(progressStarts).toEqual(['queued', 'running']);
	});

	it('MiniMax with a token: the file id becomes a file with the credential', async () => {
		const { key, taskId, status } = await finishedMiniMaxTask();
		const { result } = await call('miniMax', status, {
			query: { token: 'k' },
			parameters: { token: 'k' },
			credentials: { apiKey: key, baseUrl: emulator.url },
		});
		const [item] = items(result);
		expect(item.json).toMatchObject({
			provider: 'miniMax',
			taskId,
			status: 'succeeded',
			confirmed: true,
		});
		expect(item.binary!.data).toMatchObject({
			mimeType: 'video/mp4',
			fileName: `miniMax-${taskId}.mp4`,
		});
	});

	it('MiniMax without the token: 401, nothing read, nothing started — with a credential or without', async () => {
		const { key, status } = await finishedMiniMaxTask();
		for (const credentials of [{ apiKey: key, baseUrl: emulator.url }, undefined]) {
			for (const query of [{}, { token: 'wrong' }]) {
				const { result, requests, sent } = await call('miniMax', status, {
					credentials,
					query,
					parameters: { token: 'k' },
				});
				expect(sent).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
				expect(result.workflowData).toBeUndefined();
				expect(requests).toEqual([]);
			}
		}
		// A trigger whose token was left empty takes nothing.
		const empty = await call('miniMax', status, {
			query: { token: '' },
			parameters: { token: '' },
		});
		expect(empty.sent.status).toBe(401);
	});

	async function nalitekImage(prompt: string) {
		const key = emulator.config.keys.nalitek;
		const created = await api('POST', '/api/generate', { 'x-api-key': key }, { prompt });
		await settle();
		return { key, imageId: created.image_id as number };
	}

	it('Nalitek: a Python-signed webhook with a Cyrillic prompt starts the workflow; one changed character gets 401', async () => {
		const { key, imageId } = await nalitekImage('город ночью [ms:10]');
		const payload = {
			event: 'generation.complete',
			timestamp: new Date(clock.now()).toISOString(),
			data: {
				image_id: imageId,
				url: `/uploads/images/flux_${imageId}.png?prompt=${encodeURIComponent('город ночью [ms:10]')}`,
				prompt: 'город ночью [ms:10]',
				seed: 1,
			},
		};
		const text = pythonJson(payload);
		const raw = `${text.slice(0, -1)}, "signature": "${hmac(text)}"}`;
		const credentials = { apiKey: key, baseUrl: emulator.url, webhookSecret: SECRET };
		const { result } = await call('nalitek', JSON.parse(raw), { raw, credentials });
		const [item] = items(result);
		expect(item.json).toMatchObject({
			provider: 'nalitek',
			taskId: String(imageId),
			status: 'succeeded',
			event: 'generation.complete',
		});
		expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(
			'город ночью [ms:10]',
		);
		const tampered = raw.replace('"seed": 1', '"seed": 2');
		const refused = await call('nalitek', JSON.parse(tampered), { raw: tampered, credentials });
		expect(refused.sent.status).toBe(401);
		expect(refused.result.workflowData).toBeUndefined();
	});

	it('Nalitek: signed with the API key when the credential has no Webhook Secret; a stale timestamp gets 401', async () => {
		const { key, imageId } = await nalitekImage('keyed [ms:10]');
		const credentials = { apiKey: key, baseUrl: emulator.url, webhookSecret: '' };
		const signed = (timestamp: string) => {
			const payload = {
				event: 'generation.complete',
				timestamp,
				data: { image_id: imageId, url: `/uploads/images/flux_${imageId}.png` },
			};
			return JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload), key) });
		};
		const fresh = signed(new Date(clock.now()).toISOString());
		expect(
			(await call('nalitek', JSON.parse(fresh), { raw: fresh, credentials })).sent.status,
		).toBe(200);
		const stale = signed(new Date(clock.now() - 6 * 60_000).toISOString());
		const refused = await call('nalitek', JSON.parse(stale), { raw: stale, credentials });
		expect(refused.sent).toEqual({
			status: 401,
			body: {
				message: "The callback's timestamp is 6 minutes old; the replay window is 5 minutes",
			},
			at: expect.any(Number),
		});
		// The user may widen the window, or turn it off.
		const widened = await call('nalitek', JSON.parse(stale), {
			raw: stale,
			credentials,
			parameters: { options: { replayWindowMinutes: 10 } },
		});
		expect(widened.sent.status).toBe(200);
	});

	it("Nalitek: the document's own example, correctly signed, is refused for its 2025 timestamp unless the window is off", async () => {
		const { key, imageId } = await nalitekImage('documented [ms:10]');
		const credentials = { apiKey: key, baseUrl: emulator.url, webhookSecret: SECRET };
		const payload = {
			event: 'generation.complete',
			timestamp: '2025-01-15T10:30:00Z',
			data: { image_id: imageId, url: `/uploads/images/flux_${imageId}.png`, seed: 8472659 },
		};
		const raw = JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload)) });
		const refused = await call('nalitek', JSON.parse(raw), { raw, credentials });
		expect(refused.sent.status).toBe(401);
		expect((refused.sent.body as IDataObject).message).toMatch(
			/old; the replay window is 5 minutes/,
		);
		const off = await call('nalitek', JSON.parse(raw), {
			raw,
			credentials,
			parameters: { options: { replayWindowMinutes: 0 } },
		});
		expect(off.sent.status).toBe(200);
		expect(items(off.result)[0].json).toMatchObject({
			taskId: String(imageId),
			status: 'succeeded',
		});
	});

	it('Nalitek: a signed body without a timestamp is refused (it could be replayed forever)', async () => {
		const credentials = { apiKey: 'k', baseUrl: emulator.url, webhookSecret: SECRET };
		const payload = { event: 'generation.complete', data: { image_id: 5, url: '/x.png' } };
		const raw = JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload)) });
		const { sent, result } = await call('nalitek', JSON.parse(raw), { raw, credentials });
		expect(sent).toMatchObject({
			status: 401,
			body: { message: 'The callback has no timestamp, so it could be a replay' },
		});
		expect(result.workflowData).toBeUndefined();
	});

	it('Nalitek with verification off: the image is read through the API before anything is fetched', async () => {
		const { key, imageId } = await nalitekImage('unsigned [ms:10]');
		const body = {
			event: 'generation.complete',
			data: { image_id: imageId, url: 'http://127.0.0.1:9/evil.png' },
		};
		const { result, requests } = await call('nalitek', body, {
			parameters: { verifySignature: false },
			credentials: { apiKey: key, baseUrl: emulator.url },
		});
		const [item] = items(result);
		expect(item.json).toMatchObject({
			taskId: String(imageId),
			status: 'succeeded',
			confirmed: true,
		});
		expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe('unsigned [ms:10]');
		expect(requests.map((r) => r.url).filter((u) => u.includes('evil'))).toEqual([]);
	});

	it('Nalitek: events the user did not pick, and batch notices, are acknowledged and ignored', async () => {
		const credentials = { apiKey: 'k', baseUrl: emulator.url, webhookSecret: SECRET };
		for (const [event, data] of [
			['generation.progress', { image_id: 7, progress: 40 }],
			['batch.complete', { batch_id: 'batch_1', status: 'completed' }],
		] as const) {
			const payload = { event, timestamp: new Date(clock.now()).toISOString(), data };
			const raw = JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload)) });
			const { result, sent } = await call('nalitek', JSON.parse(raw), {
				raw,
				credentials,
				parameters: { events: ['generation.complete'] },
			});
			expect(result.workflowData).toBeUndefined();
			expect(sent).toMatchObject({ status: 200, body: { received: true, ignored: event } });
		}
	});

	it('refuses bodies that are not JSON objects with 400', async () => {
		const { sent } = await call('defApi', undefined, {
			raw: 'not json',
			query: { token: 't' },
			parameters: { token: 't' },
		});
		expect(sent.status).toBe(400);
	});

	it('starts the workflow once for a repeated callback', async () => {
		const staticData: IDataObject = {};
		const first = await call('defApi', defApiDone, {
			query: { token: 't' },
			parameters: { token: 't', options: { download: false } },
			staticData,
			workflowId: 'wf-repeat',
		});
		expect(first.result.workflowData).toBeDefined();
		const again = await call('defApi', defApiDone, {
			query: { token: 't' },
			parameters: { token: 't', options: { download: false } },
			staticData,
			workflowId: 'wf-repeat',
		});
		expect(again.result.workflowData).toBeUndefined();
		expect(again.sent.body).toEqual({ received: true, duplicate: true });
	});
});
