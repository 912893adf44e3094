// The Nalitek node's execute() against the provider emulator over real HTTP on 127.0.0.1.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import { Nalitek } from '../../nodes/Nalitek/Nalitek.node';
import { getLoras } from '../../nodes/Nalitek/methods/loadOptions';
import { createContext, runNode } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, makePng, readPngPrompt } from '../helpers/emulator';
import { nalitekRunner } from '../helpers/nalitek';

const API_KEY = 'test-nalitek-key-node-tests';
const ADMIN_KEY = 'test-nalitek-admin-node-tests';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: { nalitek: API_KEY, nalitekAdmin: ADMIN_KEY }, taskMs: 400 });
	await emulator.start();
});
afterAll(async () => emulator.stop());
beforeEach(() => {
	emulator.config.nalitekWindowMs = 60_000;
	emulator.config.nalitekQuota = undefined;
});

const run = nalitekRunner(() => emulator.url, API_KEY);

const task = (id: unknown) =>
	emulator.stats.tasks[`nalitek:${id}`] as unknown as {
		prompt: string;
		reads: number;
		creates: number;
		kind: string;
		body: IDataObject;
	};
const fileItem = (prompt: string, name = 'data') => ({
	json: {},
	binary: {
		[name]: {
			data: makePng(prompt, prompt).toString('base64'),
			mimeType: 'image/png',
			fileName: `${prompt}.png`,
		},
	},
});
const promptOf = (item: INodeExecutionData) =>
	readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'));

