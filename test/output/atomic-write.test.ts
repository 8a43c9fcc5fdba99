/**
 * The output folder under a kill: `synth` of 500 tenants, and the writer it ends with, are killed
 * (SIGKILL) at several moments: while starting, as the staging folder appears, partway through
 * the staged files, near their end, and while the previous output is moved aside. After each
 * kill the folder holds exactly the previous output or exactly the new one (by digest of every
 * file), never a mix and never nothing, and the next write completes and sweeps what the killed
 * ones left behind. The moments are read off the folder (files counted), not timers.
 *
 * One kill is of the whole CLI; the others are of a process that runs only the CLI's last step,
 * `writeOutput` from the compiled lib/ with the same files: rendering 500 tenants again for
 * each kill would add seconds and test nothing more.
 *
 * Also, in process: a crash at each step of writeOutput (simulated by a failing fs call).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSpec } from '../../bench/bench';
import { OUTPUT_MARKER, writeOutput } from '../../src/output/write';
import { REPO, runCliProcess } from '../helpers';
import { digestTree, listTree, spawnCli } from '../support/cli-process';

const TENANTS = 500;

/** A small seeded PRNG (mulberry32): the kill moments are random but the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The moment of a kill, as seen from the output folder's parent. */
type Trigger =
  | { kind: 'started' }
  | { kind: 'staging'; files: number }
  | { kind: 'old' };

