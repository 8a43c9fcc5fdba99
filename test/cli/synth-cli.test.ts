/** The CLI as a user runs it: exit statuses, what is written, what a refusal leaves behind. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { oneTenantSpec, REPO, runCli } from '../helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeSpec(text: string, name = 'tenancy.yaml'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('renders a spec into --out and says what it wrote', () => {
  const spec = writeSpec(oneTenantSpec());
  const result = runCli(['synth', '--config', spec, '--out', path.join(dir, 'out')]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(`Wrote 2 files to ${path.join(dir, 'out')}/ (1 tenants).\n`);
  expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['.cdk8s-tenancy', 'platform.yaml', 'tenants']);
  expect(fs.readdirSync(path.join(dir, 'out', 'tenants'))).toEqual(['payments.yaml']);
});

test('a refused spec exits 1, prints every problem with file:line:col, no stack trace, and writes nothing', () => {
  const spec = writeSpec(oneTenantSpec('    podSecurity: privileged\n    traefik: { allowCrossNamespace: true }\n'));
  const out = path.join(dir, 'out');
  const result = runCli(['synth', '--config', spec, '--out', out]);
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:18: tenants\\[0\\]\\.podSecurity: `));
  expect(lines[1]).toMatch(/:9:37: tenants\[0\]\.traefik\.allowCrossNamespace: /);
  expect(lines[2]).toBe('2 problems found; nothing was written.');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(out)).toBe(false);
});

test('a refused spec leaves the previous output exactly as it was', () => {
  const spec = writeSpec(oneTenantSpec());
  const out = path.join(dir, 'out');
  expect(runCli(['synth', '--config', spec, '--out', out]).status).toBe(0);
  const before = fs.readFileSync(path.join(out, 'tenants/payments.yaml'));
  writeSpec(oneTenantSpec('    secrets: all\n'));
  expect(runCli(['synth', '--config', spec, '--out', out]).status).toBe(1);
  expect(fs.readFileSync(path.join(out, 'tenants/payments.yaml'))).toEqual(before);
});

test('removes the file of a tenant that left the spec, and nothing else', () => {
  const spec = writeSpec(`${oneTenantSpec()}  - name: shop\n    domains: [shop.example.com]\n    owners: { users: [bob] }\n    issuer: { selfSigned: {} }\n`);
  const out = path.join(dir, 'out');
  expect(runCli(['synth', '--config', spec, '--out', out]).status).toBe(0);
  expect(fs.existsSync(path.join(out, 'tenants/shop.yaml'))).toBe(true);
  writeSpec(oneTenantSpec());
  expect(runCli(['synth', '--config', spec, '--out', out]).status).toBe(0);
  expect(fs.readdirSync(path.join(out, 'tenants'))).toEqual(['payments.yaml']);
});

test('refuses to write into a folder holding files it did not write, and names the folder', () => {
  const spec = writeSpec(oneTenantSpec());
  const foreign = path.join(dir, 'src');
  fs.mkdirSync(foreign);
  fs.writeFileSync(path.join(foreign, 'main.ts'), 'keep me');
  const result = runCli(['synth', '--config', spec, '--out', foreign]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`\`${foreign}\` holds files cdk8s-tenancy did not write`);
  expect(fs.readdirSync(foreign)).toEqual(['main.ts']);
});

test('--check exits 1 naming the stale files, and 0 when up to date', () => {
  const spec = writeSpec(oneTenantSpec());
  const out = path.join(dir, 'out');
  expect(runCli(['synth', '--config', spec, '--out', out, '--check']).status).toBe(1);
  runCli(['synth', '--config', spec, '--out', out]);
  expect(runCli(['synth', '--config', spec, '--out', out, '--check']).status).toBe(0);
  writeSpec(oneTenantSpec('    traefik: { replicas: 3 }\n'));
  const stale = runCli(['synth', '--config', spec, '--out', out, '--check']);
  expect(stale.status).toBe(1);
  expect(stale.stdout).toContain('  tenants/payments.yaml (differs)\n');
  expect(stale.stdout).not.toContain('platform.yaml');
});

test('the command --check prints reads its paths as `npm run` does: from the package\'s folder, wherever it was typed', () => {
  // From a folder inside the package: paths relative to the package's folder.
  const inside = runCli(['synth', '--config', 'tenancy.yaml', '--out', 'out-nowhere', '--check'], path.join(REPO, 'examples'));
  expect(inside.stdout.split('\n')[0]).toBe('out-nowhere is stale; run `npm run synth -- --config examples/tenancy.yaml --out examples/out-nowhere`:');
  expect(fs.existsSync(path.join(REPO, 'examples/out-nowhere'))).toBe(false);
  // From the package's folder: as typed.
  const root = runCli(['synth', '--config', 'examples/tenancy.yaml', '--out', 'out-nowhere', '--check'], REPO);
  expect(root.stdout.split('\n')[0]).toBe('out-nowhere is stale; run `npm run synth -- --config examples/tenancy.yaml --out out-nowhere`:');
});

test('--stdout prints the YAML and writes nothing', () => {
  const spec = writeSpec(oneTenantSpec());
  const result = runCli(['synth', '--config', spec, '--stdout'], dir);
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('kind: Deployment');
  expect(fs.readdirSync(dir)).toEqual(['tenancy.yaml']);
});

describe('usage errors exit 2 with the problem and one line pointing to --help, not the whole help', () => {
  const HINT = 'Run `tenancy --help` for the commands and their options.\n';
  test.each([
    [['synth', '--confg', 'x.yaml'], '`synth` has no option `--confg` — did you mean `--config`?'],
    [['validate', '--confg=x.yaml'], '`validate` has no option `--confg` — did you mean `--config`?'],
    [['audit', 'x.yaml', '--fail-onn', 'low'], '`audit` has no option `--fail-onn` — did you mean `--fail-on`?'],
    [['schema', '--tenants'], '`schema` has no option `--tenants` — did you mean `--tenant`?'],
    [['synth', '--bogus'], '`synth` has no option `--bogus` — its options are `--config`, `--out`, `--check`, `--stdout`, `--format`, `--chart-version`, `--no-package`'],
    [['synht'], 'unknown command `synht` — did you mean `synth`?'],
    [['frobnicate'], 'unknown command `frobnicate` — use `synth`, `validate`, `audit`, `onboard`, `schema`'],
    [['synth', '--config'], '--config needs a value — write `--config VALUE` (a value starting with `-` as `--config=VALUE`)'],
    [['synth', '--check=yes'], '--check takes no value — write `--check` alone'],
    [['synth', '--check', '--stdout'], '--check and --stdout do not go together — drop one of them'],
  ])('%j', (args, message) => {
    expect(runCli(args, dir)).toEqual({ status: 2, stdout: '', stderr: `error: ${message}\n${HINT}` });
  });
});

test('a missing spec file is a usage error naming the file (exit 2), and writes nothing', () => {
  const result = runCli(['synth', '--config', path.join(dir, 'nope.yaml'), '--out', path.join(dir, 'out')]);
  expect(result).toEqual({ status: 2, stdout: '', stderr: `error: \`${path.join(dir, 'nope.yaml')}\` does not exist — check the path given to --config\n` });
  expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
});

describe('an input file named on the command line that does not exist is a usage error (exit 2) in every command', () => {
  test.each([
    [['synth', '--config', 'nope.yaml'], 'error: `nope.yaml` does not exist — check the path given to --config\n'],
    [['validate', '--config', 'nope.yaml'], 'error: `nope.yaml` does not exist — check the path given to --config\n'],
    [['validate'], 'error: `examples/tenancy.yaml` does not exist — check --config (without it, `examples/tenancy.yaml` is read from the current folder)\n'],
    [['onboard', '--name', 'a', '--domain', 'a.example.com', '--owner-group', 'g', '--config', 'nope.yaml'], 'error: `nope.yaml` does not exist — check the path given to --config\n'],
    [['onboard', '--name', 'a', '--domain', 'a.example.com', '--owner-group', 'g', '--config', 'tenancy.yaml', '--templates', 'nope'], 'error: `nope` does not exist — check the path given to --templates\n'],
    [['audit', 'nope.yaml'], 'error: cannot read `nope.yaml` (no such file or folder) — check the path\n'],
    [['synth', '--config', '.'], 'error: `.` is a folder, not a file — check the path given to --config\n'],
    [['synth', '--config', '/dev/null'], 'error: `/dev/null` is not a regular file (a device, pipe or socket) — check the path given to --config\n'],
  ])('%j', (args, stderr) => {
    writeSpec(oneTenantSpec());
    const before = fs.readdirSync(dir).sort();
    expect(runCli(args, dir)).toEqual({ status: 2, stdout: '', stderr });
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  test('a broken tenant file under tenantsDir is a problem in the spec, exit 1, not a usage error', () => {
    const spec = writeSpec(oneTenantSpec());
    fs.mkdirSync(path.join(dir, 'tenants'));
    fs.symlinkSync('missing.yaml', path.join(dir, 'tenants', 'dangling.yaml'));
    const result = runCli(['validate', '--config', spec], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('dangling.yaml:1:1: (root): cannot read the file (no such file)');
  });
});

test('validate checks a spec and writes nothing', () => {
  const spec = writeSpec(oneTenantSpec());
  const ok = runCli(['validate', '--config', spec], dir);
  expect(ok.status).toBe(0);
  expect(ok.stdout).toContain('valid (1 tenant, 1 file read)');
  expect(fs.readdirSync(dir)).toEqual(['tenancy.yaml']);
  writeSpec(oneTenantSpec('    podSecurity: privileged\n'));
  expect(runCli(['validate', '--config', spec], dir).status).toBe(1);
});

test('reads tenant files under tenantsDir beside the config, reporting problems in those files', () => {
  const spec = writeSpec(oneTenantSpec());
  fs.mkdirSync(path.join(dir, 'tenants'));
  fs.writeFileSync(path.join(dir, 'tenants', 'shop.yaml'), 'name: shop\ndomains: [shop.example.com]\nowners: { users: [bob] }\nissuer: { selfSigned: {} }\n');
  expect(runCli(['synth', '--config', spec, '--out', path.join(dir, 'out')]).status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'out', 'tenants', 'shop.yaml'))).toBe(true);
  fs.writeFileSync(path.join(dir, 'tenants', 'shop.yaml'), 'name: shop\ndomains: [pay.example.com]\nowners: { users: [bob] }\nissuer: { selfSigned: {} }\n');
  const refused = runCli(['synth', '--config', spec, '--out', path.join(dir, 'out')]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain(`${path.join(dir, 'tenants', 'shop.yaml')}:2:11: domains[0]: \`pay.example.com\` is claimed twice: tenant \`payments\` already claims it`);
});

test('follows a symlinked tenant file instead of dropping that tenant', () => {
  const spec = writeSpec(oneTenantSpec());
  fs.mkdirSync(path.join(dir, 'tenants'));
  fs.mkdirSync(path.join(dir, 'shared'));
  fs.writeFileSync(path.join(dir, 'shared', 'shop.yaml'), 'name: shop\ndomains: [shop.example.com]\nowners: { users: [bob] }\nissuer: { selfSigned: {} }\n');
  fs.symlinkSync('../shared/shop.yaml', path.join(dir, 'tenants', 'Shop.YAML'));
  expect(runCli(['synth', '--config', spec, '--out', path.join(dir, 'out')]).status).toBe(0);
  expect(fs.readdirSync(path.join(dir, 'out', 'tenants')).sort()).toEqual(['payments.yaml', 'shop.yaml']);
});

test('refuses a tenantsDir that does not exist, and reports it with the other problems', () => {
  const spec = writeSpec(`${oneTenantSpec('    secrets: all\n')}tenantsDir: teams\n`);
  const result = runCli(['validate', '--config', spec]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(':9:13: tenantsDir: `teams` does not exist beside the spec, so no tenant file would be read — create the folder or fix the path');
  expect(result.stderr).toContain('tenants[0].secrets');
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('an empty --out is a usage error; an --out under a file is a clean refusal', () => {
  const spec = writeSpec(oneTenantSpec());
  expect(runCli(['synth', '--config', spec, '--out', '']).status).toBe(2);
  fs.writeFileSync(path.join(dir, 'afile'), 'x');
  const result = runCli(['synth', '--config', spec, '--out', path.join(dir, 'afile', 'sub')]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('cannot write');
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('prints the first 100 problems of a spec with hundreds, then how many more', () => {
  const spec = writeSpec(['tenants:', ...Array.from({ length: 150 }, (_, i) => `  - name: t${i}\n    bogus${i}: 1`)].join('\n'));
  const result = runCli(['validate', '--config', spec]);
  const lines = result.stderr.trim().split('\n');
  expect(result.status).toBe(1);
  expect(lines).toHaveLength(102);
  expect(lines.slice(-2)).toEqual(['… and 500 more', '600 problems found; nothing was written.']);
});
