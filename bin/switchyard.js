#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');

// A clean clone has no dist/ yet: build it on first use rather than fail with a stack trace.
if (!existsSync(cli)) {
  const buildScript = join(root, 'scripts', 'build.mjs');
  const canBuild = existsSync(buildScript) && existsSync(join(root, 'node_modules', 'esbuild'));
  if (canBuild) {
    process.stderr.write('switchyard: first run, building dist/ (npm run build)…\n');
    spawnSync(process.execPath, [buildScript], { cwd: root, stdio: 'inherit' });
  }
  if (!existsSync(cli)) {
    process.stderr.write(`switchyard: not built yet; run "npm install && npm run build" in ${root}\n`);
    process.exit(1);
  }
}

require(cli)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
