#!/usr/bin/env node
'use strict';
// `npm run demo`: installs and builds when needed, then runs every example workflow inside a real
// n8n against the bundled provider emulator (no API key, no network) and saves the generated files
// under demo-output/.

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = path.join(ROOT, 'demo-output');

function step(message) {
	process.stdout.write(`\n> ${message}\n`);
}

function npm(args) {
	execFileSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) {
		step('npm ci');
		npm(['ci']);
	}
	step('npm run build');
	npm(['run', 'build', '--silent']);

	const e2e = require('../test/e2e/n8n');
	const { createEmulator } = require('../test/emulator/server');

	step(`preparing n8n ${e2e.N8N_VERSION} (cached in ${e2e.INSTALL_DIR})`);
	e2e.ensureN8n();
	const emulator = createEmulator();
	await emulator.start();
	const userFolder = e2e.createUserFolder(e2e.packPackage());
	await e2e.importCredentials(userFolder, e2e.emulatorCredentials(emulator));

	fs.rmSync(OUTPUT, { recursive: true, force: true });
	// The callback pairs need a running n8n server to receive the callbacks: `npm run test:e2e` runs them.
	const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((name) => name.endsWith('.json') && !name.startsWith('callbacks-'));
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
			for (const item of items) {
				for (const binary of Object.values(item.binary ?? {})) {
					const file = path.join(folder, binary.fileName);
					fs.writeFileSync(file, e2e.readBinary(userFolder, binary));
					process.stdout.write(
						`  ${nodeName}: ${path.relative(ROOT, file)}  ${binary.mimeType}  ${fs.statSync(file).size} bytes  (task ${item.json.taskId}, from item ${item.pairedItem?.item})\n`,
					);
				}
			}
		}
		process.stdout.write(`  finished in ${(wallMs / 1000).toFixed(1)} s, execution status: ${execution.status ?? 'unknown'}\n`);
	}
	await emulator.stop();
	e2e.removeTemporary();
	process.stdout.write(`\nDone. The files are in ${path.relative(process.cwd(), OUTPUT) || OUTPUT}/\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exitCode = 1;
});
