/**
 * Reads a spec from disk: the config file plus every tenant file under its `tenantsDir`,
 * validated together. Answers with the validated spec or throws a `SpecError` that lists
 * every problem as `FILE:LINE:COL: field.path: what is wrong — what to do`.
 */
import * as path from 'path';
import { z } from 'zod';
import { FoundProblem, formatPath, SpecError, SpecProblem } from './errors';
import { describeIssue, issueProblems } from './issue-messages';
import { listYamlFiles, loadSourceFile, parseSource, positionOf, SourceFile, YamlFileList } from './load';
import { SpecInput, specSchema } from './schema';

/** Refuse specs with more tenants than this: beyond it, split the platform into several specs. */
export const MAX_TENANTS = 20000;

/** The validated spec and where it came from. */
export interface ReadSpec {
  readonly spec: SpecInput;
  /** Every file that was read: the config first, then tenant files in name order. */
  readonly files: readonly string[];
}

/** Where tenant `i` of the combined list was written. */
interface TenantOrigin {
  readonly source: SourceFile;
  /** Path of the tenant inside its file: `['tenants', 2]` inline, `[]` for a tenant file. */
  readonly base: readonly PropertyKey[];
}

/** A tenant file not yet on disk: its text, and the path it will be written to (used in messages). */
export interface PendingTenantFile {
  readonly file: string;
  readonly text: string;
}

/**
 * Reads `configFile` and the tenant files next to it. `pending` tenant files (held in memory,
 * e.g. one `npm run onboard` is about to write) are validated with them, after the files on
 * disk, so a collision they cause is reported in the pending file. `config`: the file already
 * loaded, for a caller that also needs `tenantFilePath`.
 */
export function readSpec(configFile: string, pending: readonly PendingTenantFile[] = [], config = loadSourceFile(configFile)): ReadSpec {
  // `path.join` keeps a relative config path relative, so messages name files as the user wrote them.
  return validateSources(config, (dir) => listYamlFiles(path.join(path.dirname(configFile), dir)), pending);
}

/** Where the tenant file of `tenant` goes: `<tenantsDir>/<tenant>.yaml` beside `configFile`. */
export function tenantFilePath(configFile: string, tenant: string, config = loadSourceFile(configFile)): string {
  return path.join(path.dirname(configFile), tenantsDirOf(config.data), `${tenant}.yaml`);
}

/** The spec's `tenantsDir`, or its default. */
function tenantsDirOf(data: unknown): string {
  const dir = (data as Record<string, unknown>).tenantsDir;
  return typeof dir === 'string' ? dir : 'tenants';
}

/** Validates spec text held in memory (tests, the library); a `tenantsDir` is not read. */
export function parseSpec(text: string, file = 'tenancy.yaml'): ReadSpec {
  return validateSources(parseSource(file, text), () => ({ files: [] }));
}

function validateSources(config: SourceFile, listTenantFiles: (dir: string) => YamlFileList, pending: readonly PendingTenantFile[] = []): ReadSpec {
  const data = config.data as Record<string, unknown>;
  const inline = Array.isArray(data.tenants) ? (data.tenants as unknown[]) : [];
  const listing = listTenantFiles(tenantsDirOf(data));
  // Problems of tenant files and of the folder are reported together with the schema's.
  const problems: FoundProblem[] = [...tenantsDirProblems(config, listing, pending.length > 0)];
  const tenantFiles = loadTenantFiles(listing.files, pending, problems);

  const origins: TenantOrigin[] = [
    ...inline.map((_, i) => ({ source: config, base: ['tenants', i] })),
    ...tenantFiles.map((source) => ({ source, base: [] })),
  ];
  if (origins.length > MAX_TENANTS) {
    throw new SpecError([{ file: config.file, line: 1, col: 1, path: 'tenants', message: `the spec has ${origins.length} tenants, more than the limit of ${MAX_TENANTS} — split the platform into several specs` }]);
  }
  const hadTenantFiles = listing.files.length + pending.length > 0;
  const combined = data.tenants === undefined && !hadTenantFiles
    ? data
    : { ...data, tenants: Array.isArray(data.tenants) || data.tenants === undefined ? [...inline, ...tenantFiles.map((f) => f.data)] : data.tenants };

  const result = specSchema.safeParse(combined, { error: describeIssue });
  if (!result.success) {
    for (const issue of result.error.issues) for (const problem of toProblems(issue, config, origins)) problems.push(problem);
  }
  if (problems.length > 0 || !result.success) throw new SpecError(problems);
  return { spec: result.data, files: [config.file, ...tenantFiles.map((f) => f.file)] };
}

