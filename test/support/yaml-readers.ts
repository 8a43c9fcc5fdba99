/**
 * Test helper: YAML text read the ways our users' tools read it, to prove that every reader gets
 * the same data out of our output.
 *
 * - YAML 1.2 (core schema): editors, the `yaml` package, js-yaml, most JavaScript tooling.
 * - YAML 1.1 (the `yaml` package's `yaml-1.1` schema): booleans `yes/no/on/off/y/n`, numbers in
 *   YAML 1.1 notation (`017`, `1_000`, `1:20`), timestamps, merge keys.
 * - go-yaml v2, which kubectl and Helm read through sigs.k8s.io/yaml. Twice:
 *   `goYamlV2Resolve` ports its resolver (gopkg.in/yaml.v2 resolve.go, v2.4.0) so that every plain
 *   scalar of an output can be checked cheaply, and `readWithGoYamlV2` has the real thing read
 *   whole documents, through chart-render's `fromYaml` (sigs.k8s.io/yaml 1.3 on gopkg.in/yaml.v2
 *   2.4). The port is checked against the real thing in yaml-readers.test.ts.
 *
 * The `yaml` package's 1.1 schema is not go-yaml v2: it misses Go's number syntax (`0o17`,
 * `0X1F`, `+_1`: go-yaml v2 strips every `_` and parses with Go's base prefixes), and it resolves
 * forms go-yaml v2 leaves as strings (sexagesimal `1:20`, `.`, `e3`, `._5`, dates read as
 * timestamps where go-yaml v2 hands strings to sigs.k8s.io/yaml). Hence the three readers.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, Scalar, visit } from 'yaml';
import { chartRenderBinary } from '../output/chart-render';

/** The documents of a YAML stream as plain data, read with YAML 1.2 or YAML 1.1 rules (empty documents left out). */
export function readYaml(text: string, version: '1.1' | '1.2'): unknown[] {
  const docs = parseAllDocuments(text, { version, merge: version === '1.1' });
  if (!Array.isArray(docs)) return [];
  return docs.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`YAML ${version} cannot read the text: ${doc.errors[0].message}`);
    return doc.toJS({ maxAliasCount: -1 });
  }).filter((d) => d !== null && d !== undefined);
}

/** What go-yaml v2 resolves a plain scalar to (its tag, without `!!`). */
export type GoTag = 'str' | 'bool' | 'null' | 'int' | 'float' | 'timestamp' | 'merge';

const GO_MAP: ReadonlyMap<string, GoTag> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, 'bool'] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, 'bool'] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, 'null'] as const),
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'].map((s) => [s, 'float'] as const),
  ['<<', 'merge'],
]);

/** go-yaml v2's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The tag go-yaml v2 gives a plain (unquoted, untagged) scalar: a port of `resolve` in resolve.go. */
export function goYamlV2Resolve(text: string): GoTag {
  const first = text === '' ? 'N' : hint(text[0]);
  if (first === undefined) return 'str';
  const mapped = GO_MAP.get(text);
  if (mapped) return mapped;
  if (first === '.') return goParseFloat(text) !== undefined ? 'float' : 'str';
  if (first === 'D' || first === 'S') {
    if (goParseTimestamp(text)) return 'timestamp';
    const plain = text.replace(/_/g, '');
    if (goParseInt(plain, 0, true) !== undefined || goParseInt(plain, 0, false) !== undefined) return 'int';
    if (YAML_STYLE_FLOAT.test(plain) && goParseFloat(plain) !== undefined) return 'float';
    if (plain.startsWith('0b')) {
      if (goParseInt(plain.slice(2), 2, true) !== undefined || goParseInt(plain.slice(2), 2, false) !== undefined) return 'int';
    } else if (plain.startsWith('-0b')) {
      if (goParseInt(`-${plain.slice(3)}`, 2, true) !== undefined) return 'int';
    }
  }
  return 'str';
}

