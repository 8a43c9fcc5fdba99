/**
 * `tenancy onboard`: writes a new tenant's file from the template, after validating it with
 * every existing tenant through the same path as `synth`. A refusal writes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveTenancy, TenantModel } from '../model/tenancy-model';
import { DEFAULTS } from '../defaults';
import {
  clusterApiKubeconfigSecret, clusterFolder, managementTenantFile, PLATFORM_CHART, PLATFORM_NAMES, PLATFORM_OUTPUT_FILE, tenantChartName, tenantNames, tenantOutputFile,
  tenantVirtualClusterValuesFile,
} from '../model/names';
import { archiveName } from '../output/helm';
import { renderGroups } from '../output/render';
import { assertIsolated } from '../output/self-check';
import { DEFAULT_TEMPLATES_DIR, renderNextSteps, renderTenantFile, SynthStep, TemplateError, TENANT_FILE_TEMPLATE } from '../output/tenant-file';
import { OUTPUT_MARKER, OutputError } from '../output/write';
import { TENANT_SCHEMA_FILE } from '../spec/json-schema';
import { loadSourceFile } from '../spec/load';
import { readSpec, tenantFilePath } from '../spec/read-spec';
import { ISOLATION_TIERS, IsolationTier } from '../spec/schema';
import { findOutputFolders, OutputOrigin, readOrigin, sameFile } from './output-folder';
import { pathBelow, posixRelative } from './paths';
import { configFlag, packageVersion, synthCommand, synthCommandStart } from './synth';
import { InputError, parseFlags, UsageError } from './usage';

/** The package root, where the JSON Schemas live (beside src/ and lib/). */
const PACKAGE_ROOT = path.resolve(__dirname, '../..');

export interface OnboardOptions {
  readonly name: string;
  readonly domains: readonly string[];
  readonly ownerGroups: readonly string[];
  readonly ownerUsers: readonly string[];
  readonly team?: string;
  readonly environment?: string;
  /** `--isolation`: `namespace`, `vcluster` or `cluster`; absent, the tenant file says nothing (the spec's default holds). */
  readonly isolation?: IsolationTier;
  readonly config: string;
  readonly templates: string;
  /** `--out`: the spec's output folder, named in the next steps; found through the output folders' markers when absent. */
  readonly out?: string;
  /** The folder `synth` writes to without `--out` (`$CDK8S_OUTDIR`, else `dist`). */
  readonly defaultOut: string;
}

