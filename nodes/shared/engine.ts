import { ProviderError } from './errors';
import { RETRY_BASE_MS, RETRY_CAP_MS } from './session';
import type { TaskSession } from './session';
import { isFinal } from './states';
import { mapWithLimit, nextPollDelay, retryDelay, settle, throwIfCancelled } from './timing';
import type { Clock } from './timing';
import type { PollTiming, TaskJob, TaskResult } from './types';

interface Tracked {
	result: TaskResult;
	timing: PollTiming;
	deadline: number;
	nextReadAt: number;
	/** One of the first tasks of the run: read on schedule, the others learn from it. */
	probe: boolean;
	/** How old the task was when a read last found it still running. */
	runningAge?: number;
	reads: number;
	transientErrors: number;
	throttledReads: number;
}

/** The first tasks created in a run are read on their own schedule; the others wait for what they show. */
const PROBES = 2;
/** Until a probe has finished, the other tasks are first read at most this many intervals after their first check. */
const PROBE_GRACE_INTERVALS = 2;
/** Wakes the poll loop when a task joins or the last create has been answered. */
class Changes {
	private waiting: Array<() => void> = [];

	notify(): void {
		const waiting = this.waiting;
		this.waiting = [];
		for (const wake of waiting) wake();
	}

	async next(): Promise<void> {
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}
}

export interface RunOptions {
	/** Whether to wait for the tasks (false: return right after creating). */
	wait: boolean;
	/** Called once for every task that has succeeded, as soon as that is known (to fetch its files meanwhile). */
	onSucceeded?: (result: TaskResult) => void;
	/** Called once every create has been answered, with the results so far (while they are followed). */
	onCreated?: (results: TaskResult[]) => void;
}

/**
 * Creates the tasks of all jobs that need one (bounded concurrency, per-provider rate limit) and
 * follows every task in one poll loop, which starts with the first create: a task is read while
 * later ones are still being created. Results keep the order of `jobs`.
 */
export async function runTasks(
	session: TaskSession,
	jobs: readonly TaskJob[],
	{ wait, onSucceeded, onCreated }: RunOptions,
): Promise<TaskResult[]> {
	const { clock } = session;
	const tracked: Tracked[] = [];
	let probes = 0;
	let creating = true;
	const changes = new Changes();
	const succeeded = (result: TaskResult) => {
		if (result.status === 'succeeded') onSucceeded?.(result);
	};
	const follow = (job: TaskJob, result: TaskResult, startedAt: number) => {
		if (!wait || result.error || !result.taskId) return;
		if (result.state && isFinal(result.state)) return succeeded(result);
		const now = clock.now();
		const created = result.createdAt !== undefined;
		const probe = created && probes < PROBES;
		if (probe) probes++;
		tracked.push({
			result,
			timing: job.timing,
			deadline: (created ? startedAt : now) + job.timing.maxWaitMs,
			// A task followed by id may be finished already: read it at once.
			nextReadAt: created ? now + job.timing.firstCheckMs : now,
			probe,
			reads: 0,
			transientErrors: 0,
			throttledReads: 0,
		});
		changes.notify();
	};
	const polling = wait
		? settle(
				async () =>
					await pollUntilDone(session, tracked, { creating: () => creating, changes }, succeeded),
			)
		: undefined;
	const creates = await settle(
		async () =>
			await mapWithLimit(jobs, session.limits.createConcurrency, async (job) => {
				const startedAt = clock.now();
				let result: TaskResult;
				if ('taskId' in job) {
					result = { itemIndex: job.itemIndex, taskId: job.taskId, status: 'queued' };
				} else {
					try {
						const created = await session.createTask(job.call, startedAt + job.timing.maxWaitMs);
						result = {
							itemIndex: job.itemIndex,
							taskId: created.taskId,
							status: created.state?.status ?? 'queued',
							state: created.state,
							createdAt: clock.now(),
						};
					} catch (error) {
						throwIfCancelled(session.signal);
						result = { itemIndex: job.itemIndex, status: 'failed', error: error as Error };
					}
				}
				follow(job, result, startedAt);
				return result;
			}),
	);
	creating = false;
	changes.notify();
	if (creates.ok) onCreated?.(creates.value);
	const polled = await polling;
	if (!creates.ok) throw creates.error;
	if (polled && !polled.ok) throw polled.error;
	return creates.value;
}

const isOpen = (task: Tracked) =>
	task.result.status === 'queued' || task.result.status === 'running';

/**
 * Polls every open task in one loop until each one is final, failed, or past its deadline, while
 * `creating()` says more tasks may come.
 *
 * Tasks of one run are alike: the first ones created (the probes) are read on schedule, and the
 * others are not read before a probe has shown how long a task takes (then each is first read
 * once it is that old), or at the latest a few intervals after their own first check. So a run
 * of many short tasks costs about one status read per task.
 */
