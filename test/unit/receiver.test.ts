/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// The receiver as an attacker meets it: bodies built to make a parser backtrack or overflow,
// oversized and deeply nested bodies, copies that arrive together, strangers without a token or
// with a made-up task, links that point inside the machine, and files that never end. Each case
// is the AI Media Trigger's webhook() with the request as n8n hands it over.
import { createHmac } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import zlib from 'zlib';

import type { ICredentialType, IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { DefApiApi } from '../../credentials/DefApiApi.credentials';
import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { MiniMaxApi } from '../../credentials/MiniMaxApi.credentials';
import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import { AiMediaTrigger } from '../../nodes/AiMediaTrigger/AiMediaTrigger.node';
import { toBinary } from '../../nodes/shared/binary';
import type { EngineHost } from '../../nodes/shared/host';
import { verifyBodySignature } from '../../nodes/shared/callbacks';
import { isPrivateHost, refusedLink, STRICT_POLICY } from '../../nodes/shared/fetch-policy';
import { takeIn, MAX_CALLBACK_DEPTH } from '../../nodes/shared/intake';
import { scanJson } from '../../nodes/shared/json-scan';
import { nalitekCallback } from '../../nodes/Nalitek/adapter';
import { clock, testFetch } from '../helpers/clock';
import { createContext } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator } from '../helpers/emulator';
import { webhookContext } from '../helpers/webhook';
import { createHost } from '../helpers/host';

const SECRET = 'whsec-attack-test';
const hmac = (text: string) =>
	`sha256=${createHmac('sha256', SECRET).update(text, 'utf8').digest('hex')}`;

let emulator: Emulator;
beforeAll(async () => {
	emulator = createEmulator({ taskMs: 50 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	defApi: new DefApiApi(),
	genApi: new GenApiApi(),
	miniMax: new MiniMaxApi(),
	nalitek: new NalitekApi(),
};

let workflows = 0;
interface Call {
	body?: unknown;
	raw?: string;
	query?: IDataObject;
	parameters?: IDataObject;
	credentials?: IDataObject;
	workflowId?: string;
	staticData?: IDataObject;
	/** Stands in for n8n's binary store. */
	prepareBinaryData?: Parameters<typeof createContext>[0]['prepareBinaryData'];
}

async function call(provider: string, request: Call) {
	const base = createContext({
		node: new AiMediaTrigger() as never,
		credentialType: CREDENTIAL_TYPES[provider],
		credentials: request.credentials ?? {},
		parameters: {},
		prepareBinaryData: request.prepareBinaryData,
	});
	const { ctx, sent } = webhookContext(base, {
		body: request.body,
		raw: request.raw,
		query: request.query,
		parameters: {
			provider,
			token: '',
			verifySignature: true,
			options: {},
			...request.parameters,
		},
		staticData: request.staticData,
		workflowId: request.workflowId ?? `attack-${++workflows}`,
		noCredentials: !request.credentials,
	});
	const result: IWebhookResponseData = await new AiMediaTrigger().webhook.call(ctx);
	return { result, sent, requests: base.requests };
}

const items = (result: IWebhookResponseData) => result.workflowData?.[0] ?? [];
const nalitekCredentials = () => ({
	apiKey: emulator.config.keys.nalitek,
	baseUrl: emulator.url,
	webhookSecret: SECRET,
});

/** A Nalitek webhook signed with SECRET, sent now on the test clock. */
function signedNalitek(data: IDataObject, event = 'generation.complete') {
	const payload = { event, timestamp: new Date(clock.now()).toISOString(), data };
	const raw = JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload)) });
	return { raw, body: JSON.parse(raw) as IDataObject };
}

