import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Pair, parseDocument, YAMLMap } from 'yaml';
import { formatPath, SpecError, SpecProblem } from './errors';

/** Spec files larger than this are refused before parsing. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;
/**
 * Alias expansions a document may make (uses of an anchor × the aliases inside it): room for a
 * shared anchor in thousands of tenants, while a YAML "billion laughs" bomb exceeds it after a
 * few levels. Resolving aliases costs time quadratic in their number, so the limit stays modest.
 */
export const MAX_ALIAS_COUNT = 2000;

/**
 * A parsed YAML file that remembers where every node came from. The parsed document (tens of
 * times the size of the text) is kept only until parsing is done, and parsed again when a
 * position is asked for — only for a spec with problems — so that thousands of tenant files
 * can be validated together in bounded memory.
 */
export interface SourceFile {
  /** The path as the user gave it (used in messages). */
  readonly file: string;
  /** The plain data: objects, arrays, strings, numbers, booleans, null. */
  readonly data: unknown;
  readonly document: Document;
  readonly lineCounter: LineCounter;
}

/** A `SourceFile` holding the text, parsing it again (once) when its document is asked for. */
class ParsedSource implements SourceFile {
  private parsed: { document: Document; lineCounter: LineCounter } | undefined;

  constructor(readonly file: string, readonly data: unknown, private readonly text: string) {}

  get document(): Document {
    return this.reparsed().document;
  }

  get lineCounter(): LineCounter {
    return this.reparsed().lineCounter;
  }

  private reparsed(): { document: Document; lineCounter: LineCounter } {
    if (!this.parsed) {
      const lineCounter = new LineCounter();
      this.parsed = { document: parseDocument(this.text, { ...PARSE_OPTIONS, lineCounter }), lineCounter };
    }
    return this.parsed;
  }
}

/** Where a node sits in its file, 1-based. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * Reads and parses one spec file. Refuses (with a `SpecError` listing every problem)
 * files that are too large, unreadable, empty, not a mapping, or not well-formed YAML,
 * including duplicate keys and alias bombs.
 */
export function loadSourceFile(file: string): SourceFile {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > MAX_SPEC_FILE_BYTES) {
      throw new SpecError([
        problemAtStart(file, `the file is ${stat.size} bytes, more than the limit of ${MAX_SPEC_FILE_BYTES} — split tenants into files under \`tenantsDir\``),
      ]);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof SpecError) throw err;
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new SpecError([problemAtStart(file, `cannot read the file (${reason}) — check the path`)]);
  }
  return parseSource(file, text);
}

const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error' } as const;

/** Parses spec text (already read) the same way as `loadSourceFile`. */
export function parseSource(file: string, text: string): SourceFile {
  const lineCounter = new LineCounter();
  // Duplicate keys are found by `duplicateKeys` below: the parser's own check (`uniqueKeys: true`)
  // compares each key with every earlier one, so a 1 MiB mapping of distinct keys took minutes.
  // logLevel `error`: a collection used as a key would otherwise print a warning on stderr (the key
  // is refused all the same, as an unknown field).
  const document = parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
  const problems: SpecProblem[] = syntaxProblems(file, document, lineCounter);
  for (const duplicate of duplicateKeys(document)) {
    const pos = lineCounter.linePos(duplicate.offset);
    const where = duplicate.path.length === 1 ? 'at the top level' : `in \`${formatPath(duplicate.path.slice(0, -1))}\``;
    problems.push({
      file, line: pos.line, col: pos.col, path: formatPath(duplicate.path),
      message: `\`${String(duplicate.path[duplicate.path.length - 1])}\` is set twice ${where} (first on line ${lineCounter.linePos(duplicate.firstOffset).line}) — keep one of the two entries`,
    });
  }
  if (problems.length > 0) throw new SpecError(problems);

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new SpecError([
      problemAtStart(file, `the YAML aliases (\`*name\`) expand into more than ${MAX_ALIAS_COUNT} nodes, as a resource-exhaustion attack does — write the repeated values out, or use fewer nested aliases`),
    ]);
  }
  if (data === null || data === undefined) {
    throw new SpecError([problemAtStart(file, 'the file is empty (or only comments) — write the spec\'s fields (see `examples/tenancy.yaml`), or delete the file')]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new SpecError([
      problemAtStart(file, `the document is ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}, not a mapping — write \`key: value\` fields at the top level`),
    ]);
  }
  return new ParsedSource(file, data, text);
}

/**
 * The parser's errors as problems. A tab in an indentation confuses the parser for the rest of the
 * block, so past the first such line only the tabs are reported: one problem per line, not the
 * dozen errors that follow from each.
 */
