/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// The MiniMax node's execute() against the provider emulator over real HTTP on 127.0.0.1.
import http from 'http';
import type { AddressInfo } from 'net';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { MiniMaxApi } from '../../credentials/MiniMaxApi.credentials';
import { MiniMax } from '../../nodes/MiniMax/MiniMax.node';
import { parseMiniMaxTask } from '../../nodes/MiniMax/adapter';
import { clock } from '../helpers/clock';
import { nodeRunner } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, makePng } from '../helpers/emulator';

const API_KEY = 'sk-api-test-minimax-node-tests';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: { miniMax: API_KEY }, taskMs: 400 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

const run = nodeRunner({
	node: () => new MiniMax(),
	credentialType: () => new MiniMaxApi(),
	baseUrl: () => emulator.url,
	apiKey: API_KEY,
	defaults: {
		resource: 'video',
		operation: 'generate',
		model: 'MiniMax-Hailuo-2.3',
		frames: {},
		additionalFields: {},
		options: { pollInterval: 1 },
	},
});

const task = (id: unknown) =>
	emulator.stats.tasks[`miniMax:${id}`] as unknown as {
		prompt: string;
		reads: number;
		body: IDataObject;
	};
const pngItem = (name = 'data') => ({
	json: {},
	binary: {
		[name]: {
			data: makePng('frame', 'frame').toString('base64'),
			mimeType: 'image/png',
			fileName: 'frame.png',
		},
	},
});

/** Frame size and length of an MP4, read from its boxes (moov → mvhd, trak → tkhd). */
function mp4Info(file: Buffer): { width: number; height: number; seconds: number } {
	const boxes = (from: number, to: number) => {
		const found: Record<string, [number, number]> = {};
		for (let at = from; at + 8 <= to; ) {
			const size = file.readUInt32BE(at);
			found[file.toString('latin1', at + 4, at + 8)] ??= [at + 8, at + size];
			if (size < 8) break;
			at += size;
		}
		return found;
	};
	const moov = boxes(0, file.length).moov;
	const inMoov = boxes(...moov);
	const mvhd = inMoov.mvhd[0];
	const tkhd = boxes(...inMoov.trak).tkhd[1];
	return {
		width: file.readUInt32BE(tkhd - 8) / 65536,
		height: file.readUInt32BE(tkhd - 4) / 65536,
		seconds: Math.round(file.readUInt32BE(mvhd + 16) / file.readUInt32BE(mvhd + 12)),
	};
}

