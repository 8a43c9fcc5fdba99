/**
 * The output does not depend on where it was written: the same spec gives the same bytes
 * whatever the current folder, the spelling of `--config` and `--out` (relative, `./`, `..`,
 * absolute, a trailing slash), or where the output folder is; and `--check` agrees with any
 * spelling. The one exception, by design, is the output folder's marker, which names the spec
 * relative to the folder (so that `onboard` finds the folder): it is the same whenever the
 * folder and the spec sit the same way relative to each other.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OUTPUT_MARKER } from '../../src/output/write';
import { REPO, runCli } from '../helpers';
import { listTree } from '../support/cli-process';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-paths-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A checkout at `root`: the example spec at examples/tenancy.yaml. */
function checkout(root: string): string {
  fs.mkdirSync(path.join(root, 'examples'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'examples/tenancy.yaml'), path.join(root, 'examples/tenancy.yaml'));
  return root;
}

/** Every file under `dir`, marker included: relative path → bytes. */
function contents(dir: string): Map<string, Buffer> {
  return new Map(listTree(dir).map((rel) => [rel, fs.readFileSync(path.join(dir, rel))]));
}

function expectSameBytes(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...b.keys()]).toEqual([...a.keys()]);
  const differing = [...a].filter(([rel, bytes]) => !bytes.equals(b.get(rel)!)).map(([rel]) => rel);
  expect(differing).toEqual([]);
}

describe.each([
  ['yaml', []],
  ['helm', ['--format', 'helm']],
])('%s output', (_format, flags) => {
  test('is byte-identical rendered from different folders and machines, with paths spelled differently', () => {
    // GIVEN the same checkout in two places
    const a = checkout(path.join(tmp, 'alice/work/tenancy'));
    const b = checkout(path.join(tmp, 'bob/src/platform/tenancy-copy'));

    // WHEN it is rendered from the checkout root with relative paths, from a subfolder with `./`
    // and `..`, and from elsewhere with absolute paths and a trailing slash
    const runs: Array<[cwd: string, args: string[], out: string]> = [
      [a, ['--config', 'examples/tenancy.yaml', '--out', 'out'], path.join(a, 'out')],
      [path.join(b, 'examples'), ['--config', './tenancy.yaml', '--out', '../out'], path.join(b, 'out')],
      [tmp, ['--config', path.join(b, 'examples/../examples/tenancy.yaml'), '--out', `${path.join(b, 'out2')}/`], path.join(b, 'out2')],
    ];
    for (const [cwd, args] of runs) {
      const result = runCli(['synth', ...args, ...flags], cwd);
      expect({ args, stderr: result.stderr, status: result.status }).toEqual({ args, stderr: '', status: 0 });
    }

    // THEN every file is the same, byte for byte, the marker included
    const first = contents(runs[0][2]);
    expect(first.size).toBeGreaterThan(3);
    for (const [, , out] of runs.slice(1)) expectSameBytes(first, contents(out));
    expect(fs.readFileSync(path.join(a, 'out', OUTPUT_MARKER), 'utf8')).toContain('\nconfig: ../examples/tenancy.yaml\n');
  });

  test('is the same wherever the output folder is; only the marker says where the spec is', () => {
    const a = checkout(path.join(tmp, 'repo'));
    expect(runCli(['synth', '--config', 'examples/tenancy.yaml', '--out', 'out', ...flags], a).status).toBe(0);
    const elsewhere = path.join(tmp, 'elsewhere/deep/charts');
    expect(runCli(['synth', '--config', 'repo/examples/tenancy.yaml', '--out', elsewhere, ...flags], tmp).status).toBe(0);
    const withoutMarker = (dir: string) => new Map([...contents(dir)].filter(([rel]) => rel !== OUTPUT_MARKER));
    expectSameBytes(withoutMarker(path.join(a, 'out')), withoutMarker(elsewhere));
    expect(fs.readFileSync(path.join(elsewhere, OUTPUT_MARKER), 'utf8')).toContain('\nconfig: ../../../repo/examples/tenancy.yaml\n');
  });

  test('--check passes whatever the spelling of the paths', () => {
    const a = checkout(path.join(tmp, 'repo'));
    expect(runCli(['synth', '--config', 'examples/tenancy.yaml', '--out', 'out', ...flags], a).status).toBe(0);
    const checks: Array<[cwd: string, args: string[]]> = [
      [a, ['--config', './examples/tenancy.yaml', '--out', './out']],
      [a, ['--config', path.join(a, 'examples/tenancy.yaml'), '--out', `${path.join(a, 'out')}/`]],
      [path.join(a, 'examples'), ['--config', 'tenancy.yaml', '--out', '../out']],
      [tmp, ['--config', 'repo/examples/../examples/tenancy.yaml', '--out', 'repo/out']],
    ];
    for (const [cwd, args] of checks) {
      const result = runCli(['synth', ...args, ...flags, '--check'], cwd);
      expect({ args, status: result.status, stdout: result.stdout }).toEqual({ args, status: 0, stdout: expect.stringContaining('is up to date') });
    }
  });
});
