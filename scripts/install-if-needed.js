#!/usr/bin/env node
'use strict';
// On a fresh clone, installs the project's dependencies first, so `npm test`, `npm run demo` and
// `npm run dev` need no other command.

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function installIfNeeded() {
	if (fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) return;
	process.stdout.write("\n> installing the project's dependencies (npm ci, about a minute)\n");
	execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

module.exports = { installIfNeeded };

if (require.main === module) installIfNeeded();
