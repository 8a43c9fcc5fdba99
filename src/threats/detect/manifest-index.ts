/**
 * What several detectors look up, built in one pass over the objects: the facts of each
 * namespace, the roles, who is bound to what, and the Traefik instances with their flags.
 */
import { asArray, asRecord, asString, asStringMap } from './values';
import { KubeObjectLike, listOf } from './engine';
import { BUILTIN_CLUSTER_ROLES, PolicyRule, rulesOf } from './rbac-analysis';
import { serviceAccountOf, TraefikContainer, traefikContainers } from './traefik-config';

/** Kinds that are cluster-scoped: they carry no `metadata.namespace`. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'IngressClass', 'CustomResourceDefinition',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ClusterPolicy', 'PriorityClass', 'StorageClass',
  'PersistentVolume', 'Node', 'ClusterSecretStore', 'APIService', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'CSIDriver', 'CSINode',
  'RuntimeClass', 'VolumeAttachment', 'FlowSchema', 'PriorityLevelConfiguration', 'CertificateSigningRequest',
  'GatewayClass', 'ClusterTrustBundle', 'ComponentStatus', 'ConstraintTemplate', 'CertificateRequestPolicy',
  // Not an object of the cluster: a vcluster values file the audit read (see `VALUES_FILE_KIND`), which belongs to no namespace.
  'VclusterValuesFile',
]);

/** API group of Gatekeeper's constraints: every kind in it is cluster-scoped. */
const CONSTRAINTS_GROUP = 'constraints.gatekeeper.sh/';

/** Whether an object of this kind (and API version) is cluster-scoped. */
export function isClusterScoped(o: Pick<KubeObjectLike, 'kind' | 'apiVersion'>): boolean {
  return CLUSTER_SCOPED_KINDS.has(o.kind) || (typeof o.apiVersion === 'string' && o.apiVersion.startsWith(CONSTRAINTS_GROUP));
}

/** Subjects that include every tenant and every pod. */
export const BROAD_SUBJECTS = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:anonymous']);

/** A subject of a binding, normalized. */
export interface Subject {
  readonly kind: string;
  readonly name: string;
  /** For service accounts: their namespace. */
  readonly namespace?: string;
  /** `sa:ns/name`, `user:name` or `group:name`. */
  readonly key: string;
}

export function subjectOf(raw: unknown, bindingNamespace: string | undefined): Subject {
  const s = asRecord(raw);
  const kind = asString(s.kind) ?? '';
  const name = asString(s.name) ?? '';
  if (kind === 'ServiceAccount') {
    const namespace = asString(s.namespace) ?? bindingNamespace ?? '';
    return { kind, name, namespace, key: `sa:${namespace}/${name}` };
  }
  const sa = kind === 'User' ? name.match(/^system:serviceaccount:([^:]+):(.+)$/) : null;
  if (sa) return { kind: 'ServiceAccount', name: sa[2], namespace: sa[1], key: `sa:${sa[1]}/${sa[2]}` };
  return { kind, name, key: `${kind === 'Group' ? 'group' : 'user'}:${name}` };
}

/**
 * The binding subjects that hold ServiceAccount `namespace/name`: the account itself (as a
 * ServiceAccount, or a User `system:serviceaccount:…`), and the groups it is in — every account
 * of its namespace, every account, every authenticated identity.
 */
export function serviceAccountSubjectKeys(namespace: string, name: string): string[] {
  return [`sa:${namespace}/${name}`, `group:system:serviceaccounts:${namespace}`, 'group:system:serviceaccounts', 'group:system:authenticated'];
}

export const describeSubject = (s: Subject) => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`);

export interface NamespaceFacts {
  namespaceIndex?: number;
  firstIndex?: number;
  quota: boolean;
  limitRange: boolean;
  denyIngress: boolean;
  denyEgress: boolean;
}

/** A subject of a binding that belongs to a tenant. */
export interface TenantSubject {
  readonly subject: Subject;
  /** Its index in the binding's `subjects`. */
  readonly at: number;
  /** The tenant namespace it belongs to, when known. */
  readonly of?: string;
}

/** A RoleBinding or ClusterRoleBinding, read once. */
export interface BindingFacts {
  readonly index: number;
  readonly namespace?: string;
  readonly cluster: boolean;
  /** Kubernetes' own bootstrap bindings (`kubernetes.io/bootstrapping: rbac-defaults`). */
  readonly rbacDefault: boolean;
  /** The rules of its role, or undefined when the role is neither in the input nor built in. */
  readonly rules?: readonly PolicyRule[];
  /** `Kind \`name\`` of its role. */
  readonly roleName: string;
  readonly subjects: readonly Subject[];
  readonly tenantSubjects: readonly TenantSubject[];
}

