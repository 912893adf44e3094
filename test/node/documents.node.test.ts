/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// Where a provider document is ambiguous or says more than the first reading: every reading it
// allows is accepted, and the emulator produces each of them. Also the engine's edge cases: a
// Retry-After longer than Max Wait, n8n's Retry On Fail, storing a download that fails.
import http from 'http';
import type { AddressInfo } from 'net';
import type { Readable } from 'stream';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { toBinary } from '../../nodes/shared/binary';
import { clock } from '../helpers/clock';
import { createContext, runNode } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, makePng, pictureSize, readPngPrompt } from '../helpers/emulator';
import { nalitekRunner } from '../helpers/nalitek';
import type { RunOptions } from '../helpers/context';
import { startJsonSink } from '../helpers/sink';

const NALITEK_KEY = 'documents-nalitek-key';
const ADMIN_KEY = 'documents-nalitek-admin';
const GENAPI_KEY = 'documents-genapi-key';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({
		keys: { nalitek: NALITEK_KEY, nalitekAdmin: ADMIN_KEY, genApi: GENAPI_KEY },
		taskMs: 300,
	});
	await emulator.start();
});
afterAll(async () => emulator.stop());
beforeEach(() => {
	// Nalitek's per-minute limits, in a window of 1 s: these tests are about answers, not pacing.
	Object.assign(emulator.config, {
		faults: null,
		nalitekPages: undefined,
		nalitekInline: undefined,
		nalitekPlan: undefined,
		nalitekWindowMs: 1000,
	});
});

const runNalitek = nalitekRunner(() => emulator.url, NALITEK_KEY);
const nalitek = (parameters: IDataObject, options?: RunOptions) =>
	runNalitek(parameters, options).result;

const fileOf = (item: INodeExecutionData) => Buffer.from(item.binary!.data.data, 'base64');
const fileItem = (prompt: string) => ({
	json: {},
	binary: {
		data: {
			data: makePng(prompt, prompt, 64).toString('base64'),
			mimeType: 'image/png',
			fileName: `${prompt}.png`,
		},
	},
});
const task = (id: unknown) =>
	emulator.stats.tasks[`nalitek:${id}`] as unknown as { creates: number; body: IDataObject };

describe('Nalitek sizes: the table says 512–2048 in steps of 64, the example 1920×1080, the plans up to 4096', () => {
	it("generates the document's own example, 1920×1080", async () => {
		const [item] = await nalitek({
			prompt: 'futuristic city at night',
			additionalFields: { width: 1920, height: 1080 },
		});
		expect(item.json.status).toBe('succeeded');
		expect(pictureSize(fileOf(item))).toEqual({ width: 1920, height: 1080 });
	});

	it('refuses what no reading accepts (100, 5000) before any request', async () => {
		const before = emulator.stats.requests;
		for (const width of [100, 5000]) {
			const error = await nalitek({ prompt: 'x', additionalFields: { width } }).catch((e) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				`Width must be a whole number of pixels from 256 to 4096 (got ${width})`,
			);
		}
		expect(emulator.stats.requests).toBe(before);
	});

	it('lets Nalitek judge the rest against the plan, and shows its answer', async () => {
		const error = await nalitek({
			prompt: 'too large for pro',
			additionalFields: { width: 3072, height: 1024 },
		}).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Nalitek: Validation error: width 3072 exceeds the 2048×2048 maximum of the pro plan',
		);
		emulator.config.nalitekPlan = 'enterprise';
		const [item] = await nalitek({
			prompt: 'enterprise',
			additionalFields: { width: 3072, height: 768 },
		});
		expect(pictureSize(fileOf(item))).toEqual({ width: 3072, height: 768 });
	});
});

describe('Nalitek image to image and upscale: an id to wait for, or the finished image in the 201 answer', () => {
	it.each([
		['an id to wait for', {}],
		["the finished image (the document example's reading)", { nalitekInline: true }],
	])('image to image: %s', async (_label, config) => {
		Object.assign(emulator.config, config);
		const [item] = await nalitek(
			{
				operation: 'imageToImage',
				inputBinaryField: 'data',
				prompt: 'watercolor',
				additionalFields: { width: 768, height: 512 },
			},
			{ items: [fileItem('photo')] },
		);
		expect(item.json.status).toBe('succeeded');
		expect(readPngPrompt(fileOf(item))).toBe('watercolor');
		expect(pictureSize(fileOf(item))).toEqual({ width: 768, height: 512 });
		expect(item.binary!.data.fileName).toMatch(/^nalitek-.+\.png$/);
	});

	it('upscale: the finished image in the 201 answer, with no id', async () => {
		const [made] = await nalitek({
			prompt: 'castle [inline]',
			additionalFields: { width: 512, height: 512 },
		});
		const [upscaled] = await nalitek(
			{ operation: 'upscale', imageId: made.json.taskId, scale: 2, additionalFields: {} },
			{ items: [made] },
		);
		expect(upscaled.json.status).toBe('succeeded');
		expect(pictureSize(fileOf(upscaled))).toEqual({ width: 1024, height: 1024 });
		expect(upscaled.json.taskId).toBeNull();
		expect(upscaled.binary!.data.fileName).toMatch(/^nalitek-flux_\d+\.png$/);
	});
});

