// Small parts: answer parsing, error classification, Retry-After, file handling.
import nock from 'nock';
import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, INode, INodeType, JsonObject } from 'n8n-workflow';

import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { genApiClient, genApiTasks, parseGenApiTask } from '../../nodes/GenApi/adapter';
import { toBinary } from '../../nodes/shared/binary';
import { hostOf } from '../../nodes/shared/host';
import { classifySource, sniffMimeType } from '../../nodes/shared/media';
import { STRICT_POLICY } from '../../nodes/shared/fetch-policy';
import { ProviderError, toNodeError } from '../../nodes/shared/errors';
import { checkResponse, networkError, parseRetryAfter } from '../../nodes/shared/http';
import { compactRaw } from '../../nodes/shared/outputs';
import { RequestGate, nextPollDelay, retryDelay } from '../../nodes/shared/timing';
import { clock } from '../helpers/clock';
import { createContext } from '../helpers/context';
import { makePng } from '../helpers/emulator';

describe('Gen-API answers', () => {
	it.each([
		['starting', 'queued'],
		['pending', 'queued'],
		['processing', 'running'],
		['something_new', 'running'],
		[undefined, 'running'],
	])('status %s reads as %s', (status, expected) => {
		expect(parseGenApiTask({ status }).status).toBe(expected);
	});

	it('takes result[] first, then full_response[].url', () => {
		expect(
			parseGenApiTask({
				status: 'success',
				result: ['https://a/1.png'],
				full_response: [{ url: 'https://b/2.png' }],
			}).outputs,
		).toEqual([{ url: 'https://a/1.png' }]);
		expect(
			parseGenApiTask({
				status: 'success',
				result: [],
				full_response: [{ url: 'https://b/2.png' }],
			}).outputs,
		).toEqual([{ url: 'https://b/2.png' }]);
	});

	it('reads the failure message from "error" as text or object', () => {
		expect(parseGenApiTask({ status: 'failed', error: 'bad prompt' })).toMatchObject({
			status: 'failed',
			error: 'bad prompt',
		});
		expect(parseGenApiTask({ status: 'error', error: { message: 'gpu lost' } })).toMatchObject({
			status: 'failed',
			error: 'gpu lost',
		});
		expect(parseGenApiTask({ status: 'failed' })).toMatchObject({
			status: 'failed',
			error: 'Generation failed',
		});
	});

	it('treats a success without any file as a failure', () => {
		expect(parseGenApiTask({ status: 'success', result: [] })).toMatchObject({
			status: 'failed',
			error: expect.stringMatching(/no file/),
		});
	});

	it('needs a request_id in the create answer', () => {
		expect(() =>
			genApiTasks.parseCreated({ statusCode: 200, headers: {}, body: { status: 'starting' } }),
		).toThrow(/no request_id/);
		expect(
			genApiTasks.parseCreated({
				statusCode: 200,
				headers: {},
				body: { request_id: 7, status: 'starting' },
			}),
		).toEqual({ taskId: '7', state: undefined });
	});

	it('shows validation errors of a 422 field by field', () => {
		const error = (() => {
			try {
				checkResponse(
					genApiClient,
					{
						statusCode: 422,
						headers: {},
						body: { message: 'invalid', errors_validation: { width: ['too small'] } },
					},
					'create',
				);
			} catch (e) {
				return e as ProviderError;
			}
			return undefined;
		})();
		expect(error?.message).toBe('Invalid parameters — width: too small');
		expect(error?.details).toMatchObject({ httpCode: 422, transient: false, notAccepted: false });
	});
});

