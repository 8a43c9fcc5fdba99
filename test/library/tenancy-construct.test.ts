/** The library's top-level construct: the CLI's output, in any cdk8s chart. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as library from '../../src';
import * as audit from '../../src/audit';
import * as spec from '../../src/spec';
import { Tenancy } from '../../src';
import { SpecError } from '../../src/spec/errors';
import { readSpec } from '../../src/spec/read-spec';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { KubeObject, renderGroups } from '../../src/output/render';
import { allObjects, oneTenantSpec, REPO } from '../helpers';

const EXAMPLE = path.join(REPO, 'examples/tenancy.yaml');
const byId = (objects: readonly KubeObject[]) =>
  [...objects].sort((a, b) => key(a).localeCompare(key(b)));
const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

test('the package root exports the constructs, their enums and variant classes, Tenancy and the errors; nothing internal', () => {
  expect(Object.keys(library).sort()).toEqual([
    'AdmissionGuardRails', 'AdmissionMode', 'Dns01Solver', 'ExternalTrafficPolicy', 'FleetGitOps', 'GitOps', 'GitOpsApp', 'OutputFormat', 'Platform', 'PlatformCaIssuer',
    'PodSecurityLevel', 'RefusedPropError', 'RoutingApi', 'ScopedTraefik', 'SecretSyncTool', 'SecretsAccess', 'SharedTraefik', 'SpecError', 'TaintEffect', 'Tenancy', 'Tenant',
    'TenantAppProject', 'TenantCertificatePolicy', 'TenantCluster', 'TenantGateway', 'TenantIsolation', 'TenantIssuer', 'TenantIssuerSource', 'TenantNamespace', 'TenantOwner',
    'TenantReconciler', 'TenantSecretStore', 'TenantVirtualCluster', 'TlsVersion', 'TolerationOperator', 'TraefikLogLevel', 'TraefikServiceType', 'TraefikSpread', 'TraefikTopology',
    'VaultKvVersion',
    'WildcardTlsStore',
  ]);
});

test('the spec reader and the audit are at their subpath entries', () => {
  expect(Object.keys(spec).sort()).toEqual([
    'DEFAULTS', 'MAX_REPORTED_PROBLEMS', 'MAX_TENANTS', 'SpecError', 'formatProblem', 'parseSpec', 'readSpec', 'resolveTenancy', 'specJsonSchema', 'tenantJsonSchema',
  ]);
  expect(spec.SpecError).toBe(library.SpecError);
  expect(Object.keys(audit).sort()).toEqual([
    'REPORT_FORMATS', 'THREATS', 'auditManifests', 'auditThreats', 'checkIsolation', 'discoverTenants', 'failing', 'formatReport', 'parseManifests',
    'readManifests', 'runChecks', 'threatById',
  ]);
});

test('Tenancy in a plain Chart synthesizes exactly the objects `npm run synth` writes', () => {
  const chart = new Chart(Testing.app(), 'tenancy');
  Tenancy.fromSpecFile(chart, 'Tenancy', EXAMPLE);
  const cli = allObjects(renderGroups(resolveTenancy(readSpec(EXAMPLE).spec)));
  expect(byId(Testing.synth(chart) as KubeObject[])).toEqual(byId(cli));
});

test('Tenancy exposes its platform and tenants, to extend like any hand-built tenant', () => {
  const chart = new Chart(Testing.app(), 'tenancy');
  const tenancy = Tenancy.fromSpecFile(chart, 'Tenancy', EXAMPLE);
  expect(tenancy.tenants.map((t) => t.name)).toEqual(['payments', 'search']);
  expect(tenancy.platform.tenantNames).toEqual(['payments', 'search']);
  tenancy.tenant('payments')!.addDomain('checkout.example.com');
  expect(() => tenancy.tenant('search')!.addDomain('checkout.example.com')).toThrow('tenant `payments` already claims it');
  const objects = Testing.synth(chart) as any[];
  expect(objects.filter((o) => o.kind === 'Certificate').map((o) => o.metadata.name)).toContain('checkout.example.com');
});

test('Tenancy.fromSpecFile refuses a bad spec with every problem, located', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-lib-'));
  try {
    const file = path.join(dir, 'tenancy.yaml');
    fs.writeFileSync(file, oneTenantSpec('    podSecurity: privileged\n    traefik: { allowCrossNamespace: true }\n'));
    let error: unknown;
    try {
      Tenancy.fromSpecFile(new Chart(Testing.app(), 'c'), 'Tenancy', file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['8:18 tenants[0].podSecurity', '9:37 tenants[0].traefik.allowCrossNamespace']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
