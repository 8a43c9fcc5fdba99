/**
 * The catalogue as documentation: docs/threats.md, the README's list of refusals and the rule
 * table of docs/audit.md are rendered from it (`npm run docs`), and a test keeps them current.
 */
import { auditThreats, THREATS } from '.';
import { isEnforced, Layer, LAYERS, Threat, ThreatFamily } from './threat';

const LAYER_NAMES: Record<Layer, string> = {
  spec: 'spec',
  construct: 'constructs',
  values: 'Helm values',
  admission: 'admission',
  audit: 'audit',
};

const FAMILY_NAMES: Record<ThreatFamily, string> = {
  namespaces: 'Namespaces',
  rbac: 'RBAC',
  pods: 'Pods',
  network: 'Network',
  traefik: 'Traefik',
  gateway: 'Gateway API',
  secrets: 'Secrets',
  certificates: 'Hosts and certificates',
  gitops: 'GitOps delivery',
  resources: 'Resources',
  vcluster: 'Virtual clusters',
};

/** What a layer does about a threat, in a phrase. */
export function enforcement(threat: Threat, layer: Layer): string {
  const entry = threat[layer];
  if (!isEnforced(entry)) return `— ${entry.none}`;
  switch (layer) {
    case 'spec':
      return `refuses ${(entry as { fields: readonly string[] }).fields.map(code).join(', ')}`;
    case 'construct':
      return `refuses ${(entry as { props: readonly string[] }).props.map(code).join(', ')}`;
    case 'values':
      return (entry as ReadonlyArray<{ key: string; schema?: object; template?: string }>)
        .map((v) => `${code(v.key)}: ${[v.schema ? '`values.schema.json`' : '', v.template ? 'a template `fail`' : ''].filter(Boolean).join(' and ')}`)
        .join('; ');
    case 'admission': {
      const policies = [...new Set((entry as { validations: ReadonlyArray<{ policy: string }> }).validations.map((v) => v.policy))];
      return `denies in ${policies.map(code).join(', ')}`;
    }
    case 'audit': {
      const audit = entry as { scope: string; looksFor: string };
      return `${audit.scope === 'generated' ? '(the generator\'s output only) ' : ''}${audit.looksFor}`;
    }
    default:
      return '';
  }
}

/** docs/threats.md, whole. */
export function threatsMarkdown(): string {
  const lines = [
    '# The threat catalogue',
    '',
    '<!-- Generated from src/threats/ by `npm run docs`; do not edit. -->',
    '',
    'Every way this tool knows for a tenant to reach another tenant or the platform — or for the',
    'setup to break — is one entry of the catalogue in `src/threats/`, with the enforcer it has at',
    'each layer: the **spec** reader, the **constructs** (the same words, as a `RefusedPropError`),',
    'the Helm **values** of the charts, the **admission** policies (one CEL source rendered for',
    'ValidatingAdmissionPolicy, Kyverno and Gatekeeper), and the **audit** of manifests this tool did',
    'not write. A layer without an enforcer says why.',
    '',
  ];
  const families = [...new Set(THREATS.map((t) => t.family))];
  for (const family of families) {
    lines.push(`## ${FAMILY_NAMES[family]}`, '');
    for (const t of THREATS.filter((x) => x.family === family)) {
      lines.push(`### \`${t.id}\``, '', `**${t.title}** (${t.severity})`, '', `*Why:* ${t.why}`, '', `*Fix:* ${t.fix}`, '');
      lines.push('| layer | enforcement |', '|---|---|');
      for (const layer of LAYERS) lines.push(`| ${LAYER_NAMES[layer]} | ${cell(enforcement(t, layer))} |`);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The README's list of what the spec refuses for a reason of the catalogue. */
export function refusalTable(): string {
  const rows = THREATS.filter((t) => isEnforced(t.spec)).map((t) =>
    `| [\`${t.id}\`](docs/threats.md#${t.id}) | ${cell(t.title)} | ${cell((t.spec as { fields: readonly string[] }).fields.map(code).join(', '))} |`);
  return ['| threat | refused | where |', '|---|---|---|', ...rows].join('\n');
}

/** docs/audit.md's table of the audit's rules, and the rules only the self-check applies. */
export function auditRulesTable(): string {
  const rows = auditThreats().map((t) => `| \`${t.id}\` | ${t.severity} | ${cell((t.audit as { looksFor: string }).looksFor)} |`);
  const generatedOnly = THREATS.filter((t) => isEnforced(t.audit) && t.audit.scope === 'generated').map((t) => code(t.id));
  return [
    '| rule | severity | what it looks for |',
    '|---|---|---|',
    ...rows,
    '',
    'The generator\'s self-check adds rules that state promises of this tool rather than mistakes of',
    `any cluster, so the audit does not apply them: ${generatedOnly.join(', ')}.`,
  ].join('\n');
}

/** The generated parts of the docs: file, marker name, text. */
export const GENERATED_SECTIONS: ReadonlyArray<{ readonly file: string; readonly name: string; readonly render: () => string }> = [
  { file: 'README.md', name: 'refusals', render: refusalTable },
  { file: 'docs/audit.md', name: 'audit-rules', render: auditRulesTable },
];

/** `text` with the section between the markers of `name` replaced by `content`. */
export function spliceSection(text: string, name: string, content: string): string {
  const begin = `<!-- BEGIN GENERATED ${name}: npm run docs -->`;
  const end = `<!-- END GENERATED ${name} -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`no \`${begin}\` … \`${end}\` markers`);
  return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
