/**
 * The catalogue's table test: every threat, through every layer that enforces it — one bad
 * example that each enforcer refuses (the spec with its path and line, the construct with the
 * same words, the chart's values, the admission CEL in all three renderings, the audit), and one
 * good example that passes them all. A layer without an enforcer must say why.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { FleetGitOps } from '../../src/constructs/fleet-gitops';
import { GitOps } from '../../src/constructs/gitops-app';
import { Platform, PlatformProps, RoutingApi, TraefikTopology } from '../../src/constructs/platform';
import { RefusedPropError } from '../../src/constructs/refuse';
import { ScopedTraefik, ScopedTraefikOptions } from '../../src/constructs/scoped-traefik';
import { TenantGateway } from '../../src/constructs/tenant-gateway';
import { TraefikServiceType } from '../../src/constructs/traefik-service';
import { TenantIssuer, TenantIssuerSource } from '../../src/constructs/tenant-issuer';
import { PodSecurityLevel, TenantNamespace, TenantNamespaceOptions } from '../../src/constructs/tenant-namespace';
import { TenantVirtualCluster } from '../../src/constructs/tenant-virtual-cluster';
import { Dns01Solver, SecretSyncTool, WildcardTlsStore, WildcardTlsStoreOptions } from '../../src/constructs/wildcard-tls-store';
import { toHelmFiles } from '../../src/output/helm';
import { renderGroups } from '../../src/output/render';
import { SpecError, SpecProblem } from '../../src/spec/errors';
import { parseSpec } from '../../src/spec/read-spec';
import { runChecks, THREATS } from '../../src/threats';
import { CheckContext, KubeObjectLike } from '../../src/threats/detect/engine';
import { isEnforced, LAYERS, Threat } from '../../src/threats/threat';
import { modelOf, oneTenantSpec } from '../helpers';
import { chartRender, writeFiles } from '../output/chart-render';
import { admit, gatewayPaymentsNs, paymentsNs } from '../support/admission-engines';
import { AdmissionRequest } from '../support/cel-admission';

interface Examples {
  /** Spec texts; the bad one is refused at `path` (as printed) for this threat. */
  readonly spec?: { readonly bad: string; readonly path: string; readonly good: string };
  /** Construct builders; the bad one throws a `RefusedPropError` for this threat, at `prop`. */
  readonly construct?: { readonly bad: (c: Chart) => unknown; readonly prop: string; readonly good: (c: Chart) => unknown };
  /** Values for the `tenant-payments` chart (`helm install -f`). */
  readonly values?: { readonly bad: string; readonly good: string };
  /** A request the policy denies, and one it admits. */
  readonly admission?: { readonly policy: string; readonly bad: AdmissionRequest; readonly good: AdmissionRequest };
  /** Manifests (tenants `shop` and `blog`, platform `traefik`) in which the audit finds the threat, and ones it does not. */
  readonly audit?: { readonly bad: string; readonly good: string; readonly context?: Partial<CheckContext> };
}

// ── Building blocks of the examples ─────────────────────────────────────────────────────

const owners = { groups: ['leads'] };
const wildcardSpec = (extra: string, acme = 'dns01: { cloudflare: { apiTokenSecretRef: { name: cf, key: token } } }') => oneTenantSpec('', `  wildcard:
    dnsNames: ["*.apps.example.com"]
    acme: { email: ops@example.com, ${acme} }
${extra}`);
const argocd = (fields: string) => oneTenantSpec('', `  gitops:\n    argocd: { repoURL: "https://git.example.com/t.git"${fields} }\n`);
const flux = (fields: string) => oneTenantSpec('', `  gitops:\n    flux: { url: "https://git.example.com/t.git"${fields} }\n`);
const vault = (fields: string) => oneTenantSpec('', `  externalSecrets: { vault: { server: "https://vault.example.com:8200"${fields} } }\n`);
const wildcardProps: WildcardTlsStoreOptions = { dnsNames: ['*.apps.example.com'], acme: { email: 'ops@example.com', dns01: Dns01Solver.cloudflare({ apiTokenSecretRef: { name: 'cf', key: 'token' } }) } };
const argoGitOps = (fields: object) => () => GitOps.argoCd({ repoUrl: 'https://git.example.com/t.git', ...fields });
const fluxGitOps = (fields: object) => () => GitOps.flux({ url: 'https://git.example.com/t.git', ...fields });
/** The building blocks, each wired to the objects it depends on: a platform, the tenant `payments` on it, its Traefik. */
const platform = (c: Chart, props: PlatformProps = {}) => new Platform(c, 'p', props);
const tenantNamespace = (c: Chart, props: Partial<TenantNamespaceOptions> = {}, platformProps: PlatformProps = {}) =>
  new TenantNamespace(c, 'n', { platform: platform(c, platformProps), name: 'payments', owners, ...props });
const traefik = (c: Chart, props: ScopedTraefikOptions = {}) => new ScopedTraefik(c, 't', { tenantNamespace: tenantNamespace(c), ...props });
const tenantIssuer = (c: Chart, issuer: TenantIssuerSource) => new TenantIssuer(c, 'i', { traefik: traefik(c), issuer });
const wildcard = (c: Chart, props: Partial<WildcardTlsStoreOptions> = {}) => new WildcardTlsStore(c, 'w', { platform: platform(c), ...wildcardProps, ...props });
/** The Traefiks of two tenants of one platform, `payments` and `shop`, with fixed `web` node ports. */
const nodePortTenants = (c: Chart, first: number, second: number) => {
  const p = platform(c);
  const nodePort = (name: string, web: number) => new ScopedTraefik(c, `t-${name}`, {
    tenantNamespace: new TenantNamespace(c, `n-${name}`, { platform: p, name, owners }),
    serviceType: TraefikServiceType.NODE_PORT,
    service: { nodePorts: { web } },
  });
  nodePort('payments', first);
  return nodePort('shop', second);
};
/** Two tenants of one platform; the second serves `domain`. */
const twoTenants = (domain: string) => (c: Chart) => {
  const p = platform(c);
  new TenantNamespace(c, 'a', { platform: p, name: 'payments', owners, domains: ['pay.example.com'] });
  return new TenantNamespace(c, 'b', { platform: p, name: 'shop', owners, domains: [domain] });
};

