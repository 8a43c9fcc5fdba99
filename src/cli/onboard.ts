/**
 * `tenancy onboard`: writes a new tenant's file from the template, after validating it with
 * every existing tenant through the same path as `synth`. A refusal writes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { resolveTenancy } from '../model/tenancy-model';
import { tenantNames } from '../model/names';
import { renderGroups } from '../output/render';
import { tenantOutputFile } from '../model/names';
import { assertIsolated } from '../output/self-check';
import { DEFAULT_TEMPLATES_DIR, renderNextSteps, renderTenantFile } from '../output/tenant-file';
import { OutputError } from '../output/write';
import { TENANT_SCHEMA_FILE } from '../spec/json-schema';
import { loadSourceFile } from '../spec/load';
import { readSpec, tenantFilePath } from '../spec/read-spec';
import { DEFAULT_CONFIG } from './synth';
import { UsageError } from './usage';

/** The package root, where the JSON Schemas live (beside src/ and lib/). */
const PACKAGE_ROOT = path.resolve(__dirname, '../..');

export interface OnboardOptions {
  readonly name: string;
  readonly domains: readonly string[];
  readonly ownerGroups: readonly string[];
  readonly ownerUsers: readonly string[];
  readonly team?: string;
  readonly environment?: string;
  readonly config: string;
  readonly templates: string;
  /** Output folder of `synth`, named in the next steps. */
  readonly out: string;
}

/** Flags → options; one line per option (flag ?? environment ?? default). */
export function parseOnboardArgs(argv: string[], env: NodeJS.ProcessEnv): OnboardOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      'owner-group': { type: 'string', multiple: true },
      'owner-user': { type: 'string', multiple: true },
      team: { type: 'string' },
      environment: { type: 'string' },
      config: { type: 'string' },
      templates: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\` — every value goes behind its flag, e.g. --name ${positionals[0]}`);
  if (values.name === undefined || values.name === '') throw new UsageError('--name is required — name the tenant, e.g. `--name payments`');
  if (!values.domain?.length) throw new UsageError('--domain is required — give each host the tenant serves, e.g. `--domain pay.example.com` (repeat it for more)');
  if (!values['owner-group']?.length && !values['owner-user']?.length) {
    throw new UsageError('no owner — name who administers the tenant with --owner-group GROUP or --owner-user USER (both may repeat)');
  }
  for (const flag of ['team', 'environment', 'config', 'templates'] as const) {
    if (values[flag] === '') throw new UsageError(`--${flag} is empty — give it a value, or drop it`);
  }
  return {
    name: values.name,
    domains: values.domain,
    ownerGroups: values['owner-group'] ?? [],
    ownerUsers: values['owner-user'] ?? [],
    team: values.team,
    environment: values.environment,
    config: values.config ?? DEFAULT_CONFIG,
    templates: values.templates ?? DEFAULT_TEMPLATES_DIR,
    out: env.CDK8S_OUTDIR ?? 'dist',
  };
}

/** Writes the new tenant's file and prints the next steps; answers with the exit status. */
export function runOnboard(options: OnboardOptions, print: (text: string) => void): number {
  const config = loadSourceFile(options.config);
  const target = tenantFilePath(options.config, options.name, config);
  // A name with a path in it is refused by validation below, before anything is written.
  if (!/[/\\]/.test(options.name) && fs.existsSync(target)) {
    throw new OutputError(`\`${target}\` already exists — onboarding never overwrites a tenant; edit that file, or choose another --name`);
  }

  const text = renderTenantFile({
    name: options.name,
    team: options.team ?? null,
    environment: options.environment ?? null,
    domains: options.domains,
    owners: { groups: options.ownerGroups, users: options.ownerUsers },
    schema: toPosix(path.relative(path.dirname(path.resolve(target)), path.join(PACKAGE_ROOT, TENANT_SCHEMA_FILE))),
    config: options.config,
  }, options.templates);

  // The same checks as synth, with the new file read as if it were already written.
  const model = resolveTenancy(readSpec(options.config, [{ file: target, text }], config).spec);
  const tenant = model.tenants[model.tenants.length - 1];
  const onlyNew = { platform: model.platform, tenants: [tenant] };
  const groups = renderGroups(onlyNew);
  assertIsolated(groups, onlyNew);
  const traefikService = groups[1].objects.find((o) => o.kind === 'Service' && o.metadata.name === tenantNames(tenant.name).traefik);

  writeNewFile(target, text);
  print(renderNextSteps({
    name: tenant.name,
    tenantFile: target,
    config: options.config,
    synthCommand: `npm run synth -- --config ${options.config}${options.out === 'dist' ? '' : ` --out ${options.out}`}`,
    outputs: [path.join(options.out, tenantOutputFile(tenant.name))],
    platformNamespace: model.platform.namespace,
    service: tenantNames(tenant.name).traefik,
    loadBalancer: (traefikService?.spec as { type?: string } | undefined)?.type === 'LoadBalancer',
    domains: tenant.domains,
  }, options.templates));
  return 0;
}

/** Creates `file` with `text`, refusing to replace an existing file even if one appeared meanwhile. */
function writeNewFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written aside, then hard-linked into place: the link fails if the file exists, and a
  // reader never sees half a file. The temporary name does not end in `.yaml`, so no spec reads it.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { flag: 'wx' });
  try {
    fs.linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new OutputError(`\`${file}\` already exists — onboarding never overwrites a tenant; edit that file, or choose another --name`);
    }
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
