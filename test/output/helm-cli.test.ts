/** `synth --format helm` as a user runs it: what is written, --check, and the usage errors. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { oneTenantSpec, runCli } from '../helpers';
import { chartRender } from './chart-render';
import { HELP_HINT } from '../../src/cli/usage';

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

let dir: string;
let spec: string;
let out: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-helm-cli-'));
  spec = path.join(dir, 'tenancy.yaml');
  out = path.join(dir, 'out');
  fs.writeFileSync(spec, oneTenantSpec());
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('writes the chart folders and archives, versioned like the package, and says what it wrote', () => {
  const result = runCli(['synth', '--config', spec, '--out', out, '--format', 'helm']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^Wrote 2 charts \\(\\d+ files\\) to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/ \\(1 tenants\\)\\.\n$`));
  expect(fs.readdirSync(out).sort()).toEqual(['.cdk8s-tenancy', `tenancy-platform`, `tenancy-platform-${VERSION}.tgz`, 'tenant-payments', `tenant-payments-${VERSION}.tgz`]);
  const meta = parse(fs.readFileSync(path.join(out, 'tenant-payments/Chart.yaml'), 'utf8'));
  expect(meta.version).toBe(VERSION);
  // No path: a chart is the same wherever it is written (test/cli/path-independence.test.ts).
  expect(meta.annotations['tenancy.cdk8s.io/regenerate']).toBe('Do not edit: change the spec and run `npm run synth -- --config <spec> --out <output folder> --format helm`');
  for (const chart of ['tenancy-platform', 'tenant-payments']) {
    const rendered = chartRender(path.join(out, `${chart}-${VERSION}.tgz`));
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
  }
});

test('two runs write byte-identical archives', () => {
  expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm']).status).toBe(0);
  const first = fs.readFileSync(path.join(out, `tenant-payments-${VERSION}.tgz`));
  expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm']).status).toBe(0);
  expect(fs.readFileSync(path.join(out, `tenant-payments-${VERSION}.tgz`)).equals(first)).toBe(true);
});

test('--chart-version sets the charts\' version and archive names; --no-package writes folders only', () => {
  expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm', '--chart-version', '2.0.0-rc.1']).status).toBe(0);
  expect(fs.existsSync(path.join(out, 'tenant-payments-2.0.0-rc.1.tgz'))).toBe(true);
  expect(parse(fs.readFileSync(path.join(out, 'tenant-payments/Chart.yaml'), 'utf8')).version).toBe('2.0.0-rc.1');
  expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm', '--no-package']).status).toBe(0);
  expect(fs.readdirSync(out).filter((f) => f.endsWith('.tgz'))).toEqual([]);
  expect(fs.existsSync(path.join(out, 'tenant-payments/Chart.yaml'))).toBe(true);
});

test('--check compares the chart files and archives', () => {
  const args = ['synth', '--config', spec, '--out', out, '--format', 'helm'];
  expect(runCli(args).status).toBe(0);
  expect(runCli([...args, '--check'])).toMatchObject({ status: 0, stdout: expect.stringContaining('is up to date') });
  fs.appendFileSync(path.join(out, `tenant-payments-${VERSION}.tgz`), 'x');
  fs.writeFileSync(path.join(out, 'tenant-payments/templates/NOTES.txt'), 'edited\n');
  const stale = runCli([...args, '--check']);
  expect(stale.status).toBe(1);
  expect(stale.stdout).toBe(`${out} is stale; run \`npm run synth -- --config ${spec} --out ${out} --format helm\`:\n` +
    `  tenant-payments-${VERSION}.tgz (differs)\n  tenant-payments/templates/NOTES.txt (differs)\n`);
});

test.each([
  [['--format', 'json'], '--format `json` is not a format — use `yaml` or `helm`'],
  [['--format', 'helm', '--chart-version', '1.0'], '--chart-version `1.0` is not a SemVer 2 version (MAJOR.MINOR.PATCH, e.g. `1.4.0` or `1.4.0-rc.1`) — Helm refuses the chart otherwise'],
  [['--chart-version', '1.0.0'], '--chart-version applies to Helm charts only — drop --chart-version, or add --format helm'],
  [['--format', 'yaml', '--no-package'], '--no-package applies to Helm charts only — drop --no-package, or add --format helm'],
  [['--format', 'helm', '--stdout'], '--stdout prints YAML, and charts are folders — drop --stdout, or --format helm'],
])('usage error %j exits 2 and writes nothing', (flags, message) => {
  const result = runCli(['synth', '--config', spec, '--out', out, ...flags]);
  expect(result.status).toBe(2);
  expect(result.stderr).toBe(`error: ${message}\n${HELP_HINT}\n`);
  expect(fs.existsSync(out)).toBe(false);
});

test('--format helm with platform.gitops.flux exits 2 and writes nothing: a Kustomization applies YAML, not charts', () => {
  fs.writeFileSync(spec, oneTenantSpec('', '  gitops:\n    flux: { url: "https://git.example.com/platform/tenancy.git" }\n'));
  const result = runCli(['synth', '--config', spec, '--out', out, '--format', 'helm']);
  expect(result.status).toBe(2);
  expect(result.stderr).toBe('error: --format helm does not go with `platform.gitops.flux`: a Flux Kustomization applies YAML files, and charts would need a HelmRelease, which this tool does not render — render YAML for Flux (drop --format helm), or use `platform.gitops.argocd`, whose Applications install the charts\n' + HELP_HINT + '\n');
  expect(fs.existsSync(out)).toBe(false);
  expect(runCli(['synth', '--config', spec, '--out', out]).status).toBe(0);
});

test('--format helm with platform.gitops.argocd writes charts whose Application installs the chart', () => {
  fs.writeFileSync(spec, oneTenantSpec('', '  gitops:\n    argocd: { repoURL: "https://git.example.com/platform/tenancy.git", path: charts }\n'));
  expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm', '--no-package']).status).toBe(0);
  const file = fs.readdirSync(path.join(out, 'tenant-payments/templates')).find((f) => f.includes('-application-'))!;
  const application = parse(fs.readFileSync(path.join(out, 'tenant-payments/templates', file), 'utf8'));
  expect(application.spec.source).toEqual({ repoURL: 'https://git.example.com/platform/tenancy.git', targetRevision: 'HEAD', path: 'charts/tenant-payments', helm: { releaseName: 'tenant-payments' } });
});
