/**
 * The isolation rules as `tenancy audit` applies them to manifests this tool did not write:
 * the many shapes the same mistake takes in the wild, and the look-alikes that are no mistake.
 */
import { parseAllDocuments } from 'yaml';
import { checkIsolation, runChecks } from '../../src/threats';
import { CheckContext, Finding, KubeObjectLike } from '../../src/threats/detect/engine';
import { hostsInRule } from '../../src/threats/detect/hosts';
import { labelSelector, syncInstructions } from '../../src/threats/detect/secret-sync';
import { isTraefikImage } from '../../src/threats/detect/traefik-config';
import { matchesEveryHost } from '../../src/threats/detect/traefik-rules';
import { crdProviderNamespace } from '../../src/threats/traefik';

const objects = (text: string) => parseAllDocuments(text).map((d: any) => d.toJS()).filter(Boolean) as KubeObjectLike[];
const ctx = (extra: Partial<CheckContext> = {}): CheckContext => ({
  tenantNamespaces: new Set(['shop', 'blog']),
  platformNamespaces: new Set(['traefik']),
  profile: 'audit',
  ...extra,
});
const check = (text: string, extra?: Partial<CheckContext>) => checkIsolation(objects(text), ctx(extra));
const rules = (text: string, extra?: Partial<CheckContext>) => check(text, extra).map((f) => f.rule);
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule}: ${f.message}`);

const guardRails = (ns: string) => `
apiVersion: v1
kind: Namespace
metadata: { name: ${ns}, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: q, namespace: ${ns} }
---
apiVersion: v1
kind: LimitRange
metadata: { name: l, namespace: ${ns} }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: ${ns} }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;
/** Both tenants with every guard rail, and the platform's default deny, so a test sees only the findings it provokes. */
const SAFE = `${guardRails('shop')}---${guardRails('blog')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: traefik }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

const traefik = (container: string, kind = 'Deployment', ns = 'traefik') => `${SAFE}---
apiVersion: apps/v1
kind: ${kind}
metadata: { name: proxy, namespace: ${ns} }
spec:
  template:
    spec:
      containers:
${container}`;

describe('Traefik', () => {
  test('is recognized by its image, however it is mirrored, but traefik/whoami is not Traefik', () => {
    expect(['traefik:v3.1', 'docker.io/library/traefik:v2.11@sha256:abc', 'rancher/mirrored-library-traefik:2.10.5', 'ghcr.io/traefik/traefik-hub:v3'].map(isTraefikImage))
      .toEqual([true, true, true, true]);
    expect(['traefik/whoami:v1.10', 'thomseddon/traefik-forward-auth:2', 'nginx:1.27'].map(isTraefikImage)).toEqual([false, false, false]);
    expect(rules(traefik('        - { name: app, image: traefik/whoami:v1.10 }'))).toEqual([]);
  });

  test('is recognized by a Kubernetes provider on its command line, whatever the image', () => {
    const found = check(traefik('        - { name: p, image: corp/edge:1, args: ["--providers.kubernetesingress.namespaces=shop,blog"] }', 'StatefulSet'));
    expect(brief(found)).toEqual(['traefik-one-tenant: the kubernetesingress provider watches several tenants: shop, blog']);
  });

  test('reads `--name value`, bare `--name`, any letter case, `command` and TRAEFIK_* variables', () => {
    const spaced = traefik(`        - name: t
          image: traefik:v3.1
          command: [traefik, --providers.kubernetesCRD.namespaces, shop]
          args: [--providers.kubernetescrd.allowCrossNamespace, "true"]`);
    expect(rules(spaced)).toEqual(['traefik-no-cross-namespace']);
    const bare = traefik('        - { name: t, image: traefik:v3.1, args: [--providers.kubernetescrd.namespaces=blog, --PROVIDERS.KUBERNETESCRD.ALLOWCROSSNAMESPACE] }', 'DaemonSet');
    expect(rules(bare)).toEqual(['traefik-no-cross-namespace']);
    const env = traefik(`        - name: t
          image: traefik:v3.1
          env:
            - { name: TRAEFIK_PROVIDERS_KUBERNETESCRD_NAMESPACES, value: "shop,blog,traefik" }`);
    expect(brief(check(env))).toEqual(['traefik-one-tenant: the kubernetescrd provider watches several tenants: shop, blog']);
  });

  test('a Traefik scoped to one tenant and the platform, without cross-namespace references, is fine', () => {
    const scoped = traefik(`        - name: t
          image: traefik:v3.1
          args:
            - --providers.kubernetescrd.namespaces=shop,traefik
            - --providers.kubernetescrd.allowCrossNamespace=false
            - --providers.kubernetesingress.namespaces=shop`);
    expect(rules(scoped)).toEqual([]);
  });

  test('providers set in a configuration file are reported as not checked, not as safe or unsafe', () => {
    const found = check(traefik('        - { name: t, image: traefik:v3.1, args: [--configFile=/etc/traefik/traefik.yml] }'));
    expect(found.map((f) => [f.rule, f.severity])).toEqual([['traefik-config-not-checked', 'low']]);
  });

  test('a provider switched off is not judged', () => {
    expect(rules(traefik('        - { name: t, image: traefik:v3.1, args: [--providers.kubernetescrd=false, --providers.file.directory=/etc/x] }'))).toEqual([]);
  });

  test('cluster-wide Secrets for Traefik\'s ServiceAccount, also through the built-in cluster-admin', () => {
    const text = `${traefik('        - { name: t, image: traefik:v3.1, args: [--providers.kubernetescrd.namespaces=shop] }')}
      serviceAccountName: edge
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: edge-admin }
roleRef: { kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: edge, namespace: traefik }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: other-sa }
roleRef: { kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: default, namespace: traefik }]
`;
    const found = check(text);
    expect(found.map((f) => `${f.rule} ${f.object}`)).toEqual(['traefik-cluster-secrets ClusterRoleBinding edge-admin']);
    expect(found[0].message).toMatch(/ServiceAccount traefik\/edge of Deployment traefik\/proxy \* on Secrets in every namespace/);
  });

  test.each(['system:serviceaccounts:traefik', 'system:serviceaccounts', 'system:authenticated'])('cluster-wide Secrets for a group Traefik\'s ServiceAccount is in: %s', (group) => {
    const text = `${traefik('        - { name: t, image: traefik:v3.1, args: [--providers.kubernetescrd.namespaces=shop] }')}
      serviceAccountName: edge
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: read-secrets }
rules: [{ apiGroups: [""], resources: [secrets], verbs: [get, list, watch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: all-accounts }
roleRef: { kind: ClusterRole, name: read-secrets }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: "${group}" }]
`;
    const found = check(text).filter((f) => f.rule === 'traefik-cluster-secrets');
    expect(found.map((f) => f.message)).toEqual([
      `gives ServiceAccount traefik/edge (through Group \`${group}\`) of Deployment traefik/proxy get/list/watch on Secrets in every namespace through ClusterRole \`read-secrets\``,
    ]);
  });
});

