/**
 * Which spec an output folder was rendered from. `synth` adds to the folder's marker
 * (`.cdk8s-tenancy`) the spec's path relative to the folder and the flags that shape the output;
 * `onboard` reads markers to find the folders of a spec and print the exact command that renders
 * the new tenant into them.
 *
 * The marker is the one file whose content depends on where the output folder is (relative to
 * the spec); every rendered file is the same wherever it is written, and `--check` ignores the
 * marker.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OutputFormat } from '../model/tenancy-model';
import { OUTPUT_MARKER } from '../output/write';

/** What a marker says about the folder's content. */
export interface OutputOrigin {
  /** The folder. */
  readonly dir: string;
  /** The spec, resolved (the marker holds it relative to the folder). */
  readonly config: string;
  readonly format: OutputFormat;
  /** `--format helm` only. */
  readonly chartVersion?: string;
  /** `--format helm` only: false with `--no-package`. */
  readonly package?: boolean;
}

/** The marker lines of an output folder `out` rendered from `config`. */
export function originLines(config: string, out: string, options: { format: OutputFormat; chartVersion?: string; package: boolean }): string[] {
  const relative = path.relative(path.resolve(out), path.resolve(config)).split(path.sep).join('/');
  return [
    `config: ${oneLine(relative)}`,
    `format: ${options.format}`,
    ...(options.format === 'helm' ? [`chart-version: ${options.chartVersion}`, `package: ${options.package}`] : []),
  ];
}

/** What the marker of `dir` says; undefined without a marker, or with one that names no spec (written before markers did). */
export function readOrigin(dir: string): OutputOrigin | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, OUTPUT_MARKER), 'utf8');
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z-]+): (.*)$/.exec(line);
    if (m) fields.set(m[1], m[2]);
  }
  const config = fields.get('config');
  if (config === undefined) return undefined;
  const format: OutputFormat = fields.get('format') === 'helm' ? 'helm' : 'yaml';
  return {
    dir,
    config: path.resolve(dir, config),
    format,
    ...(format === 'helm' ? { chartVersion: fields.get('chart-version'), package: fields.get('package') !== 'false' } : {}),
  };
}

/** True when `a` and `b` name the same file (through symbolic links, `..` and any spelling). */
export function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/**
 * The output folders of `config` among `candidates` and the folders directly inside `searchIn`:
 * those whose marker names it. Sorted, each once.
 */
export function findOutputFolders(config: string, candidates: readonly string[], searchIn: readonly string[]): OutputOrigin[] {
  const dirs = new Set(candidates.map((d) => path.normalize(d)));
  for (const parent of searchIn) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(parent, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') dirs.add(path.normalize(path.join(parent, entry.name)));
    }
  }
  const seen = new Set<string>();
  const found: OutputOrigin[] = [];
  for (const dir of [...dirs].sort()) {
    const origin = readOrigin(dir);
    if (!origin || !sameFile(origin.config, config)) continue;
    const key = path.resolve(dir);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(origin);
  }
  return found;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]/g, '?');
}
