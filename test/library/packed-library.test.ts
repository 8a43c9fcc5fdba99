/**
 * The package as a user gets it, exactly as the README's "Install from a clone" says: `npm pack`
 * (which compiles with jsii through `prepack`), the tarball installed into a fresh cdk8s app
 * with its peers and TypeScript 5.9, and the README's own app run with `npx ts-node main.ts`.
 * Its output then goes through its own admission policies (the CEL run as the API server runs
 * it): the app's Certificates and Ingress are admitted, another tenant's hosts denied. The
 * package's `tenancy` command is run from node_modules/.bin. Slow (a jsii build and installs):
 * about a minute.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO } from '../helpers';
import { admitVap } from '../support/cel-admission';

jest.setTimeout(600_000);

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
/** The code block after `<!-- packed-app: NAME -->` in the README. */
function readmeBlock(name: string): string {
  const match = README.match(new RegExp(`<!-- packed-app: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``));
  if (!match) throw new Error(`README.md has no block marked packed-app: ${name}`);
  return match[1];
}
/** The commands of the README's install block, comments dropped. */
const INSTALL = readmeBlock('install').split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);

const quiet = { encoding: 'utf8' as const, stdio: 'pipe' as const, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' } };
const versionOf = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
/** `pkg` at the version this repository installs, so the test needs no registry lookups. */
const pinned = (pkg: string) => `${pkg}@${versionOf(pkg)}`;

let work: string;
let project: string;
let packed: { files: Array<{ path: string }>; filename: string };
const steps: string[] = [];

function run(cmd: string, args: string[], cwd: string): void {
  const result = spawnSync(cmd, args, { ...quiet, cwd });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-pack-'));
  // A clone: the files a checkout has (`npm ci` is the repository's node_modules, linked).
  const clone = path.join(work, 'cdk8s-tenancy');
  const names = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.jsii.json', 'README.md', 'API.md', 'src', 'bin', 'scripts', 'templates', 'tenancy.schema.json', 'tenancy.tenant.schema.json'];
  for (const name of names) fs.cpSync(path.join(REPO, name), path.join(clone, name), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  project = path.join(work, 'my-app');
  fs.mkdirSync(project);
  // What `cdk8s init typescript-app` leaves: a package.json and a strict tsconfig.json (no skipLibCheck).
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-app', version: '1.0.0', private: true, main: 'main.js' }));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2020', module: 'CommonJS', lib: ['es2020'], strict: true, declaration: true, noImplicitReturns: true, noUnusedLocals: true,
      noUnusedParameters: true, noFallthroughCasesInSwitch: true, resolveJsonModule: true, esModuleInterop: true, inlineSourceMap: true,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  }));
  fs.writeFileSync(path.join(project, 'main.ts'), readmeBlock('main.ts'));

  // The README's commands, one by one; versions pinned to this repository's.
  const tarball = `../cdk8s-tenancy/cdk8s-tenancy-${VERSION}.tgz`;
  for (const line of INSTALL) {
    for (const command of line.split(/\s*&&\s*/)) {
      const args = command.split(/\s+/);
      if (command === 'npm ci') {
        // The clone's node_modules are the repository's.
      } else if (command === 'npm pack') {
        const out = execFileSync('npm', ['pack', '--json'], { ...quiet, cwd: clone });
        packed = (JSON.parse(out.slice(out.indexOf('['))) as Array<typeof packed>)[0];
      } else if (command === 'cd ../my-app') {
        // `project` is the clone's sibling `my-app`.
      } else if (args[0] === 'npm' && args[1] === 'install' && args[2] === tarball) {
        run('npm', ['install', '--prefer-offline', tarball, ...args.slice(3).map(pinned)], project);
      } else if (args[0] === 'npm' && args[1] === 'install' && args[2] === '--save-dev') {
        run('npm', ['install', '--prefer-offline', '--save-dev', ...args.slice(3).map((a) => a.startsWith('typescript@') ? a : pinned(a))], project);
      } else if (command === 'npx ts-node main.ts') {
        // Run by the test below.
      } else {
        throw new Error(`the README's install block has a command this test does not know: ${command}`);
      }
      steps.push(command);
    }
  }
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('the README\'s install block is the one this test runs', () => {
  expect(steps).toEqual([
    'npm ci', 'npm pack', 'cd ../my-app',
    `npm install ../cdk8s-tenancy/cdk8s-tenancy-${VERSION}.tgz cdk8s cdk8s-plus-29 constructs`,
    'npm install --save-dev typescript@~5.9.3 ts-node @types/node',
    'npx ts-node main.ts',
  ]);
  expect(JSON.parse(fs.readFileSync(path.join(project, 'node_modules/typescript/package.json'), 'utf8')).version).toMatch(/^5\.9\./);
});

