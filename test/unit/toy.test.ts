// A new provider from the files the README lists, and nothing else: test/toy/ holds a credential,
// adapter.ts (client, task protocol, callback contract), parameters.ts, description.ts,
// Toy.node.ts and an emulator module, written only against nodes/shared/. The node runs its four
// task operations on the shared engine, and one line in nodes/providers.ts (here: the same list
// with the toy added) puts it into the AI Media Trigger.
import type { IDataObject, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import { CALLBACK_PROVIDERS, PROVIDERS } from '../../nodes/providers';
import type { CallbackProvider, ProviderClient } from '../../nodes/shared/types';
import { createContext, runNode } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, readPngPrompt } from '../helpers/emulator';
import { webhookContext } from '../helpers/webhook';
import { toyCallback, toyClient, toyTasks } from '../toy/adapter';
import { Toy } from '../toy/Toy.node';
import { ToyApi } from '../toy/ToyApi.credentials';

jest.mock('../../nodes/providers', () => {
	const actual = jest.requireActual('../../nodes/providers');
	const toy = jest.requireActual('../toy/adapter');
	return {
		PROVIDERS: [...actual.PROVIDERS, toy.toyClient] as ProviderClient[],
		CALLBACK_PROVIDERS: [
			...actual.CALLBACK_PROVIDERS,
			{ tasks: toy.toyTasks, callback: toy.toyCallback },
		] as CallbackProvider[],
	};
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const toyEmulator = require('../toy/emulator');

let emulator: Emulator;
beforeAll(async () => {
	emulator = createEmulator({ taskMs: 3_000, providerModules: [toyEmulator] });
	await emulator.start();
});
afterAll(async () => await emulator.stop());

const credentials = () => ({ apiKey: 'toy-key', baseUrl: emulator.url });

function run(parameters: IDataObject, items?: INodeExecutionData[]) {
	return runNode({
		node: new Toy(),
		credentialType: new ToyApi(),
		credentials: credentials(),
		parameters: { resource: 'image', options: { pollInterval: 1 }, callbackUrl: '', ...parameters },
		items,
		continueOnFail: true,
	});
}

describe('a toy provider added from its own folder', () => {
	it('generates: one task per item, polled, its picture downloaded, a failure as an error item', async () => {
		const prompts = ['a red toy', 'a blue toy [broken]'];
		const { result, test } = run(
			{ operation: 'generate', prompt: (i: number) => prompts[i] },
			prompts.map(() => ({ json: {} })),
		);
		const [made, broken] = await result;
		expect(made.json).toMatchObject({ provider: 'toy', status: 'succeeded' });
		expect(readPngPrompt(Buffer.from(made.binary!.data.data, 'base64'))).toBe('a red toy');
		expect(broken.json).toMatchObject({
			provider: 'toy',
			status: 'failed',
			error: expect.stringMatching(/toy broke/),
		});
		expect(broken.pairedItem).toEqual({ item: 1 });
		expect(test.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
		// Only the toy's own routes and its file link: nothing of another provider, nothing twice.
		const paths = test.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
		const toyRoute = /^(POST \/toy\/tickets|GET \/toy\/tickets\/t\d+|GET \/files\/toy-t\d+\.png)$/;
		expect(paths.filter((p) => !toyRoute.test(p))).toEqual([]);
		expect(paths.filter((p) => p.startsWith('GET /files/'))).toHaveLength(1);
	});

	it('creates a task, then Get Task and Wait for Task follow it by ID', async () => {
		const [created] = await run({ operation: 'createTask', prompt: 'a green toy' }).result;
		expect(created.json).toMatchObject({
			status: 'queued',
			taskId: expect.stringMatching(/^t\d+$/),
		});
		const items = [{ json: { taskId: created.json.taskId } }];
		const [early] = await run({ operation: 'getTask', taskId: created.json.taskId }, items).result;
		expect(early.json.status).not.toBe('succeeded');
		const [done] = await run({ operation: 'waitForTask', taskId: created.json.taskId }, items)
			.result;
		expect(done.json).toMatchObject({ status: 'succeeded', taskId: created.json.taskId });
		expect(done.binary?.data.mimeType).toBe('image/png');
	});

	it('is a provider of the AI Media Trigger, whose callbacks start the workflow with the file', async () => {
		// Loaded after the mock above: the trigger reads nodes/providers.ts when its module loads.
		const { AiMediaTrigger } = await import('../../nodes/AiMediaTrigger/AiMediaTrigger.node');
		const trigger = new AiMediaTrigger();
		const provider = trigger.description.properties.find((p) => p.name === 'provider')!;
		expect((provider.options as INodePropertyOptions[]).map((o) => o.name)).toContain('Toy');
		expect(PROVIDERS).toContain(toyClient);
		expect(CALLBACK_PROVIDERS.map((entry) => entry.tasks)).toContain(toyTasks);

		const [created] = await run({ operation: 'createTask', prompt: 'a yellow toy' }).result;
		const taskId = String(created.json.taskId);
		await run({ operation: 'waitForTask', taskId }, [{ json: { taskId } }]).result;
		const read = await createContext({
			node: new Toy(),
			credentialType: new ToyApi(),
			credentials: credentials(),
			parameters: {},
		}).host.request({ url: `${emulator.url}/toy/tickets/${taskId}`, json: true }, 'toyApi');
		const base = createContext({
			node: trigger,
			credentialType: new ToyApi(),
			credentials: credentials(),
			parameters: {},
		});
		const call = (token: string) => {
			const { ctx, sent } = webhookContext(base, {
				body: read as IDataObject,
				query: { token },
				parameters: { provider: toyClient.provider, token: 'toy-token', options: {} },
			});
			return trigger.webhook.call(ctx).then((answer) => ({ answer, sent }));
		};
		const refused = await call('wrong');
		expect(refused.sent.status).toBe(401);
		const { answer, sent } = await call('toy-token');
		expect(sent.status).toBe(200);
		const [item] = answer.workflowData![0];
		expect(item.json).toMatchObject({
			provider: 'toy',
			taskId,
			status: 'succeeded',
			confirmed: true,
		});
		expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe('a yellow toy');
		expect(toyCallback.authentication).toBe('token');
	});
});
