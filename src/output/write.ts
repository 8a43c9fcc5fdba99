/**
 * Writes an output folder safely:
 * - the new content is staged in a sibling folder and swapped in only when complete, so a
 *   refused spec, a crash or a kill leaves the previous output as it was;
 * - the folder carries a marker file, and a folder without it that holds anything is refused
 *   (`--out .` or `--out src` must never be wiped);
 * - files this tool no longer produces disappear with the swap; nothing else is touched.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

/** Marks a folder as written by cdk8s-tenancy. */
export const OUTPUT_MARKER = '.cdk8s-tenancy';
const MARKER_TEXT = 'This folder is written by cdk8s-tenancy; `npm run synth` replaces its whole content.\n';

/** Thrown when the output folder may not be written. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** Refuses `dir` if it exists with content cdk8s-tenancy did not write. */
export function assertOwnedOrEmpty(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) {
    throw new OutputError(`\`${dir}\` is a file, not a folder — choose a folder for --out`);
  }
  const entries = fs.readdirSync(dir);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new OutputError(
      `\`${dir}\` holds files cdk8s-tenancy did not write (no ${OUTPUT_MARKER} marker), and they would be replaced — choose an empty or new folder for --out`,
    );
  }
}

/**
 * Replaces the content of `dir` with `files` (relative path → text, or bytes for an archive),
 * atomically as seen by anyone reading `dir`: either the old content or the new, never a mix.
 */
export function writeOutput(dir: string, files: Iterable<readonly [string, string | Buffer]>, origin: readonly string[] = []): void {
  const staged = StagedOutput.open(dir);
  try {
    for (const [rel, content] of files) staged.write(rel, content);
    staged.commit(origin);
  } catch (err) {
    staged.abort();
    throw err;
  }
}

/**
 * Content produced by a function of a module, called where the file is written: in the writer
 * thread when there is one (so that serializing overlaps with rendering the next group), else
 * here. `args` must survive a structured clone (plain data, Maps, Buffers).
 */
export interface Deferred {
  /** Absolute path of the module (as `require.resolve` answers it: .ts under ts-node, .js from lib/). */
  readonly module: string;
  /** The exported function that returns the file's content. */
  readonly fn: string;
  readonly args: readonly unknown[];
}

/** Where output files go: written, compared (`--check`) or printed (`--stdout`). */
export interface FileSink {
  write(rel: string, content: string | Buffer): void;
  /** A file whose content `job` computes (and `here` computes the same way, in this thread). */
  writeLater(rel: string, job: Deferred, here: () => string | Buffer): void;
}

/**
 * An output folder written file by file: `open` stages a sibling folder, `write` adds each file
 * as it is produced (so the caller need not hold them all), `commit` swaps the staged folder in
 * when complete; `abort` (or a crash, or a kill) leaves the previous output as it was, and the
 * next run sweeps what a killed one left.
 */
export class StagedOutput implements FileSink {
  /**
   * Refuses a folder this tool does not own, recovers an interrupted swap, makes the staging
   * folder. `writerThread`: `true` starts the writer thread now (a large output: its modules load
   * while the first groups render), `false` never starts one, and by default it starts past the
   * first `IN_THREAD_FILES` files.
   */
  static open(dir: string, options: { writerThread?: boolean } = {}): StagedOutput {
    assertOwnedOrEmpty(dir);
    return asOutputError(dir, () => {
      fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
      recoverInterruptedSwap(dir);
      // The process id in the name tells another synth into the same folder that this one is still writing.
      const staging = fs.mkdtempSync(`${stagingPrefix(dir)}${process.pid}-`);
      ownStaging.add(staging);
      try {
        fs.chmodSync(staging, 0o755); // mkdtemp makes it private; an output folder is not
      } catch (err) {
        removeStaging(staging);
        throw err;
      }
      const staged = new StagedOutput(dir, staging, options.writerThread === false ? Infinity : options.writerThread ? 0 : IN_THREAD_FILES);
      if (options.writerThread) staged.background = new BackgroundWriter(staging, staged.made);
      return staged;
    });
  }

