#!/usr/bin/env node
// Runs `n8n-node lint` (@n8n/node-cli, n8n's tool for verified community nodes) on this repository.
//
// The CLI is installed once into the cache folder the n8n installs use (~/.cache/n8n-genmedia, or
// $N8N_E2E_CACHE), not into the project: it brings ~500 MB (an AI SDK, LangChain, native modules),
// and one of its resolvers has platform packages that a registry serving only Linux packages does
// not have, which `npm ci` refuses while `npm install` skips them. eslint.config.mjs — exactly the
// CLI's template, as its strict mode requires — imports '@n8n/node-cli/eslint' as n8n's starter
// does; `npm ci` links that name to scripts/node-cli, which loads the config of this install.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { NODE_CLI_VERSION } from './node-cli/version.mjs';

const VERSION = NODE_CLI_VERSION;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-genmedia');
const installDir = path.join(cache, `node-cli-${VERSION}`);
const installed = path.join(installDir, 'node_modules', '@n8n', 'node-cli');

if (!fs.existsSync(path.join(installed, 'package.json'))) {
	process.stderr.write(
		`> installing @n8n/node-cli ${VERSION} into ${installDir} (once, about a minute)\n`,
	);
	fs.mkdirSync(installDir, { recursive: true });
	fs.writeFileSync(path.join(installDir, 'package.json'), JSON.stringify({ private: true }));
	execFileSync(
		'npm',
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--ignore-scripts',
			'--loglevel=error',
			`@n8n/node-cli@${VERSION}`,
		],
		{ cwd: installDir, stdio: 'inherit' },
	);
}

// `--install-only`: install the CLI into the cache and stop (CI fetches it while other steps run).
if (process.argv.includes('--install-only')) process.exit(0);

const result = spawnSync(path.join(installDir, 'node_modules', '.bin', 'n8n-node'), ['lint'], {
	cwd: root,
	stdio: 'inherit',
});
// On success the CLI prints its banner and nothing more: say what it found.
process.stdout.write(
	result.status === 0
		? `\nn8n-node lint ${VERSION}: no problems\n`
		: `\nn8n-node lint ${VERSION}: failed (exit ${result.status ?? result.signal})\n`,
);
process.exitCode = result.status ?? 1;
