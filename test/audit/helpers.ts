/** Helpers of the audit tests: run the audit on files or text, and find the line a fixture marks. */
import * as fs from 'fs';
import * as path from 'path';
import { auditManifests, AuditOptions, AuditResult } from '../../src/audit/audit';
import { parseManifests, readManifests } from '../../src/audit/read-manifests';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const CLUSTER = path.join(FIXTURES, 'insecure-cluster.yaml');
export const GITOPS = path.join(FIXTURES, 'insecure-cluster-gitops.yaml');

export function auditFiles(paths: string[], options?: AuditOptions): AuditResult {
  return auditManifests(readManifests(paths), options);
}

/** Audits YAML text held in memory, as if read from `file`. */
export function auditText(text: string, options?: AuditOptions, file = 'manifests.yaml'): AuditResult {
  const { objects, skipped } = parseManifests(file, text);
  return auditManifests({ objects, skipped, files: [file] }, options);
}

/**
 * The 1-based line of a fixture that holds the last of `markers`, each searched after the
 * line of the one before: `lineOf(file, 'name: wiki-developers', 'roleRef:')`.
 */
export function lineOf(file: string, ...markers: string[]): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let from = 0;
  let found = -1;
  for (const marker of markers) {
    found = lines.findIndex((l, i) => i >= from && l.includes(marker));
    if (found < 0) throw new Error(`${path.basename(file)}: no line with \`${marker}\` after line ${from + 1}`);
    from = found + 1;
  }
  return found + 1;
}

/** `rule Kind ns/name file:line` of each finding, for whole-list comparisons. */
export function summarize(result: AuditResult): string[] {
  return result.findings.map((f) =>
    `${f.rule} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${path.basename(f.location.file)}:${f.location.line}`);
}
