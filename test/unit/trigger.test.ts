// The AI Media Trigger: signature and token checks, the MiniMax challenge, duplicates, and what a
// callback becomes. Real HTTP to the emulator for the result files.
import { createHmac } from 'crypto';

import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { AiMediaTrigger } from '../../nodes/AiMediaTrigger/AiMediaTrigger.node';
import { parseCallbackBody, sameSecret, verifyNalitekSignature } from '../../nodes/AiMediaTrigger/verify';
import { createContext } from '../helpers/context';
import { DefApiApi } from '../../credentials/DefApiApi.credentials';
import { MiniMaxApi } from '../../credentials/MiniMaxApi.credentials';
import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, readPngPrompt } from '../helpers/emulator';

const SECRET = 'whsec-test-123';
const sign = (text: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;

describe('verification', () => {
	const payload = { event: 'generation.complete', timestamp: '2026-01-01T00:00:00Z', data: { image_id: 1, url: '/u/1.png' } };
	const unsigned = JSON.stringify(payload);

	it('accepts a signature over the body without its signature field (signature in the body)', () => {
		const body = { ...payload, signature: sign(unsigned) };
		expect(verifyNalitekSignature(Buffer.from(JSON.stringify(body)), body, undefined, SECRET)).toBe(true);
	});

	it('accepts a signature over the raw body sent in a header, with or without the sha256= prefix', () => {
		const raw = Buffer.from(unsigned);
		expect(verifyNalitekSignature(raw, payload, sign(unsigned), SECRET)).toBe(true);
		expect(verifyNalitekSignature(raw, payload, sign(unsigned).slice('sha256='.length), SECRET)).toBe(true);
	});

	it('refuses a wrong, a missing or a foreign signature, and an empty secret', () => {
		const raw = Buffer.from(unsigned);
		expect(verifyNalitekSignature(raw, payload, sign(unsigned, 'other'), SECRET)).toBe(false);
		expect(verifyNalitekSignature(raw, payload, undefined, SECRET)).toBe(false);
		expect(verifyNalitekSignature(Buffer.from('{"tampered":1}'), { tampered: 1 }, sign(unsigned), SECRET)).toBe(false);
		expect(verifyNalitekSignature(raw, payload, sign(unsigned, ''), '')).toBe(false);
	});

	it('compares tokens exactly', () => {
		expect(sameSecret('abc', 'abc')).toBe(true);
		expect(sameSecret('abd', 'abc')).toBe(false);
		expect(sameSecret('ab', 'abc')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
	});

	it('reads only JSON objects', () => {
		expect(parseCallbackBody(Buffer.from('{"a":1}'), undefined)).toEqual({ a: 1 });
		expect(parseCallbackBody(Buffer.from('[1]'), undefined)).toBeUndefined();
		expect(parseCallbackBody(Buffer.from('not json'), undefined)).toBeUndefined();
	});
});

describe('AI Media Trigger webhook', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = createEmulator({ taskMs: 50 });
		await emulator.start();
	});
	afterAll(async () => emulator.stop());

	function call(
		provider: string,
		body: unknown,
		{ query = {}, headers = {}, parameters = {}, credentials, raw }: { query?: IDataObject; headers?: Record<string, string>; parameters?: IDataObject; credentials?: IDataObject; raw?: string } = {},
	) {
		const credentialType = provider === 'miniMax' ? new MiniMaxApi() : provider === 'nalitek' ? new NalitekApi() : new DefApiApi();
		const base = createContext({ node: new AiMediaTrigger() as never, credentialType, credentials: credentials ?? {}, parameters: {} });
		const staticData: IDataObject = {};
		const sent: { status?: number; body?: unknown } = {};
		const params: IDataObject = { provider, token: '', verifySignature: true, events: ['generation.complete', 'generation.failed'], options: {}, ...parameters };
		const rawBody = Buffer.from(raw ?? JSON.stringify(body));
		const ctx = {
			...base.ctx,
			helpers: base.ctx.helpers,
			getNode: base.ctx.getNode,
			getNodeParameter: (name: string, fallback?: unknown) => (name in params ? params[name] : fallback),
			getRequestObject: () => ({ rawBody, body }),
			getResponseObject: () => ({
				status(code: number) {
					sent.status = code;
					return this;
				},
				json(value: unknown) {
					sent.body = value;
					return this;
				},
			}),
			getHeaderData: () => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
			getQueryData: () => query,
			getBodyData: () => body,
			getWorkflowStaticData: () => staticData,
			async getCredentials() {
				if (!credentials) throw new Error('Node does not have credentials');
				return credentials;
			},
		} as unknown as IWebhookFunctions;
		const trigger = new AiMediaTrigger();
		return trigger.webhook.call(ctx).then((result: IWebhookResponseData) => ({ result, sent, staticData, ctx, trigger }));
	}

	const defApiDone = { task_id: 'ta-1', status: 'success', result: [{ image: 'https://example.com/a.png' }], consumed: '0.5', status_reason: { message: null } };

	it('DefAPI: a callback with the right token starts the workflow with the normalised item', async () => {
		const { result, sent } = await call('defApi', defApiDone, { query: { token: 's3cret' }, parameters: { token: 's3cret', options: { download: false } } });
		expect(sent.status).toBeUndefined();
		expect(result.workflowData![0][0].json).toMatchObject({ provider: 'defApi', taskId: 'ta-1', status: 'succeeded', outputs: [{ url: 'https://example.com/a.png' }] });
	});

	it.each([
		['a wrong token', { token: 'nope' }],
		['no token', {}],
	])('DefAPI: %s gets 401 and starts nothing, without echoing the secret', async (_label, query) => {
		const { result, sent } = await call('defApi', defApiDone, { query, parameters: { token: 's3cret' } });
		expect(result.workflowData).toBeUndefined();
		expect(sent).toEqual({ status: 401, body: { message: 'Unauthorized' } });
	});

	it('Gen-API refuses every callback while no token is set', async () => {
		const { sent } = await call('genApi', { request_id: 5 }, { query: { token: '' } });
		expect(sent.status).toBe(401);
	});

	it('MiniMax: answers the challenge at once and starts nothing', async () => {
		const started = Date.now();
		const { result, sent } = await call('miniMax', { challenge: 'abc123' });
		expect(Date.now() - started).toBeLessThan(500);
		expect(result.workflowData).toBeUndefined();
		expect(sent).toEqual({ status: 200, body: { challenge: 'abc123' } });
	});

	it('MiniMax: a status callback starts the workflow; the file id becomes a file with the credential', async () => {
		// A real finished MiniMax task in the emulator.
		const key = emulator.config.keys.miniMax;
		const created = (await (await fetch(`${emulator.url}/v1/video_generation`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'T2V-01', prompt: 'clip [ms:10]' }) })).json()) as IDataObject;
		await new Promise((resolve) => setTimeout(resolve, 50));
		const status = await (await fetch(`${emulator.url}/v1/query/video_generation?task_id=${created.task_id}`, { headers: { authorization: `Bearer ${key}` } })).json();
		const { result } = await call('miniMax', status, { credentials: { apiKey: key, baseUrl: emulator.url } });
		const [item] = result.workflowData![0];
		expect(item.json).toMatchObject({ provider: 'miniMax', taskId: created.task_id, status: 'succeeded' });
		expect(item.binary!.data).toMatchObject({ mimeType: 'video/mp4', fileName: `miniMax-${created.task_id}.mp4` });
	});

	it('Nalitek: a signed webhook starts the workflow and the relative link becomes a file; a bad signature gets 401', async () => {
		const key = emulator.config.keys.nalitek;
		const created = (await (await fetch(`${emulator.url}/api/generate`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'signed [ms:10]' }) })).json()) as IDataObject;
		await new Promise((resolve) => setTimeout(resolve, 50));
		const payload = { event: 'generation.complete', timestamp: new Date().toISOString(), data: { image_id: created.image_id, url: `/uploads/images/flux_${created.image_id}.png?prompt=signed`, prompt: 'signed' } };
		const body = { ...payload, signature: sign(JSON.stringify(payload)) };
		const credentials = { apiKey: key, baseUrl: emulator.url, webhookSecret: SECRET };
		const { result } = await call('nalitek', body, { credentials });
		const [item] = result.workflowData![0];
		expect(item.json).toMatchObject({ provider: 'nalitek', taskId: String(created.image_id), status: 'succeeded', event: 'generation.complete' });
		expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe('signed');
		const forged = await call('nalitek', { ...payload, signature: sign(JSON.stringify(payload), 'guess') }, { credentials });
		expect(forged.sent.status).toBe(401);
		expect(forged.result.workflowData).toBeUndefined();
		const unsigned = await call('nalitek', payload, { credentials });
		expect(unsigned.sent.status).toBe(401);
	});

	it('Nalitek: events the user did not pick are acknowledged and ignored', async () => {
		const payload = { event: 'generation.progress', data: { image_id: 7, progress: 40 } };
		const { result, sent } = await call('nalitek', { ...payload, signature: sign(JSON.stringify(payload)) }, { credentials: { apiKey: 'k', baseUrl: emulator.url, webhookSecret: SECRET } });
		expect(result.workflowData).toBeUndefined();
		expect(sent).toEqual({ status: 200, body: { received: true, ignored: 'generation.progress' } });
	});

	it('refuses bodies that are not JSON objects with 400', async () => {
		const { sent } = await call('defApi', undefined, { raw: 'not json', query: { token: 't' }, parameters: { token: 't' } });
		expect(sent.status).toBe(400);
		const big = await call('defApi', undefined, { raw: `{"a":"${'x'.repeat(1024 * 1024)}"}`, query: { token: 't' }, parameters: { token: 't' } });
		expect(big.sent.status).toBe(400);
	});

	it('starts the workflow once for a repeated callback', async () => {
		const base = await call('defApi', defApiDone, { query: { token: 't' }, parameters: { token: 't', options: { download: false } } });
		expect(base.result.workflowData).toBeDefined();
		// Same static data, same callback again.
		const again = await base.trigger.webhook.call(base.ctx);
		expect(again.workflowData).toBeUndefined();
		expect(base.sent.body).toEqual({ received: true, duplicate: true });
	});
});