async function pollUntilDone(
	session: TaskSession,
	tracked: Tracked[],
	{ creating, changes }: { creating: () => boolean; changes: Changes },
	succeeded: (result: TaskResult) => void,
): Promise<void> {
	/** How long a task of this run took: the quickest one seen succeeded, between two of its reads. */
	let learned: Learned | undefined;
	const read = async (tasks: Tracked[]) => {
		await mapWithLimit(tasks, session.limits.pollConcurrency, async (task) => {
			const askedAt = session.clock.now();
			await readOnce(session, task);
			const { createdAt } = task.result;
			const age = createdAt === undefined ? undefined : askedAt - createdAt;
			if (isOpen(task)) task.runningAge = age;
			if (task.result.status !== 'succeeded') return;
			if (age !== undefined && (!learned || age < learned.doneAge))
				learned = { doneAge: age, runningAge: task.runningAge ?? 0 };
			succeeded(task.result);
		});
	};
	for (;;) {
		throwIfCancelled(session.signal);
		const now = session.clock.now();
		let open = tracked.filter(isOpen);
		// The provider asked for a pause (429 Retry-After) that ends after a task's deadline: that
		// task cannot be read again in time, so it ends now as "timeout", with its task ID.
		const gateOpensAt = now + session.pollGate.waitTime(now);
		for (const task of open)
			if (gateOpensAt > now && gateOpensAt >= task.deadline) task.result.status = 'timeout';
		open = open.filter(isOpen);
		if (!open.length) {
			if (!creating()) return;
			// Nothing to read until the next create has been answered.
			await changes.next();
			continue;
		}
		const due = open.filter((task) => task.nextReadAt <= now);
		if (!due.length) {
			const soonest = Math.min(...open.map((task) => task.nextReadAt));
			await session.pause(Math.max(session.pollGate.waitTime(), soonest - now));
			continue;
		}
		// The probes first: what they show decides which of the others are worth a read now.
		await read(due.filter((task) => task.probe));
		const later = due.filter((task) => !task.probe && isOpen(task));
		const probesNext = tracked
			.filter((task) => task.probe && isOpen(task))
			.map((task) => task.nextReadAt);
		const probeNext = probesNext.length ? Math.min(...probesNext) : undefined;
		const ready = later.filter((task) => {
			const waitUntil = firstReadAt(task, now, learned, probeNext);
			if (waitUntil <= now || now >= task.deadline) return true;
			task.nextReadAt = Math.min(waitUntil, task.deadline);
			return false;
		});
		await read(ready);
	}
}

/** A task of the run seen succeeded: it was still running at `runningAge` and done at `doneAge`. */
interface Learned {
	runningAge: number;
	doneAge: number;
}

/**
 * When a task that is not a probe is worth its first read. Once a task of the run has been seen
 * done, a task about as old as that one's length (at least halfway between its last running read
 * and its done read) is read now, the others once they are as old as it was when seen done. Before
 * that, right after the next probe read; at once when no probe is left to learn from; never later
 * than two intervals after its own first check.
 */
function firstReadAt(
	task: Tracked,
	now: number,
	learned: Learned | undefined,
	probeNext: number | undefined,
): number {
	const { createdAt } = task.result;
	if (task.reads > 0 || createdAt === undefined) return 0;
	const { firstCheckMs, intervalMs } = task.timing;
	const latest = createdAt + firstCheckMs + PROBE_GRACE_INTERVALS * intervalMs;
	if (learned) {
		if (now - createdAt >= (learned.runningAge + learned.doneAge) / 2) return 0;
		return Math.min(createdAt + learned.doneAge, latest);
	}
	if (probeNext === undefined) return 0;
	return Math.min(probeNext, latest);
}

async function readOnce(session: TaskSession, task: Tracked): Promise<void> {
	const { result, timing } = task;
	const taskId = result.taskId!;
	try {
		const state = await session.readTask(taskId, task.deadline);
		task.reads++;
		task.transientErrors = 0;
		result.state = state;
		result.status = state.status;
		if (isFinal(state)) return;
		scheduleNext(task, nextPollDelay(timing.intervalMs, task.reads), session.clock);
	} catch (error) {
		throwIfCancelled(session.signal);
		if (!(error instanceof ProviderError) || !error.details.transient) {
			result.status = 'failed';
			result.error = error as Error;
			return;
		}
		session.counters.retried++;
		if (error.details.httpCode === 429) {
			// Throttling is the provider asking us to slow down, not a broken task: it does not use the budget.
			task.throttledReads++;
			scheduleNext(
				task,
				error.details.retryAfterMs ?? retryDelay(task.throttledReads, RETRY_BASE_MS, RETRY_CAP_MS),
				session.clock,
			);
			return;
		}
		task.transientErrors++;
		const notFound = error.details.notFoundYet === true;
		const budget = notFound ? session.limits.notFoundBudget : session.limits.transientErrorBudget;
		if (task.transientErrors > budget) {
			session.debug(
				`task ${taskId}: ${error.message}; given up after ${task.transientErrors} failed reads in a row`,
			);
			result.status = 'failed';
			result.error = error;
			return;
		}
		session.debug(`task ${taskId}: ${error.message}; reading it again later`);
		// "Not there yet" is read again at the poll interval; other failures back off.
		const delay = notFound
			? timing.intervalMs
			: retryDelay(task.transientErrors, RETRY_BASE_MS, RETRY_CAP_MS);
		scheduleNext(task, error.details.retryAfterMs ?? delay, session.clock);
	}
}

/** Plans the next read, never later than the deadline: the last read happens at the deadline. */
function scheduleNext(task: Tracked, delayMs: number, clock: Clock): void {
	const now = clock.now();
	if (now >= task.deadline) {
		task.result.status = 'timeout';
		return;
	}
	task.nextReadAt = Math.min(now + delayMs, task.deadline);
}