describe('error classification', () => {
	const classify = (statusCode: number, phase: 'create' | 'poll', headers = {}) => {
		try {
			checkResponse(genApiClient, { statusCode, headers, body: { message: 'm' } }, phase);
		} catch (e) {
			return (e as ProviderError).details;
		}
		return undefined;
	};

	it('reads connection errors the way n8n hands them over: wrapped in a NodeApiError', () => {
		const node: INode = {
			id: '1',
			name: 'Gen-API',
			type: 't',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const wrapped = (message: string, code: string) =>
			new NodeApiError(node, Object.assign(new Error(message), { code }) as unknown as JsonObject);
		const timeout = networkError(
			wrapped('timeout of 2000ms exceeded', 'ECONNABORTED'),
			'Gen-API',
			2000,
		);
		expect(timeout.message).toBe('Gen-API did not answer within 2 s');
		expect(timeout.details).toMatchObject({ transient: true });
		expect(timeout.details.notAccepted).toBeUndefined();
		expect(
			networkError(wrapped('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'Gen-API').details
				.notAccepted,
		).toBe(true);
		const reset = networkError(wrapped('socket hang up', 'ECONNRESET'), 'Gen-API');
		expect(reset.message).toBe('Could not reach Gen-API: the connection broke');
		expect(reset.details.hint).toMatch(/ECONNRESET/);
		expect(reset.details.notAccepted).toBe(false);
		expect(networkError(wrapped('canceled', 'ERR_CANCELED'), 'Gen-API').details.transient).toBe(
			false,
		);
	});

	it('a success status with a body that is not JSON is a transient broken answer', () => {
		expect(() =>
			checkResponse(
				genApiClient,
				{ statusCode: 200, headers: {}, body: '{"status": "succ' },
				'poll',
			),
		).toThrow('Gen-API sent an answer that is not valid JSON');
	});

	it('404 is transient only while polling', () => {
		expect(classify(404, 'poll')?.transient).toBe(true);
		expect(classify(404, 'create')?.transient).toBe(false);
	});

	it('429 is a refusal that may be sent again, with its Retry-After', () => {
		expect(classify(429, 'create', { 'Retry-After': '3' })).toMatchObject({
			notAccepted: true,
			transient: true,
			retryAfterMs: 3000,
		});
	});

	it('5xx is transient but may have been accepted', () => {
		expect(classify(503, 'create')).toMatchObject({ transient: true, notAccepted: false });
	});

	it('a 2xx answer is no error', () => {
		expect(classify(200, 'poll')).toBeUndefined();
	});

	it('a refused connection was never sent; a reset one may have been', () => {
		expect(networkError({ code: 'ECONNREFUSED' }, 'X').details.notAccepted).toBe(true);
		expect(networkError({ code: 'ECONNRESET' }, 'X').details.notAccepted).toBe(false);
		expect(
			networkError(
				{ code: 'ECONNRESET', config: { headers: { Authorization: 'Bearer secret' } } },
				'X',
			).message,
		).not.toContain('secret');
	});

	it('hints are attached per status', () => {
		const node = {
			name: 'n',
			type: 't',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			id: '1',
		} as never;
		const make = (httpCode: number) =>
			toNodeError(
				node,
				new ProviderError('m', 'http', { httpCode, hint: undefined }),
				'Gen-API',
				0,
			);
		let paymentError: unknown;
		try {
			checkResponse(genApiClient, { statusCode: 402, headers: {}, body: {} }, 'create');
		} catch (e) {
			paymentError = e;
		}
		const nodeError = toNodeError(node, paymentError, 'Gen-API', 3);
		expect(nodeError.description).toMatch(/Top it up/);
		expect(nodeError.context.itemIndex).toBe(3);
		expect(make(418).message).toBe('Gen-API: m');
	});
});

describe('timing', () => {
	it('keeps calls under a per-window limit and honours a pause after a 429', async () => {
		const gate = new RequestGate(2, 300, clock);
		const started = clock.now();
		for (let n = 0; n < 5; n++) (await gate.acquire())();
		// 5 calls at 2 per 300 ms: the 3rd waits for the window, the 5th for the second window.
		expect(clock.now() - started).toBe(600);
		const paused = new RequestGate(undefined, 60_000, clock);
		paused.pauseFor(400);
		expect(paused.waitTime()).toBe(400);
	});

	it('counts a call in the window from its answer, as a provider counts it on arrival', async () => {
		const gate = new RequestGate(1, 300, clock);
		const started = clock.now();
		const answered = await gate.acquire();
		// In flight for 100 ms: the provider may have counted it any time until the answer came.
		await clock.sleep(100);
		answered();
		await gate.acquire();
		expect(clock.now() - started).toBe(400);
	});

	it('reads Retry-After as seconds or a date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(['5'])).toBe(5000);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	it('backs off exponentially with jitter, capped', () => {
		for (let attempt = 1; attempt <= 8; attempt++) {
			const delay = retryDelay(attempt, 1000, 8000);
			const full = Math.min(8000, 1000 * 2 ** (attempt - 1));
			expect(delay).toBeGreaterThanOrEqual(full / 2);
			expect(delay).toBeLessThanOrEqual(full);
		}
	});

	it('keeps the poll interval at first and lets it grow to at most twice for long tasks', () => {
		expect(nextPollDelay(1000, 1)).toBeGreaterThanOrEqual(900);
		expect(nextPollDelay(1000, 1)).toBeLessThanOrEqual(1100);
		expect(nextPollDelay(1000, 100)).toBeLessThanOrEqual(2200);
		expect(nextPollDelay(1000, 100)).toBeGreaterThanOrEqual(1800);
	});
});

/** Downloads from public hosts only, as for a callback without a credential. */
const PUBLIC = { policy: STRICT_POLICY };

describe('files', () => {
	const png = makePng('x', 'hello');
	const fakeNode = {
		description: { name: 'fake', defaults: { name: 'Fake' } },
	} as unknown as INodeType;
	const context = () =>
		createContext({
			node: fakeNode,
			credentialType: new GenApiApi(),
			credentials: { apiKey: 'k', baseUrl: 'http://x' },
			parameters: {},
		});

	afterEach(() => nock.cleanAll());

	it('tells URLs, data URIs and bare base64 apart', () => {
		expect(classifySource(' https://a/b.png ')).toEqual({ kind: 'url', url: 'https://a/b.png' });
		expect(classifySource('data:image/webp;base64,AAAA')).toEqual({
			kind: 'dataUri',
			mimeType: 'image/webp',
			base64: 'AAAA',
		});
		expect(classifySource('iVBORw0KGgo=')).toEqual({ kind: 'base64', base64: 'iVBORw0KGgo=' });
	});

	it('recognises file types by their first bytes', () => {
		expect(sniffMimeType(png)).toBe('image/png');
		expect(sniffMimeType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
		expect(sniffMimeType(Buffer.from('RIFF1234WEBPVP8 '))).toBe('image/webp');
		expect(sniffMimeType(Buffer.from('\0\0\0\x18ftypmp42', 'latin1'))).toBe('video/mp4');
		expect(sniffMimeType(Buffer.from('hello'))).toBeUndefined();
	});

	it('streams a URL into binary data, with the type from the server', async () => {
		nock('https://cdn.test').get('/img/abc').reply(200, png, { 'Content-Type': 'image/png' });
		const { host, binaryInputs } = context();
		const binary = await toBinary(host, { url: 'https://cdn.test/img/abc' }, 'genApi-1', PUBLIC);
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: 'genApi-1.png' });
		expect(Buffer.from(binary.data, 'base64').equals(png)).toBe(true);
		expect(binaryInputs).toEqual(['stream']);
	});

	it('prefers the URL extension over a generic octet-stream type', async () => {
		nock('https://cdn.test')
			.get('/v/clip.mp4')
			.reply(200, Buffer.from('\0\0\0\x18ftypmp42', 'latin1'), {
				'Content-Type': 'application/octet-stream',
			});
		const binary = await toBinary(
			context().host,
			{ url: 'https://cdn.test/v/clip.mp4' },
			'm-1',
			PUBLIC,
		);
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: 'm-1.mp4' });
	});

	it('decodes data URIs and bare base64 (PNG when the bytes say so)', async () => {
		const { host } = context();
		const fromUri = await toBinary(
			host,
			{ url: `data:image/png;base64,${png.toString('base64')}` },
			't-1',
			PUBLIC,
		);
		const bare = await toBinary(host, { url: png.toString('base64') }, 't-2', PUBLIC);
		expect(fromUri).toMatchObject({ mimeType: 'image/png', fileName: 't-1.png' });
		expect(bare).toMatchObject({ mimeType: 'image/png', fileName: 't-2.png' });
		expect(Buffer.from(bare.data, 'base64').equals(png)).toBe(true);
	});

	it('reports an expired link as a download error with a hint', async () => {
		nock('https://cdn.test').get('/gone.png').reply(404, 'gone');
		await expect(
			toBinary(context().host, { url: 'https://cdn.test/gone.png' }, 'x', PUBLIC),
		).rejects.toMatchObject({
			kind: 'download',
			details: { httpCode: 404, hint: expect.stringMatching(/expired/) },
		});
	});

	it('shortens long strings in raw answers', () => {
		const raw = compactRaw({ result: ['x'.repeat(5000)], status: 'success' });
		expect(String((raw.result as string[])[0])).toMatch(/^x{64}… \(5000 characters\)$/);
		expect(raw.status).toBe('success');
	});
});

