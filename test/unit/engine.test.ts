/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run servers of their own; the rules are for the published nodes */
// The shared engine with nock: retries, Retry-After, the transient-error budget, deadlines.
import http from 'http';
import type { AddressInfo } from 'net';

import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { GenApiApi } from '../../credentials/GenApiApi.credentials';
import { runTasks } from '../../nodes/shared/engine';
import { TaskSession } from '../../nodes/shared/session';
import { ProviderError } from '../../nodes/shared/errors';
import type { PollTiming, ProviderCall, TaskProtocol } from '../../nodes/shared/types';
import { clock } from '../helpers/clock';
import { createHost } from '../helpers/host';

const BASE = 'http://provider.test';
const timing: PollTiming = { firstCheckMs: 50, intervalMs: 50, maxWaitMs: 5_000 };

const tasks: TaskProtocol = {
	client: { provider: 'fake', displayName: 'Fake', credentialType: 'genApiApi' },
	timing,
	limits: { transientErrorBudget: 3 },
	parseCreated: (response) => ({ taskId: String((response.body as IDataObject).id) }),
	getTaskCall: (taskId) => ({ method: 'GET', path: `/task/${taskId}` }),
	parseTask: (response) => {
		const body = response.body as IDataObject;
		return body.done
			? { status: 'succeeded', outputs: [{ url: 'https://files.test/a.png' }], raw: body }
			: { status: 'running', raw: body };
	},
};

function session(signal?: AbortSignal, baseUrl = BASE) {
	const { host } = createHost({
		credentialType: new GenApiApi(),
		credentials: { apiKey: 'k', baseUrl },
		signal,
	});
	return new TaskSession(host, tasks);
}

const createCall: ProviderCall = { method: 'POST', path: '/create', body: { prompt: 'x' } };
const create = (itemIndex = 0) => ({ itemIndex, call: createCall, timing });

beforeEach(() => nock.cleanAll());
afterEach(() => jest.restoreAllMocks());
afterAll(() => nock.restore());

