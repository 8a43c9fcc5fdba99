/**
 * Isolation checks over rendered Kubernetes objects: the promises this tool makes, stated
 * as rules over the output rather than over the code that produced it. The tests, the
 * generator's self-check before writing, and a future `audit` command all call this.
 */
import { PolicyRule } from './rbac';

/** The least a check needs to know of an object. */
export interface KubeObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

export type Severity = 'critical' | 'high' | 'medium';

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind namespace/name` of the offending object. */
  readonly object: string;
  readonly message: string;
}

export interface CheckContext {
  /** Namespace of the platform (Traefik instances, default TLSStore, wildcard). */
  readonly platformNamespace: string;
  /** Namespaces that belong to tenants. */
  readonly tenantNamespaces: ReadonlySet<string>;
}

/** Kinds that are cluster-scoped: they must carry no `metadata.namespace`. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'IngressClass', 'CustomResourceDefinition',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ClusterPolicy', 'PriorityClass', 'StorageClass',
  'PersistentVolume', 'Node', 'ClusterSecretStore',
]);

/** Resources tenants may read but never change: their own guard rails. */
export const GUARD_RAIL_RESOURCES = new Set([
  'resourcequotas', 'limitranges', 'networkpolicies', 'issuers', 'tlsstores', 'tlsoptions',
  'serverstransports', 'serverstransporttcps', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings',
]);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*']);
const BROAD_SUBJECTS = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:anonymous']);

/** Runs every rule; answers with the findings, worst first. */
export function checkIsolation(objects: readonly KubeObjectLike[], ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const add = (o: KubeObjectLike, rule: string, severity: Severity, message: string) =>
    findings.push({ rule, severity, object: ref(o), message });
  const rolesByKey = new Map<string, PolicyRule[]>();
  for (const o of objects) {
    if (o.kind === 'Role' || o.kind === 'ClusterRole') rolesByKey.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, (o.rules as PolicyRule[]) ?? []);
  }
  const hostOwner = new Map<string, string>();
  const byNamespace = new Map<string, KubeObjectLike[]>();
  for (const o of objects) {
    const list = byNamespace.get(o.metadata.namespace ?? '') ?? [];
    list.push(o);
    byNamespace.set(o.metadata.namespace ?? '', list);
  }

  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (CLUSTER_SCOPED_KINDS.has(o.kind) === (ns !== undefined)) {
      add(o, 'namespace-scope', 'high', ns === undefined ? 'namespaced object without metadata.namespace' : 'cluster-scoped object with metadata.namespace');
    }
    switch (o.kind) {
      case 'ClusterIssuer':
        add(o, 'no-cluster-issuer', 'critical', 'a ClusterIssuer can be used from every namespace');
        break;
      case 'Certificate':
        checkCertificate(o, ctx, hostOwner, add);
        break;
      case 'TLSStore':
      case 'TLSOption':
        if (o.metadata.name === 'default' && ns !== ctx.platformNamespace) {
          add(o, 'default-tls-in-platform', 'critical', `the \`default\` ${o.kind} must live in the platform namespace \`${ctx.platformNamespace}\``);
        }
        break;
      case 'Role':
      case 'ClusterRole':
        checkRules(o, (o.rules as PolicyRule[]) ?? [], add);
        break;
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        checkBinding(o, ctx, rolesByKey, add);
        break;
      case 'Deployment':
        checkPodTemplate(o, ctx, add);
        break;
      case 'Namespace':
        if (ctx.tenantNamespaces.has(o.metadata.name)) checkTenantNamespace(o, byNamespace.get(o.metadata.name) ?? [], add);
        break;
      default:
        break;
    }
  }
  const order: Severity[] = ['critical', 'high', 'medium'];
  return findings.sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
}

type Add = (o: KubeObjectLike, rule: string, severity: Severity, message: string) => void;

function ref(o: KubeObjectLike): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

function checkCertificate(o: KubeObjectLike, ctx: CheckContext, hostOwner: Map<string, string>, add: Add): void {
  const spec = (o.spec ?? {}) as { dnsNames?: string[]; issuerRef?: { kind?: string } };
  const ns = o.metadata.namespace ?? '';
  if (!ctx.tenantNamespaces.has(ns)) return;
  if (spec.issuerRef?.kind !== 'Issuer') add(o, 'tenant-namespaced-issuer', 'critical', 'a tenant Certificate must use a namespaced Issuer');
  for (const host of spec.dnsNames ?? []) {
    if (host.includes('*')) add(o, 'no-tenant-wildcard', 'critical', `wildcard \`${host}\` in a tenant namespace`);
    const owner = hostOwner.get(host);
    if (owner !== undefined && owner !== ns) add(o, 'one-host-one-tenant', 'critical', `\`${host}\` is also served by tenant \`${owner}\``);
    hostOwner.set(host, ns);
  }
  if ((spec.dnsNames ?? []).length !== 1) add(o, 'one-certificate-one-domain', 'medium', 'a tenant Certificate should name exactly one host');
}

function checkRules(o: KubeObjectLike, rules: readonly PolicyRule[], add: Add): void {
  for (const r of rules) {
    if ([...r.verbs, ...r.resources, ...r.apiGroups].includes('*')) add(o, 'no-rbac-wildcard', 'high', 'RBAC rule with a wildcard');
  }
}

