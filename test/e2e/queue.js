'use strict';
// The package in n8n's queue mode: Redis and PostgreSQL from Debian's packages on free ports
// (installed when missing, stopped at the end), then n8n main + 2 workers + 1 webhook process on
// one user folder with the packed package, binary data in the database. Checks: many executions
// at once spread over the workers; a provider callback through the webhook process starts the AI
// Media Trigger's workflow on a worker, with its file readable there; parked "Provider Callback"
// runs resume through the webhook process after the worker that created them was killed; three
// executions on workers that know nothing of each other share one Nalitek limit, no task twice.
// `npm run test:queue`; N8N_E2E_VERSION picks the n8n as for the other suites.

const assert = require('assert');
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const e2e = require('./n8n');
const parked = require('./parked');
const { createEmulator } = require('../emulator/server');

const { check, fail } = e2e.checkRunner(process.env.QUEUE_ONLY);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const TOKEN = 'queue-callback-token-3b9d';

/** Redis and PostgreSQL from Debian's packages, installed once per machine when missing. */
function ensureServices() {
	const pgRoot = '/usr/lib/postgresql';
	const pgBin = () =>
		(fs.existsSync(pgRoot) ? fs.readdirSync(pgRoot) : [])
			.filter((name) => fs.existsSync(path.join(pgRoot, name, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a))
			.map((name) => path.join(pgRoot, name, 'bin'))[0];
	if (!fs.existsSync('/usr/bin/redis-server') || !pgBin()) {
		e2e.log('installing redis-server and postgresql from Debian packages (once, about a minute)');
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
		execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server', 'postgresql'], {
			stdio: 'ignore',
			env,
		});
	}
	return pgBin();
}

function waitForLine(child, pattern, what, timeoutMs = 30_000) {
	return new Promise((resolve, reject) => {
		let text = '';
		const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${text}`)), timeoutMs);
		const onData = (part) => {
			text += part;
			if (pattern.test(text)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${text}`)));
	});
}

