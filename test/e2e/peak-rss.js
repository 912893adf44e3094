'use strict';
// Preloaded into an n8n process (NODE_OPTIONS=--require …): on exit it writes the process's peak
// resident memory (KB) to the file named by GENMEDIA_PEAK_RSS_FILE.
const fs = require('fs');

const target = process.env.GENMEDIA_PEAK_RSS_FILE;
if (target) {
	process.on('exit', () => {
		fs.writeFileSync(target, String(process.resourceUsage().maxRSS));
	});
}
