// The emulator draws what each request asks for: the size (or aspect ratio and resolution), the
// format, and a picture that differs with the prompt. Checked through the nodes, on the files they
// put into the items.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DefApiApi } from '../../credentials/DefApiApi.credentials';
import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { GptunnelApi } from '../../credentials/GptunnelApi.credentials';
import { MiniMaxApi } from '../../credentials/MiniMaxApi.credentials';
import { NalitekApi } from '../../credentials/NalitekApi.credentials';
import { DefApi } from '../../nodes/DefApi/DefApi.node';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { Gptunnel } from '../../nodes/Gptunnel/Gptunnel.node';
import { MiniMax } from '../../nodes/MiniMax/MiniMax.node';
import { Nalitek } from '../../nodes/Nalitek/Nalitek.node';
import { runNode } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import {
	createEmulator,
	decodePicture,
	pictureSize,
	picturePrompt,
	resizePicture,
} from '../helpers/emulator';

let emulator: Emulator;
const keys = {
	genApi: 'pictures-genapi',
	gptunnel: 'pictures-gptunnel',
	defApi: 'dk-pictures',
	nalitek: 'pictures-nalitek',
	miniMax: 'sk-api-pictures',
};

/** The top-level boxes of an MP4: type and size, which must add up to the file. */
function mp4Boxes(file: Buffer) {
	const boxes: Array<[string, number]> = [];
	for (let offset = 0; offset < file.length; ) {
		const size = file.readUInt32BE(offset);
		if (size < 8) throw new Error(`box of ${size} bytes at ${offset}`);
		boxes.push([file.toString('latin1', offset + 4, offset + 8), size]);
		offset += size;
	}
	return boxes;
}

