/**
 * The CLI in a child process, started as `runCliProcess` (test/helpers.ts) starts it, but
 * asynchronously: with a time limit (a hang fails the test instead of blocking it), or killed
 * midway. Also a digest of a folder, to tell "exactly as before" from "changed".
 */
import { ChildProcess, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cliInvocation, REPO } from '../helpers';

/** Starts `tenancy <args>` (the compiled CLI in lib/) in a child process. */
export function spawnCli(args: readonly string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const cli = cliInvocation(args, env);
  return spawn(process.execPath, cli.argv, { cwd, env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the process was killed for running longer than the limit. */
  readonly timedOut: boolean;
}

/** Runs the CLI to its end, killing it (SIGKILL) after `timeoutMs`. */
export function runCliAsync(args: readonly string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  const child = spawnCli(args, options.cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/** Every file under `dir` (relative path, `/`-separated, sorted), hidden files included. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/** One hash over the names and bytes of every file under `dir`; `missing` when it does not exist. */
export function digestTree(dir: string): string {
  if (!fs.existsSync(dir)) return 'missing';
  const hash = createHash('sha256');
  for (const rel of listTree(dir)) {
    hash.update(`${rel}\0`);
    hash.update(fs.readFileSync(path.join(dir, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