  /** Folders made inside the staging folder, each once, never recursively (see `makeFolder`). */
  private readonly made: Set<string>;
  private done = false;
  private written = 0;
  private background: BackgroundWriter | undefined;

  private constructor(readonly dir: string, private readonly staging: string, private readonly inThreadFiles: number) {
    this.made = new Set([staging]);
  }

  /**
   * Writes one file of the new output (relative path → text, or bytes). Past the first
   * `IN_THREAD_FILES` files, the files are handed to a writer thread, so that creating them
   * overlaps with rendering the next ones; a bounded number wait there at a time.
   */
  write(rel: string, content: string | Buffer): void {
    this.add({ rel, content }, () => content);
  }

  writeLater(rel: string, job: Deferred, here: () => string | Buffer): void {
    this.add({ rel, job }, here);
  }

  private add(file: ThreadFile, here: () => string | Buffer): void {
    if (this.done) throw new Error(`the output for ${this.dir} was already committed or aborted`);
    this.guard(() => {
      if (this.background === undefined && this.written >= this.inThreadFiles) this.background = new BackgroundWriter(this.staging, this.made);
      if (this.background) {
        this.background.add(file);
      } else {
        const target = path.join(this.staging, file.rel);
        makeFolder(path.dirname(target), this.made);
        fs.writeFileSync(target, here());
      }
      this.written++;
    });
  }

  /**
   * Marks the staged folder as ours and swaps it in for `dir`, once every file is written.
   * `origin`: lines added to the marker, saying where the content came from (see cli/output-folder.ts).
   */
  commit(origin: readonly string[] = []): void {
    if (this.done) throw new Error(`the output for ${this.dir} was already committed or aborted`);
    this.guard(() => {
      this.background?.finish();
      this.background = undefined;
      fs.writeFileSync(path.join(this.staging, OUTPUT_MARKER), MARKER_TEXT + origin.map((line) => `${line}\n`).join(''));
      swapIn(this.staging, this.dir);
    });
    this.done = true;
    ownStaging.delete(this.staging);
  }

  /** Drops the staged files; the previous output stays. Safe to call more than once. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.background?.stop();
    } finally {
      this.background = undefined;
      removeStaging(this.staging);
    }
  }

  /** Runs a step; on failure drops the staged files and throws (a file-system error as `OutputError`). */
  private guard(step: () => void): void {
    try {
      asOutputError(this.dir, step);
    } catch (err) {
      this.abort();
      throw err;
    }
  }
}

/** Files a `StagedOutput` writes itself before it starts a writer thread (small outputs never start one). */
export const IN_THREAD_FILES = 200;
/** Files sent to the writer thread in one message. */
const BATCH = 16;
/** Messages sent to the writer thread and not yet handled, at most (so memory stays bounded). */
const MAX_PENDING = 4;
/** How long the writer thread may make no progress before the write is given up. */
const STALL_MS = 120_000;

/** A file for the writer thread: its content, or the job that computes it. */
type ThreadFile = { readonly rel: string; readonly content: string | Buffer } | { readonly rel: string; readonly job: Deferred };

/**
 * The writer thread: writes each file of each batch it is sent into the staging folder (running
 * a file's job first, with the job's module loaded once, through ts-node for a .ts module),
 * making folders as `makeFolder` does (each once, never recursively: a staging folder removed
 * midway fails the write). It counts every batch it handles in `state[DONE]`; the first failure
 * is sent back on `port` and flagged in `state[FAILED]`, after which (as after `state[STOP]`)
 * batches are counted but not written. Plain JavaScript, so that it runs the same from lib/ and
 * under ts-node or jest.
 */