describe('hosts', () => {
  test('Host matchers: several hosts, either syntax; HostRegexp and HostSNI(`*`) name none', () => {
    expect(hostsInRule('Host(`a.example.com`) || Host(`b.example.com`) && PathPrefix(`/x`)')).toEqual(['a.example.com', 'b.example.com']);
    expect(hostsInRule('Host(`a.example.com`, `b.example.com`)')).toEqual(['a.example.com', 'b.example.com']);
    expect(hostsInRule('HostRegexp(`{sub:[a-z]+}.example.com`)')).toEqual([]);
    expect(hostsInRule('HostSNI(`*`)', 'HostSNI')).toEqual([]);
    expect(hostsInRule('HostHeader(`c.example.com`)')).toEqual(['c.example.com']);
  });

  test('a tenant\'s wildcard certificate covering another tenant\'s host is reported on both', () => {
    const text = `${SAFE}---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: wild, namespace: shop }
spec: { dnsNames: ["*.example.com"], issuerRef: { name: i, kind: Issuer } }
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: { name: web, namespace: blog }
spec: { routes: [{ match: "Host(\`blog.example.com\`)" }] }
---
apiVersion: traefik.io/v1alpha1
kind: IngressRouteTCP
metadata: { name: db, namespace: blog }
spec: { routes: [{ match: "HostSNI(\`db.blog.example.com\`)" }] }
`;
    expect(brief(check(text))).toEqual([
      'no-tenant-wildcard: wildcard `*.example.com` in tenant namespace `shop`',
      'one-host-one-tenant: `*.example.com` covers `blog.example.com`, which is also served by tenant `blog` (IngressRoute blog/web)',
      'one-host-one-tenant: `blog.example.com` is also served by tenant `shop` (Certificate shop/wild through `*.example.com`)',
    ]);
  });

  test('one tenant routing and certifying its own host is fine, and so is the platform\'s wildcard', () => {
    const text = `${SAFE}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec: { rules: [{ host: shop.example.com }], tls: [{ hosts: [shop.example.com], secretName: shop-tls }] }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: shop, namespace: shop }
spec: { dnsNames: [shop.example.com], issuerRef: { name: i } }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: wild, namespace: traefik }
spec: { dnsNames: ["*.example.com"], issuerRef: { name: w, kind: Issuer } }
`;
    expect(rules(text)).toEqual([]);
  });
});

