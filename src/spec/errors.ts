/**
 * One problem found in a spec file. Printed as
 * `FILE:LINE:COL: field.path: what is wrong — what to do`.
 */
export interface SpecProblem {
  /** The file the problem is in, as the user named it. */
  readonly file: string;
  /** 1-based line of the offending node (or of its parent when the field is missing). */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** Dotted field path, e.g. `tenants[0].traefik.allowCrossNamespace`; `(root)` for the document. */
  readonly path: string;
  /** What is wrong and what to do instead, joined by ` — `. */
  readonly message: string;
  /**
   * The id of the catalogue's threat the problem is, when it is one (not a mere format or shape problem).
   * @default - a format or shape problem
   */
  readonly threat?: string;
}

/** Formats one problem the way compilers do, so editors can jump to it. */
export function formatProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.path}: ${p.message}`;
}

/**
 * Problems a `SpecError` describes in full (and the CLI prints); beyond them it only counts. A
 * file of 60,000 misspelt keys then costs 100 "did you mean" searches, not 60,000.
 */
export const MAX_REPORTED_PROBLEMS = 100;

/** A problem as found: its message may be a function, called only if the problem is reported. */
export interface FoundProblem extends Omit<SpecProblem, 'message'> {
  readonly message: string | (() => string);
}

/**
 * Thrown when a spec is refused. It carries the first problems in file order, and how many there are.
 *
 * TypeScript and JavaScript only: jsii cannot export a subclass of `Error`. In Python, Java, Go
 * and C# it reaches you as the language's jsii error, with this message.
 *
 * @jsii ignore
 */
export class SpecError extends Error {
  /** The first `MAX_REPORTED_PROBLEMS` problems, in file, line and column order. */
  public readonly problems: readonly SpecProblem[];
  /** How many problems were found in all (`problems` holds the first of them). */
  public readonly count: number;
  /** Every problem found, unsorted, messages not worked out: for a caller that merges several refusals into one. */
  public readonly found: readonly FoundProblem[];

  constructor(found: readonly FoundProblem[]) {
    const problems = firstInOrder(found, MAX_REPORTED_PROBLEMS).map(describe);
    const more = found.length - problems.length;
    super([...problems.map(formatProblem), ...(more > 0 ? [`… and ${more} more`] : [])].join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
    this.count = found.length;
    this.found = found;
  }
}

function describe(p: FoundProblem): SpecProblem {
  return typeof p.message === 'string' ? (p as SpecProblem) : { ...p, message: p.message() };
}

/** The first `n` problems in file order: a sort of all of them, whose messages are not needed for it. */
function firstInOrder(found: readonly FoundProblem[], n: number): FoundProblem[] {
  return [...found].sort(compareProblems).slice(0, n);
}

function compareProblems(a: FoundProblem, b: FoundProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** Renders a path array as `tenants[0].domains[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

/** The candidate nearest to `word` by edit distance (case ignored), when it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
