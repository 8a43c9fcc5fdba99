// Recompiles src/ into lib/ when lib/ is missing or older than any source file: what
// `bin/tenancy.js` does in a checkout before running the CLI, and what the tests do once before
// they start the compiled CLI in child processes (test/support/global-setup.js).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

/** Newest modification time of the files below `dir` (0 when it does not exist). */
function newestMtime(dir) {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds `root`'s lib/ with tsc when it is stale; answers whether it built. Throws when tsc fails
 * (its errors are printed on stderr).
 */
function buildIfStale(root) {
  const main = path.join(root, 'lib', 'cli', 'main.js');
  const config = path.join(root, 'tsconfig.build.json');
  const sources = Math.max(newestMtime(path.join(root, 'src')), fs.statSync(config, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  if (sources === 0 || (fs.existsSync(main) && fs.statSync(main).mtimeMs >= sources)) return false;
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', config], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('compiling src/ failed (see above); fix it or run `npm run build`');
  // tsc leaves an unchanged output's time alone only in incremental mode; touch to mark the build.
  const now = new Date();
  fs.utimesSync(main, now, now);
  return true;
}

module.exports = { buildIfStale };
