const { task, src, dest, parallel } = require('gulp');

// n8n reads icons and codex files from next to the compiled .js files, so they are copied into dist/
// with the same folder layout as the sources.
function nodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], { encoding: false }).pipe(dest('dist/nodes'));
}

function sharedIcons() {
	return src(['icons/**/*.{png,svg}'], { encoding: false }).pipe(dest('dist/icons'));
}

task('build:icons', parallel(nodeAssets, sharedIcons));