/** go-yaml v2's `resolveTable`: S(ign), D(igit), M(ap), `.`, or nothing. */
function hint(c: string): 'S' | 'D' | 'M' | '.' | 'N' | undefined {
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, base, 64)` (`signed`) or `ParseUint(s, base, 64)`: the value, or undefined for an error. */
function goParseInt(s: string, base: 0 | 2, signed: boolean): bigint | undefined {
  let rest = s;
  let negative = false;
  if (signed && (rest[0] === '+' || rest[0] === '-')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  let radix = base === 0 ? 10 : base;
  if (base === 0 && rest[0] === '0' && rest.length > 1) {
    const prefix = rest[1].toLowerCase();
    if (prefix === 'b' || prefix === 'o' || prefix === 'x') {
      radix = prefix === 'b' ? 2 : prefix === 'o' ? 8 : 16;
      rest = rest.slice(2);
    } else {
      radix = 8;
      rest = rest.slice(1);
    }
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix as 2 | 8 | 10 | 16];
  if (!digits.test(rest)) return undefined;
  const magnitude = [...rest.toLowerCase()].reduce((n, d) => n * BigInt(radix) + BigInt(parseInt(d, 16)), 0n);
  const value = negative ? -magnitude : magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return undefined;
  return value;
}

/** Go's `underscoreOK`: underscores only between digits (or after a base prefix). */
function goUnderscoreOK(s: string): boolean {
  let rest = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  let saw = '^';
  let hex = false;
  if (rest.length >= 2 && rest[0] === '0' && 'box'.includes(rest[1].toLowerCase())) {
    hex = rest[1].toLowerCase() === 'x';
    saw = '0';
    rest = rest.slice(2);
  }
  for (const c of rest) {
    if ((c >= '0' && c <= '9') || (hex && /[a-f]/i.test(c))) {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/**
 * Go's `strconv.ParseFloat(s, 64)` for the decimal forms go-yaml v2 hands it (a leading `.`, or
 * what `yamlStyleFloat` matched): the value, or undefined for a syntax or range error.
 */
function goParseFloat(s: string): number | undefined {
  if (!/^[-+]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9_]+)?$/.test(s)) return undefined;
  if (s.includes('_') && !goUnderscoreOK(s)) return undefined;
  const value = Number(s.replace(/_/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** go-yaml v2's `parseTimestamp`: Go's `time.Parse` with its four layouts. */
function goParseTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+](\d{2}):(\d{2}))|[ ](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?)?$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS[month - 1])) return false;
  if (m[4] === undefined && m[9] === undefined) return true;
  const [hour, minute, second] = (m[4] !== undefined ? [m[4], m[5], m[6]] : [m[9], m[10], m[11]]).map(Number);
  return hour < 24 && minute < 60 && second < 60;
}

/** Every plain scalar of a YAML stream (keys included) with what go-yaml v2 would read instead of a string; empty when none. */
export function goYamlV2Misreads(text: string): string[] {
  const misread: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    visit(doc, {
      Scalar(_, node: Scalar) {
        if (node.type !== 'PLAIN' || typeof node.value !== 'string') return;
        const tag = goYamlV2Resolve(node.source ?? String(node.value));
        if (tag !== 'str') misread.push(`${JSON.stringify(node.source)} (${tag})`);
      },
    });
  }
  return misread;
}

/** Where two readers disagree on a YAML stream, or `undefined` when every reader reads the same data. */
export function readersDisagree(text: string): string | undefined {
  let v12: unknown[];
  let v11: unknown[];
  try {
    v12 = readYaml(text, '1.2');
    v11 = readYaml(text, '1.1');
  } catch (err) {
    return (err as Error).message;
  }
  const a = JSON.stringify(v12, jsonSafe);
  const b = JSON.stringify(v11, jsonSafe);
  if (a !== b) return `YAML 1.1 reads other data than YAML 1.2: ${firstDifference(a, b)}`;
  const go = goYamlV2Misreads(text);
  if (go.length > 0) return `go-yaml v2 reads plain scalars as other than strings: ${go.slice(0, 5).join(', ')}`;
  return undefined;
}

/** Dates, NaN and infinities stay visible in the comparison (JSON would make them strings or null). */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return `(number ${value})`;
  if (value instanceof Date) return `(date ${value.toISOString()})`;
  return value;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 60), i + 40)}… against …${b.slice(Math.max(0, i - 60), i + 40)}…`;
}

/**
 * The documents read by go-yaml v2 itself, through sigs.k8s.io/yaml as Helm and kubectl read
 * them: each document becomes a file of a throw-away chart whose template prints
 * `fromYaml | toJson` of each. Each document must be a mapping. Numbers come back as JSON numbers.
 */
export function readWithGoYamlV2(documents: readonly string[]): unknown[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-yaml-v2-'));
  try {
    const chart = path.join(dir, 'reader');
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    fs.mkdirSync(path.join(chart, 'docs'));
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: reader\nversion: 0.1.0\n');
    documents.forEach((doc, i) => fs.writeFileSync(path.join(chart, 'docs', `${String(i).padStart(6, '0')}.yaml`), doc));
    fs.writeFileSync(path.join(chart, 'templates', 'read.yaml'), [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: read-by-go-yaml-v2',
      'data:',
      '{{- range $path, $_ := .Files.Glob "docs/*.yaml" }}',
      '  {{ base $path | trimSuffix ".yaml" | printf "d%s" }}: {{ $.Files.Get $path | fromYaml | toJson | b64enc | quote }}',
      '{{- end }}',
      '',
    ].join('\n'));
    const result = spawnSync(chartRenderBinary(), [chart], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`chart-render could not read the documents (status ${result.status}): ${result.stderr}`);
    const data = (readYaml(result.stdout, '1.2')[0] as { data?: Record<string, string> }).data ?? {};
    return documents.map((_, i) => {
      const encoded = data[`d${String(i).padStart(6, '0')}`];
      const json = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
      const value = json === '' ? {} : JSON.parse(json);
      // fromYaml answers `{Error: …}` for a document it cannot read (or whose NaN or infinity JSON cannot hold).
      const keys = Object.keys(value);
      return keys.length === 1 && keys[0] === 'Error' ? `(go-yaml v2 could not read it: ${value.Error})` : value;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The documents of a stream as separate texts (our output separates them with `---` lines). */
export function splitDocuments(text: string): string[] {
  return text.split(/^---\n/m).filter((doc) => doc.replace(/^#.*\n/gm, '').trim() !== '');
}