const request = (object: any): AdmissionRequest => ({ object: { ...object, metadata: { name: 'x', namespace: 'payments', ...object.metadata } }, namespaceObject: paymentsNs });
const pod = (spec: object) => request({ apiVersion: 'v1', kind: 'Pod', spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'app:1' }], ...spec } });
const certificate = (spec: object) => request({
  apiVersion: 'cert-manager.io/v1', kind: 'Certificate',
  spec: { secretName: 'x-tls', dnsNames: ['pay.example.com'], issuerRef: { name: 'tenant-issuer', kind: 'Issuer', group: 'cert-manager.io' }, ...spec },
});
const service = (spec: object) => request({ apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }], ...spec } });
const externalSecret = (spec: object) => request({ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', spec: { secretStoreRef: { name: 'tenant-secrets', kind: 'SecretStore' }, ...spec } });

/** A workload in `namespace` running `container` (YAML flow mapping) with `pod` settings. */
const workload = (container: string, podExtra = '', namespace = 'shop', kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata: { name: app, namespace: ${namespace} }
spec:
  template:
    spec:
      securityContext: { runAsNonRoot: true }
${podExtra}      containers: [${container}]
`;
const traefikArgs = (...args: string[]) => workload(`{ name: t, image: "traefik:v3.7.11", args: [${args.map((a) => JSON.stringify(a)).join(', ')}] }`, '', 'traefik');
const rbac = (kind: 'RoleBinding' | 'ClusterRoleBinding', namespace: string | undefined, subject: string, role: string, rules?: string) => `${rules ? `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind === 'RoleBinding' ? 'Role' : 'ClusterRole'}
metadata: { name: ${role}${namespace && kind === 'RoleBinding' ? `, namespace: ${namespace}` : ''} }
rules: ${rules}
---
` : ''}apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: { name: b${namespace ? `, namespace: ${namespace}` : ''} }
roleRef: { kind: ${kind === 'RoleBinding' && rules ? 'Role' : 'ClusterRole'}, name: ${role} }
subjects: [${subject}]
`;
const shopGroup = '{ kind: Group, name: shop-leads }';
const namespace = (name: string, labels = '{ pod-security.kubernetes.io/enforce: restricted }', annotations = '') =>
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${labels}${annotations} }\n`;
const guardRails = (ns: string) => `apiVersion: v1
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
const cert = (ns: string, dnsNames: string, extra = '') => `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: c, namespace: ${ns} }
spec: { secretName: c-tls, dnsNames: ${dnsNames}, issuerRef: { name: tenant-issuer, kind: Issuer }${extra} }
`;

/** The one-tenant spec with `isolation: vcluster` and `values` (YAML flow mapping) as its `vcluster:` block. */
const vclusterTenant = (values: string) => oneTenantSpec(`    isolation: vcluster\n    vcluster: ${values}\n`);
/** A TenantVirtualCluster of the tenant `payments`, with `values`. */
const virtualCluster = (values: object) => (c: Chart) => new TenantVirtualCluster(c, 'v', { tenantNamespace: traefik(c).tenantNamespace, values });
/** A Flux HelmRelease of the vcluster chart into `labs`, with `values` (YAML flow lines) and the control plane's security context. */
const helmRelease = (values: string, containerSecurityContext?: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: vc, namespace: flux-system }
spec:
  targetNamespace: labs
  chart: { spec: { chart: vcluster, version: 0.36.1, sourceRef: { kind: HelmRepository, name: loft } } }
  values:
    ${values}
${containerSecurityContext ? `    controlPlane: { statefulSet: { security: { containerSecurityContext: ${containerSecurityContext} } } }\n` : ''}`;
/** An Argo CD Application of the vcluster chart into `labs`, with `values` as the `helm.values` text. */
const argoVcluster = (values: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: vc, namespace: argocd }
spec:
  destination: { server: "https://kubernetes.default.svc", namespace: labs }
  source:
    repoURL: https://charts.loft.sh
    chart: vcluster
    targetRevision: 0.36.1
    helm:
      values: ${JSON.stringify(values)}
`;
/** The control plane StatefulSet the vcluster chart renders, with `container`. */
const vclusterStatefulSet = (container: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: labs, namespace: labs, labels: { app: vcluster, release: labs } }
spec:
  template:
    metadata: { labels: { app: vcluster, release: labs } }
    spec:
      containers: [${container}]
`;
/** Gateway API pieces: a tenant's Gateway with `domains` hosts, routes, Gateways and grants as foreign manifests. */
const gatewayRouting = { routing: { api: RoutingApi.GATEWAY } };
const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.pay.example.com`);
const tenantGateway = (domains: number) => (c: Chart) => {
  const n = new TenantNamespace(c, 'n', { platform: platform(c, gatewayRouting), name: 'payments', owners, domains: hosts(domains) });
  return new TenantGateway(c, 'g', { tenantNamespace: n, traefik: new ScopedTraefik(c, 't', { tenantNamespace: n }) });
};
const gatewaySpec = (domains: number) => oneTenantSpec('', '  routing: { api: gateway }\n').replace('domains: [pay.example.com]', `domains: [${hosts(domains).join(', ')}]`);
const httpRoute = (spec: object) => ({
  object: {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'payments' },
    spec: { parentRefs: [{ name: 'payments', namespace: 'traefik' }], hostnames: ['pay.example.com'], rules: [{ backendRefs: [{ name: 'app', port: 80 }] }], ...spec },
  },
  get namespaceObject() { return gatewayPaymentsNs(); },
});
const gateway = (namespace: string, listener: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: shop, namespace: ${namespace} }
spec: { gatewayClassName: traefik-shop, listeners: [{ name: web, port: 8000, protocol: HTTP, ${listener} }] }
`;
const onlyShop = 'allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { kubernetes.io/metadata.name: shop } } } }';
const route = (namespace: string, spec: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: ${namespace} }
spec: ${spec}
`;
const referenceGrant = (to: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: { name: g, namespace: shop }
spec: { from: [{ group: gateway.networking.k8s.io, kind: Gateway, namespace: traefik }], to: [${to}] }
`;
const traefikGatewayClass = (name: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: ${name}, labels: { tenancy.cdk8s.io/traefik: ${name} } }
spec: { controllerName: traefik.io/gateway-controller }
`;
const twoGatewayTraefiks = (selector: (name: string) => string[]) => ['traefik-shop', 'traefik-blog'].map((name) =>
  `${traefikArgs('--providers.kubernetesgateway.namespaces=shop,traefik', ...selector(name)).replace('name: app', `name: ${name}`)}---\n${traefikGatewayClass(name)}`).join('---\n');

// ── The table ───────────────────────────────────────────────────────────────────────────

const EXAMPLES: Record<string, Examples> = {
  'reserved-namespace': {
    spec: { bad: oneTenantSpec().replace('name: payments', 'name: istio-system'), path: 'tenants[0].name', good: oneTenantSpec() },
    construct: { bad: (c) => tenantNamespace(c, { name: 'istio-system' }), prop: 'name', good: (c) => tenantNamespace(c) },
    audit: { bad: namespace('kube-public'), good: namespace('shop'), context: { tenantNamespaces: new Set(['shop', 'kube-public']) } },
  },
  'platform-namespace': {
    spec: { bad: oneTenantSpec('', '  traefik: { namespace: cert-manager }\n'), path: 'platform.traefik.namespace', good: oneTenantSpec('', '  traefik: { namespace: edge }\n') },
    construct: { bad: (c) => platform(c, { namespace: 'cert-manager' }), prop: 'namespace', good: (c) => platform(c, { namespace: 'edge' }) },
  },
  'pod-security-labels': {
    spec: { bad: oneTenantSpec('    podSecurity: privileged\n'), path: 'tenants[0].podSecurity', good: oneTenantSpec('    podSecurity: baseline\n') },
    construct: { bad: (c) => tenantNamespace(c, { podSecurity: 'privileged' as any }), prop: 'podSecurity', good: (c) => tenantNamespace(c, { podSecurity: PodSecurityLevel.BASELINE }) },
    audit: { bad: namespace('shop', '{ pod-security.kubernetes.io/enforce: privileged }'), good: namespace('shop') },
  },
  'resource-quota': { audit: { bad: `${namespace('shop')}---\nkind: LimitRange\napiVersion: v1\nmetadata: { name: l, namespace: shop }\n`, good: `${namespace('shop')}---\n${guardRails('shop')}` } },
  'limit-range': { audit: { bad: `${namespace('shop')}---\nkind: ResourceQuota\napiVersion: v1\nmetadata: { name: q, namespace: shop }\n`, good: `${namespace('shop')}---\n${guardRails('shop')}` } },
  'default-deny-network-policy': {
    audit: {
      bad: `${namespace('shop')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Ingress] }\n`,
      good: `${namespace('shop')}---\n${guardRails('shop')}`,
    },
  },
  'namespace-scope': {
    audit: { bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n', good: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\n' },
  },
  'no-broad-subjects': {
    spec: { bad: oneTenantSpec().replace('groups: [payments-leads]', 'groups: [system:authenticated]'), path: 'tenants[0].owners.groups[0]', good: oneTenantSpec() },
    construct: { bad: (c) => tenantNamespace(c, { owners: { groups: ['system:authenticated'] } }), prop: 'owners.groups[0]', good: (c) => tenantNamespace(c) },
    audit: { bad: rbac('ClusterRoleBinding', undefined, '{ kind: Group, name: system:authenticated }', 'view'), good: rbac('ClusterRoleBinding', undefined, '{ kind: Group, name: sre }', 'view') },
  },
  'no-cluster-bindings-for-tenants': {
    audit: { bad: rbac('ClusterRoleBinding', undefined, '{ kind: ServiceAccount, name: app, namespace: shop }', 'view'), good: rbac('RoleBinding', 'shop', '{ kind: ServiceAccount, name: app, namespace: shop }', 'view') },
  },
  'platform-out-of-tenant-reach': {
    audit: { bad: rbac('RoleBinding', 'traefik', '{ kind: ServiceAccount, name: app, namespace: shop }', 'view'), good: rbac('RoleBinding', 'traefik', '{ kind: ServiceAccount, name: ops, namespace: traefik }', 'view') },
  },
  'no-rbac-wildcard': {
    audit: { bad: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: ['*'], resources: [pods], verbs: [get] }]"), good: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [pods], verbs: [get] }]") },
  },
  'no-rbac-writes': {
    audit: { bad: rbac('RoleBinding', 'shop', shopGroup, 'admin'), good: rbac('RoleBinding', 'shop', shopGroup, 'view') },
  },
  'guard-rails-read-only': {
    audit: { bad: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [resourcequotas], verbs: [patch] }]"), good: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [resourcequotas], verbs: [get] }]") },
  },
  'secrets-read-only': {
    audit: {
      bad: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [secrets], verbs: [create] }]"),
      good: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [secrets], verbs: [get] }]"),
      context: { secrets: 'read-only' },
    },
  },
  'secrets-no-delete': {
    audit: { bad: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [secrets], verbs: [delete] }]"), good: rbac('RoleBinding', 'shop', shopGroup, 'r', "[{ apiGroups: [''], resources: [secrets], verbs: [get] }]") },
  },
  'no-privileged': {
    admission: { policy: 'tenancy-pod-security', bad: pod({ containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] }), good: pod({}) },
    audit: { bad: workload('{ name: a, image: a, securityContext: { privileged: true } }'), good: workload('{ name: a, image: a }') },
  },
  'no-host-path': {
    admission: { policy: 'tenancy-pod-security', bad: pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }), good: pod({ volumes: [{ name: 'e', emptyDir: {} }] }) },
    audit: { bad: workload('{ name: a, image: a }', '      volumes: [{ name: h, hostPath: { path: / } }]\n'), good: workload('{ name: a, image: a }', '      volumes: [{ name: e, emptyDir: {} }]\n') },
  },
  'no-host-namespaces': {
    admission: { policy: 'tenancy-pod-security', bad: pod({ hostPID: true }), good: pod({ hostPID: false }) },
    audit: { bad: workload('{ name: a, image: a }', '      hostNetwork: true\n'), good: workload('{ name: a, image: a }', '      hostNetwork: false\n') },
  },
  'run-as-non-root': {
    admission: { policy: 'tenancy-pod-security', bad: pod({ securityContext: {} }), good: pod({}) },
    audit: { bad: workload('{ name: a, image: a, securityContext: { runAsNonRoot: false } }'), good: workload('{ name: a, image: a }') },
  },
  'no-privilege-escalation': {
    audit: { bad: workload('{ name: a, image: a }'), good: workload('{ name: a, image: a, securityContext: { allowPrivilegeEscalation: false } }') },
  },
  'drop-all-capabilities': {
    audit: { bad: workload('{ name: a, image: a }'), good: workload('{ name: a, image: a, securityContext: { capabilities: { drop: [ALL] } } }') },
  },
  'seccomp-runtime-default': {
    audit: { bad: workload('{ name: a, image: a }'), good: workload('{ name: a, image: a, securityContext: { seccompProfile: { type: RuntimeDefault } } }') },
  },
  'tenant-service-types': {
    admission: { policy: 'tenancy-service-types', bad: service({ type: 'NodePort' }), good: service({ type: 'ClusterIP' }) },
    audit: { bad: 'apiVersion: v1\nkind: Service\nmetadata: { name: s, namespace: shop }\nspec: { type: LoadBalancer }\n', good: 'apiVersion: v1\nkind: Service\nmetadata: { name: s, namespace: shop }\nspec: { type: ClusterIP }\n' },
  },
  'no-external-ips': {
    admission: { policy: 'tenancy-service-types', bad: service({ externalIPs: ['10.0.0.1'] }), good: service({}) },
    audit: { bad: 'apiVersion: v1\nkind: Service\nmetadata: { name: s, namespace: shop }\nspec: { externalIPs: [10.0.0.1] }\n', good: 'apiVersion: v1\nkind: Service\nmetadata: { name: s, namespace: shop }\nspec: {}\n' },
  },
  'egress-to-metadata': {
    spec: { bad: oneTenantSpec('    egress: { cidrs: [169.254.169.254/32] }\n'), path: 'tenants[0].egress.cidrs[0]', good: oneTenantSpec('    egress: { cidrs: [0.0.0.0/0] }\n') },
    construct: {
      bad: (c) => tenantNamespace(c, { egress: { cidrs: ['169.254.169.254/32'] } }), prop: 'egress.cidrs[0]',
      good: (c) => tenantNamespace(c, { egress: { cidrs: ['0.0.0.0/0'] } }),
    },
    audit: {
      bad: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: out, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }] }\n',
      good: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: out, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [169.254.0.0/16, 100.100.100.200/32, 168.63.129.16/32] } }] }] }\n',
    },
  },
  'egress-to-other-tenants': {
    spec: {
      bad: oneTenantSpec('    egress: { cidrs: [10.244.3.0/24] }\n', '  network: { podCIDRs: [10.244.0.0/16] }\n'), path: 'tenants[0].egress.cidrs[0]',
      good: oneTenantSpec('    egress: { cidrs: [10.0.0.0/8] }\n', '  network: { podCIDRs: [10.244.0.0/16] }\n'),
    },
    construct: {
      bad: (c) => tenantNamespace(c, { egress: { cidrs: ['10.244.3.0/24'] } }, { network: { podCidrs: ['10.244.0.0/16'] } }), prop: 'egress.cidrs[0]',
      good: (c) => tenantNamespace(c, { egress: { cidrs: ['10.0.0.0/8'] } }, { network: { podCidrs: ['10.244.0.0/16'] } }),
    },
  },
  'platform-network-default-deny': {
    audit: {
      bad: namespace('traefik'),
      good: `${namespace('traefik')}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: default-deny, namespace: traefik }\nspec: { podSelector: {}, policyTypes: [Ingress, Egress] }\n`,
    },
  },
  'middleware-callout': {
    admission: {
      policy: 'tenancy-middlewares',
      bad: request({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', spec: { forwardAuth: { address: 'http://169.254.169.254/latest/meta-data/' } } }),
      good: request({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', spec: { forwardAuth: { address: 'http://auth.payments.svc.cluster.local:4181/verify' } } }),
    },
    audit: {
      bad: 'apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata: { name: auth, namespace: shop }\nspec: { forwardAuth: { address: "http://auth.blog.svc:4181" } }\n',
      good: 'apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata: { name: auth, namespace: shop }\nspec: { forwardAuth: { address: "http://auth.shop.svc:4181" } }\n',
    },
  },
  'traefik-scoped-providers': {
    audit: { bad: traefikArgs('--providers.kubernetescrd'), good: traefikArgs('--providers.kubernetescrd.namespaces=shop,traefik') },
  },
  'traefik-no-cross-namespace': {
    spec: { bad: oneTenantSpec('    traefik: { allowCrossNamespace: true }\n'), path: 'tenants[0].traefik.allowCrossNamespace', good: oneTenantSpec('    traefik: { allowCrossNamespace: false }\n') },
    construct: { bad: (c) => traefik(c, { allowCrossNamespace: true }), prop: 'allowCrossNamespace', good: (c) => traefik(c, { allowCrossNamespace: false }) },
    audit: {
      bad: traefikArgs('--providers.kubernetescrd.namespaces=shop,traefik', '--providers.kubernetescrd.allowCrossNamespace=true'),
      good: traefikArgs('--providers.kubernetescrd.namespaces=shop,traefik', '--providers.kubernetescrd.allowCrossNamespace=false'),
    },
  },
  'traefik-one-tenant': {
    audit: { bad: traefikArgs('--providers.kubernetesingress.namespaces=shop,blog'), good: traefikArgs('--providers.kubernetesingress.namespaces=shop') },
  },
  'traefik-cluster-secrets': {
    audit: {
      bad: `${traefikArgs('--providers.kubernetescrd.namespaces=shop')}---\n${rbac('ClusterRoleBinding', undefined, '{ kind: ServiceAccount, name: default, namespace: traefik }', 'cluster-admin')}`,
      good: `${traefikArgs('--providers.kubernetescrd.namespaces=shop')}---\n${rbac('ClusterRoleBinding', undefined, '{ kind: ServiceAccount, name: default, namespace: traefik }', 'view')}`,
    },
  },
  'traefik-config-not-checked': {
    audit: { bad: traefikArgs('--configFile=/etc/traefik.yml'), good: traefikArgs('--providers.kubernetescrd.namespaces=shop') },
  },
  'traefik-watches-foreign-namespace': {
    audit: { bad: traefikArgs('--providers.kubernetescrd.namespaces=shop,monitoring', '--providers.kubernetescrd.allowCrossNamespace=false'), good: traefikArgs('--providers.kubernetescrd.namespaces=shop,traefik', '--providers.kubernetescrd.allowCrossNamespace=false') },
  },
  'traefik-image-version': {
    spec: { bad: oneTenantSpec('', '  traefik: { image: "traefik:v2.11.0" }\n'), path: 'platform.traefik.image', good: oneTenantSpec('', '  traefik: { image: "traefik:v3.7.12" }\n') },
    construct: { bad: (c) => platform(c, { traefikImage: 'traefik:v2.11.0' }), prop: 'traefikImage', good: (c) => platform(c, { traefikImage: 'traefik:v3.7.12' }) },
    values: { bad: 'traefik: { image: "traefik:v2.11.0" }\n', good: 'traefik: { image: "traefik:v3.7.12" }\n' },
  },
  'traefik-replicas': {
    spec: { bad: oneTenantSpec('    traefik: { replicas: 500 }\n'), path: 'tenants[0].traefik.replicas', good: oneTenantSpec('    traefik: { replicas: 3 }\n') },
    construct: { bad: (c) => traefik(c, { replicas: 500 }), prop: 'replicas', good: (c) => traefik(c, { replicas: 3 }) },
    values: { bad: 'traefik: { replicas: 500 }\n', good: 'traefik: { replicas: 3 }\n' },
  },
  'default-tls-in-platform': {
    audit: { bad: 'apiVersion: traefik.io/v1alpha1\nkind: TLSOption\nmetadata: { name: default, namespace: shop }\nspec: {}\n', good: 'apiVersion: traefik.io/v1alpha1\nkind: TLSOption\nmetadata: { name: default, namespace: traefik }\nspec: {}\n' },
  },
  'default-tls-tenant-writable': {
    audit: {
      bad: `apiVersion: traefik.io/v1alpha1\nkind: TLSStore\nmetadata: { name: default, namespace: traefik }\nspec: {}\n---\n${rbac('ClusterRoleBinding', undefined, shopGroup, 'tls', "[{ apiGroups: [traefik.io], resources: [tlsstores], verbs: [update] }]")}---\n${rbac('RoleBinding', 'shop', shopGroup, 'view')}`,
      good: `apiVersion: traefik.io/v1alpha1\nkind: TLSStore\nmetadata: { name: default, namespace: traefik }\nspec: {}\n---\n${rbac('RoleBinding', 'shop', shopGroup, 'view')}`,
    },
  },
  'cross-namespace-tls-secret': {
    audit: {
      bad: 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: r, namespace: shop }\nspec: { routes: [], tls: { secretName: blog/blog-tls } }\n',
      good: 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: r, namespace: shop }\nspec: { routes: [], tls: { secretName: shop-tls } }\n',
    },
  },
  'cross-namespace-reference': {
    audit: {
      bad: 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: r, namespace: shop }\nspec: { routes: [{ match: "Host(`shop.example.com`)", services: [{ name: api, namespace: blog, port: 80 }] }] }\n',
      good: 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: r, namespace: shop }\nspec: { routes: [{ match: "Host(`shop.example.com`)", services: [{ name: api, port: 80 }] }] }\n',
    },
  },
  'external-secrets-own-store': {
    admission: { policy: 'tenancy-external-secrets', bad: externalSecret({ secretStoreRef: { name: 'all', kind: 'ClusterSecretStore' } }), good: externalSecret({}) },
    audit: {
      bad: 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: e, namespace: shop }\nspec: { secretStoreRef: { name: all, kind: ClusterSecretStore } }\n',
      good: 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: { name: e, namespace: shop }\nspec: { secretStoreRef: { name: tenant-secrets, kind: SecretStore } }\n',
    },
  },
  'external-secrets-creation-policy': {
    admission: { policy: 'tenancy-external-secrets', bad: externalSecret({ target: { creationPolicy: 'Merge' } }), good: externalSecret({ target: { creationPolicy: 'Owner' } }) },
  },
  'secret-sync-into-tenants': {
    spec: {
      bad: wildcardSpec('    syncTo: { via: reflector, namespaces: ["team-.*"] }\n'), path: 'platform.wildcard.syncTo.namespaces[0]',
      good: wildcardSpec('    syncTo: { via: reflector, namespaces: [monitoring] }\n'),
    },
    construct: {
      bad: (c) => wildcard(c, { syncTo: { via: SecretSyncTool.REFLECTOR, namespaces: ['team-.*'] } }), prop: 'syncTo.namespaces[0]',
      good: (c) => wildcard(c, { syncTo: { via: SecretSyncTool.REFLECTOR, namespaces: ['monitoring'] } }),
    },
    admission: {
      policy: 'tenancy-secret-copies',
      bad: request({ apiVersion: 'v1', kind: 'Secret', metadata: { annotations: { 'replicator.v1.mittwald.de/replicate-to': 'search' } } }),
      good: request({ apiVersion: 'v1', kind: 'Secret', metadata: { annotations: { 'replicator.v1.mittwald.de/replicated-from-version': '1' } } }),
    },
    audit: {
      bad: 'apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: traefik, annotations: { replicator.v1.mittwald.de/replicate-to: shop } }\n',
      good: 'apiVersion: v1\nkind: Secret\nmetadata: { name: s, namespace: traefik, annotations: { replicator.v1.mittwald.de/replicate-to: monitoring } }\n',
    },
  },
  'kubed-retired': {
    spec: { bad: wildcardSpec('    syncTo: { via: kubed, namespaces: [monitoring] }\n'), path: 'platform.wildcard.syncTo.via', good: wildcardSpec('    syncTo: { via: replicator, namespaces: [monitoring] }\n') },
    construct: {
      bad: (c) => wildcard(c, { syncTo: { via: 'kubed' as any, namespaces: ['monitoring'] } }), prop: 'syncTo.via',
      good: (c) => wildcard(c, { syncTo: { via: SecretSyncTool.REPLICATOR, namespaces: ['monitoring'] } }),
    },
    audit: { bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: traefik, annotations: { kubed.appscode.com/sync: "app=x" } }\n', good: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: traefik }\n' },
  },
  'vault-tenant-scope': {
    spec: { bad: vault(', path: "tenants/shared"'), path: 'platform.externalSecrets.vault.path', good: vault(', path: "tenants/{tenant}"') },
    construct: {
      bad: (c) => platform(c, { externalSecrets: { vault: { server: 'https://vault.example.com:8200', path: 'tenants/shared' } } }), prop: 'externalSecrets.vault.path',
      good: (c) => platform(c, { externalSecrets: { vault: { server: 'https://vault.example.com:8200', path: 'tenants/{tenant}' } } }),
    },
  },
  'vault-server-url': {
    spec: { bad: vault('').replace('https://vault', 'http://vault'), path: 'platform.externalSecrets.vault.server', good: vault('') },
    construct: {
      bad: (c) => platform(c, { externalSecrets: { vault: { server: 'http://vault.example.com:8200' } } }), prop: 'externalSecrets.vault.server',
      good: (c) => platform(c, { externalSecrets: { vault: { server: 'https://vault.example.com:8200' } } }),
    },
  },
  'tenant-namespaced-issuer': {
    spec: { bad: oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { clusterIssuer: { name: le } }'), path: 'tenants[0].issuer.clusterIssuer', good: oneTenantSpec() },
    construct: {
      bad: (c) => tenantIssuer(c, { clusterIssuer: { name: 'le' } } as any), prop: 'issuer.clusterIssuer',
      good: (c) => tenantIssuer(c, TenantIssuerSource.selfSigned()),
    },
    admission: { policy: 'tenancy-certificates', bad: certificate({ issuerRef: { name: 'le', kind: 'ClusterIssuer' } }), good: certificate({}) },
    audit: { bad: cert('shop', '[shop.example.com]').replace('kind: Issuer', 'kind: ClusterIssuer'), good: cert('shop', '[shop.example.com]') },
  },
  'no-tenant-wildcard': {
    spec: { bad: oneTenantSpec().replace('domains: [pay.example.com]', 'domains: ["*.example.com"]'), path: 'tenants[0].domains[0]', good: oneTenantSpec() },
    construct: {
      bad: (c) => tenantNamespace(c, { domains: ['*.example.com'] }), prop: 'domains[0]',
      good: (c) => tenantNamespace(c, { domains: ['pay.example.com'] }),
    },
    admission: { policy: 'tenancy-certificates', bad: certificate({ dnsNames: ['*.pay.example.com'] }), good: certificate({}) },
    audit: { bad: cert('shop', '["*.example.com"]'), good: cert('shop', '[shop.example.com]') },
  },
  'hosts-within-tenant-domains': {
    admission: { policy: 'tenancy-certificates', bad: certificate({ dnsNames: ['search.example.com'] }), good: certificate({ dnsNames: ['api.pay.example.com'] }) },
    audit: {
      bad: `${namespace('shop', '{ tenancy.cdk8s.io/tenant: shop }', ', annotations: { tenancy.cdk8s.io/domains: shop.example.com }')}---\n${cert('shop', '[blog.example.com]')}`,
      good: `${namespace('shop', '{ tenancy.cdk8s.io/tenant: shop }', ', annotations: { tenancy.cdk8s.io/domains: shop.example.com }')}---\n${cert('shop', '[shop.example.com]')}`,
    },
  },
  'certificate-names-hosts-only': {
    admission: { policy: 'tenancy-certificates', bad: certificate({ ipAddresses: ['10.0.0.1'] }), good: certificate({}) },
    audit: { bad: cert('shop', '[shop.example.com]', ', uris: ["spiffe://cluster/ns/blog/sa/app"]'), good: cert('shop', '[shop.example.com]') },
  },
  'no-cluster-issuer': {
    audit: { bad: 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: { name: le }\nspec: {}\n', good: 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: le, namespace: shop }\nspec: {}\n' },
  },
  'one-certificate-one-domain': {
    audit: { bad: cert('shop', '[shop.example.com, www.shop.example.com]'), good: cert('shop', '[shop.example.com]') },
  },
  'one-host-one-tenant': {
    spec: {
      bad: `${oneTenantSpec()}  - name: shop\n    domains: [pay.example.com]\n    owners: { groups: [shop] }\n    issuer: { selfSigned: {} }\n`, path: 'tenants[1].domains[0]',
      good: `${oneTenantSpec()}  - name: shop\n    domains: [shop.example.com]\n    owners: { groups: [shop] }\n    issuer: { selfSigned: {} }\n`,
    },
    construct: { bad: twoTenants('pay.example.com'), prop: 'domains[0]', good: twoTenants('shop.example.com') },
    audit: { bad: `${cert('shop', '[shop.example.com]')}---\n${cert('blog', '[shop.example.com]')}`, good: `${cert('shop', '[shop.example.com]')}---\n${cert('blog', '[blog.example.com]')}` },
  },
  'domain-within-allowed-zones': {
    spec: { bad: oneTenantSpec().replace('domains: [pay.example.com]', 'domains: [pay.example.org]'), path: 'tenants[0].domains[0]', good: oneTenantSpec() },
    construct: {
      bad: (c) => tenantNamespace(c, { domains: ['pay.example.org'] }, { allowedDomains: ['example.com'] }), prop: 'domains[0]',
      good: (c) => tenantNamespace(c, { domains: ['pay.example.com'] }, { allowedDomains: ['example.com'] }),
    },
  },
  'wildcard-dns01': {
    spec: { bad: wildcardSpec('', 'http01: {}'), path: 'platform.wildcard.acme.http01', good: wildcardSpec('') },
    construct: {
      bad: (c) => wildcard(c, { acme: { email: 'ops@example.com', dns01: {} as any } }), prop: 'acme.dns01',
      good: (c) => wildcard(c),
    },
  },
  'wildcard-token-secret': {
    spec: { bad: wildcardSpec('    secretName: cf\n'), path: 'platform.wildcard.secretName', good: wildcardSpec('    secretName: wildcard-tls\n') },
    construct: { bad: (c) => wildcard(c, { secretName: 'cf' }), prop: 'secretName', good: (c) => wildcard(c, { secretName: 'wildcard-tls' }) },
  },
  'gitops-url': {
    spec: { bad: argocd('').replace('https://git', 'http://git'), path: 'platform.gitops.argocd.repoURL', good: argocd('') },
    construct: { bad: argoGitOps({ repoUrl: 'http://git.example.com/t.git' }), prop: 'argoCd.repoUrl', good: argoGitOps({}) },
  },
  'flux-ssh-deploy-key': {
    spec: { bad: flux('').replace('https://', 'ssh://git@'), path: 'platform.gitops.flux.secretRef', good: flux(', secretRef: deploy-key').replace('https://', 'ssh://git@') },
    construct: { bad: fluxGitOps({ url: 'ssh://git@git.example.com/t.git' }), prop: 'flux.secretRef', good: fluxGitOps({ url: 'ssh://git@git.example.com/t.git', secretRef: 'deploy-key' }) },
  },
  'gitops-repository-path': {
    spec: { bad: argocd(', path: ../other'), path: 'platform.gitops.argocd.path', good: argocd(', path: clusters/prod') },
    construct: { bad: argoGitOps({ path: '../other' }), prop: 'argoCd.path', good: argoGitOps({ path: 'clusters/prod' }) },
  },
  'flux-interval': {
    spec: { bad: flux(', interval: 5s'), path: 'platform.gitops.flux.interval', good: flux(', interval: 1m') },
    construct: { bad: fluxGitOps({ interval: '5s' }), prop: 'flux.interval', good: fluxGitOps({ interval: '1m' }) },
  },
  'gitops-namespace': {
    spec: { bad: argocd(', namespace: traefik'), path: 'platform.gitops.argocd.namespace', good: argocd(', namespace: argocd') },
    construct: {
      bad: (c) => platform(c, { gitops: argoGitOps({ namespace: 'traefik' })() }), prop: 'gitops.argoCd.namespace',
      good: (c) => platform(c, { gitops: argoGitOps({ namespace: 'argocd' })() }),
    },
  },
  'one-destination-one-cluster': {
    spec: {
      bad: `${argocd('')}clusters:\n  - name: eu-west\n    server: https://k8s.example.com\n  - name: us-east\n    server: https://K8S.example.com/\n`,
      path: 'clusters[1].server',
      good: `${argocd('')}clusters:\n  - name: eu-west\n    server: https://eu-west.example.com\n  - name: us-east\n    server: https://us-east.example.com\n`,
    },
    construct: {
      bad: (c) => new FleetGitOps(c, 'f', { gitops: argoGitOps({})(), clusters: [{ name: 'eu-west', server: 'https://k8s.example.com' }, { name: 'us-east', server: 'https://K8S.example.com/' }] }), prop: 'clusters[1].server',
      good: (c) => new FleetGitOps(c, 'f', { gitops: argoGitOps({})(), clusters: [{ name: 'eu-west', destinationName: 'prod-eu' }, { name: 'us-east', destinationName: 'prod-us' }] }),
    },
  },
  'priority-preemption': {
    spec: { bad: oneTenantSpec('', '  priorityClasses: [system-node-critical]\n'), path: 'platform.priorityClasses[0]', good: oneTenantSpec('', '  priorityClasses: [tenant-high]\n') },
    construct: {
      bad: (c) => platform(c, { priorityClasses: ['system-node-critical'] }), prop: 'priorityClasses[0]',
      good: (c) => platform(c, { priorityClasses: ['tenant-high'] }),
    },
    values: { bad: 'traefik: { priorityClassName: system-node-critical }\n', good: 'traefik: { priorityClassName: ingress-high }\n' },
    admission: { policy: 'tenancy-pod-security', bad: pod({ priorityClassName: 'system-node-critical' }), good: pod({ priorityClassName: 'tenant-high' }) },
    audit: { bad: workload('{ name: a, image: a }', '      priorityClassName: system-cluster-critical\n'), good: workload('{ name: a, image: a }', '      priorityClassName: tenant-high\n') },
  },
  'control-plane-toleration': {
    spec: {
      bad: oneTenantSpec('    traefik: { tolerations: [{ key: node-role.kubernetes.io/control-plane, effect: NoSchedule }] }\n'), path: 'tenants[0].traefik.tolerations[0]',
      good: oneTenantSpec('    traefik: { tolerations: [{ key: dedicated, value: ingress, effect: NoSchedule }] }\n'),
    },
    construct: {
      bad: (c) => traefik(c, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane' }] }), prop: 'tolerations[0]',
      good: (c) => traefik(c, { tolerations: [{ key: 'dedicated', value: 'ingress' }] }),
    },
    values: { bad: 'traefik: { tolerations: [{ operator: Exists }] }\n', good: 'traefik: { tolerations: [{ key: dedicated, operator: Exists }] }\n' },
    audit: {
      bad: workload('{ name: a, image: a }', '      tolerations: [{ key: node-role.kubernetes.io/master, operator: Exists }]\n'),
      good: workload('{ name: a, image: a }', '      tolerations: [{ key: dedicated, operator: Exists }]\n'),
    },
  },
  'disruption-budget-blocks-drains': {
    admission: {
      policy: 'tenancy-disruption-budgets',
      bad: request({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { maxUnavailable: 0, selector: {} } }),
      good: request({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { maxUnavailable: 1, selector: {} } }),
    },
    audit: {
      bad: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: p, namespace: shop }\nspec: { minAvailable: "100%" }\n',
      good: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: p, namespace: shop }\nspec: { minAvailable: "50%" }\n',
    },
  },
  'tenant-ceilings': {
    spec: { bad: oneTenantSpec('    quota: { pods: 100000 }\n'), path: 'tenants[0].quota.pods', good: oneTenantSpec('    quota: { pods: 100 }\n') },
    values: { bad: 'traefik: { replicas: 15 }\n', good: 'traefik: { replicas: 10 }\n' },
  },
  'shared-ca-key': {
    spec: {
      bad: oneTenantSpec('', '  ca: { secretName: corp-ca }\n').replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { ca: { secretName: corp-ca } }'), path: 'tenants[0].issuer.ca.secretName',
      good: oneTenantSpec('', '  ca: { secretName: corp-ca }\n').replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { platformCA: {} }'),
    },
    construct: {
      bad: (c) => new TenantIssuer(c, 'i', { traefik: new ScopedTraefik(c, 't', { tenantNamespace: tenantNamespace(c, {}, { ca: { secretName: 'corp-ca' } }) }), issuer: TenantIssuerSource.ca({ secretName: 'corp-ca' }) }),
      prop: 'issuer',
      good: (c) => new TenantIssuer(c, 'i', { traefik: new ScopedTraefik(c, 't', { tenantNamespace: tenantNamespace(c, {}, { ca: { secretName: 'corp-ca' } }) }), issuer: TenantIssuerSource.ca({ secretName: 'payments-ca' }) }),
    },
    audit: {
      bad: 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: ca, namespace: shop }\nspec: { ca: { secretName: corp-ca } }\n---\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: ca, namespace: blog }\nspec: { ca: { secretName: corp-ca } }\n',
      good: 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: ca, namespace: shop }\nspec: { ca: { secretName: shop-ca } }\n---\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: ca, namespace: blog }\nspec: { ca: { secretName: blog-ca } }\n',
    },
  },
  'one-node-port-one-tenant': {
    spec: {
      bad: `${oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080 } } }\n')}  - name: shop\n    domains: [shop.example.com]\n    owners: { users: [bob] }\n    issuer: { selfSigned: {} }\n    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080 } } }\n`,
      path: 'tenants[1].traefik.service.nodePorts.web',
      good: `${oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080 } } }\n')}  - name: shop\n    domains: [shop.example.com]\n    owners: { users: [bob] }\n    issuer: { selfSigned: {} }\n    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30081 } } }\n`,
    },
    construct: {
      bad: (c) => nodePortTenants(c, 30080, 30080), prop: 'service.nodePorts.web',
      good: (c) => nodePortTenants(c, 30080, 30081),
    },
    values: {
      bad: 'traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080, websecure: 30080 } } }\n',
      good: 'traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080, websecure: 30443 } } }\n',
    },
    audit: {
      bad: 'apiVersion: v1\nkind: Service\nmetadata: { name: a, namespace: traefik }\nspec: { type: NodePort, ports: [{ port: 80, nodePort: 30080 }] }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: b, namespace: traefik }\nspec: { type: NodePort, ports: [{ port: 80, nodePort: 30080 }] }\n',
      good: 'apiVersion: v1\nkind: Service\nmetadata: { name: a, namespace: traefik }\nspec: { type: NodePort, ports: [{ port: 80, nodePort: 30080 }] }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: b, namespace: traefik }\nspec: { type: NodePort, ports: [{ port: 80, nodePort: 30081 }] }\n',
    },
  },
  'monitoring-namespace': {
    spec: { bad: oneTenantSpec('', '  monitoring: { namespace: traefik }\n'), path: 'platform.monitoring.namespace', good: oneTenantSpec('', '  monitoring: { namespace: monitoring }\n') },
    construct: {
      bad: (c) => platform(c, { monitoring: { namespace: 'traefik' } }), prop: 'monitoring.namespace',
      good: (c) => platform(c, { monitoring: { namespace: 'monitoring' } }),
    },
  },
  'no-cross-tenant-bindings': {
    audit: {
      bad: rbac('RoleBinding', 'shop', '{ kind: ServiceAccount, name: deployer, namespace: blog }', 'edit'),
      good: rbac('RoleBinding', 'shop', '{ kind: ServiceAccount, name: deployer, namespace: shop }', 'edit'),
    },
  },
  'no-allow-all-network-policy': {
    audit: {
      bad: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: open, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ namespaceSelector: {} }] }] }\n',
      good: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: open, namespace: shop }\nspec: { podSelector: {}, policyTypes: [Ingress], ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: traefik } } }] }] }\n',
    },
  },
  'no-tenant-ingress-controller': {
    audit: {
      bad: workload('{ name: controller, image: "registry.k8s.io/ingress-nginx/controller:v1.11.2" }'),
      good: workload('{ name: web, image: "nginx:1.27" }'),
    },
  },
  'traefik-api-exposed': {
    audit: {
      bad: traefikArgs('--providers.kubernetescrd.namespaces=shop,traefik', '--api.insecure=true'),
      good: traefikArgs('--providers.kubernetescrd.namespaces=shop,traefik', '--api.insecure=false'),
    },
  },
  'traefik-external-name-services': {
    audit: {
      bad: traefikArgs('--providers.kubernetesingress.namespaces=shop', '--providers.kubernetesingress.allowExternalNameServices=true'),
      good: traefikArgs('--providers.kubernetesingress.namespaces=shop', '--providers.kubernetesingress.allowExternalNameServices=false'),
    },
  },
  'route-matches-every-host': {
    audit: {
      bad: 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: r, namespace: shop }\nspec: { routes: [{ match: "HostRegexp(`.+`)", services: [{ name: web, port: 80 }] }] }\n',
      good: 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata: { name: r, namespace: shop }\nspec: { routes: [{ match: "Host(`shop.example.com`) && PathPrefix(`/`)", services: [{ name: web, port: 80 }] }] }\n',
    },
  },
  'default-certificate-from-tenant': {
    audit: {
      bad: workload('{ name: controller, image: "registry.k8s.io/ingress-nginx/controller:v1.11.2", args: ["--default-ssl-certificate=shop/wildcard-tls"] }', '', 'ingress-nginx'),
      good: workload('{ name: controller, image: "registry.k8s.io/ingress-nginx/controller:v1.11.2", args: ["--default-ssl-certificate=ingress-nginx/wildcard-tls"] }', '', 'ingress-nginx'),
    },
  },
  'shared-traefik-needs-gateway': {
    spec: { bad: oneTenantSpec('', '  routing: { traefik: shared }\n'), path: 'platform.routing.traefik', good: oneTenantSpec('', '  routing: { api: gateway, traefik: shared }\n') },
    construct: {
      bad: (c) => platform(c, { routing: { traefik: TraefikTopology.SHARED } }), prop: 'routing.traefik',
      good: (c) => platform(c, { routing: { api: RoutingApi.GATEWAY, traefik: TraefikTopology.SHARED } }),
    },
  },
  'gateway-listener-limit': {
    spec: { bad: gatewaySpec(33), path: 'tenants[0].domains', good: gatewaySpec(32) },
    construct: { bad: tenantGateway(33), prop: 'tenantNamespace', good: tenantGateway(32) },
  },
  'gateway-listener-one-tenant': {
    audit: { bad: gateway('traefik', 'allowedRoutes: { namespaces: { from: All } }'), good: gateway('traefik', onlyShop) },
  },
  'gateway-route-hostnames': {
    admission: { policy: 'tenancy-gateway-routes', bad: httpRoute({ hostnames: undefined }), good: httpRoute({}) },
    audit: {
      bad: `${gateway('traefik', onlyShop)}---\n${route('shop', '{ parentRefs: [{ name: shop, namespace: traefik }] }')}`,
      good: `${gateway('traefik', onlyShop)}---\n${route('shop', '{ parentRefs: [{ name: shop, namespace: traefik }], hostnames: [shop.example.com] }')}`,
    },
  },
  'gateway-parent-refs': {
    admission: { policy: 'tenancy-gateway-routes', bad: httpRoute({ parentRefs: [{ name: 'search', namespace: 'traefik' }] }), good: httpRoute({}) },
    audit: {
      bad: route('shop', '{ parentRefs: [{ name: g, namespace: blog }], hostnames: [shop.example.com] }'),
      good: route('shop', '{ parentRefs: [{ name: shop, namespace: traefik }], hostnames: [shop.example.com] }'),
    },
  },
  'reference-grant-names-one': {
    audit: { bad: referenceGrant('{ group: "", kind: Secret }'), good: referenceGrant('{ group: "", kind: Secret, name: shop.example.com-tls }') },
  },
  'gateway-in-tenant-namespace': {
    audit: { bad: gateway('shop', onlyShop), good: gateway('traefik', onlyShop) },
  },
  'gateway-class-scope': {
    audit: {
      bad: twoGatewayTraefiks(() => []),
      good: twoGatewayTraefiks((name) => [`--providers.kubernetesgateway.labelSelector=tenancy.cdk8s.io/traefik=${name}`]),
    },
  },
  'requests-within-limits': {
    spec: { bad: oneTenantSpec('    traefik: { resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }\n'), path: 'tenants[0].traefik.resources.requests.cpu', good: oneTenantSpec('    traefik: { resources: { requests: { cpu: 700m }, limits: { cpu: "0.7" } } }\n') },
    construct: {
      bad: (c) => traefik(c, { resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }), prop: 'resources.requests.cpu',
      good: (c) => traefik(c, { resources: { requests: { cpu: '700m' }, limits: { cpu: '0.7' } } }),
    },
    values: { bad: 'traefik: { resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }\n', good: 'traefik: { resources: { requests: { cpu: 700m }, limits: { cpu: "0.7" } } }\n' },
  },
  'vcluster-syncs-all-secrets': {
    spec: { bad: vclusterTenant('{ sync: { toHost: { secrets: { all: true } } } }'), path: 'tenants[0].vcluster.sync.toHost.secrets.all', good: vclusterTenant('{ sync: { toHost: { secrets: { all: false } } } }') },
    construct: { bad: virtualCluster({ sync: { toHost: { secrets: { all: true } } } }), prop: 'values.sync.toHost.secrets.all', good: virtualCluster({ sync: { toHost: { secrets: { all: false } } } }) },
    audit: { bad: helmRelease('sync: { toHost: { secrets: { all: true } } }'), good: helmRelease('sync: { toHost: { secrets: { all: false } } }') },
  },
  'vcluster-host-access': {
    spec: { bad: vclusterTenant('{ plugins: { debug: { image: "debug:1" } } }'), path: 'tenants[0].vcluster.plugins', good: vclusterTenant('{}') },
    construct: { bad: virtualCluster({ plugins: { debug: { image: 'debug:1' } } }), prop: 'values.plugins', good: virtualCluster({}) },
    audit: {
      bad: vclusterStatefulSet('{ name: syncer, image: vc, securityContext: { privileged: true, runAsNonRoot: true, runAsUser: 1 } }'),
      good: vclusterStatefulSet('{ name: syncer, image: vc, securityContext: { runAsNonRoot: true, runAsUser: 1 } }'),
    },
  },
  'vcluster-runs-as-root': {
    spec: { bad: vclusterTenant('{ controlPlane: { statefulSet: { security: { containerSecurityContext: { runAsUser: 0 } } } } }'), path: 'tenants[0].vcluster.controlPlane.statefulSet.security', good: vclusterTenant('{ controlPlane: { statefulSet: { resources: { limits: { memory: 1Gi } } } } }') },
    construct: { bad: virtualCluster({ controlPlane: { statefulSet: { security: {} } } }), prop: 'values.controlPlane.statefulSet.security', good: virtualCluster({ controlPlane: { statefulSet: { resources: { limits: { memory: '1Gi' } } } } }) },
    audit: { bad: helmRelease('telemetry: { enabled: false }'), good: helmRelease('telemetry: { enabled: false }', '{ runAsUser: 1000, runAsNonRoot: true }') },
  },
  'vcluster-cluster-wide-rights': {
    spec: { bad: vclusterTenant('{ sync: { toHost: { namespaces: { enabled: true } } } }'), path: 'tenants[0].vcluster.sync.toHost.namespaces.enabled', good: vclusterTenant('{ sync: { toHost: { namespaces: { enabled: false } } } }') },
    construct: { bad: virtualCluster({ sync: { toHost: { namespaces: { enabled: true } } } }), prop: 'values.sync.toHost.namespaces.enabled', good: virtualCluster({ sync: { toHost: { namespaces: { enabled: false } } } }) },
    audit: {
      bad: argoVcluster('rbac:\n  clusterRole:\n    extraRules:\n      - { apiGroups: [""], resources: [secrets], verbs: [get] }\n'),
      good: argoVcluster('sync:\n  toHost:\n    ingresses: { enabled: true }\n'),
    },
  },
  'vcluster-no-isolation': {
    spec: { bad: vclusterTenant('{ policies: { networkPolicy: { enabled: true } } }'), path: 'tenants[0].vcluster.policies', good: vclusterTenant('{}') },
    construct: { bad: virtualCluster({ policies: {} }), prop: 'values.policies', good: virtualCluster({}) },
    audit: { bad: `${namespace('labs', '{}')}---\n${helmRelease('telemetry: { enabled: false }')}`, good: `${namespace('labs')}---\n${guardRails('labs')}---\n${helmRelease('telemetry: { enabled: false }')}` },
  },
  'vcluster-sync-bypasses-guard-rails': {
    spec: { bad: vclusterTenant('{ sync: { toHost: { networkPolicies: { enabled: true } } } }'), path: 'tenants[0].vcluster.sync.toHost.networkPolicies.enabled', good: vclusterTenant('{ sync: { toHost: { networkPolicies: { enabled: false } } } }') },
    construct: { bad: virtualCluster({ sync: { toHost: { networkPolicies: { enabled: true } } } }), prop: 'values.sync.toHost.networkPolicies.enabled', good: virtualCluster({ sync: { toHost: { networkPolicies: { enabled: false } } } }) },
    audit: { bad: helmRelease('sync: { toHost: { networkPolicies: { enabled: true } } }'), good: helmRelease('sync: { toHost: { networkPolicies: { enabled: false } } }') },
  },
};

