// The provider documents read literally: base URLs written with the API's prefix, "404 may be
// temporary, repeat the request", "500 — repeat later", Nalitek's 256×256, `lora_id` against
// `lora_ids`, a failed batch with no jobs, webhooks with `data.error` or no `data.url`, the 4×
// smart upscale limit, the 60-a-minute image list, `progress: null`. Each case against the
// emulator, which answers as the document says — both ways where the document reads both ways.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DefApiApi } from '../../credentials/DefApiApi.credentials';
import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { GptunnelApi } from '../../credentials/GptunnelApi.credentials';
import { MiniMaxApi } from '../../credentials/MiniMaxApi.credentials';
import { DefApi } from '../../nodes/DefApi/DefApi.node';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { parseGenApiTask } from '../../nodes/GenApi/adapter';
import { Gptunnel } from '../../nodes/Gptunnel/Gptunnel.node';
import { MiniMax } from '../../nodes/MiniMax/MiniMax.node';
import { parseNalitekCallback } from '../../nodes/Nalitek/adapter';
import { apiUrl } from '../../nodes/shared/http';
import { clock } from '../helpers/clock';
import { runNode } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, pictureSize, readPngPrompt } from '../helpers/emulator';
import { nalitekRunner } from '../helpers/nalitek';
import type { RunOptions } from '../helpers/context';
import { startJsonSink } from '../helpers/sink';

const KEYS = {
	genApi: 'readings-genapi-key',
	defApi: 'readings-defapi-key',
	gptunnel: 'readings-gptunnel-key',
	miniMax: 'readings-minimax-key',
	nalitek: 'readings-nalitek-key',
};
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: KEYS, taskMs: 300 });
	await emulator.start();
});
afterAll(async () => emulator.stop());
beforeEach(() => {
	Object.assign(emulator.config, {
		faults: null,
		nalitekWindowMs: 1000,
		nalitekMinSide: undefined,
		nalitekLoraField: undefined,
		nalitekHistory: undefined,
		nalitekPageSize: undefined,
		nalitekWebhookShape: undefined,
	});
});

const fileOf = (item: INodeExecutionData) => Buffer.from(item.binary!.data.data, 'base64');
const routes = () => ({ ...emulator.stats.byRoute });
const sent = (before: Record<string, number>, route: string) =>
	(emulator.stats.byRoute[route] ?? 0) - (before[route] ?? 0);

function genApi(
	parameters: IDataObject,
	{
		baseUrl = emulator.url,
		continueOnFail = false,
	}: { baseUrl?: string; continueOnFail?: boolean } = {},
) {
	return runNode({
		node: new GenApi(),
		credentialType: new GenApiApi(),
		credentials: { apiKey: KEYS.genApi, baseUrl },
		parameters: {
			resource: 'image',
			operation: 'generate',
			additionalFields: { width: 256, height: 256 },
			...parameters,
			options: { pollInterval: 3, ...(parameters.options as IDataObject) },
		},
		continueOnFail,
	});
}

const runNalitek = nalitekRunner(() => emulator.url, KEYS.nalitek);
const nalitek = (parameters: IDataObject, options?: RunOptions) =>
	runNalitek(parameters, options).result;

const nalitekTask = (id: unknown) =>
	emulator.stats.tasks[`nalitek:${id}`] as unknown as { body: IDataObject; loras: string[] };