describe('the host made of an n8n context', () => {
	it('reads a credential once and signs every request with it, without n8n reading it again', async () => {
		const reads: string[] = [];
		const signed: Array<{ type: string; url: unknown; decrypted: unknown }> = [];
		const ctx = {
			getNode: () => ({ name: 'Gen-API', credentials: { genApiApi: { id: '7', name: 'My key' } } }),
			getCredentials: async (type: string) => {
				reads.push(type);
				return { apiKey: 'fake-key', baseUrl: 'https://api.test' };
			},
			helpers: {
				httpRequestWithAuthentication: async (
					type: string,
					options: { url: string },
					extra?: { credentialsDecrypted?: unknown },
				) => {
					signed.push({ type, url: options.url, decrypted: extra?.credentialsDecrypted });
					return {};
				},
			},
		};
		const host = hostOf(ctx as unknown as IExecuteFunctions);
		await Promise.all(
			['a', 'b', 'c'].map(
				async (path) => await host.request({ url: `https://api.test/${path}` }, 'genApiApi'),
			),
		);
		expect(reads).toEqual(['genApiApi']);
		expect(signed).toHaveLength(3);
		for (const request of signed)
			expect(request).toMatchObject({
				type: 'genApiApi',
				decrypted: {
					id: '7',
					name: 'My key',
					type: 'genApiApi',
					data: { apiKey: 'fake-key', baseUrl: 'https://api.test' },
				},
			});
	});
});
