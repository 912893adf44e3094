/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- tests use fake keys; the rules are for the published nodes */
// The GPTunnel node's execute() against the provider emulator over real HTTP on 127.0.0.1.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { GptunnelApi } from '../../credentials/GptunnelApi.credentials';
import { Gptunnel } from '../../nodes/Gptunnel/Gptunnel.node';
import { nodeRunner } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, makePng } from '../helpers/emulator';

const API_KEY = 'test-gptunnel-key-node-tests-5c4b3a';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: { gptunnel: API_KEY }, taskMs: 400 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

const run = nodeRunner({
	node: () => new Gptunnel(),
	credentialType: () => new GptunnelApi(),
	baseUrl: () => emulator.url,
	apiKey: API_KEY,
	defaults: {
		resource: 'media',
		operation: 'generate',
		model: 'google-imagen-3',
		referenceImages: {},
		additionalFields: {},
		options: { pollInterval: 1 },
	},
});

const task = (id: unknown) =>
	emulator.stats.tasks[`gptunnel:${id}`] as unknown as {
		prompt: string;
		reads: number;
		body: IDataObject;
	};

describe('GPTunnel node', () => {
	it('turns 5 prompts into 5 WebP files, paired and in order, sending the raw key', async () => {
		const prompts = ['one', 'two', 'three', 'four', 'five'];
		const { test, result } = run(
			{ prompt: (i: number) => prompts[i], additionalFields: { ar: '9:21' } },
			{ items: prompts.map((prompt) => ({ json: { prompt } })) },
		);
		const output = await result;
		expect(output).toHaveLength(5);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ provider: 'gptunnel', status: 'succeeded' });
			expect(item.binary!.data).toMatchObject({
				mimeType: 'image/webp',
				fileName: `gptunnel-${item.json.taskId}.webp`,
			});
			expect(String(item.json.taskId)).toMatch(/^[0-9a-f]{24}$/);
			expect(task(item.json.taskId)).toMatchObject({
				prompt: prompts[index],
				body: { model: 'google-imagen-3', ar: '9:21' },
			});
		});
		const create = test.requests.find((request) => request.url.endsWith('/v1/media/create'))!;
		expect(create.headers.Authorization).toBe(API_KEY);
		expect(JSON.stringify(output)).not.toContain(API_KEY);
	});

	it('returns a video model result as an MP4 file', async () => {
		const [item] = await run({ model: 'glabs-veo-3-fast', prompt: 'a wave' }).result;
		expect(item.binary!.data).toMatchObject({
			mimeType: 'video/mp4',
			fileName: `gptunnel-${item.json.taskId}.mp4`,
		});
	});

	it('sends a custom model ID and reference images from links and binary fields', async () => {
		const png = makePng('ref', 'ref');
		const items = [
			{
				json: {},
				binary: {
					photo: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'p.png' },
				},
			},
		];
		const [item] = await run(
			{
				model: 'custom',
				customModel: 'nano-banana-2',
				prompt: 'edit it',
				referenceImages: {
					images: [
						{ source: 'url', imageUrl: 'https://example.com/a.png' },
						{ source: 'binary', inputBinaryField: 'photo' },
					],
				},
			},
			{ items },
		).result;
		expect(task(item.json.taskId).body).toMatchObject({
			model: 'nano-banana-2',
			images: ['https://example.com/a.png', 'data-url'],
		});
	});

	it('surfaces a refusal sent as HTTP 200 with code != 0, and sends nothing more for that item', async () => {
		const before = emulator.stats.requests;
		const error = await run({ prompt: 'pay [code:4]' }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('GPTunnel: Insufficient balance to create the task');
		expect(emulator.stats.requests - before).toBe(1);
	});

	it('shows the validation issues of a code 3 answer', async () => {
		const error = await run({ prompt: 'p [invalid]' }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'GPTunnel: Validation error — prompt: Prompt contains forbidden words',
		);
	});

	it('refuses a model ID from an expression that is not in the list, before any request', async () => {
		const before = emulator.stats.requests;
		const error = await run({ model: 'google-imagen-9', prompt: 'p' }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Model "google-imagen-9" is not in the list');
		expect(error.description).toMatch(/Custom Model ID/);
		expect(emulator.stats.requests).toBe(before);
	});

	it('asks for the custom model ID before any request', async () => {
		const before = emulator.stats.requests;
		const error = await run({ prompt: 'x', model: 'custom', customModel: ' ' }).result.catch(
			(e) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Custom Model ID/);
		expect(emulator.stats.requests).toBe(before);
	});

	it('stops reading a task whose status read answers code != 0', async () => {
		const { result } = run({ prompt: 'gone [resultcode:7]' }, { continueOnFail: true });
		const [item] = await result;
		expect(item.json).toMatchObject({
			status: 'failed',
			error: 'GPTunnel: Task was removed by moderation',
		});
		expect(task(item.json.taskId).reads).toBe(1);
	});

	it('reports a failed task with its message', async () => {
		const error = await run({ prompt: 'nope [fail]' }).result.catch((e) => e);
		expect(error.message).toBe('GPTunnel: Generation was blocked by the safety filter');
	});

	it('refuses a missing binary field before any request, naming the fields there are', async () => {
		const before = emulator.stats.requests;
		const items = [{ json: {}, binary: { data: { data: 'AAAA', mimeType: 'image/png' } } }];
		const error = await run(
			{
				prompt: 'x',
				referenceImages: { images: [{ source: 'binary', inputBinaryField: 'photo' }] },
			},
			{ items },
		).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/no binary field "photo"/);
		expect(error.description).toMatch(/Binary fields of this item: data/);
		expect(emulator.stats.requests).toBe(before);
	});

	it('reads the balance', async () => {
		const [item] = await run({ resource: 'account', operation: 'getBalance' }).result;
		expect(item.json).toMatchObject({ provider: 'gptunnel', balance: 500.25 });
	});

	it('a wrong key gives a 401 API error with a hint', async () => {
		const error = await run(
			{ resource: 'account', operation: 'getBalance' },
			{ apiKey: 'wrong-gptunnel-key' },
		).result.catch((e) => e);
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('GPTunnel: Unauthorized request');
		expect(error.description).toMatch(/Check the API key/);
	});
});
