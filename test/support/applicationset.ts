/**
 * Test helper: expands an Argo CD ApplicationSet over a Git tree, as the ApplicationSet
 * controller does, for the generators and template functions the fleet's ApplicationSet uses.
 * Written from Argo CD's documentation (operator-manual/applicationset: Generators-Matrix,
 * Generators-Git, GoTemplate) and the git files generator's source:
 *
 * - matrix: two children; the second child's templated fields are rendered with each parameter
 *   set of the first, and each pair of parameter sets is merged (a key the two give different
 *   values is refused here, as older controllers do);
 * - list: each element is a parameter set;
 * - git files: each file of the tree matching a `files[].path` glob (`*` and `?` within one path
 *   segment, as path.Match) gives the parameters of the file's first YAML document (a mapping is
 *   one set, a list one per item: go-yaml reads one document), and, with goTemplate, `path`:
 *   `{ path, basename, filename, basenameNormalized, filenameNormalized, segments }`;
 * - goTemplate with `missingkey=error`: `{{ .a.b }}`, `{{ index .m "key" }}`, and Sprig's
 *   `trimSuffix` / `trimPrefix` (suffix or prefix first); a missing key fails.
 */
import { parseAllDocuments } from 'yaml';

type Params = Record<string, unknown>;

/** The Applications an ApplicationSet generates from the files of `tree` (repository paths → text). */
export function expandApplicationSet(appset: any, tree: ReadonlyMap<string, string | Buffer>): any[] {
  const spec = appset.spec;
  if (spec.goTemplate !== true || !(spec.goTemplateOptions ?? []).includes('missingkey=error')) throw new Error('only goTemplate with missingkey=error is expanded here');
  return spec.generators.flatMap((g: any) => generate(g, tree)).map((params: Params) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { ...renderDeep(spec.template.metadata, params), namespace: appset.metadata.namespace },
    spec: renderDeep(spec.template.spec, params),
  }));
}

function generate(generator: any, tree: ReadonlyMap<string, string | Buffer>, outer: Params = {}): Params[] {
  const kinds = Object.keys(generator);
  if (kinds.length !== 1) throw new Error(`a generator entry names exactly one generator, not ${kinds.join(', ')}`);
  if (generator.list) return generator.list.elements.map((e: Params) => ({ ...e }));
  if (generator.git) return gitFiles(renderDeep(generator.git, outer), tree);
  if (generator.matrix) {
    const [first, second] = generator.matrix.generators;
    if (generator.matrix.generators.length !== 2) throw new Error('a matrix combines exactly two generators');
    return generate(first, tree).flatMap((a) => generate(second, tree, a).map((b) => merge(a, b)));
  }
  throw new Error(`generator ${kinds[0]} is not expanded here`);
}

function merge(a: Params, b: Params): Params {
  for (const key of Object.keys(b)) {
    if (key in a && JSON.stringify(a[key]) !== JSON.stringify(b[key])) throw new Error(`the matrix's children give \`${key}\` two values`);
  }
  return { ...a, ...b };
}

function gitFiles(git: any, tree: ReadonlyMap<string, string | Buffer>): Params[] {
  if (git.directories) throw new Error('the git directories generator is not expanded here');
  const patterns: RegExp[] = git.files.map((f: { path: string }) => glob(f.path));
  const matched = [...tree.keys()].filter((file) => patterns.some((p) => p.test(file))).sort();
  return matched.flatMap((file) => {
    const text = tree.get(file);
    const first = parseAllDocuments(typeof text === 'string' ? text : '')[0]?.toJS() ?? {};
    const sets: Params[] = Array.isArray(first) ? first : [first];
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    const paramPath = {
      path: dir,
      basename: base(dir),
      filename: base(file),
      basenameNormalized: sanitize(base(dir)),
      filenameNormalized: sanitize(base(file)),
      segments: dir.split('/'),
    };
    return sets.map((set) => ({ ...set, path: paramPath }));
  });
}

/** path.Match-style glob over a whole path: `*` and `?` never cross a `/`. */
function glob(pattern: string): RegExp {
  const body = pattern.split('').map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** Argo CD's utils.SanitizeName: lower case, each character a DNS name cannot hold becomes `-`, at most 253, no `-` or `.` at the ends. */
function sanitize(name: string): string {
  return name.toLowerCase().replace(/[^-a-z0-9.]/g, '-').slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

/** Every string of `value` rendered as a Go template with `params`. */
function renderDeep<T>(value: T, params: Params): T {
  if (typeof value === 'string') return renderTemplate(value, params) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, params)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, params)])) as T;
  return value;
}

/** Renders `{{ … }}` actions: a field, or a call of `index`, `trimSuffix`, `trimPrefix`. */
export function renderTemplate(text: string, params: Params): string {
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_all, action: string) => String(evaluate(tokens(action), params)));
}

function tokens(action: string): string[] {
  return action.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

function evaluate(words: string[], params: Params): unknown {
  const arg = (word: string): unknown => (word.startsWith('"') ? JSON.parse(word) : field(word, params));
  const [head, ...args] = words;
  switch (head) {
    case 'index': {
      const [collection, key] = args.map(arg) as [Record<string, unknown>, string];
      if (collection === null || typeof collection !== 'object' || !(key in collection)) throw new Error(`index: no key \`${key}\``);
      return collection[key];
    }
    case 'trimSuffix': {
      const [suffix, s] = args.map(arg) as [string, string];
      return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
    }
    case 'trimPrefix': {
      const [prefix, s] = args.map(arg) as [string, string];
      return s.startsWith(prefix) ? s.slice(prefix.length) : s;
    }
    default:
      if (args.length > 0 || !head.startsWith('.')) throw new Error(`\`${words.join(' ')}\` is not expanded here`);
      return field(head, params);
  }
}

/** `.a.b` of `params`; a missing key fails, as `missingkey=error` does. */
function field(path: string, params: Params): unknown {
  let node: unknown = params;
  for (const key of path.slice(1).split('.')) {
    if (node === null || typeof node !== 'object' || !(key in (node as object))) throw new Error(`map has no entry for key "${key}" (in ${path})`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
