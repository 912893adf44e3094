// Removes dist/ so a build never ships files of a deleted or renamed source.
const fs = require('fs');
const path = require('path');

fs.rmSync(path.join(__dirname, '..', 'dist'), { recursive: true, force: true });
