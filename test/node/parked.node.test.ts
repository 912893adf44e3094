/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- tests run servers of their own and use fake keys; the rules are for the published nodes */
// "Wait Mode: Provider Callback" in detail: what the node parks, and what its webhook() does with
// each callback. The emulator calls a local server standing in for n8n's resume URL; each
// callback it receives is handed to the node's webhook() as n8n would. The e2e run does the same
// inside a real n8n (test/e2e/parked.js).
import http from 'http';

import type { IDataObject, INodeExecutionData, IWebhookResponseData } from 'n8n-workflow';

import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { GenApi } from '../../nodes/GenApi/GenApi.node';
import { clock } from '../helpers/clock';
import { createContext } from '../helpers/context';
import { webhookContext } from '../helpers/webhook';
import type { TestContext } from '../helpers/context';
import type { Emulator } from '../helpers/emulator';
import { createEmulator, readPngPrompt } from '../helpers/emulator';

const API_KEY = 'test-genapi-key-parked-tests-4d3c2b';
let emulator: Emulator;
/** Stands in for n8n's /webhook-waiting/… route: keeps what the provider posts. */
let resume: http.Server;
let resumeBase = '';
const received: Array<{ path: string; body: Buffer }> = [];
/** Requests that asked whether n8n answers at its resume URL. */
const reaches: string[] = [];
/** Statuses the resume route answers with next (then 200): n8n's 409 while the execution is still being saved. */
const resumeAnswers: number[] = [];

