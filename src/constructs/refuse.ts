/**
 * Construct-time refusals: a library user who passes an insecure prop gets the same words as a
 * CLI user who writes it in a spec, because both call the threat catalogue's checks, and the
 * constructs judge their props with the spec's own field schemas.
 */
import { z } from 'zod';
import { formatPath } from '../spec/errors';
import { describeIssue, issueProblems } from '../spec/issue-messages';
import { Threat } from '../threats/threat';

/** One refused prop. */
export interface PropProblem {
  /** The prop, as a path inside the props: `owners.groups[0]`. */
  readonly prop: string;
  /** What is wrong and what to do instead. */
  readonly message: string;
  /**
   * The id of the catalogue's threat (see docs/threats.md), when the refusal is one.
   * @default - a malformed value, not a threat
   */
  readonly threat?: string;
}

/**
 * Thrown by a construct given props the isolation rules refuse, or wired to objects it cannot
 * work with; it lists every refused prop.
 *
 * TypeScript and JavaScript only: jsii cannot export a subclass of `Error`. In Python, Java, Go
 * and C# it reaches you as the language's jsii error, with this message.
 *
 * @jsii ignore
 */
export class RefusedPropError extends Error {
  /** The construct's class name. */
  public readonly construct: string;
  public readonly problems: readonly PropProblem[];

  constructor(construct: string, problems: readonly PropProblem[]) {
    super(problems.map((p) => `${construct}: ${p.prop}: ${p.message}`).join('\n'));
    this.name = 'RefusedPropError';
    this.construct = construct;
    this.problems = problems;
  }

  /** The threat of the first problem, when it is one. */
  public get threat(): string | undefined {
    return this.problems[0]?.threat;
  }
}

/**
 * Gathers the refusals of one construct's props, so that all of them are reported at once:
 * `check` for a catalogue check's answer, `parse` for a value judged by a spec field schema.
 */
export class PropChecks {
  private readonly problems: PropProblem[] = [];

  constructor(private readonly construct: string) {}

  /** How many problems are recorded so far. */
  get count(): number {
    return this.problems.length;
  }

  /** Records `message` (a check's answer) for `prop`, unless it is undefined. */
  check(prop: string, message: string | undefined, threat?: Threat): void {
    if (message !== undefined) this.problems.push({ prop, message, ...(threat ? { threat: threat.id } : {}) });
  }

  /**
   * Refuses props this construct no longer takes (a JavaScript caller of an older version, or
   * one that bypassed the types): `moved` names each, with what to pass instead.
   */
  moved(props: object, moved: Readonly<Record<string, string>>): void {
    for (const [prop, instead] of Object.entries(moved)) {
      if (prop in props) this.check(prop, `is not a prop of ${this.construct} — ${instead}`);
    }
  }

  /** Judges `value` with a spec field schema; records every issue, and answers with the parsed value (or `value` when refused). */
  parse<T>(prop: string, schema: z.ZodType<T>, value: unknown): T {
    const result = schema.safeParse(value, { error: describeIssue });
    if (result.success) return result.data;
    for (const problem of result.error.issues.flatMap(issueProblems)) {
      const sub = formatPath(problem.path);
      this.problems.push({
        prop: sub === '(root)' ? prop : `${prop}${sub.startsWith('[') ? '' : '.'}${sub}`,
        message: problem.message(),
        ...(problem.threat ? { threat: problem.threat } : {}),
      });
    }
    return value as T;
  }

  /** Throws a `RefusedPropError` listing every problem recorded. */
  done(): void {
    if (this.problems.length > 0) throw new RefusedPropError(this.construct, this.problems);
  }
}