export interface TraefikInstance {
  readonly index: number;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly containers: readonly TraefikContainer[];
}

export class ManifestIndex {
  readonly namespaces = new Map<string, NamespaceFacts>();
  readonly namespaceLabels = new Map<string, Record<string, string>>();
  readonly bindings: BindingFacts[] = [];
  readonly clusterBindingsBySubject = new Map<string, number[]>();
  readonly traefiks: TraefikInstance[] = [];
  private readonly roles = new Map<string, PolicyRule[]>();
  /** Users and groups bound inside a tenant namespace, with the first such namespace. */
  private readonly tenantHumans = new Map<string, string>();
  private unresolvedRoles = 0;
  private withoutNamespace = 0;

  constructor(
    objects: readonly KubeObjectLike[],
    private readonly tenants: ReadonlySet<string>,
    readonly platforms: ReadonlySet<string>,
    private readonly generated: boolean,
  ) {
    objects.forEach((o, i) => this.indexObject(o, i));
    objects.forEach((o, i) => {
      if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') this.bindings.push(this.bindingFacts(o, i));
    });
  }

  /** Sentences on what the index could not resolve. */
  notes(): string[] {
    const notes: string[] = [];
    if (this.unresolvedRoles > 0) {
      const one = this.unresolvedRoles === 1;
      notes.push(`${this.unresolvedRoles} binding${one ? ' refers' : 's refer'} to a role that is neither in the input nor built in; what ${one ? 'it grants' : 'they grant'} was not checked.`);
    }
    const empty = [...this.tenants].sort().filter((ns) => this.namespaces.get(ns)?.namespaceIndex === undefined && this.namespaces.get(ns)?.firstIndex === undefined);
    if (!this.generated && empty.length > 0) {
      notes.push(`Tenant namespace${empty.length === 1 ? '' : 's'} ${listOf(empty)} ha${empty.length === 1 ? 's' : 've'} no object in the input and ${empty.length === 1 ? 'was' : 'were'} not checked.`);
    }
    if (!this.generated && this.withoutNamespace > 0) {
      notes.push(`${this.withoutNamespace} namespaced object${this.withoutNamespace === 1 ? ' has' : 's have'} no \`metadata.namespace\` (the namespace is chosen at apply time); they were judged as outside every tenant.`);
    }
    return notes;
  }

  /** The tenant namespace an object is in, or is. */
  tenantOf(o: KubeObjectLike): string | undefined {
    const ns = asString(o.metadata?.namespace);
    if (ns !== undefined) return this.tenants.has(ns) ? ns : undefined;
    return o.kind === 'Namespace' && this.tenants.has(o.metadata.name) ? o.metadata.name : undefined;
  }

  facts(namespace: string): NamespaceFacts {
    let f = this.namespaces.get(namespace);
    if (!f) {
      f = { quota: false, limitRange: false, denyIngress: false, denyEgress: false };
      this.namespaces.set(namespace, f);
    }
    return f;
  }

  resolveRole(roleRef: Record<string, unknown>, ns: string | undefined): PolicyRule[] | undefined {
    const kind = asString(roleRef.kind) ?? '';
    const name = asString(roleRef.name) ?? '';
    const own = this.roles.get(`${kind}/${kind === 'Role' ? ns ?? '' : ''}/${name}`);
    if (own) return own;
    if (kind === 'ClusterRole' && BUILTIN_CLUSTER_ROLES[name]) return [...BUILTIN_CLUSTER_ROLES[name]];
    return undefined;
  }

  /** Whether a subject is a tenant's identity, and which tenant namespace it belongs to (when one). */
  tenantSubject(s: Subject): { tenant: boolean; of?: string } {
    if (s.kind === 'ServiceAccount') return { tenant: this.tenants.has(s.namespace ?? ''), of: s.namespace };
    if (BROAD_SUBJECTS.has(s.name)) return { tenant: true };
    const group = s.kind === 'Group' ? s.name.match(/^system:serviceaccounts:(.+)$/) : null;
    if (group) return { tenant: this.tenants.has(group[1]), of: group[1] };
    if (s.name.startsWith('system:')) return { tenant: false };
    const of = this.tenantHumans.get(s.key);
    return { tenant: this.generated || of !== undefined, of };
  }

