/**
 * Reading RBAC rules of untrusted shape: what verbs a set of rules grants on a resource, and
 * the rules of Kubernetes' built-in ClusterRoles for bindings whose role is not in the input.
 */
import { asArray, asRecord, asStrings } from './values';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const TRAEFIK_GROUPS = ['traefik.io', 'traefik.containo.us'];
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*']);
const READ_VERBS = new Set(['get', 'list', 'watch', '*']);

const READ = ['get', 'list', 'watch'];
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const EDIT_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/attach', 'configmaps', 'secrets', 'services', 'serviceaccounts', 'persistentvolumeclaims', 'replicationcontrollers', 'endpoints'], verbs: WRITE },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['resourcequotas', 'limitranges', 'events', 'namespaces', 'pods/log'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'replicasets', 'statefulsets'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
];

/**
 * Kubernetes' built-in user-facing ClusterRoles, for bindings whose role is not in the input
 * (a GitOps repository rarely holds them). Only the security-relevant rules, from the defaults
 * of Kubernetes 1.30; aggregated CRD permissions are not included.
 */
export const BUILTIN_CLUSTER_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  admin: [...EDIT_RULES, { apiGroups: [RBAC_GROUP], resources: ['roles', 'rolebindings'], verbs: WRITE }],
  edit: EDIT_RULES,
  view: [
    { apiGroups: [''], resources: ['pods', 'configmaps', 'services', 'endpoints', 'persistentvolumeclaims', 'resourcequotas', 'limitranges', 'events'], verbs: READ },
    { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'replicasets', 'statefulsets'], verbs: READ },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  ],
};

/** Normalizes RBAC rules of untrusted shape. */
export function rulesOf(raw: unknown): PolicyRule[] {
  return asArray(raw).map((r) => {
    const rec = asRecord(r);
    return { apiGroups: asStrings(rec.apiGroups), resources: asStrings(rec.resources), verbs: asStrings(rec.verbs) };
  });
}

/** Verbs the rules grant on `resource` in any of `groups`. */
export function grantedVerbs(rules: readonly PolicyRule[], groups: readonly string[], resource: string): Set<string> {
  const verbs = new Set<string>();
  for (const r of rules) {
    if (!(r.apiGroups.includes('*') || groups.some((g) => r.apiGroups.includes(g)))) continue;
    if (!(r.resources.includes('*') || r.resources.includes(resource))) continue;
    for (const v of r.verbs) verbs.add(v);
  }
  return verbs;
}

export const writesOf = (verbs: Set<string>) => [...verbs].filter((v) => WRITE_VERBS.has(v));
export const hasWildcard = (r: PolicyRule) => [...r.verbs, ...r.resources, ...r.apiGroups].includes('*');

/** `verbs resource` for each resource the rules let someone write, e.g. `create/update roles`. */
export function describeWrites(rules: readonly PolicyRule[], resources: ReadonlyArray<readonly [groups: readonly string[], resource: string]>): string[] {
  return resources.flatMap(([groups, res]) => {
    const w = writesOf(grantedVerbs(rules, groups, res));
    return w.length > 0 ? [`${w.join('/')} ${res}`] : [];
  });
}

/** The read verbs the rules grant on core Secrets. */
export function secretReads(rules: readonly PolicyRule[]): string[] {
  return [...grantedVerbs(rules, [''], 'secrets')].filter((v) => READ_VERBS.has(v));
}
