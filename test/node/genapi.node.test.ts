/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- tests use fake keys; the rules are for the published nodes */
// The Gen-API node's execute() against the provider emulator over real HTTP on 127.0.0.1.
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { clock } from '../helpers/clock';
import { generateParameters, nodeRunner } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, readPngPrompt } from '../helpers/emulator';

const API_KEY = 'test-genapi-key-node-tests-9f8e7d';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: { genApi: API_KEY }, taskMs: 400 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

const run = nodeRunner({
	node: () => new GenApi(),
	credentialType: () => new GenApiApi(),
	baseUrl: () => `${emulator.url}/`,
	apiKey: API_KEY,
	defaults: generateParameters({}),
});

const promptItems = (prompts: string[]) => prompts.map((prompt) => ({ json: { prompt } }));

function taskOf(taskId: unknown) {
	return emulator.stats.tasks[`genApi:${taskId}`];
}

describe('Gen-API node: generate', () => {
	it('turns 5 input items into 5 image items, paired and in order, in about the time of one', async () => {
		const prompts = ['fox', 'lighthouse', 'ramen', 'boat', 'robot'];
		const { test, result } = run(
			{ prompt: (i: number) => prompts[i] },
			{ items: promptItems(prompts) },
		);
		const output = await result;
		expect(output).toHaveLength(5);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ provider: 'genApi', status: 'succeeded' });
			const binary = item.binary!.data;
			expect(binary.mimeType).toBe('image/png');
			expect(readPngPrompt(Buffer.from(binary.data, 'base64'))).toBe(prompts[index]);
			expect((item.json.outputs as IDataObject[])[0]).toMatchObject({
				mimeType: 'image/png',
				fileName: `genApi-${item.json.taskId}.png`,
			});
		});
		// Tasks are created first and polled together: every create came before the first status read.
		const tasks = output.map(
			(item) => taskOf(item.json.taskId) as unknown as Record<string, number>,
		);
		expect(Math.max(...tasks.map((task) => task.first_creates))).toBeLessThanOrEqual(
			Math.min(...tasks.map((task) => task.first_reads)),
		);
		// URL downloads are streamed into the binary store, not buffered by the node.
		expect(test.binaryInputs).toEqual(['stream', 'stream', 'stream', 'stream', 'stream']);
		expect(JSON.stringify(output)).not.toContain(API_KEY);
		// Each task was read once or twice, not once per item per loop.
		for (const item of output) expect(taskOf(item.json.taskId).reads).toBeLessThanOrEqual(2);
	});

	it("writes the created task IDs to n8n's log before it waits, a hundred to a line, so a run lost with its process can be finished with Wait for Task", async () => {
		const prompts = Array.from({ length: 150 }, (_, n) => `cat ${n + 1}`);
		const { test, result } = run(
			{ prompt: (i: number) => prompts[i], options: { download: false } },
			{ items: promptItems(prompts) },
		);
		// The lines are there while the tasks still run (a process may die before they finish).
		const deadline = clock.now() + 60_000;
		while (
			!test.logs.some((line) => /created 150 tasks \(101–150\)/.test(line)) &&
			clock.now() < deadline
		)
			await clock.sleep(10);
		expect(test.logs.some((line) => /Gen-API: execution execution-1 created/.test(line))).toBe(
			true,
		);
		const output = await result;
		const lines = test.logs.filter((line) => /Gen-API: execution .* created 150 tasks/.test(line));
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/\(1–100\), task IDs: /);
		const logged = lines.flatMap((line) => line.split('task IDs: ')[1].split(', '));
		expect(logged).toEqual(output.map((item) => String(item.json.taskId)));
		expect(lines.join('\n')).not.toContain(API_KEY);
	});

	it('fetches the file of a finished task while it still waits for a slower one', async () => {
		const prompts = ['quick [ms:2000]', 'slow [ms:30000]'];
		const { test, result } = run(
			{ prompt: (i: number) => prompts[i] },
			{ items: promptItems(prompts) },
		);
		const [quick, slow] = await result;
		expect(quick.json.status).toBe('succeeded');
		expect(slow.json.status).toBe('succeeded');
		const paths = test.requests.map((request) => new URL(request.url).pathname);
		const quickFile = paths.findIndex((path) =>
			path.startsWith(`/files/genapi-${quick.json.taskId}-`),
		);
		const slowReads = paths
			.map((path, index) => (path.endsWith(`/request/get/${slow.json.taskId}`) ? index : -1))
			.filter((index) => index >= 0);
		// The quick task's file came down long before the slow task was read for the last time.
		expect(quickFile).toBeGreaterThan(-1);
		expect(quickFile).toBeLessThan(slowReads[slowReads.length - 2]);
	});

	it('sends only the fields the user set, with the API names', async () => {
		const { result } = run({
			prompt: 'only some fields',
			additionalFields: { width: 512, numInferenceSteps: 12, translateInput: false },
		});
		const [item] = await result;
		expect(taskOf(item.json.taskId)).toMatchObject({
			body: {
				prompt: 'only some fields',
				width: 512,
				num_inference_steps: 12,
				translate_input: false,
			},
		});
		expect(
			Object.keys((taskOf(item.json.taskId) as unknown as { body: object }).body).sort(),
		).toEqual(['num_inference_steps', 'prompt', 'translate_input', 'width']);
	});

	it('gives one item per file when a task makes several images, all paired to their input', async () => {
		const { result } = run(
			{ prompt: (i: number) => `pair ${i}`, additionalFields: { numImages: 2 } },
			{ items: promptItems(['a', 'b']) },
		);
		const output = await result;
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
		expect(output.map((item) => (item.json.outputs as IDataObject[])[0].fileName)).toEqual([
			`genApi-${output[0].json.taskId}-1.png`,
			`genApi-${output[0].json.taskId}-2.png`,
			`genApi-${output[2].json.taskId}-1.png`,
			`genApi-${output[2].json.taskId}-2.png`,
		]);
	});

	it.each([
		['full_response', 'url'],
		['datauri', 'inline'],
		['base64', 'inline'],
	])('reads the %s result shape into a PNG file', async (shape, kind) => {
		const { result } = run({ prompt: `shape [shape:${shape}]` });
		const [item] = await result;
		expect(item.binary!.data.mimeType).toBe('image/png');
		expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(
			`shape [shape:${shape}]`,
		);
		const [file] = item.json.outputs as IDataObject[];
		if (kind === 'inline') expect(file.url).toBeNull();
		else expect(String(file.url)).toMatch(/^http:\/\/127\.0\.0\.1/);
		// Inline base64 does not bloat `raw`.
		expect(JSON.stringify(item.json.raw).length).toBeLessThan(1000);
	});

	it('keeps polling through 404 right after create, 5xx and unknown statuses', async () => {
		const { result } = run({ prompt: 'flaky [notfound:1] [5xx:1] [unknown]' });
		const [item] = await result;
		expect(item.json.status).toBe('succeeded');
		expect(taskOf(item.json.taskId).reads).toBeGreaterThanOrEqual(3);
	});

	it('can skip the download and return only the links', async () => {
		const { result } = run({ prompt: 'links only', options: { pollInterval: 1, download: false } });
		const [item] = await result;
		expect(item.binary).toBeUndefined();
		expect(String((item.json.outputs as IDataObject[])[0].url)).toContain('/files/genapi-');
	});

	it('puts the file in the binary property the user named', async () => {
		const { result } = run({
			prompt: 'named',
			options: { pollInterval: 1, binaryPropertyName: 'image' },
		});
		const [item] = await result;
		expect(Object.keys(item.binary!)).toEqual(['image']);
	});
});

