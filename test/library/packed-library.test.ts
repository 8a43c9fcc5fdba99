/**
 * The package as a user gets it: `npm pack` (which builds lib/ through `prepack`), installed
 * into a fresh cdk8s project, imported from 'cdk8s-tenancy' by a TypeScript app, and its
 * `tenancy` command run from node_modules/.bin. Slow (a build and an install): about a minute.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO } from '../helpers';

jest.setTimeout(600_000);

let work: string;
let project: string;
let packed: { files: Array<{ path: string }>; filename: string };

const quiet = { encoding: 'utf8' as const, stdio: 'pipe' as const, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' } };
const versionOf = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-pack-'));
  // A copy of the sources, so the build writes lib/ there and not into the working tree.
  const source = path.join(work, 'source');
  const names = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'src', 'bin', 'templates', 'tenancy.schema.json', 'tenancy.tenant.schema.json'];
  for (const name of names) {
    if (fs.existsSync(path.join(REPO, name))) fs.cpSync(path.join(REPO, name), path.join(source, name), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { ...quiet, cwd: source });
  packed = (JSON.parse(out.slice(out.indexOf('['))) as Array<typeof packed>)[0];

  project = path.join(work, 'app');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-cdk8s-app', version: '1.0.0', private: true }));
  execFileSync('npm', [
    'install', '--prefer-offline', '--no-audit', '--no-fund',
    path.join(work, packed.filename), `cdk8s@${versionOf('cdk8s')}`, `constructs@${versionOf('constructs')}`,
  ], { ...quiet, cwd: project });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const SPEC = `platform:
  allowedDomains: [example.com]
  defaults:
    issuer: { acme: { email: ops@example.com } }
tenants:
  - name: payments
    domains: [pay.example.com]
    owners: { groups: [payments-leads] }
`;

const APP = `import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Tenancy, TenantNamespace, ScopedTraefik, TenantIssuer, WildcardTLSStore,
  TenancyProps, ScopedTraefikProps, parseSpec, resolveTenancy, RefusedPropError,
} from 'cdk8s-tenancy';

class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, spec: string) {
    super(scope, id);
    const props: TenancyProps = { model: resolveTenancy(parseSpec(spec).spec) };
    new Tenancy(this, 'Tenancy', props);
  }
}

class HandMadeChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new TenantNamespace(this, 'Namespace', { name: 'shop', owners: { users: ['bob'] } });
    const traefikProps: ScopedTraefikProps = { tenant: 'shop', replicas: 1 };
    const traefik = new ScopedTraefik(this, 'Traefik', traefikProps);
    new TenantIssuer(this, 'Issuer', { tenant: 'shop', issuer: { selfSigned: {} }, domains: ['shop.example.com'], ingressClass: traefik.ingressClass });
    new WildcardTLSStore(this, 'Wildcard', { dnsNames: ['*.apps.example.com'], acme: { email: 'a@example.com', dns01: { route53: { region: 'eu-west-1' } } } });
  }
}

const app = new App({ outdir: process.argv[2] });
new PlatformChart(app, 'platform', ${JSON.stringify(SPEC)});
new HandMadeChart(app, 'handmade');
app.synth();

try {
  new ScopedTraefik(new Chart(new App(), 'refused'), 'Traefik', { tenant: 'shop', allowCrossNamespace: true });
} catch (err) {
  console.log(err instanceof RefusedPropError ? (err as Error).message : 'not a RefusedPropError');
}
`;

test('the package holds the compiled library with declarations, the CLI, the templates and the schema; no sources or tests', () => {
  const files = packed.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining([
    'package.json', 'lib/index.js', 'lib/index.d.ts', 'lib/constructs/tenancy.d.ts', 'lib/cli/main.js', 'bin/tenancy.js',
    'templates/tenant-file.yaml.hbs', 'templates/onboard-next-steps.txt.hbs', 'tenancy.schema.json',
  ]));
  expect(files.filter((f) => /^(src|test|examples|bench)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('a TypeScript cdk8s app imports the constructs from \'cdk8s-tenancy\', type-checks against the declarations, and synthesizes', () => {
  fs.writeFileSync(path.join(project, 'main.ts'), APP);
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true,
      skipLibCheck: false, lib: ['ES2022'], types: ['node'], typeRoots: [path.join(REPO, 'node_modules/@types')],
    },
    files: ['main.ts'],
  }));
  const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);

  const outdir = path.join(project, 'dist');
  const run = spawnSync(process.execPath, [path.join(project, 'main.js'), outdir], { cwd: project, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('ScopedTraefik: allowCrossNamespace: cross-namespace references let one tenant\'s routes use Services, Middlewares and TLS Secrets of another tenant — remove the field or set it to `false`\n');

  const objects = (file: string) => parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS());
  const ids = (file: string) => objects(file).map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
  expect(ids('platform.k8s.yaml')).toEqual(expect.arrayContaining([
    'Namespace -/traefik', 'TLSOption traefik/default', 'Namespace -/payments', 'Deployment traefik/traefik-payments',
    'Issuer payments/tenant-issuer', 'Certificate payments/pay.example.com',
  ]));
  expect(ids('handmade.k8s.yaml')).toEqual(expect.arrayContaining([
    'Namespace -/shop', 'NetworkPolicy shop/default-deny', 'Deployment traefik/traefik-shop', 'Issuer shop/tenant-issuer', 'TLSStore traefik/default',
  ]));
  const deployment = objects('handmade.k8s.yaml').find((o) => o.kind === 'Deployment');
  expect(deployment.spec.replicas).toBe(1);
  expect(deployment.spec.template.spec.containers[0].args).toContain('--providers.kubernetescrd.namespaces=shop,traefik');
});

test('the installed `tenancy` command validates, onboards, synthesizes and prints the schema', () => {
  const tenancy = (...args: string[]) => spawnSync(path.join(project, 'node_modules/.bin/tenancy'), args, { cwd: project, encoding: 'utf8' });
  fs.writeFileSync(path.join(project, 'tenancy.yaml'), SPEC);
  expect(tenancy('validate', '--config', 'tenancy.yaml').stdout).toBe('tenancy.yaml: valid (1 tenants, 1 files read).\n');

  const onboard = tenancy('onboard', '--config', 'tenancy.yaml', '--name', 'shop', '--domain', 'shop.example.com', '--owner-group', 'shop-leads');
  expect(onboard.stderr).toBe('');
  expect(onboard.status).toBe(0);
  expect(fs.readFileSync(path.join(project, 'tenants/shop.yaml'), 'utf8').split('\n')[0])
    .toBe('# yaml-language-server: $schema=../node_modules/cdk8s-tenancy/tenancy.tenant.schema.json');

  const synth = tenancy('synth', '--config', 'tenancy.yaml', '--out', 'manifests');
  expect(synth.stdout).toBe('Wrote 3 files to manifests/ (2 tenants).\n');
  expect(fs.readdirSync(path.join(project, 'manifests/tenants')).sort()).toEqual(['payments.yaml', 'shop.yaml']);

  const schema = tenancy('schema');
  expect(JSON.parse(schema.stdout).title).toBe('cdk8s-tenancy spec');
  expect(schema.stdout).toBe(fs.readFileSync(path.join(project, 'node_modules/cdk8s-tenancy/tenancy.schema.json'), 'utf8'));
});

test('the schema an onboarded tenant file names ships in the package', () => {
  expect(packed.files.map((f) => f.path)).toContain('tenancy.tenant.schema.json');
  expect(fs.existsSync(path.join(project, 'node_modules/cdk8s-tenancy/tenancy.tenant.schema.json'))).toBe(true);
});
