/**
 * The audit's findings for people (text, grouped by tenant, worst first), for programs (JSON)
 * and for CI code scanning (SARIF 2.1.0).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { auditThreats } from '../threats';
import { Severity, SEVERITIES, Threat } from '../threats/threat';
import { AuditFinding, AuditResult, failing } from './audit';

export const REPORT_FORMATS = ['text', 'json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  /** The threshold of the exit status, stated in the summary. */
  readonly failOn: Severity;
  /** Folder SARIF URIs are made relative to. @default process.cwd() */
  readonly cwd?: string;
}

export function formatReport(result: AuditResult, format: ReportFormat, options: ReportOptions): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(result, options), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
    default:
      return toText(result, options);
  }
}

const PLATFORM_GROUP = 'Platform and cluster-wide';

function counts(findings: readonly AuditFinding[]): Record<Severity, number> {
  const c = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function countsPhrase(findings: readonly AuditFinding[]): string {
  const c = counts(findings);
  return SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`).join(', ');
}

const at = (f: AuditFinding) => `${f.location.file}:${f.location.line}:${f.location.col}`;
const objectRef = (f: AuditFinding) => `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Findings by tenant (platform last among equals), the group with the worst findings first. */
function groups(findings: readonly AuditFinding[]): Array<[string, AuditFinding[]]> {
  const byTenant = new Map<string, AuditFinding[]>();
  for (const f of findings) {
    const key = f.tenant ? `Tenant ${f.tenant}` : PLATFORM_GROUP;
    const list = byTenant.get(key) ?? [];
    list.push(f);
    byTenant.set(key, list);
  }
  // Each group's counts by severity, worked out once rather than on every comparison.
  const weight = new Map([...byTenant].map(([name, list]) => {
    const c = counts(list);
    return [name, SEVERITIES.map((s) => c[s])];
  }));
  return [...byTenant].sort(([aName], [bName]) => {
    const wa = weight.get(aName)!;
    const wb = weight.get(bName)!;
    for (let k = 0; k < wa.length; k++) if (wa[k] !== wb[k]) return wb[k] - wa[k];
    return aName.localeCompare(bName);
  });
}

function toText(result: AuditResult, options: ReportOptions): string {
  const lines: string[] = [];
  const scope = result.scope;
  const tenants = [...scope.tenantNamespaces];
  lines.push(`tenancy audit: ${plural(result.files.length, 'file')}, ${plural(result.objectCount, 'object')}${result.skipped.length > 0 ? `, ${plural(result.skipped.length, 'document')} skipped` : ''}${result.notAudited.length > 0 ? `, ${plural(result.notAudited.length, 'file')} NOT AUDITED` : ''}`);
  if (result.charts.length > 0) lines.push(`Helm charts rendered with their values.yaml, then audited: ${result.charts.join(', ')}`);
  if (result.packaged.length > 0) lines.push(`Chart archives left out, each the same chart as the folder beside it: ${result.packaged.map((f) => path.basename(f)).join(', ')}`);
  lines.push(`Tenants (${tenants.length}; ${scope.how}): ${tenants.length > 0 ? tenants.join(', ') : 'none'}`);
  lines.push(`Platform namespaces (running Traefik): ${scope.platformNamespaces.size > 0 ? [...scope.platformNamespaces].join(', ') : 'none found'}`);
  lines.push(`Secrets policy: ${result.secrets === 'manage' ? 'manage — tenants may write Secrets, not delete them (--secrets read-only reports every write)' : 'read-only — tenants may only read Secrets'}`);
  lines.push('');
  const fails = failing(result, options.failOn).length;
  if (result.findings.length === 0) {
    lines.push(result.notAudited.length > 0 ? `No findings in what was audited; ${plural(result.notAudited.length, 'file')} could not be audited (listed below).` : 'No findings.');
  } else {
    lines.push(`${plural(result.findings.length, 'finding')}: ${countsPhrase(result.findings)}. ${fails} at or above --fail-on ${options.failOn}.`);
    for (const [name, list] of groups(result.findings)) {
      lines.push('', `== ${name}: ${countsPhrase(list)} ==`);
      for (const f of list) {
        lines.push(
          '',
          `${f.severity.toUpperCase()}  ${f.rule}  ${f.title}`,
          `  ${objectRef(f)}  at ${at(f)}`,
          `  ${f.message}`,
          `  Why: ${f.why}`,
          `  Fix: ${f.fix}`,
        );
      }
    }
  }
  if (result.notAudited.length > 0) {
    lines.push('', `Not audited: ${plural(result.notAudited.length, 'file')} whose manifests were not read:`);
    for (const n of result.notAudited) lines.push(`  ${n.file}: ${n.reason}`);
  }
  const unreadable = result.skipped.filter((s) => s.unreadable);
  const other = result.skipped.filter((s) => !s.unreadable);
  if (unreadable.length > 0) {
    lines.push('', `Could not read ${plural(unreadable.length, 'document')} (exit 2: fix ${unreadable.length === 1 ? 'it' : 'them'}; what cannot be read cannot be audited):`);
    for (const s of unreadable) lines.push(`  ${s.file}:${s.line}:${s.col}: ${s.reason}`);
  }
  if (other.length > 0) {
    const one = other.length === 1;
    lines.push('', `Skipped ${plural(other.length, 'document')} that ${one ? 'is not a Kubernetes object' : 'are not Kubernetes objects'}:`);
    for (const s of other) lines.push(`  ${s.file}:${s.line}:${s.col}: ${s.reason}`);
  }
  if (result.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const n of result.notes) lines.push(`  - ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

function toJson(result: AuditResult, options: ReportOptions): unknown {
  return {
    summary: {
      files: result.files.length,
      objects: result.objectCount,
      skipped: result.skipped.length,
      notAudited: result.notAudited.length,
      findings: result.findings.length,
      bySeverity: counts(result.findings),
      failOn: options.failOn,
      failing: failing(result, options.failOn).length,
    },
    tenants: [...result.scope.tenantNamespaces],
    tenantsFrom: result.scope.how,
    tenantsNamed: result.scope.named,
    platformNamespaces: [...result.scope.platformNamespaces],
    secrets: result.secrets,
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      title: f.title,
      tenant: f.tenant ?? null,
      object: f.object,
      file: f.location.file,
      line: f.location.line,
      col: f.location.col,
      message: f.message,
      why: f.why,
      fix: f.fix,
    })),
    skipped: result.skipped,
    notAudited: result.notAudited,
    charts: result.charts,
    packaged: result.packaged,
    notes: result.notes,
  };
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

function sarifRule(r: Threat) {
  return {
    id: r.id,
    name: r.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title.replace(/`/g, '') },
    fullDescription: { text: r.why },
    help: { text: `${r.why}\nFix: ${r.fix}`, markdown: `${r.why}\n\n**Fix:** ${r.fix}` },
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { tags: ['security', 'multi-tenancy', 'kubernetes'], 'security-severity': SECURITY_SEVERITY[r.severity], precision: 'high' },
  };
}

