/**
 * Renders the simple Helm templates that `synth --format helm` writes (and many hand-written
 * charts hold), so `tenancy audit` can audit a chart folder as Helm would install it with its
 * default values. It knows a small part of Go's template language, and refuses the rest with
 * a reason, so the audit says which files it did not read instead of misreading them:
 *
 * - text, comments (`{{/* … *\/}}`), and the trim markers `{{-` and `-}}`;
 * - `{{ PIPELINE }}` where a pipeline is string and number literals, `true`/`false`,
 *   `.Values.a.b`, and the functions `int`, `quote`, `squote`, `default`, `not`, `eq`, `ne`,
 *   `lt`, `le`, `gt`, `ge`, `toJson`, with parentheses and `|`; and those the value guards of the
 *   threat catalogue use (`toString`, `regexFind`, `trimPrefix`, `float64`, `mulf`, `dict`, `get`,
 *   `printf` with `%v`, `fail`);
 * - `{{ if P }} … {{ else if P }} … {{ else }} … {{ end }}`, and `{{ with P }} … {{ end }}`
 *   (`.` is then P's value, and a field is read from it).
 *
 * Anything else (`include`, `range`, `define`, `tpl`, `toYaml`, `.Release`, `$`, a value
 * that values.yaml does not set printed, …) throws `UnsupportedTemplate`.
 */

/** A template this renderer cannot render as Helm would; the message says why. */
export class UnsupportedTemplate extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedTemplate';
  }
}

/** Renders `text` with `values` (a chart's values.yaml, as data) as `.Values`. */
export function renderHelmTemplate(text: string, values: unknown): string {
  const nodes = parseNodes(segments(text), 0, []);
  if (nodes.next < nodes.items.length || nodes.stop !== undefined) throw new UnsupportedTemplate(`\`{{ ${nodes.stop} }}\` without its \`if\``);
  return renderNodes(nodes.tree, { Values: values });
}

// --- segments: text and actions, trim markers applied ------------------------------------------

type Segment = { readonly text: string } | { readonly action: string };

function segments(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      out.push({ text: text.slice(at) });
      break;
    }
    const close = findClose(text, open + 2);
    let before = text.slice(at, open);
    let body = text.slice(open + 2, close);
    if (/^-\s/.test(body)) {
      before = before.replace(/\s+$/, '');
      body = body.slice(1);
    }
    let after = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      while (after < text.length && /\s/.test(text[after])) after++;
    }
    if (before) out.push({ text: before });
    const action = body.trim();
    if (!(action.startsWith('/*') && action.endsWith('*/'))) out.push({ action });
    at = after;
  }
  return out;
}

/** Where the action opened before `from` closes: the first `}}` outside a string literal. */
function findClose(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '`') {
      const end = c === '"' ? /(?:[^"\\\n]|\\.)*"/y : /[^`]*`/y;
      end.lastIndex = i + 1;
      if (!end.exec(text)) throw new UnsupportedTemplate('an unterminated string in an action');
      i = end.lastIndex - 1;
    } else if (c === '}' && text[i + 1] === '}') {
      return i;
    }
  }
  throw new UnsupportedTemplate('`{{` without its `}}`');
}

// --- nodes: text, output actions, if/else ------------------------------------------------------

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'output'; readonly pipeline: Expr; readonly source: string }
  | { readonly kind: 'if'; readonly branches: ReadonlyArray<{ readonly condition?: Expr; readonly body: Node[] }>; readonly with?: boolean };