describe('Gen-API: "always use the base URL https://api.gen-api.ru/api/v1"', () => {
	it('a credential holding the base URL with /api/v1 generates, and no path says /api/v1 twice', async () => {
		const before = routes();
		const [item] = await genApi(
			{ prompt: 'a base url with its prefix' },
			{
				baseUrl: `${emulator.url}/api/v1/`,
			},
		).result;
		expect(item.json.status).toBe('succeeded');
		expect(readPngPrompt(fileOf(item))).toBe('a base url with its prefix');
		expect(sent(before, 'POST /api/v1/networks/z-image')).toBe(1);
		expect(Object.keys(emulator.stats.byRoute).filter((r) => r.includes('/api/v1/api/v1'))).toEqual(
			[],
		);
	});

	it('joins a base URL and a path without repeating the segments they share, and only those', () => {
		const path = '/api/v1/networks/z-image';
		expect(apiUrl('https://api.gen-api.ru', path)).toBe(
			'https://api.gen-api.ru/api/v1/networks/z-image',
		);
		expect(apiUrl('https://api.gen-api.ru/api/v1', path)).toBe(
			'https://api.gen-api.ru/api/v1/networks/z-image',
		);
		expect(apiUrl('https://api.gen-api.ru/api/v1/', path)).toBe(
			'https://api.gen-api.ru/api/v1/networks/z-image',
		);
		expect(apiUrl('https://api.minimax.io/v1', '/v1/video_generation')).toBe(
			'https://api.minimax.io/v1/video_generation',
		);
		// A gateway's own path stays.
		expect(apiUrl('https://gw.example/gen-api', path)).toBe(
			'https://gw.example/gen-api/api/v1/networks/z-image',
		);
		expect(apiUrl('https://gw.example/v1', path)).toBe(
			'https://gw.example/v1/api/v1/networks/z-image',
		);
	});

	it('the credential test strips the prefix too, so it reads /api/v1/user once', () => {
		const baseURL = String(new GenApiApi().test.request.baseURL);
		expect(baseURL).toContain('.replace(/\\/api\\/v1$/, "")');
	});
});

describe('Gen-API: "404 while polling may be temporary, repeat the request"', () => {
	it('a task read 404 twenty times in a row finishes, read again at the poll interval', async () => {
		const started = clock.now();
		const [item] = await genApi({
			prompt: 'registered late [notfound:20] [ms:100]',
			options: { maxWait: 300 },
		}).result;
		expect(item.json.status).toBe('succeeded');
		const task = emulator.stats.tasks[`genApi:${item.json.taskId}`];
		expect(task.reads).toBe(21);
		// 3 s before the first read, 3 s between reads: 21 reads take a minute, not a backoff's hours.
		expect(clock.now() - started).toBeGreaterThanOrEqual(60_000);
		expect(clock.now() - started).toBeLessThan(70_000);
	});

	it("gives the task up after the 60 repeats of the document's own client", async () => {
		const [item] = await genApi(
			{ prompt: 'never registered [notfound:1000]', options: { maxWait: 600 } },
			{ continueOnFail: true },
		).result;
		expect(item.json).toMatchObject({ status: 'failed', error: 'Gen-API: Request not found' });
		expect(emulator.stats.tasks[`genApi:${item.json.taskId}`].reads).toBe(61);
	});

	it('a processing answer with "progress": null is a running task, not "not a task"', () => {
		expect(parseGenApiTask({ request_id: 1, status: 'processing', progress: null })).toMatchObject({
			status: 'running',
		});
		expect(parseGenApiTask({ request_id: 1, status: 'processing', progress: 40 })).toMatchObject({
			status: 'running',
			progress: 40,
		});
	});
});

/** One Generate of "server hiccup" with a provider node, Continue On Fail on. */
function hiccup(
	node: Parameters<typeof runNode>[0]['node'],
	credentialType: Parameters<typeof runNode>[0]['credentialType'],
	apiKey: string,
	parameters: IDataObject,
) {
	return runNode({
		node,
		credentialType,
		credentials: { apiKey, baseUrl: emulator.url },
		parameters: {
			operation: 'generate',
			prompt: 'server hiccup',
			additionalFields: {},
			options: { pollInterval: 1 },
			...parameters,
		},
		continueOnFail: true,
	}).result;
}

