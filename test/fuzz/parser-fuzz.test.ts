/**
 * Fuzzing the spec parser with malformed YAML and JSON: random strings, token soup, byte-level
 * mutations and truncations of examples/tenancy.yaml, broken indentation, NUL bytes, deep
 * nesting, huge scalars, anchors and aliases, tags. The only outcomes allowed are success or a
 * SpecError (never another exception); through the CLI (in process), exit 1 without a stack trace
 * and the previous output folder left byte for byte as it was.
 *
 * Hangs: each in-process parse is timed, and a parse slower than HANG_GUARD_MS fails the test
 * (a guard against hangs and quadratic blow-ups, far above the milliseconds a parse takes; not
 * a performance target).
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { SpecError } from '../../src/spec/errors';
import { MAX_ALIAS_COUNT, MAX_SPEC_FILE_BYTES } from '../../src/spec/load';
import { parseSpec } from '../../src/spec/read-spec';
import { oneTenantSpec, REPO, runCli } from '../helpers';
import { digestTree, listTree } from '../support/cli-process';

const SEED = 7;
const HANG_GUARD_MS = 15_000;
const EXAMPLE = fs.readFileSync(path.join(REPO, 'examples/tenancy.yaml'));
const EXAMPLE_TEXT = EXAMPLE.toString('utf8');

let slowest = { ms: 0, input: '' };

/** Parses `text`; answers `accepted` or `refused`, and fails on any other exception or a hang. */
function outcome(text: string): 'accepted' | 'refused' {
  const start = performance.now();
  try {
    parseSpec(text);
    return 'accepted';
  } catch (err) {
    if (!(err instanceof SpecError)) {
      throw new Error(`parseSpec threw ${(err as Error)?.constructor?.name ?? typeof err} instead of a SpecError: ${(err as Error)?.message}\ninput: ${JSON.stringify(text.slice(0, 300))}`);
    }
    // Plain checks, not expect(): a refusal can list 100,000 problems.
    const bad = err.problems.find((p) => !(p.line >= 1 && p.col >= 1 && p.message.length > 0 && p.path.length > 0));
    if (err.problems.length === 0 || bad) throw new Error(`a SpecError without a located problem: ${JSON.stringify(bad ?? err.problems)}`);
    return 'refused';
  } finally {
    const ms = performance.now() - start;
    if (ms > slowest.ms) slowest = { ms, input: text.slice(0, 80) };
    if (ms > HANG_GUARD_MS) throw new Error(`parseSpec took ${Math.round(ms)} ms (hang guard ${HANG_GUARD_MS} ms) on ${JSON.stringify(text.slice(0, 200))}…`);
  }
}

afterAll(() => {
  // Not an assertion: how close the slowest case came to the guard.
  process.stdout.write(`parser fuzz: slowest parse ${Math.round(slowest.ms)} ms on ${JSON.stringify(slowest.input)}\n`);
});

// --- generators -----------------------------------------------------------------------------

/** Pieces of YAML syntax and of the spec's vocabulary: soup made of them hits more parser paths than random text. */
const TOKENS = [
  '\n', '\n', ' ', '  ', '    ', '\t', '-', '- ', ':', ': ', '? ', ',', '[', ']', '{', '}', '"', "'", '|', '>', '|-', '>+', '#', '# c',
  '&a ', '*a', '&b ', '*b', '<<: ', '!!binary ', '!!js/function ', '!!set ', '!!omap ', '!!str ', '!!int ', '!!float ', '!custom ', '!<tag:x> ',
  '%YAML 1.2\n', '%TAG ! tag:x,2000:\n', '---\n', '...\n', '\0', '\uFEFF', '\r\n', '\u2028', '\\', '\\u0000', 'null', '~', 'true', 'no', 'yes',
  '0x1F', '0o17', '.inf', '-.nan', '1e400', '123456789012345678901234567890', 'tenants', 'platform', 'name', 'domains', 'owners', 'groups',
  'issuer', 'acme', 'selfSigned', 'clusterIssuer', 'allowedDomains', 'tenantsDir', 'traefik', 'allowCrossNamespace', 'podSecurity',
  'quota', 'requests', 'cpu', '500m', '4Gi', 'payments', 'pay.example.com', '*.example.com', 'example.com', '__proto__', 'constructor',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((ts) => ts.join(''));

type ByteOp =
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number };

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
);