describe('routes across namespaces', () => {
  test('TLS Secrets of another namespace, in IngressRoutes and Ingresses', () => {
    const text = `${SAFE}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec: { tls: [{ secretName: blog/blog-tls }] }
---
apiVersion: traefik.containo.us/v1alpha1
kind: IngressRoute
metadata: { name: web, namespace: blog }
spec: { tls: { secretName: blog/own-tls } }
`;
    expect(brief(check(text))).toEqual(['cross-namespace-tls-secret: `spec.tls[0].secretName` names `blog/blog-tls`, a Secret of namespace `blog`']);
  });

  test('references into another tenant are reported; into the platform they are not', () => {
    const text = `${SAFE}---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: { name: web, namespace: shop }
spec:
  tls: { options: { name: modern, namespace: traefik } }
  routes:
    - match: Host(\`shop.example.com\`)
      middlewares: [{ name: auth, namespace: traefik }, { name: strip, namespace: blog }]
      services: [{ name: api, namespace: blog, port: 80 }]
`;
    expect(brief(check(text))).toEqual([
      'cross-namespace-reference: refers to Middleware `strip` in namespace `blog`',
      'cross-namespace-reference: refers to Service `api` in namespace `blog`',
    ]);
  });
});

describe('default TLSStore and TLSOption', () => {
  test('without a known platform, one in a tenant namespace is still reported', () => {
    const text = `${SAFE}---
apiVersion: traefik.io/v1alpha1
kind: TLSStore
metadata: { name: default, namespace: shop }
---
apiVersion: traefik.io/v1alpha1
kind: TLSStore
metadata: { name: default, namespace: ingress }
`;
    expect(check(text, { platformNamespaces: new Set() }).map((f) => f.object)).toEqual(['TLSStore shop/default']);
  });

  test('writable by a tenant cluster-wide', () => {
    const text = `${SAFE}---
apiVersion: traefik.io/v1alpha1
kind: TLSStore
metadata: { name: default, namespace: traefik }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: tls-admin }
rules: [{ apiGroups: [traefik.io], resources: [tlsstores], verbs: [update] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: shop-tls }
roleRef: { kind: ClusterRole, name: tls-admin }
subjects: [{ kind: User, name: "system:serviceaccount:shop:deployer" }]
`;
    expect(brief(check(text))).toEqual([
      'default-tls-tenant-writable: tenant identities may change this TLSStore: ServiceAccount shop/deployer through ClusterRoleBinding shop-tls',
      'no-cluster-bindings-for-tenants: binds tenant identity ServiceAccount shop/deployer to ClusterRole `tls-admin` in every namespace',
    ]);
  });
});

describe('copies of Secrets', () => {
  test('the annotations of reflector, kubernetes-replicator and kubed', () => {
    const R = 'reflector.v1.k8s.emberstack.com/';
    expect(syncInstructions({ [`${R}reflection-allowed`]: 'true' }, 'src')).toEqual([
      { tool: 'reflector', mode: 'pull', annotation: `${R}reflection-allowed`, namespaces: [], patterns: [], selector: undefined, everywhere: true },
    ]);
    expect(syncInstructions({ 'replicator.v1.mittwald.de/replicate-to': 'shop, prod-[0-9]+' }, 'src')[0]).toMatchObject({ mode: 'push', namespaces: ['shop'], patterns: ['prod-[0-9]+'] });
    expect(syncInstructions({ 'replicator.v1.mittwald.de/replicate-from': 'tls' }, 'shop')[0]).toMatchObject({ mode: 'copy', source: 'shop/tls' });
    expect(syncInstructions({ 'kubed.appscode.com/sync': 'app=web' }, 'src')[0]).toMatchObject({ tool: 'kubed', selector: 'app=web', everywhere: false });
  });

  test('label selectors as kubectl writes them', () => {
    const match = labelSelector('team in (a,b),!legacy,tier!=db,env=prod')!;
    expect(match({ team: 'a', env: 'prod' })).toBe(true);
    expect(match({ team: 'c', env: 'prod' })).toBe(false);
    expect(match({ team: 'a', env: 'prod', legacy: '' })).toBe(false);
    expect(match({ team: 'a', env: 'prod', tier: 'db' })).toBe(false);
    expect(labelSelector('a=(b')).toBeUndefined();
  });

  test('copies to named namespaces outside every tenant are fine; pulls, patterns and copies held by tenants are not', () => {
    const text = `${SAFE}---
apiVersion: v1
kind: Secret
metadata:
  name: a
  namespace: traefik
  annotations: { replicator.v1.mittwald.de/replicate-to: "monitoring,logging" }
---
apiVersion: v1
kind: Secret
metadata:
  name: b
  namespace: traefik
  annotations: { replicator.v1.mittwald.de/replication-allowed: "true", replicator.v1.mittwald.de/replication-allowed-namespaces: "sh(op" }
---
apiVersion: v1
kind: Secret
metadata:
  name: c
  namespace: shop
  annotations: { replicator.v1.mittwald.de/replicate-from: traefik/b }
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: d, namespace: traefik }
spec:
  target:
    template:
      metadata:
        annotations: { reflector.v1.k8s.emberstack.com/reflection-allowed: "true", reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces: blog }
`;
    expect(brief(check(text))).toEqual([
      'secret-sync-into-tenants: replicator lets every namespace matching `sh(op`, including tenants created later copy this Secret',
      'secret-sync-into-tenants: is a copy of `traefik/b` kept in sync by replicator, in tenant namespace `shop`',
      'secret-sync-into-tenants: reflector lets tenant namespace `blog` copy the Secret it writes',
    ]);
  });
});