/** Flags → options; one line per option (flag ?? environment ?? default). */
export function parseOnboardArgs(argv: string[], env: NodeJS.ProcessEnv): OnboardOptions {
  const { values, positionals } = parseFlags('onboard', {
    args: argv,
    options: {
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      'owner-group': { type: 'string', multiple: true },
      'owner-user': { type: 'string', multiple: true },
      team: { type: 'string' },
      environment: { type: 'string' },
      isolation: { type: 'string' },
      config: { type: 'string' },
      templates: { type: 'string' },
      out: { type: 'string' },
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
  for (const flag of ['team', 'environment', 'isolation', 'config', 'templates', 'out'] as const) {
    if (values[flag] === '') throw new UsageError(`--${flag} is empty — give it a value, or drop it`);
  }
  const isolation = values.isolation;
  if (isolation !== undefined && !(ISOLATION_TIERS as readonly string[]).includes(isolation)) {
    const tiers = ISOLATION_TIERS.map((t) => `\`${t}\``);
    throw new UsageError(`--isolation \`${isolation}\` is not an isolation tier — use ${tiers.slice(0, -1).join(', ')} or ${tiers[tiers.length - 1]}`);
  }
  return {
    name: values.name,
    domains: values.domain,
    ownerGroups: values['owner-group'] ?? [],
    ownerUsers: values['owner-user'] ?? [],
    team: values.team,
    environment: values.environment,
    isolation: isolation as OnboardOptions['isolation'],
    config: configFlag(values.config),
    templates: values.templates === undefined ? DEFAULT_TEMPLATES_DIR : templatesFlag(values.templates),
    out: values.out,
    defaultOut: env.CDK8S_OUTDIR ?? 'dist',
  };
}

/** Writes the new tenant's file and prints the next steps; answers with the exit status. */
export function runOnboard(options: OnboardOptions, print: (text: string) => void): number {
  const config = loadSourceFile(options.config);
  const render = renderTargets(options);
  const target = tenantFilePath(options.config, options.name, config);
  // A name with a path in it is refused by validation below, before anything is written.
  if (!/[/\\]/.test(options.name) && fs.existsSync(target)) {
    throw new OutputError(`\`${target}\` already exists — onboarding never overwrites a tenant; edit that file, or choose another --name`);
  }

  const text = renderTenantFile({
    name: options.name,
    team: options.team ?? null,
    environment: options.environment ?? null,
    isolation: options.isolation ?? null,
    domains: options.domains,
    owners: { groups: options.ownerGroups, users: options.ownerUsers },
    schema: posixRelative(path.dirname(target), path.join(PACKAGE_ROOT, TENANT_SCHEMA_FILE)),
    config: posixRelative(path.dirname(target), options.config),
  }, options.templates);

  // The same checks as synth, with the new file read as if it were already written.
  const model = resolveTenancy(readSpec(options.config, [{ file: target, text }], config).spec);
  const tenant = model.tenants[model.tenants.length - 1];
  const isolation = tenant.isolation ?? DEFAULTS.tenant.isolation;
  if (options.isolation !== undefined && isolation !== options.isolation) {
    throw new TemplateError(path.join(options.templates, TENANT_FILE_TEMPLATE), `it writes no \`isolation: ${options.isolation}\`, so the tenant would be a \`${isolation}\` tenant although --isolation ${options.isolation} was given — write \`{{#if isolation}}isolation: {{json isolation}}{{/if}}\` in it`);
  }
  // In a fleet, the tenant as its cluster has it: on that cluster's platform.
  const cluster = model.fleet?.clusters.find((c) => c.name === tenant.cluster);
  const platform = cluster?.platform ?? model.platform;
  const onlyNew = { platform, tenants: [{ ...tenant, cluster: undefined }] };
  const groups = renderGroups(onlyNew);
  assertIsolated(groups, onlyNew);
  // The domains point at the tenant's own Traefik, or at the one every tenant shares (in the platform's file).
  const shared = platform.routing?.traefik === 'shared';
  const service = shared ? PLATFORM_NAMES.sharedTraefik : tenantNames(tenant.name).traefik;
  const traefikService = groups[shared ? 0 : 1].objects.find((o) => o.kind === 'Service' && o.metadata.name === service);

  writeNewFile(target, text);
  print(renderNextSteps({
    name: tenant.name,
    tenantFile: target,
    config: options.config,
    renders: render.targets.map((t) => synthStep(options.config, t, tenant, shared, isolation === 'vcluster', model.fleet !== undefined && (model.platform.gitops !== undefined || tenant.clusterApi !== undefined))),
    noRender: render.why === undefined ? null : wrap(render.why, 90, '\n     '),
    platformNamespace: platform.namespace,
    dnsTarget: shared ? 'the shared Traefik' : tenant.clusterApi !== undefined
      ? `the tenant's Traefik on its own cluster (once Cluster API has made it; its kubeconfig is Secret \`${clusterApiKubeconfigSecret(tenant.cluster!)}\`, key \`value\`, in namespace \`${tenant.clusterApi.namespace}\` of the management cluster)`
      : 'the tenant\'s Traefik',
    service,
    loadBalancer: (traefikService?.spec as { type?: string } | undefined)?.type === 'LoadBalancer',
    nodePort: (traefikService?.spec as { type?: string } | undefined)?.type === 'NodePort',
    domains: tenant.domains,
    virtualCluster: isolation === 'vcluster',
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

/** `--templates`: a folder that exists (exit 2 otherwise, as for every input named on the command line). */
function templatesFlag(dir: string): string {
  if (!fs.existsSync(dir)) throw new InputError(`\`${dir}\` does not exist — check the path given to --templates`);
  if (!fs.statSync(dir).isDirectory()) throw new InputError(`\`${dir}\` is not a folder — --templates names the folder that holds the templates`);
  return dir;
}

/** Where `synth` should render the new tenant: the spec's output folders, or why they are not known. */
function renderTargets(options: OnboardOptions): { targets: Array<Pick<OutputOrigin, 'dir' | 'format' | 'chartVersion' | 'package'>>; why?: string } {
  if (options.out !== undefined) {
    const origin = readOrigin(options.out);
    if (origin && !sameFile(origin.config, options.config)) {
      throw new UsageError(`\`${options.out}\` holds the output of \`${displayPath(origin.config)}\`, not of \`${options.config}\` — rendering this spec there would replace it; give --out the folder this spec renders to`);
    }
    return { targets: [origin ?? { dir: options.out, format: 'yaml' }] };
  }
  const found = findOutputFolders(options.config, [options.defaultOut], ['.', path.dirname(options.config)]);
  if (found.length > 0) return { targets: found };
  // Never rendered (as far as the markers say): synth's default folder is right if it holds nothing yet.
  const fallback = options.defaultOut;
  if (!fs.existsSync(fallback) || (fs.statSync(fallback).isDirectory() && fs.readdirSync(fallback).length === 0)) {
    return { targets: [{ dir: fallback, format: 'yaml' }] };
  }
  const origin = readOrigin(fallback);
  const holds = origin
    ? `holds the output of \`${displayPath(origin.config)}\``
    : !fs.statSync(fallback).isDirectory()
      ? 'is a file'
      : fs.existsSync(path.join(fallback, OUTPUT_MARKER))
        ? 'holds output that does not say which spec it came from (written before markers named their spec)'
        : 'holds files cdk8s-tenancy did not write';
  return {
    targets: [],
    why: `onboard found no output folder of ${options.config} (a folder whose .cdk8s-tenancy file names it), and \`${fallback}\`, where synth writes without --out, ${holds}: render into this spec's own folder, \`${synthCommandStart(options.config)} --out <folder>\`, or run onboard with --out <folder> to have the exact command printed.`,
  };
}

/**
 * The command that renders the spec into one of its output folders, and the files the new tenant
 * adds there (and changes: the platform's, where a shared Traefik lists the namespaces it watches).
 * In a fleet, the tenant's files are in its cluster's folder (`management`: and its management file).
 */
function synthStep(
  config: string,
  target: Pick<OutputOrigin, 'dir' | 'format' | 'chartVersion' | 'package'>,
  tenant: TenantModel,
  shared: boolean,
  virtualCluster: boolean,
  management: boolean,
): SynthStep {
  const chartVersion = target.chartVersion ?? packageVersion();
  const command = synthCommand({ config, out: target.dir, format: target.format, chartVersion, package: target.package ?? true });
  const folder = tenant.cluster === undefined ? target.dir : path.join(target.dir, clusterFolder(tenant.cluster));
  const files = (chart: string, file: string) => (target.format === 'helm'
    ? [`${path.join(folder, chart)}/`, ...(target.package === false ? [] : [path.join(folder, archiveName(chart, chartVersion))])]
    : [path.join(folder, file)]);
  const tenantChart = tenant.cluster === undefined ? tenantChartName(tenant.name) : path.join('tenants', tenantChartName(tenant.name));
  const valuesFile = virtualCluster && target.format !== 'helm' ? [path.join(folder, tenantVirtualClusterValuesFile(tenant.name))] : [];
  const managementFile = management ? [path.join(target.dir, managementTenantFile(tenant.name))] : [];
  // A tenant with a cluster of its own brings that cluster's platform too.
  const ownPlatform = tenant.clusterApi !== undefined ? files(PLATFORM_CHART, PLATFORM_OUTPUT_FILE) : [];
  return {
    command,
    outputs: [...ownPlatform, ...files(tenantChart, tenantOutputFile(tenant.name)), ...valuesFile, ...managementFile],
    changed: shared ? files(PLATFORM_CHART, PLATFORM_OUTPUT_FILE) : [],
  };
}

/** A path as printed: relative to the current folder when it is below it, as given otherwise. */
function displayPath(file: string): string {
  return pathBelow(process.cwd(), file) ?? file;
}

/** `text` in lines of at most `width` characters (longer words alone), joined by `separator`. */
function wrap(text: string, width: number, separator: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].join(separator);
}