describe('creating tasks', () => {
	it('waits for Retry-After after a 429 and then creates the task once', async () => {
		const scope = nock(BASE)
			.post('/create')
			.reply(429, { message: 'slow down' }, { 'Retry-After': '1' })
			.post('/create')
			.reply(200, { id: 'a' })
			.get('/task/a')
			.reply(200, { done: true });
		const s = session();
		const started = s.clock.now();
		const [result] = await runTasks(s, [create()], { wait: true });
		expect(result).toMatchObject({ taskId: 'a', status: 'succeeded' });
		expect(s.clock.now() - started).toBeGreaterThanOrEqual(1_000);
		expect(s.counters).toMatchObject({ creates: 2, throttled: 1 });
		expect(scope.isDone()).toBe(true);
	});

	it('sends a create again when the connection was refused (the provider never saw it)', async () => {
		// A real refused connection: the port is free at first, a server takes it during the backoff.
		let received = 0;
		const server = http.createServer((_req, res) => {
			received++;
			res.end(JSON.stringify({ id: 'b' }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		// Time stands still while the server starts listening, so no retry comes in between.
		clock.setTimer(
			() =>
				void clock.track(new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))),
			200,
		);
		nock.enableNetConnect('127.0.0.1');
		try {
			const s = session(undefined, `http://127.0.0.1:${port}`);
			const [result] = await runTasks(s, [create()], { wait: false });
			expect(result).toMatchObject({ taskId: 'b', status: 'queued' });
			// Refused tries were sent again until one got through; the provider saw exactly one.
			expect(s.counters.creates).toBeGreaterThanOrEqual(2);
			expect(received).toBe(1);
		} finally {
			server.close();
		}
	});

	it.each([
		[500, 'a server error'],
		[502, 'a gateway error'],
	])(
		'never sends a create again after %i (%s): the task may exist and be paid for',
		async (status) => {
			nock(BASE).post('/create').reply(status, { message: 'boom' });
			const s = session();
			const [result] = await runTasks(s, [create()], { wait: true });
			expect(result.status).toBe('failed');
			expect(result.error).toBeInstanceOf(ProviderError);
			expect((result.error as ProviderError).details.httpCode).toBe(status);
			expect(s.counters.creates).toBe(1);
		},
	);

	it('never sends a create again after a broken connection', async () => {
		let received = 0;
		const server = http.createServer((req) => {
			received++;
			req.socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		nock.enableNetConnect('127.0.0.1');
		try {
			const s = session(undefined, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
			const [result] = await runTasks(s, [create()], { wait: false });
			expect(result.status).toBe('failed');
			expect(result.error?.message).toMatch(/Could not reach Fake/);
			expect(received).toBe(1);
		} finally {
			server.close();
		}
	});
});

describe('polling', () => {
	it('retries 404 and 5xx reads within the budget', async () => {
		nock(BASE)
			.post('/create')
			.reply(200, { id: 'c' })
			.get('/task/c')
			.reply(404, { message: 'not found' })
			.get('/task/c')
			.reply(503, 'unavailable')
			.get('/task/c')
			.reply(200, { done: false })
			.get('/task/c')
			.reply(200, { done: true });
		const [result] = await runTasks(session(), [create()], { wait: true });
		expect(result.status).toBe('succeeded');
	});

	it('gives a task up when transient errors exceed the budget', async () => {
		nock(BASE)
			.post('/create')
			.reply(200, { id: 'd' })
			.get('/task/d')
			.times(4)
			.reply(500, { message: 'down' });
		const s = session();
		const [result] = await runTasks(s, [create()], { wait: true });
		expect(result.status).toBe('failed');
		expect(result.error?.message).toBe('down');
		expect(s.counters.reads).toBe(4);
	});

	it('does not retry a read the provider refused for good (401)', async () => {
		nock(BASE)
			.post('/create')
			.reply(200, { id: 'e' })
			.get('/task/e')
			.reply(401, { message: 'bad key' });
		const s = session();
		const [result] = await runTasks(s, [create()], { wait: true });
		expect(result.status).toBe('failed');
		expect(s.counters.reads).toBe(1);
	});

	it('pauses every read after a 429 for the Retry-After time', async () => {
		nock(BASE)
			.post('/create')
			.reply(200, { id: 'f' })
			.get('/task/f')
			.reply(429, {}, { 'Retry-After': '1' })
			.get('/task/f')
			.reply(200, { done: true });
		const s = session();
		const started = s.clock.now();
		const [result] = await runTasks(s, [create()], { wait: true });
		expect(result.status).toBe('succeeded');
		expect(s.clock.now() - started).toBeGreaterThanOrEqual(1_000);
	});

	it('reports "timeout" with the task ID at the deadline, after a last read', async () => {
		nock(BASE)
			.post('/create')
			.reply(200, { id: 'g' })
			.get('/task/g')
			.times(100)
			.reply(200, { done: false });
		const s = session();
		const started = s.clock.now();
		const [result] = await runTasks(s, [{ ...create(), timing: { ...timing, maxWaitMs: 400 } }], {
			wait: true,
		});
		expect(result).toMatchObject({ status: 'timeout', taskId: 'g' });
		expect(s.clock.now() - started).toBeGreaterThanOrEqual(400);
	});

	it('polls all tasks together: 10 tasks take about as long as one', async () => {
		// Without the random spread between reads every task keeps the same schedule, so a
		// difference in read counts can only come from how the loop serves the tasks.
		jest.spyOn(Math, 'random').mockReturnValue(0.5);
		let id = 0;
		const readyAt = new Map<string, number>();
		const reads: string[] = [];
		const firstRead: Record<string, number> = {};
		const s = session();
		nock(BASE)
			.post('/create')
			.times(10)
			.reply(200, () => {
				const taskId = String(++id);
				readyAt.set(taskId, s.clock.now() + 3_000);
				return { id: taskId };
			})
			.get(/\/task\/\d+/)
			.times(2000)
			.reply(200, (uri) => {
				const taskId = uri.split('/').pop()!;
				reads.push(taskId);
				firstRead[taskId] ??= s.clock.now();
				return { done: s.clock.now() >= readyAt.get(taskId)! };
			});
		const started = s.clock.now();
		const results = await runTasks(
			s,
			Array.from({ length: 10 }, (_, i) => create(i)),
			{ wait: true },
		);
		expect(results.map((r) => r.status)).toEqual(Array(10).fill('succeeded'));
		expect(results.map((r) => r.itemIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		// One loop reads every open task: after the two probes' first reads, the others' first reads
		// come together, not one task read until it is done while the others wait; no task is read
		// much more often than another.
		expect(new Set(reads.slice(0, 2)).size).toBe(2);
		const others = Object.entries(firstRead)
			.filter(([taskId]) => !reads.slice(0, 2).includes(taskId))
			.map(([, at]) => at);
		expect(others).toHaveLength(8);
		expect(Math.max(...others) - Math.min(...others)).toBeLessThanOrEqual(timing.intervalMs);
		const perTask = [...readyAt.keys()].map(
			(taskId) => reads.filter((read) => read === taskId).length,
		);
		expect(Math.max(...perTask) - Math.min(...perTask)).toBeLessThanOrEqual(3);
		expect(s.clock.now() - started).toBeLessThan(3_000 + 2 * timing.intervalMs);
	});

	/** `count` tasks that are done `doneMs` after their create (never, for the ids in `stuck`). */
	function tasksDoneAfter(
		s: ReturnType<typeof session>,
		count: number,
		doneMs: number,
		stuck = new Set<string>(),
	) {
		let id = 0;
		const readyAt = new Map<string, number>();
		const reads: Array<{ taskId: string; at: number }> = [];
		nock(BASE)
			.post('/create')
			.times(count)
			.reply(200, () => {
				const taskId = String(++id);
				readyAt.set(taskId, stuck.has(taskId) ? Infinity : s.clock.now() + doneMs);
				return { id: taskId };
			})
			.get(/\/task\/\d+/)
			.times(100_000)
			.reply(200, (uri) => {
				const taskId = uri.split('/').pop()!;
				reads.push({ taskId, at: s.clock.now() });
				return { done: s.clock.now() >= readyAt.get(taskId)! };
			});
		return { readyAt, reads };
	}

	it('reads a run of short tasks about once each: the first ones show how long they take', async () => {
		// 5 s tasks read after 3 s and every 3 s, as Gen-API's defaults, scaled down 20 times.
		const short: PollTiming = { firstCheckMs: 150, intervalMs: 150, maxWaitMs: 5_000 };
		const s = session();
		const { readyAt, reads } = tasksDoneAfter(s, 50, 250);
		const started = s.clock.now();
		const results = await runTasks(
			s,
			Array.from({ length: 50 }, (_, i) => ({ ...create(i), timing: short })),
			{ wait: true },
		);
		expect(results.every((r) => r.status === 'succeeded')).toBe(true);
		// Two probes read twice (running, then done); every other task once, when it is as old as
		// the first probe was when it was seen done.
		expect(reads.length).toBeLessThanOrEqual(50 + 2 + 2);
		// And no later than polling each task on its own would have seen it: after 2 intervals.
		for (const [taskId, at] of readyAt) {
			const seen = reads.find((read) => read.taskId === taskId && read.at >= at)!;
			expect(seen.at - at).toBeLessThanOrEqual(2 * short.intervalMs - 250 + 50);
		}
		expect(s.clock.now() - started).toBeLessThan(2 * short.intervalMs + 200);
	});

	/** Gen-API's default timing: first check after 3 s, then every 3 s. */
	const gen: PollTiming = { firstCheckMs: 3_000, intervalMs: 3_000, maxWaitMs: 60_000 };

	/**
	 * `count` creates, each answered after 50 ms of the clock with 10 in flight (so they spread over
	 * time, as in n8n), of tasks done 5 s later; the test adds its reads to the returned scope.
	 */
	function createsOverTime(s: ReturnType<typeof session>, count: number) {
		let id = 0;
		const readyAt = new Map<string, number>();
		const scope = nock(BASE)
			.post('/create')
			.times(count)
			.reply((_uri, _body, answer) => {
				void clock.holdWhile(50).then(() => {
					const taskId = String(++id);
					readyAt.set(taskId, s.clock.now() + 5_000);
					answer(null, [200, { id: taskId }]);
				});
			});
		return { scope, readyAt };
	}

	it('learns the task length of a run from its reads: 200 tasks created over time are each read once, right after they are done', async () => {
		// Gen-API's defaults (first check after 3 s, then every 3 s) and 5 s tasks; each create is
		// answered after 50 ms with 10 in flight, so the creates spread over a second, as 1 000 do
		// in n8n.
		jest.spyOn(Math, 'random').mockReturnValue(0.5);
		const s = session();
		const { scope, readyAt } = createsOverTime(s, 200);
		const reads: Array<{ taskId: string; at: number }> = [];
		scope
			.get(/\/task\/\d+/)
			.times(10_000)
			.reply(200, (uri) => {
				const taskId = uri.split('/').pop()!;
				reads.push({ taskId, at: s.clock.now() });
				return { done: s.clock.now() >= readyAt.get(taskId)! };
			});
		const results = await runTasks(
			s,
			Array.from({ length: 200 }, (_, i) => ({ ...create(i), timing: gen })),
			{ wait: true },
		);
		expect(results.every((r) => r.status === 'succeeded')).toBe(true);
		const lastCreatedAt = Math.max(...readyAt.values()) - 5_000;
		expect(lastCreatedAt - (Math.min(...readyAt.values()) - 5_000)).toBeGreaterThanOrEqual(950);
		// A read per task, and a few more to learn the length.
		expect(reads.length).toBeLessThanOrEqual(200 * 1.05);
		// Every task but the two probes (read on their own schedule) is seen done within 0.3 s of
		// being done, three in four within 0.15 s (those created after the first was seen done),
		// where learning from the probes alone saw every task 0.8-1 s after it was done.
		const lags = [...readyAt].map(([taskId, at]) => {
			const seen = reads.find((read) => read.taskId === taskId && read.at >= at)!;
			return seen.at - at;
		});
		const sorted = [...lags].sort((a, b) => a - b);
		expect(sorted[sorted.length - 3]).toBeLessThanOrEqual(300);
		expect(sorted[Math.floor(sorted.length * 0.75)]).toBeLessThanOrEqual(150);
		// And the last one too: the run ends right after its last task is done.
		const lastReadyAt = Math.max(...readyAt.values());
		expect(s.clock.now() - lastReadyAt).toBeLessThanOrEqual(150);
	});

	it('keeps backing off a task whose first read failed, while the run learns its task length', async () => {
		jest.spyOn(Math, 'random').mockReturnValue(0.5);
		const s = session();
		const { scope, readyAt } = createsOverTime(s, 60);
		const reads: Array<{ taskId: string; at: number; status: number }> = [];
		scope
			.get(/\/task\/\d+/)
			.times(10_000)
			.reply((uri) => {
				const taskId = uri.split('/').pop()!;
				// Every task's first read fails: the provider is having a moment.
				const status = reads.some((read) => read.taskId === taskId) ? 200 : 503;
				reads.push({ taskId, at: s.clock.now(), status });
				return [status, { done: s.clock.now() >= readyAt.get(taskId)! }];
			});
		const results = await runTasks(
			s,
			Array.from({ length: 60 }, (_, i) => ({ ...create(i), timing: gen })),
			{ wait: true },
		);
		expect(results.every((r) => r.status === 'succeeded')).toBe(true);
		for (const taskId of readyAt.keys()) {
			const own = reads.filter((read) => read.taskId === taskId);
			expect(own.length).toBeLessThanOrEqual(4);
			// After the failed read, the next one waits for the backoff (1 s), not the next round.
			expect(own[1].at - own[0].at).toBeGreaterThanOrEqual(500);
		}
	});

	it('does not let a stuck first task hold the others back for more than two intervals', async () => {
		const short: PollTiming = { firstCheckMs: 150, intervalMs: 150, maxWaitMs: 2_000 };
		const s = session();
		const { reads } = tasksDoneAfter(s, 6, 250, new Set(['1', '2']));
		const results = await runTasks(
			s,
			Array.from({ length: 6 }, (_, i) => ({ ...create(i), timing: short })),
			{ wait: true },
		);
		expect(results.map((r) => r.status)).toEqual([
			'timeout',
			'timeout',
			'succeeded',
			'succeeded',
			'succeeded',
			'succeeded',
		]);
		// The others are read at their latest first read (first check + 2 intervals), once.
		for (const taskId of ['3', '4', '5', '6']) {
			const own = reads.filter((read) => read.taskId === taskId);
			expect(own).toHaveLength(1);
		}
	});

	it('stops at once when the execution is cancelled', async () => {
		nock(BASE)
			.post('/create')
			.reply(200, { id: 'h' })
			.get('/task/h')
			.times(100_000)
			.reply(200, { done: false });
		const controller = new AbortController();
		let abortedAt = 0;
		clock.setTimer(() => {
			abortedAt = clock.now();
			controller.abort();
		}, 300);
		const job = { ...create(), timing: { ...timing, maxWaitMs: 3_600_000 } };
		await expect(runTasks(session(controller.signal), [job], { wait: true })).rejects.toThrow(
			/cancelled/,
		);
		// A wait is cut into short slices: the run ends within one slice (200 ms) of the stop.
		expect(clock.now() - abortedAt).toBeLessThanOrEqual(200);
	});
});
