/**
 * The CLI in a child process, started as `runCliProcess` (test/helpers.ts) starts it, but
 * asynchronously, to be killed midway. Also a digest of a folder, to tell "exactly as before"
 * from "changed".
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
