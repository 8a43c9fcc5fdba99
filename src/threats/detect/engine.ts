/**
 * Runs the catalogue's detectors over Kubernetes objects: the generator's self-check before
 * writing, and `tenancy audit` over manifests of any origin, call this.
 *
 * Cost is linear in the number of objects: one pass builds the shared index (namespaces,
 * roles, bindings, Traefik instances, claimed hosts), a second hands each object to the
 * detectors that asked for its kind, then each detector finishes with what it gathered.
 */
import type { AuditScope, Severity, Threat } from '../threat';
import { SEVERITIES } from '../threat';
import { ManifestIndex } from './manifest-index';
import { asString, FieldPath } from './values';

/** The least a detector needs to know of an object. */
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
  /** The threat's id. */
  readonly rule: string;
  readonly severity: Severity;
  /** `Kind namespace/name` of the offending object. */
  readonly object: string;
  readonly message: string;
  /** Position of the offending object in the list given to `runDetectors`. */
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
   * `generated` judges this tool's own output and adds the detectors of scope `generated`
   * (every Deployment hardened, no ClusterIssuer…); `audit` judges manifests of any origin.
   * @default 'generated'
   */
  readonly profile?: 'generated' | 'audit';
}

export interface CheckResult {
  /** Worst first, then in input order. */
  readonly findings: Finding[];
  /** What the detectors could not judge, in sentences (roles missing from the input, …). */
  readonly notes: string[];
}

/** What a detector sees of one run. */
export interface DetectorRun {
  readonly objects: readonly KubeObjectLike[];
  readonly index: ManifestIndex;
  /** True when judging the generator's own output. */
  readonly generated: boolean;
  readonly tenants: ReadonlySet<string>;
  readonly platforms: ReadonlySet<string>;
  secretsPolicy(namespace: string): SecretsPolicy;
  /** Reports the threat on object `objectIndex` (at `path` inside it). */
  report(objectIndex: number, message: string, path?: FieldPath, tenant?: string): void;
  /** Adds a sentence on what could not be judged. */
  note(text: string): void;
}

/** One detector's work in a run: the kinds it visits (all when absent), and what it does at the end. */
export interface DetectorPass {
  readonly kinds?: readonly string[];
  visit?(o: KubeObjectLike, index: number): void;
  finish?(): void;
}

/** Makes a detector's pass for one run; state kept between visits lives in the closure. */
export type Detector = (run: DetectorRun) => DetectorPass;

/** Whether a detector of `scope` judges inputs of `profile`. */
export function judges(scope: AuditScope, profile: 'generated' | 'audit'): boolean {
  return scope === 'all' || profile === 'generated';
}

/** Runs the audit detectors of `threats` over `objects`; answers with the findings, worst first, and notes. */
export function runDetectors(objects: readonly KubeObjectLike[], ctx: CheckContext, threats: readonly Threat[]): CheckResult {
  const profile = ctx.profile ?? 'generated';
  const platforms = new Set(ctx.platformNamespaces ?? []);
  if (ctx.platformNamespace !== undefined) platforms.add(ctx.platformNamespace);
  const generated = profile === 'generated';
  const index = new ManifestIndex(objects, ctx.tenantNamespaces, platforms, generated);
  const findings: Finding[] = [];
  const notes: string[] = [...index.notes()];
  const secrets = ctx.secrets ?? 'manage';

  const byKind = new Map<string, DetectorPass[]>();
  const everyKind: DetectorPass[] = [];
  const passes: DetectorPass[] = [];
  for (const threat of threats) {
    const audit = threat.audit;
    if ('none' in audit || !judges(audit.scope, profile)) continue;
    const pass = audit.detect({
      objects,
      index,
      generated,
      tenants: ctx.tenantNamespaces,
      platforms,
      secretsPolicy: (ns) => (typeof secrets === 'function' ? secrets(ns) : secrets),
      report: (objectIndex, message, path = [], tenant) => {
        const o = objects[objectIndex];
        findings.push({
          rule: threat.id,
          severity: threat.severity,
          object: objectRef(o),
          message,
          objectIndex,
          path,
          tenant: tenant ?? index.tenantOf(o),
        });
      },
      note: (text) => notes.push(text),
    });
    passes.push(pass);
    if (!pass.visit) continue;
    if (!pass.kinds) everyKind.push(pass);
    else for (const kind of pass.kinds) push(byKind, kind, pass);
  }

  objects.forEach((o, i) => {
    for (const pass of everyKind) pass.visit!(o, i);
    for (const pass of byKind.get(o.kind) ?? []) pass.visit!(o, i);
  });
  for (const pass of passes) pass.finish?.();

  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  findings.sort((a, b) => rank(a) - rank(b) || a.objectIndex - b.objectIndex || a.path.join('.').localeCompare(b.path.join('.')));
  return { findings, notes };
}

/** `Kind namespace/name`. */
export function objectRef(o: KubeObjectLike): string {
  const ns = asString(o.metadata?.namespace);
  return `${o.kind} ${ns ? `${ns}/` : ''}${asString(o.metadata?.name) ?? '?'}`;
}

/** `a`, `b`, … at most five, then `and N more`; names with spaces are left unquoted. */
export function listOf(items: readonly string[]): string {
  const quoted = items.map((i) => (i.includes(' ') ? i : `\`${i}\``));
  return quoted.length <= 5 ? quoted.join(', ') : `${quoted.slice(0, 5).join(', ')} and ${quoted.length - 5} more`;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
