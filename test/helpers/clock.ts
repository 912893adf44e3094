// The one clock of a test file: the node under test, the provider emulator and the test itself
// wait on it. Its time moves only when no request is in flight (test/emulator/virtual-clock.js),
// so results do not depend on how fast or busy the machine is.
import type { Clock } from '../../nodes/shared/timing';

export interface TestClock extends Clock {
	/** Runs `fn` after `ms` of this clock's time. */
	setTimer(fn: () => void, ms: number): { cancel(): void };
	/** A server's wait on this clock while it holds a request open (that request does not stop time). */
	holdWhile(ms: number): Promise<void>;
	/** Marks real I/O: time stands still until the returned function is called. */
	begin(): () => void;
	/** Awaits real I/O with time standing still meanwhile. */
	track<T>(promise: Promise<T>): Promise<T>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { VirtualClock } = require('../emulator/virtual-clock') as {
	VirtualClock: new (start?: number) => TestClock;
};

export const clock: TestClock = new VirtualClock();

/** A request of the test's own (to the emulator, a sink): time stands still until it is read. */
export async function testFetch(url: string | URL, init?: RequestInit): Promise<Response> {
	return await clock.track(
		(async () => {
			const response = await fetch(url, init);
			// The body is read now, while time stands still, and served from memory after.
			const body = await response.arrayBuffer();
			return new Response(body, {
				status: response.status,
				statusText: response.statusText,
				headers: response.headers,
			});
		})(),
	);
}
