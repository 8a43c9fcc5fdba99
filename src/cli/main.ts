#!/usr/bin/env node
/**
 * The `tenancy` command. Thin on purpose: it parses flags, runs the pipeline and prints
 * errors. Exit status: 0 done, 1 refused spec, stale output or audit findings, 2 usage error
 * (a flag, an argument, or an input file named on the command line that does not exist).
 */
import * as fs from 'fs';
import { SelfCheckError } from '../output/self-check';
import { OutputError } from '../output/write';
import { closest, formatProblem, SpecError } from '../spec/errors';
import { parseAuditArgs, runAudit } from './audit';
import { parseOnboardArgs, runOnboard } from './onboard';
import { runSchema } from './schema';
import { parseSynthArgs, runSynth } from './synth';
import { HELP_HINT, InputError, USAGE, UsageError } from './usage';
import { runValidate } from './validate';

/** Where a run reads and writes: the process's streams, or a test's buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of standard input (read by `audit -`). */
  readonly stdin: () => string;
}

export const PROCESS_IO: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdin: () => fs.readFileSync(0, 'utf8'),
};

const COMMANDS = ['synth', 'validate', 'audit', 'onboard', 'schema'];

/** Runs one command; answers with its exit status. Errors a user can fix are printed, never thrown. */
export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io: CliIo = PROCESS_IO): number {
  const out = io.stdout;
  const err = io.stderr;
  try {
    const [command = 'synth', ...rest] = argv;
    if (command === '-h' || command === '--help' || rest.includes('--help') || rest.includes('-h')) {
      out(USAGE);
      return 0;
    }
    switch (command) {
      case 'synth':
        return runSynth(parseSynthArgs(rest, env), out);
      case 'validate':
        return runValidate(rest, out);
      case 'audit':
        return runAudit(parseAuditArgs(rest), out, io.stdin);
      case 'onboard':
        return runOnboard(parseOnboardArgs(rest, env), out);
      case 'schema':
        return runSchema(rest, out);
      default: {
        if (command.startsWith('-')) return runSynth(parseSynthArgs(argv, env), out);
        const guess = closest(command, COMMANDS);
        throw new UsageError(`unknown command \`${command}\` — ${guess ? `did you mean \`${guess}\`?` : `use ${COMMANDS.map((c) => `\`${c}\``).join(', ')}`}`);
      }
    }
  } catch (e) {
    if (e instanceof SpecError) {
      err(`${formatProblems(e)}\n${e.count} problem${e.count === 1 ? '' : 's'} found; nothing was written.\n`);
      return 1;
    }
    if (e instanceof SelfCheckError) {
      err(`internal error: ${e.message}\nNothing was written.\n`);
      return 1;
    }
    if (e instanceof OutputError) {
      err(`error: ${e.message}\nNothing was written.\n`);
      return 1;
    }
    if (e instanceof InputError) {
      err(`error: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n${HELP_HINT}\n`);
      return 2;
    }
    throw e;
  }
}

function formatProblems(e: SpecError): string {
  const shown = e.problems.map(formatProblem);
  const rest = e.count - shown.length;
  return rest > 0 ? [...shown, `… and ${rest} more`].join('\n') : shown.join('\n');
}

/**
 * `main` as the process runs it. A reader that goes away early (`tenancy synth --stdout | head`)
 * closes the pipe: the rest of the output is dropped and the run ends with the status it would
 * have had, quietly, instead of dying on `write EPIPE` with a stack trace.
 */
export function run(argv: string[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        stream.destroy();
        return;
      }
      throw error;
    });
  }
  process.exitCode = main(argv);
}

if (require.main === module) {
  run(process.argv.slice(2));
}
