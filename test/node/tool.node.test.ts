/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- tests use fake keys; the rules are for the published nodes */
// The action nodes as an AI Agent's tool (n8n runs them as `<type>Tool`): what the model reads is
// short, holds the link, never inline data, and a failure comes back as an answer. And inline
// results, in any mode: never in `url`. The e2e run checks the same with n8n's AI Agent
// (test/e2e/agent.js).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { createContext, generateParameters } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, readPngPrompt } from '../helpers/emulator';

const API_KEY = 'test-genapi-key-tool-tests-51ab0c';
const TOOL = 'n8n-nodes-genmedia.genApiTool';
let emulator: Emulator;

beforeAll(async () => {
	emulator = createEmulator({ keys: { genApi: API_KEY }, taskMs: 300 });
	await emulator.start();
});
afterAll(async () => emulator.stop());

function run(
	parameters: Record<string, unknown>,
	{ asTool = true, apiKey = API_KEY }: { asTool?: boolean; apiKey?: string } = {},
): Promise<INodeExecutionData[]> {
	const test = createContext({
		node: new GenApi(),
		credentialType: new GenApiApi(),
		credentials: { apiKey, baseUrl: `${emulator.url}/` },
		parameters: generateParameters(parameters),
		// What n8n hands a tool: one item with the model's arguments.
		items: [{ json: { prompt: String(parameters.prompt ?? '') } }],
	});
	if (asTool) test.ctx.getNode().type = TOOL;
	return new GenApi().execute.call(test.ctx).then(([output]) => output);
}

describe('Gen-API node as an AI Agent tool', () => {
	it('answers with status, task ID, link and type only: no raw answer, no file', async () => {
		const [item, ...rest] = await run({ prompt: 'a red fox' });
		expect(rest).toEqual([]);
		expect(Object.keys(item.json).sort()).toEqual(['mimeType', 'status', 'taskId', 'url']);
		expect(item.json).toMatchObject({ status: 'succeeded', mimeType: 'image/png' });
		expect(item.binary).toBeUndefined();
		// The link is the provider's own, and holds the picture that was asked for.
		const answer = await fetch(String(item.json.url));
		expect(readPngPrompt(Buffer.from(await answer.arrayBuffer()))).toBe('a red fox');
		expect(JSON.stringify(item.json).length).toBeLessThan(200);
	});

	it('does not download unless "Download Files" is set', async () => {
		const before = emulator.stats.downloads ?? 0;
		await run({ prompt: 'no download' });
		expect(emulator.stats.downloads ?? 0).toBe(before);
		const [item] = await run({ prompt: 'asked for', options: { download: true } });
		expect(emulator.stats.downloads ?? 0).toBe(before + 1);
		// n8n drops binary data on the way to the model: the answer stays the same.
		expect(item.binary).toBeUndefined();
		expect(item.json.url).toMatch(/^http:\/\//);
	});

	it('a failed generation is an answer with the provider message, not a stopped run', async () => {
		const [item] = await run({ prompt: 'a fox [fail]' });
		expect(item.json.status).toBe('failed');
		expect(String(item.json.error)).toMatch(/^Gen-API: /);
		expect(item.json.raw).toBeUndefined();
	});

	it('bad input and a refused key are answers too, before any task is paid for', async () => {
		const created = Object.keys(emulator.stats.tasks).length;
		const [empty] = await run({ prompt: '   ' });
		expect(empty.json).toMatchObject({ status: 'failed' });
		expect(String(empty.json.error)).toMatch(/prompt/i);
		const [refused] = await run({ prompt: 'a fox' }, { apiKey: 'wrong-key-for-tool-test' });
		expect(refused.json.status).toBe('failed');
		expect(JSON.stringify(refused.json)).not.toContain('wrong-key-for-tool-test');
		expect(Object.keys(emulator.stats.tasks)).toHaveLength(created);
	});

	it('a timeout gives the task ID and says which tool finishes it', async () => {
		const [item] = await run({ prompt: 'slow [ms:60000]', options: { maxWait: 1 } });
		expect(item.json.status).toBe('timeout');
		expect(item.json.taskId).toBeDefined();
		expect(String(item.json.note)).toMatch(/"Wait for Task"/);
	});

	it('an inline result reaches the model as a note, never as base64', async () => {
		const [item] = await run({ prompt: 'inline [shape:base64]' });
		expect(item.json.status).toBe('succeeded');
		expect(item.json.url).toBeUndefined();
		expect(String(item.json.note)).toMatch(/inline|itself/);
		expect(JSON.stringify(item.json).length).toBeLessThan(400);
	});
});

describe('inline results in a workflow', () => {
	it.each(['base64', 'datauri'])(
		'a %s result is binary data even with "Download Files" off; url stays empty',
		async (shape) => {
			const [item] = await run(
				{ prompt: `inline [shape:${shape}]`, options: { download: false } },
				{ asTool: false },
			);
			const [file] = item.json.outputs as IDataObject[];
			expect(file).toMatchObject({ url: null, inline: true, mimeType: 'image/png' });
			expect(String(file.fileName)).toMatch(/\.png$/);
			expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(
				`inline [shape:${shape}]`,
			);
		},
	);
});
