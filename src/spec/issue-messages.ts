/**
 * Our wording for zod's built-in issues, shared by the spec reader and the constructs (which
 * judge their props with the spec's own field schemas, and so say the same words).
 */
import { z } from 'zod';
import { closest } from './errors';

/** Prefix a message with the fields the object knows, for `unrecognized_keys` (decoded in `toProblems`). */
export const KNOWN_KEYS = 'known-keys:';

/** zod's error map: our wording for zod's built-in issues. Custom issues keep their own message. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape ?? {};
      return KNOWN_KEYS + JSON.stringify(Object.keys(shape));
    }
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing — this field is required';
      return `expected ${article(issue.expected)}, got ${describeValue(issue.input)} — write ${article(issue.expected)} here`;
    case 'invalid_value':
      return `\`${String(issue.input)}\` is not allowed — use one of ${issue.values.map((v) => `\`${String(v)}\``).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${String(issue.minimum)} entries — add more` : `is below the minimum of ${String(issue.minimum)} — raise it`;
    case 'too_big':
      return `is above the maximum of ${String(issue.maximum)} — lower it`;
    case 'invalid_format':
      return `\`${String(issue.input)}\` is not a valid ${issue.format} — fix its form`;
    default:
      return undefined;
  }
}

function article(type: string): string {
  const name = type === 'int' ? 'integer' : type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} \`${String(value)}\``;
}


/** One problem of a zod issue: where, what (worked out when asked), and the catalogue threat when the issue names one. */
export interface IssueProblem {
  readonly path: readonly PropertyKey[];
  readonly message: () => string;
  /** The problem is about the key itself (an unknown field), not its value. */
  readonly atKey: boolean;
  readonly threat?: string;
}

/** The problems of one zod issue: each unknown key gets its own, with a "did you mean". */
export function issueProblems(issue: z.core.$ZodIssue): IssueProblem[] {
  if (issue.code === 'unrecognized_keys' && issue.message.startsWith(KNOWN_KEYS)) {
    const known = JSON.parse(issue.message.slice(KNOWN_KEYS.length)) as string[];
    return issue.keys.map((key) => ({ path: [...issue.path, key], message: () => unknownFieldMessage(key, known), atKey: true }));
  }
  const threat = issue.code === 'custom' ? (issue.params as { threat?: string } | undefined)?.threat : undefined;
  return [{ path: issue.path, message: () => issue.message, atKey: false, ...(threat ? { threat } : {}) }];
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const guess = closest(key, known);
  const hint = guess ? `did you mean \`${guess}\`?` : `known fields here: ${known.map((k) => `\`${k}\``).join(', ')}`;
  return `unknown field \`${key}\` — a misspelt field would be ignored, so it is refused; ${hint}`;
}
