#!/usr/bin/env node
'use strict';
// `npm run demo`: installs and builds when needed, then runs every example workflow inside a real
// n8n against the bundled provider emulator (no API key, no network) and saves the generated files
// under demo-output/.

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { installIfNeeded } = require('./install-if-needed');

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = path.join(ROOT, 'demo-output');
const started = Date.now();

function step(message) {
	process.stdout.write(`\n> ${message}\n`);
}

function npm(args) {
	execFileSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
}

/** "png 992×992", "mp4" — what a file is, read from the file itself. */
function describeFile(buffer, mimeType) {
	const { pictureSize } = require('../test/emulator/server');
	const size = mimeType?.startsWith('image/') ? pictureSize(buffer) : undefined;
	return size ? `${mimeType} ${size.width}×${size.height}` : mimeType;
}

/** Writes the files an execution made with this package's nodes to demo-output/<example>/; returns how many. */
function saveFiles(e2e, userFolder, name, execution, wallMs) {
	let files = 0;
	// Files made by this package's nodes; others (Aggregate, No Operation) only pass them on.
	const ours = new Set(
		e2e
			.loadExample(name)
			.nodes.filter((node) => node.type.startsWith('n8n-nodes-genmedia.'))
			.map((node) => node.name),
	);
	const folder = path.join(OUTPUT, path.basename(name, '.json'));
	fs.mkdirSync(folder, { recursive: true });
	const runData = execution.data.resultData.runData;
	for (const [nodeName, runs] of Object.entries(runData)) {
		if (!ours.has(nodeName)) continue;
		for (const run of runs) {
			const items = run?.data?.main?.[0] ?? [];
			for (const item of items) {
				for (const binary of Object.values(item.binary ?? {})) {
					const file = path.join(folder, binary.fileName);
					const data = e2e.readBinary(userFolder, binary);
					fs.writeFileSync(file, data);
					files++;
					const from = [
						item.json.taskId ? `task ${item.json.taskId}` : '',
						item.pairedItem?.item !== undefined ? `from input item ${item.pairedItem.item}` : '',
					]
						.filter(Boolean)
						.join(', ');
					process.stdout.write(
						`  ${nodeName}: ${path.relative(ROOT, file)}  ${describeFile(data, binary.mimeType)}  ${data.length} bytes${from ? `  (${from})` : ''}\n`,
					);
				}
			}
		}
	}
	const agent = runData['AI Agent']?.[0]?.data?.main?.[0]?.[0]?.json?.output;
	if (agent) process.stdout.write(`  AI Agent: ${agent}\n`);
	process.stdout.write(
		`  finished in ${(wallMs / 1000).toFixed(1)} s, execution status: ${execution.status ?? 'unknown'}\n`,
	);
	return files;
}

/**
 * The callback examples as a user runs them: the receiving workflows (AI Media Trigger) active in
 * a running n8n, the creating workflows run once (their schedule replaced by a manual start) with
 * their Callback URL pointing at it, and the Wait-for-Callback example started by a webhook, parked
 * until the emulator calls back. Each finished execution's files are saved like the others'.
 */
async function runCallbackExamples(e2e, userFolder, names, save) {
	const { startsByWebhook } = require('../test/e2e/parked');
	const waiting = [];
	for (const name of names.filter((n) => n.endsWith('-receive.json') || n.includes('wait-for'))) {
		const workflow = e2e.loadExample(name);
		if (name.includes('wait-for')) startsByWebhook(workflow, 'Every Morning', 'demo');
		workflow.active = true;
		await e2e.importWorkflow(userFolder, workflow);
		await e2e.activateWorkflow(userFolder, workflow.id);
		waiting.push({ name, workflow });
	}
	const server = await e2e.startN8n(userFolder);
	try {
		const webhookIds = waiting.flatMap(({ workflow }) =>
			workflow.nodes.filter((node) => node.webhookId).map((node) => node.webhookId),
		);
		for (const name of names.filter((n) => n.endsWith('-create.json'))) {
			const workflow = e2e.loadExample(name);
			step(`running "${workflow.name}" (examples/${name}); its callback goes to the running n8n`);
			const schedule = workflow.nodes.find(
				(node) => node.type === 'n8n-nodes-base.scheduleTrigger',
			);
			Object.assign(schedule, {
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				parameters: {},
			});
			for (const node of workflow.nodes) {
				const url = node.parameters?.callbackUrl;
				if (typeof url !== 'string') continue;
				const parsed = new URL(url);
				node.parameters.callbackUrl = `${server.url}${parsed.pathname}${parsed.search}`;
			}
			await e2e.importWorkflow(userFolder, workflow);
			const { execution, wallMs } = await e2e.executeWorkflow(userFolder, workflow.id);
			save(name, execution, wallMs);
		}
		for (const id of webhookIds.filter((id) => id === 'parked-demo')) {
			step(
				'starting "Gen-API: wait for the callback" by its webhook; it parks until every task calls back',
			);
			const response = await fetch(`${server.url}/webhook/${id}`, { method: 'POST' });
			if (!response.ok) throw new Error(`the parked example did not start: ${response.status}`);
		}
		for (const { name, workflow } of waiting) {
			const execution = await finishedExecution(server, workflow.id, 120_000);
			step(`"${workflow.name}" (examples/${name}) ran in the server`);
			save(name, execution, runTime(execution));
		}
	} finally {
		await server.stop();
	}
}

