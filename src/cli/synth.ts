import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { OutputFormat, resolveTenancy } from '../model/tenancy-model';
import { helmWriter, isStrictSemver } from '../output/helm';
import { eachGroup, ObjectGroup } from '../output/render';
import { SelfCheck } from '../output/self-check';
import { FileSink, OutputComparison, SpooledText, StagedOutput } from '../output/write';
import { writeYamlFile } from '../output/yaml';
import { readSpec } from '../spec/read-spec';
import { UsageError } from './usage';

export const DEFAULT_CONFIG = 'examples/tenancy.yaml';
/** Specs with this many tenants or more are written with a writer thread (starting one costs about 0.1 s). */
export const WRITER_THREAD_TENANTS = 50;

export interface SynthOptions {
  readonly config: string;
  readonly out: string;
  readonly check: boolean;
  readonly stdout: boolean;
  /** `yaml`: one file per tenant and one for the platform; `helm`: one chart each. */
  readonly format: OutputFormat;
  /** Version of the charts (`--format helm` only). */
  readonly chartVersion?: string;
  /** Writes each chart's `.tgz` beside its folder (`--format helm` only). */
  readonly package: boolean;
}

/** Flags → options; one line per option (flag ?? environment ?? default). */
export function parseSynthArgs(argv: string[], env: NodeJS.ProcessEnv): SynthOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      out: { type: 'string' },
      check: { type: 'boolean', default: false },
      stdout: { type: 'boolean', default: false },
      format: { type: 'string' },
      'chart-version': { type: 'string' },
      'no-package': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\` — pass the spec with --config FILE`);
  if (values.check && values.stdout) throw new UsageError('--check and --stdout do not go together — drop one of them');
  const format = values.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'helm') throw new UsageError(`--format \`${format}\` is not a format — use \`yaml\` or \`helm\``);
  if (format === 'yaml') {
    for (const flag of ['chart-version', 'no-package'] as const) {
      if (values[flag] !== undefined && values[flag] !== false) throw new UsageError(`--${flag} applies to Helm charts only — drop --${flag}, or add --format helm`);
    }
  }
  if (format === 'helm' && values.stdout) throw new UsageError('--stdout prints YAML, and charts are folders — drop --stdout, or --format helm');
  const chartVersion = values['chart-version'];
  if (chartVersion !== undefined && !isStrictSemver(chartVersion)) {
    throw new UsageError(`--chart-version \`${chartVersion}\` is not a SemVer 2 version (MAJOR.MINOR.PATCH, e.g. \`1.4.0\` or \`1.4.0-rc.1\`) — Helm refuses the chart otherwise`);
  }
  return {
    config: values.config ?? DEFAULT_CONFIG,
    out: nonEmpty(values.out, '--out') ?? env.CDK8S_OUTDIR ?? 'dist',
    check: values.check ?? false,
    stdout: values.stdout ?? false,
    format,
    chartVersion: format === 'helm' ? chartVersion ?? packageVersion() : undefined,
    package: !values['no-package'],
  };
}

let cachedVersion: string | undefined;

/** Version of cdk8s-tenancy, from its package.json (beside src/ and lib/); read once. */
export function packageVersion(): string {
  cachedVersion ??= (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}

/** The command that writes the same output again. */
function synthCommand(options: SynthOptions): string {
  const helm = options.format === 'helm'
    ? ` --format helm${options.chartVersion === packageVersion() ? '' : ` --chart-version ${options.chartVersion}`}${options.package ? '' : ' --no-package'}`
    : '';
  return `npm run synth -- --config ${options.config} --out ${options.out}${helm}`;
}

/**
 * Renders the spec; answers with the exit status. Tenant by tenant: each group is rendered,
 * self-checked and written (staged, compared for `--check`, spooled for `--stdout`) before the
 * next, so memory does not grow with the number of tenants. Nothing is swapped in or printed
 * unless every group rendered and the self-check passed.
 */
export function runSynth(options: SynthOptions, print: (text: string) => void): number {
  const model = resolveTenancy(readSpec(options.config).spec);
  if (options.format === 'helm' && model.platform.gitops && 'flux' in model.platform.gitops) {
    throw new UsageError('--format helm does not go with `platform.gitops.flux`: a Flux Kustomization applies YAML files, and charts would need a HelmRelease, which this tool does not render — render YAML for Flux (drop --format helm), or use `platform.gitops.argocd`, whose Applications install the charts');
  }
  const writeGroup: (group: ObjectGroup, sink: FileSink) => void = options.format === 'helm'
    ? helmWriter(model, {
      chartVersion: options.chartVersion ?? packageVersion(),
      generatorVersion: packageVersion(),
      regenerate: synthCommand(options),
      package: options.package,
    })
    : writeYamlFile;
  // A writer thread serializes and writes while the next tenants render; small specs do without.
  const writerThread = model.tenants.length >= WRITER_THREAD_TENANTS;
  const sink = options.stdout ? new SpooledText() : options.check ? new OutputComparison(options.out) : StagedOutput.open(options.out, { writerThread });
  let files = 0;
  const counted: FileSink = {
    write: (rel, content) => (files++, sink.write(rel, content)),
    writeLater: (rel, job, here) => (files++, sink.writeLater(rel, job, here)),
  };
  const selfCheck = new SelfCheck(model);
  let groups = 0;
  try {
    for (const group of eachGroup(model, options.format)) {
      selfCheck.add(group);
      writeGroup(group, counted);
      groups++;
    }
    selfCheck.finish();
  } catch (err) {
    sink.abort();
    throw err;
  }
  if (sink instanceof SpooledText) {
    sink.printTo(print);
    return 0;
  }
  if (sink instanceof OutputComparison) {
    const stale = sink.finish();
    if (stale.length === 0) {
      print(`${options.out} is up to date (${files} files).\n`);
      return 0;
    }
    print(`${options.out} is stale; run \`${synthCommand(options)}\`:\n${stale.map((f) => `  ${f}\n`).join('')}`);
    return 1;
  }
  sink.commit();
  const tenants = groups - 1; // every group but the platform's
  if (options.format === 'helm') {
    print(`Wrote ${groups} charts (${files} files) to ${options.out}/ (${tenants} tenants).\n`);
  } else {
    print(`Wrote ${files} files to ${options.out}/ (${tenants} tenants).\n`);
  }
  return 0;
}

/** A flag given as an empty string is a mistake, not a request for the default. */
function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is empty — give a folder, e.g. ${flag} dist`);
  return value;
}
