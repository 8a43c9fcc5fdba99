/**
 * The audit over the risky objects of foreign manifests that it once missed (issue 12, item 7):
 * `insecure-cluster-gaps.yaml` plants one or more of each, and every one must be reported by
 * its rule, at its file and line — and nothing else (the tenants have every guard rail, the
 * platform denies by default, and argocd and monitoring are not tenants).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatReport } from '../../src/audit/report';
import { auditFiles, FIXTURES, lineOf, summarize } from './helpers';

const GAPS = path.join(FIXTURES, 'insecure-cluster-gaps.yaml');
const result = auditFiles([GAPS]);
const at = (...markers: string[]) => `${path.basename(GAPS)}:${lineOf(GAPS, ...markers)}`;

test('reports every planted object by rule, object, file and line, and nothing else', () => {
  const expected = [
    // A RoleBinding in one tenant for another tenant's ServiceAccounts.
    `no-cross-tenant-bindings RoleBinding alpha/beta-deployer ${at('name: beta-deployer', 'kind: ServiceAccount')}`,
    `no-cross-tenant-bindings RoleBinding alpha/beta-ci ${at('name: beta-ci', 'system:serviceaccounts:beta')}`,
    // Allow-all NetworkPolicies beside the default deny (egress to everything also reaches metadata).
    `no-allow-all-network-policy NetworkPolicy alpha/allow-all-in ${at('name: allow-all-in', 'namespaceSelector: {}')}`,
    `no-allow-all-network-policy NetworkPolicy beta/allow-all-out ${at('name: allow-all-out', '- {}')}`,
    `egress-to-metadata NetworkPolicy beta/allow-all-out ${at('name: allow-all-out', '- {}')}`,
    // An ExternalName Service in a tenant namespace.
    `tenant-service-types Service beta/alpha-web ${at('name: alpha-web', 'type: ExternalName')}`,
    // Ingress controllers inside tenant namespaces, and the cluster-wide binding of one.
    `no-tenant-ingress-controller Deployment beta/ingress-nginx-controller ${at('name: ingress-nginx-controller, namespace: beta', '- name: controller')}`,
    `no-cluster-bindings-for-tenants ClusterRoleBinding beta-ingress-nginx ${at('name: beta-ingress-nginx', 'kind: ServiceAccount')}`,
    `no-tenant-ingress-controller DaemonSet alpha/kong ${at('name: kong, namespace: alpha', '- name: ingress-controller')}`,
    // Traefik's flags.
    `traefik-external-name-services Deployment edge/traefik-alpha ${at('kubernetescrd.allowExternalNameServices=true')}`,
    `traefik-external-name-services Deployment edge/traefik-alpha ${at('kubernetesingress.allowExternalNameServices=true')}`,
    `traefik-scoped-providers Deployment edge/traefik-alpha ${at('- --providers.kubernetesgateway')}`,
    `traefik-api-exposed Deployment edge/traefik-alpha ${at('- --api.insecure')}`,
    // Routes for every host, and Traefik's API published.
    `route-matches-every-host IngressRoute alpha/catch-all ${at('name: catch-all', 'HostRegexp(`{any:.+}`)')}`,
    `route-matches-every-host IngressRoute alpha/catch-all ${at('name: catch-all', 'PathPrefix(`/admin`)')}`,
    `route-matches-every-host IngressRouteTCP beta/tcp-all ${at('name: tcp-all', 'HostSNI(`*`)')}`,
    `traefik-api-exposed IngressRoute beta/dashboard ${at('name: dashboard', 'name: api@internal')}`,
    // Middlewares calling the metadata endpoint, the API server, a pod.
    `middleware-callout Middleware alpha/metadata-auth ${at('http://169.254.169.254/')}`,
    `middleware-callout Middleware beta/api-auth ${at('https://kubernetes.default.svc/api')}`,
    `middleware-callout Middleware beta/pod-auth ${at('http://10.244.3.17:4181/verify')}`,
    // Pods that take over their node.
    `no-host-namespaces Deployment alpha/node-agent ${at('name: node-agent', 'hostNetwork: true')}`,
    `no-host-path Deployment alpha/node-agent ${at('name: node-agent', '- name: root')}`,
    `no-privileged Deployment alpha/node-agent ${at('name: node-agent', '- name: agent')}`,
    `no-host-namespaces Pod beta/debug ${at('name: debug', 'hostPID: true')}`,
    // Another tenant's Middleware, by annotation and across providers.
    `cross-namespace-reference Ingress alpha/web ${at('router.middlewares: beta-basic-auth@kubernetescrd')}`,
    `cross-namespace-reference IngressRoute alpha/app ${at('name: beta-headers@kubernetescrd')}`,
    // Default certificates read from tenant namespaces.
    `default-certificate-from-tenant Deployment ingress-nginx/ingress-nginx-controller ${at('--default-ssl-certificate=alpha/wildcard-tls')}`,
    `default-certificate-from-tenant Deployment nginx-ingress/nginx-ingress ${at('-wildcard-tls-secret=beta/shared-wildcard')}`,
    `default-certificate-from-tenant ConfigMap kube-system/cilium-config ${at('ingress-default-secret-namespace: alpha')}`,
    `default-certificate-from-tenant DaemonSet alpha/kong ${at('name: kong, namespace: alpha', '- name: KONG_SSL_CERT')}`,
    // Wildcard certificates copied into tenant namespaces.
    `secret-sync-into-tenants ClusterPolicy sync-wildcard ${at('name: clone-wildcard', 'generate:')}`,
    `no-tenant-wildcard Secret alpha/wildcard-tls ${at('type: Opaque', 'tls.crt:')}`,
  ];
  expect(summarize(result).sort()).toEqual(expected.sort());
});

test('names what each finding reaches', () => {
  const message = (rule: string, name: string) => result.findings.filter((f) => f.rule === rule && f.object.name === name).map((f) => f.message);
  expect(message('no-cross-tenant-bindings', 'beta-deployer')).toEqual(['gives ServiceAccount beta/deployer (tenant `beta`) ClusterRole `view` in tenant namespace `alpha`']);
  expect(message('no-tenant-ingress-controller', 'ingress-nginx-controller')).toEqual([
    'container `controller` runs ingress-nginx in tenant namespace `beta`; its ServiceAccount beta/ingress-nginx is bound cluster-wide by ClusterRoleBinding beta-ingress-nginx',
  ]);
  expect(message('middleware-callout', 'metadata-auth')[0]).toContain('the cloud metadata endpoint');
  expect(message('middleware-callout', 'api-auth')[0]).toContain('the Kubernetes API server');
  expect(message('middleware-callout', 'pod-auth')[0]).toContain('an address inside the cluster\'s network');
  expect(message('default-certificate-from-tenant', 'nginx-ingress')).toEqual([
    '`-wildcard-tls-secret` serves Secret `beta/shared-wildcard` of tenant namespace `beta` for every host without a certificate of its own',
  ]);
  expect(message('secret-sync-into-tenants', 'sync-wildcard')).toEqual([
    'Kyverno rule `clone-wildcard` copies Secret `cert-manager/platform-wildcard-tls` into tenant namespaces `alpha`, `beta` and every namespace it matches, including tenants created later',
  ]);
});

test('platform controllers (argocd, monitoring, ingress-nginx) are not tenants, and none of their pods is judged as one', () => {
  expect([...result.scope.tenantNamespaces]).toEqual(['alpha', 'beta']);
  expect([...result.scope.platformNamespaces]).toEqual(['edge']);
  expect(result.findings.filter((f) => ['argocd', 'monitoring'].includes(f.object.namespace ?? ''))).toEqual([]);
});

describe('without tenant labels or flags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-gaps-'));
  const unlabelled = path.join(dir, 'cluster.yaml');
  fs.writeFileSync(unlabelled, fs.readFileSync(GAPS, 'utf8').replace(/tenancy\.cdk8s\.io\/tenant: \w+, /g, ''));
  const guessless = auditFiles([unlabelled]);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('guesses no tenant — argocd and monitoring get no finding — and runs only what needs no tenant boundary', () => {
    expect(guessless.scope.tenantNamespaces.size).toBe(0);
    expect(guessless.scope.named).toBe(false);
    expect(guessless.findings.map((f) => `${f.rule} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name}`).sort()).toEqual([
      'secret-sync-into-tenants ClusterPolicy /sync-wildcard',
      'traefik-api-exposed Deployment edge/traefik-alpha',
      'traefik-api-exposed IngressRoute beta/dashboard',
      'traefik-external-name-services Deployment edge/traefik-alpha',
      'traefik-external-name-services Deployment edge/traefik-alpha',
      'traefik-scoped-providers Deployment edge/traefik-alpha',
    ]);
  });

  test('says so in every report format', () => {
    const note = guessless.notes[0];
    expect(note).toMatch(/^No tenant was named \(no --tenant-namespaces, no --tenants-from, and no Namespace labelled `tenancy\.cdk8s\.io\/tenant`\), and the audit does not guess/);
    const text = formatReport(guessless, 'text', { failOn: 'high' });
    expect(text).toContain('Tenants (0; not named: no --tenant-namespaces, no --tenants-from, no Namespace labelled `tenancy.cdk8s.io/tenant`; none guessed): none');
    expect(text).toContain(`Notes:\n  - ${note}`);
    const json = JSON.parse(formatReport(guessless, 'json', { failOn: 'high' }));
    expect([json.tenants, json.tenantsNamed, json.notes[0]]).toEqual([[], false, note]);
    const sarif = JSON.parse(formatReport(guessless, 'sarif', { failOn: 'high', cwd: dir }));
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toContainEqual({ level: 'note', descriptor: { id: 'audit-note' }, message: { text: note } });
  });

  test('--tenant-namespaces names them again', () => {
    const named = auditFiles([unlabelled], { tenants: { kind: 'list', namespaces: ['alpha', 'beta'] } });
    expect(summarize(named).map((s) => s.split(' ').slice(0, 3).join(' ')).sort())
      .toEqual(summarize(result).map((s) => s.split(' ').slice(0, 3).join(' ')).sort());
  });
});