function syntaxProblems(file: string, document: Document, lineCounter: LineCounter): SpecProblem[] {
  const at = (offset: number) => lineCounter.linePos(offset);
  const tabs = document.errors.filter((e) => e.code === 'TAB_AS_INDENT');
  const firstTabLine = tabs.length > 0 ? at(tabs[0].pos[0]).line : Infinity;
  const problems: SpecProblem[] = [];
  const tabLines = new Set<number>();
  for (const error of document.errors) {
    const pos = at(error.pos[0]);
    if (error.code === 'TAB_AS_INDENT') {
      if (tabLines.has(pos.line)) continue;
      tabLines.add(pos.line);
      problems.push({ file, line: pos.line, col: pos.col, path: '(root)', message: 'this line is indented with a tab, and YAML indents with spaces only — replace the tab with spaces' });
    } else if (pos.line < firstTabLine) {
      problems.push({ file, line: pos.line, col: pos.col, path: '(root)', message: yamlErrorMessage(error.code, error.message) });
    }
  }
  return problems;
}

interface DuplicateKey {
  /** Where the repeated key is. */
  readonly offset: number;
  /** Where the first one is. */
  readonly firstOffset: number;
  /** Path of the key, e.g. `['tenants', 0, 'domains']`. */
  readonly path: readonly PropertyKey[];
}

/**
 * Keys that repeat an earlier key of the same mapping, in linear time and without recursion (a
 * spec may nest thousands deep). Keys are equal as the parser's `uniqueKeys` check has them:
 * scalars with the same value (`===`); collections and aliases only when they are the same
 * node, which two keys never are.
 */
function duplicateKeys(document: Document): DuplicateKey[] {
  // Paths are linked lists, materialized only for a duplicate: copying them at every level costs
  // the square of the depth.
  interface PathLink { readonly key: PropertyKey; readonly parent?: PathLink }
  const materialize = (link: PathLink | undefined): PropertyKey[] => {
    const keys: PropertyKey[] = [];
    for (let l = link; l; l = l.parent) keys.push(l.key);
    return keys.reverse();
  };
  const found: DuplicateKey[] = [];
  const stack: Array<{ node: unknown; path?: PathLink }> = [{ node: document.contents }];
  while (stack.length > 0) {
    const { node, path: at } = stack.pop()!;
    if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        const key = pair.key;
        const usable = isScalar(key) && !(typeof key.value === 'object' && key.value !== null) && !Number.isNaN(key.value);
        const keyPath: PathLink = { key: usable ? String(key.value) : '?', parent: at };
        if (usable) {
          const first = seen.get(key.value);
          if (first !== undefined) found.push({ offset: key.range?.[0] ?? 0, firstOffset: first, path: materialize(keyPath) });
          else seen.set(key.value, key.range?.[0] ?? 0);
        }
        stack.push({ node: pair.key, path: keyPath }, { node: pair.value, path: keyPath });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: { key: i, parent: at } }));
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function yamlErrorMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (`---`) — keep one document: a spec, or one tenant per file';
  return `invalid YAML: ${first} — fix the syntax at this position`;
}

function problemAtStart(file: string, message: string): SpecProblem {
  return { file, line: 1, col: 1, path: '(root)', message };
}

/**
 * Finds where the node at `fieldPath` is in the file. When the field is missing
 * (a required field, say), it answers with the nearest parent that exists.
 * With `atKey`, it answers with the position of the last key rather than of its value.
 */
export function positionOf(source: SourceFile, fieldPath: readonly PropertyKey[], atKey = false): Position {
  let node: unknown = source.document.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < fieldPath.length; i++) {
    const key = fieldPath[i];
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(key));
      if (pair) {
        next = pair.value;
        keyOffset = rangeStart(pair.key);
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined && keyOffset === undefined) break;
    const isLast = i === fieldPath.length - 1;
    offset = (atKey && isLast ? keyOffset : rangeStart(next) ?? keyOffset) ?? offset;
    node = next;
  }
  const pos = source.lineCounter.linePos(offset);
  return { line: pos.line, col: pos.col };
}

const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pairs of a mapping by key text (the first of equal keys), built once: a spec with many unknown keys asks for each. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && !index.has(String(item.key.value))) index.set(String(item.key.value), item);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** The tenant files of a folder, or why it cannot be read. */
export interface YamlFileList {
  readonly files: string[];
  /** Set when the folder is missing or not a folder. */
  readonly error?: 'missing' | 'not-a-folder';
}

/**
 * The `.yaml`/`.yml` files directly inside `dir` (any case of the extension, symbolic links
 * followed), sorted by name. Never skips a tenant file silently: a dangling link or a folder
 * named `*.yaml` is listed too, so reading it reports the problem.
 */
export function listYamlFiles(dir: string): YamlFileList {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return { files: [], error: 'missing' };
  }
  if (!stat.isDirectory()) return { files: [], error: 'not-a-folder' };
  const files = fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .map((name) => path.join(dir, name))
    .sort();
  return { files };
}
