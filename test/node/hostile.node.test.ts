// What a hostile or careless answer cannot do to the action nodes: a gateway that echoes the key
// gets it into no error, item, hint or log line (every provider); values that only look like
// numbers or text never reach a paid create.
import type { ICredentialType, IDataObject, INodeType } from 'n8n-workflow';

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
import { exactNumber } from '../../nodes/shared/validation';
import { generateParameters, runNode } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator } from '../helpers/emulator';

let emulator: Emulator;
beforeAll(async () => {
	emulator = createEmulator({ taskMs: 1000 });
	await emulator.start();
});
afterAll(async () => emulator.stop());
afterEach(() => {
	emulator.config.faults = null;
});

interface Provider {
	name: string;
	node: INodeType;
	credentialType: ICredentialType;
	key: () => string;
	parameters: IDataObject;
	extraCredentials?: () => IDataObject;
}

const PROVIDERS: Provider[] = [
	{
		name: 'Gen-API',
		node: new GenApi(),
		credentialType: new GenApiApi(),
		key: () => emulator.config.keys.genApi,
		parameters: { resource: 'image' },
	},
	{
		name: 'GPTunnel',
		node: new Gptunnel(),
		credentialType: new GptunnelApi(),
		key: () => emulator.config.keys.gptunnel,
		parameters: { resource: 'media', model: 'google-imagen-3', referenceImages: {} },
	},
	{
		name: 'DefAPI',
		node: new DefApi(),
		credentialType: new DefApiApi(),
		key: () => emulator.config.keys.defApi,
		parameters: { model: 'google/gempix2', referenceImages: {} },
	},
	{
		name: 'MiniMax',
		node: new MiniMax(),
		credentialType: new MiniMaxApi(),
		key: () => emulator.config.keys.miniMax,
		parameters: { resource: 'video', model: 'MiniMax-Hailuo-2.3', frames: {} },
	},
	{
		name: 'Nalitek',
		node: new Nalitek(),
		credentialType: new NalitekApi(),
		key: () => emulator.config.keys.nalitek,
		parameters: {},
		extraCredentials: () => ({
			webhookSecret: (emulator.config as IDataObject).nalitekWebhookSecret,
		}),
	},
];

function run(provider: Provider, parameters: IDataObject, continueOnFail = true) {
	return runNode({
		node: provider.node,
		credentialType: provider.credentialType,
		credentials: {
			apiKey: provider.key(),
			baseUrl: emulator.url,
			...provider.extraCredentials?.(),
		},
		parameters: generateParameters({ ...provider.parameters, ...parameters }),
		continueOnFail,
	});
}

describe.each(PROVIDERS)('$name: a gateway that echoes the key', (provider) => {
	const secrets = () => [provider.key(), ...Object.values(provider.extraCredentials?.() ?? {})];
	const leaked = (text: string) => secrets().filter((secret) => text.includes(String(secret)));

	it('in an error answer to the create: the item, its hint and the log carry no secret', async () => {
		emulator.config.faults = { create: ['leak'] };
		const { test, result } = run(provider, { prompt: 'echoed [ms:100]' });
		const [item] = await result;
		expect(item.json.status).toBe('failed');
		expect(item.json.error).toMatch(/\[redacted\]/);
		expect(leaked(JSON.stringify(item) + test.logs.join('\n'))).toEqual([]);
	});

	it('in an error answer to the create, without Continue On Fail: the error n8n shows and logs carries none', async () => {
		emulator.config.faults = { create: ['leak'] };
		const { test, result } = run(provider, { prompt: 'echoed [ms:100]' }, false);
		const error = (await result.catch((e) => e)) as Error & { description?: string };
		expect(error.message).toMatch(/\[redacted\]/);
		const shown = JSON.stringify({ ...error, message: error.message, stack: error.stack });
		expect(leaked(shown + test.logs.join('\n'))).toEqual([]);
	});

	it('inside a status answer: `raw` and every other field carry none', async () => {
		emulator.config.faults = { read: Array(20).fill('echo') };
		const { test, result } = run(provider, {
			prompt: 'echoed read [ms:100]',
			options: { pollInterval: 1, download: false },
		});
		const items = await result;
		expect(items[0].json.status).toBe('succeeded');
		expect(JSON.stringify(items)).toContain('[redacted]');
		expect(leaked(JSON.stringify(items) + test.logs.join('\n'))).toEqual([]);
	});
});