/** Nodes from `items[start]` up to an `else…` or `end` (named in `stop`), or the end. */
function parseNodes(items: readonly Segment[], start: number, tree: Node[]): { tree: Node[]; items: readonly Segment[]; next: number; stop?: string } {
  let i = start;
  while (i < items.length) {
    const item = items[i];
    if ('text' in item) {
      tree.push({ kind: 'text', text: item.text });
      i++;
      continue;
    }
    const word = /^[a-z]+/.exec(item.action)?.[0];
    if (word === 'end' || word === 'else') return { tree, items, next: i, stop: item.action };
    if (word === 'if' || word === 'with') {
      const branches: Array<{ condition?: Expr; body: Node[] }> = [];
      let condition: Expr | undefined = parseExpression(item.action.slice(word.length));
      i++;
      for (;;) {
        const body = parseNodes(items, i, []);
        branches.push({ condition, body: body.tree });
        if (body.stop === undefined) throw new UnsupportedTemplate('`{{ if }}` without its `{{ end }}`');
        i = body.next + 1;
        if (body.stop === 'end') break;
        if (branches[branches.length - 1].condition === undefined) throw new UnsupportedTemplate('`{{ else }}` after `{{ else }}`');
        const elseIf = /^else\s+if\s(.*)$/s.exec(body.stop);
        if (elseIf && word === 'with') throw new UnsupportedTemplate('`{{ else if }}` in a `{{ with }}` is not supported');
        if (elseIf) condition = parseExpression(elseIf[1]);
        else if (body.stop === 'else') condition = undefined;
        else throw new UnsupportedTemplate(`\`{{ ${body.stop} }}\` is not supported`);
      }
      tree.push({ kind: 'if', branches, with: word === 'with' });
      continue;
    }
    if (word !== undefined && KEYWORDS.has(word)) throw new UnsupportedTemplate(`\`{{ ${word} }}\` is not supported`);
    tree.push({ kind: 'output', pipeline: parseExpression(item.action), source: item.action });
    i++;
  }
  return { tree, items, next: i };
}

const KEYWORDS = new Set(['range', 'define', 'template', 'block', 'break', 'continue', 'include']);

/** `scope` is the dot: the root (`{ Values }`), or inside a `with` the value it tested. */
function renderNodes(nodes: readonly Node[], scope: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'output') {
      const value = evaluate(node.pipeline, scope);
      if (value === undefined || value === null) throw new UnsupportedTemplate(`\`{{ ${node.source} }}\` prints a value values.yaml does not set (Helm prints \`<no value>\`)`);
      out += print(value);
    }
    else if (node.with) {
      const value = evaluate(node.branches[0].condition!, scope);
      if (truthy(value)) out += renderNodes(node.branches[0].body, value);
      else if (node.branches[1]) out += renderNodes(node.branches[1].body, scope);
    } else {
      const branch = node.branches.find((b) => b.condition === undefined || truthy(evaluate(b.condition, scope)));
      if (branch) out += renderNodes(branch.body, scope);
    }
  }
  return out;
}

// --- expressions --------------------------------------------------------------------------------

type Expr =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] };

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(\.[A-Za-z_][\w.]*)|(\.)(?![\w.])|([A-Za-z_]\w*)|([()|]))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < source.length && (m = TOKEN.exec(source))) tokens.push(m[0].trim());
  if (source.slice(TOKEN.lastIndex).trim() !== '') throw new UnsupportedTemplate(`\`${source.trim()}\` is not understood`);
  return tokens;
}

function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let at = 0;
  const pipeline = (): Expr => {
    let expr = command();
    while (tokens[at] === '|') {
      at++;
      const next = command();
      if (next.kind !== 'call') throw new UnsupportedTemplate(`\`| ${source.trim()}\`: only a function can follow \`|\``);
      expr = { kind: 'call', name: next.name, args: [...next.args, expr] };
    }
    return expr;
  };
  const command = (): Expr => {
    const first = tokens[at];
    if (first !== undefined && /^[A-Za-z_]/.test(first) && first !== 'true' && first !== 'false' && first !== 'nil') {
      at++;
      const args: Expr[] = [];
      while (at < tokens.length && tokens[at] !== '|' && tokens[at] !== ')') args.push(operand());
      return { kind: 'call', name: first, args };
    }
    return operand();
  };
  const operand = (): Expr => {
    const token = tokens[at++];
    if (token === undefined) throw new UnsupportedTemplate(`\`${source.trim()}\` ends too soon`);
    if (token === '(') {
      const inner = pipeline();
      if (tokens[at++] !== ')') throw new UnsupportedTemplate(`\`${source.trim()}\`: a \`(\` without its \`)\``);
      return inner;
    }
    if (token.startsWith('"')) return { kind: 'literal', value: JSON.parse(token) };
    if (token.startsWith('`')) return { kind: 'literal', value: token.slice(1, -1) };
    if (/^-?\d/.test(token)) return { kind: 'literal', value: Number(token) };
    if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
    if (token === '.') return { kind: 'field', path: [] };
    if (token.startsWith('.')) return { kind: 'field', path: token.slice(1).split('.') };
    if (/^[A-Za-z_]/.test(token)) return { kind: 'call', name: token, args: [] };
    throw new UnsupportedTemplate(`\`${token}\` in \`${source.trim()}\` is not understood`);
  };
  const expr = pipeline();
  if (at < tokens.length) throw new UnsupportedTemplate(`\`${source.trim()}\` is not understood`);
  return expr;
}