describe('Nalitek image operations', () => {
	it('generate: checks, sends the API names, waits and resolves the relative link into a file', async () => {
		const [item] = await run({
			prompt: 'a fox',
			additionalFields: {
				width: 768,
				height: 1024,
				steps: 20,
				guidanceScale: 8,
				seed: 42,
				model: 'flux-schnell',
				format: 'png',
				negativePrompt: 'blur',
				loraIds: ['anime-style-v2'],
			},
		}).result;
		expect(item.json).toMatchObject({
			provider: 'nalitek',
			status: 'succeeded',
			taskId: expect.any(String),
		});
		expect(promptOf(item)).toBe('a fox');
		expect(String((item.json.outputs as IDataObject[])[0].url)).toMatch(
			/^http:\/\/127\.0\.0\.1:\d+\/uploads\/images\/flux_\d+\.png/,
		);
		expect(task(item.json.taskId).body).toMatchObject({
			width: 768,
			height: 1024,
			steps: 20,
			guidance_scale: 8,
			seed: 42,
			model: 'flux-schnell',
			negative_prompt: 'blur',
			lora_ids: ['anime-style-v2'],
		});
	});

	it('accepts "id" instead of "image_id" in the create answer', async () => {
		const [item] = await run({ prompt: 'other shape [idkey]' }).result;
		expect(item.json.status).toBe('succeeded');
	});

	it.each([
		[{ width: 100 }, 'Width must be a whole number of pixels from 256 to 4096 (got 100)'],
		[{ height: 4097 }, 'Height must be a whole number of pixels from 256 to 4096 (got 4097)'],
		[{ steps: 5 }, 'Steps must be a whole number from 10 to 100 (got 5)'],
		[{ guidanceScale: 25 }, 'Guidance Scale must be from 1 to 20 (got 25)'],
		[{ seed: -2 }, 'Seed must be -1 (random) or a whole number of 0 or more (got -2)'],
		[
			{ targetWidth: 8192 },
			'Target Width must be a whole number of pixels from 256 to 4096 (got 8192)',
		],
	])('refuses %j before any request', async (fields, message) => {
		const before = emulator.stats.requests;
		const error = await run({ prompt: 'x', additionalFields: fields }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(emulator.stats.requests).toBe(before);
	});

	it('createTask returns the image ID at once and passes webhook URL and events', async () => {
		const [item] = await run({
			operation: 'createTask',
			prompt: 'hook',
			callbackUrl: 'https://hooks.example.com/n',
			webhookEvents: ['generation.complete'],
		}).result;
		expect(item.json).toMatchObject({ status: 'queued', taskId: expect.any(String) });
		expect(task(item.json.taskId).body).toMatchObject({
			webhook_url: 'https://hooks.example.com/n',
			webhook_events: ['generation.complete'],
		});
	});

	it('chain: generate → upscale → image to image, each paired to its input, ids read from the previous item', async () => {
		const generated = await run(
			{ prompt: (i: number) => `chain ${i}`, additionalFields: { width: 512, height: 512 } },
			{ items: [{ json: {} }, { json: {} }] },
		).result;
		const upscaled = await run(
			{
				operation: 'upscale',
				imageId: (i: number) => generated[i].json.taskId,
				scale: 4,
				additionalFields: { faceEnhance: true, denoise: 0.3 },
			},
			{ items: generated },
		).result;
		expect(upscaled.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [i, item] of upscaled.entries()) {
			expect(task(item.json.taskId)).toMatchObject({
				kind: 'upscale',
				body: { scale: 4, face_enhance: true, denoise: 0.3 },
			});
			expect(promptOf(item)).toBe(`chain ${i}`);
		}
		const transformed = await run(
			{
				operation: 'imageToImage',
				inputBinaryField: 'data',
				prompt: (i: number) => `watercolor ${i}`,
				additionalFields: { strength: 0.6, loraIds: ['detailed-eyes-v1'] },
			},
			{ items: upscaled },
		).result;
		expect(transformed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(task(transformed[1].json.taskId)).toMatchObject({
			kind: 'img2img',
			body: {
				prompt: 'watercolor 1',
				strength: '0.6',
				lora_models: ['detailed-eyes-v1'],
				image: { type: 'image/png' },
			},
		});
		expect(promptOf(transformed[1])).toBe('watercolor 1');
	});

	it('image to image refuses a missing field, a wrong type or a file over 10 MB before any request', async () => {
		const before = emulator.stats.requests;
		await expect(
			run(
				{ operation: 'imageToImage', inputBinaryField: 'photo', prompt: 'x' },
				{ items: [fileItem('a')] },
			).result,
		).rejects.toThrow(/no binary field "photo"/);
		const gif = {
			json: {},
			binary: { data: { data: Buffer.from('GIF89a').toString('base64'), mimeType: 'image/gif' } },
		};
		await expect(
			run({ operation: 'imageToImage', inputBinaryField: 'data', prompt: 'x' }, { items: [gif] })
				.result,
		).rejects.toThrow(/image\/gif, not one of image\/png, image\/jpeg, image\/webp/);
		const big = Buffer.alloc(10 * 1024 * 1024 + 1);
		makePng('x').copy(big);
		const huge = {
			json: {},
			binary: { data: { data: big.toString('base64'), mimeType: 'image/png' } },
		};
		await expect(
			run({ operation: 'imageToImage', inputBinaryField: 'data', prompt: 'x' }, { items: [huge] })
				.result,
		).rejects.toThrow(/more than the 10\.0 MB allowed/);
		expect(emulator.stats.requests).toBe(before);
	});

	it('getTask, get, getMany and delete', async () => {
		const [made] = await run({ prompt: 'listed' }).result;
		const imageId = made.json.taskId;
		const [status] = await run({
			operation: 'getTask',
			taskId: imageId,
			options: { download: false },
		}).result;
		expect(status.json).toMatchObject({ status: 'succeeded', taskId: imageId });
		const [details] = await run({ operation: 'get', imageId }).result;
		expect(details.json).toMatchObject({ imageId, prompt: 'listed', status: 'completed' });
		const many = await run({
			operation: 'getMany',
			returnAll: true,
			filters: { status: 'completed' },
		}).result;
		expect(many.length).toBeGreaterThan(1);
		expect(
			many.every((item) => item.json.status === 'completed' && item.pairedItem!.valueOf()),
		).toBe(true);
		const limited = await run({ operation: 'getMany', returnAll: false, limit: 2, filters: {} })
			.result;
		expect(limited).toHaveLength(2);
		const [deleted] = await run({ operation: 'delete', imageId }).result;
		expect(deleted.json).toMatchObject({ imageId, deleted: true });
		const error = await run({ operation: 'get', imageId }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`Nalitek: Not found: Image ${imageId} not found`);
	});

	it('reports a failed generation with its error message', async () => {
		const error = await run({ prompt: 'bad [fail]' }).result.catch((e) => e);
		expect(error.message).toBe('Nalitek: Generation failed: NSFW content detected');
	});

	it('explains the daily quota (403)', async () => {
		emulator.config.nalitekQuota = 0;
		const error = await run({ prompt: 'over quota' }).result.catch((e) => e);
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe(
			'Nalitek: Quota exceeded: Daily generation limit reached. Resets at 00:00 UTC',
		);
		expect(error.description).toMatch(/resets at 00:00 UTC/);
	});

	it('waits out a 429 caused by other clients of the key (Retry-After) and sends each create once', async () => {
		emulator.config.nalitekWindowMs = 2_000;
		// Another client of the same key used up this minute's 10 generations.
		for (let n = 0; n < 10; n++) {
			await fetch(`${emulator.url}/api/generate`, {
				method: 'POST',
				headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
				body: JSON.stringify({ prompt: `other ${n} [ms:1]` }),
			});
		}
		const before = emulator.stats.nalitek429 ?? 0;
		const output = await run(
			{ prompt: (i: number) => `patient ${i} [ms:100]` },
			{ items: [{ json: {} }, { json: {} }] },
		).result;
		expect(output.map((item) => item.json.status)).toEqual(['succeeded', 'succeeded']);
		expect((emulator.stats.nalitek429 ?? 0) - before).toBeGreaterThan(0);
		for (const item of output) expect(task(item.json.taskId).creates).toBe(1);
	});
});

describe('Nalitek batches', () => {
	// Batches are limited to 2 a minute; a short emulator window keeps one test from slowing the next.
	beforeEach(() => {
		emulator.config.nalitekWindowMs = 500;
	});

	it('12 prompts go out as batches of 10 and 2; one item per job, paired to the item that asked for it', async () => {
		const batchesBefore = emulator.stats.batches ?? 0;
		const prompts = Array.from({ length: 12 }, (_, i) => `batch prompt ${i}`);
		const output = await runNode({
			node: new Nalitek(),
			credentialType: new NalitekApi(),
			credentials: { apiKey: API_KEY, baseUrl: emulator.url },
			parameters: {
				resource: 'batch',
				operation: 'generate',
				prompt: (i: number) => prompts[i],
				additionalFields: { steps: 20, parallel: true, priority: 'high' },
				options: { pollInterval: 1 },
			},
			items: prompts.map((prompt) => ({ json: { prompt } })),
		}).result;
		expect((emulator.stats.batches ?? 0) - batchesBefore).toBe(2);
		// Parallel and Priority go with the batch, the generation fields with each job.
		expect(emulator.stats.lastBatch).toEqual({ total: 2, parallel: true, priority: 'high' });
		expect(output).toHaveLength(12);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({
				provider: 'nalitek',
				status: 'succeeded',
				jobId: `item-${index}`,
				batchId: expect.stringMatching(/^batch_/),
			});
			expect(promptOf(item)).toBe(prompts[index]);
			expect(task(item.json.taskId).body).toEqual({ steps: 20 });
		});
	});

	it('image to image in a batch sends images[] with prompts[] and shared params', async () => {
		const items = [fileItem('one'), fileItem('two')];
		const output = await run(
			{
				resource: 'batch',
				operation: 'imageToImage',
				inputBinaryField: 'data',
				prompt: (i: number) => `style ${i}`,
				additionalFields: { strength: 0.8 },
			},
			{ items },
		).result;
		expect(output.map((item) => [item.pairedItem, promptOf(item)])).toEqual([
			[{ item: 0 }, 'style 0'],
			[{ item: 1 }, 'style 1'],
		]);
		expect(task(output[0].json.taskId).body).toMatchObject({
			shared: { strength: 0.8 },
			image: { type: 'image/png' },
		});
	});

	it('a timed-out batch leaves items with batch and job IDs; Wait for Batch finishes them, paired', async () => {
		const waiting = await run(
			{
				resource: 'batch',
				operation: 'generate',
				prompt: (i: number) => `slow ${i} [ms:2500]`,
				options: { pollInterval: 1, maxWait: 1 },
			},
			{ items: [{ json: {} }, { json: {} }] },
		).result;
		expect(waiting.map((item) => item.json.status)).toEqual(['timeout', 'timeout']);
		expect(waiting[1].json).toMatchObject({ batchId: expect.any(String), jobId: 'item-1' });
		const reversed = [waiting[1], waiting[0]].map((item) => ({ json: item.json }));
		const done = await run(
			{
				resource: 'batch',
				operation: 'waitForBatch',
				batchId: (i: number) => reversed[i].json.batchId,
			},
			{ items: reversed },
		).result;
		expect(done.map((item) => [item.pairedItem, promptOf(item)])).toEqual([
			[{ item: 0 }, 'slow 1 [ms:2500]'],
			[{ item: 1 }, 'slow 0 [ms:2500]'],
		]);
	});

	it('get and cancel a batch', async () => {
		const [first] = await run({
			resource: 'batch',
			operation: 'generate',
			prompt: 'to cancel [ms:5000]',
			options: { pollInterval: 1, maxWait: 1 },
		}).result;
		const [status] = await run({ resource: 'batch', operation: 'get', batchId: first.json.batchId })
			.result;
		expect(status.json).toMatchObject({
			batchId: first.json.batchId,
			status: 'processing',
			total: 1,
		});
		const [cancelled] = await run({
			resource: 'batch',
			operation: 'cancel',
			batchId: first.json.batchId,
		}).result;
		expect(cancelled.json).toMatchObject({ batchId: first.json.batchId, cancelled: 1 });
	});
});

