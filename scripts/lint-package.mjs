#!/usr/bin/env node
// Lints the package the way n8n's community package scanner (@n8n/scan-community-package) does:
// the same flat config, once on the sources (package.json, nodes/, credentials/) and once on the
// packed tarball (compiled dist/**/*.js and the published package.json).
// Usage: node scripts/lint-package.mjs [--sources-only]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import { defineConfig } from 'eslint/config';
import glob from 'fast-glob';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParserModule from '@typescript-eslint/parser';
import n8nNodesPluginModule from 'eslint-plugin-n8n-nodes-base';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsParser = tsParserModule.default ?? tsParserModule;
const n8nNodesPlugin = n8nNodesPluginModule.default ?? n8nNodesPluginModule;

/** A copy of buildScanConfig() in @n8n/scan-community-package 0.32.0 (scanner/scanner.mjs). */
function scanConfig() {
	return defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{ files: ['package.json'], rules: { ...n8nNodesPlugin.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
		{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
	);
}

async function lint(label, cwd, patterns) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: scanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	if (!files.length) throw new Error(`${label}: no files to lint`);
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const formatter = await eslint.loadFormatter('stylish');
	const text = await formatter.format(results);
	if (text.trim()) process.stdout.write(text);
	console.log(`${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	return errors;
}

const sourcesOnly = process.argv.includes('--sources-only');
let errors = await lint('sources', root, ['package.json', '{nodes,credentials}/**/*.{js,ts,json}']);

if (!sourcesOnly) {
	if (!fs.existsSync(path.join(root, 'dist')))
		throw new Error('dist/ is missing: run "npm run build" first');
	const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'genmedia-pack-'));
	try {
		const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', temp], {
			cwd: root,
			encoding: 'utf8',
		});
		const tarball = path.join(temp, out.trim().split('\n').pop());
		execFileSync('tar', ['-xzf', tarball, '-C', temp]);
		errors += await lint('packed package', path.join(temp, 'package'), [
			'**/*.js',
			'**/*.ts',
			'**/*.json',
		]);
	} finally {
		fs.rmSync(temp, { recursive: true, force: true });
	}
}
process.exitCode = errors ? 1 : 0;