function evaluate(expr: Expr, scope: unknown): unknown {
  if (expr.kind === 'literal') return expr.value;
  if (expr.kind === 'field') {
    const [root, ...rest] = expr.path;
    if (root === undefined) return scope;
    const inWith = scope === null || typeof scope !== 'object' || !('Values' in scope);
    if (root !== 'Values' && !inWith) throw new UnsupportedTemplate(`\`.${expr.path.join('.')}\` is not supported (only \`.Values\`)`);
    // A missing last key is nil (`default` may replace it); a missing key above it is an error in Helm too.
    let value: unknown = inWith ? scope : (scope as Record<string, unknown>).Values;
    for (const key of inWith ? expr.path : rest) {
      if (value === null || typeof value !== 'object') throw new UnsupportedTemplate(`\`.${expr.path.join('.')}\`: values.yaml does not set what is above \`${key}\``);
      value = Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value;
  }
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, expr.name) ? FUNCTIONS[expr.name] : undefined;
  if (!fn) throw new UnsupportedTemplate(`the function \`${expr.name}\` is not supported`);
  return fn(...expr.args.map((a) => evaluate(a, scope)));
}

const number = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new UnsupportedTemplate(`\`${print(v)}\` is not a number`);
};
const compare = (test: (a: number, b: number) => boolean) => (a: unknown, b: unknown) => test(number(a), number(b));

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  int: (v) => Math.trunc(number(v)),
  quote: (...vs) => vs.map((v) => JSON.stringify(v === undefined || v === null ? '' : print(v))).join(' '),
  squote: (...vs) => vs.map((v) => `'${v === undefined || v === null ? '' : print(v)}'`).join(' '),
  default: (fallback, v) => (truthy(v) ? v : fallback),
  not: (v) => !truthy(v),
  eq: (a, b) => (typeof a === 'number' || typeof b === 'number' ? number(a) === number(b) : a === b),
  ne: (a, b) => (typeof a === 'number' || typeof b === 'number' ? number(a) !== number(b) : a !== b),
  lt: compare((a, b) => a < b),
  le: compare((a, b) => a <= b),
  gt: compare((a, b) => a > b),
  ge: compare((a, b) => a >= b),
  toString: (v: unknown) => (v === undefined || v === null ? '' : print(v)),
  regexFind: (pattern, text) => new RegExp(String(pattern)).exec(String(text))?.[0] ?? '',
  trimPrefix: (prefix, text) => (String(text).startsWith(String(prefix)) ? String(text).slice(String(prefix).length) : String(text)),
  // sprig converts what is no number to 0.
  float64: (v) => (typeof v === 'number' ? v : Number.isFinite(Number.parseFloat(String(v))) ? Number.parseFloat(String(v)) : 0),
  mulf: (...vs) => vs.reduce<number>((product, v: unknown) => product * (typeof v === 'number' ? v : Number.parseFloat(String(v)) || 0), 1),
  dict: (...kv) => Object.fromEntries(Array.from({ length: Math.floor(kv.length / 2) }, (_, i) => [String(kv[2 * i]), kv[2 * i + 1]])),
  get: (map, key) => (map !== null && typeof map === 'object' ? (map as Record<string, unknown>)[String(key)] ?? '' : ''),
  printf: (format, ...vs) => { let i = 0; return String(format).replace(/%v/g, () => print(vs[i++])); },
  fail: (text) => { throw new UnsupportedTemplate(`the chart refuses its values: ${String(text)}`); },
  // Go's encoding/json writes map keys sorted.
  toJson: (v) => JSON.stringify(v ?? null, (_, x) => (x !== null && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : x)),
};

/** Go templates' truth: false, 0, nil and empty strings and collections are false. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** A value as `{{ }}` prints it; collections are refused (Helm prints Go's map syntax, never YAML). */
function print(v: unknown): string {
  if (v === null || v === undefined) throw new UnsupportedTemplate('a value values.yaml does not set is printed (Helm prints `<no value>`)');
  if (typeof v === 'object') throw new UnsupportedTemplate('a list or map is printed without `toYaml` (Helm would print Go syntax)');
  return String(v);
}
