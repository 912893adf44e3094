// What eslint.config.mjs (n8n's template, which strict mode wants unchanged) imports as
// '@n8n/node-cli/eslint'. The CLI brings ~500 MB and is installed into the cache folder by
// `npm run lint` (scripts/n8n-node-lint.mjs), not by `npm ci`: once it is there, this is its
// config; before, an editor's ESLint gets the rules of n8n's community package scanner, so it
// works on a fresh clone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { NODE_CLI_VERSION } from './version.mjs';

const cache = process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-genmedia');
const installed = path.join(
	cache,
	`node-cli-${NODE_CLI_VERSION}`,
	'node_modules',
	'@n8n',
	'node-cli',
	'dist',
	'configs',
	'eslint.js',
);

async function scannerRules() {
	const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
	const parser = await import('@typescript-eslint/parser');
	return [
		{ ignores: ['dist/**', 'node_modules/**', '.dev-n8n/**'] },
		n8nCommunityNodesPlugin.configs.recommended,
		{ files: ['**/*.ts'], languageOptions: { parser: parser.default ?? parser } },
	];
}

const cli = fs.existsSync(installed) ? await import(pathToFileURL(installed).href) : undefined;
const loaded = cli?.default?.config ?? cli?.config;

export const config = loaded ?? (await scannerRules());
export const configWithoutCloudSupport =
	cli?.default?.configWithoutCloudSupport ?? cli?.configWithoutCloudSupport ?? config;
export default { config, configWithoutCloudSupport };