const WRITER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const path = require('path');
const state = new Int32Array(workerData.state);
const made = new Set(workerData.made);
const modules = new Map();
function load(file) {
  let m = modules.get(file);
  if (!m) {
    if (file.endsWith('.ts')) require(workerData.tsNode);
    m = require(file);
    modules.set(file, m);
  }
  return m;
}
function makeFolder(folder) {
  if (made.has(folder)) return;
  makeFolder(path.dirname(folder));
  fs.mkdirSync(folder);
  made.add(folder);
}
parentPort.on('message', (batch) => {
  try {
    for (const f of batch) {
      if (Atomics.load(state, 1) !== 0 || Atomics.load(state, 2) !== 0) break;
      const content = f.job ? load(f.job.module)[f.job.fn](...f.job.args) : f.content;
      const target = path.join(workerData.staging, f.rel);
      makeFolder(path.dirname(target));
      fs.writeFileSync(target, content);
    }
  } catch (e) {
    if (Atomics.load(state, 1) === 0) {
      workerData.port.postMessage({ message: String(e && e.message), code: e && e.code });
      Atomics.store(state, 1, 1);
    }
  } finally {
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
  }
});
`;
const DONE = 0;
const FAILED = 1;
const STOP = 2;

/** The main thread's side of the writer thread: hands files over in batches, waits for them, reports its failure. */
class BackgroundWriter {
  private readonly state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly errors: MessagePort;
  private readonly worker: Worker;
  private batch: ThreadFile[] = [];
  private sent = 0;

  constructor(staging: string, made: ReadonlySet<string>) {
    const { port1, port2 } = new MessageChannel();
    this.errors = port1;
    // Under ts-node (the tests, `npm run tenancy` from src/), jobs' modules are TypeScript.
    const tsNode = __filename.endsWith('.ts') ? require.resolve('ts-node/register/transpile-only') : undefined;
    this.worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { staging, made: [...made], state: this.state.buffer, port: port2, tsNode },
      transferList: [port2],
    });
    this.worker.unref();
  }

  add(file: ThreadFile): void {
    this.throwIfFailed();
    this.batch.push(file);
    if (this.batch.length >= BATCH) this.flush();
  }

  /** Waits for every file sent; throws the writer's failure, if any. */
  finish(): void {
    this.flush();
    this.waitUntil(0);
    this.throwIfFailed();
    this.close();
  }

  /** Tells the writer to write nothing more, and waits until it has stopped. */
  stop(): void {
    Atomics.store(this.state, STOP, 1);
    try {
      this.waitUntil(0);
    } finally {
      this.close();
    }
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.waitUntil(MAX_PENDING - 1);
    this.worker.postMessage(this.batch);
    this.sent++;
    this.batch = [];
  }

  /** Blocks until at most `pending` batches sent are not yet handled by the writer. */
  private waitUntil(pending: number): void {
    let done = Atomics.load(this.state, DONE);
    while (this.sent - done > pending) {
      if (Atomics.wait(this.state, DONE, done, STALL_MS) === 'timed-out' && Atomics.load(this.state, DONE) === done) {
        throw new Error(`the writer thread wrote nothing for ${STALL_MS / 1000} s`);
      }
      done = Atomics.load(this.state, DONE);
    }
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.state, FAILED) === 0) return;
    const failure = receiveMessageOnPort(this.errors)?.message as { message: string; code?: string } | undefined;
    // A file-system error keeps its code (and becomes an OutputError); a job's own failure does not.
    throw Object.assign(new Error(failure?.message ?? 'the writer thread failed'), failure?.code ? { code: failure.code } : {});
  }

  private close(): void {
    this.errors.close();
    void this.worker.terminate();
  }
}

/** Runs `step`; a file-system error becomes an `OutputError` that says the previous output is unchanged. */
function asOutputError<T>(dir: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof OutputError || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OutputError(`cannot write \`${dir}\` (${e.message}) — choose a folder you can write, whose parents are folders; the previous output is unchanged`);
  }
}

function removeStaging(staging: string): void {
  try {
    fs.rmSync(staging, { recursive: true, force: true });
  } finally {
    ownStaging.delete(staging);
  }
}

/** Staging folders this process is writing now (a library may write several outputs). */
const ownStaging = new Set<string>();