describe('Nalitek other resources', () => {
	it('LoRAs: the list for the picker skips inactive ones; getMany gives one item per LoRA', async () => {
		const { ctx } = createContext({
			node: new Nalitek(),
			credentialType: new NalitekApi(),
			credentials: { apiKey: API_KEY, baseUrl: emulator.url },
			parameters: {},
		});
		const options = await getLoras.call(ctx as never);
		expect(options.map((option) => option.value)).toEqual(['anime-style-v2', 'detailed-eyes-v1']);
		const items = await run({ resource: 'lora', operation: 'getMany' }).result;
		expect(items.map((item) => item.json.id)).toEqual([
			'anime-style-v2',
			'detailed-eyes-v1',
			'old-style',
		]);
	});

	it('account: stats, profile, update profile (only what was added)', async () => {
		const [stats] = await run({ resource: 'account', operation: 'getStats' }).result;
		expect(stats.json).toMatchObject({ quota: { daily_generations: expect.any(Number) } });
		const [updated] = await run({
			resource: 'account',
			operation: 'updateProfile',
			updateFields: { defaultModel: 'flux-schnell', emailNotifications: false },
		}).result;
		expect(updated.json).toMatchObject({
			settings: {
				default_model: 'flux-schnell',
				email_notifications: false,
				webhook_enabled: false,
			},
		});
		const [profile] = await run({ resource: 'account', operation: 'getProfile' }).result;
		expect(profile.json).toMatchObject({
			username: 'emulator_user',
			settings: { default_model: 'flux-schnell' },
		});
		await expect(
			run({ resource: 'account', operation: 'updateProfile', updateFields: {} }).result,
		).rejects.toThrow(/at least one field/);
	});

	it('API keys: create shows the new key once, list, delete', async () => {
		const [created] = await run({
			resource: 'apiKey',
			operation: 'create',
			name: 'CI',
			additionalFields: { ipWhitelist: '203.0.113.1, 203.0.113.2', rateLimit: 30 },
		}).result;
		expect(created.json).toMatchObject({
			name: 'CI',
			key: expect.stringMatching(/^nk_live_/),
			ip_whitelist: ['203.0.113.1', '203.0.113.2'],
			rate_limit: 30,
		});
		const keys = await run({ resource: 'apiKey', operation: 'getMany' }).result;
		expect(keys.map((item) => item.json.name)).toContain('CI');
		const [deleted] = await run({ resource: 'apiKey', operation: 'delete', keyId: created.json.id })
			.result;
		expect(deleted.json).toMatchObject({ deleted: true });
	});

	it('admin: a normal key gets a clear 403, an admin key works', async () => {
		const error = await run({ resource: 'admin', operation: 'getStatistics' }).result.catch(
			(e) => e,
		);
		expect(error.message).toBe('Nalitek: Forbidden: Admin access required');
		const users = await run(
			{ resource: 'admin', operation: 'getUsers', page: 1, perPage: 50 },
			{ apiKey: ADMIN_KEY },
		).result;
		expect(users.map((item) => item.json.username)).toEqual(['john_doe', 'jane']);
		const [quota] = await run(
			{
				resource: 'admin',
				operation: 'updateQuota',
				userId: '2',
				dailyGenerations: 500,
				dailyUpscales: 100,
			},
			{ apiKey: ADMIN_KEY },
		).result;
		expect(quota.json).toMatchObject({ userId: '2', updated: true, daily_generations: 500 });
	});

	it('service status', async () => {
		const [status] = await run({ resource: 'service', operation: 'getStatus' }).result;
		expect(status.json).toMatchObject({ status: 'operational', version: '2.0' });
	});
});
