/**
 * The library compiles with jsii — every exported type is one Python, Java, Go and C# can use,
 * with no jsii error or warning — and API.md is what jsii-docgen renders from that assembly
 * (`npm run api-docs` rewrites it). Both run in a scratch copy (scripts/api-docs.js): about 10 s.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compileWithJsii, renderApiDocs } = require('../../scripts/api-docs.js') as {
  compileWithJsii(root: string): { dir: string; status: number | null; output: string };
  renderApiDocs(root: string, dir: string): string;
};

let compiled: ReturnType<typeof compileWithJsii>;
beforeAll(() => {
  compiled = compileWithJsii(REPO);
});
afterAll(() => fs.rmSync(compiled.dir, { recursive: true, force: true }));

interface Assembly {
  readonly name: string;
  readonly types: Record<string, { kind: string; initializer?: unknown }>;
}
const assembly = (): Assembly => JSON.parse(fs.readFileSync(path.join(compiled.dir, '.jsii'), 'utf8'));

test('jsii compiles the main entry with no error and no warning', () => {
  const diagnostics = compiled.output.split('\n').filter((line) => /\b(error|warning) JSII\d+/.test(line));
  expect(diagnostics).toEqual([]);
  expect(compiled.status).toBe(0);
});

test('the assembly holds the constructs, their props, the enums and the variant classes; not the internals', () => {
  const types = assembly().types;
  const names = Object.keys(types).map((fqn) => fqn.replace(/^cdk8s-tenancy\./, ''));
  expect(names).toEqual(expect.arrayContaining([
    'Platform', 'PlatformProps', 'Tenant', 'TenantOptions', 'TenantNamespace', 'ScopedTraefik', 'TenantIssuer', 'WildcardTlsStore',
    'TenantSecretStore', 'GitOpsApp', 'AdmissionGuardRails', 'Tenancy',
    'PodSecurityLevel', 'SecretsAccess', 'TraefikServiceType', 'AdmissionMode', 'TenantIssuerSource', 'Dns01Solver', 'GitOps', 'TenantOwner',
  ]));
  for (const internal of ['PropChecks', 'TenancyModel', 'TenantModel', 'ObjectGroup', 'Threat', 'RefusedPropError', 'SpecError']) {
    expect(names).not.toContain(internal);
  }
  // Variants are built by their static factories only.
  for (const variant of ['TenantIssuerSource', 'Dns01Solver', 'GitOps', 'TenantOwner']) expect(types[`cdk8s-tenancy.${variant}`].initializer).toBeUndefined();
  expect(types['cdk8s-tenancy.Tenancy'].initializer).toBeUndefined();
});

test('API.md is what jsii-docgen renders from the assembly (run `npm run api-docs` after changing the API)', () => {
  const rendered = renderApiDocs(REPO, compiled.dir);
  const committed = fs.readFileSync(path.join(REPO, 'API.md'), 'utf8');
  // One line per difference keeps a failure readable.
  const differing = rendered.split('\n').filter((line, i) => committed.split('\n')[i] !== line).slice(0, 5);
  expect({ upToDate: rendered === committed, firstDifferences: rendered === committed ? [] : differing }).toEqual({ upToDate: true, firstDifferences: [] });
});