describe('RBAC', () => {
  test('users and groups count as a tenant\'s when a RoleBinding in a tenant namespace names them', () => {
    const text = `${SAFE}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: devs, namespace: shop }
roleRef: { kind: ClusterRole, name: view }
subjects: [{ kind: Group, name: shop-devs }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ops, namespace: traefik }
roleRef: { kind: ClusterRole, name: view }
subjects: [{ kind: Group, name: platform-ops }, { kind: ServiceAccount, name: argocd, namespace: argocd }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: leak, namespace: traefik }
roleRef: { kind: ClusterRole, name: view }
subjects: [{ kind: Group, name: shop-devs }]
`;
    const found = check(text);
    expect(found.map((f) => `${f.rule} ${f.object} ${f.tenant}`)).toEqual(['platform-out-of-tenant-reach RoleBinding traefik/leak shop']);
  });

  test('the Secrets policy: read-only reports writes, manage reports deletes', () => {
    const text = `${SAFE}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: r, namespace: blog }
rules: [{ apiGroups: [""], resources: [secrets], verbs: [get, create, delete] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: rb, namespace: blog }
roleRef: { kind: Role, name: r }
subjects: [{ kind: User, name: alice }]
`;
    expect(brief(check(text))).toEqual(['secrets-no-delete: through Role `r`, tenant identities may delete Secrets']);
    expect(brief(check(text, { secrets: 'read-only' }))).toEqual(['secrets-read-only: through Role `r`, tenant identities may create/delete Secrets']);
  });

  test('a binding to a role that is neither in the input nor built in is noted, not guessed', () => {
    const text = `${SAFE}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: rb, namespace: blog }
roleRef: { kind: ClusterRole, name: custom }
subjects: [{ kind: User, name: alice }]
`;
    const result = runChecks(objects(text), ctx());
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual(['1 binding refers to a role that is neither in the input nor built in; what it grants was not checked.']);
  });
});