describe('Gen-API node: failures', () => {
	it('checks every item before sending anything: a bad item stops the run with its index and no request is sent', async () => {
		const before = emulator.stats.requests;
		const { result } = run(
			{
				prompt: (i: number) => `p${i}`,
				additionalFields: (i: number) => (i === 2 ? { width: 10 } : {}),
			},
			{ items: promptItems(['a', 'b', 'c']) },
		);
		const error = await result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/Width must be a whole number from 64 to 4096/);
		expect(error.context.itemIndex).toBe(2);
		expect(emulator.stats.requests).toBe(before);
	});

	it('refuses an empty prompt before any request', async () => {
		const before = emulator.stats.requests;
		const error = await run({ prompt: '   ' }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"Prompt" is empty');
		expect(emulator.stats.requests).toBe(before);
	});

	it('shows the provider message of a failed task, and names the other tasks so nothing is lost', async () => {
		const { result } = run(
			{ prompt: (i: number) => (i === 1 ? 'bad [fail]' : 'good') },
			{ items: promptItems(['a', 'b']) },
		);
		const error = await result.catch((e) => e);
		expect(error.message).toBe('Gen-API: NSFW content detected in the prompt');
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toMatch(/Tasks of the other items: \d+/);
	});

	it('with continue-on-fail gives one error item for the failed input, paired, and the files of the others', async () => {
		const { result } = run(
			{ prompt: (i: number) => (i === 1 ? 'bad [error]' : `good ${i}`) },
			{ items: promptItems(['a', 'b', 'c']), continueOnFail: true },
		);
		const output = await result;
		expect(output.map((item) => [item.pairedItem, item.json.status])).toEqual([
			[{ item: 0 }, 'succeeded'],
			[{ item: 1 }, 'failed'],
			[{ item: 2 }, 'succeeded'],
		]);
		expect(output[1].json.error).toBe('Gen-API: Internal generation error');
		expect(output[1].json.taskId).toEqual(expect.any(String));
	});

	it('turns a wrong key into an API error with a hint, without the key', async () => {
		const wrongKey = 'wrong-key-should-never-be-shown-123';
		const error = await run({ prompt: 'x' }, { apiKey: wrongKey }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toContain('Unauthenticated');
		expect(error.description).toMatch(/Check the API key/);
		expect(
			JSON.stringify({
				message: error.message,
				description: error.description,
				context: error.context,
			}),
		).not.toContain(wrongKey);
	});

	it('does not send a create again after a 502 (the document says "repeat" only of its 500): the task may have started', async () => {
		const creates = () => emulator.stats.byRoute['POST /api/v1/networks/z-image'] ?? 0;
		const before = creates();
		const error = await run({ prompt: 'once [createfail:502]' }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('502');
		expect(creates() - before).toBe(1);
	});

	describe('with faults switched on at the emulator', () => {
		afterEach(() => {
			emulator.config.faults = null;
		});
		const tasksOf = (prompt: string) =>
			Object.values(emulator.stats.tasks).filter((task) => task.prompt === prompt);

		it('rides out 429, 5xx, cut connections, slow and broken answers and 404 while polling and downloading', async () => {
			emulator.config.slowMs = 1500;
			emulator.config.faults = {
				create: ['429'],
				read: ['500', '502', '503', 'reset', 'slow', 'malformed', '404', '429', 'error200'],
				file: ['503', 'reset', 'truncate'],
			};
			const prompts = ['fault a', 'fault b', 'fault c'];
			const output = await run(
				{ prompt: (i: number) => prompts[i], options: { pollInterval: 1, requestTimeout: 1 } },
				{ items: promptItems(prompts) },
			).result;
			expect(output.map((item) => item.json.status)).toEqual([
				'succeeded',
				'succeeded',
				'succeeded',
			]);
			output.forEach((item, index) =>
				expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(prompts[index]),
			);
			for (const prompt of prompts) expect(tasksOf(prompt)).toHaveLength(1);
			expect(emulator.config.faults).toEqual({ create: [], read: [], file: [] });
		}, 30_000);

		it('never sends a create again when its answer is lost: one clear error item, one task at the provider', async () => {
			emulator.config.slowMs = 1500;
			emulator.config.faults = { create: ['reset', 'slow', 'malformed', '503'] };
			const prompts = ['lost a', 'lost b', 'lost c', 'lost d', 'kept e'];
			const output = await run(
				{ prompt: (i: number) => prompts[i], options: { pollInterval: 1, requestTimeout: 1 } },
				{ items: promptItems(prompts), continueOnFail: true },
			).result;
			expect(output).toHaveLength(5);
			const failed = output.filter((item) => item.json.status === 'failed');
			expect(failed).toHaveLength(4);
			for (const item of failed) {
				expect(item.json.error).toMatch(/^Gen-API: /);
				expect(item.json.hint).toMatch(/may have started this task.*not paid twice/);
			}
			expect(output.filter((item) => item.json.status === 'succeeded')).toHaveLength(1);
			for (const prompt of prompts) expect(tasksOf(prompt)).toHaveLength(1);
		}, 30_000);

		it('names a request timeout in seconds', async () => {
			emulator.config.slowMs = 1500;
			emulator.config.faults = { create: ['slow'] };
			const error = await run({
				prompt: 'slow create',
				options: { requestTimeout: 1 },
			}).result.catch((e) => e);
			expect(error.message).toBe('Gen-API: Gen-API did not answer within 1 s');
			expect(error.description).toMatch(/not sent again/);
		});
	});

	it('outputs the task with status "timeout" and its ID when it is not ready in time (the default)', async () => {
		const { test, result } = run({
			prompt: 'slow [ms:60000]',
			options: { pollInterval: 1, maxWait: 2 },
		});
		const started = test.clock.now();
		const [item] = await result;
		// It waited the 2 s of Max Wait, reading about once a second, and no longer.
		expect(test.clock.now() - started).toBeGreaterThanOrEqual(2000);
		expect(taskOf(item.json.taskId).reads).toBeLessThanOrEqual(4);
		expect(item.json).toMatchObject({ status: 'timeout', taskId: expect.any(String), outputs: [] });
		expect(item.binary).toBeUndefined();
	});

	it('fails on timeout when asked to', async () => {
		const error = await run({
			prompt: 'slow [ms:60000]',
			options: { pollInterval: 1, maxWait: 1, failOnTimeout: true },
		}).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/not ready after 1 seconds/);
		expect(error.description).toMatch(/Task ID: \d+/);
	});

	it('stops waiting at once when the execution is cancelled', async () => {
		const controller = new AbortController();
		const { result } = run({ prompt: 'long [ms:3600000]' }, { signal: controller.signal });
		let abortedAt = 0;
		clock.setTimer(() => {
			abortedAt = clock.now();
			controller.abort();
		}, 300);
		const error = await result.catch((e) => e);
		expect(error.message).toMatch(/cancelled/);
		// Waits are cut into slices of 200 ms: the run ends within one slice of the stop.
		expect(clock.now() - abortedAt).toBeLessThanOrEqual(200);
	});
});

describe('Gen-API node: other operations', () => {
	it('Create Task returns at once with the task ID and passes the callback URL', async () => {
		const { result } = run({
			operation: 'createTask',
			prompt: 'later [ms:600000]',
			callbackUrl: 'https://example.com/hook?token=abc',
		});
		const [item] = await result;
		expect(item.json).toMatchObject({
			provider: 'genApi',
			status: 'queued',
			taskId: expect.any(String),
		});
		// It did not wait: the task was created and never read.
		expect(taskOf(item.json.taskId)).toMatchObject({ creates: 1, reads: 0 });
		expect(taskOf(item.json.taskId)).toMatchObject({
			body: { callback_url: 'https://example.com/hook?token=abc' },
		});
	});

	it('refuses a callback URL that is not http(s)', async () => {
		const error = await run({
			operation: 'createTask',
			prompt: 'x',
			callbackUrl: 'ftp://nope',
		}).result.catch((e) => e);
		expect(error.message).toMatch(/Callback URL must be an http\(s\) URL/);
	});

	it('Wait for Task follows the task IDs of earlier items; Get Task reads once', async () => {
		const created = await run(
			{ operation: 'createTask', prompt: (i: number) => `follow ${i} [ms:20000]` },
			{ items: promptItems(['a', 'b']) },
		).result;
		const items = created.map((item) => ({ json: item.json }));
		const readOnce = await run(
			{ operation: 'getTask', taskId: (i: number) => items[i].json.taskId, options: {} },
			{ items },
		).result;
		expect(readOnce.map((item) => item.json.status)).toEqual([
			expect.stringMatching(/queued|running/),
			expect.stringMatching(/queued|running/),
		]);
		const waited = await run(
			{ operation: 'waitForTask', taskId: (i: number) => items[i].json.taskId },
			{ items },
		).result;
		expect(waited.map((item) => [item.pairedItem, item.json.taskId, item.json.status])).toEqual([
			[{ item: 0 }, items[0].json.taskId, 'succeeded'],
			[{ item: 1 }, items[1].json.taskId, 'succeeded'],
		]);
		expect(readPngPrompt(Buffer.from(waited[1].binary!.data.data, 'base64'))).toBe(
			'follow 1 [ms:20000]',
		);
	});

	it('Get Task on an unknown ID says the task is not known', async () => {
		const error = await run({ operation: 'getTask', taskId: '999999', options: {} }).result.catch(
			(e) => e,
		);
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/does not know this task/);
	});

	it('runs any other network by ID with JSON parameters', async () => {
		const { result } = run({
			resource: 'network',
			networkId: 'flux',
			parameters: '{"prompt": "other network", "seed": 7}',
		});
		const [item] = await result;
		expect(item.json.status).toBe('succeeded');
		expect(taskOf(item.json.taskId)).toMatchObject({
			network: 'flux',
			body: { prompt: 'other network', seed: 7 },
		});
	});

	it('refuses invalid JSON parameters and bad network IDs before any request', async () => {
		const before = emulator.stats.requests;
		await expect(
			run({ resource: 'network', networkId: 'flux', parameters: '{oops' }).result,
		).rejects.toThrow(/not valid JSON/);
		await expect(
			run({ resource: 'network', networkId: 'flux', parameters: '[1]' }).result,
		).rejects.toThrow(/must be a JSON object/);
		await expect(
			run({ resource: 'network', networkId: '../user', parameters: '{}' }).result,
		).rejects.toThrow(/not a Gen-API network ID/);
		expect(emulator.stats.requests).toBe(before);
	});

	it('reads the account balance', async () => {
		const [item] = await run({ resource: 'account', operation: 'getBalance' }).result;
		expect(item.json).toMatchObject({ provider: 'genApi', balance: 1234.5 });
		expect(item.pairedItem).toEqual({ item: 0 });
	});
});
