/**
 * The audit over a realistic insecure cluster: a `kind: List` export and a GitOps file with
 * every mistake the seeds describe. Each must be reported, by its rule, at its file and line —
 * and nothing else may be (payments follows the seeds and has no finding).
 */
import * as path from 'path';
import { auditFiles, CLUSTER, GITOPS, lineOf, summarize } from './helpers';

const result = auditFiles([CLUSTER, GITOPS]);
const C = path.basename(CLUSTER);
const G = path.basename(GITOPS);
const at = (file: string, ...markers: string[]) => `${path.basename(file)}:${lineOf(file, ...markers)}`;

test('reports every mistake of the fixture by rule, object, file and line, and nothing else', () => {
  const expected = [
    // Traefik
    `traefik-scoped-providers Deployment traefik/traefik ${at(CLUSTER, '- --providers.kubernetescrd')}`,
    `traefik-scoped-providers Deployment traefik/traefik ${at(CLUSTER, '- --providers.kubernetesingress')}`,
    `traefik-no-cross-namespace Deployment traefik/traefik ${at(CLUSTER, 'allowCrossNamespace=true')}`,
    `traefik-cluster-secrets ClusterRoleBinding traefik ${at(CLUSTER, 'kind: ClusterRoleBinding', '- kind: ServiceAccount')}`,
    `traefik-one-tenant DaemonSet traefik/traefik-shared ${at(GITOPS, '- --providers.kubernetescrd.namespaces')}`,
    `traefik-one-tenant DaemonSet traefik/traefik-shared ${at(GITOPS, '--providers.kubernetesingress.namespaces=shop,blog')}`,
    // TLS defaults
    `default-tls-in-platform TLSStore blog/default ${at(CLUSTER, 'kind: TLSStore', 'name: default')}`,
    `default-tls-tenant-writable TLSOption traefik/default ${at(GITOPS, 'kind: TLSOption', 'name: default')}`,
    `platform-out-of-tenant-reach RoleBinding traefik/blog-tls-editors ${at(GITOPS, 'name: blog-tls-editors', '- apiGroup')}`,
    `platform-network-default-deny Namespace traefik ${at(CLUSTER, 'kind: Namespace', 'name: traefik')}`,
    // Certificates and their Secrets
    `no-tenant-wildcard Certificate shop/shop-wildcard ${at(CLUSTER, '- "*.shop.example.com"')}`,
    `tenant-namespaced-issuer Certificate shop/shop-wildcard ${at(CLUSTER, 'name: shop-wildcard', 'kind: ClusterIssuer')}`,
    `no-tenant-wildcard Secret shop/shop-wildcard-tls ${at(CLUSTER, 'cert-manager.io/alt-names')}`,
    `no-tenant-wildcard Secret wiki/wiki-tls ${at(CLUSTER, 'name: wiki-tls', 'tls.crt:')}`,
    `no-cluster-issuer ClusterIssuer letsencrypt-dns ${at(CLUSTER, 'kind: ClusterIssuer', 'name: letsencrypt-dns')}`,
    `tenant-namespaced-issuer Ingress wiki/wiki ${at(GITOPS, 'cert-manager.io/cluster-issuer')}`,
    // Routes and hosts
    `cross-namespace-tls-secret IngressRoute blog/blog ${at(CLUSTER, 'secretName: shop/shop-wildcard-tls')}`,
    `one-host-one-tenant Ingress shop/storefront ${at(CLUSTER, 'name: storefront', 'host: www.example.com')}`,
    `one-host-one-tenant Ingress blog/landing ${at(CLUSTER, 'name: landing', 'host: www.example.com')}`,
    `one-host-one-tenant Certificate blog/blog ${at(GITOPS, '- shop.example.com')}`,
    `one-host-one-tenant IngressRoute shop/shop ${at(GITOPS, 'Host(`shop.example.com`)')}`,
    `cross-namespace-reference IngressRoute wiki/wiki ${at(GITOPS, 'namespace: payments')}`,
    // Secret copies
    `secret-sync-into-tenants Secret cert-manager/platform-wildcard-tls ${at(CLUSTER, 'reflection-auto-namespaces')}`,
    `secret-sync-into-tenants Secret blog/platform-wildcard-tls ${at(CLUSTER, 'reflector.v1.k8s.emberstack.com/reflects:')}`,
    `secret-sync-into-tenants Certificate cert-manager/sandbox ${at(GITOPS, 'kubed.appscode.com/sync')}`,
    `kubed-retired Certificate cert-manager/sandbox ${at(GITOPS, 'kubed.appscode.com/sync')}`,
    `secret-sync-into-tenants Secret cert-manager/registry-credentials ${at(GITOPS, 'replicate-to-matching')}`,
    // The namespace without guard rails
    ...['pod-security-labels', 'resource-quota', 'limit-range', 'default-deny-network-policy']
      .map((rule) => `${rule} Namespace wiki ${at(CLUSTER, 'kind: Namespace', 'name: wiki')}`),
    // RBAC
    `no-rbac-wildcard RoleBinding wiki/wiki-developers ${at(CLUSTER, 'name: wiki-developers', 'roleRef:')}`,
    ...['no-rbac-writes', 'guard-rails-read-only', 'secrets-no-delete']
      .map((rule) => `${rule} RoleBinding shop/shop-admins ${at(CLUSTER, 'name: shop-admins', 'roleRef:')}`),
    `no-broad-subjects ClusterRoleBinding everyone-views ${at(CLUSTER, 'name: everyone-views', '- apiGroup')}`,
    `no-cluster-bindings-for-tenants ClusterRoleBinding everyone-views ${at(CLUSTER, 'name: everyone-views', '- apiGroup')}`,
    `no-broad-subjects RoleBinding blog/ci-deployers ${at(CLUSTER, 'name: ci-deployers', 'system:serviceaccounts')}`,
    ...['no-rbac-writes', 'guard-rails-read-only', 'secrets-no-delete']
      .map((rule) => `${rule} RoleBinding blog/ci-deployers ${at(CLUSTER, 'name: ci-deployers', 'roleRef:')}`),
  ];
  expect(summarize(result).sort()).toEqual(expected.sort());
});

