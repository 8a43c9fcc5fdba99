/**
 * Isolation checks over Kubernetes objects: the promises this tool makes, stated as rules
 * over manifests rather than over the code that produced them. The tests, the generator's
 * self-check before writing, and `tenancy audit` (manifests of any origin) all call this.
 *
 * Cost is linear in the number of objects: one pass indexes them (by namespace, role,
 * subject, host), a second judges each object against the indexes. The rule catalogue —
 * severity, title, why, fix — is in `catalogue.ts`.
 */
import { X509Certificate } from 'crypto';
import { RULES, RuleId, Severity, SEVERITIES } from './catalogue';
import { PolicyRule } from './rbac';
import { KUBED_SYNC, labelSelector, namePattern, SyncInstruction, syncInstructions } from './secret-sync';
import {
  hasProviderFlags, podSpecOf, providerEnabled, serviceAccountOf, TRAEFIK_PROVIDERS, TraefikContainer, traefikContainers,
  watchedNamespaces, WORKLOAD_KINDS,
} from './traefik';
import { asArray, asRecord, asString, asStringMap, asStrings, FieldPath } from './values';

export { RULES, SEVERITIES, atLeast, auditRules } from './catalogue';
export type { RuleId, RuleInfo, RuleScope, Severity } from './catalogue';
export type { FieldPath } from './values';

/** The least a check needs to know of an object. */
export interface KubeObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** `Kind namespace/name` of the offending object. */
  readonly object: string;
  readonly message: string;
  /** Position of the offending object in the list given to `checkIsolation`. */
  readonly objectIndex: number;
  /** Path of the offending field inside the object; empty for the object as a whole. */
  readonly path: FieldPath;
  /** The tenant namespace the finding concerns, when one does. */
  readonly tenant?: string;
}

/** What tenants may do with the Secrets of their namespace. */
export type SecretsPolicy = 'read-only' | 'manage';

export interface CheckContext {
  /** Namespace of the platform (Traefik instances, default TLSStore, wildcard). */
  readonly platformNamespace?: string;
  /** Further platform namespaces (the audit: every namespace running Traefik). */
  readonly platformNamespaces?: ReadonlySet<string>;
  /** Namespaces that belong to tenants. */
  readonly tenantNamespaces: ReadonlySet<string>;
  /**
   * What tenants may do with Secrets: `read-only` reports any write, `manage` reports `delete`.
   * @default 'manage' — only `delete` is reported
   */
  readonly secrets?: SecretsPolicy | ((namespace: string) => SecretsPolicy);
  /**
   * `generated` judges this tool's own output and adds the rules of scope `generated` (every
   * Deployment hardened, no ClusterIssuer…); `audit` judges manifests of any origin.
   * @default 'generated'
   */
  readonly profile?: 'generated' | 'audit';
}

export interface CheckResult {
  /** Worst first, then in input order. */
  readonly findings: Finding[];
  /** What the checks could not judge, in sentences (roles missing from the input, …). */
  readonly notes: string[];
}

/** Kinds that are cluster-scoped: they must carry no `metadata.namespace`. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'IngressClass', 'CustomResourceDefinition',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ClusterPolicy', 'PriorityClass', 'StorageClass',
  'PersistentVolume', 'Node', 'ClusterSecretStore', 'APIService', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'CSIDriver', 'CSINode',
  'RuntimeClass', 'VolumeAttachment', 'FlowSchema', 'PriorityLevelConfiguration', 'CertificateSigningRequest',
  'GatewayClass', 'ClusterTrustBundle', 'ComponentStatus',
]);

/** Resources tenants may read but never change: their own guard rails. */
export const GUARD_RAIL_RESOURCES = new Set([
  'resourcequotas', 'limitranges', 'networkpolicies', 'issuers', 'tlsstores', 'tlsoptions',
  'serverstransports', 'serverstransporttcps', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings',
]);

const TRAEFIK_GROUPS = ['traefik.io', 'traefik.containo.us'];
const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** Guard rails other than RBAC (which `no-rbac-writes` covers), with their API groups. */
const GUARD_RAILS: ReadonlyArray<readonly [readonly string[], string]> = [
  [[''], 'resourcequotas'], [[''], 'limitranges'], [['networking.k8s.io'], 'networkpolicies'], [['cert-manager.io'], 'issuers'],
  [TRAEFIK_GROUPS, 'tlsstores'], [TRAEFIK_GROUPS, 'tlsoptions'], [TRAEFIK_GROUPS, 'serverstransports'], [TRAEFIK_GROUPS, 'serverstransporttcps'],
  [['external-secrets.io'], 'secretstores'],
];
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*']);
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];
const READ_VERBS = new Set(['get', 'list', 'watch', '*']);
const BROAD_SUBJECTS = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:anonymous']);
const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

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

type Obj = KubeObjectLike;
type Add = (index: number, rule: RuleId, message: string, path?: FieldPath, tenant?: string) => void;

/** Runs every rule; answers with the findings, worst first. */
export function checkIsolation(objects: readonly KubeObjectLike[], ctx: CheckContext): Finding[] {
  return runChecks(objects, ctx).findings;
}

/** Runs every rule; answers with the findings, worst first, and notes on what could not be judged. */
export function runChecks(objects: readonly KubeObjectLike[], ctx: CheckContext): CheckResult {
  const c = new Checker(objects, ctx);
  return c.run();
}

/** Platform namespaces of a context, as one set. */
function platformsOf(ctx: CheckContext): Set<string> {
  const set = new Set(ctx.platformNamespaces ?? []);
  if (ctx.platformNamespace !== undefined) set.add(ctx.platformNamespace);
  return set;
}

function ref(o: Obj): string {
  const ns = asString(o.metadata?.namespace);
  return `${o.kind} ${ns ? `${ns}/` : ''}${asString(o.metadata?.name) ?? '?'}`;
}