// ── Running the examples through each layer ────────────────────────────────────────────

function specProblems(text: string): SpecProblem[] {
  try {
    parseSpec(text);
    return [];
  } catch (err) {
    if (err instanceof SpecError) return [...err.problems];
    throw err;
  }
}

function constructRefusal(build: (c: Chart) => unknown): RefusedPropError | undefined {
  try {
    build(new Chart(Testing.app(), 'test'));
    return undefined;
  } catch (err) {
    if (err instanceof RefusedPropError) return err;
    throw err;
  }
}

const AUDIT_CONTEXT = { tenantNamespaces: new Set(['shop', 'blog']), platformNamespaces: new Set(['traefik']) };

/** The ids of the threats the audit finds in `text`, judged as foreign manifests (or as the generator's output). */
function auditRules(text: string, generated: boolean, context: Partial<CheckContext> = {}): string[] {
  const objects = parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean) as KubeObjectLike[];
  return runChecks(objects, { ...AUDIT_CONTEXT, profile: generated ? 'generated' : 'audit', ...context }).findings.map((f) => f.rule);
}

/** The tenant chart of the one-tenant spec, written once. */
let chartDir: string | undefined;
function tenantChart(): string {
  if (!chartDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-catalogue-'));
    const model = modelOf(oneTenantSpec());
    writeFiles(dir, toHelmFiles(renderGroups(model, 'helm'), model, { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth', package: false }));
    chartDir = path.join(dir, 'tenant-payments');
  }
  return chartDir;
}
afterAll(() => {
  if (chartDir) fs.rmSync(path.dirname(chartDir), { recursive: true, force: true });
});

const examples = (t: Threat): Examples => EXAMPLES[t.id] ?? {};
const enforcedBy = (layer: keyof Examples) => THREATS.filter((t) => isEnforced(t[layer])).map((t) => [t.id, t] as const);

describe('the catalogue', () => {
  test('every threat has a unique id, a title, a why and a fix', () => {
    expect(new Set(THREATS.map((t) => t.id)).size).toBe(THREATS.length);
    for (const t of THREATS) {
      expect({ id: t.id, ok: /^[a-z0-9]+(-[a-z0-9]+)*$/.test(t.id) && t.title.length > 0 && t.why.length > 20 && t.fix.length > 10 }).toEqual({ id: t.id, ok: true });
    }
  });

  test('every layer of every threat either enforces it or says why not', () => {
    for (const t of THREATS) {
      for (const layer of LAYERS) {
        const entry = t[layer];
        if (isEnforced(entry)) expect({ threat: t.id, layer, example: layer in examples(t) }).toEqual({ threat: t.id, layer, example: true });
        else expect({ threat: t.id, layer, reason: entry.none.length >= 10 }).toEqual({ threat: t.id, layer, reason: true });
      }
    }
  });

  test('the table has examples for enforced layers only (an example for a layer without an enforcer is a mistake)', () => {
    for (const [id, layers] of Object.entries(EXAMPLES)) {
      const threat = THREATS.find((t) => t.id === id);
      expect({ id, known: threat !== undefined }).toEqual({ id, known: true });
      for (const layer of Object.keys(layers) as Array<keyof Examples>) expect({ id, layer, enforced: isEnforced(threat![layer]) }).toEqual({ id, layer, enforced: true });
    }
  });
});

describe('spec: refused at its path, for the threat', () => {
  test.each(enforcedBy('spec'))('%s', (id) => {
    const { bad, path: at, good } = EXAMPLES[id].spec!;
    const problems = specProblems(bad);
    expect(problems.filter((p) => p.threat === id).map((p) => p.path)).toEqual([at]);
    const problem = problems.find((p) => p.threat === id)!;
    expect(problem.line).toBeGreaterThan(0);
    expect(problem.message).toMatch(/ — |; /);
    expect(specProblems(good)).toEqual([]);
  });
});

describe('constructs: the same refusal as a RefusedPropError', () => {
  test.each(enforcedBy('construct'))('%s', (id) => {
    const { bad, prop, good } = EXAMPLES[id].construct!;
    const error = constructRefusal(bad);
    expect(error?.problems.filter((p) => p.threat === id).map((p) => p.prop)).toEqual([prop]);
    expect(error?.message).toContain(`${error?.construct}: ${prop}: `);
    expect(constructRefusal(good)).toBeUndefined();
  });

  test.each(enforcedBy('spec').filter(([, t]) => isEnforced(t.construct)))('%s: the construct says exactly what the spec says', (id) => {
    const fromSpec = specProblems(EXAMPLES[id].spec!.bad).find((p) => p.threat === id)!;
    const fromConstruct = constructRefusal(EXAMPLES[id].construct!.bad)!.problems.find((p) => p.threat === id)!;
    expect(fromConstruct.message).toBe(fromSpec.message);
  });
});

describe('Helm values: refused at install, as `helm install -f` would', () => {
  test.each(enforcedBy('values'))('%s', (id) => {
    const { bad, good } = EXAMPLES[id].values!;
    const refused = chartRender(tenantChart(), { values: bad });
    expect(refused.status).toBe(1);
    const threat = THREATS.find((t) => t.id === id)!;
    const rules = threat.values as ReadonlyArray<{ key: string }>;
    // A schema refusal names the value; a template guard fails with the catalogue's words.
    expect(refused.stderr).toMatch(new RegExp(`values do not match values.schema.json: (${rules.map((r) => r.key.replace(/\./g, '\\.')).join('|')})|error calling fail: `));
    const admitted = chartRender(tenantChart(), { values: good });
    expect({ status: admitted.status, stderr: admitted.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

describe('Helm values: quantities in every form Helm reads them', () => {
  test.each([
    ['a plain number above the ceiling (Helm prints it `1e+07`)', 'traefik: { resources: { requests: { cpu: 1000000 }, limits: { cpu: 10000000 } } }\n', '1e+06 is above `platform.ceilings.traefik.resources.requests.cpu`'],
    ['an exponent form above the ceiling', 'traefik: { resources: { requests: { memory: "1e10" }, limits: { memory: "1e10" } } }\n', '1e10 is above `platform.ceilings.traefik.resources.requests.memory`'],
    ['an exponent request above its limit', 'traefik: { resources: { requests: { cpu: "1e1" }, limits: { cpu: "4" } } }\n', 'traefik.resources.requests.cpu (1e1) is more than traefik.resources.limits.cpu (4)'],
  ])('%s is refused', (_, values, words) => {
    const refused = chartRender(tenantChart(), { values });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(words);
  });

  test('an exponent form within bounds is admitted, and an exa suffix is not an exponent', () => {
    const admitted = chartRender(tenantChart(), { values: 'traefik: { resources: { limits: { memory: "1e9" } } }\n' });
    expect({ status: admitted.status, stderr: admitted.stderr }).toEqual({ status: 0, stderr: '' });
    expect(chartRender(tenantChart(), { values: 'traefik: { resources: { limits: { memory: "1E" } } }\n' }).stderr).toContain('1E is above `platform.ceilings.traefik.resources.limits.memory`');
  });
});

describe('admission: denied by the CEL in all three renderings', () => {
  test.each(enforcedBy('admission'))('%s', (id) => {
    const { policy, bad, good } = EXAMPLES[id].admission!;
    const threat = THREATS.find((t) => t.id === id)!;
    const messages = (threat.admission as { validations: ReadonlyArray<{ policy: string; message: string }> }).validations.filter((v) => v.policy === policy).map((v) => v.message);
    const denied = admit(policy, bad);
    expect({ matched: denied.matched, allowed: denied.allowed, errors: denied.errors }).toEqual({ matched: true, allowed: false, errors: [] });
    expect(denied.denials.some((d) => messages.some((m) => d.startsWith(m)))).toBe(true);
    expect(admit(policy, good)).toEqual({ matched: true, allowed: true, denials: [], errors: [] });
  });
});

describe('audit: found in manifests this tool did not write', () => {
  test.each(enforcedBy('audit'))('%s', (id, threat) => {
    const { bad, good, context } = EXAMPLES[id].audit!;
    const generated = !('none' in threat.audit) && threat.audit.scope === 'generated';
    expect(auditRules(bad, generated, context)).toContain(id);
    expect(auditRules(good, generated, context)).not.toContain(id);
  });
});
