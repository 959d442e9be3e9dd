#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when this is a built install (production image), the TypeScript sources otherwise,
// so `npm start` in a clone never runs stale code.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'src', 'cli', 'main.js');
const sources = path.join(root, 'src', 'cli', 'main.ts');

if (fs.existsSync(sources) && process.env.NODE_ENV !== 'production') {
  require('tsx/cjs');
  require(sources).main(process.argv);
} else if (fs.existsSync(built)) {
  require(built).main(process.argv);
} else {
  console.error('flexcord: no build found. Run `npm run build` first, or run from a clone with its sources.');
  process.exit(1);
}