/** From the start of an execution's first node to the end of its last. */
function runTime(execution) {
	const runs = Object.values(execution.data.resultData.runData).flat();
	const start = Math.min(...runs.map((run) => run.startTime));
	const end = Math.max(...runs.map((run) => run.startTime + run.executionTime));
	return end - start;
}

/** The first finished execution of a workflow in a running n8n, with its data. */
async function finishedExecution(server, workflowId, timeoutMs) {
	const flatted = require(
		require.resolve('flatted', { paths: [require('../test/e2e/n8n').INSTALL_DIR] }),
	);
	const deadline = Date.now() + timeoutMs;
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	for (;;) {
		const { body } = await server.rest('GET', `/executions?limit=10&filter=${filter}`);
		const done = (body?.data?.results ?? []).find((run) =>
			['success', 'error'].includes(run.status),
		);
		if (done) {
			const { body: full } = await server.rest('GET', `/executions/${done.id}`);
			const record = full.data ?? full;
			const data = typeof record.data === 'string' ? flatted.parse(record.data) : record.data;
			return { ...record, data };
		}
		if (Date.now() > deadline) throw new Error(`no finished execution of ${workflowId}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

async function main() {
	installIfNeeded();
	step('building the package (npm run build)');
	npm(['run', 'build', '--silent']);

	const e2e = require('../test/e2e/n8n');
	const { createEmulator } = require('../test/emulator/server');

	step(`preparing n8n ${e2e.N8N_VERSION} (cached in ${e2e.INSTALL_DIR})`);
	await e2e.ensureN8n();
	const { startFakeModel } = require('../test/emulator/model');
	const emulator = createEmulator();
	await emulator.start();
	// The agent examples talk to a stand-in for an OpenAI model, on 127.0.0.1 like the emulator.
	const model = await startFakeModel();
	step(
		`installing the packed package into a fresh n8n user folder; provider emulator on ${emulator.url}`,
	);
	const userFolder = e2e.createUserFolder(e2e.packPackage());
	await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator, model));

	fs.rmSync(OUTPUT, { recursive: true, force: true });
	const all = fs.readdirSync(path.join(ROOT, 'examples')).filter((name) => name.endsWith('.json'));
	// The callback examples need a running n8n to receive the callbacks: they come second.
	const direct = all.filter((name) => !name.startsWith('callbacks-'));
	const callbacks = all.filter((name) => name.startsWith('callbacks-'));
	let files = 0;
	const save = (name, execution, wallMs) => {
		files += saveFiles(e2e, userFolder, name, execution, wallMs);
	};
	step(`${direct.length} examples run one after another with "n8n execute"`);
	for (const name of direct) {
		const workflow = e2e.loadExample(name);
		step(`running "${workflow.name}" (examples/${name})`);
		await e2e.importWorkflow(userFolder, workflow);
		const { execution, wallMs } = await e2e.executeWorkflow(userFolder, workflow.id);
		save(name, execution, wallMs);
	}
	step(
		`${callbacks.length} callback examples in a running n8n ("n8n start"): the emulator calls the AI Media Trigger and a parked run back`,
	);
	await runCallbackExamples(e2e, userFolder, callbacks, save);
	await emulator.stop();
	await model.stop();
	e2e.removeTemporary();
	process.stdout.write(
		`\nDone in ${e2e.duration(Date.now() - started)}: ${files} files in ${path.relative(process.cwd(), OUTPUT) || OUTPUT}/\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`\nThe demo stopped: ${error.message ?? error}\n`);
	process.exitCode = 1;
});
