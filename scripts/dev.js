#!/usr/bin/env node
'use strict';
// `npm run dev`: a real n8n editor on 127.0.0.1 with this package loaded, the provider emulator
// running and a credential for every provider pointing at it, so the examples run without an API
// key. Stop it with Ctrl+C. The n8n data lives in .dev-n8n/ (git-ignored) and survives restarts.

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DEV_FOLDER = path.join(ROOT, '.dev-n8n');
const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8787);
const OWNER = { email: 'dev@example.com', password: 'Genmedia-dev-1' };

function npm(args) {
	execFileSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) npm(['ci']);
	npm(['run', 'build', '--silent']);

	const e2e = require('../test/e2e/n8n');
	const { createEmulator } = require('../test/emulator/server');
	e2e.ensureN8n();

	const emulator = createEmulator();
	await emulator.start(EMULATOR_PORT);
	const fresh = !fs.existsSync(DEV_FOLDER);
	e2e.installPackage(DEV_FOLDER, e2e.packPackage());
	if (fresh) {
		await e2e.importCredentials(DEV_FOLDER, e2e.emulatorCredentials(emulator));
		for (const name of fs.readdirSync(path.join(ROOT, 'examples')).filter((file) => file.endsWith('.json'))) {
			await e2e.importWorkflow(DEV_FOLDER, e2e.loadExample(name));
		}
	}
	const server = await e2e.startN8n(DEV_FOLDER, { N8N_PORT: String(N8N_PORT), WEBHOOK_URL: `http://127.0.0.1:${N8N_PORT}/` }, OWNER);
	process.stdout.write(
		[
			'',
			`n8n editor:        ${server.url}  (sign in as ${OWNER.email} / ${OWNER.password})`,
			`provider emulator: ${emulator.url}  (every credential points here; no API key needed)`,
			'The example workflows are imported. Ctrl+C stops both.',
			'',
		].join('\n'),
	);
	const stop = async () => {
		await server.stop();
		await emulator.stop();
		e2e.removeTemporary();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
