import { sleep } from 'n8n-workflow';

import { ProviderError } from './errors';

/**
 * Longest single sleep. Waits are cut into slices so that stopping the execution in n8n
 * ends a wait within this time (n8n 2.x has no `sleepWithAbort`).
 */
const SLICE_MS = 200;
/** How soon a full window is looked at again while the call that frees it is still in flight. */
const IN_FLIGHT_RECHECK_MS = 100;

export function cancelledError(): ProviderError {
	return new ProviderError('The execution was cancelled', 'task', { transient: false });
}

export function throwIfCancelled(signal?: AbortSignal): void {
	if (signal?.aborted) throw cancelledError();
}

/**
 * The time the engine waits by: every delay, deadline and rate window is read from the clock of
 * its host (host.ts), so tests can run the engine on a virtual clock.
 */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** Sleeps `ms`, returning early with an error when the execution is cancelled. */
export async function pause(
	ms: number,
	signal?: AbortSignal,
	clock: Clock = realClock,
): Promise<void> {
	const end = clock.now() + Math.max(0, ms);
	for (;;) {
		throwIfCancelled(signal);
		const left = end - clock.now();
		if (left <= 0) return;
		await clock.sleep(Math.min(left, SLICE_MS));
	}
}

/** ±`spread` random variation, so many tasks do not hit the provider in the same millisecond. */
export function jitter(ms: number, spread = 0.1): number {
	return Math.round(ms * (1 - spread + Math.random() * 2 * spread));
}

/** Exponential backoff with jitter for failed reads: 1, 2, 4, 8 … × base, capped. */
export function retryDelay(attempt: number, baseMs: number, capMs: number): number {
	const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/**
 * Delay before the next status read of a task that is still running: the set interval,
 * growing slowly (up to twice) for long tasks so they cost fewer requests.
 */
export function nextPollDelay(intervalMs: number, readsSoFar: number): number {
	const growth = Math.min(2, 1 + Math.max(0, readsSoFar - 3) * 0.1);
	return jitter(intervalMs * growth);
}

/**
 * Keeps calls under a per-minute limit and honours a provider-wide pause after a 429. Shared by
 * all tasks of one node run, because providers count requests per key.
 *
 * A provider counts a request when it arrives, which is some time after it was sent: a slot is
 * taken when a call goes out and dated when its answer is back (no later than the provider's
 * count), so the window never frees a slot before the provider's own window does, however slow
 * the network or the machine.
 */
export class RequestGate {
	/** The slots in the window: when each call was answered (Infinity while it is in flight). */
	private slots: Array<{ at: number }> = [];
	private pausedUntil = 0;

	constructor(
		private readonly perMinute?: number,
		private readonly windowMs = 60_000,
		private readonly clock: Clock = realClock,
	) {}

	/** Called on a 429: nothing is sent before `ms` has passed. */
	pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}

	/** Time in ms before a call may go out, 0 when it may go now. */
	waitTime(now = this.clock.now()): number {
		let wait = Math.max(0, this.pausedUntil - now);
		if (this.perMinute) {
			this.slots = this.slots.filter((slot) => slot.at > now - this.windowMs);
			if (this.slots.length >= this.perMinute) {
				// The slot whose leaving makes room: the (count - limit + 1)-th to leave the window.
				const times = this.slots.map((slot) => slot.at).sort((a, b) => a - b);
				const leaving = times[this.slots.length - this.perMinute];
				wait = Math.max(
					wait,
					Number.isFinite(leaving) ? leaving + this.windowMs - now : IN_FLIGHT_RECHECK_MS,
				);
			}
		}
		return wait;
	}

	/** Sends one call through the gate: waits for a slot, and dates the slot when `work` has ended. */
	async through<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
		const answered = await this.acquire(signal);
		try {
			return await work();
		} finally {
			answered();
		}
	}

	/** Waits for a free slot and takes it; calling what it returns marks the call answered. */
	async acquire(signal?: AbortSignal): Promise<() => void> {
		for (;;) {
			const wait = this.waitTime();
			if (wait <= 0) break;
			await pause(wait, signal, this.clock);
		}
		if (!this.perMinute) return () => undefined;
		const slot = { at: Number.POSITIVE_INFINITY };
		this.slots.push(slot);
		return () => {
			if (!Number.isFinite(slot.at)) slot.at = this.clock.now();
		};
	}
}

/** Runs `worker` over `items` with at most `limit` at once; results keep the order of `items`. */
export async function mapWithLimit<T, R>(
	items: readonly T[],
	limit: number,
	worker: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const run = limiter(Math.max(1, limit));
	return await Promise.all(
		items.map(async (item, index) => await run(async () => await worker(item, index))),
	);
}

/** At most `limit` of the works given to it run at once; the others wait their turn. */
export function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
	let running = 0;
	const waiting: Array<() => void> = [];
	return async <T>(work: () => Promise<T>): Promise<T> => {
		if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
		running++;
		try {
			return await work();
		} finally {
			running--;
			waiting.shift()?.();
		}
	};
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `work` and returns its outcome instead of throwing, so callers can decide what a failure means. */
export async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error };
	}
}
