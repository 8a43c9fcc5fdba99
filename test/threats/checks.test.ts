/** The isolation rules over rendered objects: our own output passes, and each rule catches what it names. */
import { allObjects, oneTenantSpec, render } from '../helpers';
import { checkIsolation } from '../../src/threats';

const ctx = { platformNamespace: 'traefik', tenantNamespaces: new Set(['payments', 'shop']) };
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const objects = () => clone(allObjects(render(oneTenantSpec()))) as any[];
const rules = (objs: any[]) => checkIsolation(objs, ctx).map((f) => f.rule);

test('the generator\'s output has no finding', () => {
  expect(checkIsolation(objects(), ctx)).toEqual([]);
});

test('catches a Traefik that allows cross-namespace references or watches every namespace', () => {
  const objs = objects();
  const c = objs.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
  c.args = c.args.map((a: string) => a.replace('allowCrossNamespace=false', 'allowCrossNamespace=true')).filter((a: string) => !a.startsWith('--providers.kubernetesingress.namespaces'));
  expect(rules(objs)).toEqual(expect.arrayContaining(['traefik-no-cross-namespace', 'traefik-scoped-providers']));
});

test('catches a Traefik that watches two tenants', () => {
  const objs = objects();
  const c = objs.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
  c.args = c.args.map((a: string) => a.replace('namespaces=payments,traefik', 'namespaces=payments,shop,traefik'));
  expect(rules(objs)).toContain('traefik-one-tenant');
});

test('catches owners who may write Secrets-adjacent guard rails, RBAC, or use wildcards', () => {
  const objs = objects();
  const role = objs.find((o) => o.kind === 'Role' && o.metadata.name === 'tenant-owner');
  role.rules.push({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] });
  role.rules.push({ apiGroups: [''], resources: ['resourcequotas'], verbs: ['patch'] });
  role.rules.push({ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] });
  expect(rules(objs)).toEqual(expect.arrayContaining(['no-rbac-writes', 'guard-rails-read-only', 'no-rbac-wildcard']));
});

test('catches a missing default-deny policy, quota and Pod Security label', () => {
  const objs = objects().filter((o) => !['ResourceQuota'].includes(o.kind) && o.metadata.name !== 'default-deny');
  objs.find((o) => o.kind === 'Namespace' && o.metadata.name === 'payments').metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged';
  expect(rules(objs)).toEqual(expect.arrayContaining(['default-deny-network-policy', 'resource-quota', 'pod-security-labels']));
});

test('catches ClusterIssuers, tenant wildcards, hosts shared by two tenants, and a default TLSStore outside the platform', () => {
  const objs = objects();
  const cert = objs.find((o) => o.kind === 'Certificate');
  objs.push({ ...clone(cert), metadata: { ...cert.metadata, namespace: 'shop' } });
  objs.push({ ...clone(cert), metadata: { ...cert.metadata, name: 'wild' }, spec: { ...cert.spec, dnsNames: ['*.example.com'] } });
  objs.push({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: {} });
  objs.push({ apiVersion: 'traefik.io/v1alpha1', kind: 'TLSStore', metadata: { name: 'default', namespace: 'payments' }, spec: {} });
  expect(rules(objs)).toEqual(expect.arrayContaining(['no-tenant-wildcard', 'no-cluster-issuer', 'default-tls-in-platform', 'one-host-one-tenant']));
});

test('catches privileged pods, host namespaces and tenant bindings in the platform namespace', () => {
  const objs = objects();
  const pod = objs.find((o) => o.kind === 'Deployment').spec.template.spec;
  pod.hostNetwork = true;
  pod.containers[0].securityContext.privileged = true;
  objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x', namespace: 'traefik' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'Group', name: 'payments-leads' }] });
  objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'y' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] });
  expect(rules(objs)).toEqual(expect.arrayContaining(['no-host-namespaces', 'no-privileged', 'platform-out-of-tenant-reach', 'no-broad-subjects', 'no-cluster-bindings-for-tenants']));
});

test('catches a namespace stamped on a cluster-scoped object', () => {
  const objs = objects();
  objs.find((o) => o.kind === 'Namespace').metadata.namespace = 'payments';
  expect(rules(objs)).toContain('namespace-scope');
});
