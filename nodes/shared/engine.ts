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
	/** The next read is one of those that narrow down the run's task length. */
	exploring?: boolean;
	/** Its reads so far only narrowed down the run's task length: its first read is still to plan. */
	learning?: boolean;
}

/** The first tasks created in a run are read on their own schedule; the others wait for what they show. */
const PROBES = 2;
/** Until a probe has finished, the other tasks are first read at most this many intervals after their first check. */
const PROBE_GRACE_INTERVALS = 2;
/** A run's task length is known well enough once it lies within this share of it (and 50 ms). */
const PRECISION_SHARE = 1 / 50;
const PRECISION_MIN_MS = 50;
/** Reads spent on learning a run's task length that find a task still running: this share of its tasks, at most so many. */
const LEARNING_SHARE = 1 / 20;
const LEARNING_MAX = 30;
/** A task not done at the length the run has shown is read again this soon (at least), once. */
const RECHECK_MIN_MS = 200;
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
 * others are not read before the run's reads have shown how long a task takes (then each is first
 * read once it is that old; see RunLength for the few reads that narrow it down), or at the
 * latest a few intervals after their own first check. So a run of many short tasks costs about
 * one status read per task, each read soon after its task is done.
 */
async function pollUntilDone(
	session: TaskSession,
	tracked: Tracked[],
	{ creating, changes }: { creating: () => boolean; changes: Changes },
	succeeded: (result: TaskResult) => void,
): Promise<void> {
	const length = new RunLength(() => tracked.length);
	const read = async (tasks: Tracked[]) => {
		await mapWithLimit(tasks, session.limits.pollConcurrency, async (task) => {
			const askedAt = session.clock.now();
			const firstRead = task.reads === 0;
			const exploring = task.exploring === true;
			task.exploring = false;
			const ranBefore = task.runningAge;
			const readsBefore = task.reads;
			await readOnce(session, task);
			// A read that failed keeps the delay readOnce planned (backing off, or Retry-After).
			const answered = task.reads > readsBefore;
			const { createdAt } = task.result;
			const age = createdAt === undefined ? undefined : askedAt - createdAt;
			task.learning =
				answered && exploring && (firstRead || task.learning === true) && isOpen(task);
			if (isOpen(task)) {
				// A read that failed says nothing of how far the task is.
				if (!answered || age === undefined) return;
				task.runningAge = age;
				length.seen(age, false, exploring, undefined, task.probe ? task.timing.intervalMs : 0);
				// Read only to learn: planned again with what the run now shows.
				if (task.learning) task.nextReadAt = askedAt;
				// Read when the run said it would be done, and not yet: once more soon, then as usual.
				else if (firstRead && !task.probe && length.recheck(age))
					task.nextReadAt = Math.min(task.nextReadAt, session.clock.now() + length.recheckMs());
				return;
			}
			if (task.result.status !== 'succeeded') return;
			if (age !== undefined) length.seen(age, true, exploring, ranBefore);
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
		// The probes first: what they show decides which of the others are worth a read now.
		const probes = open.filter((task) => task.probe && task.nextReadAt <= now);
		if (probes.length) await read(probes);
		const probesNext = tracked
			.filter((task) => task.probe && isOpen(task))
			.map((task) => task.nextReadAt);
		const probeNext = probesNext.length ? Math.min(...probesNext) : undefined;
		// Every task whose first read is still to come is planned again with what the run shows
		// now. While its task length is not known precisely, one task at the age that tells most
		// (the youngest past it) is read to narrow it down.
		let explorer: Tracked | undefined;
		const ready: Tracked[] = [];
		for (const task of open) {
			if (task.probe || !isOpen(task)) continue;
			if (now >= task.deadline) {
				ready.push(task);
				continue;
			}
			if (firstReadToPlan(task)) {
				const plan = firstReadAt(task, now, length, probeNext);
				task.nextReadAt = Math.min(plan.at, task.deadline);
				if (plan.explore && plan.at <= now) {
					if (!explorer || task.result.createdAt! > explorer.result.createdAt!) explorer = task;
					continue;
				}
			}
			if (task.nextReadAt <= now) ready.push(task);
		}
		// Its answer goes first: it may move the length every other task waits for.
		if (explorer) {
			explorer.exploring = true;
			await read([explorer]);
			continue;
		}
		if (ready.length) {
			await read(ready);
			continue;
		}
		if (probes.length) continue;
		const soonest = Math.min(...open.filter(isOpen).map((task) => task.nextReadAt));
		await session.pause(Math.max(session.pollGate.waitTime(), soonest - session.clock.now()));
	}
}

/** Whether a task's first read is still to plan: not read yet (and no read of it failed), or read only to learn. */
function firstReadToPlan(task: Tracked): boolean {
	if (task.learning) return true;
	return task.reads === 0 && task.transientErrors === 0 && task.throttledReads === 0;
}

/**
 * How long the tasks of a run take, as its reads show: the youngest age at which a task was seen
 * done, and the oldest age below that at which one was seen still running. While the two are far
 * apart, tasks read at chosen ages narrow them down — upwards in steps until a task is seen done,
 * then halving the gap — within a budget of such reads that find a task still running (1 in 20
 * of the run's tasks, at most 30; none for a run of a few tasks).
 */
class RunLength {
	/** The oldest age seen running, below `done`. */
	private running?: number;
	/** The youngest age seen done. */
	done?: number;
	/** The age at which a probe seen running is read again: where the run learns anyway. */
	private ceiling?: number;
	private wasted = 0;
	private rechecks = 0;

	constructor(private readonly taskCount: () => number) {}

	private get budget(): number {
		return Math.min(LEARNING_MAX, Math.floor(this.taskCount() * LEARNING_SHARE));
	}

	private get precision(): number {
		return Math.max(PRECISION_MIN_MS, (this.done ?? 0) * PRECISION_SHARE);
	}

	/**
	 * A read at `age` found the task done or still running (`ranBefore`: when it was last seen
	 * running; `probeIntervalMs`: a probe's, read again after that long).
	 */
	seen(
		age: number,
		done: boolean,
		exploring: boolean,
		ranBefore?: number,
		probeIntervalMs = 0,
	): void {
		if (!done) {
			if (exploring) this.wasted++;
			if (probeIntervalMs) this.ceiling = age + probeIntervalMs;
			if (this.done === undefined || age < this.done)
				this.running = Math.max(this.running ?? 0, age);
			return;
		}
		if (this.done !== undefined && age >= this.done) return;
		this.done = age;
		// Tasks differ: what was seen running above this age says nothing of the quickest ones.
		if (this.running !== undefined && this.running >= age)
			this.running = ranBefore !== undefined && ranBefore < age ? ranBefore : undefined;
	}

	/** Whether a task seen running at its first read, at `age`, is worth reading again soon. */
	recheck(age: number): boolean {
		if (this.done === undefined || age < this.done || this.rechecks >= this.budget) return false;
		this.rechecks++;
		return true;
	}

	recheckMs(): number {
		return Math.max(RECHECK_MIN_MS, 4 * this.precision);
	}

	/**
	 * The age at which a task not read yet is read first: `explore` when that read narrows the
	 * length down; none while nothing is known yet.
	 */
	firstRead(intervalMs: number): { age?: number; explore: boolean } {
		const exploring = this.wasted < this.budget;
		if (this.done !== undefined) {
			const gap = this.done - (this.running ?? 0);
			if (!exploring || this.running === undefined || gap <= this.precision)
				return { age: this.done + Math.min(gap, this.precision), explore: false };
			return { age: (this.running + this.done) / 2, explore: true };
		}
		if (this.running !== undefined && exploring) {
			const upper =
				this.ceiling !== undefined && this.ceiling > this.running
					? this.ceiling
					: this.running + intervalMs;
			return { age: (this.running + upper) / 2, explore: true };
		}
		return { explore: false };
	}
}

/**
 * When a task that is not a probe is worth its first read. Once the run's task length is known,
 * when the task is that old. While it is being narrowed down, a task at the age that tells most
 * may be read for that (`explore`: one at a time); a task already older than one seen done is
 * read now. Before anything is known, right after the next probe read; at once when no probe is
 * left to learn from; never later than two intervals after its own first check.
 */
function firstReadAt(
	task: Tracked,
	now: number,
	length: RunLength,
	probeNext: number | undefined,
): { at: number; explore?: boolean } {
	const { createdAt } = task.result;
	if (!firstReadToPlan(task) || createdAt === undefined) return { at: 0 };
	const { firstCheckMs, intervalMs } = task.timing;
	const latest = createdAt + firstCheckMs + PROBE_GRACE_INTERVALS * intervalMs;
	const plan = length.firstRead(intervalMs);
	if (plan.age === undefined) {
		if (probeNext === undefined) return { at: 0 };
		return { at: Math.min(probeNext, latest) };
	}
	if (plan.explore && !(length.done !== undefined && now - createdAt >= length.done)) {
		const at = createdAt + plan.age;
		return at > latest ? { at: latest } : { at, explore: true };
	}
	const at = createdAt + (plan.explore ? length.done! : plan.age);
	return { at: Math.min(at, latest) };
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
