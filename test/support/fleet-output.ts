/** Test helper: renders a fleet spec as `npm run synth` writes it, and reads the output tree back. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers';

/** An output tree: relative path → text (or bytes, for archives). */
export type Tree = Map<string, string | Buffer>;

/** Runs `synth` on spec text (in a temporary folder, as `fleet.yaml`) and answers with the output tree; throws on a refusal. */
export function synthTree(specText: string, extraArgs: readonly string[] = []): Tree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
  try {
    // The spec alone, without the folder of its tenant files (examples/fleet.yaml names one).
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), specText.replace(/^tenantsDir: .*\n/m, ''));
    const run = runCli(['synth', '--config', 'fleet.yaml', '--out', 'out', ...extraArgs], dir);
    if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stderr}`);
    return readTree(path.join(dir, 'out'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file below `dir` but the marker, by relative path: text, archives as bytes. */
export function readTree(dir: string, prefix = ''): Tree {
  const tree: Tree = new Map();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      for (const [k, v] of readTree(path.join(dir, entry.name), rel)) tree.set(k, v);
    } else if (rel !== '.cdk8s-tenancy') {
      const bytes = fs.readFileSync(path.join(dir, entry.name));
      tree.set(rel, rel.endsWith('.tgz') ? bytes : bytes.toString('utf8'));
    }
  }
  return tree;
}

/** The objects of one YAML file of a tree. */
export function objectsOf(tree: Tree, file: string): any[] {
  const text = tree.get(file);
  if (typeof text !== 'string') throw new Error(`no file ${file} in the output (it has ${[...tree.keys()].join(', ')})`);
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
}

/** The objects of every YAML file of a tree whose path matches `pattern`. */
export function objectsWhere(tree: Tree, pattern: RegExp): any[] {
  return [...tree.keys()].filter((f) => pattern.test(f) && f.endsWith('.yaml')).flatMap((f) => objectsOf(tree, f));
}

/** The one object of `kind` named `name` among `objects`. */
export function one(objects: readonly any[], kind: string, name: string): any {
  const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${hits.length}`);
  return hits[0];
}