describe(`SIGKILL during synth of ${TENANTS} tenants`, () => {
  let dir: string;
  let out: string;
  let specB: string;
  let job: string;
  let files: number;
  let prev: string;
  let next: string;
  let prevCopy: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-kill-'));
    out = path.join(dir, 'out');
    specB = path.join(dir, 'b.yaml');
    fs.writeFileSync(specB, generateSpec(TENANTS));
    // The expected new output, from the CLI itself (into a sibling folder, so the marker is the same).
    const expected = path.join(dir, 'expected-next');
    const rendered = runCliProcess(['synth', '--config', specB, '--out', expected]);
    expect(rendered.stderr).toBe('');
    const content = new Map(listTree(expected).filter((f) => f !== OUTPUT_MARKER).map((f) => [f, fs.readFileSync(path.join(expected, f), 'utf8')]));
    files = content.size;
    // What the writer process writes: the same files and marker lines as the CLI.
    job = path.join(dir, 'job.json');
    const origin = fs.readFileSync(path.join(expected, OUTPUT_MARKER), 'utf8').split('\n').slice(1).filter(Boolean);
    fs.writeFileSync(job, JSON.stringify({ out, files: [...content], origin }));
    // The previous output differs in every file, and in the file list: one tenant more, one less.
    const previous = new Map([...content].map(([f, text]) => [f, `${text}# previous run\n`]));
    previous.delete([...content.keys()].pop()!);
    previous.set('tenants/departed.yaml', '# a tenant that has left the spec since\n');
    writeOutput(out, previous);
    prevCopy = path.join(dir, 'prev-copy');
    fs.cpSync(out, prevCopy, { recursive: true });
    prev = digestTree(out);
    next = digestTree(expected);
    expect(prev).not.toBe(next);
    expect(digestTree(prevCopy)).toBe(prev);
  }, 300_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Entries beside the output folder that writeOutput makes: `.out.tenancy-tmp-*` and `.out.tenancy-old`. */
  const sideEntries = () => fs.readdirSync(dir).filter((e) => e.startsWith('.out.'));
  /** Files written so far into the staging folder (0 when there is none). */
  const stagedFiles = () => {
    const staging = sideEntries().find((e) => e.includes('.tenancy-tmp-'));
    if (!staging) return -1;
    try {
      const top = fs.readdirSync(path.join(dir, staging));
      return top.filter((f) => f.endsWith('.yaml')).length + (top.includes('tenants') ? fs.readdirSync(path.join(dir, staging, 'tenants')).length : 0);
    } catch {
      return -1; // swapped in meanwhile
    }
  };

  /** `writeOutput(out, files)` from the compiled lib/, alone in a process: the last step of synth. */
  const spawnWriter = (): ChildProcess => spawn(process.execPath, ['-e', `
    const fs = require('fs');
    const { writeOutput } = require(${JSON.stringify(path.join(REPO, 'lib/output/write.js'))});
    const job = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
    writeOutput(job.out, new Map(job.files), job.origin);
  `, job], { stdio: ['ignore', 'pipe', 'pipe'] });

  /** Starts `child`, kills it at `trigger`; answers what happened. */
  async function killAt(child: ChildProcess, trigger: Trigger): Promise<{ killed: boolean; sawStaging: boolean }> {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout!.resume();
    const closed = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal })));
    let exited = false;
    void closed.then(() => (exited = true));
    let sawStaging = false;
    // Poll the parent folder as often as the event loop allows, until the trigger fires or the child ends.
    while (!exited) {
      const staged = stagedFiles();
      sawStaging ||= staged >= 0;
      const fire =
        trigger.kind === 'started' ||
        (trigger.kind === 'staging' && staged >= trigger.files) ||
        (trigger.kind === 'old' && sideEntries().some((e) => e.endsWith('.tenancy-old')));
      if (fire) {
        child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setImmediate(r));
    }
    const { status, signal } = await closed;
    if (signal !== 'SIGKILL' && status !== 0) throw new Error(`the run failed on its own (status ${status}):\n${stderr}`);
    return { killed: signal === 'SIGKILL', sawStaging };
  }

  test('the folder is always exactly the previous output or exactly the new one; the next run recovers', async () => {
    const random = prng(2024);
    const kills: Array<[who: 'synth' | 'writer', trigger: Trigger]> = [
      ['writer', { kind: 'started' }], // starting up, reading its files
      ['synth', { kind: 'staging', files: 0 }], // the whole CLI, as the staging folder appears
      ['writer', { kind: 'staging', files: 1 + Math.floor(random() * (files - 2)) }], // partway through the files
      ['writer', { kind: 'staging', files: files - 10 }], // the last files
      ['writer', { kind: 'old' }], // the previous output was just moved aside: swapping, or removing the old copy
    ];
    const seen: string[] = [];
    for (const [who, trigger] of kills) {
      const child = who === 'synth' ? spawnCli(['synth', '--config', specB, '--out', out]) : spawnWriter();
      const result = await killAt(child, trigger);
      const digest = digestTree(out);
      const state = digest === prev ? 'previous' : digest === next ? 'new' : digest === 'missing' ? 'MISSING' : 'MIXED';
      seen.push(`${who} ${JSON.stringify(trigger)} → killed: ${result.killed}, staging seen: ${result.sawStaging}, output: ${state}, left beside: ${sideEntries().map((e) => e.replace(/tmp-.*/, 'tmp-*')).join(' ') || 'nothing'}`);
      expect({ who, trigger, state }).toEqual({ who, trigger, state: expect.stringMatching(/^(previous|new)$/) });
      if (state === 'new') {
        // Start the next kill from the previous output again.
        fs.rmSync(out, { recursive: true, force: true });
        fs.cpSync(prevCopy, out, { recursive: true });
        expect(digestTree(out)).toBe(prev);
      }
    }
    process.stdout.write(`atomic write, kills:\n  ${seen.join('\n  ')}\n`);

    // A normal run (of the write, which is where recovery happens) completes over whatever the kills left, and sweeps it.
    const final = spawnWriter();
    let stderr = '';
    final.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => final.on('close', resolve));
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(digestTree(out)).toBe(next);
    expect(sideEntries()).toEqual([]);
  }, 900_000);
});

