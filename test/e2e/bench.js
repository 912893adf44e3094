'use strict';
// `npm run bench`: measures the package inside a real n8n against the provider emulator, prints a
// table and writes it as JSON (BENCH_OUT, default bench-results.json). Every figure is a ratio or
// a difference taken in the same run, so the machine's speed cancels out.
//   P1  node time, 1 item vs 200 and 1 000 items, tasks of 5 s, default poll settings, filesystem
//       binary mode: time ratios (goals ≤ 1.10 and ≤ 1.25), requests per task (≤ 3.2), every file
//       stored, n8n's peak RSS and its heap after GC at the end of the run (growth ≤ 150 MB)
//   P2  HTTP requests per task (create + status reads + file download), poll interval 1 s
//   P3  peak RSS growth of the n8n process while a 500 MB video becomes binary data, filesystem
//       mode, against the same workflow with the download off (goal ≤ 64 MB)
//   P4  delay from the emulator marking a task done to the node finishing (polling), and to the
//       receiving workflow of the AI Media Trigger finishing (callback)
//   P5  time the package adds to `n8n start` (until the REST API answers, node types loaded)
//   P6  "Wait Mode: Provider Callback": requests per task, status reads while parked, the last
//       callback → next node delay, n8n's memory for 100 parked executions of 5 tasks, and a
//       restart of n8n with all of them parked
//   Q   queue mode: items per second of 10 runs × 10 Gen-API items with 2 workers (Redis,
//       PostgreSQL, a webhook process) against one regular n8n, same tasks
//   N   Nalitek: 25 prompts through Image → Generate at its documented 10 a minute, in a fresh
//       window: time and refused creates (goals ≤ 130 s, ≤ 3); BENCH_BUSY=1 keeps both cores busy
//       meanwhile (and during P1)
// Also: 20 items against a 429 limit of 5 requests/s. Run after `npm run build`.
// N8N_E2E_VERSION picks the n8n (1.123.81 on Node 22 by default, 2.41.1 on Node 24); BENCH_ONLY=P1,P3 runs a part;
// BENCH_VIDEO_MB sets P3's video size; BENCH_N8N_NODE_OPTIONS passes Node options to n8n in P1 and P3.

const fs = require('fs');
const path = require('path');

const e2e = require('./n8n');
const { createEmulator } = require('../emulator/server');
const parked = require('./parked');
const queue = require('./queue');

const TASK_MS = Number(process.env.BENCH_TASK_MS ?? 5000);
const VIDEO_MB = Number(process.env.BENCH_VIDEO_MB ?? 500);
const ONLY = new Set(
	(process.env.BENCH_ONLY ?? 'P1,N,P2,P3,P4,P5,P6,Q,burst').split(',').map((part) => part.trim()),
);
const OUT = path.resolve(e2e.ROOT, process.env.BENCH_OUT ?? 'bench-results.json');
const CALLBACK_TOKEN = 'bench-callback-token-7a2c';

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
/** The median, 90th percentile and largest of a list of numbers (rounded). */
const percentiles = (list) => {
	const sorted = [...list].sort((a, b) => a - b);
	const at = (share) =>
		Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]);
	return { p50: at(0.5), p90: at(0.9), max: Math.round(sorted[sorted.length - 1]) };
};

function genApiWorkflow(id, prompts, options = {}, additionalFields) {
	const workflow = e2e.loadExample('genapi-generate-images.json');
	workflow.id = id;
	workflow.name = `bench ${id}`;
	workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput = JSON.stringify({
		prompt: prompts,
	});
	const node = workflow.nodes.find((n) => n.name === 'Gen-API');
	node.parameters.options = options;
	if (additionalFields) node.parameters.additionalFields = additionalFields;
	return workflow;
}

