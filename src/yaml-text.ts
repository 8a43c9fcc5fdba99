/**
 * YAML text that every reader our users have reads as the same data: the writer of every YAML
 * file this tool produces (rendered objects, Helm values, vcluster values). A leaf module, read by
 * the output and by constructs that hand out YAML text.
 *
 * kubectl and Helm read YAML 1.1 (sigs.k8s.io/yaml, built on go-yaml v2): there `no`, `on`, `y`,
 * `0o17`, `0X1F`, `1_000` and more are booleans or numbers when written plain. YAML 1.2 readers
 * (editors, the `yaml` package) have their own forms (`1e3`, `0o17`). The writer is js-yaml's
 * `dump` with its DUMP_SCHEMA, which quotes every string that YAML 1.1 or YAML 1.2 would resolve
 * to something else, plus one tag of ours for the forms it does not know: those that go-yaml v2
 * resolves beyond the YAML 1.1 spec (it strips every `_` and parses with Go's number syntax, so
 * `0X1F`, `0B1`, `+_1`, `1_0e3` are numbers there), and those the `yaml` package's own 1.1 schema
 * resolves (`.`, `e3`, `2001-1-2`). Quoting a string that no reader would misread costs nothing,
 * so the tag errs on the side of quoting. `test/output/yaml-readers.test.ts` proves the result
 * against go-yaml v2 itself (through chart-render), YAML 1.1 and YAML 1.2.
 *
 * js-yaml was chosen by measurement (bench/results.md): on the 20,000 objects of 1,000 tenants,
 * `yaml.stringify` took 2.3 s, js-yaml 5.5 with this tag 1.0 s, js-yaml 4.3 0.6 s (but the 4.x
 * line is the legacy one, and writes `+.5` and `1_000` plain), `JSON.stringify` 0.06 s.
 */
import { defineScalarTag, DUMP_SCHEMA, jsToAst, NOT_RESOLVED, present } from 'js-yaml';

/** Words that some reader takes for a boolean, null, merge key or value key (`=`), in any case. */
const KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null|~|=|<<|[-+]?\.inf|\.nan)$/i;
/**
 * Numbers in any base and notation, once every `_` is removed (as go-yaml v2 does): Go's
 * prefixes in either case, decimals with or without digits around the point, exponents with or
 * without a mantissa (the `yaml` package's 1.1 schema reads `e3` as a float), and sexagesimal
 * (YAML 1.1's `1:20`).
 */
const NUMBER = /^[-+]?(?:0[box][0-9a-f]+|[0-9]*\.?[0-9]*(?:e[-+]?[0-9]+)?|[0-9]+(?::[0-9]+)+(?:\.[0-9]*)?)$/i;
/** Dates and timestamps (YAML 1.1, go-yaml v2's `2006-1-2`, the `yaml` package's single-digit fields). */
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/;

/**
 * True when `text`, written as a plain scalar, might be read as something other than this string
 * by a YAML 1.1 or 1.2 reader. A superset on purpose: the empty string, `-` and `.` count too.
 */
export function isAmbiguousPlain(text: string): boolean {
  if (text.length === 0 || KEYWORD.test(text) || TIMESTAMP.test(text)) return true;
  const first = text.charCodeAt(0);
  // Every numeric form starts with a digit, a sign, a point or an exponent letter.
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46 || first === 101 || first === 69 || first === 95;
  return numeric && NUMBER.test(text.includes('_') ? text.replace(/_/g, '') : text);
}

/**
 * A tag no value is ever written with: it only "resolves" the ambiguous plain forms, and a string
 * whose plain form resolves to another tag than `!!str` is quoted by the dumper.
 */
const AMBIGUOUS_TAG = defineScalarTag<string>('tag:cdk8s-tenancy,2026:ambiguous', {
  implicit: true,
  implicitFirstChars: null,
  resolve: (source) => (isAmbiguousPlain(source) ? source : NOT_RESOLVED),
  identify: () => false,
});
const SCHEMA = DUMP_SCHEMA.withTags(AMBIGUOUS_TAG);

/** Values as a YAML stream, `---` before each document. */
export function toYamlStreamText(values: readonly unknown[]): string {
  return present(documentsOf(values).map((contents) => ({ contents, directives: [], explicitStart: true })), PRESENT);
}

/**
 * One value as YAML text, ending in a newline; the Helm templates and values are written from
 * the same text. Strings are quoted where any reader could misread them; multi-line strings are
 * literal blocks; no line is folded, no anchor is made.
 */
export function toYamlDocument(value: unknown): string {
  return toYamlDocuments([value])[0];
}

/** `toYamlDocument` of each value (one conversion for all of them: js-yaml's set-up is per call). */
export function toYamlDocuments(values: readonly unknown[]): string[] {
  return documentsOf(values).map((contents) => present([{ contents, directives: [] }], PRESENT));
}

const PRESENT = { schema: SCHEMA, lineWidth: -1, quoteStyle: 'double' } as const;

/** js-yaml's document tree of each value, built in one call: the values as the items of one sequence. */
function documentsOf(values: readonly unknown[]) {
  const root = jsToAst(values, SCHEMA, { noRefs: true })[0].contents;
  if (root?.kind !== 'sequence') throw new Error('js-yaml did not represent a list as a sequence');
  return root.items;
}