describe('Nalitek endpoints and fields the document has', () => {
	it('batch image to image sends LoRAs as lora_models inside shared_params', async () => {
		const output = await nalitek(
			{
				resource: 'batch',
				operation: 'imageToImage',
				inputBinaryField: 'data',
				prompt: (i: number) => `style ${i}`,
				additionalFields: { strength: 0.7, loraIds: ['anime-style-v2', 'detailed-eyes-v1'] },
			},
			{ items: [fileItem('one'), fileItem('two')] },
		);
		expect(output).toHaveLength(2);
		expect(task(output[0].json.taskId).body).toMatchObject({
			shared: { strength: 0.7, lora_models: ['anime-style-v2', 'detailed-eyes-v1'] },
		});
		expect(task(output[0].json.taskId).body.shared).not.toHaveProperty('lora_ids');
	});

	it('a Callback URL on batches and upscales reaches Nalitek, which calls it', async () => {
		const sink = await startJsonSink();
		try {
			const callbackUrl = sink.url();
			await nalitek({
				resource: 'batch',
				operation: 'generate',
				prompt: 'batched',
				additionalFields: { callbackUrl },
			});
			expect(emulator.stats.lastBatch).toMatchObject({ webhookUrl: callbackUrl });
			const [made] = await nalitek({ prompt: 'to upscale' });
			const [upscaled] = await nalitek(
				{
					operation: 'upscale',
					imageId: made.json.taskId,
					scale: 2,
					additionalFields: { callbackUrl },
				},
				{ items: [made] },
			);
			expect(task(upscaled.json.taskId).body).toMatchObject({ webhook_url: callbackUrl });
			await clock.sleep(10_000);
			expect(sink.received.map((r) => r.event).sort()).toEqual([
				'batch.complete',
				'upscale.complete',
			]);
		} finally {
			sink.close();
		}
	});

	it('changes the account password (POST /api/user/password), writing neither password out', async () => {
		const [item] = await nalitek({
			resource: 'account',
			operation: 'changePassword',
			currentPassword: 'emulator-password',
			newPassword: 'n3w-secret',
		});
		expect(item.json).toEqual({ provider: 'nalitek', changed: true });
		const error = await nalitek({
			resource: 'account',
			operation: 'changePassword',
			currentPassword: 'emulator-password',
			newPassword: 'again',
		}).catch((e) => e);
		expect(error.message).toBe('Nalitek: Validation error: current_password is wrong');
		expect(JSON.stringify(error)).not.toContain('emulator-password');
	});

	it('bans a user with a reason (POST /api/admin/user/{id}/ban)', async () => {
		const [item] = await nalitek(
			{
				resource: 'admin',
				operation: 'banUser',
				userId: '456',
				reason: 'Violation of terms of service',
			},
			{ apiKey: ADMIN_KEY },
		);
		expect(item.json).toMatchObject({ userId: '456', banned: true });
		expect(emulator.stats.nalitekBans).toContainEqual({
			userId: 456,
			reason: 'Violation of terms of service',
		});
	});

	it.each([
		['pages as asked, 2 images a page', undefined, 5],
		['ignores "page" and says no page count', 'ignore' as const, 2],
		['stops at page 2 (later pages repeat it)', 2, 4],
	])(
		'Get Many with Return All lists each image once, and stops, when the server %s',
		async (_label, mode, expected) => {
			await fetch(`${emulator.url}/__control/reset`, { method: 'POST' });
			for (let n = 0; n < 5; n++) await nalitek({ operation: 'createTask', prompt: `listed ${n}` });
			Object.assign(emulator.config, { nalitekPages: mode, nalitekPageSize: 2 });
			try {
				const listed = await nalitek({ operation: 'getMany', returnAll: true, filters: {} });
				const ids = listed.map((item) => item.json.imageId);
				expect(new Set(ids).size).toBe(ids.length);
				expect(ids).toHaveLength(expected);
			} finally {
				emulator.config.nalitekPageSize = undefined;
			}
		},
	);
});

