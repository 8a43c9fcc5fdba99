#!/usr/bin/env node
/**
 * The `tenancy` command. Thin on purpose: it parses flags, runs the pipeline and prints
 * errors. Exit status: 0 done, 1 refused spec, stale output or audit findings, 2 usage error.
 */
import { SelfCheckError } from '../output/self-check';
import { OutputError } from '../output/write';
import { formatProblem, SpecError } from '../spec/errors';
import { parseAuditArgs, runAudit } from './audit';
import { parseOnboardArgs, runOnboard } from './onboard';
import { runSchema } from './schema';
import { parseSynthArgs, runSynth } from './synth';
import { USAGE, UsageError } from './usage';
import { runValidate } from './validate';

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(text);
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
        return runAudit(parseAuditArgs(rest), out);
      case 'onboard':
        return runOnboard(parseOnboardArgs(rest, env), out);
      case 'schema':
        return runSchema(rest, out);
      default:
        if (command.startsWith('-')) return runSynth(parseSynthArgs(argv, env), out);
        throw new UsageError(`unknown command \`${command}\` — use \`synth\`, \`validate\`, \`audit\`, \`onboard\` or \`schema\``);
    }
  } catch (e) {
    if (e instanceof SpecError) {
      err(`${formatProblems(e)}\n${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found; nothing was written.\n`);
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
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`error: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

/** Most problems printed; a file of thousands of mistakes prints the first ones and a count. */
export const MAX_PRINTED_PROBLEMS = 100;

function formatProblems(e: SpecError): string {
  const shown = e.problems.slice(0, MAX_PRINTED_PROBLEMS).map(formatProblem);
  const rest = e.problems.length - shown.length;
  return rest > 0 ? [...shown, `… and ${rest} more`].join('\n') : shown.join('\n');
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
