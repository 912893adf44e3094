#!/usr/bin/env node
'use strict';
// `npm test`: installs the project's dependencies on a fresh clone, then runs jest with the
// arguments given (`npm test -- --ci`). It is the test script itself, not a `pretest` hook: the
// repository's .npmrc skips lifecycle scripts, pre- and post-hooks included.

const { spawnSync } = require('child_process');
const path = require('path');

const { installIfNeeded } = require('./install-if-needed');

installIfNeeded();
const jest = require.resolve('jest/bin/jest', { paths: [path.resolve(__dirname, '..')] });
const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], {
	cwd: path.resolve(__dirname, '..'),
	stdio: 'inherit',
});
process.exitCode = result.status ?? 1;
