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
  /** The id of the catalogue's threat the problem is, when it is one (not a mere format or shape problem). */
  readonly threat?: string;
}

/** Formats one problem the way compilers do, so editors can jump to it. */
export function formatProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.path}: ${p.message}`;
}

/** Thrown when a spec is refused. It carries every problem found, not just the first. */
export class SpecError extends Error {
  public readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'SpecError';
    this.problems = sorted;
  }
}

function compareProblems(a: SpecProblem, b: SpecProblem): number {
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
