/** The fleet's building blocks in a library user's own chart: the same objects, the same refusals as the spec. */
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  FleetGitOps, GitOps, OutputFormat, Platform, RefusedPropError, RoutingApi, SecretsAccess, Tenancy, TenantAppProject, TenantCluster, TenantIssuerSource, TenantReconciler,
} from '../../src';
import { REPO } from '../helpers';
import { expectValidManifests } from '../support/schemas';

const chart = () => new Chart(Testing.app(), 'fleet');
const argo = GitOps.argoCd({ repoUrl: 'https://git.example.com/fleet.git' });

test('a TenantCluster is a Cluster API Cluster from a ClusterClass, valid against the v1.14 CRD', () => {
  const c = chart();
  const cluster = new TenantCluster(c, 'Ledger', { tenant: 'ledger', clusterClass: 'tenant-cluster', version: 'v1.33.1', workers: { replicas: 3 } });
  expect(cluster.kubeconfigSecret).toBe('ledger-kubeconfig');
  const objects = Testing.synth(c);
  expectValidManifests(objects);
  expect(objects[0].spec.topology).toEqual({
    classRef: { name: 'tenant-cluster' }, version: 'v1.33.1', workers: { machineDeployments: [{ class: 'default-worker', name: 'workers', replicas: 3 }] },
  });
});

test('a TenantCluster refuses a version and a namespace with the spec\'s words', () => {
  expect(() => new TenantCluster(chart(), 'Ledger', { tenant: 'ledger', clusterClass: 'tenant-cluster', version: '1.33', namespace: 'Clusters' })).toThrow(new RefusedPropError('TenantCluster', [
    { prop: 'namespace', message: 'must be a DNS-1123 label, e.g. `tenancy-clusters`' },
    { prop: 'version', message: 'is not a Kubernetes version — write it as Cluster API does, e.g. `v1.33.1`' },
  ]));
});

test('a TenantAppProject confines a hand-built tenant\'s Applications to its namespace; Flux has no projects', () => {
  const c = chart();
  new TenantAppProject(c, 'Shop', { tenant: 'shop', gitops: argo, cluster: { destinationName: 'eu-west' }, ownerGroups: ['shop-leads'], secrets: SecretsAccess.MANAGE });
  const [project] = Testing.synth(c);
  expectValidManifests([project]);
  expect(project.spec.destinations).toEqual([{ name: 'eu-west', namespace: 'shop' }]);
  expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: '', kind: 'Secret' });
  expect(() => new TenantAppProject(chart(), 'Shop', { tenant: 'shop', gitops: GitOps.flux({ url: 'https://git.example.com/fleet.git' }) }))
    .toThrow(/TenantAppProject: gitops: is not an Argo CD/);
});

test('a tenant routing through the Gateway API gets a project of HTTPRoutes and GRPCRoutes, not IngressRoutes, Middlewares or Ingresses', () => {
  const c = chart();
  new TenantAppProject(c, 'Shop', { tenant: 'shop', gitops: argo, routing: RoutingApi.GATEWAY });
  const kinds = Testing.synth(c)[0].spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`);
  expect(kinds).toEqual(expect.arrayContaining(['gateway.networking.k8s.io/GRPCRoute', 'gateway.networking.k8s.io/HTTPRoute']));
  expect(kinds.filter((k: string) => k.startsWith('traefik.io/') || k === 'networking.k8s.io/Ingress')).toEqual([]);
});

test('a TenantReconciler binds a ServiceAccount in the tenant\'s namespace to its owners\' Role', () => {
  const c = chart();
  const tenant = new Platform(c, 'Platform').addTenant('Shop', { name: 'shop', domains: ['shop.example.com'], owners: { groups: ['shop-leads'] }, issuer: TenantIssuerSource.selfSigned() });
  const reconciler = new TenantReconciler(c, 'Reconciler', { tenantNamespace: tenant.namespace });
  expect(Testing.synth(c).find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'tenant-reconciler').roleRef.name).toBe(tenant.namespace.ownerRole.name);
  expect(reconciler.serviceAccount.name).toBe('tenant-reconciler');
});

test('FleetGitOps builds the ApplicationSet and refuses a cluster name that names no folder', () => {
  const c = chart();
  const fleet = new FleetGitOps(c, 'Fleet', { gitops: argo, clusters: [{ name: 'eu-west', server: 'https://eu-west.example.com' }], outputFormat: OutputFormat.YAML });
  expect(fleet.applicationSet).toBeDefined();
  expectValidManifests(Testing.synth(c));
  expect(() => new FleetGitOps(chart(), 'Fleet', { gitops: argo, clusters: [{ name: 'EU' }] })).toThrow(/FleetGitOps: clusters\[0\]\.name: is not a DNS-1123 label/);
});

test('Tenancy.fromSpecFile refuses a fleet, whose clusters are rendered apart', () => {
  expect(() => Tenancy.fromSpecFile(chart(), 'Tenancy', path.join(REPO, 'examples/fleet.yaml'))).toThrow(/Tenancy: file: the spec is a fleet \(`clusters`\)/);
});
