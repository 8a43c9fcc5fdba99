/**
 * Output written tenant by tenant: past its first files a StagedOutput hands them to a writer
 * thread, and still swaps in all or nothing; `synth` writes, compares (`--check`) or prints
 * (`--stdout`) nothing when a group fails after others were written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSpec } from '../../bench/bench';
import { runSynth, SynthOptions, WRITER_THREAD_TENANTS } from '../../src/cli/synth';
import { toHelmFiles } from '../../src/output/helm';
import { renderGroups } from '../../src/output/render';
import { toYamlFiles } from '../../src/output/yaml';
import { SelfCheck, SelfCheckError } from '../../src/output/self-check';
import { IN_THREAD_FILES, OUTPUT_MARKER, OutputError, StagedOutput, writeOutput } from '../../src/output/write';
import { modelOf, REPO } from '../helpers';
import { listTree } from '../support/cli-process';

let dir: string;
let out: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-streamed-'));
  out = path.join(dir, 'out');
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `n` files in nested folders, each naming itself. */
const many = (n: number, tag = '') => new Map(Array.from({ length: n }, (_, i) => [`tenants/${i % 7}/t${i}.yaml`, `${tag}file ${i}\n`]));
const content = (d: string) => Object.fromEntries(listTree(d).filter((f) => f !== OUTPUT_MARKER).map((f) => [f, fs.readFileSync(path.join(d, f), 'utf8')]));

describe('the writer thread', () => {
  test('writes every file of a large output, and the swap waits for the last', () => {
    const files = many(IN_THREAD_FILES * 3 + 17);
    writeOutput(out, files);
    expect(content(out)).toEqual(Object.fromEntries(files));
    expect(fs.existsSync(path.join(out, OUTPUT_MARKER))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('a file it cannot write fails the output, leaves the previous one, and removes the staging folder', () => {
    const previous = many(3, 'old ');
    writeOutput(out, previous);
    const files = many(IN_THREAD_FILES + 50);
    // A file where the next one needs a folder: the writer thread's mkdir fails.
    files.set('tenants/0/t0.yaml/inside.yaml', 'cannot be\n');
    expect(() => writeOutput(out, files)).toThrow(OutputError);
    expect(content(out)).toEqual(Object.fromEntries(previous));
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('an abort midway stops it and removes what it wrote', () => {
    writeOutput(out, many(2, 'old '));
    const staged = StagedOutput.open(out);
    for (const [rel, text] of many(IN_THREAD_FILES * 2)) staged.write(rel, text);
    staged.abort();
    expect(content(out)).toEqual(Object.fromEntries(many(2, 'old ')));
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });
});

describe('synth, when the self-check fails after groups were written', () => {
  const options = (extra: Partial<SynthOptions>): SynthOptions => ({
    config: path.join(REPO, 'examples/tenancy.yaml'), out, check: false, stdout: false, format: 'yaml', package: true, ...extra,
  });
  const failLate = () => jest.spyOn(SelfCheck.prototype, 'finish').mockImplementation(() => {
    throw new SelfCheckError([]);
  });

  test.each(['yaml', 'helm'] as const)('writes nothing (--format %s): the previous output stays, no staging folder is left', (format) => {
    writeOutput(out, many(2, 'old '));
    failLate();
    expect(() => runSynth(options({ format, chartVersion: '0.1.0' }), () => undefined)).toThrow(SelfCheckError);
    expect(content(out)).toEqual(Object.fromEntries(many(2, 'old ')));
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('--stdout prints nothing', () => {
    failLate();
    const printed: string[] = [];
    expect(() => runSynth(options({ stdout: true }), (t) => printed.push(t))).toThrow(SelfCheckError);
    expect(printed).toEqual([]);
  });

  test('--stdout prints every file, in order, once the check passed', () => {
    const printed: string[] = [];
    expect(runSynth(options({ stdout: true }), (t) => printed.push(t))).toBe(0);
    const dist = ['platform.yaml', 'tenants/payments.yaml', 'tenants/search.yaml'].map((f) => fs.readFileSync(path.join(REPO, 'dist', f), 'utf8'));
    expect(printed.join('')).toBe(dist.join(''));
  });
});

describe('synth with a writer thread (a spec of WRITER_THREAD_TENANTS tenants or more)', () => {
  test.each(['yaml', 'helm'] as const)('writes the same bytes as the in-process writers (--format %s)', (format) => {
    const text = generateSpec(WRITER_THREAD_TENANTS + 2);
    const config = path.join(dir, 'tenancy.yaml');
    fs.writeFileSync(config, text);
    const model = modelOf(text);
    // The charts name no path: the same spec gives the same charts wherever it is written.
    const regenerate = 'npm run synth -- --config <spec> --out <output folder> --format helm';
    const expected = format === 'yaml'
      ? toYamlFiles(renderGroups(model))
      : toHelmFiles(renderGroups(model, 'helm'), model, { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate });
    const options: SynthOptions = { config, out, check: false, stdout: false, format, package: true, chartVersion: format === 'helm' ? '0.1.0' : undefined };
    expect(runSynth(options, () => undefined)).toBe(0);
    const written = listTree(out).filter((f) => f !== OUTPUT_MARKER);
    expect(written).toEqual([...expected.keys()].sort());
    const differ = written.filter((f) => !fs.readFileSync(path.join(out, f)).equals(Buffer.from(expected.get(f)!)));
    expect(differ).toEqual([]);
  });
});