/** Runs `count` Gen-API items in n8n; returns node time, request counts and the delay after the last task was done. */
async function runGenApi(emulator, userFolder, id, count, options, { env, additionalFields } = {}) {
	const prompts = Array.from({ length: count }, (_, n) => `${id} prompt ${n + 1}`);
	await e2e.importWorkflow(userFolder, genApiWorkflow(id, prompts, options, additionalFields));
	const before = {
		...emulator.stats.byRoute,
		throttled: emulator.stats.throttled,
		downloads: emulator.stats.downloads ?? 0,
	};
	const { execution } = await e2e.executeWorkflow(userFolder, id, env);
	const { items, executionTime, startTime } = e2e.nodeRun(execution, 'Gen-API');
	const delta = (route) => (emulator.stats.byRoute[route] ?? 0) - (before[route] ?? 0);
	const tasks = items
		.map((item) => emulator.stats.tasks[`genApi:${item.json.taskId}`])
		.filter(Boolean);
	const lastDone = Math.max(...tasks.map((task) => task.doneAt));
	// Where the node's time went, from its start: the creates as the emulator saw them arrive, the
	// last task done, the last status read.
	const since = (at) => Math.round(at - startTime);
	const timeline = {
		firstCreateMs: since(Math.min(...tasks.map((task) => task.first_creates))),
		lastCreateMs: since(Math.max(...tasks.map((task) => task.first_creates))),
		lastDoneMs: since(lastDone),
		lastReadMs: since(Math.max(...tasks.map((task) => task.last_reads ?? 0))),
		lastDownloadMs: since(emulator.stats.lastDownloadAt ?? 0),
		// How long after it was done each task was seen done (its last read), and how many were read more than once.
		seenDoneMs: percentiles(tasks.map((task) => (task.last_reads ?? task.doneAt) - task.doneAt)),
		readTwice: tasks.filter((task) => task.reads > 1).length,
		endMs: executionTime,
	};
	const creates = delta('POST /api/v1/networks/z-image');
	const reads = delta('GET /api/v1/request/get/:id');
	const downloads = (emulator.stats.downloads ?? 0) - before.downloads;
	return {
		items: count,
		succeeded: items.filter((item) => item.json.status === 'succeeded' && item.binary?.data).length,
		// Files in n8n's filesystem store: an id there and a size (n8n writes it as text, "1.2 kB").
		stored: items.filter(
			(item) =>
				/^filesystem/.test(item.binary?.data?.id ?? '') && Boolean(item.binary.data.fileSize),
		).length,
		nodeTimeMs: executionTime,
		creates,
		reads,
		downloads,
		requestsPerTask: +((creates + reads + downloads) / count).toFixed(2),
		answered429: emulator.stats.throttled - before.throttled,
		delayAfterLastDoneMs: startTime + executionTime - lastDone,
		timeline,
	};
}

/**
 * P1: `count` Gen-API items at the default poll settings, filesystem binary mode, small pictures
 * (the emulator draws each one: 128×128 keeps its work out of the figures), with n8n's peak RSS
 * and its live heap after two full garbage collections once the run has ended.
 */
async function runScale(emulator, userFolder, id, count) {
	const file = path.join(userFolder, `memory-${id}.json`);
	const peakFile = path.join(userFolder, `peak-${id}.txt`);
	const run = await runGenApi(
		emulator,
		userFolder,
		id,
		count,
		{},
		{
			additionalFields: { width: 128, height: 128 },
			env: {
				N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
				NODE_OPTIONS: `--expose-gc --require ${path.join(__dirname, 'peak-rss.js')} ${process.env.BENCH_N8N_NODE_OPTIONS ?? ''}`,
				GENMEDIA_PEAK_RSS_FILE: peakFile,
				GENMEDIA_HEAP_FILE: file,
			},
		},
	);
	const memory = JSON.parse(fs.readFileSync(file, 'utf8'));
	return {
		...run,
		peakRssMb: +(Number(fs.readFileSync(peakFile, 'utf8')) / 1024).toFixed(1),
		heapAfterGcMb: +memory.heapAfterGcMb.toFixed(1),
	};
}

/** N: 25 prompts through Nalitek's Image → Generate at 10 a minute, its documented limit, in a fresh window. */
async function runNalitekPaced(emulator, userFolder) {
	const workflow = e2e.loadExample('nalitek-chain.json');
	workflow.id = 'BenchNalitek0025';
	workflow.name = 'bench Nalitek 25';
	const prompts = Array.from({ length: 25 }, (_, n) => `bench paced ${n + 1}`);
	workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput = JSON.stringify({
		prompt: prompts,
	});
	// The chain's first step only: Start → Prompts → One Item per Prompt → Generate.
	const kept = ['Start', 'Prompts', 'One Item per Prompt', 'Generate'];
	workflow.nodes = workflow.nodes.filter((node) => kept.includes(node.name));
	for (const from of Object.keys(workflow.connections))
		if (!kept.includes(from) || from === 'Generate') delete workflow.connections[from];
	await e2e.importWorkflow(userFolder, workflow);
	// A fresh minute: nothing else of this key counts against the limit.
	emulator.resetNalitekWindows();
	const before429 = emulator.stats.nalitek429 ?? 0;
	const started = Date.now();
	const { execution } = await e2e.executeWorkflow(userFolder, workflow.id);
	const { items, executionTime } = e2e.nodeRun(execution, 'Generate');
	return {
		items: items.length,
		succeeded: items.filter((item) => item.json.status === 'succeeded' && item.binary?.data).length,
		nodeSeconds: +(executionTime / 1000).toFixed(1),
		runSeconds: +((Date.now() - started) / 1000).toFixed(1),
		refusedCreates: (emulator.stats.nalitek429 ?? 0) - before429,
	};
}

