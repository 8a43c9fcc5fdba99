// The library through jsii: compiles the package with jsii (which refuses any exported type that
// Python, Java, Go or C# could not use) and renders API.md with jsii-docgen from the assembly.
// Both run in a scratch copy of the sources, so the working tree's lib/ (which the CLI runs) and
// its files are left as they are. `npm run api-docs` rewrites API.md; test/library/jsii.test.ts
// runs the same and fails on any jsii error or warning, or when API.md is not what it renders.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

/** What jsii reads: the sources, its tsconfig, and package.json (name, peers, jsii settings) and README.md (the assembly's readme). */
const INPUTS = ['src', 'package.json', 'tsconfig.jsii.json', 'README.md'];

/**
 * Compiles `root` with `jsii --fail-on-warnings` in a scratch folder; answers the folder (with
 * `.jsii`), jsii's exit status and what it printed.
 */
function compileWithJsii(root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-jsii-'));
  for (const name of INPUTS) fs.cpSync(path.join(root, name), path.join(dir, name), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const jsii = require.resolve('jsii/bin/jsii', { paths: [root] });
  const run = spawnSync(process.execPath, [jsii, '--fail-on-warnings'], {
    cwd: dir,
    encoding: 'utf8',
    // jsii's banner for Node 20 (end of life in its support table) is no diagnostic of ours.
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', FORCE_COLOR: '0' },
  });
  return { dir, status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** API.md as jsii-docgen renders it from the assembly in `dir` (TypeScript signatures). */
function renderApiDocs(root, dir) {
  const docgen = require.resolve('jsii-docgen/bin/jsii-docgen', { paths: [root] });
  const out = path.join(dir, 'API.md');
  const run = spawnSync(process.execPath, [docgen, '--output', out], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`jsii-docgen failed:\n${run.stdout}${run.stderr}`);
  return fs.readFileSync(out, 'utf8');
}

function main() {
  const root = path.resolve(__dirname, '..');
  const { dir, status, output } = compileWithJsii(root);
  try {
    if (status !== 0) {
      process.stderr.write(output);
      process.stderr.write('jsii refused the library (see above); API.md was not written.\n');
      process.exitCode = 1;
      return;
    }
    fs.writeFileSync(path.join(root, 'API.md'), renderApiDocs(root, dir));
    console.log('Wrote API.md.');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();

module.exports = { compileWithJsii, renderApiDocs };