/** A server on 127.0.0.1 for one test; counts requests and closes with the test. */
async function host(handler: http.RequestListener) {
	let requests = 0;
	const server = http.createServer((req, res) => {
		requests++;
		handler(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		get requests() {
			return requests;
		},
		close: () => {
			server.closeAllConnections();
			server.close();
		},
	};
}

describe('linear time on bodies built to hurt', () => {
	// The old check cut the signature out with a regular expression that backtracked: 40 000
	// spaces took 2.4 s here, and the time grew with the square of the length.
	const hostile = (spaces: number) =>
		`{"event":"generation.complete","signature"${' '.repeat(spaces)}:"sha256=00",${' '.repeat(spaces)}"x":"${' '.repeat(spaces)}`;

	it('scans 16 MB of whitespace runs, quotes and brackets in one pass, however they are laid out', () => {
		const mb16 = 16 * 1024 * 1024;
		for (const text of [
			hostile(mb16 / 3),
			`{"a":"${'\\"'.repeat(mb16 / 4)}"}`,
			`{"a":${'['.repeat(30)}${' ,'.repeat(mb16 / 4)}${']'.repeat(30)}}`,
		]) {
			const scan = scanJson(Buffer.from(text), MAX_CALLBACK_DEPTH);
			expect(scan.ok === false || scan.members.length >= 1).toBe(true);
		}
	});

	it('checks the signature of a 4 MB body with a bogus signature and long runs of spaces', () => {
		const spaces = 1024 * 1024;
		const body = `{"event":"generation.complete",${' '.repeat(spaces)}"data":{"image_id":1},${' '.repeat(spaces)}"signature"${' '.repeat(spaces)}:${' '.repeat(spaces)}"sha256=bogus"}`;
		const raw = Buffer.from(body);
		const scan = scanJson(raw, MAX_CALLBACK_DEPTH);
		if (!scan.ok) throw new Error('scan failed');
		const request = {
			raw,
			members: scan.members,
			body: JSON.parse(body) as IDataObject,
			headers: {},
			query: {},
		};
		expect(verifyBodySignature(request, SECRET, [])).toBe(false);
	});

	it('refuses a Nalitek body over 1 MB with 413 before reading it; a signed one under it still works', async () => {
		const big = signedNalitek({ image_id: 1, pad: ' '.repeat(1024 * 1024) });
		const { sent, result, requests } = await call('nalitek', {
			...big,
			credentials: nalitekCredentials(),
		});
		expect(sent).toMatchObject({
			status: 413,
			body: { message: 'A callback may have at most 1024 KB' },
		});
		expect(result.workflowData).toBeUndefined();
		expect(requests).toEqual([]);
	});

	it('refuses a body nested 200 000 levels deep with 400, without a stack overflow or a run', async () => {
		const depth = 200_000;
		const raw = `{"challenge":${'['.repeat(depth)}${']'.repeat(depth)}}`;
		for (const [provider, query, parameters] of [
			['miniMax', { token: 'k' }, { token: 'k' }],
			['defApi', { token: 'k' }, { token: 'k' }],
		] as const) {
			const { sent, result } = await call(provider, { raw, query, parameters });
			expect(sent).toMatchObject({
				status: 400,
				body: { message: `A callback may be nested at most ${MAX_CALLBACK_DEPTH} levels deep` },
			});
			expect(result.workflowData).toBeUndefined();
		}
		// Unsigned, a stranger gets 401 before the body is looked at.
		const stranger = await call('defApi', { raw, parameters: { token: 'k' } });
		expect(stranger.sent.status).toBe(401);
	});
});

describe('copies that arrive together', () => {
	it('5 concurrent copies of one signed callback start one run and one download', async () => {
		const created = (await (
			await testFetch(`${emulator.url}/api/generate`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': emulator.config.keys.nalitek },
				body: JSON.stringify({ prompt: 'once [ms:10]' }),
			})
		).json()) as IDataObject;
		await clock.sleep(100);
		const id = created.image_id as number;
		const signed = signedNalitek({ image_id: id, url: `/uploads/images/flux_${id}.png` });
		const calls = await Promise.all(
			Array.from({ length: 5 }, () =>
				// Each request has its own copy of the workflow's static data, as in n8n.
				call('nalitek', {
					...signed,
					credentials: nalitekCredentials(),
					workflowId: 'together',
					staticData: {},
				}),
			),
		);
		expect(calls.filter((c) => c.result.workflowData).length).toBe(1);
		expect(calls.map((c) => c.sent.status)).toEqual([200, 200, 200, 200, 200]);
		expect(calls.filter((c) => c.sent.body?.duplicate === true).length).toBe(4);
		const downloads = calls.flatMap((c) => c.requests).filter((r) => r.url.includes('/uploads/'));
		expect(downloads).toHaveLength(1);
	});

	it('100 concurrent MiniMax callbacks for 100 tasks are all remembered: sent again, none starts a run', async () => {
		const body = (n: number) => ({
			task_id: `t-${n}`,
			status: 'Fail',
			file_id: '',
			base_resp: { status_code: 1026, status_msg: 'input sensitive' },
		});
		const send = () =>
			Promise.all(
				Array.from({ length: 100 }, (_, n) =>
					call('miniMax', {
						body: body(n),
						query: { token: 'k' },
						parameters: { token: 'k' },
						workflowId: 'hundred',
						staticData: {},
					}),
				),
			);
		const first = await send();
		expect(first.filter((c) => c.result.workflowData).length).toBe(100);
		const again = await send();
		expect(again.filter((c) => c.result.workflowData).length).toBe(0);
	});

	it('the memory travels in static data: another process (a fresh memory) still knows a callback taken', async () => {
		const staticData: IDataObject = {};
		const body = {
			task_id: 'ta-static',
			status: 'success',
			result: [{ image: 'https://example.com/a.png' }],
		};
		const request = {
			body,
			query: { token: 't' },
			parameters: { token: 't', options: { download: false } },
			staticData,
		};
		const first = await call('defApi', { ...request, workflowId: 'process-a' });
		expect(first.result.workflowData).toBeDefined();
		expect(Object.keys(staticData.seen as IDataObject)).toEqual(['ta-static:succeeded']);
		// Another process of the same workflow: its own memory is empty, the static data is shared.
		const second = await call('defApi', { ...request, workflowId: 'process-b' });
		expect(second.sent.body).toEqual({ received: true, duplicate: true });
	});
});

describe('strangers start nothing and spend nothing', () => {
	it('a Nalitek callback with verification off that names no image of the account: 404, one read, no run', async () => {
		const { sent, result, requests } = await call('nalitek', {
			body: { event: 'generation.complete', data: { image_id: 987654321, url: 'https://x/y.png' } },
			parameters: { verifySignature: false },
			credentials: { apiKey: emulator.config.keys.nalitek, baseUrl: emulator.url },
		});
		expect(sent).toMatchObject({ status: 404, body: { message: 'No such task at Nalitek' } });
		expect(result.workflowData).toBeUndefined();
		expect(requests).toHaveLength(1);
	});

	it('unparsable bodies and bodies of another provider get 400 and no run', async () => {
		for (const raw of ['not json', '[1,2]', '{"a":1}']) {
			const { sent, result } = await call('defApi', {
				raw,
				query: { token: 't' },
				parameters: { token: 't' },
			});
			expect(sent.status).toBe(400);
			expect(result.workflowData).toBeUndefined();
		}
	});
});

describe('links that point inside the machine', () => {
	it('knows private, loopback and link-local addresses, however they are spelled', () => {
		const hosts = (url: string) => new URL(url).hostname;
		for (const url of [
			'http://127.0.0.1/',
			'http://2130706433/',
			'http://0x7f.1/',
			'http://localhost./',
			'http://a.localhost/',
			'http://169.254.169.254/latest/meta-data',
			'http://10.1.2.3/',
			'http://172.20.0.1/',
			'http://192.168.1.1/',
			'http://100.64.0.1/',
			'http://0.0.0.0/',
			'http://[::1]/',
			'http://[::ffff:127.0.0.1]/',
			'http://[fd00::1]/',
			'http://[fe80::1]/',
			'http://[64:ff9b::a9fe:a9fe]/',
		])
			expect([url, isPrivateHost(hosts(url))]).toEqual([url, true]);
		for (const url of [
			'https://api.gen-api.ru/',
			'http://8.8.8.8/',
			'http://[2001:db8::1]/',
			'https://172.32.0.1/',
		])
			expect([url, isPrivateHost(hosts(url))]).toEqual([url, false]);
	});

	it("refuses other schemes and credentials in links; trusts the provider's own origin", () => {
		expect(refusedLink('file:///etc/passwd', STRICT_POLICY)).toBe(
			'only http and https links are fetched, not file',
		);
		expect(refusedLink('gopher://127.0.0.1:25/x', STRICT_POLICY)).toMatch(/not gopher/);
		expect(refusedLink('https://user:pass@example.com/a.png', STRICT_POLICY)).toBe(
			'it has a user name or password in it',
		);
		expect(refusedLink('http://127.0.0.1:5678/rest/settings', STRICT_POLICY)).toMatch(
			/private or local address/,
		);
		const provider = { trustedOrigins: ['http://127.0.0.1:8787'], allowPrivateNetwork: false };
		expect(refusedLink('http://127.0.0.1:8787/files/a.png', provider)).toBeUndefined();
		expect(refusedLink('http://127.0.0.1:8788/files/a.png', provider)).toMatch(/private/);
		expect(
			refusedLink('http://10.0.0.5/a.png', { ...provider, allowPrivateNetwork: true }),
		).toBeUndefined();
	});

	it('a signed callback whose link points at another service of this machine gets an item that says why, and nothing is fetched', async () => {
		const other = await host((_req, res) => res.end('{"secret":"inside"}'));
		try {
			for (const [url, reason] of [
				[`${other.url}/rest/settings`, /private or local address \(127\.0\.0\.1\)/],
				[
					'http://169.254.169.254/latest/meta-data/',
					/private or local address \(169\.254\.169\.254\)/,
				],
				['file:///etc/passwd', /only http and https links are fetched, not file/],
				['gopher://127.0.0.1:6379/_INFO', /not gopher/],
				[`http://user:pass@${other.url.slice(7)}/a.png`, /user name or password/],
			] as const) {
				const signed = signedNalitek({ image_id: 77, url });
				const { result } = await call('nalitek', { ...signed, credentials: nalitekCredentials() });
				const [item] = items(result);
				expect(item.binary).toBeUndefined();
				expect(item.json.error).toMatch(reason);
			}
			expect(other.requests).toBe(0);
		} finally {
			other.close();
		}
	});

	it("names n8n's own SSRF protection when it refused the address, and does not try again", async () => {
		let tries = 0;
		const host: EngineHost = {
			...createHost({ credentialType: new GenApiApi(), credentials: {} }).host,
			async request() {
				tries++;
				const blocked = Object.assign(new Error('The request was blocked'), {
					name: 'SsrfBlockedIpError',
				});
				throw Object.assign(new Error('request failed'), { cause: blocked });
			},
		};
		await expect(
			toBinary(host, { url: 'https://inside.example/a.png' }, 'x', { policy: STRICT_POLICY }),
		).rejects.toMatchObject({
			message: "The result file was not fetched: n8n's SSRF protection refused its address",
			details: { hint: expect.stringMatching(/N8N_SSRF_ALLOWED_HOSTNAMES/) },
		});
		expect(tries).toBe(1);
	});

	it('a redirect chain is followed at most 5 times, each hop checked', async () => {
		const chain = await host((req, res) => {
			const n = Number(req.url!.split('/').pop());
			res.writeHead(302, { location: `/hop/${n + 1}` });
			res.end();
		});
		try {
			const signed = signedNalitek({ image_id: 78, url: `${chain.url}/hop/0` });
			const { result } = await call('nalitek', {
				...signed,
				credentials: { ...nalitekCredentials(), allowPrivateNetwork: true },
			});
			expect(items(result)[0].json.error).toMatch(/more than 5 redirects/);
			expect(chain.requests).toBe(6);
		} finally {
			chain.close();
		}
		// A redirect from a public-looking start to the inside is refused at the hop.
		const inside = await host((_req, res) => res.end('inside'));
		const bounce = await host((_req, res) => {
			res.writeHead(302, { location: `http://169.254.169.254/latest/meta-data/` });
			res.end();
		});
		try {
			const signed = signedNalitek({ image_id: 79, url: `${bounce.url}/x.png` });
			const { result } = await call('nalitek', {
				...signed,
				credentials: { ...nalitekCredentials(), baseUrl: bounce.url },
			});
			expect(items(result)[0].json.error).toMatch(/169\.254\.169\.254/);
			expect(inside.requests).toBe(0);
		} finally {
			inside.close();
			bounce.close();
		}
	});
});

describe('files that never end', () => {
	it('a file sent without a length stops within a chunk of Max File Size, and the item says why', async () => {
		let served = 0;
		const endless = await host((_req, res) => {
			res.writeHead(200, { 'content-type': 'image/png' });
			const chunk = Buffer.alloc(64 * 1024, 7);
			const pump = () => {
				while (!res.destroyed && served < 300 * 1024 * 1024) {
					served += chunk.length;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
				res.end();
			};
			pump();
		});
		try {
			const signed = signedNalitek({ image_id: 80, url: `${endless.url}/big.png` });
			// What the binary store was handed before the download was stopped.
			let stored = 0;
			const { result } = await call('nalitek', {
				...signed,
				credentials: { ...nalitekCredentials(), allowPrivateNetwork: true },
				parameters: { options: { maxFileSizeMb: 1 } },
				prepareBinaryData: async (data) => {
					for await (const chunk of data as AsyncIterable<Buffer>) stored += chunk.length;
					throw new Error('the stream ended without an error');
				},
			});
			expect(stored).toBeLessThanOrEqual(1024 * 1024);
			expect(stored).toBeGreaterThan(1024 * 1024 - 128 * 1024);
			const [item] = items(result);
			expect(item.binary).toBeUndefined();
			expect(item.json.error).toMatch(
				/larger than the 1\.0 MB allowed: the download was stopped there/,
			);
			// What the host managed to push into the socket before it closed: a few buffers more.
			expect(served).toBeLessThan(8 * 1024 * 1024);
		} finally {
			endless.close();
		}
	});

	it('a 50 KB gzip answer that inflates to 50 MB stops at Max File Size', async () => {
		const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 });
		expect(bomb.length).toBeLessThan(60 * 1024);
		const gzip = await host((_req, res) => {
			res.writeHead(200, {
				'content-type': 'image/png',
				'content-encoding': 'gzip',
				'content-length': bomb.length,
			});
			res.end(bomb);
		});
		try {
			const signed = signedNalitek({ image_id: 81, url: `${gzip.url}/bomb.png` });
			const { result } = await call('nalitek', {
				...signed,
				credentials: { ...nalitekCredentials(), allowPrivateNetwork: true },
				parameters: { options: { maxFileSizeMb: 1 } },
			});
			expect(items(result)[0].json.error).toMatch(/larger than the 1\.0 MB allowed/);
		} finally {
			gzip.close();
		}
	});

	it('inline base64 over Max File Size is refused before it is decoded', async () => {
		const big = Buffer.alloc(2 * 1024 * 1024, 1).toString('base64');
		const { result } = await call('defApi', {
			body: {
				task_id: 'ta-inline',
				status: 'success',
				result: [{ image: `data:image/png;base64,${big}` }],
			},
			query: { token: 't' },
			parameters: { token: 't', options: { maxFileSizeMb: 1 } },
		});
		expect(items(result)[0].json.error).toMatch(/2\.0 MB, more than the 1\.0 MB allowed/);
	});
});

describe('the intake, step by step', () => {
	const rules = {
		contract: nalitekCallback,
		signingSecret: SECRET,
		requireProof: true,
		replayWindowMs: 300_000,
		now: Date.parse('2026-01-01T12:00:00Z'),
		secrets: [SECRET],
	};
	const raw = (text: string) => ({ rawBody: Buffer.from(text), headers: {}, query: {} });

	it('removes secrets from what it reads: a callback that repeats the key passes it on nowhere', () => {
		const payload = {
			event: 'generation.failed',
			timestamp: '2026-01-01T11:59:00Z',
			data: { image_id: 3, error_message: `bad key ${SECRET}` },
		};
		const text = JSON.stringify({ ...payload, signature: hmac(JSON.stringify(payload)) });
		const intake = takeIn(raw(text), rules);
		if (!intake.ok || intake.handshake) throw new Error('refused');
		expect(JSON.stringify(intake.callback)).not.toContain(SECRET);
		expect(intake.callback.state?.error).toBe('bad key [redacted]');
	});
});