const isTraefikApi = (o: Obj) => typeof o.apiVersion === 'string' && TRAEFIK_GROUPS.some((g) => o.apiVersion.startsWith(`${g}/`));
const isCertManagerApi = (o: Obj) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith('cert-manager.io/');
const isIngress = (o: Obj) => o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion);

/** A subject of a binding, normalized. */
interface Subject {
  readonly kind: string;
  readonly name: string;
  /** For service accounts: their namespace. */
  readonly namespace?: string;
  /** `sa:ns/name`, `user:name` or `group:name`. */
  readonly key: string;
}

function subjectOf(raw: unknown, bindingNamespace: string | undefined): Subject {
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

const describeSubject = (s: Subject) => (s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`);

/** Normalizes RBAC rules of untrusted shape. */
function rulesOf(raw: unknown): PolicyRule[] {
  return asArray(raw).map((r) => {
    const rec = asRecord(r);
    return { apiGroups: asStrings(rec.apiGroups), resources: asStrings(rec.resources), verbs: asStrings(rec.verbs) };
  });
}

/** Verbs the rules grant on `resource` in any of `groups`. */
function grantedVerbs(rules: readonly PolicyRule[], groups: readonly string[], resource: string): Set<string> {
  const verbs = new Set<string>();
  for (const r of rules) {
    if (!(r.apiGroups.includes('*') || groups.some((g) => r.apiGroups.includes(g)))) continue;
    if (!(r.resources.includes('*') || r.resources.includes(resource))) continue;
    for (const v of r.verbs) verbs.add(v);
  }
  return verbs;
}

const writesOf = (verbs: Set<string>) => [...verbs].filter((v) => WRITE_VERBS.has(v));
const hasWildcard = (r: PolicyRule) => [...r.verbs, ...r.resources, ...r.apiGroups].includes('*');

/** One host claimed by a tenant: routed by an Ingress or IngressRoute, or named by a Certificate. */
interface HostClaim {
  readonly host: string;
  readonly tenant: string;
  readonly objectIndex: number;
  readonly path: FieldPath;
}

interface NamespaceFacts {
  namespaceIndex?: number;
  firstIndex?: number;
  quota: boolean;
  limitRange: boolean;
  denyIngress: boolean;
  denyEgress: boolean;
}

interface TraefikInstance {
  readonly index: number;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** A tenant identity that may write Traefik's TLS resources somewhere. */
interface TlsWriter {
  readonly bindingIndex: number;
  readonly subject: Subject;
  readonly tlsstores: boolean;
  readonly tlsoptions: boolean;
}

class Checker {
  private readonly findings: Finding[] = [];
  private readonly notes: string[] = [];
  private readonly generated: boolean;
  private readonly platforms: Set<string>;
  private readonly tenants: ReadonlySet<string>;
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly namespaces = new Map<string, NamespaceFacts>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  /** Users and groups bound inside a tenant namespace, with the first such namespace. */
  private readonly tenantHumans = new Map<string, string>();
  private readonly clusterBindingsBySubject = new Map<string, number[]>();
  private readonly traefiks: TraefikInstance[] = [];
  private readonly claims: HostClaim[] = [];
  /** Tenant identities that may write TLS resources: by namespace, `*` for cluster-wide. */
  private readonly tlsWriters = new Map<string, TlsWriter[]>();
  private readonly defaultTls: number[] = [];
  private unresolvedRoles = 0;
  private withoutNamespace = 0;
  private readonly patternCache = new Map<string, string[]>();

  constructor(private readonly objects: readonly Obj[], private readonly ctx: CheckContext) {
    this.generated = (ctx.profile ?? 'generated') === 'generated';
    this.platforms = platformsOf(ctx);
    this.tenants = ctx.tenantNamespaces;
  }

  run(): CheckResult {
    this.index();
    this.objects.forEach((o, i) => this.checkObject(o, i));
    this.checkTraefikSecrets();
    this.checkDefaultTlsWriters();
    this.checkHosts();
    this.checkTenantNamespaces();
    if (this.unresolvedRoles > 0) {
      const one = this.unresolvedRoles === 1;
      this.notes.push(`${this.unresolvedRoles} binding${one ? ' refers' : 's refer'} to a role that is neither in the input nor built in; what ${one ? 'it grants' : 'they grant'} was not checked.`);
    }
    if (!this.generated && this.withoutNamespace > 0) {
      this.notes.push(`${this.withoutNamespace} namespaced object${this.withoutNamespace === 1 ? ' has' : 's have'} no \`metadata.namespace\` (the namespace is chosen at apply time); they were judged as outside every tenant.`);
    }
    const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
    const findings = this.findings.sort((a, b) => rank(a) - rank(b) || a.objectIndex - b.objectIndex || a.path.join('.').localeCompare(b.path.join('.')));
    return { findings, notes: this.notes };
  }

  private readonly add: Add = (index, rule, message, path = [], tenant) => {
    const o = this.objects[index];
    const ns = asString(o.metadata?.namespace);
    const ownTenant = ns !== undefined && this.tenants.has(ns) ? ns : o.kind === 'Namespace' && this.tenants.has(o.metadata.name) ? o.metadata.name : undefined;
    this.findings.push({ rule, severity: RULES[rule].severity, object: ref(o), message, objectIndex: index, path, tenant: tenant ?? ownTenant });
  };

  private secretsPolicy(namespace: string): SecretsPolicy {
    const s = this.ctx.secrets ?? 'manage';
    return typeof s === 'function' ? s(namespace) : s;
  }

  private facts(namespace: string): NamespaceFacts {
    let f = this.namespaces.get(namespace);
    if (!f) {
      f = { quota: false, limitRange: false, denyIngress: false, denyEgress: false };
      this.namespaces.set(namespace, f);
    }
    return f;
  }

  /** First pass: everything later checks look up, so no check scans all objects again. */
  private index(): void {
    this.objects.forEach((o, i) => {
      const ns = asString(o.metadata?.namespace);
      const name = asString(o.metadata?.name) ?? '';
      if (o.kind === 'Namespace') {
        this.facts(name).namespaceIndex ??= i;
        this.namespaceLabels.set(name, asStringMap(o.metadata?.labels));
      }
      if (ns === undefined) {
        if (!CLUSTER_SCOPED_KINDS.has(o.kind)) this.withoutNamespace++;
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
        for (const raw of asArray(o.subjects)) push(this.clusterBindingsBySubject, subjectOf(raw, undefined).key, i);
      }
    });
  }

  private checkObject(o: Obj, i: number): void {
    const ns = asString(o.metadata?.namespace);
    if (this.generated && CLUSTER_SCOPED_KINDS.has(o.kind) === (ns !== undefined)) {
      this.add(i, 'namespace-scope', ns === undefined ? 'namespaced object without metadata.namespace' : 'cluster-scoped object with metadata.namespace', ['metadata']);
    }
    // Secrets, Certificates and ExternalSecrets report kubed with their other copying annotations.
    if (o.kind !== 'Secret' && asString(asRecord(o.metadata?.annotations)[KUBED_SYNC]) !== undefined) {
      this.add(i, 'kubed-retired', 'uses kubed\'s `kubed.appscode.com/sync` annotation; kubed is retired upstream', ['metadata', 'annotations', KUBED_SYNC]);
    }
    switch (o.kind) {
      case 'ClusterIssuer':
        if (isCertManagerApi(o)) this.add(i, 'no-cluster-issuer', 'a ClusterIssuer can be used from every namespace', ['metadata', 'name']);
        break;
      case 'Certificate':
        if (isCertManagerApi(o)) this.checkCertificate(o, i);
        break;
      case 'Secret':
        this.checkSecret(o, i);
        break;
      case 'TLSStore':
      case 'TLSOption':
        if (isTraefikApi(o)) this.checkDefaultTls(o, i);
        break;
      case 'IngressRoute':
      case 'IngressRouteTCP':
        if (isTraefikApi(o)) this.checkIngressRoute(o, i);
        break;
      case 'Ingress':
        if (isIngress(o)) this.checkIngress(o, i);
        break;
      case 'ExternalSecret':
        this.checkSync(i, asStringMap(asRecord(asRecord(asRecord(asRecord(o.spec).target).template).metadata).annotations),
          ['spec', 'target', 'template', 'metadata', 'annotations'], 'the Secret it writes');
        break;
      case 'Role':
      case 'ClusterRole':
        if (this.generated) {
          rulesOf(o.rules).forEach((r, k) => {
            if (hasWildcard(r)) this.add(i, 'no-rbac-wildcard', 'RBAC rule with a wildcard', ['rules', k]);
          });
        }
        break;
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        this.checkBinding(o, i);
        break;
      default:
        break;
    }
    if (WORKLOAD_KINDS.has(o.kind)) {
      if (this.generated) this.checkPodTemplate(o, i);
      this.checkTraefik(o, i);
    }
  }

  // ── Certificates, Secrets and copies ──────────────────────────────────────────────

  private checkCertificate(o: Obj, i: number): void {
    const ns = asString(o.metadata.namespace) ?? '';
    const spec = asRecord(o.spec);
    this.checkSync(i, asStringMap(asRecord(spec.secretTemplate).annotations), ['spec', 'secretTemplate', 'annotations'], 'its Secret');
    if (!this.tenants.has(ns)) return;
    const issuerKind = asString(asRecord(spec.issuerRef).kind);
    if (this.generated ? issuerKind !== 'Issuer' : /ClusterIssuer$/.test(issuerKind ?? '')) {
      this.add(i, 'tenant-namespaced-issuer', `issued by ${issuerKind ?? 'an issuer of unstated kind'} \`${asString(asRecord(spec.issuerRef).name) ?? '?'}\`, not by a namespaced Issuer`, ['spec', 'issuerRef', 'kind']);
    }
    const names: Array<[string, FieldPath]> = asArray(spec.dnsNames).flatMap((h, k) => (typeof h === 'string' ? [[h, ['spec', 'dnsNames', k]] as [string, FieldPath]] : []));
    const cn = asString(spec.commonName);
    if (cn !== undefined) names.push([cn, ['spec', 'commonName']]);
    for (const [host, path] of names) {
      if (host.includes('*')) this.add(i, 'no-tenant-wildcard', `wildcard \`${host}\` in tenant namespace \`${ns}\``, path);
      this.claim(host, ns, i, path);
    }
    if (this.generated && asArray(spec.dnsNames).length !== 1) this.add(i, 'one-certificate-one-domain', 'a tenant Certificate should name exactly one host', ['spec', 'dnsNames']);
  }

  private checkSecret(o: Obj, i: number): void {
    const ns = asString(o.metadata.namespace) ?? '';
    const annotations = asStringMap(o.metadata.annotations);
    this.checkSync(i, annotations, ['metadata', 'annotations'], 'this Secret');
    if (!this.tenants.has(ns) || asString(o.type) !== 'kubernetes.io/tls') return;
    const fromAnnotations: Array<[string, string]> = [];
    for (const key of ['cert-manager.io/alt-names', 'cert-manager.io/common-name']) {
      for (const name of (annotations[key] ?? '').split(',').map((s) => s.trim())) if (name.includes('*')) fromAnnotations.push([name, key]);
    }
    if (fromAnnotations.length > 0) {
      this.add(i, 'no-tenant-wildcard', `holds a wildcard certificate for ${fromAnnotations.map(([n]) => `\`${n}\``).join(', ')} in tenant namespace \`${ns}\``, ['metadata', 'annotations', fromAnnotations[0][1]]);
      return;
    }
    const fromData = [...new Set(certificateNames(o).filter((n) => n.includes('*')))];
    if (fromData.length > 0) {
      this.add(i, 'no-tenant-wildcard', `\`tls.crt\` is a wildcard certificate for ${fromData.map((n) => `\`${n}\``).join(', ')} in tenant namespace \`${ns}\``, [asRecord(o.data)['tls.crt'] !== undefined ? 'data' : 'stringData', 'tls.crt']);
    }
  }

  /** Reflector, replicator and kubed instructions in `annotations` (found at `base`) that reach tenants. */
  private checkSync(i: number, annotations: Record<string, string>, base: FieldPath, what: string): void {
    const o = this.objects[i];
    const ns = asString(o.metadata.namespace);
    const instructions = syncInstructions(annotations, ns);
    const destinations = new Map(instructions.map((s) => [s, this.destinations(s, ns)]));
    // Where a tool pushes copies, its permission to pull them is only reported beyond that.
    const pushed = new Map<string, { reached: Set<string>; open: boolean }>();
    for (const s of instructions) {
      if (s.mode === 'push') pushed.set(s.tool, { reached: new Set(destinations.get(s)), open: describeOpen(s) !== undefined });
    }
    for (const s of instructions) {
      const path = [...base, s.annotation];
      if (s.tool === 'kubed') this.add(i, 'kubed-retired', 'uses kubed\'s `kubed.appscode.com/sync` annotation; kubed is retired upstream', path);
      if (s.mode === 'copy') {
        const sourceNs = (s.source ?? '').split('/')[0];
        if (ns !== undefined && this.tenants.has(ns) && sourceNs !== ns) {
          this.add(i, 'secret-sync-into-tenants', `is a copy of \`${s.source}\` kept in sync by ${s.tool}, in tenant namespace \`${ns}\``, path);
        }
        continue;
      }
      const push = s.mode === 'pull' ? pushed.get(s.tool) : undefined;
      const reached = destinations.get(s)!.filter((t) => !push?.reached.has(t));
      const open = push?.open ? undefined : describeOpen(s);
      if (reached.length === 0 && !open) continue;
      const where = [
        ...(reached.length > 0 ? [`tenant namespace${reached.length === 1 ? '' : 's'} ${listOf(reached)}`] : []),
        ...(open ? [open] : []),
      ].join(' and ');
      const message = s.mode === 'push' ? `${s.tool} copies ${what} into ${where}` : `${s.tool} lets ${where} copy ${what}`;
      this.add(i, 'secret-sync-into-tenants', message, path, reached.length === 1 ? reached[0] : undefined);
    }
  }

  /** Tenant namespaces (other than `own`) that a copying instruction reaches. */
  private destinations(s: SyncInstruction, own: string | undefined): string[] {
    const reached = new Set<string>();
    if (s.everywhere) for (const t of this.tenants) reached.add(t);
    for (const n of s.namespaces) if (this.tenants.has(n)) reached.add(n);
    for (const p of s.patterns) for (const t of this.matchPattern(p)) reached.add(t);
    if (s.selector !== undefined) for (const t of this.matchSelector(s.selector)) reached.add(t);
    if (own !== undefined) reached.delete(own);
    return [...reached].sort();
  }

  private matchPattern(pattern: string): string[] {
    const key = `re:${pattern}`;
    let hit = this.patternCache.get(key);
    if (!hit) {
      const re = namePattern(pattern);
      hit = re ? [...this.tenants].filter((t) => re.test(t)) : [];
      this.patternCache.set(key, hit);
    }
    return hit;
  }

  private matchSelector(selector: string): string[] {
    const key = `sel:${selector}`;
    let hit = this.patternCache.get(key);
    if (!hit) {
      const match = labelSelector(selector);
      hit = match ? [...this.tenants].filter((t) => this.namespaceLabels.has(t) && match(this.namespaceLabels.get(t)!)) : [];
      this.patternCache.set(key, hit);
    }
    return hit;
  }

  // ── Traefik TLS defaults, routes and hosts ───────────────────────────────────────────

  private checkDefaultTls(o: Obj, i: number): void {
    if (o.metadata.name !== 'default') return;
    this.defaultTls.push(i);
    const ns = asString(o.metadata.namespace) ?? '';
    const misplaced = this.platforms.size > 0 ? !this.platforms.has(ns) : this.tenants.has(ns);
    if (!misplaced) return;
    const where = this.platforms.size === 0 ? 'the platform namespace where Traefik runs'
      : this.platforms.size === 1 ? `the platform namespace \`${[...this.platforms][0]}\``
        : `a platform namespace (${listOf([...this.platforms].sort())})`;
    this.add(i, 'default-tls-in-platform', `the \`default\` ${o.kind} is in \`${ns || '(no namespace)'}\`; it must live in ${where}`, ['metadata', 'name']);
  }

  private checkIngressRoute(o: Obj, i: number): void {
    const ns = asString(o.metadata.namespace) ?? '';
    const spec = asRecord(o.spec);
    const tls = asRecord(spec.tls);
    const secretName = asString(tls.secretName);
    if (secretName?.includes('/') && secretName.split('/')[0] !== ns) {
      this.add(i, 'cross-namespace-tls-secret', `\`tls.secretName\` names \`${secretName}\`, a Secret of namespace \`${secretName.split('/')[0]}\``, ['spec', 'tls', 'secretName']);
    }
    const refs: Array<[string | undefined, string, FieldPath]> = [
      [asString(asRecord(tls.options).namespace), `TLSOption \`${asString(asRecord(tls.options).name) ?? '?'}\``, ['spec', 'tls', 'options', 'namespace']],
      [asString(asRecord(tls.store).namespace), `TLSStore \`${asString(asRecord(tls.store).name) ?? '?'}\``, ['spec', 'tls', 'store', 'namespace']],
    ];
    const hostFunction = o.kind === 'IngressRouteTCP' ? 'HostSNI' : 'Host(?:Header)?';
    asArray(spec.routes).forEach((rawRoute, r) => {
      const route = asRecord(rawRoute);
      asArray(route.services).forEach((s, k) => refs.push([asString(asRecord(s).namespace), `Service \`${asString(asRecord(s).name) ?? '?'}\``, ['spec', 'routes', r, 'services', k, 'namespace']]));
      asArray(route.middlewares).forEach((m, k) => refs.push([asString(asRecord(m).namespace), `Middleware \`${asString(asRecord(m).name) ?? '?'}\``, ['spec', 'routes', r, 'middlewares', k, 'namespace']]));
      for (const host of hostsInRule(asString(route.match) ?? '', hostFunction)) this.claimIfTenant(host, ns, i, ['spec', 'routes', r, 'match']);
    });
    for (const [target, what, path] of refs) {
      if (target === undefined || target === ns || this.platforms.has(target)) continue;
      if (!this.tenants.has(ns) && !this.tenants.has(target)) continue;
      this.add(i, 'cross-namespace-reference', `refers to ${what} in namespace \`${target}\``, path);
    }
  }

  private checkIngress(o: Obj, i: number): void {
    const ns = asString(o.metadata.namespace) ?? '';
    const spec = asRecord(o.spec);
    const annotations = asStringMap(o.metadata.annotations);
    if (this.tenants.has(ns)) {
      for (const key of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer-kind']) {
        const value = annotations[key];
        if (value !== undefined && (key.endsWith('cluster-issuer') || /ClusterIssuer$/.test(value))) {
          this.add(i, 'tenant-namespaced-issuer', `asks cert-manager for a certificate from ClusterIssuer \`${annotations['cert-manager.io/cluster-issuer'] ?? annotations['cert-manager.io/issuer'] ?? '?'}\``, ['metadata', 'annotations', key]);
          break;
        }
      }
    }
    asArray(spec.tls).forEach((rawTls, t) => {
      const tls = asRecord(rawTls);
      const secretName = asString(tls.secretName);
      if (secretName?.includes('/') && secretName.split('/')[0] !== ns) {
        this.add(i, 'cross-namespace-tls-secret', `\`spec.tls[${t}].secretName\` names \`${secretName}\`, a Secret of namespace \`${secretName.split('/')[0]}\``, ['spec', 'tls', t, 'secretName']);
      }
      asArray(tls.hosts).forEach((h, k) => {
        if (typeof h === 'string') this.claimIfTenant(h, ns, i, ['spec', 'tls', t, 'hosts', k]);
      });
    });
    asArray(spec.rules).forEach((rule, r) => {
      const host = asString(asRecord(rule).host);
      if (host) this.claimIfTenant(host, ns, i, ['spec', 'rules', r, 'host']);
    });
  }

  private claimIfTenant(host: string, ns: string, i: number, path: FieldPath): void {
    if (this.tenants.has(ns)) this.claim(host, ns, i, path);
  }

  private claim(host: string, tenant: string, objectIndex: number, path: FieldPath): void {
    this.claims.push({ host: host.toLowerCase().replace(/\.$/, ''), tenant, objectIndex, path });
  }

  /** Hosts claimed by more than one tenant, a wildcard claim covering the hosts one label below it. */
  private checkHosts(): void {
    const exact = new Map<string, HostClaim[]>();
    const wildcards = new Map<string, HostClaim[]>();
    for (const c of this.claims) {
      push(exact, c.host, c);
      if (c.host.startsWith('*.')) push(wildcards, c.host.slice(2), c);
    }
    const conflicts = new Map<string, { claim: HostClaim; others: string[] }>();
    for (const [host, direct] of exact) {
      const parent = host.startsWith('*.') ? undefined : host.slice(host.indexOf('.') + 1);
      const covering = parent !== undefined && host.includes('.') ? wildcards.get(parent) ?? [] : [];
      const all = [...direct, ...covering];
      const tenants = new Set(all.map((c) => c.tenant));
      if (tenants.size < 2) continue;
      for (const claim of all) {
        const key = `${claim.objectIndex}|${claim.path.join('.')}`;
        const entry = conflicts.get(key) ?? { claim, others: [] };
        for (const other of all) {
          if (other.tenant === claim.tenant) continue;
          const via = other.host === host ? '' : ` through \`${other.host}\``;
          const mine = claim.host === host ? `\`${host}\`` : `\`${claim.host}\` covers \`${host}\`, which`;
          entry.others.push(`${mine} is also served by tenant \`${other.tenant}\` (${ref(this.objects[other.objectIndex])}${via})`);
        }
        conflicts.set(key, entry);
      }
    }
    for (const { claim, others } of conflicts.values()) {
      const unique = [...new Set(others)];
      const shown = unique.slice(0, 3).join('; ');
      this.add(claim.objectIndex, 'one-host-one-tenant', unique.length > 3 ? `${shown}; and ${unique.length - 3} more` : shown, claim.path, claim.tenant);
    }
  }

  // ── RBAC ─────────────────────────────────────────────────────────────────────────────

  private resolveRole(roleRef: Record<string, unknown>, ns: string | undefined): PolicyRule[] | undefined {
    const kind = asString(roleRef.kind) ?? '';
    const name = asString(roleRef.name) ?? '';
    const own = this.roles.get(`${kind}/${kind === 'Role' ? ns ?? '' : ''}/${name}`);
    if (own) return own;
    if (kind === 'ClusterRole' && BUILTIN_CLUSTER_ROLES[name]) return [...BUILTIN_CLUSTER_ROLES[name]];
    return undefined;
  }

  /** Whether a subject is a tenant's identity, and which tenant namespace it belongs to (when one). */
  private tenantSubject(s: Subject): { tenant: boolean; of?: string } {
    if (s.kind === 'ServiceAccount') return { tenant: this.tenants.has(s.namespace ?? ''), of: s.namespace };
    if (BROAD_SUBJECTS.has(s.name)) return { tenant: true };
    const group = s.kind === 'Group' ? s.name.match(/^system:serviceaccounts:(.+)$/) : null;
    if (group) return { tenant: this.tenants.has(group[1]), of: group[1] };
    if (s.name.startsWith('system:')) return { tenant: false };
    const of = this.tenantHumans.get(s.key);
    return { tenant: this.generated || of !== undefined, of };
  }

  private checkBinding(o: Obj, i: number): void {
    const ns = asString(o.metadata.namespace);
    const cluster = o.kind === 'ClusterRoleBinding';
    const rbacDefault = asStringMap(o.metadata.labels)['kubernetes.io/bootstrapping'] === 'rbac-defaults';
    const rules = this.resolveRole(asRecord(o.roleRef), ns);
    if (!rules && !rbacDefault) this.unresolvedRoles++;
    const roleName = `${asString(asRecord(o.roleRef).kind) ?? '?'} \`${asString(asRecord(o.roleRef).name) ?? '?'}\``;
    const tenantSubjects: Array<{ s: Subject; j: number; of?: string }> = [];
    asArray(o.subjects).forEach((raw, j) => {
      const s = subjectOf(raw, ns);
      if (BROAD_SUBJECTS.has(s.name) && !rbacDefault) {
        this.add(i, 'no-broad-subjects', `binds \`${s.name}\` to ${roleName}${cluster ? ' in every namespace' : ''}`, ['subjects', j]);
      }
      const t = this.tenantSubject(s);
      if (t.tenant) tenantSubjects.push({ s, j, of: t.of && this.tenants.has(t.of) ? t.of : undefined });
    });
    if (tenantSubjects.length === 0 || rbacDefault) return;
    const first = tenantSubjects[0];
    const who = listOf(tenantSubjects.map((t) => describeSubject(t.s)));
    if (cluster) {
      const secrets = rules ? secretReads(rules) : [];
      this.add(i, 'no-cluster-bindings-for-tenants', `binds tenant identit${tenantSubjects.length === 1 ? 'y' : 'ies'} ${who} to ${roleName} in every namespace${secrets.length > 0 ? ', Secrets included' : ''}`, ['subjects', first.j], first.of);
    } else if (ns !== undefined && this.platforms.has(ns)) {
      this.add(i, 'platform-out-of-tenant-reach', `binds tenant identit${tenantSubjects.length === 1 ? 'y' : 'ies'} ${who} to ${roleName} in platform namespace \`${ns}\``, ['subjects', first.j], first.of);
    }
    if (!rules) return;
    const stores = writesOf(grantedVerbs(rules, TRAEFIK_GROUPS, 'tlsstores')).length > 0;
    const options = writesOf(grantedVerbs(rules, TRAEFIK_GROUPS, 'tlsoptions')).length > 0;
    if (stores || options) push(this.tlsWriters, cluster ? '*' : ns ?? '', { bindingIndex: i, subject: first.s, tlsstores: stores, tlsoptions: options });
    if (!cluster && ns !== undefined && this.tenants.has(ns)) this.checkTenantPermissions(i, ns, rules, roleName);
  }

  /** What a RoleBinding inside a tenant namespace lets the tenant do there; each rule reported once per binding. */
  private checkTenantPermissions(i: number, ns: string, rules: readonly PolicyRule[], roleName: string): void {
    const at: FieldPath = ['roleRef'];
    if (!this.generated && rules.some(hasWildcard)) this.add(i, 'no-rbac-wildcard', `grants ${roleName}, whose rules use \`*\``, at);
    const rbac = describeWrites(rules, ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].map((res) => [[RBAC_GROUP], res] as const));
    const escalating = rules.flatMap((r) => r.verbs.filter((v) => ESCALATING_VERBS.includes(v)).map((v) => `${v} ${r.resources.join(',')}`));
    if (rbac.length > 0 || escalating.length > 0) {
      this.add(i, 'no-rbac-writes', `through ${roleName}, tenant identities may ${[...rbac, ...escalating].join('; ')}`, at);
    }
    const rails = describeWrites(rules, GUARD_RAILS);
    if (rails.length > 0) this.add(i, 'guard-rails-read-only', `through ${roleName}, tenant identities may ${rails.join('; ')}`, at);
    const secretWrites = writesOf(grantedVerbs(rules, [''], 'secrets'));
    if (secretWrites.length > 0 && this.secretsPolicy(ns) === 'read-only') {
      this.add(i, 'secrets-read-only', `through ${roleName}, tenant identities may ${secretWrites.join('/')} Secrets`, at);
    } else if (secretWrites.some((v) => v === 'delete' || v === 'deletecollection' || v === '*')) {
      this.add(i, 'secrets-no-delete', `through ${roleName}, tenant identities may delete Secrets`, at);
    }
  }

  private checkDefaultTlsWriters(): void {
    for (const i of this.defaultTls) {
      const o = this.objects[i];
      const ns = asString(o.metadata.namespace) ?? '';
      const field = o.kind === 'TLSStore' ? 'tlsstores' : 'tlsoptions';
      const writers = [...(this.tlsWriters.get(ns) ?? []), ...(this.tlsWriters.get('*') ?? [])].filter((w) => w[field]);
      if (writers.length === 0) continue;
      const shown = writers.slice(0, 3).map((w) => `${describeSubject(w.subject)} through ${ref(this.objects[w.bindingIndex])}`);
      this.add(i, 'default-tls-tenant-writable', `tenant identities may change this ${o.kind}: ${shown.join('; ')}${writers.length > 3 ? `; and ${writers.length - 3} more` : ''}`, ['metadata', 'name']);
    }
  }

  // ── Traefik ──────────────────────────────────────────────────────────────────────────

  private checkTraefik(o: Obj, i: number): void {
    const containers = traefikContainers(o);
    if (containers.length === 0) return;
    const ns = asString(o.metadata.namespace) ?? '';
    this.traefiks.push({ index: i, namespace: ns, serviceAccount: serviceAccountOf(o) });
    for (const c of containers) this.checkTraefikFlags(i, c);
  }

  /** A Traefik must watch its own tenant (and the platform namespace), never several tenants or all namespaces. */
  private checkTraefikFlags(i: number, c: TraefikContainer): void {
    const flags = c.flags;
    if (!hasProviderFlags(flags)) {
      this.add(i, 'traefik-config-not-checked', `container \`${c.name}\` sets no provider on its command line; its configuration file was not read`, c.path);
      return;
    }
    const crossFlag = flags.get('providers.kubernetescrd.allowcrossnamespace');
    const crdOn = providerEnabled(flags, 'kubernetescrd');
    if (crdOn && crossFlag?.value.toLowerCase() === 'true') {
      this.add(i, 'traefik-no-cross-namespace', `container \`${c.name}\` sets \`allowCrossNamespace=true\``, crossFlag.path);
    } else if (this.generated && crdOn && crossFlag?.value.toLowerCase() !== 'false') {
      this.add(i, 'traefik-no-cross-namespace', 'Traefik does not state allowCrossNamespace=false', crossFlag?.path ?? [...c.path, 'args']);
    }
    for (const provider of TRAEFIK_PROVIDERS) {
      if (!providerEnabled(flags, provider)) continue;
      const watched = watchedNamespaces(flags, provider);
      const flagPath = flags.get(`providers.${provider}.namespaces`)?.path ?? flags.get(`providers.${provider}`)?.path ?? [...c.path, 'args'];
      if (watched.length === 0) {
        this.add(i, 'traefik-scoped-providers', `the ${provider} provider of container \`${c.name}\` watches every namespace`, flagPath);
        continue;
      }
      const tenants = [...new Set(watched.filter((n) => this.tenants.has(n)))];
      if (tenants.length > 1) this.add(i, 'traefik-one-tenant', `the ${provider} provider watches several tenants: ${tenants.join(', ')}`, flagPath);
      if (this.generated && watched.some((n) => !this.platforms.has(n) && !this.tenants.has(n))) {
        this.add(i, 'traefik-watches-foreign-namespace', `the ${provider} provider watches a namespace that is neither a tenant's nor the platform's`, flagPath);
      }
    }
  }

  /** Traefik ServiceAccounts granted Secrets cluster-wide. */
  private checkTraefikSecrets(): void {
    const reported = new Set<number>();
    for (const t of this.traefiks) {
      for (const b of this.clusterBindingsBySubject.get(`sa:${t.namespace}/${t.serviceAccount}`) ?? []) {
        if (reported.has(b)) continue;
        const binding = this.objects[b];
        const rules = this.resolveRole(asRecord(binding.roleRef), undefined);
        const verbs = rules ? secretReads(rules) : [];
        if (verbs.length === 0) continue;
        reported.add(b);
        const j = asArray(binding.subjects).findIndex((raw) => subjectOf(raw, undefined).key === `sa:${t.namespace}/${t.serviceAccount}`);
        this.add(b, 'traefik-cluster-secrets',
          `gives ServiceAccount ${t.namespace}/${t.serviceAccount} of ${ref(this.objects[t.index])} ${verbs.join('/')} on Secrets in every namespace through ClusterRole \`${asString(asRecord(binding.roleRef).name) ?? '?'}\``,
          ['subjects', Math.max(j, 0)]);
      }
    }
  }

  // ── Pods (generated output) ──────────────────────────────────────────────────────────

  private checkPodTemplate(o: Obj, i: number): void {
    const pod = podSpecOf(o) ?? {};
    const base: FieldPath = ['spec', 'template', 'spec'];
    const podSc = asRecord(pod.securityContext);
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC) this.add(i, 'no-host-namespaces', 'pod shares a host namespace', base);
    if (asArray(pod.volumes).some((v) => asRecord(v).hostPath)) this.add(i, 'no-host-path', 'pod mounts a hostPath', [...base, 'volumes']);
    asArray(pod.containers).forEach((raw, k) => {
      const c = asRecord(raw);
      const name = asString(c.name) ?? `#${k}`;
      const path: FieldPath = [...base, 'containers', k];
      const sc = asRecord(c.securityContext);
      if (sc.privileged) this.add(i, 'no-privileged', `container \`${name}\` is privileged`, path);
      if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) this.add(i, 'run-as-non-root', `container \`${name}\` may run as root`, path);
      if (sc.allowPrivilegeEscalation !== false) this.add(i, 'no-privilege-escalation', `container \`${name}\` allows privilege escalation`, path);
      if (!asStrings(asRecord(sc.capabilities).drop).includes('ALL')) this.add(i, 'drop-all-capabilities', `container \`${name}\` keeps Linux capabilities`, path);
      if (asRecord(sc.seccompProfile ?? podSc.seccompProfile).type !== 'RuntimeDefault') this.add(i, 'seccomp-runtime-default', `container \`${name}\` has no RuntimeDefault seccomp profile`, path);
    });
  }

  // ── Tenant namespaces ────────────────────────────────────────────────────────────────

  private checkTenantNamespaces(): void {
    const withoutObject: string[] = [];
    const empty: string[] = [];
    for (const ns of [...this.tenants].sort()) {
      const f = this.namespaces.get(ns);
      const anchor = f?.namespaceIndex ?? f?.firstIndex;
      if (f === undefined || anchor === undefined) {
        empty.push(ns);
        continue;
      }
      const own = f.namespaceIndex !== undefined;
      if (!own) withoutObject.push(ns);
      const where = own ? '' : ` (the input has no Namespace object for \`${ns}\`; first object in it)`;
      if (own) {
        const labels = asStringMap(this.objects[anchor].metadata.labels);
        const enforce = labels[POD_SECURITY_ENFORCE];
        if (enforce !== 'restricted' && enforce !== 'baseline') {
          const path: FieldPath = enforce !== undefined ? ['metadata', 'labels', POD_SECURITY_ENFORCE] : ['metadata', 'name'];
          this.add(anchor, 'pod-security-labels', `Pod Security enforce is \`${enforce ?? 'unset'}\` on tenant namespace \`${ns}\``, path, ns);
        }
      }
      const path: FieldPath = own ? ['metadata', 'name'] : [];
      if (!f.quota) this.add(anchor, 'resource-quota', `tenant namespace \`${ns}\` has no ResourceQuota${where}`, path, ns);
      if (!f.limitRange) this.add(anchor, 'limit-range', `tenant namespace \`${ns}\` has no LimitRange${where}`, path, ns);
      if (!f.denyIngress || !f.denyEgress) {
        const missing = [!f.denyIngress && 'Ingress', !f.denyEgress && 'Egress'].filter(Boolean).join(' and ');
        this.add(anchor, 'default-deny-network-policy', `tenant namespace \`${ns}\` has no default-deny NetworkPolicy for ${missing}${where}`, path, ns);
      }
    }
    if (!this.generated && withoutObject.length > 0) {
      this.notes.push(`No Namespace object in the input for tenant namespace${withoutObject.length === 1 ? '' : 's'} ${listOf(withoutObject)}: Pod Security labels were not checked.`);
    }
    if (!this.generated && empty.length > 0) {
      this.notes.push(`Tenant namespace${empty.length === 1 ? '' : 's'} ${listOf(empty)} ha${empty.length === 1 ? 's' : 've'} no object in the input and ${empty.length === 1 ? 'was' : 'were'} not checked.`);
    }
  }
}

