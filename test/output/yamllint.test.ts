/**
 * A second opinion from a tool we did not write: yamllint (Debian's package; `.ci/run` installs
 * it) with the repository's `.yamllint.yaml` — `truthy`, octal and float forms, duplicate keys —
 * over every YAML output. In CI (`CI=true`) a missing yamllint fails the test; elsewhere it is
 * skipped with a message saying how to install it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from '../helpers';
import { sampleOutputs } from '../support/output-samples';

const CONFIG = path.join(REPO, '.yamllint.yaml');
const available = spawnSync('yamllint', ['--version'], { encoding: 'utf8' }).status === 0;
const inCi = process.env.CI === 'true';
if (!available && !inCi) {
  process.stderr.write('yamllint.test.ts: skipped — yamllint is not installed here (`apt-get install yamllint`); CI installs it and runs these tests.\n');
}
const check = available || inCi ? test : test.skip;

/** yamllint's problems (`file:line:col: [level] message (rule)`) with paths relative to `dir`; empty when clean. */
function yamllint(dir: string): string[] {
  const result = spawnSync('yamllint', ['--strict', '-c', CONFIG, '-f', 'parsable', '.'], { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`yamllint could not run: ${result.error.message} — install it with \`apt-get install yamllint\``);
  if (result.status !== 0 && result.stdout.trim() === '') throw new Error(`yamllint failed (status ${result.status}): ${result.stderr}`);
  return result.stdout.split('\n').filter((l) => l.trim() !== '');
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-yamllint-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

check('every output passes yamllint: YAML files, rendered charts, values.yaml, Chart.yaml, an onboarded tenant file, dist/', () => {
  expect({ yamllint: available ? 'installed' : 'missing: CI must install it (`apt-get install yamllint`)' }).toEqual({ yamllint: 'installed' });
  const samples = sampleOutputs();
  samples.forEach((s, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(3, '0')}.yaml`), s.text));
  const problems = yamllint(dir).map((line) => {
    const i = Number(/(\d{3})\.yaml/.exec(line)?.[1]);
    return `${samples[i]?.name ?? '?'}: ${line.replace(/^.*?\.yaml:/, '')}`;
  });
  expect(problems).toEqual([]);
  expect(samples.length).toBeGreaterThan(30);
});

check('the configuration catches what a YAML 1.1 reader misreads (the old output\'s `team: no`)', () => {
  expect({ yamllint: available ? 'installed' : 'missing: CI must install it (`apt-get install yamllint`)' }).toEqual({ yamllint: 'installed' });
  fs.writeFileSync(path.join(dir, 'old.yaml'), 'metadata:\n  labels:\n    tenancy.cdk8s.io/team: no\n    tenancy.cdk8s.io/environment: On\n  name: 017\nspec:\n  x: 1e3\n  y: 0o17\n  on: 1\n');
  expect(yamllint(dir).map((l) => l.replace(/^.*?old\.yaml:/, ''))).toEqual([
    '3:28: [error] truthy value should be one of [false, true] (truthy)',
    '4:35: [error] truthy value should be one of [false, true] (truthy)',
    '5:12: [error] forbidden implicit octal value "017" (octal-values)',
    '7:6: [error] forbidden scientific notation "1e3" (float-values)',
    '8:10: [error] forbidden explicit octal value "0o17" (octal-values)',
    '9:3: [error] truthy value should be one of [false, true] (truthy)',
  ]);
});
