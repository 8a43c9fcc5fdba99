/**
 * A fleet's output (examples/fleet.yaml): a folder per member cluster, the management cluster's
 * files, every object valid against its upstream schema (Argo CD, Flux, Cluster API v1.14), each
 * cluster's own platform, a cluster tenant's Cluster API cluster, the lock-downs multi-tenant
 * GitOps needs, and a tenant that moves between clusters.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { eachGroup } from '../../src/output/render';
import { assertIsolated } from '../../src/output/self-check';
import { parseSpec, readSpec } from '../../src/spec/read-spec';
import { REPO, runCli } from '../helpers';
import { objectsOf, objectsWhere, one, readTree, synthTree, Tree } from '../support/fleet-output';
import { expectValidManifests } from '../support/schemas';
import { chartRender } from './chart-render';

const EXAMPLE = path.join(REPO, 'examples/fleet.yaml');
/** The example's text, without the folder of its tenant files (the tests write the spec alone). */
const exampleText = fs.readFileSync(EXAMPLE, 'utf8').replace(/^tenantsDir: .*\n/m, '');

/** The example with Flux instead of Argo CD: each cluster reached through a kubeconfig Secret. */
const fluxText = exampleText
  .replace(/    argocd:\n      repoURL: (\S+)\n      targetRevision: main\n/, '    flux:\n      url: $1\n')
  .replace('    server: https://eu-west.k8s.example.com', '    kubeConfigSecret: eu-west-kubeconfig')
  .replace('    destinationName: us-east-prod', '    kubeConfigSecret: us-east-kubeconfig')
  .replace('    server: https://ap-south.k8s.example.com', '    kubeConfigSecret: ap-south-kubeconfig');

let argo: Tree;
let flux: Tree;
beforeAll(() => {
  argo = synthTree(exampleText);
  flux = synthTree(fluxText);
});