describe('batch operations and Continue On Fail', () => {
	it('a bad item becomes an error item, paired; the others are made', async () => {
		const prompts = ['fine 0', '', 'fine 2'];
		const output = await nalitek(
			{ resource: 'batch', operation: 'generate', prompt: (i: number) => prompts[i] },
			{ items: prompts.map(() => ({ json: {} })), continueOnFail: true },
		);
		expect(output.map((item) => [item.pairedItem, item.json.status])).toEqual([
			[{ item: 0 }, 'succeeded'],
			[{ item: 1 }, 'failed'],
			[{ item: 2 }, 'succeeded'],
		]);
		expect(output[1].json.error).toBe('"Prompt" is empty');
	});

	it('without Continue On Fail a bad item still stops the node before any batch is sent', async () => {
		const before = emulator.stats.batches ?? 0;
		const error = await nalitek(
			{ resource: 'batch', operation: 'imageToImage', inputBinaryField: 'missing', prompt: 'x' },
			{ items: [fileItem('a')] },
		).catch((e) => e);
		expect(error.message).toMatch(/no binary field "missing"/);
		expect(emulator.stats.batches ?? 0).toBe(before);
	});
});

describe('the engine', () => {
	function genApi(parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
		return runNode({
			node: new GenApi(),
			credentialType: new GenApiApi(),
			credentials: { apiKey: GENAPI_KEY, baseUrl: emulator.url },
			parameters: {
				resource: 'image',
				operation: 'generate',
				additionalFields: { width: 256, height: 256 },
				options: { pollInterval: 1 },
				...parameters,
			},
			...extra,
		}).result;
	}

	it('a Retry-After of a day on a status read ends the task at Max Wait with its task ID, not in a day', async () => {
		emulator.config.faults = { read: ['429:86400'] };
		const started = clock.now();
		const [item] = await genApi({
			prompt: 'throttled [ms:600]',
			options: { pollInterval: 1, maxWait: 3 },
		});
		expect(clock.now() - started).toBeLessThanOrEqual(3_000);
		expect(item.json).toMatchObject({ status: 'timeout', taskId: expect.any(String) });
	});

	it('a Retry-After of a day on a create ends the item at once, saying so; nothing was created', async () => {
		emulator.config.faults = { create: ['429:86400'] };
		const started = clock.now();
		const [item] = await genApi(
			{ prompt: 'refused for a day', options: { maxWait: 30 } },
			{ continueOnFail: true },
		);
		expect(clock.now() - started).toBe(0);
		expect(item.json).toMatchObject({
			status: 'failed',
			error:
				'Gen-API: Gen-API asks to wait 1440 minutes before the next request, longer than "Max Wait"',
		});
	});

	it('with Retry On Fail, a retry follows the tasks the failed try created and pays only for the failed one again', async () => {
		const prompts = ['kept a', 'broken [fail]', 'kept b'];
		const nodeContext: IDataObject = {};
		const attempt = () =>
			genApi(
				{ prompt: (i: number) => prompts[i] },
				{ items: prompts.map(() => ({ json: {} })), retryOnFail: true, nodeContext },
			);
		await expect(attempt()).rejects.toThrow(/NSFW/);
		const creates = (prompt: string) =>
			Object.values(emulator.stats.tasks)
				.filter((t) => (t as unknown as { prompt: string }).prompt === prompt)
				.reduce((n, t) => n + (t as unknown as { creates: number }).creates, 0);
		expect(prompts.map(creates)).toEqual([1, 1, 1]);
		await expect(attempt()).rejects.toThrow(/NSFW/);
		// The second try created only the failed item's task again.
		expect(prompts.map(creates)).toEqual([1, 2, 1]);
	});

	it('without Retry On Fail, every run creates its own tasks', async () => {
		const nodeContext: IDataObject = {};
		await genApi({ prompt: 'each run' }, { nodeContext });
		await genApi({ prompt: 'each run' }, { nodeContext });
		const created = Object.values(emulator.stats.tasks).filter(
			(t) => (t as unknown as { prompt: string }).prompt === 'each run',
		);
		expect(created).toHaveLength(2);
	});

	it('when storing a download fails, the connection to the file host is closed at once', async () => {
		let closed: Promise<number> | undefined;
		const host = http.createServer((req, res) => {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.write(Buffer.alloc(64 * 1024));
			// The rest never comes: only the client can end this download.
			closed = new Promise((resolve) => req.socket.on('close', () => resolve(Date.now())));
		});
		await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
		try {
			const { host: engineHost } = createContext({
				node: new GenApi(),
				credentialType: new GenApiApi(),
				credentials: {},
				parameters: {},
				prepareBinaryData: async (data) => {
					await new Promise((resolve) => (data as Readable).once('data', resolve));
					throw new Error('disk full');
				},
			});
			const failedAt = await toBinary(
				engineHost,
				{ url: `http://127.0.0.1:${(host.address() as AddressInfo).port}/x.png` },
				'x',
				{ policy: { trustedOrigins: [], allowPrivateNetwork: true } },
			).then(
				() => 0,
				() => Date.now(),
			);
			expect(failedAt).toBeGreaterThan(0);
			// Without the client closing it, this connection would stay open until the test's timeout.
			await expect(closed).resolves.toBeGreaterThan(0);
		} finally {
			host.closeAllConnections();
			host.close();
		}
	});
});
