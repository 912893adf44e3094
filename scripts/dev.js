#!/usr/bin/env node
'use strict';
// `npm run dev`: a real n8n editor on 127.0.0.1 with this package loaded, the provider emulator
// running and a credential for every provider pointing at it, so the examples run without an API
// key. Stop it with Ctrl+C. The n8n data lives in .dev-n8n/ (git-ignored) and survives restarts.

const { execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const { installIfNeeded } = require('./install-if-needed');

const ROOT = path.resolve(__dirname, '..');
const DEV_FOLDER = path.join(ROOT, '.dev-n8n');
const PORTS = {
	N8N_PORT: Number(process.env.N8N_PORT ?? 5678),
	EMULATOR_PORT: Number(process.env.EMULATOR_PORT ?? 8787),
	MODEL_PORT: Number(process.env.MODEL_PORT ?? 8788),
};
const OWNER = { email: 'dev@example.com', password: 'Genmedia-dev-1' };

function step(message) {
	process.stdout.write(`\n> ${message}\n`);
}

function npm(args) {
	execFileSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
}

/** Whether a port on 127.0.0.1 can be listened on right now. */
function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

class UserError extends Error {}

async function main() {
	for (const [variable, port] of Object.entries(PORTS)) {
		if (!Number.isInteger(port) || port < 1 || port > 65535)
			throw new UserError(`${variable}=${process.env[variable]} is not a port number.`);
		if (!(await portFree(port))) {
			const free = await (async () => {
				for (let candidate = port + 1; candidate < port + 50; candidate++)
					if (await portFree(candidate)) return candidate;
				return port + 1;
			})();
			throw new UserError(
				`Port ${port} on 127.0.0.1 is taken (another n8n or "npm run dev" may be running). ` +
					`Stop it, or choose another port: ${variable}=${free} npm run dev`,
			);
		}
	}
	installIfNeeded();
	step('building the package (npm run build)');
	npm(['run', 'build', '--silent']);

	const e2e = require('../test/e2e/n8n');
	const { createEmulator } = require('../test/emulator/server');
	step(`preparing n8n ${e2e.N8N_VERSION} (cached in ${e2e.INSTALL_DIR})`);
	await e2e.ensureN8n();

	const emulator = createEmulator();
	await emulator.start(PORTS.EMULATOR_PORT);
	// The agent examples' OpenAI credential points at a stand-in model on 127.0.0.1.
	const { startFakeModel } = require('../test/emulator/model');
	const model = await startFakeModel(PORTS.MODEL_PORT);
	const fresh = !fs.existsSync(DEV_FOLDER);
	step(
		`installing the packed package into ${path.relative(ROOT, DEV_FOLDER)}/${fresh ? ' with a credential per provider and every example' : ''}`,
	);
	e2e.installPackage(DEV_FOLDER, e2e.packPackage());
	if (fresh) {
		await e2e.importCredentials(DEV_FOLDER, e2e.emulatorCredentials(emulator, model));
		for (const name of fs
			.readdirSync(path.join(ROOT, 'examples'))
			.filter((file) => file.endsWith('.json'))) {
			await e2e.importWorkflow(DEV_FOLDER, e2e.loadExample(name));
		}
	}
	step('starting n8n (about 10 seconds)');
	const url = `http://127.0.0.1:${PORTS.N8N_PORT}`;
	const server = await e2e.startN8n(
		DEV_FOLDER,
		{ N8N_PORT: String(PORTS.N8N_PORT), WEBHOOK_URL: `${url}/` },
		OWNER,
	);
	process.stdout.write(
		[
			'',
			`n8n editor:        ${server.url}  (sign in as ${OWNER.email} / ${OWNER.password})`,
			`provider emulator: ${emulator.url}  (every credential points here; no API key needed)`,
			`stand-in AI model: ${model.url}  (the AI Agent examples' OpenAI credential)`,
			'The example workflows are imported. Ctrl+C stops all three.',
			'',
		].join('\n'),
	);
	const stop = async () => {
		await server.stop();
		await emulator.stop();
		await model.stop();
		e2e.removeTemporary();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	// A user's mistake gets a sentence; anything else the whole story.
	process.stderr.write(
		error instanceof UserError ? `\n${error.message}\n` : `\n${error.stack ?? error}\n`,
	);
	process.exit(1);
});
