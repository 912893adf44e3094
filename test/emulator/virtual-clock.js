'use strict';
// Virtual time for the jest tests: the node under test, the provider emulator and the test itself
// wait on one clock whose time moves only when nothing else can happen — every request has been
// answered and read, every callback delivered — and then jumps to the next timer. A poll interval,
// a Retry-After of an hour or a 10-minute task cost no real time, and a busy machine changes
// nothing: a slow answer keeps time still until it has arrived, so it is never "late".
//
// What counts as "something can still happen" is real I/O that the harness marks: requests the
// test context sends (until their body is read), callbacks and handshakes the emulator sends, and
// the test's own requests. A server that holds a request open while it waits on this clock (the
// emulator's slow answers) says so with holdWhile(), so that wait does not freeze time.

/** Turns of the event loop with no I/O marked before time may move: lets promise chains settle. */
const IDLE_TURNS = 5;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

class VirtualClock {
	constructor(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
		this.time = start;
		this.timers = [];
		this.sequence = 0;
		this.inFlight = 0;
		this.holding = 0;
		this.running = false;
	}

	now() {
		return this.time;
	}

	/** Runs `fn` once `ms` of virtual time have passed; returns a handle with cancel(). */
	setTimer(fn, ms) {
		const timer = {
			at: this.time + Math.max(0, Number(ms) || 0),
			order: this.sequence++,
			fn,
			cancelled: false,
		};
		this.timers.push(timer);
		this.kick();
		return {
			cancel: () => {
				timer.cancelled = true;
			},
		};
	}

	sleep(ms) {
		return new Promise((resolve) => this.setTimer(resolve, ms));
	}

	/** A server's wait on this clock while it holds a request open: that request does not keep time still. */
	async holdWhile(ms) {
		this.holding++;
		this.kick();
		try {
			await this.sleep(ms);
		} finally {
			this.holding--;
		}
	}

	/** Marks real I/O in progress; time stands still until the returned function is called. */
	begin() {
		this.inFlight++;
		let ended = false;
		return () => {
			if (ended) return;
			ended = true;
			this.inFlight--;
			this.kick();
		};
	}

	/** Awaits real I/O (a promise) with time standing still meanwhile. */
	async track(promise) {
		const end = this.begin();
		try {
			return await promise;
		} finally {
			end();
		}
	}

	/** True while marked I/O is in progress that no clock wait stands in for. */
	busy() {
		return this.inFlight - this.holding > 0;
	}

	kick() {
		if (this.running || !this.timers.length) return;
		this.running = true;
		setImmediate(() => void this.run());
	}

	async run() {
		try {
			for (;;) {
				for (let turn = 0; turn < IDLE_TURNS; turn++) {
					await nextTurn();
					// I/O is under way: its end() starts this loop again.
					if (this.busy()) return;
				}
				this.timers = this.timers.filter((timer) => !timer.cancelled);
				if (!this.timers.length) return;
				this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
				const due = this.timers.shift();
				if (due.at > this.time) this.time = due.at;
				due.fn();
			}
		} finally {
			this.running = false;
			// A timer set while this loop was leaving, with nothing in flight.
			if (!this.busy()) this.kick();
		}
	}
}

module.exports = { VirtualClock };
