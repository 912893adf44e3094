/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- tests use fake keys; the rules are for the published nodes */
// The DefAPI node's execute() against the provider emulator over real HTTP on 127.0.0.1.

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { DefApiApi } from '../../credentials/DefApiApi.credentials';
import { DefApi } from '../../nodes/DefApi/DefApi.node';
import { parseDefApiTask } from '../../nodes/DefApi/adapter';
import { clock } from '../helpers/clock';
import { nodeRunner } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, makePng, readPngPrompt } from '../helpers/emulator';
import { startJsonSink } from '../helpers/sink';

const API_KEY = 'dk-test-defapi-node-tests-77aa';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: { defApi: API_KEY }, taskMs: 400 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

const run = nodeRunner({
	node: () => new DefApi(),
	credentialType: () => new DefApiApi(),
	baseUrl: () => emulator.url,
	apiKey: API_KEY,
	defaults: {
		resource: 'image',
		operation: 'generate',
		model: 'google/gempix2',
		referenceImages: {},
		additionalFields: {},
		options: { pollInterval: 1 },
	},
});

const task = (id: unknown) =>
	emulator.stats.tasks[`defApi:${id}`] as unknown as {
		prompt: string;
		reads: number;
		images: string[];
		body: IDataObject;
	};
const binaryOf = (name: string) => ({
	data: makePng(name, name).toString('base64'),
	mimeType: 'image/png',
	fileName: `${name}.png`,
});

describe('DefAPI node', () => {
	it('turns 5 prompts into 5 PNG files, paired and in order', async () => {
		const prompts = ['a', 'b', 'c', 'd', 'e'].map((p) => `banana ${p}`);
		const output = await run(
			{ prompt: (i: number) => prompts[i] },
			{ items: prompts.map((prompt) => ({ json: { prompt } })) },
		).result;
		expect(output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		output.forEach((item, index) => {
			expect(item.json).toMatchObject({ provider: 'defApi', status: 'succeeded' });
			expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(prompts[index]);
			// `consumed` is kept with the provider's answer.
			expect((item.json.raw as IDataObject).consumed).toBe('0.500000');
		});
	});

	it('sends two binary reference images and one link as three images, in the order given', async () => {
		const items = [{ json: {}, binary: { data: binaryOf('one'), data_1: binaryOf('two') } }];
		const images = [
			{ source: 'binary', inputBinaryField: 'data' },
			{ source: 'url', imageUrl: 'https://example.com/basket.png' },
			{ source: 'binary', inputBinaryField: 'data_1' },
		];
		const [item] = await run({ prompt: 'combine', referenceImages: { images } }, { items }).result;
		expect(task(item.json.taskId).images).toEqual([
			'data:image/png',
			'https://example.com/basket.png',
			'data:image/png',
		]);
	});

	it('reads several binary fields from one "Input Binary Field" (as Aggregate names them)', async () => {
		const items = [{ json: {}, binary: { data: binaryOf('one'), data_1: binaryOf('two') } }];
		const [item] = await run(
			{
				prompt: 'combine',
				referenceImages: { images: [{ source: 'binary', inputBinaryField: 'data, data_1' }] },
			},
			{ items },
		).result;
		expect(task(item.json.taskId).images).toEqual(['data:image/png', 'data:image/png']);
	});

	it('refuses a fifth reference image before any request', async () => {
		const before = emulator.stats.requests;
		const items = [{ json: {}, binary: { data: binaryOf('one'), data_1: binaryOf('two') } }];
		const images = [1, 2, 3].map((n) => ({ source: 'url', imageUrl: `https://a/${n}.png` }));
		images.push({ source: 'binary', inputBinaryField: 'data, data_1' } as never);
		const error = await run(
			{ prompt: 'too many', referenceImages: { images } },
			{ items },
		).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Reference images: at most 4 images are allowed, 5 were given');
		expect(emulator.stats.requests).toBe(before);
	});

	it('refuses a reference file that is not an image', async () => {
		const items = [
			{
				json: {},
				binary: {
					data: { data: Buffer.from('%PDF-1.4').toString('base64'), mimeType: 'application/pdf' },
				},
			},
		];
		const error = await run(
			{
				prompt: 'x',
				referenceImages: { images: [{ source: 'binary', inputBinaryField: 'data' }] },
			},
			{ items },
		).result.catch((e) => e);
		expect(error.message).toMatch(/"data" is application\/pdf/);
	});

	it('sends aspect ratio, image size and callback URL with the API names', async () => {
		const [item] = await run({
			operation: 'createTask',
			model: 'google/nano-banana-pro',
			prompt: 'sized',
			additionalFields: { aspectRatio: '16:9', imageSize: '2k' },
			callbackUrl: 'https://hooks.example.com/defapi?token=s3cret',
		}).result;
		expect(item.json).toMatchObject({ status: 'queued', taskId: expect.stringMatching(/^ta/) });
		expect(task(item.json.taskId).body).toMatchObject({
			model: 'google/nano-banana-pro',
			aspect_ratio: '16:9',
			image_size: '2k',
			callback_url: 'https://hooks.example.com/defapi?token=s3cret',
		});
	});

	it('retries "task not found" right after creation and reads unwrapped answers', async () => {
		const [item] = await run({ prompt: 'patience [notfound:2] [unwrapped]' }).result;
		expect(item.json.status).toBe('succeeded');
		expect(task(item.json.taskId).reads).toBeGreaterThanOrEqual(3);
	});

	it('reads an inline data URI result', async () => {
		const [item] = await run({ prompt: 'inline [shape:datauri]' }).result;
		expect(item.binary!.data.mimeType).toBe('image/png');
		expect((item.json.outputs as IDataObject[])[0].url).toBeNull();
	});

	it('treats a success with only text as a failure carrying that text', async () => {
		const [item] = await run({ prompt: 'refuse [text]' }, { continueOnFail: true }).result;
		expect(item.json).toMatchObject({
			status: 'failed',
			error:
				'DefAPI: The model returned text instead of an image: I cannot create images of real people.',
		});
	});

	it('uses status_reason.message as the failure message', async () => {
		const error = await run({ prompt: 'blocked [fail]' }).result.catch((e) => e);
		expect(error.message).toBe('DefAPI: Image generation was blocked by content policy');
	});

	it('shows the detail of a 400 answer', async () => {
		const refused = await run({ prompt: 'p [reject]' }).result.catch((e) => e);
		expect(refused).toBeInstanceOf(NodeApiError);
		expect(refused.message).toBe('DefAPI: prompt violates the content policy');
		expect(refused.httpCode).toBe('400');
	});

	it('delivers the callback the provider sends to the Create Task callback URL', async () => {
		const sink = await startJsonSink();
		const received = sink.received;
		try {
			const hook = sink.url('/hook?token=t');
			const [item] = await run({ operation: 'createTask', prompt: 'call me', callbackUrl: hook })
				.result;
			await clock.sleep(30_000);
			expect(received).toEqual([
				expect.objectContaining({
					task_id: item.json.taskId,
					status: 'success',
					consumed: '0.500000',
				}),
			]);
			// The callback payload reads like a query answer: the same parser understands it.
			expect(parseDefApiTask(received[0]).status).toBe('succeeded');
		} finally {
			sink.close();
		}
	});
});