beforeAll(async () => {
	emulator = createEmulator({ keys: { genApi: API_KEY }, taskMs: 400 });
	await emulator.start();
	resume = http.createServer((req, res) => {
		const parts: Buffer[] = [];
		req.on('data', (part: Buffer) => parts.push(part));
		req.on('end', () => {
			const body = Buffer.concat(parts);
			// n8n's answer at the resume URL of an execution that is still running.
			if (body.toString().includes('"reach"')) {
				reaches.push(req.url ?? '');
				res.statusCode = 409;
				res.end('{"message":"The execution is running already."}');
				return;
			}
			received.push({ path: req.url ?? '', body });
			res.statusCode = resumeAnswers.shift() ?? 200;
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => resume.listen(0, '127.0.0.1', resolve));
	resumeBase = `http://127.0.0.1:${(resume.address() as { port: number }).port}`;
});
afterAll(async () => {
	await emulator.stop();
	await new Promise((resolve) => resume.close(resolve));
});

interface Parked {
	test: TestContext;
	output: INodeExecutionData[];
	stored: INodeExecutionData[];
	waitTill?: Date;
	executionId: string;
	callbackUrl: string;
}

let executions = 0;

async function park(
	prompts: string[],
	{
		options = {},
		continueOnFail = false,
		nodeType,
		waitMode = 'callback',
		resumeAt = resumeBase,
	}: {
		options?: IDataObject;
		continueOnFail?: boolean;
		nodeType?: string;
		waitMode?: string;
		resumeAt?: string;
	} = {},
): Promise<Parked> {
	const executionId = String(1000 + ++executions);
	const test = createContext({
		node: new GenApi(),
		credentialType: new GenApiApi(),
		credentials: { apiKey: API_KEY, baseUrl: `${emulator.url}/` },
		parameters: {
			resource: 'image',
			operation: 'generate',
			prompt: (i: number) => prompts[i],
			additionalFields: {},
			waitMode,
			options,
		},
		items: prompts.map((prompt) => ({ json: { prompt } })),
		continueOnFail,
	});
	const executeData = { data: { main: [[] as INodeExecutionData[]] } };
	let waitTill: Date | undefined;
	if (nodeType) test.ctx.getNode().type = nodeType;
	Object.assign(test.ctx, {
		getExecutionId: () => executionId,
		getExecuteData: () => executeData,
		evaluateExpression: (expression: string) => {
			if (expression.includes('$execution.resumeUrl'))
				return `${resumeAt}/webhook-waiting/${executionId}?signature=abc123`;
			throw new Error(`unexpected expression ${expression}`);
		},
		putExecutionToWait: async (date: Date) => {
			waitTill = date;
		},
	});
	const [output] = await new GenApi().execute.call(test.ctx);
	return {
		test,
		output,
		stored: executeData.data.main[0],
		waitTill,
		executionId,
		callbackUrl: `${resumeBase}/webhook-waiting/${executionId}/test-node?signature=abc123`,
	};
}

interface Answer {
	status: number;
	body: IDataObject;
	result: IWebhookResponseData;
}

/** Hands one callback body to the node's webhook() as n8n does for a waiting execution. */
async function callBack(
	parked: Parked,
	body: Buffer | IDataObject,
	{
		executionId = parked.executionId,
		waitMode = 'callback',
	}: { executionId?: string; waitMode?: string } = {},
): Promise<Answer> {
	const { ctx, sent } = webhookContext(parked.test, {
		...(Buffer.isBuffer(body) ? { raw: body } : { body }),
		query: { signature: 'abc123' },
		parameters: { options: {}, operation: 'generate', waitMode },
		executionId,
		evaluateExpression: (expression) => {
			if (expression.includes('$input.all()')) return parked.stored;
			if (expression.includes('$execution.resumeUrl'))
				return `${resumeBase}/webhook-waiting/${executionId}?signature=abc123`;
			throw new Error(`unexpected expression ${expression}`);
		},
	});
	const result = await new GenApi().webhook.call(ctx);
	return { status: sent.status ?? 0, body: sent.body ?? {}, result };
}

/** The callbacks the emulator sent for these tasks, once all have come. */
async function callbacksFor(parked: Parked, count: number) {
	const mine = () =>
		received.filter((entry) => entry.path.startsWith(`/webhook-waiting/${parked.executionId}/`));
	const deadline = clock.now() + 600_000;
	while (mine().length < count && clock.now() < deadline) await clock.sleep(100);
	return mine();
}

const reads = (parked: Parked) =>
	parked.test.requests.filter((request) => request.url.includes('/request/get/')).length;
const taskIds = (parked: Parked) => parked.stored.map((item) => String(item.json.taskId));

describe('Gen-API node: Wait Mode "Provider Callback"', () => {
	it('creates the tasks with the resume URL of this node and parks with "timeout" items, reading nothing', async () => {
		const before = clock.now();
		const parked = await park(['fox', 'lighthouse', 'ramen'], { options: { maxWait: 600 } });
		expect(parked.waitTill).toBeDefined();
		const waitMs = parked.waitTill!.getTime() - before;
		expect(waitMs).toBeGreaterThanOrEqual(599_000);
		expect(waitMs).toBeLessThanOrEqual(601_000 + 5_000);
		// What n8n keeps with the execution, and passes on unchanged if Max Wait comes first.
		expect(parked.stored).toHaveLength(3);
		expect(parked.output).toEqual(parked.stored);
		parked.stored.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ provider: 'genApi', status: 'timeout', outputs: [] });
			expect(item.binary).toBeUndefined();
			const task = emulator.stats.tasks[`genApi:${item.json.taskId}`] as unknown as {
				body: IDataObject;
			};
			expect(task.body.callback_url).toBe(parked.callbackUrl);
		});
		expect(reads(parked)).toBe(0);
	});

	it('resumes on the last callback with the files, one status read per task, in input order', async () => {
		const prompts = ['fox [ms:5000]', 'lighthouse [ms:5500]', 'ramen [ms:6000]'];
		const parked = await park(prompts);
		const callbacks = await callbacksFor(parked, 3);
		expect(callbacks).toHaveLength(3);
		const answers: Answer[] = [];
		for (const callback of callbacks) answers.push(await callBack(parked, callback.body));
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		expect(answers.map((answer) => answer.body)).toEqual(Array(3).fill({ received: true }));
		expect(answers[0].result.workflowData).toBeUndefined();
		expect(answers[1].result.workflowData).toBeUndefined();
		const items = answers[2].result.workflowData![0];
		expect(items).toHaveLength(3);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ provider: 'genApi', status: 'succeeded' });
			expect(item.json.taskId).toBe(parked.stored[index].json.taskId);
			expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(prompts[index]);
		});
		expect(reads(parked)).toBe(3);
		// Late and repeated: the execution has resumed; a callback again starts nothing twice.
		const again = await callBack(parked, callbacks[2].body);
		expect(again.result.workflowData).toBeUndefined();
	});

	it('a stray or forged callback changes nothing and fetches no link it names', async () => {
		const parked = await park(['slow fox [ms:60000]']);
		const [taskId] = taskIds(parked);
		const stray = await callBack(parked, { request_id: 987654, status: 'success' });
		expect(stray.status).toBe(200);
		expect(stray.body.ignored).toBe('not a task of this execution');
		const evil = `${emulator.url}/evil/forged.png`;
		const forged = await callBack(parked, {
			request_id: Number(taskId),
			status: 'success',
			result: [evil],
		});
		expect(forged.status).toBe(200);
		expect(forged.body).toEqual({ received: true });
		// The task was read: it is still running, so nothing resumes.
		expect(forged.result.workflowData).toBeUndefined();
		expect(emulator.stats.byRoute['GET /evil/forged.png'] ?? 0).toBe(0);
		const progress = await callBack(parked, { request_id: Number(taskId), status: 'processing' });
		expect(progress.body.ignored).toBe('progress');
		const notJson = await callBack(parked, Buffer.from('not json'));
		expect(notJson.status).toBe(400);
	});

	it('a confirming read that meets a 500 and the 404 the document calls temporary is tried again: the one callback resumes the run', async () => {
		const parked = await park(['fox [ms:5000]']);
		const [callback] = await callbacksFor(parked, 1);
		const [taskId] = taskIds(parked);
		emulator.config.faults = { read: ['500', '404', '404'] };
		let answer: Answer;
		try {
			answer = await callBack(parked, callback.body);
		} finally {
			emulator.config.faults = null;
		}
		expect(answer.status).toBe(200);
		expect(answer.result.workflowData![0][0].json).toMatchObject({ taskId, status: 'succeeded' });
		expect(reads(parked)).toBe(4);
	});

	it('never throws: when every confirming read fails, the run keeps waiting and a later callback resumes it', async () => {
		const parked = await park(['fox [ms:5000]']);
		const [callback] = await callbacksFor(parked, 1);
		emulator.config.faults = { read: Array(8).fill('503') };
		let answer: Answer;
		try {
			answer = await callBack(parked, callback.body);
		} finally {
			emulator.config.faults = null;
		}
		expect(answer.status).toBe(200);
		expect(answer.result.workflowData).toBeUndefined();
		expect(parked.test.logs.some((line) => /keeps waiting/.test(line))).toBe(true);
		const retried = await callBack(parked, callback.body);
		expect(retried.result.workflowData![0][0].json.status).toBe('succeeded');
	});

	it('a process that has not seen the execution (a restart) reads the other tasks once and resumes', async () => {
		const parked = await park(['fox [ms:5000]', 'lighthouse [ms:5000]']);
		const callbacks = await callbacksFor(parked, 2);
		// The first callback was lost with the old process: only the second one comes.
		const answer = await callBack(parked, callbacks[1].body, { executionId: 'after-restart' });
		expect(answer.result.workflowData![0].map((item) => item.json.status)).toEqual([
			'succeeded',
			'succeeded',
		]);
		expect(reads(parked)).toBe(2);
	});

	it('a failed task comes out as an item with the provider message (a resumed run cannot stop)', async () => {
		const parked = await park(['nsfw [fail] [ms:5000]', 'fox [ms:5000]']);
		const callbacks = await callbacksFor(parked, 2);
		let last: Answer | undefined;
		for (const callback of callbacks) last = await callBack(parked, callback.body);
		const items = last!.result.workflowData![0];
		expect(items.map((item) => item.json.status)).toEqual(['failed', 'succeeded']);
		expect(items[0].json.error).toMatch(/NSFW content detected/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('a create that fails stops the node before parking, naming the tasks of the other items', async () => {
		await expect(park(['fox [ms:60000]', 'broken [createfail:400]'])).rejects.toMatchObject({
			description: expect.stringMatching(/Tasks of the other items: \d+/),
		});
		const parked = await park(['fox [ms:60000]', 'broken [createfail:400]'], {
			continueOnFail: true,
		});
		expect(parked.stored.map((item) => item.json.status)).toEqual(['timeout', 'failed']);
		expect(parked.waitTill).toBeDefined();
	});

	it('as an AI Agent tool the node polls: the agent waits for its answer', async () => {
		const parked = await park(['fox [ms:5000]'], { nodeType: 'n8n-nodes-genmedia.genApiTool' });
		expect(parked.waitTill).toBeUndefined();
		expect(parked.output[0].json.status).toBe('succeeded');
		expect(parked.output[0].json.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
	});
});

describe('Gen-API node: Wait Mode "Poll in the Background"', () => {
	/** The checks posted to this execution's resume URL so far. */
	const checksOf = (executionId: string) =>
		received.filter((entry) => entry.path.startsWith(`/webhook-waiting/${executionId}/`));

	/**
	 * Plays n8n's part: every check posted to the resume URL is handed to the node's webhook() in
	 * the webhook process (here `executionId`, unknown to the process that parked), until one
	 * resumes the execution.
	 */
	async function followChecks(parked: Parked, executionId: string) {
		let handed = 0;
		const answers: Answer[] = [];
		const deadline = clock.now() + 600_000;
		for (;;) {
			while (checksOf(executionId).length <= handed && clock.now() < deadline)
				await clock.sleep(50);
			if (clock.now() >= deadline) throw new Error(`no check after ${answers.length}`);
			const check = checksOf(executionId)[handed++];
			const answer = await callBack(parked, check.body, { executionId, waitMode: 'background' });
			answers.push(answer);
			if (answer.result.workflowData) return answers;
		}
	}

	it('parks with no callback URL, hands the tasks over with one check, and the webhook side resumes with the files, about one read per task', async () => {
		const prompts = ['fox [ms:5000]', 'lighthouse [ms:5500]', 'ramen [ms:6000]'];
		const parked = await park(prompts, { waitMode: 'background' });
		expect(parked.waitTill).toBeDefined();
		expect(parked.stored.map((item) => item.json.status)).toEqual(Array(3).fill('timeout'));
		for (const item of parked.stored) {
			const task = emulator.stats.tasks[`genApi:${item.json.taskId}`] as unknown as {
				body: IDataObject;
			};
			expect(task.body.callback_url).toBeUndefined();
		}
		// The process that parked sends one check and reads nothing itself.
		while (!checksOf(parked.executionId).length) await clock.sleep(50);
		expect(checksOf(parked.executionId)[0].path).toBe(
			`/webhook-waiting/${parked.executionId}/test-node?signature=abc123`,
		);
		expect(reads(parked)).toBe(0);

		// The webhook process takes the check over (it has not seen the execution).
		const [first] = checksOf(parked.executionId);
		const webhookSide = `${parked.executionId}-webhook-process`;
		const firstAnswer = await callBack(parked, first.body, {
			executionId: webhookSide,
			waitMode: 'background',
		});
		expect(firstAnswer.body).toEqual({ received: true, check: 'planned' });
		const answers = [firstAnswer, ...(await followChecks(parked, webhookSide))];
		const items = answers.at(-1)!.result.workflowData![0];
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ provider: 'genApi', status: 'succeeded' });
			expect(item.json.taskId).toBe(parked.stored[index].json.taskId);
			expect(readPngPrompt(Buffer.from(item.binary!.data.data, 'base64'))).toBe(prompts[index]);
		});
		// The first waiting task is read on schedule; the others once it is done.
		const perTask = reads(parked) / 3;
		expect(perTask).toBeGreaterThanOrEqual(1);
		expect(perTask).toBeLessThanOrEqual(2);
		for (const item of items)
			expect(
				(emulator.stats.tasks[`genApi:${item.json.taskId}`] as unknown as { creates: number })
					.creates,
			).toBe(1);
	});

	it('while the first task runs, the others are read every few checks, and not again once they are done', async () => {
		const parked = await park(['slow fox [ms:45000]', 'quick fox [ms:3000]'], {
			waitMode: 'background',
		});
		const webhookSide = `${parked.executionId}-slow-first`;
		await callBack(parked, Buffer.from('{}'), { executionId: webhookSide, waitMode: 'background' });
		const answers = await followChecks(parked, webhookSide);
		const items = answers.at(-1)!.result.workflowData![0];
		expect(items.map((item) => item.json.status)).toEqual(['succeeded', 'succeeded']);
		const readsOf = (index: number) =>
			(
				emulator.stats.tasks[`genApi:${parked.stored[index].json.taskId}`] as unknown as {
					reads: number;
				}
			).reads;
		// The slow one at every check; the quick one at the fourth, found done, then left alone.
		expect(readsOf(0)).toBeGreaterThanOrEqual(8);
		expect(readsOf(1)).toBe(1);
	});

	it('asks n8n at its resume URL first; where n8n does not answer there, it polls in the execution and says why', async () => {
		const before = reaches.length;
		const parked = await park(['fox [ms:5000]'], { waitMode: 'background' });
		expect(reaches.slice(before)).toEqual([
			`/webhook-waiting/${parked.executionId}/test-node?signature=abc123`,
		]);
		expect(parked.waitTill).toBeDefined();

		// A WEBHOOK_URL n8n cannot reach from itself: nothing answers there.
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const nowhere = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
		await new Promise((resolve) => closed.close(resolve));
		const polled = await park(['lighthouse [ms:5000]'], {
			waitMode: 'background',
			resumeAt: nowhere,
		});
		expect(polled.waitTill).toBeUndefined();
		expect(polled.output[0].json.status).toBe('succeeded');
		expect(polled.output[0].binary?.data.mimeType).toBe('image/png');
		expect(
			polled.test.logs.some((line) =>
				line.includes(
					`n8n does not answer at this execution's resume URL (${nowhere}), so the tasks are polled in the execution`,
				),
			),
		).toBe(true);
		expect(polled.test.logs.join('\n')).not.toContain('signature=');
	});

	it('a check sent before the tasks are due, or many at once, reads nothing and plans one check', async () => {
		const parked = await park(['slow fox [ms:60000]'], { waitMode: 'background' });
		const webhookSide = `${parked.executionId}-flood`;
		const body = Buffer.from('{"check":"tasks"}');
		const answers = await Promise.all(
			Array.from(
				{ length: 20 },
				async () =>
					await callBack(parked, body, { executionId: webhookSide, waitMode: 'background' }),
			),
		);
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		expect(answers.every((answer) => answer.body.check === 'planned')).toBe(true);
		expect(reads(parked)).toBe(0);
		// One planned check comes, not twenty.
		const before = checksOf(webhookSide).length;
		await clock.sleep(15_000);
		expect(checksOf(webhookSide).length - before).toBe(1);
	});

	it('the first check is sent again while n8n answers 409 (the execution is still being saved as waiting)', async () => {
		resumeAnswers.push(409, 409, 409);
		const parked = await park(['fox [ms:5000]'], { waitMode: 'background' });
		const deadline = clock.now() + 30_000;
		while (checksOf(parked.executionId).length < 4 && clock.now() < deadline) await clock.sleep(50);
		expect(checksOf(parked.executionId)).toHaveLength(4);
		await clock.sleep(5_000);
		expect(checksOf(parked.executionId)).toHaveLength(4);
	});

	it('reads that fail for a while (500, 429) keep the task waiting; a later check resumes the run', async () => {
		const parked = await park(['fox [ms:5000]'], { waitMode: 'background' });
		const webhookSide = `${parked.executionId}-faults`;
		emulator.config.faults = { read: ['500', '429', '503'] };
		let answers: Answer[];
		try {
			await callBack(parked, Buffer.from('{}'), {
				executionId: webhookSide,
				waitMode: 'background',
			});
			answers = await followChecks(parked, webhookSide);
		} finally {
			emulator.config.faults = null;
		}
		expect(answers.at(-1)!.result.workflowData![0][0].json.status).toBe('succeeded');
	});
});