describe('a create answered 500: sent again where the document says so, never where it is silent', () => {
	const cases = [
		{
			name: 'Gen-API ("500 — repeat the request later")',
			resent: true,
			route: 'POST /api/v1/networks/z-image',
			run: () => genApi({ prompt: 'server hiccup' }, { continueOnFail: true }).result,
		},
		{
			name: 'DefAPI ("retry 500 errors with exponential backoff")',
			resent: true,
			route: 'POST /api/image/gen',
			run: () =>
				hiccup(new DefApi(), new DefApiApi(), KEYS.defApi, {
					resource: 'image',
					model: 'google/gempix2',
					referenceImages: {},
				}),
		},
		{
			name: 'Nalitek ("500 — repeat later")',
			resent: true,
			route: 'POST /api/generate',
			run: () => nalitek({ prompt: 'server hiccup' }, { continueOnFail: true }),
		},
		{
			name: 'GPTunnel (no word on 500)',
			resent: false,
			route: 'POST /v1/media/create',
			run: () =>
				hiccup(new Gptunnel(), new GptunnelApi(), KEYS.gptunnel, {
					resource: 'media',
					model: 'google-imagen-3',
					referenceImages: {},
				}),
		},
		{
			name: 'MiniMax (no word on 500)',
			resent: false,
			route: 'POST /v1/video_generation',
			run: () =>
				hiccup(new MiniMax(), new MiniMaxApi(), KEYS.miniMax, {
					resource: 'video',
					model: 'MiniMax-Hailuo-2.3',
					frames: {},
				}),
		},
	];

	it.each(cases)('$name', async ({ resent, route, run }) => {
		// The server failed before making anything, twice; the third create goes through.
		emulator.config.faults = { create: ['refused500', 'refused500'] };
		const before = routes();
		const [item] = await run();
		if (resent) {
			expect(item.json.status).toBe('succeeded');
			expect(sent(before, route)).toBe(3);
		} else {
			expect(item.json.status).toBe('failed');
			expect(item.json.error).toMatch(/Server Error/);
			expect(item.json.hint).toMatch(/may have started this task .* It was not sent again/);
			expect(sent(before, route)).toBe(1);
		}
	});

	it('Gen-API: a 500 on every try ends the item after 6 creates, backing off 1, 2, 4, 8, 16 s (half to all of each)', async () => {
		emulator.config.faults = { create: Array(10).fill('refused500') };
		const before = routes();
		const started = clock.now();
		const [item] = await genApi({ prompt: 'down' }, { continueOnFail: true }).result;
		expect(item.json).toMatchObject({ status: 'failed', error: 'Gen-API: Server Error' });
		expect(sent(before, 'POST /api/v1/networks/z-image')).toBe(6);
		expect(clock.now() - started).toBeGreaterThanOrEqual(15_500);
		expect(clock.now() - started).toBeLessThanOrEqual(31_000 + 1_000);
	});
});

describe('Nalitek: sizes, LoRAs, smart upscale', () => {
	it('generates 256×256 directly, as the smart-upscale section does', async () => {
		const [item] = await nalitek({
			prompt: 'icon design',
			additionalFields: { width: 256, height: 256, smartUpscale: false },
		});
		expect(item.json.status).toBe('succeeded');
		expect(pictureSize(fileOf(item))).toEqual({ width: 256, height: 256 });
	});

	it('a server that reads the table (512 at least) is asked anyway, and its answer is shown', async () => {
		emulator.config.nalitekMinSide = 512;
		const error = await nalitek({
			prompt: 'icon design',
			additionalFields: { width: 256, height: 256 },
		}).catch((e: Error) => e);
		expect((error as Error).message).toBe(
			'Nalitek: Validation error: width must be a whole number of at least 512',
		);
	});

	it.each(['lora_ids', 'lora_id'] as const)(
		'one LoRA is applied by a server that reads only %s',
		async (field) => {
			emulator.config.nalitekLoraField = field;
			const [item] = await nalitek({
				prompt: 'anime character',
				additionalFields: { loraIds: ['anime-style-v2'] },
			});
			expect(item.json.status).toBe('succeeded');
			expect(nalitekTask(item.json.taskId).loras).toEqual(['anime-style-v2']);
		},
	);

	it('two LoRAs go as the array the parameter table names', async () => {
		const [item] = await nalitek({
			prompt: 'anime character',
			additionalFields: { loraIds: ['anime-style-v2', 'detailed-eyes-v1'] },
		});
		expect(nalitekTask(item.json.taskId).body).toMatchObject({
			lora_ids: ['anime-style-v2', 'detailed-eyes-v1'],
		});
		expect(nalitekTask(item.json.taskId).body).not.toHaveProperty('lora_id');
	});

	it('refuses a smart upscale beyond 4× before any request; 4× goes', async () => {
		const before = emulator.stats.requests;
		const error = await nalitek({
			prompt: 'too far',
			additionalFields: {
				width: 512,
				height: 512,
				smartUpscale: true,
				targetWidth: 4096,
				targetHeight: 2048,
			},
		}).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(
			'Target Width 4096 is more than 4× the Width of 512: Smart Upscale enlarges at most 4×',
		);
		expect(emulator.stats.requests).toBe(before);
		const [item] = await nalitek({
			prompt: 'four times',
			additionalFields: {
				width: 512,
				height: 512,
				smartUpscale: true,
				targetWidth: 2048,
				targetHeight: 2048,
			},
		});
		expect(pictureSize(fileOf(item))).toEqual({ width: 2048, height: 2048 });
	});
});

