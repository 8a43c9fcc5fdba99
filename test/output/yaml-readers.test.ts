/**
 * Every string we write is read as that same string by every reader our users have: YAML 1.2
 * (editors, JavaScript tools), YAML 1.1 (the `yaml` package's 1.1 schema) and go-yaml v2, which
 * kubectl and Helm read through sigs.k8s.io/yaml (its resolver ported in test/support, and the
 * real one through chart-render). The issue this closes: `team: "no"` was written `team: no`,
 * which kubectl reads as the boolean false.
 */
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { toYamlDocument, toYamlFiles } from '../../src/output/yaml';
import { modelOf, render } from '../helpers';
import { renderGroups } from '../../src/output/render';
import { assertIsolated } from '../../src/output/self-check';
import { specialForm, specialLabelValue, specialString, specialSubject } from '../property/special-strings';
import { SpecData, specText, validSpec } from '../property/arbitraries';
import { MISREADABLE, MISREADABLE_SPEC, sampleOutputs } from '../support/output-samples';
import { goYamlV2Resolve, readersDisagree, readWithGoYamlV2, readYaml, splitDocuments } from '../support/yaml-readers';

const SEED = 42;

/** A spec text through the real pipeline, self-check included. */
function pipelineOf(text: string) {
  const model = modelOf(text);
  const groups = renderGroups(model);
  assertIsolated(groups, model);
  return { groups };
}

