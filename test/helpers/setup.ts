// Every test file runs the engine on its virtual clock (clock.ts): the clock n8n's hosts give the
// engine (nodes/shared/host.ts) is the real one, and here it is this file's.
jest.mock('../../nodes/shared/timing', () => {
	const actual = jest.requireActual('../../nodes/shared/timing');
	const { clock } = jest.requireActual('./clock');
	return { ...actual, realClock: clock };
});