test('points at the column of the offending field', () => {
  const cross = result.findings.find((f) => f.rule === 'traefik-no-cross-namespace')!;
  expect(cross.location).toEqual({ file: CLUSTER, line: lineOf(CLUSTER, 'allowCrossNamespace=true'), col: 13 });
  const secret = result.findings.find((f) => f.rule === 'cross-namespace-tls-secret')!;
  expect(secret.location.col).toBe(7);
});

test('works out tenants from the tenancy label and the platform from where Traefik runs', () => {
  expect([...result.scope.tenantNamespaces]).toEqual(['blog', 'payments', 'shop', 'wiki']);
  expect([...result.scope.platformNamespaces]).toEqual(['traefik']);
});

test('a tenant that follows the seeds has no finding', () => {
  expect(result.findings.filter((f) => f.tenant === 'payments')).toEqual([]);
});

test('Kubernetes\' own default bindings of system:authenticated are not findings', () => {
  expect(result.findings.filter((f) => f.object.name === 'system:discovery')).toEqual([]);
});

test('every finding says which object, where, why it matters and how to fix it', () => {
  for (const f of result.findings) {
    expect(f.object.kind).not.toBe('');
    expect(f.location.line).toBeGreaterThan(0);
    expect(f.location.col).toBeGreaterThan(0);
    expect(f.message.length).toBeGreaterThan(10);
    expect(f.why.length).toBeGreaterThan(30);
    expect(f.fix.length).toBeGreaterThan(10);
  }
});

test('findings are grouped by tenant and worst first', () => {
  const ranks = result.findings.map((f) => ['critical', 'high', 'medium', 'low'].indexOf(f.severity));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  expect(new Set(result.findings.filter((f) => f.object.namespace === 'wiki').map((f) => f.tenant))).toEqual(new Set(['wiki']));
  expect(result.findings.find((f) => f.rule === 'platform-out-of-tenant-reach')!.tenant).toBe('blog');
});

test('skips the documents that are not Kubernetes objects, and says where and why', () => {
  expect(result.skipped).toEqual([
    { file: GITOPS, line: lineOf(GITOPS, 'apiVersion: kustomize'), col: 1, reason: 'the document is not a Kubernetes object: it has no `metadata.name`' },
    { file: GITOPS, line: lineOf(GITOPS, 'providers:'), col: 1, reason: 'the document is not a Kubernetes object: it has no `apiVersion` and `kind`' },
  ]);
  expect(result.files).toEqual([CLUSTER, GITOPS]);
  expect(C).not.toBe(G);
});

test('--secrets read-only reports Secret writes of tenants', () => {
  const strict = auditFiles([CLUSTER, GITOPS], { secrets: 'read-only' });
  const rules = (name: string) => strict.findings.filter((f) => f.object.name === name).map((f) => f.rule);
  expect(rules('shop-admins')).toContain('secrets-read-only');
  expect(rules('shop-admins')).not.toContain('secrets-no-delete');
  expect(rules('payments-team-lead')).toEqual([]);
});

test('--tenant-namespaces narrows the audit to the tenants named', () => {
  const narrow = auditFiles([CLUSTER, GITOPS], { tenants: { kind: 'list', namespaces: ['shop', 'payments'] } });
  expect([...narrow.scope.tenantNamespaces]).toEqual(['payments', 'shop']);
  expect(narrow.findings.filter((f) => f.tenant === 'wiki' || f.tenant === 'blog')).toEqual([]);
  // blog is no tenant now: the shared Traefik watches one tenant only; blog's route still takes shop's Secret.
  expect(narrow.findings.map((f) => f.rule)).not.toContain('traefik-one-tenant');
  expect(narrow.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['cross-namespace-tls-secret', 'default-tls-in-platform']));
});
