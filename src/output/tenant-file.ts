/**
 * The files of onboarding, rendered from the Handlebars templates in `templates/` that a
 * platform team edits: a new tenant's spec file, and the next steps printed after writing it.
 * Templates are strict (a missing field fails) and never HTML-escape; values enter YAML only
 * through the `json` helper, which quotes and escapes them.
 */
import * as fs from 'fs';
import * as path from 'path';
import Handlebars from 'handlebars';
import { OutputError } from './write';

/** Folder of the templates shipped with cdk8s-tenancy, beside src/ (and lib/ once built). */
export const DEFAULT_TEMPLATES_DIR = path.resolve(__dirname, '../../templates');
/** Template of a new tenant's file under `tenantsDir`. */
export const TENANT_FILE_TEMPLATE = 'tenant-file.yaml.hbs';
/** Template of what `onboard` prints once the file is written. */
export const NEXT_STEPS_TEMPLATE = 'onboard-next-steps.txt.hbs';

/** A template that cannot be read, compiled or filled in. */
export class TemplateError extends OutputError {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason} — fix the template`);
    this.name = 'TemplateError';
  }
}

/** What the command line says about a new tenant. Absent fields are `null`, so a strict template can test them. */
export interface NewTenant {
  readonly name: string;
  readonly team: string | null;
  readonly environment: string | null;
  /** `namespace` or `vcluster`, as `--isolation` says. */
  readonly isolation: string | null;
  readonly domains: readonly string[];
  readonly owners: { readonly groups: readonly string[]; readonly users: readonly string[] };
}

/** The fields of the tenant-file template. */
export interface TenantFileContext extends NewTenant {
  /** Path of the tenant-file JSON Schema, relative to the new file (for the `$schema` comment). */
  readonly schema: string;
  /** The spec: its path from the current folder when it is below it, else as given to `--config` (never absolute by accident). */
  readonly config: string;
}

/** One `synth` run the next steps ask for: into one of the spec's output folders. */
export interface SynthStep {
  /** The exact command, output folder included. */
  readonly command: string;
  /** Files it adds for the tenant, e.g. `dist/tenants/payments.yaml`. */
  readonly outputs: readonly string[];
  /** Files it changes for the tenant: the platform's, where a shared Traefik watches the new namespace; empty otherwise. */
  readonly changed: readonly string[];
}

/** The fields of the next-steps template. */
export interface NextStepsContext {
  readonly name: string;
  readonly tenantFile: string;
  readonly config: string;
  /** One per output folder of the spec (usually one); empty when onboard cannot tell the folder. */
  readonly renders: readonly SynthStep[];
  /** Why `renders` is empty, and what to run instead; null otherwise. */
  readonly noRender: string | null;
  readonly platformNamespace: string;
  /** The Traefik the domains must point at, in words: `the tenant's Traefik`, or `the shared Traefik`. */
  readonly dnsTarget: string;
  /** That Traefik's Service. */
  readonly service: string;
  readonly loadBalancer: boolean;
  /** Whether the Service is of type NodePort (a port on every node). */
  readonly nodePort: boolean;
  readonly domains: readonly string[];
  /** The tenant has a virtual cluster, which its owners connect to. */
  readonly virtualCluster: boolean;
}

/**
 * A value as a YAML double-quoted scalar (or flow collection): JSON, which YAML 1.2 reads
 * as it is, with the characters YAML may not hold unescaped written as `\uXXXX`.
 */
export function yamlQuote(value: unknown): string {
  if (value === undefined) throw new Error('`json` needs a value: write `{{json field}}`');
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text of a new tenant's file. */
export function renderTenantFile(context: TenantFileContext, templatesDir = DEFAULT_TEMPLATES_DIR): string {
  // Paths land in YAML comments: a line break in one would end the comment.
  return render(templatesDir, TENANT_FILE_TEMPLATE, { ...context, schema: oneLine(context.schema), config: oneLine(context.config) });
}

/** What to do after onboarding. */
export function renderNextSteps(context: NextStepsContext, templatesDir = DEFAULT_TEMPLATES_DIR): string {
  return render(templatesDir, NEXT_STEPS_TEMPLATE, context);
}

function render(templatesDir: string, name: string, context: object): string {
  const file = path.join(templatesDir, name);
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TemplateError(file, `cannot read the template (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const handlebars = Handlebars.create();
  handlebars.registerHelper('json', (value: unknown, options?: unknown) => {
    if (options === undefined) throw new Error('`json` needs a value: write `{{json field}}`');
    if (value === undefined) {
      throw new Error(`\`json\` got a field that is not defined (misspelt?) — the fields are ${Object.keys(context).join(', ')}`);
    }
    return yamlQuote(value);
  });
  try {
    return handlebars.compile(source, { strict: true, noEscape: true })(context);
  } catch (err) {
    throw new TemplateError(file, (err as Error).message.split('\n')[0]);
  }
}

function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, '?');
}
