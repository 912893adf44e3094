'use strict';
// Preloaded into an n8n process (NODE_OPTIONS=--require …): on exit it writes the process's peak
// resident memory (KB) to the file named by GENMEDIA_PEAK_RSS_FILE, and — with --expose-gc and
// GENMEDIA_HEAP_FILE — its live heap after two full garbage collections (what n8n still holds once
// the run has ended), as JSON.
const fs = require('fs');

const target = process.env.GENMEDIA_PEAK_RSS_FILE;
if (target) {
	process.on('exit', () => {
		fs.writeFileSync(target, String(process.resourceUsage().maxRSS));
	});
}

const heapTarget = process.env.GENMEDIA_HEAP_FILE;
if (heapTarget) {
	process.on('exit', () => {
		global.gc?.();
		global.gc?.();
		const { heapUsed } = process.memoryUsage();
		fs.writeFileSync(
			heapTarget,
			JSON.stringify({ heapAfterGcMb: heapUsed / 1024 / 1024, collected: Boolean(global.gc) }),
		);
	});
}
