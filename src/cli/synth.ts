import * as fs from 'fs';
import * as path from 'path';
import { pathBelow } from './paths';
import { OutputFormat, resolveTenancy } from '../model/tenancy-model';
import { FleetTenancy, writeFleet } from '../output/fleet';
import { helmWriter, isStrictSemver } from '../output/helm';
import { eachGroup, ObjectGroup } from '../output/render';
import { SelfCheck } from '../output/self-check';
import { FileSink, OutputComparison, OutputError, SpooledText, StagedOutput } from '../output/write';
import { writeYamlFile } from '../output/yaml';
import { readSpec } from '../spec/read-spec';
import { originLines } from './output-folder';
import { parseFlags, requireInputFile, UsageError } from './usage';

export const DEFAULT_CONFIG = 'examples/tenancy.yaml';
/** Specs with this many tenants or more are written with a writer thread (starting one costs about 0.1 s). */
export const WRITER_THREAD_TENANTS = 50;

/**
 * The spec of `--config` (or the default), refused with exit status 2 when it does not exist:
 * the rule of every command for an input file named on the command line.
 */
export function configFlag(value: string | undefined): string {
  const config = value ?? DEFAULT_CONFIG;
  requireInputFile(config, value === undefined ? `--config (without it, \`${DEFAULT_CONFIG}\` is read from the current folder)` : 'the path given to --config');
  return config;
}

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
  const { values, positionals } = parseFlags('synth', {
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
    config: configFlag(values.config),
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

/** The flags after `--out` that shape the output: the format and, for charts, their version and packaging. */
function formatFlags(options: Pick<SynthOptions, 'format' | 'chartVersion' | 'package'>): string {
  if (options.format !== 'helm') return '';
  return ` --format helm${options.chartVersion === undefined || options.chartVersion === packageVersion() ? '' : ` --chart-version ${options.chartVersion}`}${options.package ? '' : ' --no-package'}`;
}

/** The folder `npm run` runs this tool's scripts in: the package's own. */
const PACKAGE_ROOT = path.resolve(__dirname, '../..');

/**
 * `file` (a path given on the command line, relative to the current folder) as a script started
 * by `npm run` reads it: npm runs scripts in the package's folder, wherever it is called from. So
 * relative to that folder when the file is in it, else absolute.
 */
export function npmRunPath(file: string): string {
  if (path.resolve(process.cwd()) === PACKAGE_ROOT) return file;
  return pathBelow(PACKAGE_ROOT, file) ?? path.resolve(file);
}

/**
 * How to run this tool from the current folder, and how to write a path given on the command
 * line in that command: `npm run` inside this package (the README's way; npm reads the paths
 * from the package's folder); `npx tenancy` where the package is installed as a dependency;
 * else this tool's own `bin/tenancy.js`, by its path.
 */
function cliHere(): { readonly synth: string; readonly path: (file: string) => string } {
  const cwd = path.resolve(process.cwd());
  if (cwd === PACKAGE_ROOT || pathBelow(PACKAGE_ROOT, cwd) !== undefined) return { synth: 'npm run synth --', path: npmRunPath };
  const tool = PACKAGE_ROOT.split(path.sep).includes('node_modules') ? 'npx tenancy' : `node ${path.join(PACKAGE_ROOT, 'bin', 'tenancy.js')}`;
  return { synth: `${tool} synth`, path: (file) => pathBelow(cwd, file) ?? path.resolve(file) };
}

/** The command that writes the same output again, run from the current folder (see `cliHere`). */
export function synthCommand(options: Pick<SynthOptions, 'config' | 'out' | 'format' | 'chartVersion' | 'package'>): string {
  const cli = cliHere();
  return `${cli.synth} --config ${cli.path(options.config)} --out ${cli.path(options.out)}${formatFlags(options)}`;
}

/** `synthCommand` up to its `--config`: for a command whose output folder the user chooses. */
export function synthCommandStart(config: string): string {
  const cli = cliHere();
  return `${cli.synth} --config ${cli.path(config)}`;
}

/**
 * The same command as the charts state it: no path, since a chart is the same whatever the
 * folder it was written to or the spelling of the paths (the output folder's marker names the spec).
 */
function chartRegenerateCommand(options: SynthOptions): string {
  return `npm run synth -- --config <spec> --out <output folder>${formatFlags(options)}`;
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
  const helmOptions = {
    chartVersion: options.chartVersion ?? packageVersion(),
    generatorVersion: packageVersion(),
    regenerate: chartRegenerateCommand(options),
    package: options.package,
  };
  const writeGroup: (group: ObjectGroup, sink: FileSink) => void = options.format === 'helm' ? helmWriter(model, helmOptions) : writeYamlFile;
  if (!options.stdout && !options.check) assertParentWritable(options.out);
  // A writer thread serializes and writes while the next tenants render; small specs do without.
  const writerThread = model.tenants.length >= WRITER_THREAD_TENANTS;
  const sink = options.stdout ? new SpooledText() : options.check ? new OutputComparison(options.out) : StagedOutput.open(options.out, { writerThread });
  let files = 0;
  const counted: FileSink = {
    write: (rel, content) => (files++, sink.write(rel, content)),
    writeLater: (rel, job, here) => (files++, sink.writeLater(rel, job, here)),
  };
  let groups = 0;
  let fleet: ReturnType<typeof writeFleet> | undefined;
  try {
    if (model.fleet) {
      fleet = writeFleet(model as FleetTenancy, options.format, counted, helmOptions);
    } else {
      const selfCheck = new SelfCheck(model);
      for (const group of eachGroup(model, options.format)) {
        selfCheck.add(group);
        writeGroup(group, counted);
        groups++;
      }
      selfCheck.finish();
    }
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
  sink.commit(originLines(options.config, options.out, options));
  if (fleet) {
    const charts = options.format === 'helm' ? `${fleet.charts} charts (${files} files)` : `${files} files`;
    print(`Wrote ${charts} to ${options.out}/ (${fleet.tenants} tenants on ${fleet.clusters} clusters).\n`);
    return 0;
  }
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

/**
 * The new output is staged beside the output folder and swapped in, and the old one removed, so
 * the folder that holds it must be writable (or, when missing, the nearest folder above it that
 * exists), and so must the output folder itself when it exists. Names the folder at fault: a
 * refusal that named the output folder sent people to fix the wrong one.
 */
function assertParentWritable(out: string): void {
  const shown = (dir: string) => (path.isAbsolute(out) ? dir : path.relative(process.cwd(), dir) || '.');
  const writable = (dir: string) => {
    try {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const isFolder = (dir: string) => fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true;
  const target = path.resolve(out);
  const holder = path.dirname(target);
  let existing = holder;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  if (!isFolder(existing)) return; // a file in the way: writeOutput says so
  if (!writable(existing)) {
    const why = existing === holder
      ? `the new output is staged in it before it replaces \`${out}\``
      : `synth would create \`${shown(holder)}\` in it to stage the new output`;
    throw new OutputError(`cannot write \`${out}\`: \`${shown(existing)}\` is not writable, and ${why} — make \`${shown(existing)}\` writable, or choose an --out in a folder you can write; the previous output is unchanged`);
  }
  if (isFolder(target) && !writable(target)) {
    throw new OutputError(`cannot write \`${out}\`: the folder is not writable, and the files of the previous output are removed from it once the new output is in place — make \`${out}\` writable; the previous output is unchanged`);
  }
}