function stagingPrefix(dir: string): string {
  const abs = path.resolve(dir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.tenancy-tmp-`);
}

/** Makes `folder` and the missing folders above it, up to one in `made` (which must still exist). */
function makeFolder(folder: string, made: Set<string>): void {
  if (made.has(folder)) return;
  makeFolder(path.dirname(folder), made);
  fs.mkdirSync(folder);
  made.add(folder);
}

/** True while another process with this id runs (the staging folder it named is in use). */
function isWriting(entry: string): boolean {
  const pid = Number(/^(\d+)-/.exec(entry)?.[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Two renames: old → `.old`, staged → target; then the old copy is removed. */
function swapIn(staging: string, dir: string): void {
  const old = oldPath(dir);
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(staging, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

function oldPath(dir: string): string {
  const abs = path.resolve(dir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.tenancy-old`);
}

/**
 * A kill between the two renames leaves only the `.old` copy: put it back. Also sweeps the
 * staging folders of killed runs, but not those that a running process (another synth into the
 * same folder, or this process) is writing.
 */
function recoverInterruptedSwap(dir: string): void {
  const old = oldPath(dir);
  if (!fs.existsSync(dir) && fs.existsSync(old)) fs.renameSync(old, dir);
  const prefix = stagingPrefix(dir);
  const parent = path.dirname(prefix);
  const namePrefix = path.basename(prefix);
  for (const entry of fs.readdirSync(parent)) {
    if (!entry.startsWith(namePrefix)) continue;
    const full = path.join(parent, entry);
    if (ownStaging.has(full) || isWriting(entry.slice(namePrefix.length))) continue;
    fs.rmSync(full, { recursive: true, force: true });
  }
}

/**
 * `--check`: compares the files of a new output, one at a time as they are produced, with what
 * `dir` holds, and writes nothing. `finish` answers every file that differs, is missing, or would
 * be removed, each with what is wrong, sorted.
 */
export class OutputComparison implements FileSink {
  private readonly stale: string[] = [];
  private readonly produced = new Set<string>();

  constructor(readonly dir: string) {}

  write(rel: string, content: string | Buffer): void {
    this.produced.add(rel);
    const written = readIfExists(path.join(this.dir, rel));
    if (written === undefined) this.stale.push(`${rel} (missing)`);
    else if (!written.equals(typeof content === 'string' ? Buffer.from(content) : content)) this.stale.push(`${rel} (differs)`);
  }

  writeLater(rel: string, _job: Deferred, here: () => string | Buffer): void {
    this.write(rel, here());
  }

  /** How many files the new output has. */
  get size(): number {
    return this.produced.size;
  }

  finish(): string[] {
    for (const rel of listFiles(this.dir)) if (!this.produced.has(rel)) this.stale.push(`${rel} (would be removed)`);
    return this.stale.sort();
  }

  abort(): void {}
}

/** The file's bytes; undefined when there is no such file (one file-system call, not two). */
function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Files below `dir`, relative, `/`-separated; dot files (the marker) left out. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), rel);
    return rel.startsWith('.') ? [] : [rel];
  });
}

/**
 * `--stdout`: the text of a new output, held in a temporary file rather than in memory until it
 * is complete and checked, then printed in pieces; `abort` prints nothing.
 */
export class SpooledText implements FileSink {
  private readonly folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-stdout-'));
  private readonly file = path.join(this.folder, 'output.yaml');
  private readonly fd = fs.openSync(this.file, 'w');
  private closed = false;

  write(_rel: string, content: string | Buffer): void {
    fs.writeFileSync(this.fd, content); // at the file's position: appends, all of it
  }

  writeLater(rel: string, _job: Deferred, here: () => string | Buffer): void {
    this.write(rel, here());
  }

  /** Prints everything written, in pieces of at most 1 MiB, then removes the temporary file. */
  printTo(print: (text: string) => void): void {
    this.close();
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        const buffer = Buffer.alloc(1024 * 1024);
        const decoder = new StringDecoder('utf8');
        for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
          const text = decoder.write(buffer.subarray(0, n));
          if (text) print(text);
        }
        const rest = decoder.end();
        if (rest) print(rest);
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      this.abort();
    }
  }

  abort(): void {
    this.close();
    fs.rmSync(this.folder, { recursive: true, force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
