/**
 * The annotations of the Secret-copying controllers the cert-manager FAQ names — reflector,
 * kubernetes-replicator and kubed (retired upstream) — read into where each one copies a
 * Secret: listed namespaces, regular expressions, label selectors, or every namespace.
 */
import { HOST_LABEL } from '../formats';

export type SyncTool = 'reflector' | 'replicator' | 'kubed';

/**
 * One copying instruction found on an object.
 * - `push`: the controller creates copies in the destinations.
 * - `pull`: the destinations may create copies of their own (the source allows it).
 * - `copy`: this object is a copy of `source`.
 */
export interface SyncInstruction {
  readonly tool: SyncTool;
  readonly mode: 'push' | 'pull' | 'copy';
  /** The annotation that says where; the finding points at it. */
  readonly annotation: string;
  /** Namespaces named exactly. */
  readonly namespaces: readonly string[];
  /** Entries that are regular expressions (reflector and replicator anchor them to the whole name). */
  readonly patterns: readonly string[];
  /** A namespace label selector (replicator's `replicate-to-matching`, kubed's `sync`). */
  readonly selector?: string;
  /** Copies go to every namespace. */
  readonly everywhere: boolean;
  /** For `copy`: `namespace/name` of the source. */
  readonly source?: string;
}

const REFLECTOR = 'reflector.v1.k8s.emberstack.com/';
const REPLICATOR = 'replicator.v1.mittwald.de/';

export const KUBED_SYNC = 'kubed.appscode.com/sync';

/**
 * Prefixes of the annotations by which an object pushes copies of itself into other namespaces
 * or offers itself to them: reflector's `reflection-allowed*` and `reflection-auto-*`,
 * replicator's `replicate-to*` and `replication-allowed*`, and kubed's (and its successor
 * config-syncer's) `sync`. The marks the tools put on their copies (`reflects`, `replicated-*`)
 * and replicator's pull request (`replicate-from`) are not among them: a copy may only be pulled
 * from a source that offers it.
 */
export const COPY_OFFER_ANNOTATION_PREFIXES = [`${REFLECTOR}reflection-`, `${REPLICATOR}replicate-to`, `${REPLICATOR}replication-allowed`, KUBED_SYNC] as const;

/** The copying instructions in a map of annotations; `ownNamespace` completes a bare `replicate-from` name. */
export function syncInstructions(annotations: Readonly<Record<string, string>>, ownNamespace: string | undefined): SyncInstruction[] {
  const out: SyncInstruction[] = [];
  const truthy = (key: string) => (annotations[key] ?? '').trim().toLowerCase() === 'true';

  // reflector: `reflection-allowed` lets the listed namespaces mirror the Secret (all when the
  // list is missing or empty); `reflection-auto-enabled` creates the mirrors itself.
  if (truthy(`${REFLECTOR}reflection-allowed`)) {
    const allowedKey = `${REFLECTOR}reflection-allowed-namespaces`;
    const allowedSelector = `${REFLECTOR}reflection-allowed-namespaces-selector`;
    out.push(fromList('reflector', 'pull', annotations, allowedKey, allowedSelector,
      annotations[allowedKey] !== undefined ? allowedKey : `${REFLECTOR}reflection-allowed`));
    if (truthy(`${REFLECTOR}reflection-auto-enabled`)) {
      // Mirrors go to the auto list, or to the allowed list when there is none.
      const autoKey = `${REFLECTOR}reflection-auto-namespaces`;
      const autoSelector = `${REFLECTOR}reflection-auto-namespaces-selector`;
      const own = annotations[autoKey]?.trim() || annotations[autoSelector]?.trim();
      out.push(fromList('reflector', 'push', annotations, own ? autoKey : allowedKey, own ? autoSelector : allowedSelector,
        annotations[autoKey] !== undefined ? autoKey : `${REFLECTOR}reflection-auto-enabled`));
    }
  }
  const reflects = annotations[`${REFLECTOR}reflects`];
  if (reflects) out.push(copyOf('reflector', `${REFLECTOR}reflects`, reflects, ownNamespace));

  // kubernetes-replicator: push with `replicate-to` (names or patterns) or `replicate-to-matching`
  // (a label selector); pull permission with `replication-allowed` (+ `replication-allowed-namespaces`).
  if (annotations[`${REPLICATOR}replicate-to`] !== undefined) {
    out.push(fromList('replicator', 'push', annotations, `${REPLICATOR}replicate-to`, undefined, `${REPLICATOR}replicate-to`, false));
  }
  if (annotations[`${REPLICATOR}replicate-to-matching`] !== undefined) {
    out.push(selectorOnly('replicator', `${REPLICATOR}replicate-to-matching`, annotations[`${REPLICATOR}replicate-to-matching`]));
  }
  if (truthy(`${REPLICATOR}replication-allowed`)) {
    const key = `${REPLICATOR}replication-allowed-namespaces`;
    out.push(fromList('replicator', 'pull', annotations, key, undefined, annotations[key] !== undefined ? key : `${REPLICATOR}replication-allowed`));
  }
  const from = annotations[`${REPLICATOR}replicate-from`];
  if (from) out.push(copyOf('replicator', `${REPLICATOR}replicate-from`, from, ownNamespace));

  // kubed: `sync` is a namespace label selector; empty means every namespace.
  if (annotations[KUBED_SYNC] !== undefined) out.push(selectorOnly('kubed', KUBED_SYNC, annotations[KUBED_SYNC]));
  return out;
}