/** JSON with every mapping's keys sorted (go-yaml v2 hands maps over sorted). */
const canonical = (value: unknown): string => JSON.stringify(value, (_, v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);

/** A value holding each string as a list item, as a key and as a nested value. */
const holding = (strings: readonly string[]) => ({
  list: strings,
  keys: Object.fromEntries(strings.map((s, i) => [s, i])),
  nested: strings.map((s) => ({ [s]: [s] })),
});

describe('the writer quotes every string a reader would misread', () => {
  test('the issue\'s tenant: team "no", environment "on" and owner group "yes" stay strings for YAML 1.1 readers', () => {
    const text = toYamlFiles(render(MISREADABLE_SPEC)).get('tenants/no.yaml')!;
    const [namespace, ...rest] = readYaml(text, '1.1') as any[];
    expect(namespace.metadata.labels).toMatchObject({ 'tenancy.cdk8s.io/tenant': 'no', 'tenancy.cdk8s.io/team': 'no', 'tenancy.cdk8s.io/environment': 'on' });
    const binding = rest.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'no');
    expect(binding.subjects.map((s: { name: unknown }) => s.name)).toEqual(expect.arrayContaining(['yes', 'Y', 'no', 'N', 'on', 'Off', '<<', '=']));
    expect(text).toContain('tenancy.cdk8s.io/team: "no"');
  });

  test('special forms and awkward strings, as items, keys and values, read back unchanged in YAML 1.2, YAML 1.1 and go-yaml v2 (port)', () => {
    fc.assert(
      fc.property(fc.array(specialString, { maxLength: 12 }), (strings) => {
        const value = holding(strings);
        const text = toYamlDocument(value);
        expect({ text, disagreement: readersDisagree(text) }).toEqual({ text, disagreement: undefined });
        expect(readYaml(text, '1.2')).toEqual([value]);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  test('go-yaml v2 itself (sigs.k8s.io/yaml through chart-render) reads 3,000 of them back unchanged', () => {
    const strings = [...MISREADABLE, ...fc.sample(specialString, { seed: SEED, numRuns: 3000 })];
    const values = [];
    for (let i = 0; i < strings.length; i += 100) values.push(holding(strings.slice(i, i + 100)));
    expect(readWithGoYamlV2(values.map(toYamlDocument))).toEqual(values);
  });
});

describe('how faithful each YAML 1.1 reader is to go-yaml v2', () => {
  /** Special forms written plain (those that can be), each as the one value of a document. */
  const plainForms = [...new Set([...MISREADABLE, ...fc.sample(specialForm, { seed: SEED, numRuns: 1500 })])].filter((s) => {
    // Characters YAML 1.1 takes for line breaks or refuses are another matter (the writer escapes them).
    if (/[\u0080-\u00a0\u2028\u2029\ufeff]/.test(s)) return false;
    const doc = parseAllDocuments(`v: ${s}\n`);
    return Array.isArray(doc) && doc.length === 1 && doc[0].errors.length === 0 && (doc[0].contents as any)?.items?.[0]?.value?.source === s;
  });

  test('the port of go-yaml v2\'s resolver (test/support/yaml-readers.ts) types every plain special form as go-yaml v2 does', () => {
    const read = readWithGoYamlV2(plainForms.map((s) => `v: ${s}\n`)) as Array<{ v: unknown } | string>;
    // A NaN or an infinity is a number JSON cannot hold, so it comes back as that error.
    const kind = (v: unknown) => (v === null ? 'null' : typeof v === 'string' && /^\(go-yaml v2 could not read it: .*unsupported value: (NaN|[+-]Inf)/.test(v) ? 'number' : typeof v);
    const expected = (s: string) => {
      const tag = goYamlV2Resolve(s);
      // sigs.k8s.io/yaml hands timestamps (and a merge key used as a value) over as the text.
      return tag === 'str' || tag === 'timestamp' || tag === 'merge' ? 'string' : tag === 'bool' ? 'boolean' : tag === 'null' ? 'null' : 'number';
    };
    const actual = plainForms.map((s, i) => `${s} → ${kind(typeof read[i] === 'string' ? read[i] : (read[i] as { v: unknown }).v)}`);
    expect(actual).toEqual(plainForms.map((s) => `${s} → ${expected(s)}`));
    expect(plainForms.length).toBeGreaterThan(500);
  });

  test('the `yaml` package\'s 1.1 schema types these plain forms otherwise than go-yaml v2 (why both are checked)', () => {
    const forms = ['yes', 'no', 'on', 'y', '~', '017', '0x1F', '1_000', '0o17', '0O17', '0X1F', '0B101', '-0o17', '+_1', '0_x1F', '1_0e3', '1:20', '.', 'e3', '._5', '2001-12-14', '2001-1-2'];
    const typeIn11 = (s: string) => {
      const v = (readYaml(`v: ${s}\n`, '1.1')[0] as { v: unknown }).v;
      return v instanceof Date ? 'timestamp' : v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'str';
    };
    const typeInGo = (s: string) => ({ int: 'number', float: 'number', merge: 'str' } as Record<string, string>)[goYamlV2Resolve(s)] ?? goYamlV2Resolve(s);
    const differ = forms.filter((s) => typeIn11(s) !== typeInGo(s)).map((s) => `${s}: yaml 1.1 ${typeIn11(s)}, go-yaml v2 ${typeInGo(s)}`);
    expect(differ).toEqual([
      '0o17: yaml 1.1 str, go-yaml v2 number',
      '0O17: yaml 1.1 str, go-yaml v2 number',
      '0X1F: yaml 1.1 str, go-yaml v2 number',
      '0B101: yaml 1.1 str, go-yaml v2 number',
      '-0o17: yaml 1.1 str, go-yaml v2 number',
      '+_1: yaml 1.1 str, go-yaml v2 number',
      '0_x1F: yaml 1.1 str, go-yaml v2 number',
      '1:20: yaml 1.1 number, go-yaml v2 str',
      '.: yaml 1.1 number, go-yaml v2 str',
      'e3: yaml 1.1 number, go-yaml v2 str',
      '._5: yaml 1.1 number, go-yaml v2 str',
    ]);
  });
});

describe('every output reads the same in every reader', () => {
  const samples = sampleOutputs();

  test('YAML files, rendered charts, values.yaml, Chart.yaml, the onboarded tenant file and dist/: YAML 1.1 ≡ YAML 1.2, no plain scalar go-yaml v2 misreads', () => {
    const problems = samples.flatMap((s) => {
      const why = readersDisagree(s.text);
      return why === undefined ? [] : [`${s.name}: ${why}`];
    });
    expect(problems).toEqual([]);
    expect(samples.length).toBeGreaterThan(30);
  });

  test('go-yaml v2 itself reads every document of them as YAML 1.2 does', () => {
    const docs = samples.flatMap((s) => splitDocuments(s.text).map((text) => ({ name: s.name, text })));
    const read = readWithGoYamlV2(docs.map((d) => d.text));
    const differ = docs.filter((d, i) => canonical(read[i]) !== canonical(readYaml(d.text, '1.2')[0])).map((d) => d.name);
    expect(differ).toEqual([]);
  });

  test('random valid specs whose team, environment and owners are special forms: every YAML file reads the same in every reader', () => {
    const spec = validSpec(3).chain((s: SpecData) =>
      fc.tuple(
        fc.array(fc.record({ team: specialLabelValue, environment: specialLabelValue, groups: fc.array(specialSubject, { minLength: 1, maxLength: 3 }) }), { minLength: s.tenants.length, maxLength: s.tenants.length }),
      ).map(([extra]) => ({ ...s, tenants: s.tenants.map((t: SpecData, i: number) => ({ ...t, team: extra[i].team, environment: extra[i].environment, owners: { groups: extra[i].groups } })) })));
    fc.assert(
      fc.property(spec, (s) => {
        const { groups } = pipelineOf(specText(s, 'block'));
        for (const [file, text] of toYamlFiles(groups)) expect({ file, disagreement: readersDisagree(text) }).toEqual({ file, disagreement: undefined });
        const namespaces = groups.flatMap((g) => (readYaml(toYamlFiles([g]).get(g.file)!, '1.1') as any[]).filter((o) => o.kind === 'Namespace' && o.metadata.labels['tenancy.cdk8s.io/team']));
        expect(namespaces.map((n) => n.metadata.labels['tenancy.cdk8s.io/team'])).toEqual(s.tenants.map((t: SpecData) => t.team));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