describe('Nalitek: a failed batch, webhooks as they may come, the image list limit', () => {
	it('a batch that fails with no jobs listed gives every input item its failed item, with the reason', async () => {
		const prompts = ['first [batchfail]', 'second', 'third'];
		const output = await nalitek(
			{ resource: 'batch', operation: 'generate', prompt: (i: number) => prompts[i] },
			{
				items: prompts.map((prompt) => ({ json: { prompt } })),
				continueOnFail: true,
			},
		);
		expect(output.map((item) => [item.pairedItem, item.json.status, item.json.error])).toEqual(
			prompts.map((_, i) => [{ item: i }, 'failed', 'Nalitek: Worker pool crashed']),
		);
	});

	async function webhookOf(prompt: string): Promise<IDataObject> {
		const sink = await startJsonSink();
		try {
			const [created] = await nalitek({
				operation: 'createTask',
				prompt,
				callbackUrl: sink.url(),
			});
			for (let waited = 0; !sink.received.length && waited < 10_000; waited += 100)
				await clock.sleep(100);
			expect(created.json.taskId).toBeDefined();
			return sink.received[0];
		} finally {
			sink.close();
		}
	}

	it('generation.failed with its message in data.error gives that message', async () => {
		emulator.config.nalitekWebhookShape = 'error';
		const body = await webhookOf('refused [fail] [ms:50]');
		expect(body).toMatchObject({
			event: 'generation.failed',
			data: { error: 'NSFW content detected' },
		});
		expect(parseNalitekCallback(body)).toMatchObject({
			final: true,
			state: { status: 'failed', error: 'NSFW content detected' },
		});
	});

	it('generation.complete without data.url is final: the image is read through the API', async () => {
		emulator.config.nalitekWebhookShape = 'nourl';
		const body = await webhookOf('no link [ms:50]');
		expect(body).toMatchObject({ event: 'generation.complete' });
		expect(body.data).not.toHaveProperty('url');
		const parsed = parseNalitekCallback(body);
		expect(parsed).toMatchObject({ final: true, event: 'generation.complete' });
		expect(parsed.state).toBeUndefined();
	});

	it('Get Many pages through 150 images at the documented 60 requests a minute, with no 429', async () => {
		Object.assign(emulator.config, {
			nalitekWindowMs: 60_000,
			nalitekHistory: 150,
			nalitekPageSize: 1,
		});
		const refusedBefore = emulator.stats.nalitek429 ?? 0;
		const started = clock.now();
		const output = await nalitek({ operation: 'getMany', returnAll: true, filters: {} });
		// The 150 earlier images, and those the tests above made.
		expect(output.filter((item) => /^earlier image/.test(String(item.json.prompt)))).toHaveLength(
			150,
		);
		expect((emulator.stats.nalitek429 ?? 0) - refusedBefore).toBe(0);
		// 150 pages at 60 a minute: the last 30 go out in the third minute.
		expect(clock.now() - started).toBeGreaterThanOrEqual(120_000);
	});
});