describe('tenant namespaces', () => {
  test('a default deny may be split in two policies; a policy that selects some pods is no default deny', () => {
    const text = `${SAFE.replace('policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress]')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-egress, namespace: shop }
spec: { podSelector: { matchLabels: { app: web } }, policyTypes: [Egress] }
`;
    expect(brief(check(text))).toEqual(['default-deny-network-policy: tenant namespace `shop` has no default-deny NetworkPolicy for Egress']);
  });

  test('without a Namespace object, the guard rails are checked and the Pod Security labels are noted', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
`;
    const result = runChecks(objects(text), ctx({ tenantNamespaces: new Set(['shop', 'ghost']) }));
    expect(result.findings.map((f) => `${f.rule} ${f.object}`)).toEqual([
      'resource-quota ConfigMap shop/settings', 'default-deny-network-policy ConfigMap shop/settings', 'limit-range ConfigMap shop/settings',
    ]);
    expect(result.notes).toEqual([
      'Tenant namespace `ghost` has no object in the input and was not checked.',
      'No Namespace object in the input for tenant namespace `shop`: Pod Security labels were not checked.',
    ]);
  });
});

describe('risky objects of foreign manifests (issue 12, item 7)', () => {
  const route = (match: string, kind = 'IngressRoute', ns = 'shop') => `${SAFE}---
apiVersion: traefik.io/v1alpha1
kind: ${kind}
metadata: { name: r, namespace: ${ns} }
spec: { routes: [{ match: ${JSON.stringify(match)}, services: [{ name: web, port: 80 }] }] }
`;

  test('a route matches every host: without Host, with || beside it, a HostRegexp catch-all, HostSNI(`*`); a route on its own hosts does not', () => {
    const every = [
      'PathPrefix(`/`)', 'Host(`shop.example.com`) || PathPrefix(`/`)', '!Host(`shop.example.com`)', 'HostRegexp(`.+`)',
      'HostRegexp(`^.*$`) && Path(`/x`)', 'HostRegexp(`{host:.+}`)', 'HostRegexp(`{subdomain}`)', 'Header(`X-Forwarded-Host`, `shop.example.com`)',
    ];
    for (const match of every) expect({ match, every: matchesEveryHost(match) }).toEqual({ match, every: true });
    const own = [
      'Host(`shop.example.com`)', 'Host("shop.example.com") && PathPrefix(`/api`)', '(Host(`a.shop.example.com`) || Host(`b.shop.example.com`)) && Method(`GET`)',
      'HostRegexp(`^[a-z]+\\.shop\\.example\\.com$`)', 'HostRegexp(`{sub:[a-z]+}.shop.example.com`)', 'HostSNI(`shop.example.com`)', 'Host(`a`) && !Path(`/x`)',
    ];
    for (const match of own) expect({ match, every: matchesEveryHost(match) }).toEqual({ match, every: false });
    expect(matchesEveryHost('Host(`a`')).toBeUndefined();
    expect(rules(route('HostSNI(`*`)', 'IngressRouteTCP'))).toEqual(['route-matches-every-host']);
    expect(rules(route('HostSNI(`shop.example.com`)', 'IngressRouteTCP'))).toEqual([]);
    // The platform's own catch-all (a 404 page) is its choice.
    expect(rules(route('PathPrefix(`/`)', 'IngressRoute', 'traefik'))).toEqual([]);
  });

  test('an Ingress rule without a host, or a default backend, answers for every host', () => {
    const ingress = (spec: string) => `${SAFE}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: i, namespace: blog }
spec: ${spec}
`;
    expect(brief(check(ingress('{ rules: [{ host: blog.example.com }, { http: { paths: [] } }] }')))).toEqual(['route-matches-every-host: rule 1 has no host, so it answers for every host']);
    expect(rules(ingress('{ defaultBackend: { service: { name: web, port: { number: 80 } } } }'))).toEqual(['route-matches-every-host']);
    expect(rules(ingress('{ rules: [{ host: blog.example.com }] }'))).toEqual([]);
  });

  test('an ExternalName Service in a tenant namespace is tenant-service-types', () => {
    const text = `${SAFE}---
apiVersion: v1
kind: Service
metadata: { name: elsewhere, namespace: shop }
spec: { type: ExternalName, externalName: api.blog.svc.cluster.local }
`;
    expect(brief(check(text))).toEqual(['tenant-service-types: is an ExternalName Service in tenant namespace `shop`']);
  });

  test('Middleware callouts: what the address reaches is named; the namespace\'s own Service by its full name is fine', () => {
    const middleware = (address: string) => `${SAFE}---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: { name: auth, namespace: shop }
spec: { forwardAuth: { address: ${JSON.stringify(address)} } }
`;
    const reaches = (address: string) => check(middleware(address)).map((f) => f.message.split(' — ')[1]);
    expect(reaches('http://169.254.169.254/latest/meta-data/')).toEqual(['the cloud metadata endpoint, which hands out the node\'s credentials']);
    expect(reaches('http://2852039166/latest/')).toEqual(['the cloud metadata endpoint, which hands out the node\'s credentials']);
    expect(reaches('http://[fd00:ec2::254]/latest/')).toEqual(['the cloud metadata endpoint, which hands out the node\'s credentials']);
    expect(reaches('http://metadata.google.internal/computeMetadata/v1/')).toEqual(['the cloud metadata endpoint, which hands out the node\'s credentials']);
    expect(reaches('https://kubernetes.default.svc.cluster.local/api')).toEqual(['the Kubernetes API server']);
    expect(reaches('http://10.96.0.10:53/')).toEqual(['an address inside the cluster\'s network: a pod, a Service or a node']);
    expect(reaches('http://auth.blog.svc:4181/')).toEqual(['a Service of namespace `blog`']);
    expect(reaches('http://auth:4181/')).toEqual(['a short name, which resolves in the platform namespace where Traefik runs']);
    expect(reaches('https://auth.example.net/verify')).toEqual(['a host name, which DNS may point at any address']);
    expect(rules(middleware('http://auth.shop.svc.cluster.local:4181/verify'))).toEqual([]);
  });

  test('another namespace\'s Middleware by annotation or across providers; its own, the platform\'s and other providers\' are fine', () => {
    const ingress = (middlewares: string, ns = 'shop') => `${SAFE}---
apiVersion: v1
kind: Namespace
metadata: { name: shop-eu }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: ${ns}, annotations: { traefik.ingress.kubernetes.io/router.middlewares: "${middlewares}" } }
spec: { rules: [{ host: ${ns}.example.com }] }
`;
    expect(brief(check(ingress('shop-auth@kubernetescrd, blog-strip-prefix@kubernetescrd')))).toEqual([
      'cross-namespace-reference: refers to Middleware `blog-strip-prefix@kubernetescrd` in namespace `blog`',
    ]);
    expect(rules(ingress('traefik-redirect@kubernetescrd,compress@file,shop-auth@kubernetescrd'))).toEqual([]);
    // `shop-eu-auth` is shop-eu's `auth` (or shop's `eu-auth`: Traefik cannot tell them apart either).
    expect(brief(check(ingress('shop-eu-auth@kubernetescrd')))).toEqual(['cross-namespace-reference: refers to Middleware `shop-eu-auth@kubernetescrd` in namespace `shop-eu`']);
    expect(crdProviderNamespace('blog-auth@kubernetescrd', new Set(['blog']))).toBe('blog');
    expect(crdProviderNamespace('blog-auth@file', new Set(['blog']))).toBeUndefined();
    expect(crdProviderNamespace('unknown-auth@kubernetescrd', new Set(['blog']))).toBeUndefined();
  });

  test('allow-all NetworkPolicies, and labelled pods of every namespace; policies by the name of a platform namespace, and DNS anywhere, are not', () => {
    const policy = (spec: string) => `${SAFE}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec: ${spec}
`;
    expect(brief(check(policy('{ podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] }')))).toEqual([
      'no-allow-all-network-policy: ingress rule 0 has no `from`: every pod of every namespace (and every address) may connect on port 8080/TCP',
    ]);
    expect(brief(check(policy('{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: {} }, podSelector: {} }] }] }')))).toEqual([
      'no-allow-all-network-policy: egress rule 0 lets the tenant\'s pods connect to every pod of every namespace on every port',
    ]);
    expect(rules(policy('{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: traefik } } }] }] }'))).toEqual([]);
    // Pods of every namespace with a label: other tenants' pods get it by labelling themselves.
    expect(rules(policy('{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: prometheus } } }] }] }'))).toEqual(['no-allow-all-network-policy']);
    // DNS anywhere is no way into another tenant (the metadata ranges on port 53 are egress-to-metadata's).
    expect(rules(policy('{ podSelector: {}, policyTypes: [Egress], egress: [{ ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }] }] }'))).toEqual(['egress-to-metadata']);
    expect(rules(policy('{ podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }'))).toEqual([]);
  });

  test('RoleBindings for another tenant\'s ServiceAccounts; the namespace\'s own, the platform\'s and people are not judged', () => {
    const binding = (subjects: string) => `${SAFE}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: b, namespace: shop }
