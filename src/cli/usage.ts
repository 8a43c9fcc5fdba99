import * as fs from 'fs';
import { parseArgs, ParseArgsConfig } from 'util';
import { closest } from '../spec/errors';

/** A mistake in how the command was called (exit status 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A file or folder named on the command line (or the default one) that does not exist or cannot
 * be read. Like any usage error it exits 2, whatever the command; unlike one, the fix is the
 * path, so the pointer to `--help` is left out.
 */
export class InputError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The line printed under a usage error, instead of the whole help. */
export const HELP_HINT = 'Run `tenancy --help` for the commands and their options.';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Node's `parseArgs` (give it `strict: true, allowPositionals: true`), with its errors worded for
 * `tenancy` `command`: an unknown flag says which known flag is nearest ("did you mean
 * `--config`?") or lists them.
 */
export function parseFlags<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw flagError(err, command, config.options ?? {});
  }
}

function flagError(err: unknown, command: string, options: FlagOptions): unknown {
  const code = (err as { code?: string }).code;
  const message = (err as Error).message ?? '';
  const flag = /'(-[^' ]*)/.exec(message)?.[1];
  if (!code?.startsWith('ERR_PARSE_ARGS') || flag === undefined) return err;
  const known = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = closest(flag.replace(/=.*$/, ''), known);
    const hint = guess ? `did you mean \`${guess}\`?` : `its options are ${known.map((k) => `\`${k}\``).join(', ')}`;
    return new UsageError(`\`${command}\` has no option \`${flag}\` — ${hint}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = flag.replace(/^--?/, '');
    const option = Object.entries(options).find(([long, o]) => long === name || o.short === name);
    if (option?.[1].type === 'boolean') return new UsageError(`${flag} takes no value — write \`${flag}\` alone`);
    return new UsageError(`${flag} needs a value — write \`${flag} VALUE\` (a value starting with \`-\` as \`${flag}=VALUE\`)`);
  }
  return new UsageError(message);
}

/**
 * Refuses (exit 2) an input file named on the command line that does not exist or is no
 * regular file, before anything reads it. `what` says where the path came from.
 */
export function requireInputFile(file: string, what: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`\`${file}\` ${code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${(err as Error).message})`} — check ${what}`);
  }
  if (!stat.isFile()) throw new InputError(`\`${file}\` is ${stat.isDirectory() ? 'a folder, not a file' : 'not a regular file (a device, pipe or socket)'} — check ${what}`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new InputError(`\`${file}\` cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) — check its permissions, or ${what}`);
  }
}

export const USAGE = `Usage: tenancy <command> [options]

Commands:
  synth       Render the spec into manifests (the default command)
  validate    Check a spec and write nothing
  audit       Report multi-tenancy risks in manifests of any origin (files, folders, List exports)
  onboard     Write a new tenant's file from templates/, checked with every other tenant
  schema      Print the JSON Schema of a spec (--tenant: of one tenant file)

Options of synth:
  --config FILE   The spec to read (default: examples/tenancy.yaml)
  --out DIR       Output folder (default: $CDK8S_OUTDIR, else dist)
  --check         Write nothing; exit 1 naming the files that differ from the output folder
  --stdout        Print the YAML instead of writing files
  --format F      yaml (default): platform.yaml and tenants/<name>.yaml;
                  helm: a chart per tenant (tenant-<name>) and for the platform
                  (tenancy-platform), each as a folder and a packaged <chart>-<version>.tgz
  --chart-version V
                  With --format helm: the charts' version, SemVer 2 (default: this tool's version)
  --no-package    With --format helm: write the chart folders only, no .tgz
  -h, --help      Show this help

Options of validate:
  --config FILE   The spec to check (default: examples/tenancy.yaml)

Options of onboard (writes <tenantsDir>/<name>.yaml beside the spec; never overwrites):
  --name NAME           The tenant, also its namespace (required)
  --domain HOST         A host the tenant serves (required; repeat for more)
  --owner-group GROUP   A group that administers the tenant (repeatable)
  --owner-user USER     A user that administers the tenant (repeatable; at least one owner)
  --team TEAM           Team label (optional)
  --environment ENV     Environment label (optional)
  --isolation TIER      namespace, vcluster or cluster (optional; the spec's default holds without it)
  --config FILE         The spec the tenant joins (default: examples/tenancy.yaml)
  --templates DIR       Folder of tenant-file.yaml.hbs and onboard-next-steps.txt.hbs
                        (default: the templates/ folder of cdk8s-tenancy)
  --out DIR             The spec's output folder, for the synth command it prints
                        (default: the folders whose .cdk8s-tenancy marker names the spec)

Options of schema:
  --tenant        The schema of a file under tenantsDir instead of the whole spec

Options of audit (tenancy audit PATH... ; PATH is a file, a folder of .yaml/.yml, or - for stdin):
  --tenant-namespaces a,b   These namespaces are the tenants
  --tenants-from label=KEY  The tenants are the namespaces labelled KEY
                            (default: label tenancy.cdk8s.io/tenant; without it no tenant is
                            guessed, and only rules that need no tenant boundary run)
  --format F                text (default), json or sarif (SARIF 2.1.0, for code scanning)
  --fail-on LEVEL           Exit 1 when a finding is at least critical, high (default), medium or low
  --secrets POLICY          manage (default: tenants may write Secrets, not delete them) or read-only

Exit status: 0 done, 1 the spec was refused (or --check found differences, or audit found
something at or above --fail-on), 2 usage error, including an input file (--config, --templates,
an audit PATH) that does not exist.
`;
