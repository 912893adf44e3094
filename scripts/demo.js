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
	// The callback pairs need a running n8n server to receive the callbacks: `npm run test:e2e` runs them.
	const examples = fs
		.readdirSync(path.join(ROOT, 'examples'))
		.filter((name) => name.endsWith('.json') && !name.startsWith('callbacks-'));
	let files = 0;
	for (const name of examples) {
		const workflow = e2e.loadExample(name);
		step(`running "${workflow.name}" (examples/${name})`);
		await e2e.importWorkflow(userFolder, workflow);
		const { execution, wallMs } = await e2e.executeWorkflow(userFolder, workflow.id);
		const folder = path.join(OUTPUT, path.basename(name, '.json'));
		fs.mkdirSync(folder, { recursive: true });
		const runData = execution.data.resultData.runData;
		for (const [nodeName, runs] of Object.entries(runData)) {
			const items = runs[0]?.data?.main?.[0] ?? [];
			// Files made by this package's nodes (others, such as Aggregate, only pass them on).
			if (!items.some((item) => item.json?.provider)) continue;
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
		const agent = runData['AI Agent']?.[0]?.data?.main?.[0]?.[0]?.json?.output;
		if (agent) process.stdout.write(`  AI Agent: ${agent}\n`);
		process.stdout.write(
			`  finished in ${(wallMs / 1000).toFixed(1)} s, execution status: ${execution.status ?? 'unknown'}\n`,
		);
	}
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