roleRef: { kind: ClusterRole, name: view }
subjects: ${subjects}
`;
    expect(brief(check(binding('[{ kind: User, name: "system:serviceaccount:blog:ci" }, { kind: ServiceAccount, name: app }]')))).toEqual([
      'no-cross-tenant-bindings: gives ServiceAccount blog/ci (tenant `blog`) ClusterRole `view` in tenant namespace `shop`',
    ]);
    expect(rules(binding('[{ kind: ServiceAccount, name: app }, { kind: ServiceAccount, name: traefik, namespace: traefik }, { kind: Group, name: "system:serviceaccounts:shop" }, { kind: Group, name: blog-devs }]'))).toEqual([]);
  });

  test('ingress controllers by image, command or Traefik provider; demo backends, plain proxies and a Traefik without a Kubernetes provider are none', () => {
    const pod = (containers: string) => `${SAFE}---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: edge, namespace: blog }
spec: { template: { spec: { securityContext: { runAsNonRoot: true }, containers: [${containers}] } } }
`;
    const found = (containers: string) => check(pod(containers)).filter((f) => f.rule === 'no-tenant-ingress-controller').map((f) => f.message.split(' in tenant')[0]);
    expect(found('{ name: a, image: "haproxytech/kubernetes-ingress:3.0" }, { name: b, image: "ghcr.io/projectcontour/contour:v1.30" }')).toEqual([
      'container `a` runs HAProxy Ingress', 'container `b` runs Contour',
    ]);
    expect(found('{ name: c, image: "corp/edge:1", command: [/nginx-ingress-controller] }')).toEqual(['container `c` runs ingress-nginx']);
    expect(found('{ name: t, image: "traefik:v3.7.11", args: [--providers.kubernetesingress.namespaces=blog] }')).toEqual(['container `t` runs Traefik']);
    expect(found('{ name: w, image: "traefik/whoami:v1.10" }, { name: n, image: "nginx:1.27" }, { name: k, image: "kong:3.7" }, { name: f, image: "traefik:v3.7.11", args: [--providers.file.directory=/etc/t] }')).toEqual([]);
  });

  test('Traefik: an unscoped Gateway API provider, the API, ExternalName Services', () => {
    const args = (...a: string[]) => traefik(`        - { name: t, image: "traefik:v3.7.11", args: [${a.map((x) => JSON.stringify(x)).join(', ')}] }`);
    expect(brief(check(args('--providers.kubernetesgateway=true')))).toEqual(['traefik-scoped-providers: the kubernetesgateway provider of container `t` watches every namespace']);
    expect(rules(args('--providers.kubernetesgateway.namespaces=shop'))).toEqual([]);
    // A Gateway API provider may serve several tenants: the Gateways' listeners keep them apart (`gateway-listener-one-tenant`).
    expect(rules(args('--providers.kubernetesgateway.namespaces=shop,blog'))).toEqual([]);
    expect(brief(check(args('--providers.kubernetesingress.namespaces=shop,blog')))).toEqual(['traefik-one-tenant: the kubernetesingress provider watches several tenants: shop, blog']);
    expect(rules(args('--providers.kubernetescrd.namespaces=shop', '--api.insecure=false', '--api.dashboard=true'))).toEqual([]);
    // allowExternalNameServices of a provider that is off is not judged.
    expect(rules(args('--providers.kubernetescrd.namespaces=shop', '--providers.kubernetesingress=false', '--providers.kubernetesingress.allowExternalNameServices=true'))).toEqual([]);
  });

  test('default certificates: by option, Cilium settings and Kong\'s mounted file; a Secret of the controller\'s own namespace is fine', () => {
    const controller = (args: string, ns = 'ingress') => `${SAFE}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: c, namespace: ${ns} }
