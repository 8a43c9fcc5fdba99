/** `TenantVirtualCluster` as a library user builds it: composed by reference, its children exposed, wrong wiring refused with what to do. */
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { GitOps } from '../../src/constructs/gitops-app';
import { Platform } from '../../src/constructs/platform';
import { RefusedPropError } from '../../src/constructs/refuse';
import { ScopedTraefik } from '../../src/constructs/scoped-traefik';
import { TenantIsolation } from '../../src/constructs/tenant';
import { TenantIssuer, TenantIssuerSource } from '../../src/constructs/tenant-issuer';
import { TenantNamespace } from '../../src/constructs/tenant-namespace';
import { TenantVirtualCluster } from '../../src/constructs/tenant-virtual-cluster';

const chart = () => new Chart(Testing.app(), 'test');
const owners = { groups: ['labs-admins'] };
const refusal = (build: () => unknown): RefusedPropError => {
  try {
    build();
  } catch (err) {
    if (err instanceof RefusedPropError) return err;
    throw err;
  }
  throw new Error('not refused');
};

test('platform.addTenant with isolation VCLUSTER builds the virtual cluster between its Traefik and its Issuer', () => {
  const c = chart();
  const platform = new Platform(c, 'Platform', { gitops: GitOps.argoCd({ repoUrl: 'https://git.example.com/t.git' }) });
  const labs = platform.addTenant('Labs', {
    name: 'labs', domains: ['labs.example.com'], owners, issuer: TenantIssuerSource.selfSigned(), isolation: TenantIsolation.VCLUSTER,
    virtualCluster: { values: { controlPlane: { distro: { k8s: { version: 'v1.33.4' } } } } },
  });
  const vc = labs.virtualCluster!;
  expect(TenantVirtualCluster.isTenantVirtualCluster(vc)).toBe(true);
  expect(vc.tenantNamespace).toBe(labs.namespace);
  expect(labs.namespace.virtualCluster).toBe(vc);
  expect({ release: vc.releaseName, secret: vc.kubeconfigSecretName, version: vc.chartVersion }).toEqual({ release: 'labs', secret: 'vc-labs', version: '0.36.1' });
  expect(vc.values.controlPlane.distro.k8s).toEqual(expect.objectContaining({ version: 'v1.33.4' }));
  expect(parse(vc.valuesYaml)).toEqual(vc.values);
  expect(labs.namespace.networkPolicies).toContain(vc.apiServerPolicy);
  expect(vc.delivery.map((o) => o.kind)).toEqual(['Application']);
  expect(labs.issuer.certificates).toEqual([]);
  expect(() => labs.issuer.certificateSecretName('labs.example.com')).toThrow(/has a virtual cluster, whose Ingresses name Secrets inside it: write a Certificate there naming `issuerRef: \{ kind: Issuer, name: tenant-issuer \}`/);
  const objects = Testing.synth(c);
  expect(objects.filter((o) => o.metadata.namespace === 'labs' || o.spec?.destination?.namespace === 'labs').map((o) => o.kind)).toContain('Application');
});

test('the values are a copy: changing them changes nothing', () => {
  const c = chart();
  const platform = new Platform(c, 'Platform');
  const labs = platform.addTenant('Labs', { name: 'labs', owners, issuer: TenantIssuerSource.selfSigned(), isolation: TenantIsolation.VCLUSTER });
  labs.virtualCluster!.values.telemetry.enabled = true;
  expect(labs.virtualCluster!.values.telemetry).toEqual({ enabled: false });
});

test('built by hand from the building blocks: namespace, Traefik, virtual cluster, Issuer', () => {
  const c = chart();
  const platform = new Platform(c, 'Platform');
  const tenantNamespace = new TenantNamespace(c, 'Ns', { platform, name: 'labs', owners, domains: ['labs.example.com'] });
  const traefik = new ScopedTraefik(c, 'Traefik', { tenantNamespace });
  const vc = new TenantVirtualCluster(c, 'Vc', { tenantNamespace });
  const issuer = new TenantIssuer(c, 'Issuer', { traefik, issuer: TenantIssuerSource.selfSigned() });
  expect(issuer.certificates).toEqual([]);
  expect(vc.values.sync.toHost.ingresses.patches[0].expression).toContain('"traefik-labs"');
  const role = Testing.synth(c).find((o) => o.kind === 'Role' && o.metadata.name === 'tenant-owner');
  expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['vc-labs'], verbs: ['get'] });
});

describe('wiring that cannot work is refused, with what to do', () => {
  const setup = () => {
    const c = chart();
    const platform = new Platform(c, 'Platform');
    const tenantNamespace = new TenantNamespace(c, 'Ns', { platform, name: 'labs', owners });
    return { c, platform, tenantNamespace };
  };

  test('without a Traefik yet', () => {
    const { c, tenantNamespace } = setup();
    expect(refusal(() => new TenantVirtualCluster(c, 'Vc', { tenantNamespace })).message).toBe(
      'TenantVirtualCluster: tenantNamespace: tenant `labs` has no ScopedTraefik yet, which serves the virtual cluster\'s Ingresses — add `new ScopedTraefik(scope, id, { tenantNamespace })` first',
    );
  });

  test('after the TenantIssuer, or twice', () => {
    const { c, tenantNamespace } = setup();
    const traefik = new ScopedTraefik(c, 'Traefik', { tenantNamespace });
    new TenantIssuer(c, 'Issuer', { traefik, issuer: TenantIssuerSource.selfSigned() });
    expect(refusal(() => new TenantVirtualCluster(c, 'Vc', { tenantNamespace })).message).toMatch(/add the TenantVirtualCluster before the TenantIssuer/);
    const other = setup();
    new ScopedTraefik(other.c, 'Traefik', { tenantNamespace: other.tenantNamespace });
    new TenantVirtualCluster(other.c, 'Vc', { tenantNamespace: other.tenantNamespace });
    expect(refusal(() => new TenantVirtualCluster(other.c, 'Vc2', { tenantNamespace: other.tenantNamespace })).message).toMatch(/already has a TenantVirtualCluster \(`test\/Vc`\) — use that one/);
  });

  test('values the spec refuses, with the spec\'s words, all at once', () => {
    const { c, tenantNamespace } = setup();
    new ScopedTraefik(c, 'Traefik', { tenantNamespace });
    const error = refusal(() => new TenantVirtualCluster(c, 'Vc', { tenantNamespace, values: { sync: { toHost: { configMaps: { all: true } } }, telemetry: { enabled: true } } }));
    expect(error.problems.map((p) => [p.prop, p.threat])).toEqual([
      ['values.telemetry', undefined],
      ['values.sync.toHost.configMaps.all', 'vcluster-syncs-all-secrets'],
    ]);
  });

  test('virtual-cluster options on a namespace tenant', () => {
    const { c, platform } = setup();
    expect(refusal(() => platform.addTenant('Shop', { name: 'shop', owners, issuer: TenantIssuerSource.selfSigned(), virtualCluster: {} })).message).toBe(
      'Tenant: virtualCluster: applies to a tenant with `isolation: vcluster` only, and this one\'s isolation is `namespace` — set `isolation: vcluster`, or remove the block',
    );
    void c;
  });
});
