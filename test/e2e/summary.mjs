// A node:test reporter that ends a run with one line CI reads: "e2e: 35 passed, 1 failed"
// ("browser: …" for the editor test, "queue: …" for queue mode). Only the checks count (top-level tests), not their steps.
// Each failed check is named above that line ("e2e failed (n8n 1.123.81): <check>: <first line of its error>"), so
// the end of a long log says what failed.
// A run in which no check ran is a failure: a filter that matches nothing must not look green.
import path from 'node:path';

const firstLine = (error) => {
	const cause = error?.cause ?? error;
	const text = String(cause?.message ?? cause ?? '').trim();
	const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
	return line.length > 300 ? `${line.slice(0, 300)}…` : line;
};

export default async function* summary(source) {
	let passed = 0;
	let failed = 0;
	let skipped = 0;
	const failures = [];
	// A file run directly (`node --test-reporter=… file.js`) gives its events no `file` on every
	// Node line, so the script path in argv names the run as well.
	const labelOf = (file) =>
		typeof file !== 'string'
			? undefined
			: file.includes(`${path.sep}browser${path.sep}`)
				? 'browser'
				: path.basename(file) === 'queue.js'
					? 'queue'
					: undefined;
	let label = labelOf(path.resolve(process.argv[1] ?? '')) ?? 'e2e';
	for await (const event of source) {
		label = labelOf(event.data?.file) ?? label;
		if (event.data?.nesting !== 0) continue;
		if (event.type === 'test:pass') {
			if (event.data.skip) skipped++;
			else passed++;
		}
		if (event.type === 'test:fail') {
			failed++;
			failures.push(`${event.data.name}: ${firstLine(event.data.details?.error)}`);
		}
	}
	if (passed + failed === 0) process.exitCode = 1;
	const version = process.env.N8N_E2E_VERSION ? ` (n8n ${process.env.N8N_E2E_VERSION})` : '';
	for (const failure of failures) yield `${label} failed${version}: ${failure}\n`;
	yield `${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