beforeAll(async () => {
	emulator = createEmulator({ keys, taskMs: 200 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

const fileOf = (item: INodeExecutionData) => Buffer.from(item.binary!.data.data, 'base64');

type Pixels = { width: number; height: number; rgb: Buffer };
/** The mean difference of two pictures of one size, per colour value (0–255). */
const meanDifference = (a: Pixels, b: Pixels) =>
	a.rgb.reduce((sum, value, i) => sum + Math.abs(value - b.rgb[i]), 0) / a.rgb.length;
/** How closely the brightness of two pictures of one size goes together (Pearson, −1 to 1). */
function lumaCorrelation(a: Pixels, b: Pixels): number {
	const luma = (p: Pixels) =>
		Array.from(
			{ length: p.width * p.height },
			(_, i) => p.rgb[i * 3] * 0.3 + p.rgb[i * 3 + 1] * 0.59 + p.rgb[i * 3 + 2] * 0.11,
		);
	const [x, y] = [luma(a), luma(b)];
	const mean = (v: number[]) => v.reduce((s, n) => s + n, 0) / v.length;
	const [mx, my] = [mean(x), mean(y)];
	let sxy = 0;
	let sxx = 0;
	let syy = 0;
	for (let i = 0; i < x.length; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) ** 2;
		syy += (y[i] - my) ** 2;
	}
	return sxy / Math.sqrt(sxx * syy);
}
const options = { pollInterval: 1 };

describe('emulator pictures', () => {
	it('Gen-API: the width and height asked for, PNG or JPEG, the prompt inside', async () => {
		const run = (additionalFields: IDataObject, prompt: string) =>
			runNode({
				node: new GenApi(),
				credentialType: new GenApiApi(),
				credentials: { apiKey: keys.genApi, baseUrl: emulator.url },
				parameters: { resource: 'image', operation: 'generate', prompt, additionalFields, options },
			}).result;
		const [png] = await run({ width: 640, height: 384 }, 'a red fox');
		expect(png.binary!.data.mimeType).toBe('image/png');
		expect(pictureSize(fileOf(png))).toEqual({ width: 640, height: 384 });
		expect(picturePrompt(fileOf(png))).toBe('a red fox');
		const [jpg] = await run({ width: 512, height: 768, outputFormat: 'jpg' }, 'a blue boat');
		expect(jpg.binary!.data.mimeType).toBe('image/jpeg');
		expect(pictureSize(fileOf(jpg))).toEqual({ width: 512, height: 768 });
		expect(picturePrompt(fileOf(jpg))).toBe('a blue boat');
		// The document's default size when none is asked for.
		const [plain] = await run({}, 'default size');
		expect(pictureSize(fileOf(plain))).toEqual({ width: 992, height: 992 });
	});

	it('different prompts give different pictures', async () => {
		const pixels = async (prompt: string) => {
			const [item] = await runNode({
				node: new GenApi(),
				credentialType: new GenApiApi(),
				credentials: { apiKey: keys.genApi, baseUrl: emulator.url },
				parameters: {
					resource: 'image',
					operation: 'generate',
					prompt,
					additionalFields: { width: 256, height: 256 },
					options,
				},
			}).result;
			return fileOf(item);
		};
		const [a, b] = [await pixels('a lighthouse'), await pixels('a teapot')];
		expect(a.equals(b)).toBe(false);
	});

	it('GPTunnel: Imagen 3 answers with WebP, 1024 on the long side, at the aspect ratio asked for', async () => {
		const [item] = await runNode({
			node: new Gptunnel(),
			credentialType: new GptunnelApi(),
			credentials: { apiKey: keys.gptunnel, baseUrl: emulator.url },
			parameters: {
				resource: 'media',
				operation: 'generate',
				model: 'google-imagen-3',
				prompt: 'a samurai',
				additionalFields: { ar: '16:9' },
				referenceImages: {},
				options,
			},
		}).result;
		expect(item.binary!.data.mimeType).toBe('image/webp');
		const file = fileOf(item);
		expect(file.toString('ascii', 0, 4)).toBe('RIFF');
		expect(file.readUInt32LE(4)).toBe(file.length - 8);
		expect(pictureSize(file)).toEqual({ width: 1024, height: 576 });
	});

	it('DefAPI: aspect ratio and image size (2K is 2048 on the long side)', async () => {
		const [item] = await runNode({
			node: new DefApi(),
			credentialType: new DefApiApi(),
			credentials: { apiKey: keys.defApi, baseUrl: emulator.url },
			parameters: {
				resource: 'image',
				operation: 'generate',
				model: 'google/nano-banana-pro',
				prompt: 'a basket',
				referenceImages: {},
				additionalFields: { aspectRatio: '3:2', imageSize: '2k' },
				options,
			},
		}).result;
		expect(pictureSize(fileOf(item))).toEqual({ width: 2048, height: 1365 });
	});

	it('Nalitek: width, height and format; an upscale is the source size times the scale', async () => {
		const nalitek = (parameters: IDataObject, items?: INodeExecutionData[]) =>
			runNode({
				node: new Nalitek(),
				credentialType: new NalitekApi(),
				credentials: { apiKey: keys.nalitek, baseUrl: emulator.url },
				parameters: { resource: 'image', options, ...parameters },
				items,
			}).result;
		const [made] = await nalitek({
			operation: 'generate',
			prompt: 'a castle',
			additionalFields: { width: 768, height: 512, format: 'webp' },
		});
		expect(made.binary!.data.mimeType).toBe('image/webp');
		expect(pictureSize(fileOf(made))).toEqual({ width: 768, height: 512 });
		const [upscaled] = await nalitek(
			{ operation: 'upscale', imageId: made.json.taskId, scale: 2, additionalFields: {} },
			[made],
		);
		expect(pictureSize(fileOf(upscaled))).toEqual({ width: 1536, height: 1024 });
	});

	it('Nalitek chain: the upscale is its source enlarged, and image to image keeps the shapes of its input', async () => {
		const nalitek = (parameters: IDataObject, items?: INodeExecutionData[]) =>
			runNode({
				node: new Nalitek(),
				credentialType: new NalitekApi(),
				credentials: { apiKey: keys.nalitek, baseUrl: emulator.url },
				parameters: { resource: 'image', options, ...parameters },
				items,
			}).result;
		const generate = async (prompt: string) =>
			(
				await nalitek({
					operation: 'generate',
					prompt,
					additionalFields: { width: 512, height: 512 },
				})
			)[0];
		const made = await generate('a lighthouse on a cliff');
		const [upscaled] = await nalitek(
			{ operation: 'upscale', imageId: made.json.taskId, scale: 2, additionalFields: {} },
			[made],
		);
		const source = decodePicture(fileOf(made))!;
		const big = decodePicture(fileOf(upscaled))!;
		expect([big.width, big.height]).toEqual([1024, 1024]);
		// Shrunk back, the upscale is the source: the same picture, not a new one.
		expect(meanDifference(resizePicture(big, 512, 512), source)).toBeLessThan(6);

		const restyle = async (input: INodeExecutionData) =>
			(
				await nalitek(
					{
						operation: 'imageToImage',
						inputBinaryField: 'data',
						prompt: 'as a watercolor',
						additionalFields: { strength: 0.6 },
					},
					[input],
				)
			)[0];
		const other = await generate('a desert road');
		const fromUpscale = decodePicture(fileOf(await restyle(upscaled)))!;
		const fromOther = decodePicture(fileOf(await restyle(other)))!;
		expect([fromUpscale.width, fromUpscale.height]).toEqual([1024, 1024]);
		// The same prompt on two inputs: each output follows its own input's light and dark more
		// than the other's (compared small, where detail does not matter).
		const small = (picture: Pixels) => resizePicture(picture, 128, 128);
		const inputs = [small(big), small(decodePicture(fileOf(other))!)];
		const outputs = [small(fromUpscale), small(fromOther)];
		for (const [own, foreign] of [
			[0, 1],
			[1, 0],
		]) {
			const withOwn = lumaCorrelation(outputs[own], inputs[own]);
			expect(withOwn).toBeGreaterThan(0.75);
			expect(withOwn - lumaCorrelation(outputs[own], inputs[foreign])).toBeGreaterThan(0.1);
		}
	});

	it('MiniMax: a real MP4 (ftyp, moov, mdat), padded with a "free" box to the size asked for', async () => {
		const video = async (prompt: string) => {
			const [item] = await runNode({
				node: new MiniMax(),
				credentialType: new MiniMaxApi(),
				credentials: { apiKey: keys.miniMax, baseUrl: emulator.url },
				parameters: {
					resource: 'video',
					operation: 'generate',
					model: 'MiniMax-Hailuo-2.3',
					prompt,
					frames: {},
					additionalFields: {},
					options,
				},
			}).result;
			return fileOf(item);
		};
		const clip = await video('a wave');
		expect(mp4Boxes(clip).map(([type]) => type)).toEqual(['ftyp', 'moov', 'free', 'mdat']);
		const padded = await video('a long wave [size:100000]');
		expect(padded.length).toBe(100_000);
		expect(mp4Boxes(padded).map(([type]) => type)).toEqual([
			'ftyp',
			'moov',
			'free',
			'mdat',
			'free',
		]);
	});
});