/** P3: peak RSS of `n8n execute` with and without a VIDEO_MB download, filesystem binary mode. */
async function measureMemory(emulator, userFolder) {
	const bytes = VIDEO_MB * 1024 * 1024;
	const peak = async (id, download) => {
		const run = await e2e.videoRunPeak(
			userFolder,
			emulator,
			id,
			bytes,
			download,
			process.env.BENCH_N8N_NODE_OPTIONS,
		);
		if (download) {
			// The whole video was read, and went to the filesystem store (n8n 2.x deletes a CLI run's files when it ends).
			const stored = e2e.readBinaryPath(userFolder, run.item?.binary?.data);
			if (!stored) throw new Error('the video is not in the filesystem store');
			if (run.streamedBytes !== bytes) throw new Error('the video was not read whole');
			if (fs.existsSync(stored) && fs.statSync(stored).size !== bytes)
				throw new Error('the stored video is not whole');
		}
		return run.peakMb;
	};
	const withoutMb = await peak('BenchNoDownload1', false);
	const withMb = await peak('BenchVideo500MB1', true);
	return {
		videoMb: VIDEO_MB,
		peakWithoutDownloadMb: +withoutMb.toFixed(1),
		peakWithDownloadMb: +withMb.toFixed(1),
		growthMb: +(withMb - withoutMb).toFixed(1),
	};
}

/** P4 (callback): Gen-API tasks created with the trigger's URL; time from done to the receiving workflow's last node. */
async function measureCallbackDelay(emulator, userFolder, count = 5) {
	const sink = await e2e.startSink();
	const workflow = e2e.loadExample('callbacks-genapi-receive.json');
	workflow.id = 'BenchReceive0001';
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-genmedia.aiMediaTrigger');
	trigger.parameters.token = CALLBACK_TOKEN;
	e2e.addReportNode(
		workflow,
		'Keep the File',
		sink.url,
		'={{ JSON.stringify({ taskId: $json.taskId, status: $json.status }) }}',
	);
	workflow.active = true;
	await e2e.importWorkflow(userFolder, workflow);
	await e2e.activateWorkflow(userFolder, workflow.id);
	const server = await e2e.startN8n(userFolder);
	try {
		const hookUrl = `${server.url}/webhook/${trigger.webhookId}/callback?token=${CALLBACK_TOKEN}`;
		await e2e.waitForWebhook(hookUrl);
		const delays = [];
		for (let n = 0; n < count; n++) {
			const response = await fetch(`${emulator.url}/api/v1/networks/z-image`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${emulator.config.keys.genApi}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					prompt: `callback bench ${n + 1} [ms:2000]`,
					callback_url: hookUrl,
				}),
			});
			const { request_id: taskId } = await response.json();
			const until = Date.now() + 30_000;
			let report;
			while (
				!(report = sink.arrivals.find((entry) => String(entry.body.taskId) === String(taskId)))
			) {
				if (Date.now() > until) throw new Error(`no report for task ${taskId}`);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			delays.push(report.at - emulator.stats.tasks[`genApi:${taskId}`].doneAt);
		}
		return delays;
	} finally {
		await server.stop();
		sink.close();
	}
}

/** Resident memory of a process, in MB (Linux). */
function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/**
 * The live JavaScript heap of a process started with --inspect, in MB: a full garbage collection
 * first (DevTools protocol over the inspector's WebSocket), so only what is held counts.
 */
async function heapAfterGcMb(inspectPort) {
	const WebSocket = require('ws');
	const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	let id = 0;
	const call = (method, params = {}) =>
		new Promise((resolve, reject) => {
			const mine = ++id;
			const onMessage = (data) => {
				const message = JSON.parse(String(data));
				if (message.id !== mine) return;
				socket.off('message', onMessage);
				if (message.error) reject(new Error(message.error.message));
				else resolve(message.result);
			};
			socket.on('message', onMessage);
			socket.send(JSON.stringify({ id: mine, method, params }));
		});
	try {
		await call('HeapProfiler.enable');
		await call('HeapProfiler.collectGarbage');
		await call('HeapProfiler.collectGarbage');
		const { usedSize } = await call('Runtime.getHeapUsage');
		return usedSize / 1024 / 1024;
	} finally {
		socket.close();
	}
}

