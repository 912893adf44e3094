import { ProviderError } from './errors';
import { RETRY_BASE_MS, RETRY_CAP_MS } from './session';
import type { TaskSession } from './session';
import { isFinal } from './states';
import { mapWithLimit, nextPollDelay, retryDelay, throwIfCancelled } from './timing';
import type { Clock } from './timing';
import type { PollTiming, TaskJob, TaskResult } from './types';

interface Tracked {
	result: TaskResult;
	timing: PollTiming;
	deadline: number;
	nextReadAt: number;
	reads: number;
	transientErrors: number;
	throttledReads: number;
}

/**
 * Creates the tasks of all jobs that need one (bounded concurrency, per-provider rate limit),
 * then waits for every task in one loop. Results keep the order of `jobs`.
 * With `wait: false` it returns right after creating.
 */
export async function runTasks(
	session: TaskSession,
	jobs: readonly TaskJob[],
	{ wait }: { wait: boolean },
): Promise<TaskResult[]> {
	const { clock } = session;
	const startedAt = new Map<number, number>();
	const results = await mapWithLimit(jobs, session.limits.createConcurrency, async (job) => {
		startedAt.set(job.itemIndex, clock.now());
		if ('taskId' in job) {
			return { itemIndex: job.itemIndex, taskId: job.taskId, status: 'queued' } as TaskResult;
		}
		try {
			const created = await session.createTask(job.call, clock.now() + job.timing.maxWaitMs);
			const result: TaskResult = {
				itemIndex: job.itemIndex,
				taskId: created.taskId,
				status: created.state?.status ?? 'queued',
				state: created.state,
				createdAt: clock.now(),
			};
			return result;
		} catch (error) {
			throwIfCancelled(session.signal);
			return { itemIndex: job.itemIndex, status: 'failed', error: error as Error } as TaskResult;
		}
	});
	if (!wait) return results;

	const tracked: Tracked[] = [];
	jobs.forEach((job, index) => {
		const result = results[index];
		if (result.error || !result.taskId || (result.state && isFinal(result.state))) return;
		const now = clock.now();
		const createdAt = 'taskId' in job ? now : (startedAt.get(job.itemIndex) ?? now);
		tracked.push({
			result,
			timing: job.timing,
			deadline: createdAt + job.timing.maxWaitMs,
			// A task followed by id may be finished already: read it at once.
			nextReadAt: 'taskId' in job ? now : now + job.timing.firstCheckMs,
			reads: 0,
			transientErrors: 0,
			throttledReads: 0,
		});
	});
	await pollUntilDone(session, tracked);
	return results;
}

/** Polls every open task in one loop until each one is final, failed, or past its deadline. */
async function pollUntilDone(session: TaskSession, tracked: Tracked[]): Promise<void> {
	let open = tracked;
	while (open.length) {
		throwIfCancelled(session.signal);
		const now = session.clock.now();
		// The provider asked for a pause (429 Retry-After) that ends after a task's deadline: that
		// task cannot be read again in time, so it ends now as "timeout", with its task ID.
		const gateOpensAt = now + session.pollGate.waitTime(now);
		for (const task of open)
			if (gateOpensAt > now && gateOpensAt >= task.deadline) task.result.status = 'timeout';
		open = open.filter(
			(task) => task.result.status === 'queued' || task.result.status === 'running',
		);
		if (!open.length) break;
		const due = open.filter((task) => task.nextReadAt <= now);
		if (!due.length) {
			const soonest = Math.min(...open.map((task) => task.nextReadAt));
			await session.pause(Math.max(session.pollGate.waitTime(), soonest - now));
			continue;
		}
		await mapWithLimit(due, session.limits.pollConcurrency, async (task) =>
			readOnce(session, task),
		);
		open = open.filter(
			(task) => task.result.status === 'queued' || task.result.status === 'running',
		);
	}
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
