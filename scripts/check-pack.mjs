#!/usr/bin/env node
// Checks what `npm pack` would publish: only what a user's n8n needs (compiled nodes and
// credentials, their icons and codex files, README, LICENSE, package.json), every node and
// credential package.json names, every icon a node or credential points to, and a small size.
// Run after `npm run build`. Prints the size; exits 1 on any problem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The packed size above which the check fails: it is ~79 kB today; a jump means something leaked in. */
const MAX_PACKED_BYTES = 150 * 1024;
const ALLOWED = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^dist\/(nodes|credentials)\/.+\.js$/,
	/^dist\/nodes\/.+\.node\.json$/,
	/^dist\/icons\/[\w.-]+\.svg$/,
];

const [pack] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	}),
);
const files = pack.files.map((file) => file.path);
const problems = [];
for (const file of files)
	if (!ALLOWED.some((pattern) => pattern.test(file))) problems.push(`not for users: ${file}`);
for (const needed of ['package.json', 'README.md', 'LICENSE'])
	if (!files.includes(needed)) problems.push(`missing: ${needed}`);

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
	if (!files.includes(entry)) problems.push(`package.json names ${entry}, which is not packed`);
if (Object.keys(manifest.dependencies ?? {}).length)
	problems.push(`runtime dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);

// Icons are named relative to the compiled file: file:../../icons/x.svg from dist/nodes/X/X.node.js.
for (const file of files.filter((name) => /\.(node|credentials)\.js$/.test(name))) {
	const text = fs.readFileSync(path.join(root, file), 'utf8');
	for (const [, icon] of text.matchAll(/['"]file:([^'"]+)['"]/g)) {
		const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), icon));
		if (!files.includes(target)) problems.push(`${file} points to ${icon}, which is not packed`);
	}
}
if (pack.size > MAX_PACKED_BYTES)
	problems.push(`packed size ${pack.size} B is over ${MAX_PACKED_BYTES} B`);

console.log(
	`npm pack: ${files.length} files, ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked`,
);
for (const problem of problems) console.log(`  ${problem}`);
console.log(
	problems.length ? `pack check: ${problems.length} problems` : 'pack check: only what users need',
);
process.exitCode = problems.length ? 1 : 0;
