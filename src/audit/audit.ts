/**
 * `tenancy audit` without the command line: manifests in, located findings out. Reads the
 * manifests, works out tenants and platform, runs the policy rules (the ones the generator's
 * self-check runs) and gives every finding its file, line and column, why and fix.
 */
import { runChecks, threatById } from '../threats';
import { SecretsPolicy } from '../threats/detect/engine';
import { Severity, SEVERITIES } from '../threats/threat';
import { ManifestSet, NotAudited, SkippedDocument, SourceLocation } from './read-manifests';
import { discoverTenants, TenantScope, TenantSource } from './tenants';

export interface AuditOptions {
  /** Which namespaces are tenants. @default - namespaces labelled `tenancy.cdk8s.io/tenant`, else none (the audit does not guess) */
  readonly tenants?: TenantSource;
  /** What tenants may do with Secrets. @default 'manage' — writes allowed, `delete` reported */
  readonly secrets?: SecretsPolicy;
}

/** A finding with everything a reader needs: where, what, why, how to fix. */
export interface AuditFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  /** The tenant namespace it concerns; absent for the platform and cluster-wide objects. */
  readonly tenant?: string;
  readonly object: { readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly location: SourceLocation;
  readonly message: string;
  readonly why: string;
  readonly fix: string;
}

export interface AuditResult {
  /** Worst first, then by file and line. */
  readonly findings: AuditFinding[];
  readonly scope: TenantScope;
  readonly secrets: SecretsPolicy;
  readonly files: readonly string[];
  readonly objectCount: number;
  readonly skipped: readonly SkippedDocument[];
  /** Files whose manifests were not read at all (a template that cannot be rendered, a chart archive), and why. */
  readonly notAudited: readonly NotAudited[];
  /** Helm chart folders rendered with their values.yaml before the audit. */
  readonly charts: readonly string[];
  /** Chart archives left out as the same chart as a folder beside them. */
  readonly packaged: readonly string[];
  /** What could not be judged. */
  readonly notes: readonly string[];
}

/** The note of an audit whose input names no tenant. */
export const NOT_NAMED_NOTE = 'No tenant was named (no --tenant-namespaces, no --tenants-from, and no Namespace labelled `tenancy.cdk8s.io/tenant`), and the audit does not guess which namespaces are tenants: only the rules that need no tenant boundary ran (cluster-wide bindings of everyone, Traefik\'s flags and RBAC, platform namespaces, ClusterIssuers, Secret copies to every namespace…); nothing was judged as one tenant reaching another.';

export function auditManifests(set: ManifestSet, options: AuditOptions = {}): AuditResult {
  const objects = set.objects.map((m) => m.object);
  const scope = discoverTenants(objects, options.tenants);
  const secrets = options.secrets ?? 'manage';
  const { findings, notes } = runChecks(objects, {
    tenantNamespaces: scope.tenantNamespaces,
    platformNamespaces: scope.platformNamespaces,
    secrets,
    profile: 'audit',
  });
  const located: AuditFinding[] = findings.map((f) => {
    const m = set.objects[f.objectIndex];
    const info = threatById(f.rule);
    const meta = m.object.metadata;
    return {
      rule: f.rule,
      severity: f.severity,
      title: info.title,
      tenant: f.tenant,
      object: { kind: m.object.kind, ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}), name: meta.name },
      location: m.locate(f.path),
      message: f.message,
      why: info.why,
      fix: info.fix,
    };
  });
  const rank = (f: AuditFinding) => SEVERITIES.indexOf(f.severity);
  located.sort((a, b) => rank(a) - rank(b) || compareLocations(a.location, b.location) || a.rule.localeCompare(b.rule));
  const allNotes = [...notes];
  if (!scope.named) {
    allNotes.unshift(`${NOT_NAMED_NOTE} Name the tenants with --tenant-namespaces a,b or --tenants-from label=KEY.`);
  } else if (scope.tenantNamespaces.size === 0) {
    allNotes.unshift('No tenant namespace was found, so only the rules that need no tenant boundary ran — name them with --tenant-namespaces or --tenants-from label=KEY.');
  }
  return {
    findings: located, scope, secrets, files: set.files, objectCount: objects.length, skipped: set.skipped,
    notAudited: set.notAudited ?? [], charts: set.charts ?? [], packaged: set.packaged ?? [], notes: allNotes,
  };
}

/** Findings at or above `threshold`. */
export function failing(result: AuditResult, threshold: Severity): AuditFinding[] {
  return result.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(threshold));
}

function compareLocations(a: SourceLocation, b: SourceLocation): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col;
}
