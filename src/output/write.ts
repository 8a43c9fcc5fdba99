/**
 * Writes an output folder safely:
 * - the new content is staged in a sibling folder and swapped in only when complete, so a
 *   refused spec, a crash or a kill leaves the previous output as it was;
 * - the folder carries a marker file, and a folder without it that holds anything is refused
 *   (`--out .` or `--out src` must never be wiped);
 * - files this tool no longer produces disappear with the swap; nothing else is touched.
 */
import * as fs from 'fs';
import * as path from 'path';

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
 * `origin`: lines added to the marker, saying where the content came from (see cli/output-folder.ts).
 */
export function writeOutput(dir: string, files: ReadonlyMap<string, string | Buffer>, origin: readonly string[] = []): void {
  assertOwnedOrEmpty(dir);
  try {
    writeStaged(dir, files, origin);
  } catch (err) {
    if (err instanceof OutputError || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    const e = err as NodeJS.ErrnoException;
    throw new OutputError(`cannot write \`${dir}\` (${e.message}) — choose a folder you can write, whose parents are folders; the previous output is unchanged`);
  }
}

function writeStaged(dir: string, files: ReadonlyMap<string, string | Buffer>, origin: readonly string[]): void {
  const parent = path.dirname(path.resolve(dir));
  fs.mkdirSync(parent, { recursive: true });
  recoverInterruptedSwap(dir);
  // The process id in the name tells another synth into the same folder that this one is still writing.
  const staging = fs.mkdtempSync(`${stagingPrefix(dir)}${process.pid}-`);
  ownStaging.add(staging);
  try {
    fs.chmodSync(staging, 0o755); // mkdtemp makes it private; an output folder is not

    // Folders inside the staging folder are made once each, never recursively: if the staging
    // folder disappears midway, the write fails instead of recreating it with part of the files.
    const made = new Set<string>([staging]);
    for (const [rel, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const target = path.join(staging, rel);
      makeFolder(path.dirname(target), made);
      fs.writeFileSync(target, content);
    }
    fs.writeFileSync(path.join(staging, OUTPUT_MARKER), MARKER_TEXT + origin.map((line) => `${line}\n`).join(''));
    swapIn(staging, dir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
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