describe('examples/fleet.yaml', () => {
  test('renders a folder per cluster (the cluster tenant\'s own included) and the management cluster\'s files', () => {
    expect([...argo.keys()].sort()).toEqual([
      'clusters/ap-south/platform.yaml',
      'clusters/ap-south/tenants/catalog.yaml',
      'clusters/eu-west/platform.yaml',
      'clusters/eu-west/tenants/payments.yaml',
      'clusters/ledger/platform.yaml',
      'clusters/ledger/tenants/ledger.yaml',
      'clusters/us-east/platform.yaml',
      'clusters/us-east/tenants/search.yaml',
      'management/fleet.yaml',
      'management/tenants/catalog.yaml',
      'management/tenants/ledger.yaml',
      'management/tenants/payments.yaml',
      'management/tenants/search.yaml',
    ]);
  });

  test('streams cluster by cluster, tenant by tenant, then the management cluster', () => {
    const model = resolveTenancy(readSpec(EXAMPLE).spec);
    expect([...eachGroup(model)].map((g) => g.file)).toEqual([
      'clusters/eu-west/platform.yaml', 'clusters/eu-west/tenants/payments.yaml',
      'clusters/us-east/platform.yaml', 'clusters/us-east/tenants/search.yaml',
      'clusters/ap-south/platform.yaml', 'clusters/ap-south/tenants/catalog.yaml',
      'clusters/ledger/platform.yaml', 'clusters/ledger/tenants/ledger.yaml',
      'management/fleet.yaml',
      'management/tenants/payments.yaml', 'management/tenants/search.yaml', 'management/tenants/catalog.yaml', 'management/tenants/ledger.yaml',
    ]);
    expect(() => assertIsolated(eachGroup(model), model)).not.toThrow();
  });

  test.each([['Argo CD', () => argo], ['Flux', () => flux]])('every object validates against its upstream schema, with %s', (_engine, tree) => {
    const objects = objectsWhere(tree(), /./);
    expectValidManifests(objects);
    const kinds = new Set(objects.map((o) => `${o.apiVersion} ${o.kind}`));
    expect(kinds).toContain('cluster.x-k8s.io/v1beta2 Cluster');
    if (tree() === argo) {
      expect(kinds).toContain('argoproj.io/v1alpha1 ApplicationSet');
      expect(kinds).toContain('argoproj.io/v1alpha1 AppProject');
    } else {
      expect(kinds).toContain('kustomize.toolkit.fluxcd.io/v1 Kustomization');
      expect(kinds).toContain('source.toolkit.fluxcd.io/v1 GitRepository');
    }
  });

  test('each cluster has its own platform: its Traefik namespace, wildcard and admission engine', () => {
    const namespaces = (file: string) => objectsOf(argo, file).filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces('clusters/eu-west/platform.yaml')).toEqual(['traefik']);
    expect(namespaces('clusters/ap-south/platform.yaml')).toEqual(['edge']);
    // The tenant's Traefik runs in its cluster's platform namespace.
    expect(one(objectsOf(argo, 'clusters/ap-south/tenants/catalog.yaml'), 'Deployment', 'traefik-catalog').metadata.namespace).toBe('edge');
    const wildcard = (file: string) => one(objectsOf(argo, file), 'Certificate', 'platform-wildcard').spec.dnsNames;
    expect(wildcard('clusters/eu-west/platform.yaml')).toEqual(['*.apps.example.com']);
    expect(wildcard('clusters/ap-south/platform.yaml')).toEqual(['*.ap.example.com']);
    const engines = (file: string) => [...new Set(objectsOf(argo, file).filter((o) => /Policy|Constraint/.test(o.kind) && o.kind !== 'NetworkPolicy').map((o) => o.kind))];
    expect(engines('clusters/us-east/platform.yaml')).toEqual(['ClusterPolicy']);
    expect(engines('clusters/eu-west/platform.yaml')).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    // No member cluster holds delivery objects: those are the management cluster's.
    expect(objectsWhere(argo, /^clusters\//).filter((o) => o.apiVersion.startsWith('argoproj.io/'))).toEqual([]);
  });

  test('the cluster tenant gets a Cluster API Cluster from the platform\'s ClusterClass, with its own workers', () => {
    const cluster = one(objectsOf(argo, 'management/tenants/ledger.yaml'), 'Cluster', 'ledger');
    expect(cluster).toEqual({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'ledger', namespace: 'tenancy-clusters', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-tenancy', 'tenancy.cdk8s.io/tenant': 'ledger' } },
      spec: { topology: { classRef: { name: 'tenant-cluster' }, version: 'v1.33.1', workers: { machineDeployments: [{ class: 'default-worker', name: 'workers', replicas: 3 }] } } },
    });
    // Its baseline: the platform and the tenant's guard rails, in a cluster folder of its own.
    expect(objectsOf(argo, 'clusters/ledger/tenants/ledger.yaml').filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['ledger']);
  });

  test('Argo CD delivers the cluster tenant\'s baseline into its cluster once it is registered under the tenant\'s name', () => {
    const objects = objectsOf(argo, 'management/tenants/ledger.yaml');
    const platform = one(objects, 'Application', 'tenancy-platform-ledger');
    const tenant = one(objects, 'Application', 'tenant-ledger');
    expect(platform.spec.destination).toEqual({ name: 'ledger' });
    expect(platform.spec.source).toMatchObject({ path: 'out-fleet/clusters/ledger', directory: { include: 'platform.yaml' } });
    expect(tenant.spec.destination).toEqual({ name: 'ledger' });
    expect(tenant.spec.project).toBe('tenancy-tenants');
    expect(tenant.spec.source).toMatchObject({ path: 'out-fleet/clusters/ledger/tenants', directory: { include: 'ledger.yaml' } });
  });

  test('Flux delivers it through the kubeconfig Secret Cluster API writes beside the Cluster, platform first', () => {
    const objects = objectsOf(flux, 'management/tenants/ledger.yaml');
    const tenant = one(objects, 'Kustomization', 'tenant-ledger');
    expect(tenant.metadata.namespace).toBe('tenancy-clusters');
    expect(tenant.spec.kubeConfig).toEqual({ secretRef: { name: 'ledger-kubeconfig', key: 'value' } });
    expect(tenant.spec.dependsOn).toEqual([{ name: 'tenancy-platform-ledger' }]);
    expect(one(objects, 'GitRepository', 'tenant-ledger').metadata.namespace).toBe('tenancy-clusters');
    expect(one(objects, 'Kustomization', 'tenancy-platform-ledger').spec.kubeConfig).toEqual({ secretRef: { name: 'ledger-kubeconfig', key: 'value' } });
  });
});

describe('the lock-downs multi-tenant GitOps needs', () => {
  test('each tenant\'s AppProject: its namespace on its cluster only, no cluster-scoped resource, the owners\' kinds only', () => {
    const expected: Record<string, [string, object]> = {
      payments: ['eu-west', { server: 'https://eu-west.k8s.example.com', namespace: 'payments' }],
      search: ['us-east', { name: 'us-east-prod', namespace: 'search' }],
      catalog: ['ap-south', { server: 'https://ap-south.k8s.example.com', namespace: 'catalog' }],
      ledger: ['ledger', { name: 'ledger', namespace: 'ledger' }],
    };
    for (const [tenant, [cluster, destination]] of Object.entries(expected)) {
      const project = one(objectsOf(argo, `management/tenants/${tenant}.yaml`), 'AppProject', `tenant-${tenant}`);
      expect(project.spec.destinations).toEqual([destination]);
      expect(project.spec.clusterResourceWhitelist).toEqual([]);
      const kinds = project.spec.namespaceResourceWhitelist.map((k: any) => k.kind);
      for (const guardRail of ['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Role', 'RoleBinding', 'Issuer', 'SecretStore', 'Namespace']) expect(kinds).not.toContain(guardRail);
      expect(kinds).toContain('Deployment');
      // As many kinds as plain resources the owners' Role lets them create: Argo CD does no more for them.
      const role = one(objectsOf(argo, `clusters/${cluster}/tenants/${tenant}.yaml`), 'Role', 'tenant-owner');
      const creatable = role.rules.filter((r: any) => r.verbs.includes('create')).flatMap((r: any) => r.resources.filter((x: string) => !x.includes('/')));
      expect(kinds).toHaveLength(creatable.length);
      expect(kinds.includes('Secret')).toBe(creatable.includes('secrets'));
      expect(project.spec.roles).toEqual([expect.objectContaining({ name: 'owners', policies: [`p, proj:tenant-${tenant}:owners, applications, *, tenant-${tenant}/*, allow`] })]);
    }
  });

  test('Flux: one Kustomization per cluster and tenant, with its cluster\'s kubeconfig, after its cluster\'s platform', () => {
    const secrets: Record<string, [string, string]> = { payments: ['eu-west', 'eu-west-kubeconfig'], search: ['us-east', 'us-east-kubeconfig'], catalog: ['ap-south', 'ap-south-kubeconfig'] };
    for (const [tenant, [cluster, secret]] of Object.entries(secrets)) {
      const kustomization = one(objectsOf(flux, `management/tenants/${tenant}.yaml`), 'Kustomization', `tenant-${tenant}`);
      expect(kustomization.metadata.namespace).toBe('flux-system');
      expect(kustomization.spec).toMatchObject({
        kubeConfig: { secretRef: { name: secret } },
        dependsOn: [{ name: `tenancy-platform-${cluster}` }],
        path: `./out-fleet/clusters/${cluster}/tenants`,
        prune: true,
      });
      const repository = one(objectsOf(flux, `management/tenants/${tenant}.yaml`), 'GitRepository', `tenant-${tenant}`);
      expect(repository.spec.ignore.trim().split('\n').pop()).toBe(`!/out-fleet/clusters/${cluster}/tenants/${tenant}.yaml`);
    }
    const fleet = objectsOf(flux, 'management/fleet.yaml');
    expect(fleet.filter((o) => o.kind === 'Kustomization').map((o) => [o.metadata.name, o.spec.kubeConfig.secretRef.name])).toEqual([
      ['tenancy-platform-eu-west', 'eu-west-kubeconfig'], ['tenancy-platform-us-east', 'us-east-kubeconfig'], ['tenancy-platform-ap-south', 'ap-south-kubeconfig'],
    ]);
  });

  test('Flux: each tenant\'s own Kustomizations impersonate its tenant-reconciler, which can do what the owners can', () => {
    const objects = objectsOf(flux, 'clusters/us-east/tenants/search.yaml');
    expect(one(objects, 'ServiceAccount', 'tenant-reconciler')).toMatchObject({ metadata: { namespace: 'search' }, automountServiceAccountToken: false });
    expect(one(objects, 'RoleBinding', 'tenant-reconciler')).toMatchObject({
      metadata: { namespace: 'search' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-owner' },
      subjects: [{ kind: 'ServiceAccount', name: 'tenant-reconciler', namespace: 'search' }],
    });
    // Argo CD has projects instead.
    expect(objectsWhere(argo, /^clusters\//).filter((o) => o.metadata.name === 'tenant-reconciler')).toEqual([]);
  });

  test.each([
    // A platform-CA tenant, SecretStores, a PodDisruptionBudget.
    ['IngressRoutes', (text: string) => text
      .replace('  defaults:\n', '  ca: { secretName: platform-ca }\n  externalSecrets: { vault: { server: "https://vault.example.com" } }\n  defaults:\n')
      .replace('    owners: { groups: [ledger-admins] }\n', '    owners: { groups: [ledger-admins] }\n    issuer: { platformCA: {} }\n')],
    // Gateways, ReferenceGrants, a GatewayClass and the Traefik's cluster-wide read of it.
    ['the Gateway API', (text: string) => text.replace('  allowedDomains: [example.com]\n', '  allowedDomains: [example.com]\n  routing: { api: gateway }\n')],
  ])('the tenant files\' Applications run in a project that allows the kinds the tenant files hold, and nothing else (%s)', (_routing, variant) => {
    const tree = synthTree(variant(exampleText));
    const project = one(objectsOf(tree, 'management/fleet.yaml'), 'AppProject', 'tenancy-tenants');
    const key = (o: { group: string; kind: string }) => `${o.group}/${o.kind}`;
    const held = objectsWhere(tree, /^clusters\/[^/]+\/tenants\//);
    const clusterScoped = new Set(held.filter((o) => o.metadata.namespace === undefined).map((o) => key({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', kind: o.kind })));
    const namespaced = new Set(held.filter((o) => o.metadata.namespace !== undefined).map((o) => key({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', kind: o.kind })));
    expect(new Set(project.spec.clusterResourceWhitelist.map(key))).toEqual(clusterScoped);
    expect(new Set(project.spec.namespaceResourceWhitelist.map(key))).toEqual(namespaced);
    expect(project.spec.sourceRepos).toEqual(['https://git.example.com/platform/fleet.git']);
  });
});

describe('a tenant moved between clusters', () => {
  test('is one file removed and one added: --check names them, and the next synth leaves no stale file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-move-'));
    try {
      fs.writeFileSync(path.join(dir, 'fleet.yaml'), exampleText);
      expect(runCli(['synth', '--config', 'fleet.yaml', '--out', 'out'], dir).status).toBe(0);
      fs.writeFileSync(path.join(dir, 'fleet.yaml'), exampleText.replace('    team: payments\n', '    team: payments\n    cluster: us-east\n'));
      const check = runCli(['synth', '--config', 'fleet.yaml', '--out', 'out', '--check'], dir);
      expect(check.status).toBe(1);
      expect(check.stdout).toBe([
        `out is stale; run \`node ${path.join(REPO, 'bin', 'tenancy.js')} synth --config fleet.yaml --out out\`:`,
        '  clusters/eu-west/tenants/payments.yaml (would be removed)',
        '  clusters/us-east/tenants/payments.yaml (missing)',
        // The tenant's own AppProject names its cluster.
        '  management/tenants/payments.yaml (differs)',
        '',
      ].join('\n'));
      const before = readTree(path.join(dir, 'out'));
      expect(runCli(['synth', '--config', 'fleet.yaml', '--out', 'out'], dir).status).toBe(0);
      const after = readTree(path.join(dir, 'out'));
      expect([...before.keys()].filter((f) => !after.has(f))).toEqual(['clusters/eu-west/tenants/payments.yaml']);
      expect([...after.keys()].filter((f) => !before.has(f))).toEqual(['clusters/us-east/tenants/payments.yaml']);
      // The same tenant, now on the other cluster's platform.
      expect(after.get('clusters/us-east/tenants/payments.yaml')).toBe(before.get('clusters/eu-west/tenants/payments.yaml'));
      expect(runCli(['synth', '--config', 'fleet.yaml', '--out', 'out', '--check'], dir).status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Helm charts of a fleet', () => {
  let helm: Tree;
  beforeAll(() => {
    helm = synthTree(exampleText, ['--format', 'helm', '--no-package']);
  });

  test('a platform chart per cluster, a chart per tenant in its cluster\'s tenants folder; the management cluster\'s files stay YAML', () => {
    const charts = [...helm.keys()].filter((f) => f.endsWith('/Chart.yaml')).sort();
    expect(charts).toEqual([
      'clusters/ap-south/tenancy-platform/Chart.yaml', 'clusters/ap-south/tenants/tenant-catalog/Chart.yaml',
      'clusters/eu-west/tenancy-platform/Chart.yaml', 'clusters/eu-west/tenants/tenant-payments/Chart.yaml',
      'clusters/ledger/tenancy-platform/Chart.yaml', 'clusters/ledger/tenants/tenant-ledger/Chart.yaml',
      'clusters/us-east/tenancy-platform/Chart.yaml', 'clusters/us-east/tenants/tenant-search/Chart.yaml',
    ]);
    expect([...helm.keys()].filter((f) => f.startsWith('management/')).sort()).toEqual([...argo.keys()].filter((f) => f.startsWith('management/')).sort());
    expect(helm.get('clusters/eu-west/tenants/tenant-payments/Chart.yaml')).toContain('  tenancy.cdk8s.io/release: "tenant-payments"\n');
  });

  test('each chart renders to exactly the objects of the YAML output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-charts-'));
    try {
      for (const [rel, content] of helm) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
      }
      const pairs: Array<[string, string]> = [
        ['clusters/us-east/tenancy-platform', 'clusters/us-east/platform.yaml'],
        ['clusters/ap-south/tenants/tenant-catalog', 'clusters/ap-south/tenants/catalog.yaml'],
        ['clusters/ledger/tenants/tenant-ledger', 'clusters/ledger/tenants/ledger.yaml'],
      ];
      for (const [chart, file] of pairs) {
        const rendered = chartRender(path.join(dir, chart));
        expect({ chart, status: rendered.status, stderr: rendered.stderr }).toEqual({ chart, status: 0, stderr: '' });
        expect(rendered.objects).toEqual(objectsOf(argo, file));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('without `clusters`, a spec renders the single-cluster layout, with no fleet field in its model', () => {
  const text = exampleText.replace(/\nclusters:\n[\s\S]*?\ntenants:\n/, '\ntenants:\n').replace(/    cluster: \S+\n/g, '').replace(/  # A regulated tenant[\s\S]*$/, '');
  const model = resolveTenancy(parseSpec(text).spec);
  expect(model.fleet).toBeUndefined();
  expect(model.tenants.every((t) => t.cluster === undefined && t.isolation === undefined)).toBe(true);
  expect([...eachGroup(model)].map((g) => g.file)).toEqual(['platform.yaml', 'tenants/payments.yaml', 'tenants/search.yaml', 'tenants/catalog.yaml']);
});