/** A file as SARIF wants it: relative to the checkout (`%SRCROOT%`, forward slashes), else a `file:` URI. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (file === '<stdin>') return { uri: 'stdin' };
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(abs).href };
}

function toSarif(result: AuditResult, options: ReportOptions): unknown {
  const cwd = options.cwd ?? process.cwd();
  const rules = auditThreats();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-tenancy audit',
          rules: rules.map(sarifRule),
        },
      },
      results: result.findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: ruleIndex.get(f.rule),
        level: SARIF_LEVEL[f.severity],
        message: { text: `${objectRef(f)}: ${f.message}` },
        locations: [{
          physicalLocation: {
            artifactLocation: artifactLocation(f.location.file, cwd),
            region: { startLine: f.location.line, startColumn: f.location.col },
          },
          logicalLocations: [{ name: f.object.name, fullyQualifiedName: objectRef(f), kind: 'resource' }],
        }],
        properties: { severity: f.severity, tenant: f.tenant ?? null, fix: f.fix },
      })),
      // Documents the audit could not read (the run fails, exit 2), files it could not render,
      // then what it could not judge (no tenant named, roles missing…): a run that skipped part
      // of its input says so.
      invocations: [{
        executionSuccessful: !result.skipped.some((d) => d.unreadable),
        toolExecutionNotifications: [
          ...result.skipped.filter((d) => d.unreadable).map((d) => ({
            level: 'error',
            descriptor: { id: 'unreadable' },
            message: { text: `Could not read: ${d.reason}` },
            locations: [{ physicalLocation: { artifactLocation: artifactLocation(d.file, cwd), region: { startLine: d.line, startColumn: d.col } } }],
          })),
          ...result.notAudited.map((n) => ({
            level: 'warning',
            descriptor: { id: 'not-audited' },
            message: { text: `Not audited: ${n.reason}` },
            locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file, cwd) } }],
          })),
          ...result.notes.map((text) => ({ level: 'note', descriptor: { id: 'audit-note' }, message: { text } })),
        ],
      }],
      // Columns count UTF-16 code units, as JavaScript strings (and the YAML parser) do.
      columnKind: 'utf16CodeUnits',
    }],
  };
}