/** Whether a NetworkPolicy denies all ingress or all egress of every pod in its namespace. */
function denies(o: Obj): { ingress: boolean; egress: boolean } {
  const spec = asRecord(o.spec);
  const selector = asRecord(spec.podSelector);
  const selectsAll = spec.podSelector !== undefined && Object.keys(selector).every((k) => {
    const v = selector[k];
    return v === null || (Array.isArray(v) ? v.length === 0 : Object.keys(asRecord(v)).length === 0);
  });
  if (!selectsAll) return { ingress: false, egress: false };
  const types = spec.policyTypes !== undefined ? asStrings(spec.policyTypes) : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
  return {
    ingress: types.includes('Ingress') && asArray(spec.ingress).length === 0,
    egress: types.includes('Egress') && asArray(spec.egress).length === 0,
  };
}

/** Compiled matcher-call patterns of `hostsInRule`, by matcher name. */
const MATCHER_CALLS = new Map<string, RegExp>();

/** Hosts named in a Traefik rule: `Host(`a`, `b`) || Host(`c`)` → a, b, c; catch-all `*` left out. */
export function hostsInRule(match: string, fn = 'Host(?:Header)?'): string[] {
  let calls = MATCHER_CALLS.get(fn);
  if (!calls) MATCHER_CALLS.set(fn, (calls = new RegExp(`\\b${fn}\\s*\\(([^)]*)\\)`, 'g')));
  const hosts: string[] = [];
  // matchAll works on a copy of the global regex, so sharing one is safe.
  for (const call of match.matchAll(calls)) {
    for (const arg of call[1].matchAll(/[`"']([^`"']+)[`"']/g)) if (arg[1] !== '*') hosts.push(arg[1]);
  }
  return hosts;
}

/** DNS names of the certificate in a Secret's `tls.crt` (the leaf: subject alternative names, then common name). */
function certificateNames(o: Obj): string[] {
  const data = asString(asRecord(o.data)['tls.crt']);
  const pem = data !== undefined ? Buffer.from(data, 'base64').toString('utf8') : asString(asRecord(o.stringData)['tls.crt']);
  if (!pem || !pem.includes('BEGIN CERTIFICATE')) return [];
  try {
    const cert = new X509Certificate(pem);
    const sans = (cert.subjectAltName ?? '').split(',').map((s) => s.trim()).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
    return [...sans, ...(cn ? [cn] : [])];
  } catch {
    return [];
  }
}

function describeOpen(s: SyncInstruction): string | undefined {
  if (s.everywhere) return 'every namespace, including tenants created later';
  const parts: string[] = [];
  if (s.patterns.length > 0) parts.push(`every namespace matching ${s.patterns.map((p) => `\`${p}\``).join(', ')}`);
  if (s.selector !== undefined) parts.push(`every namespace labelled \`${s.selector}\``);
  return parts.length > 0 ? `${parts.join(' and ')}, including tenants created later` : undefined;
}

function listOf(items: readonly string[]): string {
  const quoted = items.map((i) => (i.includes(' ') ? i : `\`${i}\``));
  return quoted.length <= 5 ? quoted.join(', ') : `${quoted.slice(0, 5).join(', ')} and ${quoted.length - 5} more`;
}

/** `verbs resource` for each resource the rules let someone write, e.g. `create/update roles`. */
function describeWrites(rules: readonly PolicyRule[], resources: ReadonlyArray<readonly [groups: readonly string[], resource: string]>): string[] {
  return resources.flatMap(([groups, res]) => {
    const w = writesOf(grantedVerbs(rules, groups, res));
    return w.length > 0 ? [`${w.join('/')} ${res}`] : [];
  });
}

/** The read verbs the rules grant on core Secrets. */
function secretReads(rules: readonly PolicyRule[]): string[] {
  return [...grantedVerbs(rules, [''], 'secrets')].filter((v) => READ_VERBS.has(v));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
