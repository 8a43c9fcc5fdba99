import * as fs from 'fs';
import { auditManifests, failing } from '../audit/audit';
import { ManifestPathError, readManifests } from '../audit/read-manifests';
import { formatReport, REPORT_FORMATS, ReportFormat } from '../audit/report';
import { TenantSource } from '../audit/tenants';
import { SecretsPolicy } from '../threats/detect/engine';
import { Severity, SEVERITIES } from '../threats/threat';
import { InputError, parseFlags, UsageError } from './usage';

export interface AuditCliOptions {
  readonly paths: readonly string[];
  readonly tenants?: TenantSource;
  readonly format: ReportFormat;
  readonly failOn: Severity;
  readonly secrets: SecretsPolicy;
}

const SECRETS_POLICIES: readonly SecretsPolicy[] = ['read-only', 'manage'];

/** Flags → options; one line per option (flag ?? default). */
export function parseAuditArgs(argv: string[]): AuditCliOptions {
  const { values, positionals } = parseFlags('audit', {
    args: argv,
    options: {
      'tenants-from': { type: 'string' },
      'tenant-namespaces': { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      secrets: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('`audit` needs at least one file or folder of manifests (or `-` for standard input)');
  if (values['tenants-from'] !== undefined && values['tenant-namespaces'] !== undefined) {
    throw new UsageError('--tenants-from and --tenant-namespaces do not go together — drop one of them');
  }
  return {
    paths: positionals,
    tenants: tenantSource(values['tenants-from'], values['tenant-namespaces']),
    format: oneOf('--format', values.format ?? 'text', REPORT_FORMATS),
    failOn: oneOf('--fail-on', values['fail-on'] ?? 'high', SEVERITIES),
    secrets: oneOf('--secrets', values.secrets ?? 'manage', SECRETS_POLICIES),
  };
}

function tenantSource(from: string | undefined, list: string | undefined): TenantSource | undefined {
  if (list !== undefined) {
    const namespaces = list.split(',').map((s) => s.trim()).filter(Boolean);
    if (namespaces.length === 0) throw new UsageError('--tenant-namespaces names no namespace — give a comma-separated list, e.g. `--tenant-namespaces shop,blog`');
    return { kind: 'list', namespaces };
  }
  if (from === undefined) return undefined;
  const m = from.match(/^label=(.+)$/);
  if (!m) throw new UsageError(`--tenants-from \`${from}\` is not understood — write \`--tenants-from label=KEY\`, e.g. \`--tenants-from label=team\``);
  return { kind: 'label', key: m[1].trim() };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} \`${value}\` is not one of ${allowed.join(', ')}`);
}

/**
 * Audits the manifests; answers with the exit status: 2 when a document could not be read (a
 * gate must not pass on what it could not judge), else 1 when a finding reaches --fail-on.
 */
export function runAudit(options: AuditCliOptions, print: (text: string) => void, stdin: () => string = () => fs.readFileSync(0, 'utf8')): number {
  let set;
  try {
    set = readManifests(options.paths, stdin);
  } catch (err) {
    if (err instanceof ManifestPathError) throw new InputError(err.message);
    throw err;
  }
  const result = auditManifests(set, { tenants: options.tenants, secrets: options.secrets });
  print(formatReport(result, options.format, { failOn: options.failOn }));
  if (result.skipped.some((s) => s.unreadable)) return 2;
  return failing(result, options.failOn).length > 0 ? 1 : 0;
}
