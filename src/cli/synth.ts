import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { resolveTenancy } from '../model/tenancy-model';
import { renderGroups } from '../output/render';
import { assertIsolated } from '../output/self-check';
import { writeOutput } from '../output/write';
import { toYamlFiles } from '../output/yaml';
import { readSpec } from '../spec/read-spec';
import { UsageError } from './usage';

export const DEFAULT_CONFIG = 'examples/tenancy.yaml';

export interface SynthOptions {
  readonly config: string;
  readonly out: string;
  readonly check: boolean;
  readonly stdout: boolean;
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
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\` — pass the spec with --config FILE`);
  if (values.check && values.stdout) throw new UsageError('--check and --stdout do not go together — drop one of them');
  return {
    config: values.config ?? DEFAULT_CONFIG,
    out: values.out ?? env.CDK8S_OUTDIR ?? 'dist',
    check: values.check ?? false,
    stdout: values.stdout ?? false,
  };
}

/** Renders the spec; answers with the exit status. */
export function runSynth(options: SynthOptions, print: (text: string) => void): number {
  const model = resolveTenancy(readSpec(options.config).spec);
  const groups = renderGroups(model);
  assertIsolated(groups, model);
  const files = toYamlFiles(groups);
  if (options.stdout) {
    print([...files.values()].join(''));
    return 0;
  }
  if (options.check) {
    const stale = staleFiles(options.out, files);
    if (stale.length === 0) {
      print(`${options.out} is up to date (${files.size} files).\n`);
      return 0;
    }
    print(`${options.out} is stale; run \`npm run synth -- --config ${options.config} --out ${options.out}\`:\n${stale.map((f) => `  ${f}\n`).join('')}`);
    return 1;
  }
  writeOutput(options.out, files);
  print(`Wrote ${files.size} files to ${options.out}/ (${[...files.keys()].filter((f) => f.startsWith('tenants/')).length} tenants).\n`);
  return 0;
}

/** Files that differ, are missing, or would be removed; each with what is wrong. */
function staleFiles(dir: string, files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [rel, text] of files) {
    const target = path.join(dir, rel);
    if (!fs.existsSync(target)) out.push(`${rel} (missing)`);
    else if (fs.readFileSync(target, 'utf8') !== text) out.push(`${rel} (differs)`);
  }
  for (const rel of listFiles(dir)) {
    if (!files.has(rel)) out.push(`${rel} (would be removed)`);
  }
  return out.sort();
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), rel);
    return rel.startsWith('.') ? [] : [rel];
  });
}