async function steadyRssMb(pid, samples = 5) {
	const values = [];
	for (let n = 0; n < samples; n++) {
		values.push(rssMb(pid));
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	return median(values);
}

/**
 * P6: Gen-API runs of 5 tasks parked until their callbacks. First 5 runs one by one (requests,
 * the delay from the last callback to the next node), then `parkedRuns` at once: n8n's memory
 * with all of them waiting against idle, then n8n restarted and every callback sent.
 */
async function measureParked(emulator, userFolder, parkedRuns = 100) {
	const sink = await e2e.startSink();
	const prompts = Array.from({ length: 5 }, (_, n) => `parked bench ${n + 1} [ms:1500]`);
	const workflow = parked.parkedWorkflow('genApi', 'BenchParked00001', prompts, sink.url);
	await e2e.importWorkflow(userFolder, workflow);
	await e2e.activateWorkflow(userFolder, workflow.id);
	const inspectPort = await e2e.freePort();
	const env = {
		N8N_PORT: String(await e2e.freePort()),
		// The inspector lets the bench collect garbage in n8n before it reads the heap.
		NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:${inspectPort}`.trim(),
	};
	let server = await e2e.startN8n(userFolder, env);
	const hook = () => `${server.url}/webhook/parked-${workflow.id}`;
	const start = async () => {
		const answer = await parked.until(
			'the webhook',
			async () => {
				const response = await parked.post(hook(), {});
				return response.status === 404 ? undefined : response;
			},
			60_000,
		);
		if (answer.status >= 300) throw new Error(`start: ${answer.status} ${answer.text}`);
	};
	const reads = () => emulator.stats.byRoute['GET /api/v1/request/get/:id'] ?? 0;
	const held = () => emulator.heldCallbacks.length;
	const executionsReported = () => new Set(sink.received.map((report) => report.execution));
	try {
		// One by one: requests per task and the delay from the last callback to the next node.
		const delays = [];
		let readsWhileParked = 0;
		const before = { reads: reads(), downloads: emulator.stats.downloads ?? 0 };
		const taskIds = [];
		for (let run = 0; run < 5; run++) {
			emulator.config.holdCallbacks = true;
			const reportsBefore = sink.received.length;
			await start();
			await parked.until('5 held callbacks', () => held() >= 5, 60_000);
			await parked.until(
				'the run to park',
				async () => (await parked.waitingIn(server, workflow.id)) === 1,
				60_000,
			);
			emulator.config.holdCallbacks = false;
			const readsBefore = reads();
			await new Promise((resolve) => setTimeout(resolve, 2000));
			readsWhileParked += reads() - readsBefore;
			const sent = await emulator.releaseCallbacks();
			const last = Math.max(...sent.map((entry) => entry.sentAt));
			await parked.until('5 reports', () => sink.received.length >= reportsBefore + 5, 60_000);
			const first = sink.arrivals.slice(reportsBefore).map((arrival) => arrival.at);
			delays.push(Math.min(...first) - last);
			taskIds.push(...sink.received.slice(reportsBefore).map((report) => report.taskId));
		}
		const tasks = taskIds.map((id) => emulator.stats.tasks[`genApi:${id}`]);
		const perTask = (n) => +(n / tasks.length).toFixed(2);
		const requests = {
			creates: perTask(tasks.reduce((n, task) => n + task.creates, 0)),
			reads: perTask(reads() - before.reads),
			downloads: perTask((emulator.stats.downloads ?? 0) - before.downloads),
		};

		// Many at once: memory while parked, then a restart.
		const idleHeapMb = await heapAfterGcMb(inspectPort);
		const idleMb = await steadyRssMb(server.pid);
		emulator.config.holdCallbacks = true;
		const reportsBefore = sink.received.length;
		const executionsBefore = executionsReported();
		for (let run = 0; run < parkedRuns; run++) await start();
		await parked.until(`${parkedRuns * 5} held callbacks`, () => held() >= parkedRuns * 5, 300_000);
		await parked.until(
			`${parkedRuns} parked runs`,
			async () => (await parked.waitingIn(server, workflow.id)) >= parkedRuns,
			120_000,
		);
		const parkedHeapMb = await heapAfterGcMb(inspectPort);
		const parkedMb = await steadyRssMb(server.pid);
		emulator.config.holdCallbacks = false;
		await server.stop();
		const restartStarted = Date.now();
		server = await e2e.startN8n(userFolder, env);
		const answers = await emulator.releaseCallbacks();
		await parked.until(
			`${parkedRuns * 5} files`,
			() => sink.received.length >= reportsBefore + parkedRuns * 5,
			300_000,
		);
		const afterRestartMs = Date.now() - restartStarted;
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const reports = sink.received.slice(reportsBefore);
		const runs = new Set(
			[...executionsReported()].filter((execution) => !executionsBefore.has(execution)),
		);
		return {
			requestsPerTask: requests,
			readsWhileParked,
			callbackToNextNodeMs: delays,
			idleRssMb: +idleMb.toFixed(1),
			parkedRssMb: +parkedMb.toFixed(1),
			parkedRuns,
			rssGrowthMb: +(parkedMb - idleMb).toFixed(1),
			idleHeapMb: +idleHeapMb.toFixed(1),
			parkedHeapMb: +parkedHeapMb.toFixed(1),
			growthMb: +(parkedHeapMb - idleHeapMb).toFixed(1),
			restart: {
				files: reports.filter((report) => report.status === 'succeeded' && report.mimeType).length,
				expected: parkedRuns * 5,
				distinctTasks: new Set(reports.map((report) => report.taskId)).size,
				runsFinished: runs.size,
				callbacksAnswered200: answers.filter((answer) => answer.status === 200).length,
				stillWaiting: await parked.waitingIn(server, workflow.id),
				secondsFromRestartToLastFile: +(afterRestartMs / 1000).toFixed(1),
			},
		};
	} finally {
		emulator.config.holdCallbacks = false;
		emulator.dropCallbacks();
		await server.stop();
		sink.close();
	}
}

/**
 * Q: 10 runs of 10 Gen-API items (5 s tasks) started at once through production webhooks, in one
 * regular n8n and in queue mode with 2 workers; items per second from the first start to the last
 * file, and how the runs spread over the workers.
 */
async function measureQueue(emulator, userFolder) {
	const sink = await e2e.startSink();
	const prompts = Array.from({ length: 10 }, (_, n) => `throughput ${n + 1} [ms:5000]`);
	const runAll = async (baseUrl, id) => {
		const startedAt = Date.now();
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				const answer = await parked.until(
					'the webhook',
					async () => {
						const response = await parked.post(`${baseUrl}/webhook/parked-${id}`, {});
						return response.status === 404 ? undefined : response;
					},
					60_000,
				);
				if (answer.status >= 300) throw new Error(`start: ${answer.status} ${answer.text}`);
			}),
		);
		const reports = () => sink.received.filter((report) => report.workflow === id);
		await parked.until('100 files', () => reports().length >= 100, 300_000);
		const seconds = (Date.now() - startedAt) / 1000;
		const ok = reports().filter((report) => report.mimeType === 'image/png').length;
		return {
			seconds: +seconds.toFixed(1),
			ok,
			itemsPerSecond: +(100 / seconds).toFixed(2),
			reports,
		};
	};
	try {
		const regularFlow = parked.parkedWorkflow(
			'genApi',
			'BenchRegular0001',
			prompts,
			sink.url,
			{},
			'poll',
		);
		await e2e.importWorkflow(userFolder, regularFlow);
		await e2e.activateWorkflow(userFolder, regularFlow.id);
		const server = await e2e.startN8n(userFolder);
		let regular;
		try {
			regular = await runAll(server.url, regularFlow.id);
		} finally {
			await server.stop();
		}
		const queueFlow = parked.parkedWorkflow(
			'genApi',
			'BenchQueue000001',
			prompts,
			sink.url,
			{},
			'poll',
		);
		const cluster = await queue.startQueueMode(emulator, { queueFlow });
		let queued;
		try {
			queued = await runAll(cluster.webhookUrl, queueFlow.id);
			const runs = [...new Set(queued.reports().map((report) => String(report.execution)))];
			queued.runsPerWorker = cluster.workers.map(
				(worker) => runs.filter((run) => queue.startedBy(worker).has(run)).length,
			);
		} finally {
			await cluster.stop();
		}
		delete regular.reports;
		delete queued.reports;
		return {
			regular,
			queue: queued,
			ratio: +(queued.itemsPerSecond / regular.itemsPerSecond).toFixed(2),
		};
	} finally {
		sink.close();
	}
}

/**
 * P5: what n8n does with the package at start, timed alone: its own PackageDirectoryLoader loads
 * the installed package (every node and credential file) in a fresh process, five times.
 */
function measurePackageLoad(tarball, rounds = 5) {
	const { execFileSync } = require('child_process');
	const packageDir = path.join(
		e2e.createUserFolder(tarball),
		'.n8n',
		'nodes',
		'node_modules',
		'n8n-nodes-genmedia',
	);
	const script = `
		const { PackageDirectoryLoader } = require('n8n-core');
		const started = process.hrtime.bigint();
		const loader = new PackageDirectoryLoader(process.argv[1]);
		Promise.resolve(loader.loadAll()).then(() => {
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			process.stdout.write(JSON.stringify({ ms, nodes: Object.keys(loader.nodeTypes).length, credentials: Object.keys(loader.credentialTypes).length }));
		});`;
	const runs = Array.from({ length: rounds }, () =>
		JSON.parse(
			execFileSync(e2e.NODE_BIN, ['-e', script, packageDir], {
				cwd: e2e.INSTALL_DIR,
				env: { ...process.env, NODE_PATH: path.join(e2e.INSTALL_DIR, 'node_modules') },
				encoding: 'utf8',
			}),
		),
	);
	if (runs.some((run) => run.nodes !== 6 || run.credentials !== 5))
		throw new Error(`the loader found ${JSON.stringify(runs[0])}`);
	return {
		rounds,
		loadMs: runs.map((run) => +run.ms.toFixed(1)),
		medianMs: +median(runs.map((run) => run.ms)).toFixed(1),
		nodes: runs[0].nodes,
		credentials: runs[0].credentials,
	};
}

/** P5: `n8n start` until the REST API answers, alternately without and with the package. */
async function measureStart(tarball, rounds = 3) {
	const times = { without: [], with: [] };
	for (let round = 0; round < rounds; round++) {
		for (const kind of ['without', 'with']) {
			const userFolder = e2e.createUserFolder(kind === 'with' ? tarball : null);
			const server = await e2e.startN8n(userFolder);
			try {
				// Started = the REST API answers (n8n loads node types before); the package's nodes must
				// be among the node types the editor gets, and only when it is installed.
				const { body } = await server.rest('POST', '/node-types', {
					nodeInfos: [{ name: 'n8n-nodes-genmedia.genApi', version: 1 }],
				});
				const loaded =
					Array.isArray(body?.data) && body.data.some((type) => type.displayName === 'Gen-API');
				if (loaded !== (kind === 'with'))
					throw new Error(`n8n ${kind} the package: the node types are not as expected`);
				const readyMs = server.startMs;
				times[kind].push(readyMs);
			} finally {
				await server.stop();
			}
		}
	}
	return {
		rounds,
		withoutMs: times.without,
		withMs: times.with,
		addedMs: median(times.with) - median(times.without),
	};
}

function printTable(rows) {
	const header = ['', 'measure', 'result', 'goal', ''];
	const table = [header, ...rows.map((row) => header.map((_, column) => row[column] ?? ''))];
	const widths = header.map((_, column) =>
		Math.max(...table.map((row) => String(row[column]).length)),
	);
	const line = (row) =>
		row
			.map((cell, column) => String(cell).padEnd(widths[column]))
			.join('  ')
			.trimEnd();
	process.stdout.write(`${line(header)}\n`);
	for (const row of table.slice(1)) process.stdout.write(`${line(row)}\n`);
}

/** BENCH_BUSY=1: two processes that keep both cores busy for the whole bench. */
function busyLoops() {
	if (process.env.BENCH_BUSY !== '1') return () => undefined;
	const { spawn } = require('child_process');
	const loops = [0, 1].map(() =>
		spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
	);
	e2e.log('BENCH_BUSY: two busy loops keep both cores busy');
	return () => loops.forEach((loop) => loop.kill('SIGKILL'));
}

async function main() {
	const started = Date.now();
	await e2e.ensureN8n();
	const stopBusy = busyLoops();
	process.on('exit', stopBusy);
	const emulator = createEmulator({ taskMs: TASK_MS });
	await emulator.start();
	const tarball = e2e.packPackage();
	const userFolder = e2e.createUserFolder(tarball);
	await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator));
	const results = {
		n8n: e2e.N8N_VERSION,
		node: e2e.NODE_VERSION,
		taskMs: TASK_MS,
		date: new Date().toISOString(),
	};
	const rows = [];
	// A part that fails is reported in the table and the JSON; the others still run.
	const part = async (name, fn) => {
		if (![...ONLY].some((only) => name.split('/').includes(only))) return;
		try {
			await fn();
		} catch (error) {
			e2e.log(`${name} failed: ${error.stack ?? error}`);
			results[`${name}Error`] = String(error.message ?? error);
			rows.push([
				name,
				'FAILED',
				String(error.message ?? error)
					.split('\n')[0]
					.slice(0, 100),
				'',
			]);
		}
	};

	await part('P1', async () => {
		e2e.log('P1: 1, 200 and 1 000 items, default poll settings, filesystem binary mode');
		const one = await runScale(emulator, userFolder, 'BenchScale000001', 1);
		const many = await runScale(emulator, userFolder, 'BenchScale000200', 200);
		const most = await runScale(emulator, userFolder, 'BenchScale001000', 1000);
		for (const run of [one, many, most]) {
			const t = run.timeline;
			e2e.log(
				`P1 ${run.items}: creates ${t.firstCreateMs}–${t.lastCreateMs} ms, last task done ${t.lastDoneMs} ms, last read ${t.lastReadMs} ms, last download ${t.lastDownloadMs} ms, node done ${t.endMs} ms; a task seen done after ${t.seenDoneMs.p50}/${t.seenDoneMs.p90}/${t.seenDoneMs.max} ms (median/90%/most), ${t.readTwice} read more than once`,
			);
		}
		const ratio = (run) => +(run.nodeTimeMs / one.nodeTimeMs).toFixed(2);
		results.P1 = {
			oneItem: one,
			items200: many,
			items1000: most,
			ratio200: ratio(many),
			ratio1000: ratio(most),
		};
		const complete = (run) => run.succeeded === run.items && run.stored === run.items;
		rows.push([
			'P1',
			`node time, 1 vs 200 items (${TASK_MS / 1000} s tasks)`,
			`${one.nodeTimeMs} vs ${many.nodeTimeMs} ms, ratio ${ratio(many)} (${many.stored}/200 files stored)`,
			'≤ 1.10',
			ratio(many) <= 1.1 && complete(many) ? 'met' : 'NOT MET',
		]);
		rows.push([
			'P1',
			`node time, 1 vs 1 000 items`,
			`${one.nodeTimeMs} vs ${most.nodeTimeMs} ms, ratio ${ratio(most)} (${most.stored}/1000 files stored)`,
			'≤ 1.25',
			ratio(most) <= 1.25 && complete(most) ? 'met' : 'NOT MET',
		]);
		const perTask = (run) =>
			`${run.requestsPerTask} (${run.creates} + ${run.reads} + ${run.downloads})`;
		rows.push([
			'P1',
			'requests per task, default poll settings (creates + reads + downloads)',
			`1: ${perTask(one)}; 200: ${perTask(many)}; 1 000: ${perTask(most)}`,
			'≤ 3.2',
			many.requestsPerTask <= 3.2 && most.requestsPerTask <= 3.2 ? 'met' : 'NOT MET',
		]);
		const heapGrowth = +(most.heapAfterGcMb - one.heapAfterGcMb).toFixed(1);
		results.P1.heapGrowth1000Mb = heapGrowth;
		rows.push([
			'P1',
			'n8n heap after GC at the end of the run, 1 000 items vs 1 (peak RSS)',
			`+${heapGrowth} MB (${one.heapAfterGcMb} → ${most.heapAfterGcMb} MB; peak RSS ${one.peakRssMb} → ${most.peakRssMb} MB)`,
			'≤ 150 MB',
			heapGrowth <= 150 ? 'met' : 'NOT MET',
		]);
	});
	await part('N', async () => {
		e2e.log('N: Nalitek, 25 prompts at 10 a minute');
		const run = await runNalitekPaced(emulator, userFolder);
		results.nalitek25 = run;
		rows.push([
			'N',
			'Nalitek, 25 prompts at its 10 a minute (Image → Generate)',
			`${run.nodeSeconds} s, ${run.refusedCreates} creates refused (${run.succeeded}/25 files)`,
			'≤ 130 s, ≤ 3 refused',
			run.nodeSeconds <= 130 && run.refusedCreates <= 3 && run.succeeded === 25 ? 'met' : 'NOT MET',
		]);
	});
	await part('P2/P4', async () => {
		e2e.log('P2/P4: 20 items, poll interval 1 s');
		const run = await runGenApi(emulator, userFolder, 'BenchPoll1s00001', 20, { pollInterval: 1 });
		results.P2 = run;
		rows.push([
			'P2',
			'requests per task, poll interval 1 s',
			`${run.requestsPerTask} (${run.creates} creates, ${run.reads} reads, ${run.downloads} downloads / 20)`,
			'',
		]);
		results.P4 = { pollDelayMs: run.delayAfterLastDoneMs };
	});
	await part('P4', async () => {
		e2e.log('P4: callbacks through the AI Media Trigger');
		const delays = await measureCallbackDelay(emulator, userFolder);
		results.P4 ??= {};
		results.P4.callbackDelaysMs = delays;
		results.P4.callbackMedianMs = median(delays);
		if (results.P4.pollDelayMs !== undefined)
			rows.push([
				'P4',
				'task done → node finished (poll, 1 s)',
				`${results.P4.pollDelayMs} ms`,
				'',
			]);
		rows.push([
			'P4',
			'task done → receiving workflow finished (callback)',
			`median ${median(delays)} ms, max ${Math.max(...delays)} ms (${delays.length} tasks)`,
			'',
		]);
	});
	await part('P3', async () => {
		e2e.log(`P3: peak memory while a ${VIDEO_MB} MB video is stored`);
		results.P3 = await measureMemory(emulator, userFolder);
		rows.push([
			'P3',
			`peak RSS growth, ${VIDEO_MB} MB video, filesystem mode`,
			`${results.P3.growthMb} MB (${results.P3.peakWithoutDownloadMb} → ${results.P3.peakWithDownloadMb} MB)`,
			'≤ 64 MB',
			results.P3.growthMb <= 64 ? 'met' : 'NOT MET',
		]);
	});
	await part('P5', async () => {
		e2e.log('P5: n8n start without and with the package');
		results.P5 = { packageLoad: measurePackageLoad(tarball), start: await measureStart(tarball) };
		const { packageLoad, start } = results.P5;
		rows.push([
			'P5',
			"package load by n8n's loader (median of 5)",
			`${packageLoad.medianMs} ms (${packageLoad.nodes} nodes, ${packageLoad.credentials} credentials)`,
			'',
		]);
		const spread = (list) => `${Math.min(...list)}–${Math.max(...list)}`;
		rows.push([
			'P5',
			'n8n start with vs without (median of 3)',
			`${start.addedMs} ms (${spread(start.withMs)} vs ${spread(start.withoutMs)} ms)`,
			'',
		]);
	});
	await part('P6', async () => {
		e2e.log('P6: Provider Callback wait mode (parked executions)');
		const p6 = await measureParked(emulator, userFolder);
		results.P6 = p6;
		const { creates, reads, downloads } = p6.requestsPerTask;
		const perTask = +(creates + reads + downloads).toFixed(2);
		rows.push([
			'P6',
			'requests per task, Provider Callback (create + reads + download)',
			`${perTask} (${creates} + ${reads} + ${downloads}); reads while parked: ${p6.readsWhileParked}`,
			'≤ 3, 0 while parked',
			perTask <= 3 && p6.readsWhileParked === 0 ? 'met' : 'NOT MET',
		]);
		const delays = p6.callbackToNextNodeMs;
		rows.push([
			'P6',
			'last callback → next node running (5 runs of 5 tasks)',
			`median ${median(delays)} ms, max ${Math.max(...delays)} ms`,
			'≤ 1 s',
			Math.max(...delays) <= 1000 ? 'met' : 'NOT MET',
		]);
		rows.push([
			'P6',
			`n8n heap after GC, ${p6.parkedRuns} parked runs of 5 tasks vs idle`,
			`+${p6.growthMb} MB (${p6.idleHeapMb} → ${p6.parkedHeapMb} MB; RSS after GC ${p6.rssGrowthMb >= 0 ? '+' : ''}${p6.rssGrowthMb} MB)`,
			'≤ 30 MB',
			p6.growthMb <= 30 ? 'met' : 'NOT MET',
		]);
		const { restart } = p6;
		const whole =
			restart.files === restart.expected &&
			restart.distinctTasks === restart.expected &&
			restart.runsFinished === p6.parkedRuns &&
			restart.stillWaiting === 0;
		rows.push([
			'P6',
			`n8n restarted with ${p6.parkedRuns} runs parked, then the callbacks`,
			`${restart.files}/${restart.expected} files, ${restart.distinctTasks} distinct tasks, ${restart.runsFinished} runs finished, ${restart.stillWaiting} waiting (${restart.secondsFromRestartToLastFile} s)`,
			'all, none twice',
			whole ? 'met' : 'NOT MET',
		]);
	});
	await part('Q', async () => {
		e2e.log('Q: queue mode (2 workers) against one regular n8n');
		const q = await measureQueue(emulator, userFolder);
		results.queueMode = q;
		rows.push([
			'Q',
			'items/s, 10 runs × 10 items at once: 2 workers vs one regular n8n',
			`${q.queue.itemsPerSecond} vs ${q.regular.itemsPerSecond} items/s (${q.queue.seconds} vs ${q.regular.seconds} s; ${q.queue.ok}/100 and ${q.regular.ok}/100 files; runs per worker ${q.queue.runsPerWorker.join('/')})`,
			'',
		]);
	});
	await part('burst', async () => {
		e2e.log('429 burst: 20 items against 5 requests/s');
		emulator.config.rateLimit = { limit: 5, windowMs: 1000, retryAfterSec: 1 };
		const burst = await runGenApi(emulator, userFolder, 'BenchBurst000001', 20, {
			pollInterval: 1,
		});
		emulator.config.rateLimit = null;
		results.burst429 = { limit: '5 requests / s, Retry-After: 1', ...burst };
		rows.push([
			'429',
			'20 items, limit 5 requests/s',
			`${burst.succeeded}/20 ok in ${burst.nodeTimeMs} ms, ${burst.answered429}×429, ${burst.creates} create requests`,
			'all ok',
			burst.succeeded === 20 ? 'met' : 'NOT MET',
		]);
	});
	await emulator.stop();
	e2e.removeTemporary();
	stopBusy();
	results.busy = process.env.BENCH_BUSY === '1';

	results.totalSeconds = Math.round((Date.now() - started) / 1000);
	fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
	process.stdout.write(
		`\nn8n ${results.n8n} on Node ${results.node}, emulator on 127.0.0.1, ${new Date().toISOString().slice(0, 10)}\n`,
	);
	printTable(rows);
	process.stdout.write(
		`\nwritten to ${path.relative(process.cwd(), OUT) || OUT} (${results.totalSeconds} s)\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