test('the package holds the compiled library with declarations, the jsii assembly, the CLI, the templates and the schemas; no sources or tests', () => {
  const files = packed.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining([
    'package.json', '.jsii', 'API.md', 'lib/index.js', 'lib/index.d.ts', 'lib/spec/index.d.ts', 'lib/audit/index.d.ts', 'lib/cli/main.js', 'bin/tenancy.js',
    'templates/tenant-file.yaml.hbs', 'templates/onboard-next-steps.txt.hbs', 'tenancy.schema.json', 'tenancy.tenant.schema.json',
  ]));
  expect(files.filter((f) => !f.startsWith('node_modules/') && (/^(src|test|examples|bench)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  // jsii's rule: what is not a jsii module ships inside the package.
  for (const bundled of ['zod', 'yaml', 'handlebars', 'tar']) expect(files).toContain(`node_modules/${bundled}/package.json`);
  // The peers are the app's: one copy of constructs.
  expect(fs.existsSync(path.join(project, 'node_modules/cdk8s-tenancy/node_modules/constructs'))).toBe(false);
});

describe('the README\'s app, run with `npx ts-node main.ts`', () => {
  let objects: any[];
  beforeAll(() => {
    const result = spawnSync('npx', ['ts-node', 'main.ts'], { ...quiet, cwd: project });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    objects = parseAllDocuments(fs.readFileSync(path.join(project, 'dist/tenancy.k8s.yaml'), 'utf8')).map((d) => d.toJS());
  });
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  /** What the app's ValidatingAdmissionPolicies say about `object`, created in its namespace. */
  const denials = (object: any) => objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').flatMap((policy) => {
    const result = admitVap(policy, { object, namespaceObject: find('Namespace', object.metadata.namespace) });
    return [...result.denials, ...result.errors];
  });

  test('synthesizes the platform, both tenants and the Ingress', () => {
    const ids = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
    expect(ids).toEqual(expect.arrayContaining([
      'Namespace -/traefik', 'TLSOption traefik/default', 'ValidatingAdmissionPolicy -/tenancy-certificates', 'Namespace -/shop', 'Namespace -/blog',
      'Deployment traefik/traefik-shop', 'Issuer shop/tenant-issuer', 'Certificate shop/shop.example.com', 'Certificate blog/blog.example.com',
      'Ingress shop/storefront',
    ]));
    expect(find('Ingress', 'storefront').metadata.annotations).toEqual({ 'kubernetes.io/ingress.class': 'traefik-shop' });
  });

  test('its own Certificates and Ingress are admitted by its own admission policies', () => {
    const own = objects.filter((o) => ['Certificate', 'Ingress'].includes(o.kind) && o.metadata.namespace !== 'traefik');
    expect(own).toHaveLength(3);
    for (const object of own) expect({ object: `${object.kind} ${object.metadata.name}`, denials: denials(object) }).toEqual({ object: `${object.kind} ${object.metadata.name}`, denials: [] });
  });

  test('another tenant\'s hosts are denied', () => {
    const ingress = structuredClone(find('Ingress', 'storefront'));
    ingress.spec.rules[0].host = 'blog.example.com';
    expect(denials(ingress)).toEqual([expect.stringContaining('must name one of this tenant\'s hosts')]);
    const certificate = structuredClone(objects.find((o) => o.kind === 'Certificate' && o.metadata.namespace === 'shop'));
    certificate.spec.dnsNames = ['blog.example.com'];
    expect(denials(certificate).length).toBeGreaterThan(0);
  });
});