async function startRedis() {
	const port = await e2e.freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-redis-'));
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	await waitForLine(child, /Ready to accept connections/, 'redis-server');
	return {
		port,
		stop: async () => {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A throw-away PostgreSQL cluster run by the postgres user (initdb refuses root), trust auth on 127.0.0.1. */
async function startPostgres(bin) {
	const port = await e2e.freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-pg-'));
	const asPostgres = (command, args) =>
		execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], {
			stdio: 'pipe',
		});
	execFileSync('chown', ['postgres:postgres', dir]);
	execFileSync('chmod', ['700', dir]);
	asPostgres('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust']);
	asPostgres('pg_ctl', [
		'-D',
		dir,
		'-o',
		`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
		'-l',
		path.join(dir, 'server.log'),
		'-w',
		'start',
	]);
	asPostgres('psql', [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'-c',
		'CREATE DATABASE n8n',
	]);
	return {
		port,
		stop: async () => {
			try {
				asPostgres('pg_ctl', ['-D', dir, '-m', 'fast', '-w', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}

/** Keeps the bodies posted to it: a file an n8n node sent, to check it was readable there. */
async function startFileSink() {
	const files = [];
	const server = http.createServer((req, res) => {
		const parts = [];
		req.on('data', (part) => parts.push(part));
		req.on('end', () => {
			files.push({ url: req.url, body: Buffer.concat(parts) });
			res.end('{}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		files,
		close: () => server.close(),
	};
}

/** The execution ids a worker says it started ("Worker started execution 12 (job 7)"). */
const startedBy = (worker) =>
	new Set([...worker.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));

function receiverWorkflow(fileSinkUrl) {
	return {
		id: 'QueueReceive0001',
		name: 'queue: receive Gen-API callbacks',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'q-trigger',
				name: 'AI Media Trigger',
				type: 'n8n-nodes-genmedia.aiMediaTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'queue-receive-genapi',
				parameters: { provider: 'genApi', token: TOKEN, options: {} },
				credentials: { genApiApi: { id: 'GenApiCred000001', name: 'Gen-API account' } },
			},
			{
				id: 'q-send',
				name: 'Send the File',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `=${fileSinkUrl}/file/{{ $json.taskId }}/{{ $execution.id }}`,
					sendBody: true,
					contentType: 'binaryData',
					inputDataFieldName: 'data',
					options: {},
				},
			},
		],
		connections: {
			'AI Media Trigger': { main: [[{ node: 'Send the File', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * Redis, PostgreSQL and n8n main + `workerCount` workers + 1 webhook process on one user folder with
 * the packed package, the emulator's credentials and `workflows` imported and active. The n8n
 * settings are put into this process's environment for the CLI imports; `stop()` stops every
 * process and service and puts the environment back.
 */
async function startQueueMode(emulator, workflows, { workerCount = 2 } = {}) {
	await e2e.ensureN8n();
	const pgBin = ensureServices();
	const redis = await startRedis();
	const postgres = await startPostgres(pgBin);
	const processes = [];
	const webhookPort = await e2e.freePort();
	const webhookUrl = `http://127.0.0.1:${webhookPort}`;
	// Every process: the same database, queue and encryption key; files in the database, which
	// every process reads (a per-process filesystem store would not be).
	const shared = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: 'genmedia-queue-e2e-encryption-key',
		N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database',
		WEBHOOK_URL: `${webhookUrl}/`,
	};
	const saved = Object.fromEntries(Object.keys(shared).map((key) => [key, process.env[key]]));
	Object.assign(process.env, shared);
	const stop = async () => {
		for (const child of processes.reverse()) await child.stop().catch(() => {});
		await postgres.stop().catch((error) => e2e.log(`stopping PostgreSQL: ${error.message}`));
		await redis.stop();
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	};
	try {
		const binaryMode = { N8N_DEFAULT_BINARY_DATA_MODE: 'database' };
		const userFolder = e2e.createUserFolder(e2e.packPackage());
		e2e.log(
			`n8n ${e2e.N8N_VERSION} in queue mode: Redis :${redis.port}, PostgreSQL :${postgres.port}, webhook process ${webhookUrl}, emulator ${emulator.url}`,
		);
		await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator));
		for (const workflow of Object.values(workflows)) {
			await e2e.importWorkflow(userFolder, workflow);
			await e2e.activateWorkflow(userFolder, workflow.id);
		}
		const main = await e2e.startN8n(userFolder, { ...binaryMode, WEBHOOK_URL: `${webhookUrl}/` });
		processes.push(main);
		const startWorker = async () => {
			const health = await e2e.freePort();
			const worker = await e2e.startN8nProcess(
				userFolder,
				['worker', '--concurrency=10'],
				{
					...binaryMode,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(health),
				},
				`http://127.0.0.1:${health}/healthz`,
			);
			processes.push(worker);
			return worker;
		};
		const workers = [];
		for (let n = 0; n < workerCount; n++) workers.push(await startWorker());
		const webhook = await e2e.startN8nProcess(
			userFolder,
			['webhook'],
			{ ...binaryMode, N8N_PORT: String(webhookPort) },
			`${webhookUrl}/healthz`,
		);
		processes.push(webhook);
		e2e.log(`main, ${workerCount} workers and the webhook process are up`);
		return { main, workers, webhook, webhookUrl, startWorker, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

async function main() {
	const emulator = createEmulator();
	await emulator.start();
	const sink = await e2e.startSink();
	const fileSink = await startFileSink();
	let cluster;
	try {
		const prompts = (name, count, ms) =>
			Array.from({ length: count }, (_, n) => `${name} ${n + 1} [ms:${ms}]`);
		const workflows = {
			one: parked.parkedWorkflow(
				'genApi',
				'QueueOneRun00001',
				prompts('one', 10, 5000),
				sink.url,
				{},
				'poll',
			),
			many: parked.parkedWorkflow(
				'genApi',
				'QueueManyRuns001',
				prompts('many', 10, 5000),
				sink.url,
				{},
				'poll',
			),
			parked: parked.parkedWorkflow(
				'genApi',
				'QueueParked00001',
				prompts('parked', 3, 3000),
				sink.url,
			),
			nalitek: parked.parkedWorkflow(
				'nalitek',
				'QueueNalitek0001',
				prompts('limit', 10, 2000),
				sink.url,
				{},
				'poll',
			),
			pollCost: parked.parkedWorkflow(
				'genApi',
				'QueuePollCost001',
				prompts('poll cost', 10, 8000),
				sink.url,
				{},
				'poll',
			),
			backgroundCost: parked.parkedWorkflow(
				'genApi',
				'QueueBackCost001',
				prompts('background cost', 10, 8000),
				sink.url,
				{},
				'background',
			),
			background: parked.parkedWorkflow(
				'genApi',
				'QueueBackground1',
				prompts('after kill', 10, 10000),
				sink.url,
				{},
				'background',
			),
			receiver: receiverWorkflow(fileSink.url),
		};
		cluster = await startQueueMode(emulator, workflows);
		const { main, workers, webhookUrl, startWorker } = cluster;

		const reports = (id) => sink.received.filter((report) => report.workflow === id);
		const start = async (id) => {
			const answer = await parked.until(
				`the webhook of ${id}`,
				async () => {
					const response = await parked.post(`${webhookUrl}/webhook/parked-${id}`, {});
					return response.status === 404 ? undefined : response;
				},
				60_000,
			);
			assert.ok(answer.status < 300, `starting ${id}: ${answer.status} ${answer.text}`);
		};
		const runFor = async (id, runs, items, timeoutMs) => {
			const startedAt = Date.now();
			await Promise.all(Array.from({ length: runs }, () => start(id)));
			await parked.until(
				`${runs * items} items of ${id}`,
				() => reports(id).length >= runs * items,
				timeoutMs,
			);
			return Date.now() - startedAt;
		};

		await check(
			'queue: 10 executions × 10 Gen-API items through the webhook process: 100 files, both workers, about the time of one',
			async () => {
				const oneMs = await runFor(workflows.one.id, 1, 10, 120_000);
				const manyMs = await runFor(workflows.many.id, 10, 10, 300_000);
				await sleep(1000);
				const got = reports(workflows.many.id);
				assert.strictEqual(got.length, 100);
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
				);
				assert.strictEqual(new Set(got.map((report) => report.taskId)).size, 100);
				const runs = [...new Set(got.map((report) => String(report.execution)))];
				const spread = workers.map(
					(worker) => runs.filter((run) => startedBy(worker).has(run)).length,
				);
				assert.strictEqual(spread[0] + spread[1], 10, `runs by worker: ${spread}`);
				assert.ok(spread[0] > 0 && spread[1] > 0, `runs by worker: ${spread}`);
				const ratio = manyMs / oneMs;
				e2e.log(
					`     one run of 10: ${(oneMs / 1000).toFixed(1)} s; 10 runs at once: ${(manyMs / 1000).toFixed(1)} s (×${ratio.toFixed(2)}); runs per worker ${spread.join('/')}`,
				);
				assert.ok(ratio <= 1.5, `10 runs took ${ratio.toFixed(2)} times one`);
			},
		);

		await check(
			'queue: a callback through the webhook process starts the trigger workflow on a worker, with the file readable there',
			async () => {
				const hook = `${webhookUrl}/webhook/queue-receive-genapi/callback?token=${TOKEN}`;
				const response = await fetch(`${emulator.url}/api/v1/networks/z-image`, {
					method: 'POST',
					headers: {
						authorization: `Bearer ${emulator.config.keys.genApi}`,
						'content-type': 'application/json',
					},
					body: JSON.stringify({ prompt: 'queue callback [ms:1500]', callback_url: hook }),
				});
				const { request_id: taskId } = await response.json();
				const file = await parked.until(
					'the file at the sink',
					() => fileSink.files.find((entry) => entry.url.startsWith(`/file/${taskId}/`)),
					60_000,
				);
				const execution = file.url.split('/')[3];
				assert.strictEqual(file.body.subarray(1, 4).toString(), 'PNG', 'the worker sent no PNG');
				assert.ok(
					workers.some((worker) => startedBy(worker).has(execution)),
					`execution ${execution} did not run on a worker`,
				);
				const callback = (emulator.stats.callbacks ?? []).find((entry) =>
					entry.url.startsWith(hook.split('?')[0]),
				);
				assert.strictEqual(callback?.status, 200);
				e2e.log(
					`     callback → webhook process (${callback.answeredMs} ms) → execution ${execution} on a worker sent a ${file.body.length}-byte PNG read from the database store`,
				);
			},
		);

		await check(
			'queue: Ignore Duplicates across processes — copies sent together to one process start one run, a copy sent later to another process starts none',
			async () => {
				const path = `/webhook/queue-receive-genapi/callback?token=${TOKEN}`;
				const finishedTask = async (prompt) => {
					const response = await fetch(`${emulator.url}/api/v1/networks/z-image`, {
						method: 'POST',
						headers: {
							authorization: `Bearer ${emulator.config.keys.genApi}`,
							'content-type': 'application/json',
						},
						body: JSON.stringify({ prompt: `${prompt} [ms:300]` }),
					});
					const { request_id: taskId } = await response.json();
					await sleep(1000);
					return taskId;
				};
				const send = (base, taskId) =>
					fetch(`${base}${path}`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ request_id: taskId, status: 'success' }),
					}).then(async (response) => ({ status: response.status, body: await response.json() }));
				const runsOf = (taskId) =>
					new Set(
						fileSink.files
							.filter((entry) => entry.url.startsWith(`/file/${taskId}/`))
							.map((entry) => entry.url.split('/')[3]),
					).size;
				const settle = async (taskId, count) => {
					await parked.until(`a run for ${taskId}`, () => runsOf(taskId) >= count, 60_000);
					// Anything more would come within a moment.
					await sleep(3000);
				};

				// 5 copies at once to the webhook process: one run.
				const together = await finishedTask('five copies at once');
				const answers = await Promise.all(
					Array.from({ length: 5 }, () => send(webhookUrl, together)),
				);
				assert.deepStrictEqual([...new Set(answers.map((a) => a.status))], [200]);
				await settle(together, 1);
				assert.strictEqual(runsOf(together), 1, 'copies sent together started more than one run');

				// One copy to the webhook process, later one to main: the static data saved with the
				// first tells the second process.
				const later = await finishedTask('a copy to another process');
				assert.strictEqual((await send(webhookUrl, later)).status, 200);
				await settle(later, 1);
				const second = await send(main.url, later);
				await sleep(3000);
				assert.deepStrictEqual(second, { status: 200, body: { received: true, duplicate: true } });
				assert.strictEqual(runsOf(later), 1);

				// Copies at the same moment to two processes: each has its own memory, the static data
				// is written when each finishes; what happens is reported, and bounded by the processes.
				const split = await finishedTask('copies to two processes at once');
				await Promise.all([send(webhookUrl, split), send(main.url, split)]);
				await settle(split, 1);
				assert.ok(runsOf(split) <= 2);
				e2e.log(
					`     5 copies at once to one process: ${runsOf(together)} run; a later copy to main: ${second.body.duplicate ? 'duplicate' : 'a run'}; copies to two processes at the same moment: ${runsOf(split)} run(s)`,
				);
			},
		);

		await check(
			'queue: parked runs resume through the webhook process after the worker that created them was killed',
			async () => {
				emulator.config.holdCallbacks = true;
				try {
					await start(workflows.parked.id);
					await start(workflows.parked.id);
					await parked.until('6 held callbacks', () => emulator.heldCallbacks.length >= 6, 60_000);
					await parked.until(
						'both runs to park',
						async () => (await parked.waitingIn(main, workflows.parked.id)) === 2,
						60_000,
					);
				} finally {
					emulator.config.holdCallbacks = false;
				}
				const held = emulator.heldCallbacks;
				assert.ok(
					held.every((entry) => entry.url.startsWith(`${webhookUrl}/webhook-waiting/`)),
					'resume URLs do not point at the webhook process',
				);
				const runIds = [...new Set(held.map((entry) => new URL(entry.url).pathname.split('/')[2]))];
				const creator = workers.findIndex((worker) =>
					runIds.some((id) => startedBy(worker).has(id)),
				);
				assert.ok(creator >= 0, 'no worker started the parked runs');
				await workers[creator].kill();
				e2e.log(
					`     worker ${creator + 1} killed (SIGKILL) with runs ${runIds.join(', ')} parked`,
				);
				const answers = await emulator.releaseCallbacks();
				await parked.until('6 files', () => reports(workflows.parked.id).length >= 6, 120_000);
				await sleep(1500);
				const got = reports(workflows.parked.id);
				assert.strictEqual(got.length, 6, JSON.stringify(got));
				assert.strictEqual(new Set(got.map((report) => report.taskId)).size, 6);
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
				);
				assert.ok(
					answers.every((answer) => answer.status === 200),
					JSON.stringify(answers.map((a) => a.status)),
				);
				const survivor = workers[1 - creator];
				assert.ok(
					runIds.every(
						(id) =>
							[...survivor.log().matchAll(/Worker started execution (\d+)/g)].filter(
								(m) => m[1] === id,
							).length >= 1,
					),
					'the resumed runs did not run on the other worker',
				);
				workers[creator] = await startWorker();
			},
		);

		/** The emulator's Gen-API tasks whose prompt starts with `prefix`. */
		const tasksOf = (prefix) =>
			Object.values(emulator.stats.tasks).filter(
				(task) => task.provider === 'genApi' && String(task.prompt).startsWith(`${prefix} `),
			);
		/** Requests per task and how long after the last task was done its file reached the end. */
		const costOf = (id, prefix) => {
			const tasks = tasksOf(prefix);
			const doneAt = Math.max(
				...tasks.map((task) => task.first_creates + Number(/\[ms:(\d+)\]/.exec(task.prompt)[1])),
			);
			const lastFile = Math.max(
				...sink.arrivals.filter((entry) => entry.body.workflow === id).map((entry) => entry.at),
			);
			return {
				tasks: tasks.length,
				creates: tasks.reduce((n, task) => n + task.creates, 0),
				readsPerTask: tasks.reduce((n, task) => n + task.reads, 0) / tasks.length,
				afterDoneMs: lastFile - doneAt,
			};
		};

		await check(
			'queue: Poll in the Background against Poll, one run of 10 Gen-API items (8 s tasks) each: status reads per task, time from the last task done to its file at the end',
			async () => {
				const pollMs = await runFor(workflows.pollCost.id, 1, 10, 120_000);
				const backgroundMs = await runFor(workflows.backgroundCost.id, 1, 10, 120_000);
				await sleep(1000);
				const poll = costOf(workflows.pollCost.id, 'poll cost');
				const background = costOf(workflows.backgroundCost.id, 'background cost');
				for (const [id, cost] of [
					[workflows.pollCost.id, poll],
					[workflows.backgroundCost.id, background],
				]) {
					const got = reports(id);
					assert.strictEqual(got.length, 10);
					assert.ok(got.every((r) => r.status === 'succeeded' && r.mimeType === 'image/png'));
					assert.strictEqual(cost.tasks, 10);
					assert.strictEqual(cost.creates, 10);
				}
				// A Poll run's worker says in its log which tasks it created, before it waits for them.
				const [pollRun] = [
					...new Set(reports(workflows.pollCost.id).map((r) => String(r.execution))),
				];
				const line = workers
					.map((worker) => worker.log())
					.join('\n')
					.split('\n')
					.find((text) => text.includes(`Gen-API: execution ${pollRun} created 10 tasks`));
				assert.ok(line, `no worker logged the tasks of execution ${pollRun}`);
				assert.deepStrictEqual(
					line.split('task IDs: ')[1].trim().split(', ').sort(),
					reports(workflows.pollCost.id)
						.map((r) => String(r.taskId))
						.sort(),
				);
				e2e.log(
					`     Poll: ${(pollMs / 1000).toFixed(1)} s, ${poll.readsPerTask.toFixed(2)} reads/task, last file ${(poll.afterDoneMs / 1000).toFixed(2)} s after the last task was done; in the background: ${(backgroundMs / 1000).toFixed(1)} s, ${background.readsPerTask.toFixed(2)} reads/task, ${(background.afterDoneMs / 1000).toFixed(2)} s`,
				);
				assert.ok(background.readsPerTask <= 4, `${background.readsPerTask} reads per task`);
				assert.ok(background.afterDoneMs <= 10_000, `${background.afterDoneMs} ms after done`);
			},
		);

		await check(
			'queue: every worker is SIGKILLed while 3 runs × 10 Gen-API items wait in Poll in the Background: 30/30 files, every task created once',
			async () => {
				const id = workflows.background.id;
				await Promise.all([start(id), start(id), start(id)]);
				await parked.until(
					'the 3 runs to park',
					async () => (await parked.waitingIn(main, id)) === 3,
					60_000,
				);
				// The first check hands each run to the webhook process a moment after it parked.
				await sleep(1500);
				// Every worker dies while the tasks run (10 s each): no worker is left that knows the runs.
				const unread = tasksOf('after kill').filter((task) => task.reads === 0).length;
				for (const worker of workers) await worker.kill();
				assert.strictEqual(tasksOf('after kill').length, 30, 'not 30 tasks created');
				// New workers take the resumed runs.
				for (let n = 0; n < workers.length; n++) workers[n] = await startWorker();
				await parked.until('30 files', () => reports(id).length >= 30, 180_000);
				await sleep(2000);
				const got = reports(id);
				assert.strictEqual(got.length, 30, JSON.stringify(got.slice(30)));
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
					JSON.stringify(got.filter((report) => report.status !== 'succeeded')),
				);
				assert.strictEqual(new Set(got.map((report) => report.taskId)).size, 30);
				const tasks = tasksOf('after kill');
				assert.strictEqual(tasks.length, 30, `${tasks.length} tasks created for 30 items`);
				assert.ok(
					tasks.every((task) => task.creates === 1),
					'a task was created twice',
				);
				e2e.log(
					`     both workers SIGKILLed with the 3 runs parked (${unread} of 30 tasks not read yet), two new ones started; 30/30 files, 30 tasks each created once, ${(tasks.reduce((n, task) => n + task.reads, 0) / 30).toFixed(2)} reads per task`,
				);
			},
		);

		await check(
			'queue: 3 executions × 10 Nalitek items at once share the 10-a-minute limit: every item succeeds, every task created once',
			async () => {
				const before = emulator.stats.nalitek429 ?? emulator.stats.throttled ?? 0;
				const ms = await runFor(workflows.nalitek.id, 3, 10, 420_000);
				await sleep(1000);
				const got = reports(workflows.nalitek.id);
				assert.strictEqual(got.length, 30);
				assert.ok(
					got.every((report) => report.status === 'succeeded' && report.mimeType === 'image/png'),
					JSON.stringify(got.filter((r) => r.status !== 'succeeded')),
				);
				const tasks = Object.values(emulator.stats.tasks).filter(
					(task) => task.provider === 'nalitek' && String(task.prompt).startsWith('limit '),
				);
				assert.strictEqual(tasks.length, 30, `${tasks.length} tasks created for 30 items`);
				assert.ok(tasks.every((task) => task.creates === 1));
				const refused = (emulator.stats.nalitek429 ?? emulator.stats.throttled ?? 0) - before;
				const runs = [...new Set(got.map((report) => String(report.execution)))];
				const spread = workers.map(
					(worker) => runs.filter((run) => startedBy(worker).has(run)).length,
				);
				e2e.log(
					`     30/30 files in ${(ms / 1000).toFixed(0)} s, 30 tasks each created once, ${refused}×429 shared between runs per worker ${spread.join('/')}`,
				);
			},
		);
	} finally {
		await cluster?.stop();
		sink.close();
		fileSink.close();
		await emulator.stop();
		e2e.removeTemporary();
	}
}

module.exports = { startQueueMode, startedBy };

if (require.main === module)
	main().catch((error) => fail('queue mode setup (Redis, PostgreSQL, n8n processes)', error));