function fromList(
  tool: SyncTool, mode: 'push' | 'pull', annotations: Readonly<Record<string, string>>, listKey: string,
  selectorKey: string | undefined, annotation: string, emptyMeansAll = true,
): SyncInstruction {
  const entries = (annotations[listKey] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const selector = selectorKey ? annotations[selectorKey]?.trim() || undefined : undefined;
  return {
    tool, mode, annotation,
    namespaces: entries.filter((e) => HOST_LABEL.test(e)),
    patterns: entries.filter((e) => !HOST_LABEL.test(e)),
    selector,
    everywhere: emptyMeansAll && entries.length === 0 && !selector,
  };
}

function selectorOnly(tool: SyncTool, annotation: string, value: string): SyncInstruction {
  const selector = value.trim();
  return { tool, mode: 'push', annotation, namespaces: [], patterns: [], selector: selector || undefined, everywhere: selector === '' };
}

function copyOf(tool: SyncTool, annotation: string, value: string, ownNamespace: string | undefined): SyncInstruction {
  const source = value.includes('/') ? value.trim() : `${ownNamespace ?? ''}/${value.trim()}`;
  return { tool, mode: 'copy', annotation, namespaces: [], patterns: [], everywhere: false, source };
}

/**
 * A matcher for a regular-expression entry, anchored to the whole name as the controllers
 * do; `undefined` when the expression does not compile.
 */
export function namePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

/**
 * A matcher for a label selector in the `kubectl -l` syntax (`a=b`, `a==b`, `a!=b`, `a`, `!a`,
 * `a in (x,y)`, `a notin (x,y)`); `undefined` when it cannot be read.
 */
export function labelSelector(selector: string): ((labels: Readonly<Record<string, string>>) => boolean) | undefined {
  const terms: Array<(labels: Readonly<Record<string, string>>) => boolean> = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if ((m = raw.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      const [, key, op, value] = m;
      terms.push(op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value);
    } else if ((m = raw.match(/^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const values = new Set(list.split(',').map((v) => v.trim()));
      terms.push(op === 'in' ? (l) => l[key] !== undefined && values.has(l[key]) : (l) => l[key] === undefined || !values.has(l[key]));
    } else if ((m = raw.match(/^!\s*([\w./-]+)$/))) {
      const key = m[1];
      terms.push((l) => l[key] === undefined);
    } else if ((m = raw.match(/^([\w./-]+)$/))) {
      const key = m[1];
      terms.push((l) => l[key] !== undefined);
    } else {
      return undefined;
    }
  }
  return (labels) => terms.every((t) => t(labels));
}