  private indexObject(o: KubeObjectLike, i: number): void {
    const ns = asString(o.metadata?.namespace);
    const name = asString(o.metadata?.name) ?? '';
    if (o.kind === 'Namespace') {
      this.facts(name).namespaceIndex ??= i;
      this.namespaceLabels.set(name, asStringMap(o.metadata?.labels));
    }
    if (ns === undefined) {
      if (!isClusterScoped(o)) this.withoutNamespace++;
    } else {
      const f = this.facts(ns);
      f.firstIndex ??= i;
      if (o.kind === 'ResourceQuota') f.quota = true;
      if (o.kind === 'LimitRange') f.limitRange = true;
      if (o.kind === 'NetworkPolicy') {
        const deny = denies(o);
        f.denyIngress ||= deny.ingress;
        f.denyEgress ||= deny.egress;
      }
    }
    if (o.kind === 'Role' || o.kind === 'ClusterRole') {
      this.roles.set(`${o.kind}/${o.kind === 'Role' ? ns ?? '' : ''}/${name}`, rulesOf(o.rules));
    }
    if (o.kind === 'RoleBinding' && ns !== undefined && this.tenants.has(ns)) {
      for (const raw of asArray(o.subjects)) {
        const s = subjectOf(raw, ns);
        if (s.kind !== 'ServiceAccount' && !s.name.startsWith('system:') && !this.tenantHumans.has(s.key)) this.tenantHumans.set(s.key, ns);
      }
    }
    if (o.kind === 'ClusterRoleBinding') {
      for (const raw of asArray(o.subjects)) {
        const key = subjectOf(raw, undefined).key;
        const list = this.clusterBindingsBySubject.get(key);
        if (list) list.push(i);
        else this.clusterBindingsBySubject.set(key, [i]);
      }
    }
    const containers = traefikContainers(o);
    if (containers.length > 0) this.traefiks.push({ index: i, namespace: ns ?? '', serviceAccount: serviceAccountOf(o), containers });
  }

  private bindingFacts(o: KubeObjectLike, i: number): BindingFacts {
    const ns = asString(o.metadata.namespace);
    const rbacDefault = asStringMap(o.metadata.labels)['kubernetes.io/bootstrapping'] === 'rbac-defaults';
    const rules = this.resolveRole(asRecord(o.roleRef), ns);
    if (!rules && !rbacDefault) this.unresolvedRoles++;
    const subjects = asArray(o.subjects).map((raw) => subjectOf(raw, ns));
    const tenantSubjects: TenantSubject[] = [];
    subjects.forEach((s, at) => {
      const t = this.tenantSubject(s);
      if (t.tenant) tenantSubjects.push({ subject: s, at, of: t.of && this.tenants.has(t.of) ? t.of : undefined });
    });
    return {
      index: i,
      namespace: ns,
      cluster: o.kind === 'ClusterRoleBinding',
      rbacDefault,
      rules,
      roleName: `${asString(asRecord(o.roleRef).kind) ?? '?'} \`${asString(asRecord(o.roleRef).name) ?? '?'}\``,
      subjects,
      tenantSubjects,
    };
  }
}

/** Whether a NetworkPolicy denies all ingress or all egress of every pod in its namespace. */
function denies(o: KubeObjectLike): { ingress: boolean; egress: boolean } {
  const spec = asRecord(o.spec);
  const selector = asRecord(spec.podSelector);
  const selectsAll = spec.podSelector !== undefined && Object.keys(selector).every((k) => {
    const v = selector[k];
    return v === null || (Array.isArray(v) ? v.length === 0 : Object.keys(asRecord(v)).length === 0);
  });
  if (!selectsAll) return { ingress: false, egress: false };
  const types = spec.policyTypes !== undefined ? asArray(spec.policyTypes).filter((t) => typeof t === 'string') : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
  return {
    ingress: types.includes('Ingress') && asArray(spec.ingress).length === 0,
    egress: types.includes('Egress') && asArray(spec.egress).length === 0,
  };
}