function checkBinding(o: KubeObjectLike, ctx: CheckContext, roles: Map<string, PolicyRule[]>, add: Add): void {
  const subjects = (o.subjects as Array<{ kind: string; name: string; namespace?: string }>) ?? [];
  const roleRef = o.roleRef as { kind: string; name: string };
  for (const s of subjects) {
    if (BROAD_SUBJECTS.has(s.name)) add(o, 'no-broad-subjects', 'critical', `binds \`${s.name}\``);
  }
  const ns = o.metadata.namespace;
  const tenantSubject = subjects.some((s) => s.kind !== 'ServiceAccount' || (s.namespace !== undefined && ctx.tenantNamespaces.has(s.namespace)));
  if (o.kind === 'ClusterRoleBinding' && tenantSubject) add(o, 'no-cluster-bindings-for-tenants', 'critical', 'tenant subjects bound cluster-wide');
  if (ns === ctx.platformNamespace && tenantSubject) add(o, 'platform-out-of-tenant-reach', 'critical', 'a tenant identity is bound in the platform namespace (wildcard key, DNS credentials)');
  const rules = roles.get(`${roleRef.kind}/${roleRef.kind === 'Role' ? ns ?? '' : ''}/${roleRef.name}`);
  if (!rules || !tenantSubject || ns === undefined || !ctx.tenantNamespaces.has(ns)) return;
  for (const r of rules) {
    const writes = r.verbs.filter((v) => WRITE_VERBS.has(v));
    if (writes.length === 0) continue;
    if (r.apiGroups.includes('rbac.authorization.k8s.io')) add(o, 'no-rbac-writes', 'critical', 'tenant owners may change RBAC');
    for (const res of r.resources) {
      if (GUARD_RAIL_RESOURCES.has(res)) add(o, 'guard-rails-read-only', 'high', `tenant owners may ${writes.join('/')} ${res}`);
      if (res === 'secrets' && writes.includes('delete')) add(o, 'secrets-no-delete', 'medium', 'tenant owners may delete Secrets');
    }
  }
}

function checkPodTemplate(o: KubeObjectLike, ctx: CheckContext, add: Add): void {
  const pod = ((o.spec as { template?: { spec?: Record<string, unknown> } })?.template?.spec ?? {}) as Record<string, any>;
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) add(o, 'no-host-namespaces', 'critical', 'pod shares a host namespace');
  if ((pod.volumes ?? []).some((v: Record<string, unknown>) => v.hostPath)) add(o, 'no-host-path', 'critical', 'pod mounts a hostPath');
  for (const c of pod.containers ?? []) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) add(o, 'no-privileged', 'critical', `container \`${c.name}\` is privileged`);
    if (!(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) add(o, 'run-as-non-root', 'high', `container \`${c.name}\` may run as root`);
    if (sc.allowPrivilegeEscalation !== false) add(o, 'no-privilege-escalation', 'high', `container \`${c.name}\` allows privilege escalation`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) add(o, 'drop-all-capabilities', 'high', `container \`${c.name}\` keeps Linux capabilities`);
    if ((sc.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault') add(o, 'seccomp-runtime-default', 'medium', `container \`${c.name}\` has no RuntimeDefault seccomp profile`);
    const args: string[] = c.args ?? [];
    if (args.some((a) => a.startsWith('--providers.kubernetes'))) checkTraefikArgs(o, args, ctx, add);
  }
}

/** A Traefik must watch its own tenant (and the platform namespace), never several tenants or all namespaces. */
function checkTraefikArgs(o: KubeObjectLike, args: string[], ctx: CheckContext, add: Add): void {
  const flag = (name: string) => args.find((a) => a.toLowerCase().startsWith(`--${name.toLowerCase()}=`))?.split('=')[1];
  if (flag('providers.kubernetescrd.allowCrossNamespace') !== 'false') add(o, 'traefik-no-cross-namespace', 'critical', 'Traefik does not state allowCrossNamespace=false');
  for (const provider of ['kubernetescrd', 'kubernetesingress']) {
    const watched = (flag(`providers.${provider}.namespaces`) ?? '').split(',').filter(Boolean);
    if (watched.length === 0) add(o, 'traefik-scoped-providers', 'critical', `the ${provider} provider watches every namespace`);
    const tenants = watched.filter((n) => ctx.tenantNamespaces.has(n));
    if (tenants.length > 1) add(o, 'traefik-one-tenant', 'critical', `the ${provider} provider watches several tenants: ${tenants.join(', ')}`);
    if (watched.some((n) => n !== ctx.platformNamespace && !ctx.tenantNamespaces.has(n))) add(o, 'traefik-scoped-providers', 'high', `the ${provider} provider watches a namespace that is neither a tenant's nor the platform's`);
  }
}

function checkTenantNamespace(o: KubeObjectLike, inNs: readonly KubeObjectLike[], add: Add): void {
  const labels = o.metadata.labels ?? {};
  const enforce = labels['pod-security.kubernetes.io/enforce'];
  if (enforce !== 'restricted' && enforce !== 'baseline') add(o, 'pod-security-labels', 'critical', `Pod Security enforce is \`${enforce ?? 'unset'}\``);
  if (!inNs.some((x) => x.kind === 'ResourceQuota')) add(o, 'resource-quota', 'high', 'tenant namespace without a ResourceQuota');
  if (!inNs.some((x) => x.kind === 'LimitRange')) add(o, 'limit-range', 'medium', 'tenant namespace without a LimitRange');
  const denyAll = inNs.some((x) => {
    const spec = x.spec as { podSelector?: object; policyTypes?: string[]; ingress?: unknown; egress?: unknown } | undefined;
    return x.kind === 'NetworkPolicy' && spec && Object.keys(spec.podSelector ?? { x: 1 }).length === 0 &&
      (spec.policyTypes ?? []).includes('Ingress') && (spec.policyTypes ?? []).includes('Egress') && !spec.ingress && !spec.egress;
  });
  if (!denyAll) add(o, 'default-deny-network-policy', 'high', 'tenant namespace without a default-deny NetworkPolicy for Ingress and Egress');
}
