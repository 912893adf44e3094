const { task, src, dest, parallel } = require('gulp');

// n8n reads codex files from next to the compiled .js files, and icons by the path a node or
// credential names (file:../../icons/…), so both are copied into dist/ with the sources' layout.
// Icons live once, in icons/, for the nodes and the credentials alike.
function codex() {
	return src(['nodes/**/*.node.json']).pipe(dest('dist/nodes'));
}

function icons() {
	return src(['icons/**/*.{png,svg}'], { encoding: false }).pipe(dest('dist/icons'));
}

task('build:icons', parallel(codex, icons));