spec: { template: { spec: { containers: [{ name: c, image: "haproxytech/kubernetes-ingress:3.0", args: [${args}] }] } } }
`;
    expect(brief(check(controller('--default-ssl-certificate, shop/wildcard')))).toEqual([
      'default-certificate-from-tenant: `--default-ssl-certificate` serves Secret `shop/wildcard` of tenant namespace `shop` for every host without a certificate of its own',
    ]);
    expect(check(controller('--default-ssl-certificate=shop/wildcard'))[0].tenant).toBe('shop');
    expect(brief(check(controller('--ingress-default-secret-namespace=blog, --ingress-default-secret-name=tls')))).toEqual([
      'default-certificate-from-tenant: `--ingress-default-secret-namespace` serves Secret `blog/tls` of tenant namespace `blog` for every host without a certificate of its own',
    ]);
    expect(rules(controller('--default-ssl-certificate=ingress/wildcard'))).toEqual([]);
  });

  test('Kyverno clones of Secrets: a literal tenant namespace, names with patterns, exclusions, and a templated namespace matching everything', () => {
    const policy = (generate: string, match = '{ any: [{ resources: { kinds: [Namespace] } }] }', exclude = '{}') => `${SAFE}---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: copy }
spec: { rules: [{ name: r, match: ${match}, exclude: ${exclude}, generate: ${generate} }] }
`;
    const clone = (namespace: string) => `{ kind: Secret, name: tls, namespace: "${namespace}", clone: { namespace: traefik, name: wildcard } }`;
    const templated = clone('{{request.object.metadata.name}}');
    expect(brief(check(policy(clone('shop'))))).toEqual(['secret-sync-into-tenants: Kyverno rule `r` copies Secret `traefik/wildcard` into tenant namespace `shop`']);
    expect(rules(policy(clone('monitoring')))).toEqual([]);
    expect(brief(check(policy(templated, '{ resources: { kinds: [Namespace], names: ["sh*", monitoring] } }')))).toEqual([
      'secret-sync-into-tenants: Kyverno rule `r` copies Secret `traefik/wildcard` into tenant namespace `shop`',
    ]);
    expect(rules(policy(templated, '{ resources: { kinds: [Namespace], names: [monitoring] } }'))).toEqual([]);
    expect(brief(check(policy(templated, undefined, '{ any: [{ resources: { names: [blog] } }] }')))).toEqual([
      'secret-sync-into-tenants: Kyverno rule `r` copies Secret `traefik/wildcard` into tenant namespace `shop` and every namespace it matches, including tenants created later',
    ]);
    expect(brief(check(policy('{ kind: Secret, name: x, namespace: "{{request.object.metadata.name}}", cloneList: { namespace: traefik, kinds: [v1/Secret], selector: { matchLabels: { sync: "yes" } } } }')))).toEqual([
      'secret-sync-into-tenants: Kyverno rule `r` copies the Secrets of namespace `traefik` into tenant namespaces `blog`, `shop` and every namespace it matches, including tenants created later',
    ]);
    expect(rules(policy('{ kind: ConfigMap, name: x, namespace: shop, clone: { namespace: traefik, name: settings } }'))).toEqual([]);
  });
});

test('stays linear: 20,000 tenants with routes, certificates and bindings are judged in seconds', () => {
  const all: KubeObjectLike[] = [];
  const tenants = new Set<string>();
  const rails = objects(guardRails('NS'));
  for (let i = 0; i < 20000; i++) {
    const ns = `t${i}`;
    tenants.add(ns);
    all.push(...(JSON.parse(JSON.stringify(rails).replace(/"NS"/g, `"${ns}"`)) as KubeObjectLike[]));
    all.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: ns }, spec: { rules: [{ host: `${ns}.example.com` }] } });
    all.push({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: ns }, spec: { dnsNames: [`${ns}.example.com`], issuerRef: { name: 'i' } } });
    all.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'o', namespace: ns }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: `${ns}-devs` }] });
  }
  all.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'x', annotations: { 'replicator.v1.mittwald.de/replicate-to': 't1.*' } } });
  const started = Date.now();
  const found = checkIsolation(all, { tenantNamespaces: tenants, platformNamespaces: new Set(['traefik']), profile: 'audit' });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(found.map((f) => f.rule)).toEqual(['secret-sync-into-tenants']);
  expect(found[0].message).toMatch(/tenant namespaces `t1`, `t10`, `t100`, `t1000`, `t10000` and 11106 more and every namespace matching `t1\.\*`/);
});

describe('network policies in the forms that evade a literal reading', () => {
  const policy = (spec: string) => `${SAFE}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open, namespace: shop }
