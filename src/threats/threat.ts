/**
 * The shape of a catalogue entry. A threat is one way a tenant could reach another tenant or
 * the platform (or one way the setup breaks), said once: its words (title, why, fix) and the
 * enforcers that stop it at each layer. A layer without an enforcer says why in `none(...)`,
 * so the table test (test/threats/catalogue.test.ts) can tell a decision from an omission.
 *
 * Layers, in the order data meets them:
 * - `spec`: the spec reader refuses the value, at its file, line and column;
 * - `construct`: the constructs refuse the same props with the same words (`RefusedPropError`);
 * - `values`: a Helm chart's `values.schema.json` (or a template `fail`) refuses the value;
 * - `admission`: CEL that the cluster runs on tenants' objects (ValidatingAdmissionPolicy,
 *   Kyverno, Gatekeeper: one source, three renderings);
 * - `audit`: a detector that finds the threat in manifests this tool did not write (and in its
 *   own output, before it is written).
 */
import { Detector } from './detect/engine';
import type { Ceilings } from './resources';

/** How bad a breach is, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Whether `severity` is at least as bad as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** The families, one file each under src/threats/. */
export type ThreatFamily = 'namespaces' | 'rbac' | 'pods' | 'network' | 'traefik' | 'gateway' | 'certificates' | 'secrets' | 'gitops' | 'resources' | 'vcluster';

/** A layer that does not enforce the threat, and why (e.g. "not a chart value"). */
export interface NoEnforcer {
  readonly none: string;
}

/** Says why a layer has no enforcer. */
export function none(reason: string): NoEnforcer {
  return { none: reason };
}

export function isEnforced<T extends object>(layer: T | NoEnforcer): layer is T {
  return !('none' in layer);
}

/**
 * A refusal check: the message (what is wrong — what to do), or `undefined` when the value is
 * fine. The spec and the constructs call the same function, so both say the same words.
 */
export type Check<V, C = void> = (value: V, context: C) => string | undefined;

/** The spec fields a threat's check judges, as documentation paths (`tenants[].podSecurity`). */
export interface SpecEnforcer {
  readonly fields: readonly string[];
}

/** The construct props that call the same check (`ScopedTraefik.replicas`). */
export interface ConstructEnforcer {
  readonly props: readonly string[];
}

/**
 * Where a chart value is refused: a JSON Schema fragment merged into `values.schema.json` at
 * `key`, and/or a template guard (Go template text that calls `fail` with the same words) for
 * what JSON Schema cannot say.
 */
export interface ValuesEnforcer {
  /** Dotted key of the value, e.g. `traefik.image`. */
  readonly key: string;
  /**
   * The JSON Schema fragment, given the platform's ceilings (`platform.ceilings`, resolved) and
   * what else of the platform a chart's values are judged by (absent where no chart is at hand,
   * e.g. the spec's JSON Schema).
   */
  readonly schema?: (ceilings: Ceilings, platform?: ValuesPlatform) => Readonly<Record<string, unknown>>;
  /** Go template text evaluated with the chart's values; it calls `fail` when the value is refused. */
  readonly template?: (ceilings: Ceilings) => string;
}

/** What of the platform a tenant chart's values are judged by, beside its ceilings. */
export interface ValuesPlatform {
  /** `platform.priorityClasses`: the classes a tenant's Traefik may use; absent when the platform lists none. */
  readonly priorityClasses?: readonly string[];
}

/** One CEL validation, for one of the shared admission policies (see src/admission/policies.ts). */
export interface AdmissionValidation {
  /** Name of the policy (`tenancy-certificates`, …) the validation belongs to. */
  readonly policy: string;
  readonly expression: string;
  readonly message: string;
  /** A message naming the offending values; Kubernetes falls back to `message` if it fails. */
  readonly messageExpression?: string;
}

export interface AdmissionEnforcer {
  readonly validations: readonly AdmissionValidation[];
}

/**
 * Which inputs a detector judges. `all`: manifests of any origin (the audit) and the
 * generator's output. `generated`: only the generator's output, where the detector checks a
 * promise of this tool (every Deployment hardened, one host per Certificate…) that foreign
 * clusters need not keep.
 */
export type AuditScope = 'all' | 'generated';

export interface AuditEnforcer {
  readonly scope: AuditScope;
  /** What the detector looks for in manifests, for the audit's docs. */
  readonly looksFor: string;
  readonly detect: Detector;
}

export interface Threat {
  /** Stable id: findings, SARIF rules and docs anchors use it. */
  readonly id: string;
  readonly family: ThreatFamily;
  readonly severity: Severity;
  /** A short name, as a heading. */
  readonly title: string;
  /** The concrete attack or breakage. */
  readonly why: string;
  /** What to do instead. */
  readonly fix: string;
  readonly spec: SpecEnforcer | NoEnforcer;
  readonly construct: ConstructEnforcer | NoEnforcer;
  readonly values: readonly ValuesEnforcer[] | NoEnforcer;
  readonly admission: AdmissionEnforcer | NoEnforcer;
  readonly audit: AuditEnforcer | NoEnforcer;
}

/** The five layers, in the order data meets them. */
export const LAYERS = ['spec', 'construct', 'values', 'admission', 'audit'] as const;
export type Layer = (typeof LAYERS)[number];
