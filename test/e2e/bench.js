'use strict';
// `npm run bench`: measures the Gen-API node inside a real n8n against the emulator.
//  1. node time for 1 item and for 20 items when every task takes 5 s (default poll settings);
//  2. HTTP requests per task;
//  3. a 429 burst: 20 items against a limit of 5 requests per second with Retry-After: 1.
// Run after `npm run build`. Prints a JSON summary.

const e2e = require('./n8n');
const { createEmulator } = require('../emulator/server');

const TASK_MS = Number(process.env.BENCH_TASK_MS ?? 5000);

function workflow(id, count, parameters = {}) {
	const example = e2e.loadExample('genapi-generate-images.json');
	example.id = id;
	example.name = `bench ${id}`;
	example.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput = JSON.stringify({
		prompt: Array.from({ length: count }, (_, n) => `bench prompt ${n + 1}`),
	});
	Object.assign(example.nodes.find((node) => node.name === 'Gen-API').parameters, parameters);
	return example;
}

async function measure(emulator, userFolder, id, count, parameters) {
	await e2e.importWorkflow(userFolder, workflow(id, count, parameters));
	const before = { ...emulator.stats.byRoute, throttled: emulator.stats.throttled, downloads: emulator.stats.downloads ?? 0 };
	const { execution } = await e2e.executeWorkflow(userFolder, id);
	const { items, executionTime } = e2e.nodeRun(execution, 'Gen-API');
	const delta = (route) => (emulator.stats.byRoute[route] ?? 0) - (before[route] ?? 0);
	const creates = delta('POST /api/v1/networks/z-image');
	const reads = delta('GET /api/v1/request/get/:id');
	return {
		items: count,
		outputItems: items.length,
		succeeded: items.filter((item) => item.json.status === 'succeeded' && item.binary?.data).length,
		nodeTimeMs: executionTime,
		createRequests: creates,
		readRequests: reads,
		requestsPerTask: +((creates + reads) / count).toFixed(2),
		answered429: emulator.stats.throttled - before.throttled,
		downloads: (emulator.stats.downloads ?? 0) - before.downloads,
	};
}

async function main() {
	e2e.ensureN8n();
	const emulator = createEmulator({ taskMs: TASK_MS });
	await emulator.start();
	const userFolder = e2e.createUserFolder(e2e.packPackage());
	await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator));

	const one = await measure(emulator, userFolder, 'BenchOneItem0001', 1);
	const twenty = await measure(emulator, userFolder, 'BenchTwenty00001', 20);
	emulator.config.rateLimit = { limit: 5, windowMs: 1000, retryAfterSec: 1 };
	const burst = await measure(emulator, userFolder, 'BenchBurst000001', 20);
	emulator.config.rateLimit = null;
	await emulator.stop();
	e2e.removeTemporary();

	const summary = {
		n8n: e2e.N8N_VERSION,
		taskMs: TASK_MS,
		oneItem: one,
		twentyItems: twenty,
		ratio20to1: +(twenty.nodeTimeMs / one.nodeTimeMs).toFixed(2),
		burst429: { limit: '5 requests / s, Retry-After: 1', ...burst },
	};
	process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