spec: ${spec}
`;

  test('a namespace selector that only asks for kubernetes.io/metadata.name selects every namespace', () => {
    const allNamespaces = '{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: kubernetes.io/metadata.name, operator: Exists }] } }] }] }';
    expect(rules(policy(allNamespaces))).toContain('no-allow-all-network-policy');
    const someNamespaces = '{ podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: kubernetes.io/metadata.name, operator: In, values: [shop] }] } }] }] }';
    expect(rules(policy(someNamespaces))).not.toContain('no-allow-all-network-policy');
  });

  test.each(['::ffff:a9fe:a9fe/128', '::ffff:169.254.0.0/112', 'fd20:ce::254/128', '::/0'])('an ipBlock %s reaches a metadata endpoint', (cidr) => {
    expect(rules(policy(`{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: "${cidr}" } }] }] }`))).toContain('egress-to-metadata');
  });

  test('::/0 excepting every IPv6 metadata range reaches none', () => {
    const except = ['fe80::/10', 'fd00:ec2::/64', 'fd20:ce::254/128', 'fd00:c1::a9fe:a9fe/128', 'fd00:42::42/128'].map((e) => `"${e}"`).join(', ');
    expect(rules(policy(`{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: "::/0", except: [${except}] } }] }] }`))).not.toContain('egress-to-metadata');
  });
});

describe('network policies that let other tenants in by selector', () => {
  const labelled = SAFE.replace(/metadata: \{ name: (shop|blog), labels: \{ /g, 'metadata: { name: $1, labels: { tenancy.cdk8s.io/tenant: $1, ');
  const policy = (peer: string, field = 'ingress', peers = 'from') => `${labelled}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: peer, namespace: shop }
spec: { podSelector: {}, policyTypes: [${field === 'ingress' ? 'Ingress' : 'Egress'}], ${field}: [{ ${peers}: [${peer}] }] }
`;
  const messages = (text: string) => check(text).filter((f) => f.rule === 'no-allow-all-network-policy').map((f) => f.message);

  test.each([
    ['a label every tenant namespace carries', '{ namespaceSelector: { matchExpressions: [{ key: tenancy.cdk8s.io/tenant, operator: Exists }] } }'],
    ['every namespace but one', '{ namespaceSelector: { matchExpressions: [{ key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system] }] } }'],
    ['every namespace, narrowed by pod labels a tenant sets itself', '{ namespaceSelector: {}, podSelector: { matchLabels: { role: frontend } } }'],
    ['the other tenant by name', '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: blog } } }'],
  ])('ingress from %s is reported, naming the tenant', (_, peer) => {
    expect(messages(policy(peer))).toEqual(["ingress rule 0 lets pods of other tenants' namespaces connect (`blog`) on every port — tenants label their own pods, so a pod selector does not keep them out"]);
  });

  test('egress to another tenant by name is reported; to a platform namespace, or the own one, is not', () => {
    expect(messages(policy('{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: blog } } }', 'egress', 'to'))).toEqual(["egress rule 0 lets the tenant's pods connect to other tenants' namespaces (`blog`) on every port"]);
    expect(messages(policy('{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: traefik } } }'))).toEqual([]);
    expect(messages(policy('{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } } }'))).toEqual([]);
  });
});