describe('a crash at each step of writeOutput (simulated in process)', () => {
  let dir: string;
  let out: string;
  const v1 = new Map([['platform.yaml', 'v1\n'], ['tenants/a.yaml', 'a1\n'], ['tenants/b.yaml', 'b1\n']]);
  const v2 = new Map([['platform.yaml', 'v2\n'], ['tenants/a.yaml', 'a2\n'], ['tenants/c.yaml', 'c2\n']]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-crash-'));
    out = path.join(dir, 'out');
    writeOutput(out, v1);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const content = (d: string) => Object.fromEntries(listTree(d).map((f) => [f, fs.readFileSync(path.join(d, f), 'utf8')]));
  const expectVersion = (files: Map<string, string>) =>
    expect(Object.fromEntries(Object.entries(content(out)).filter(([f]) => f !== OUTPUT_MARKER))).toEqual(Object.fromEntries(files));

  /** Makes the `n`-th call (1-based) of `fs[name]` throw, as a crash at that point would stop the write. */
  function failOnCall(name: 'writeFileSync' | 'renameSync', n: number): void {
    // The fs module itself (an `import * as` namespace only has getters, which cannot be spied on).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsModule = require('fs') as typeof fs;
    const real = fsModule[name] as (...args: unknown[]) => unknown;
    let calls = 0;
    jest.spyOn(fsModule, name).mockImplementation(((...args: unknown[]) => {
      calls += 1;
      if (calls === n) throw Object.assign(new Error(`simulated crash in ${name}`), { code: 'EIO' });
      return real.apply(fsModule, args);
    }) as never);
  }

  test.each([1, 2, 3, 4])('a failure writing staged file %i leaves the previous output and no staging folder', (n) => {
    failOnCall('writeFileSync', n);
    expect(() => writeOutput(out, v2)).toThrow('simulated crash');
    jest.restoreAllMocks();
    expectVersion(v1);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('a failure moving the previous output aside leaves it in place', () => {
    failOnCall('renameSync', 1);
    expect(() => writeOutput(out, v2)).toThrow('simulated crash');
    jest.restoreAllMocks();
    expectVersion(v1);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('a crash between the two renames leaves the previous output in `.out.tenancy-old`, and the next run puts it back first', () => {
    failOnCall('renameSync', 2);
    expect(() => writeOutput(out, v2)).toThrow('simulated crash');
    jest.restoreAllMocks();
    // The one moment a reader finds no folder: the previous output waits beside it.
    expect(fs.readdirSync(dir).sort()).toEqual(['.out.tenancy-old']);
    expect(content(path.join(dir, '.out.tenancy-old'))).toMatchObject(Object.fromEntries(v1));
    // Runs that write nothing (a refused spec, --check) leave it there; the next write restores it, then replaces it.
    writeOutput(out, v2);
    expectVersion(v2);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('a second writer starting mid-write does not sweep the first one\'s staging folder (no partial output)', () => {
    // Simulates two synth runs into the same folder: while the first writes its staged files,
    // a second one runs writeOutput from start to end.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsModule = require('fs') as typeof fs;
    const real = fsModule.writeFileSync;
    let calls = 0;
    jest.spyOn(fsModule, 'writeFileSync').mockImplementation(((...args: Parameters<typeof fs.writeFileSync>) => {
      calls += 1;
      const result = real.apply(fsModule, args);
      // The second writer runs between two files of the first (after `tenants/a.yaml`).
      if (calls === 2) writeOutput(out, v1);
      return result;
    }) as never);
    writeOutput(out, v2);
    jest.restoreAllMocks();
    // The first writer's content, complete: not the files it happened to write after the second one swept.
    expectVersion(v2);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('a staging folder removed midway (by anything else) fails the write instead of swapping in part of the files', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsModule = require('fs') as typeof fs;
    const real = fsModule.writeFileSync;
    let calls = 0;
    jest.spyOn(fsModule, 'writeFileSync').mockImplementation(((...args: Parameters<typeof fs.writeFileSync>) => {
      calls += 1;
      const result = real.apply(fsModule, args);
      if (calls === 2) for (const e of fs.readdirSync(dir).filter((x) => x.includes('.tenancy-tmp-'))) fs.rmSync(path.join(dir, e), { recursive: true });
      return result;
    }) as never);
    expect(() => writeOutput(out, v2)).toThrow(/ENOENT/);
    jest.restoreAllMocks();
    expectVersion(v1);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });

  test('stale staging folders and an old copy next to a complete output are swept by the next run', () => {
    fs.mkdirSync(path.join(dir, '.out.tenancy-tmp-abc123/tenants'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.out.tenancy-tmp-abc123/tenants/x.yaml'), 'partial');
    fs.mkdirSync(path.join(dir, '.out.tenancy-old'));
    fs.writeFileSync(path.join(dir, '.out.tenancy-old/platform.yaml'), 'older');
    // Another output's staging folder is not ours to sweep.
    fs.mkdirSync(path.join(dir, '.out2.tenancy-tmp-zzz'));
    // Nor is the staging folder of a synth still running (named with its process id); a killed one's is.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.mkdirSync(path.join(dir, `.out.tenancy-tmp-${dead}-aaaaaa`));
    fs.mkdirSync(path.join(dir, `.out.tenancy-tmp-${process.ppid}-bbbbbb`));
    writeOutput(out, v2);
    expectVersion(v2);
    expect(fs.readdirSync(dir).sort()).toEqual([`.out.tenancy-tmp-${process.ppid}-bbbbbb`, '.out2.tenancy-tmp-zzz', 'out']);
  });
});