describe('MiniMax node', () => {
	it('text to video: creates, waits, turns the file_id into a link and streams the MP4 in', async () => {
		const { test, result } = run(
			{
				prompt: (i: number) => `a wave ${i}`,
				additionalFields: { duration: 6, resolution: '768P', promptOptimizer: false },
			},
			{ items: [{ json: {} }, { json: {} }] },
		);
		const output = await result;
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of output.entries()) {
			expect(item.json).toMatchObject({ provider: 'miniMax', status: 'succeeded' });
			expect(item.binary!.data).toMatchObject({
				mimeType: 'video/mp4',
				fileName: `miniMax-${item.json.taskId}.mp4`,
			});
			const [file] = item.json.outputs as IDataObject[];
			expect(file).toMatchObject({
				fileId: expect.any(String),
				mimeType: 'video/mp4',
				url: expect.stringContaining('/files/clip-1366x768-6.mp4'),
			});
			expect(task(item.json.taskId)).toMatchObject({
				prompt: `a wave ${index}`,
				body: {
					model: 'MiniMax-Hailuo-2.3',
					duration: 6,
					resolution: '768P',
					prompt_optimizer: false,
				},
			});
		}
		expect(test.binaryInputs).toEqual(['stream', 'stream']);
	});

	it('the video has the length and resolution asked for: 10 s at 1080P is a 10-second 1920×1080 MP4', async () => {
		const [item] = await run({
			prompt: 'a long wave',
			additionalFields: { duration: 10, resolution: '1080P' },
		}).result;
		const video = Buffer.from(item.binary!.data.data, 'base64');
		expect(mp4Info(video)).toEqual({ width: 1920, height: 1080, seconds: 10 });
		expect(item.json.raw).toMatchObject({ video_width: 1920, video_height: 1080 });
		const [short] = await run({ prompt: 'a short wave', additionalFields: {} }).result;
		expect(mp4Info(Buffer.from(short.binary!.data.data, 'base64'))).toEqual({
			width: 1366,
			height: 768,
			seconds: 6,
		});
	});

	it('image to video: the first frame from a binary field is sent as a data URL', async () => {
		const [item] = await run(
			{
				model: 'I2V-01',
				prompt: '',
				frames: { firstFrame: { source: 'binary', inputBinaryField: 'data' } },
			},
			{ items: [pngItem()] },
		).result;
		expect(item.binary!.data.mimeType).toBe('video/mp4');
		expect(task(item.json.taskId).body).toMatchObject({
			model: 'I2V-01',
			first_frame_image: 'data:image/png',
		});
		expect(task(item.json.taskId).body.prompt).toBeUndefined();
	});

	it('takes first and last frames from links', async () => {
		const [item] = await run({
			prompt: 'morph',
			frames: {
				firstFrame: { source: 'url', imageUrl: 'https://example.com/a.jpg' },
				lastFrame: { source: 'url', imageUrl: 'https://example.com/b.jpg' },
			},
		}).result;
		expect(task(item.json.taskId).body).toMatchObject({
			first_frame_image: 'https://example.com/a.jpg',
			last_frame_image: 'https://example.com/b.jpg',
		});
	});

	it('checks prompt length, frame type and frame size before any request', async () => {
		const before = emulator.stats.requests;
		await expect(run({ prompt: 'x'.repeat(2001) }).result).rejects.toThrow(
			/2001 characters; MiniMax takes at most 2000/,
		);
		const gif = {
			json: {},
			binary: {
				data: { data: Buffer.from('GIF89a....').toString('base64'), mimeType: 'image/gif' },
			},
		};
		await expect(
			run(
				{ prompt: 'x', frames: { firstFrame: { source: 'binary', inputBinaryField: 'data' } } },
				{ items: [gif] },
			).result,
		).rejects.toThrow(
			/First frame: "data" is image\/gif, not one of image\/jpeg, image\/png, image\/webp/,
		);
		const huge = Buffer.alloc(20 * 1024 * 1024, 0);
		makePng('x').copy(huge);
		const big = {
			json: {},
			binary: { data: { data: huge.toString('base64'), mimeType: 'image/png' } },
		};
		await expect(
			run(
				{ prompt: 'x', frames: { firstFrame: { source: 'binary', inputBinaryField: 'data' } } },
				{ items: [big] },
			).result,
		).rejects.toThrow(/is 20\.0 MB, more than/);
		await expect(run({ prompt: '' }).result).rejects.toThrow(
			/"Prompt" is empty: enter a prompt, or give a first frame/,
		);
		expect(emulator.stats.requests).toBe(before);
	});

	it.each([
		[1008, 'Insufficient balance (1008)', /Top up/],
		[1026, 'The input contains sensitive content (1026: input new_sensitive)', /Change the prompt/],
		[2013, 'Invalid parameters (2013: invalid params)', /Check the model/],
	])('turns error code %i into its documented meaning', async (code, message, hint) => {
		const before = emulator.stats.byRoute['POST /v1/video_generation'] ?? 0;
		const error = await run({ prompt: `x [code:${code}]` }).result.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`MiniMax: ${message}`);
		expect(error.description).toMatch(hint);
		expect((emulator.stats.byRoute['POST /v1/video_generation'] ?? 0) - before).toBe(1);
	});

	it('sends a create again after 1002 (rate limit: nothing was started), and only then', async () => {
		const creates = () => emulator.stats.byRoute['POST /v1/video_generation'] ?? 0;
		const before = creates();
		const [item] = await run({ prompt: 'busy [code:1002:2]' }).result;
		expect(item.json.status).toBe('succeeded');
		expect(creates() - before).toBe(3);
	});

	it('retries transient query codes (1033) and gives a task up on a lasting one', async () => {
		const [item] = await run({ prompt: 'wobbly [querycode:1033:2]' }).result;
		expect(item.json.status).toBe('succeeded');
		expect(task(item.json.taskId).reads).toBeGreaterThanOrEqual(3);
		const [failed] = await run({ prompt: 'banned [querycode:1027:1]' }, { continueOnFail: true })
			.result;
		expect(failed.json).toMatchObject({
			status: 'failed',
			error: 'MiniMax: The generated video was flagged as sensitive (1027: output new_sensitive)',
		});
		expect(task(failed.json.taskId).reads).toBe(1);
	});

	it('reports a failed generation', async () => {
		const error = await run({ prompt: 'nope [fail]' }).result.catch((e) => e);
		expect(error.message).toBe('MiniMax: Video generation failed');
	});

	it('explains a wrong key (2049) with the region hint', async () => {
		const error = await run({ prompt: 'x' }, { apiKey: 'sk-api-wrong' }).result.catch((e) => e);
		expect(error.message).toBe('MiniMax: Invalid API key (2049)');
		expect(error.description).toMatch(/api\.minimaxi\.com/);
		expect(JSON.stringify(error)).not.toContain('sk-api-wrong');
	});

	it('Download returns the video of a file ID', async () => {
		const [done] = await run({ prompt: 'for later', options: { pollInterval: 1, download: false } })
			.result;
		expect(done.binary).toBeUndefined();
		const fileId = (done.json.outputs as IDataObject[])[0].fileId;
		const [item] = await run({ operation: 'download', fileId, options: {} }).result;
		expect(item.json).toMatchObject({ provider: 'miniMax', fileId, status: 'succeeded' });
		expect(item.binary!.data).toMatchObject({
			mimeType: 'video/mp4',
			fileName: `miniMax-${fileId}.mp4`,
		});
	});

	describe('callback URL', () => {
		let sink: http.Server;
		let answerChallenge = true;
		const received: IDataObject[] = [];
		beforeAll(async () => {
			sink = http.createServer((req, res) => {
				let text = '';
				req.on('data', (part) => (text += part));
				req.on('end', () => {
					const body = JSON.parse(text);
					if (body.challenge !== undefined) {
						if (answerChallenge) res.end(JSON.stringify({ challenge: body.challenge }));
						else res.end('{}');
						return;
					}
					received.push(body);
					res.end('ok');
				});
			});
			await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
		});
		afterAll(() => sink.close());
		const hook = () => `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;

		it('Create Task with a receiver that answers the challenge gets status updates posted back, the last one final', async () => {
			answerChallenge = true;
			// 20 s on the emulator's clock: long enough that its progress calls are seconds apart.
			const [item] = await run({
				operation: 'createTask',
				prompt: 'call me [ms:20000]',
				callbackUrl: hook(),
			}).result;
			expect(item.json).toMatchObject({ status: 'queued', taskId: expect.any(String) });
			await clock.sleep(30_000);
			expect(received.every((body) => body.task_id === item.json.taskId)).toBe(true);
			expect(received.map((body) => parseMiniMaxTask(body).status)).toEqual([
				'queued',
				'running',
				'running',
				'succeeded',
			]);
		});

		it('a receiver that does not answer the challenge makes the create fail with 2013', async () => {
			answerChallenge = false;
			const error = await run({
				operation: 'createTask',
				prompt: 'call me',
				callbackUrl: hook(),
			}).result.catch((e) => e);
			expect(error.message).toBe(
				'MiniMax: Invalid parameters (2013: invalid params, fail to check callback url)',
			);
		});
	});

	it('refuses a 10 s duration typed by expression as 8', async () => {
		const error = await run({ prompt: 'x', additionalFields: { duration: 8 } }).result.catch(
			(e) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Duration must be 6 or 10 seconds (got 8)');
	});
});