function mutateBytes(source: Buffer, ops: readonly ByteOp[]): Buffer {
  let b = Buffer.from(source);
  for (const o of ops) {
    const at = b.length === 0 ? 0 : o.at % b.length;
    if (o.op === 'set' && b.length > 0) b[at] = o.byte;
    else if (o.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(o.bytes), b.subarray(at)]);
    else if (o.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + o.length)]);
    else if (o.op === 'duplicate') b = Buffer.concat([b.subarray(0, at + o.length), b.subarray(at)]);
  }
  return b;
}

/** Re-indents each line: a shift of -4 to +4 columns, in spaces or tabs. */
const reindented = fc
  .array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.constantFrom(' ', ' ', ' ', '\t')), { minLength: 1, maxLength: 80 })
  .map((shifts) =>
    EXAMPLE_TEXT.split('\n')
      .map((line, i) => {
        const [shift, ch] = shifts[i % shifts.length];
        if (i % 3 !== 0) return line; // leave most lines alone, so the rest still parses as the spec
        return shift >= 0 ? ch.repeat(shift) + line : line.replace(new RegExp(`^ {0,${-shift}}`), '');
      })
      .join('\n'),
  );

// --- in-process properties -------------------------------------------------------------------

describe('parseSpec on malformed input: success or a SpecError, nothing else', () => {
  test('random strings (any Unicode)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void outcome(s)), { seed: SEED, numRuns: 400 });
  });

  test('YAML token soup', () => {
    fc.assert(fc.property(tokenSoup, (s) => void outcome(s)), { seed: SEED, numRuns: 1500 });
  });

  test('spec vocabulary in flow YAML nested at random', () => {
    const key = fc.constantFrom('tenants', 'platform', 'name', 'domains', 'owners', 'issuer', 'quota', 'traefik', 'defaults', 'wildcard', 'egress', 'x');
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.jsonValue({ maxDepth: 0 }), fc.array(tie('node')), fc.dictionary(key, tie('node'))),
    })).node;
    fc.assert(fc.property(fc.dictionary(key, value), (obj) => void outcome(JSON.stringify(obj))), { seed: SEED, numRuns: 500 });
  });

  test('JSON values, and JSON with random bytes changed', () => {
    fc.assert(fc.property(fc.json(), (s) => void outcome(s)), { seed: SEED, numRuns: 300 });
    const exampleJson = JSON.stringify(parseDocument(EXAMPLE_TEXT).toJS());
    expect(outcome(exampleJson)).toBe('accepted');
    fc.assert(
      fc.property(fc.array(byteOp, { minLength: 1, maxLength: 4 }), (ops) => void outcome(mutateBytes(Buffer.from(exampleJson), ops).toString('utf8'))),
      { seed: SEED, numRuns: 400 },
    );
  });

  test('byte-level mutations of examples/tenancy.yaml', () => {
    expect(outcome(EXAMPLE_TEXT)).toBe('accepted');
    fc.assert(
      fc.property(fc.array(byteOp, { minLength: 1, maxLength: 6 }), (ops) => void outcome(mutateBytes(EXAMPLE, ops).toString('utf8'))),
      { seed: SEED, numRuns: 1500 },
    );
  });

  test('every truncation of examples/tenancy.yaml, as YAML and as JSON', () => {
    for (let n = 0; n <= EXAMPLE_TEXT.length; n++) outcome(EXAMPLE_TEXT.slice(0, n));
    const json = JSON.stringify(parseDocument(EXAMPLE_TEXT).toJS(), null, 1);
    for (let n = 0; n <= json.length; n += 3) outcome(json.slice(0, n));
  });

  test('random indentation of examples/tenancy.yaml', () => {
    fc.assert(fc.property(reindented, (s) => void outcome(s)), { seed: SEED, numRuns: 400 });
  });

  test('NUL bytes and other control characters anywhere in examples/tenancy.yaml', () => {
    const controls = fc.constantFrom('\0', '\0\0\0', '\x01', '\x1b', '\x7f', '\u0085', '\uFFFE', '\uD800');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(EXAMPLE_TEXT.length), controls), { minLength: 1, maxLength: 4 }), (inserts) => {
        let text = EXAMPLE_TEXT;
        for (const [at, c] of inserts) text = text.slice(0, at) + c + text.slice(at);
        outcome(text);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  test('duplicate keys are found as the YAML parser finds them (same keys, same positions)', () => {
    // parseSource finds duplicate keys itself, in linear time; this pins it to the parser's own
    // quadratic `uniqueKeys` check on small maps, nested, in block and flow style.
    const k = fc.constantFrom('a', 'b', '"a"', "'b'", '1', '"1"', '01', 'null', '~', '""', 'true', '.nan', '&x c', '*x', '[a]', '{a: 1}', '!!str a', '? a');
    const map = fc.letrec((tie) => ({
      block: fc.array(fc.tuple(k, fc.oneof(fc.constant('1'), tie('flow'))), { minLength: 1, maxLength: 6 })
        .map((pairs) => pairs.map(([key, v]) => `${key}: ${v}`).join('\n')),
      flow: fc.array(fc.tuple(k, fc.oneof({ depthSize: 'small' }, fc.constant('1'), tie('flow'))), { maxLength: 5 })
        .map((pairs) => `{${pairs.map(([key, v]) => `${key}: ${v}`).join(', ')}}`),
    }));
    const reference = (text: string) => {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, lineCounter });
      return doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return e.code === 'DUPLICATE_KEY' ? `${pos.line}:${pos.col}` : 'other';
      });
    };
    fc.assert(
      fc.property(fc.oneof(map.block, map.flow.map((f) => `x: ${f}`)), (text) => {
        const expected = reference(text);
        let problems: string[] = [];
        try {
          parseSpec(text);
        } catch (err) {
          if (!(err instanceof SpecError)) throw err;
          problems = err.problems.filter((p) => / is set twice /.test(p.message)).map((p) => `${p.line}:${p.col}`);
        }
        if (expected.includes('other')) return; // a syntax error as well: the parser may stop checking keys there
        expect(problems.sort()).toEqual(expected.sort());
      }),
      { seed: SEED, numRuns: 600 },
    );
  });
});