describe('values that only look right are refused before any paid request', () => {
	const genApi = PROVIDERS[0];
	const creates = () =>
		Object.values(emulator.stats.tasks).reduce(
			(n, task) => n + (task.provider === 'genApi' ? task.creates : 0),
			0,
		);

	it('reads numbers exactly: a list, hex, padding, exponents and booleans are not numbers', () => {
		expect(exactNumber(1024)).toBe(1024);
		expect(exactNumber('1024')).toBe(1024);
		expect(exactNumber('7.5')).toBe(7.5);
		expect(exactNumber('-1')).toBe(-1);
		expect(exactNumber('')).toBeUndefined();
		expect(exactNumber(undefined)).toBeUndefined();
		for (const value of [[1024], '0x400', ' 512 ', '1e3', true, {}, '12px', Infinity, NaN])
			expect(exactNumber(value)).toBeNaN();
	});

	it.each([
		['a list', { width: [1024] }, 'Width must be a whole number from 64 to 4096 (got [1024])'],
		['hex', { width: '0x400' }, 'Width must be a whole number from 64 to 4096 (got "0x400")'],
		['padding', { height: ' 512 ' }, 'Height must be a whole number from 64 to 4096 (got " 512 ")'],
		[
			'an exponent',
			{ numInferenceSteps: '1e1' },
			'Inference Steps must be a whole number from 1 to 50 (got "1e1")',
		],
		[
			'text for a switch',
			{ translateInput: 'yes' },
			'Translate Input must be true or false (got "yes")',
		],
		[
			'a list for a choice',
			{ outputFormat: ['png'] },
			'Output Format must be one of png, jpg (got ["png"])',
		],
	])('Gen-API: %s', async (_label, additionalFields, message) => {
		const before = creates();
		const error = await run(genApi, { prompt: 'a cat', additionalFields }, false).result.catch(
			(e) => e,
		);
		expect(error.message).toBe(message);
		expect(error.description).toMatch(/Nothing was sent/);
		expect(creates()).toBe(before);
	});

	it('Gen-API: numbers from expressions are sent as numbers, not as the text they came in', async () => {
		const { test, result } = run(genApi, {
			prompt: 'typed [ms:100]',
			additionalFields: { width: '512', height: 768, translateInput: false },
			options: { pollInterval: 1, download: false },
		});
		const [item] = await result;
		const task = emulator.stats.tasks[`genApi:${item.json.taskId}`] as unknown as {
			body: IDataObject;
		};
		expect(task.body).toMatchObject({ width: 512, height: 768, translate_input: false });
		expect(test.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it.each([
		['an object', { text: 'a cat' }, '"Prompt" must be text, not an object'],
		['a list', ['a cat'], '"Prompt" must be text, not a list'],
		[
			'a megabyte',
			'x'.repeat(1024 * 1024),
			'The prompt has 1048576 characters; at most 10000 are sent',
		],
	])('a prompt that is %s', async (_label, prompt, message) => {
		for (const provider of PROVIDERS.filter((p) => p.name !== 'MiniMax')) {
			const before = emulator.stats.requests;
			const error = await run(provider, { prompt }, false).result.catch((e) => e);
			expect(error.message).toBe(message);
			expect(emulator.stats.requests).toBe(before);
		}
	});

	it('MiniMax: an object for a prompt, and more than its documented 2000 characters', async () => {
		const minimax = PROVIDERS[3];
		const before = emulator.stats.requests;
		const object = await run(minimax, { prompt: { a: 1 } }, false).result.catch((e) => e);
		expect(object.message).toBe('Prompt must be text (got {"a":1})');
		const long = await run(minimax, { prompt: 'x'.repeat(2001) }, false).result.catch((e) => e);
		expect(long.message).toBe('The prompt has 2001 characters; MiniMax takes at most 2000');
		expect(emulator.stats.requests).toBe(before);
	});
});