/**
 * A `tenantsDir` the user set must exist and be a folder; the default may be absent, and so may
 * any folder a pending tenant file (onboarding) is about to create.
 */
function tenantsDirProblems(config: SourceFile, listing: YamlFileList, willCreate: boolean): SpecProblem[] {
  const data = config.data as Record<string, unknown>;
  if (listing.error === undefined || (listing.error === 'missing' && (data.tenantsDir === undefined || willCreate))) return [];
  const pos = positionOf(config, ['tenantsDir']);
  const dir = tenantsDirOf(data);
  const message = listing.error === 'missing'
    ? `\`${dir}\` does not exist beside the spec, so no tenant file would be read — create the folder or fix the path`
    : `\`${dir}\` is not a folder — point \`tenantsDir\` at the folder that holds one YAML file per tenant`;
  return [{ file: config.file, line: pos.line, col: pos.col, path: 'tenantsDir', message }];
}

/** Loads every tenant file (those on disk, then the pending ones); the broken ones add to `problems`. */
function loadTenantFiles(files: readonly string[], pending: readonly PendingTenantFile[], problems: FoundProblem[]): SourceFile[] {
  const sources: SourceFile[] = [];
  const loaders = [...files.map((file) => () => loadSourceFile(file)), ...pending.map((p) => () => parseSource(p.file, p.text))];
  for (const load of loaders) {
    try {
      sources.push(load());
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      for (const problem of err.found) problems.push(problem);
    }
  }
  return sources;
}

/**
 * The problems of one zod issue. Messages are worked out only for the problems reported (see
 * `MAX_REPORTED_PROBLEMS`): a "did you mean" for each of 60,000 unknown keys took seconds.
 */
function toProblems(issue: z.core.$ZodIssue, config: SourceFile, origins: readonly TenantOrigin[]): FoundProblem[] {
  return issueProblems(issue).map((p) => ({ ...locate(p.path, p.message, config, origins, p.atKey), ...(p.threat ? { threat: p.threat } : {}) }));
}

/** Maps a path in the combined spec to the file, line and column it came from. */
function locate(fieldPath: readonly PropertyKey[], message: () => string, config: SourceFile, origins: readonly TenantOrigin[], atKey: boolean): FoundProblem {
  let source = config;
  let inFile = fieldPath;
  if (fieldPath[0] === 'tenants' && typeof fieldPath[1] === 'number' && origins[fieldPath[1]]) {
    const origin = origins[fieldPath[1]];
    source = origin.source;
    inFile = [...origin.base, ...fieldPath.slice(2)];
  }
  const pos = positionOf(source, inFile, atKey);
  return { file: source.file, line: pos.line, col: pos.col, path: formatPath(inFile), message: () => nameTenantOrigins(message(), origins) };
}

/**
 * Cross-tenant messages refer to another tenant as `tenants[N]`; a tenant read from its own
 * file is named by that file and line instead, since the user never wrote `tenants[N]`.
 */
function nameTenantOrigins(message: string, origins: readonly TenantOrigin[]): string {
  return message.replace(/tenants\[(\d+)\]/g, (ref, index: string) => {
    const origin = origins[Number(index)];
    if (!origin || origin.base.length > 0) return ref;
    const pos = positionOf(origin.source, ['name']);
    return `${origin.source.file}:${pos.line}`;
  });
}