/** Pathological inputs, each with the outcome it must have. */
const laughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n${['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i, all) => `${k}: &${k} [${Array(9).fill(`*${i === 0 ? 'a' : all[i - 1]}`).join(',')}]`).join('\n')}\n`;
const PATHOLOGICAL: Array<[name: string, text: () => string, expected: 'accepted' | 'refused']> = [
  ['flow sequences nested 100,000 deep', () => `tenants: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 'refused'],
  ['flow mappings nested 20,000 deep', () => `platform: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`, 'refused'],
  ['block mappings nested 3,000 deep', () => Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'), 'refused'],
  ['block sequences nested 3,000 deep', () => Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}-`).join('\n'), 'refused'],
  ['billion laughs (aliases of aliases)', () => laughs, 'refused'],
  [`exactly ${MAX_ALIAS_COUNT + 1} aliases`, () => `x: &x 1\ny: [${Array(MAX_ALIAS_COUNT + 1).fill('*x').join(', ')}]\n`, 'refused'],
  ['an alias to an anchor never set', () => 'tenants: *nowhere\n', 'refused'],
  ['an alias inside its own anchor (a cycle)', () => 'tenants: &t [*t]\n', 'refused'],
  ['a mapping that contains itself', () => 'platform: &p {defaults: *p}\ntenants: []\n', 'refused'],
  ['a tenant whose owners contain themselves', () => oneTenantSpec().replace('owners: { groups: [payments-leads] }', 'owners: &o { groups: [g], users: *o }'), 'refused'],
  ['an aliased tenant listed twice', () => `${oneTenantSpec().replace('  - name: payments', '  - &t\n    name: payments')}  - *t\n`, 'refused'],
  ['a 5 MB plain scalar', () => `tenants: ${'x'.repeat(5_000_000)}\n`, 'refused'],
  ['a 5 MB quoted scalar with escapes', () => `tenants: "${'\\u0041\\n'.repeat(700_000)}"\n`, 'refused'],
  ['a 2,000-character key', () => `${'k'.repeat(2000)}: 1\n`, 'refused'],
  ['a 1 MB tenant name', () => oneTenantSpec().replace('name: payments', `name: ${'a'.repeat(1_000_000)}`), 'refused'],
  ['60,000 distinct unknown keys (under the 1 MiB file limit)', () => Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}`).join('\n'), 'refused'],
  ['50,000 duplicate keys', () => 'a: 1\n'.repeat(50_000), 'refused'],
  ['30,000 empty tenants (over the tenant limit)', () => `tenants:\n${'  - {}\n'.repeat(30_000)}`, 'refused'],
  ['!!binary', () => 'platform: !!binary aGVsbG8=\ntenants: []\n', 'refused'],
  ['!!js/function', () => 'platform: !!js/function "function () { process.exit(3) }"\n', 'refused'],
  ['!!js/undefined and !!js/regexp', () => 'platform: !!js/undefined ~\ntenants: !!js/regexp /x/\n', 'refused'],
  ['!!set, !!omap, !!pairs', () => 'platform: !!set {a, b}\ntenants: !!omap [a: 1]\ntenantsDir: !!pairs [a: 1]\n', 'refused'],
  ['!!timestamp and !!float where strings belong', () => oneTenantSpec('    team: !!timestamp 2001-12-14\n    environment: !!float 1\n'), 'refused'],
  ['a custom tag and a %TAG directive', () => '%TAG !e! tag:example.com,2000:\n---\ntenants: !e!tenant [x]\n', 'refused'],
  // Unknown tags are never resolved (no code runs): the value stays plain data, here an empty tenant list.
  ['verbatim and unknown tags on an empty tenant list', () => '!<tag:yaml.org,2002:map> {tenants: !<tag:example.com:x> []}\n', 'accepted'],
  ['a collection as a key', () => `${oneTenantSpec()}  ? [a, b]\n  : 1\n`, 'refused'],
  ['a merge key', () => `base: &b { podSecurity: privileged }\n${oneTenantSpec('    <<: *b\n')}`, 'refused'],
  ['two documents', () => `${EXAMPLE_TEXT}---\n${EXAMPLE_TEXT}`, 'refused'],
  ['__proto__ and constructor keys', () => oneTenantSpec('    __proto__: { podSecurity: privileged }\n    constructor: { name: x }\n'), 'refused'],
  ['a document that is a scalar', () => 'just text\n', 'refused'],
  ['a document that is a list', () => '- a\n- b\n', 'refused'],
  ['an empty document', () => '', 'refused'],
  ['only a comment', () => '# nothing\n', 'refused'],
  ['NUL bytes only', () => '\0'.repeat(1000), 'refused'],
  ['a byte-order mark before the example', () => `\uFEFF${EXAMPLE_TEXT}`, 'accepted'],
  ['Windows line ends', () => EXAMPLE_TEXT.replace(/\n/g, '\r\n'), 'accepted'],
  ['old Mac line ends (CR only)', () => EXAMPLE_TEXT.replace(/\n/g, '\r'), 'refused'],
];

describe('pathological inputs', () => {
  test.each(PATHOLOGICAL)('%s', (_name, text, expected) => {
    expect(outcome(text())).toBe(expected);
  });
});

// --- through the CLI ---------------------------------------------------------------------------

describe('the CLI on malformed spec files', () => {
  let dir: string;
  let out: string;
  let before: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-fuzz-'));
    out = path.join(dir, 'out');
    fs.writeFileSync(path.join(dir, 'good.yaml'), oneTenantSpec());
    const good = runCli(['synth', '--config', path.join(dir, 'good.yaml'), '--out', out]);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    before = digestTree(out);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const random = (n: number) => Buffer.from(fc.sample(fc.integer({ min: 0, max: 255 }), { seed: SEED, numRuns: n }));
  const CASES: Array<[name: string, content: () => Buffer | string]> = [
    ['NUL bytes in the example', () => EXAMPLE_TEXT.replace(/: /g, ':\0 ')],
    ['the example cut in the middle of a line', () => EXAMPLE_TEXT.slice(0, Math.floor(EXAMPLE_TEXT.length / 2))],
    ['random bytes', () => random(4096)],
    ['invalid UTF-8', () => Buffer.concat([Buffer.from('tenants:\n  - name: '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('\n')])],
    ['billion laughs', () => laughs],
    ['flow sequences nested 100,000 deep', () => `tenants: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
    ['!!js/function', () => 'platform: !!js/function "function () { process.exit(0) }"\n'],
    ['an alias cycle', () => 'tenants: &t [*t]\n'],
    [`a file over ${MAX_SPEC_FILE_BYTES} bytes`, () => `${EXAMPLE_TEXT}${`# ${'x'.repeat(98)}\n`.repeat(Math.ceil(MAX_SPEC_FILE_BYTES / 100))}`],
    ['5,000 unknown keys', () => Array.from({ length: 5000 }, (_, i) => `k${i}: ${i}`).join('\n')],
    ['an empty file', () => ''],
  ];

  // In process (runCli: main() with its output captured; an exception it does not handle comes
  // back as exit 1 with the stack trace on stderr, as from a process). Exit statuses of a real
  // process are pinned in test/cli/process.test.ts.
  test(`exits 1 with located problems, no stack trace, and leaves the previous output as it was (${CASES.length} cases)`, () => {
    const results = CASES.map(([name, content], i) => {
      const spec = path.join(dir, `bad-${i}.yaml`);
      fs.writeFileSync(spec, content());
      return { name, spec, ...runCli(['synth', '--config', spec, '--out', out]) };
    });
    for (const r of results) {
      const summary = {
        name: r.name,
        status: r.status,
        stackTrace: /\n\s+at .+[(:]\d+/.test(r.stderr) || /^\s*at /m.test(r.stderr),
        endsWithNothingWritten: /nothing was written\.\n$/i.test(r.stderr),
        namesTheFile: r.stderr.startsWith(`${r.spec}:`),
        stdout: r.stdout,
      };
      expect(summary).toEqual({ ...summary, status: 1, stackTrace: false, endsWithNothingWritten: true, namesTheFile: true, stdout: '' });
    }
    expect(digestTree(out)).toBe(before);
    // No staging or old copies left beside the output folder.
    expect(fs.readdirSync(dir).filter((e) => e.startsWith('.'))).toEqual([]);
    expect(listTree(out)).toContain('.cdk8s-tenancy');
  });

  test('a folder given as the spec is a usage error (exit 2) naming it, and leaves the previous output as it was', () => {
    const spec = path.join(dir, 'a-folder.yaml');
    fs.mkdirSync(spec);
    expect(runCli(['synth', '--config', spec, '--out', out])).toEqual({ status: 2, stdout: '', stderr: `error: \`${spec}\` is a folder, not a file — check the path given to --config\n` });
    expect(digestTree(out)).toBe(before);
  });
});