test('the refusals and the subpath entries work from the package: `cdk8s-tenancy/spec`, `cdk8s-tenancy/audit`', () => {
  fs.writeFileSync(path.join(project, 'extras.ts'), `import { App, Chart } from 'cdk8s';
import { Platform, RefusedPropError, SpecError } from 'cdk8s-tenancy';
import { parseSpec, resolveTenancy } from 'cdk8s-tenancy/spec';
import { THREATS } from 'cdk8s-tenancy/audit';

try {
  new Platform(new Chart(new App(), 'refused'), 'Platform', { namespace: 'kube-system' });
} catch (err) {
  console.log(err instanceof RefusedPropError ? err.problems.map((p) => p.threat).join() : 'not a RefusedPropError');
}
try {
  parseSpec('tenants: []\\nplatform: { admission: opa }\\n', 'tenancy.yaml');
} catch (err) {
  console.log(err instanceof SpecError ? err.problems.map((p) => p.path).join() : 'not a SpecError');
}
console.log(resolveTenancy(parseSpec('tenants: []\\n').spec).platform.namespace, THREATS.length > 0);
`);
  const result = spawnSync('npx', ['ts-node', 'extras.ts'], { ...quiet, cwd: project });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  expect(result.stdout).toBe('platform-namespace\nplatform.admission\ntraefik true\n');
});

test('the installed `tenancy` command validates, onboards, synthesizes and prints the schema', () => {
  const SPEC = `platform:
  allowedDomains: [example.com]
  defaults:
    issuer: { acme: { email: ops@example.com } }
tenants:
  - name: payments
    domains: [pay.example.com]
    owners: { groups: [payments-leads] }
`;
  const tenancy = (...args: string[]) => spawnSync(path.join(project, 'node_modules/.bin/tenancy'), args, { cwd: project, encoding: 'utf8' });
  fs.writeFileSync(path.join(project, 'tenancy.yaml'), SPEC);
  expect(tenancy('validate', '--config', 'tenancy.yaml').stdout).toBe('tenancy.yaml: valid (1 tenant, 1 file read).\n');

  const onboard = tenancy('onboard', '--config', 'tenancy.yaml', '--name', 'shop', '--domain', 'shop.example.com', '--owner-group', 'shop-leads');
  expect(onboard.stderr).toBe('');
  expect(onboard.status).toBe(0);
  expect(fs.readFileSync(path.join(project, 'tenants/shop.yaml'), 'utf8').split('\n')[0])
    .toBe('# yaml-language-server: $schema=../node_modules/cdk8s-tenancy/tenancy.tenant.schema.json');

  const synth = tenancy('synth', '--config', 'tenancy.yaml', '--out', 'manifests');
  expect(synth.stdout).toBe('Wrote 3 files to manifests/ (2 tenants).\n');
  expect(fs.readdirSync(path.join(project, 'manifests/tenants')).sort()).toEqual(['payments.yaml', 'shop.yaml']);

  // The next onboarding prints the command that renders it, as it runs in this project: through npx.
  const next = tenancy('onboard', '--config', 'tenancy.yaml', '--name', 'blog', '--domain', 'blog.example.com', '--owner-group', 'blog-leads');
  expect(next.stdout).toContain('       npx tenancy synth --config tenancy.yaml --out manifests\n');
  expect(spawnSync('npx', ['tenancy', 'synth', '--config', 'tenancy.yaml', '--out', 'manifests'], { cwd: project, encoding: 'utf8' }).stdout).toBe('Wrote 4 files to manifests/ (3 tenants).\n');

  const schema = tenancy('schema');
  expect(JSON.parse(schema.stdout).title).toBe('cdk8s-tenancy spec');
  expect(schema.stdout).toBe(fs.readFileSync(path.join(project, 'node_modules/cdk8s-tenancy/tenancy.schema.json'), 'utf8'));
});
