/** `tenancy audit` as a user runs it: flags, exit statuses, formats, standard input. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAuditArgs, runAudit } from '../../src/cli/audit';
import { UsageError } from '../../src/cli/usage';
import { REPO, runCli } from '../helpers';
import { CLUSTER, GITOPS } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-audit-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the command in-process; answers with its exit status and what it printed. */
function audit(args: string[], stdin = '') {
  let out = '';
  const status = runAudit(parseAuditArgs(args), (t) => { out += t; }, () => stdin);
  return { status, out };
}

/** A tenant namespace whose only flaw is a LimitRange missing (a medium finding). */
const MEDIUM_ONLY = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: q, namespace: shop }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;

test('exits 1 when a finding reaches --fail-on (high by default), 0 otherwise', () => {
  const file = path.join(dir, 'shop.yaml');
  fs.writeFileSync(file, MEDIUM_ONLY);
  expect(audit([file, '--tenant-namespaces', 'shop']).status).toBe(0);
  expect(audit([file, '--tenant-namespaces', 'shop', '--fail-on', 'medium']).status).toBe(1);
  expect(audit([file, '--tenant-namespaces', 'shop', '--fail-on', 'low']).status).toBe(1);
  expect(audit([CLUSTER, GITOPS]).status).toBe(1);
  expect(audit([path.join(REPO, 'dist'), '--fail-on', 'low']).status).toBe(0);
});

test('--tenants-from label=KEY takes the namespaces carrying that label', () => {
  const file = path.join(dir, 'ns.yaml');
  fs.writeFileSync(file, `${MEDIUM_ONLY.replace('labels: {', 'labels: { team: shop,')}---
apiVersion: v1
kind: Namespace
metadata: { name: tools }
`);
  const { out } = audit([file, '--tenants-from', 'label=team', '--format', 'json']);
  expect(JSON.parse(out).tenants).toEqual(['shop']);
  expect(JSON.parse(out).tenantsFrom).toBe('Namespaces labelled `team`');
});

test('without labels or flags, no tenant is guessed, and every report format says so', () => {
  const file = path.join(dir, 'ns.yaml');
  fs.writeFileSync(file, ['kube-system', 'default', 'argocd', 'monitoring', 'shop', 'blog']
    .map((n) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${n} }\n`).join('---\n'));
  const json = JSON.parse(audit([file, '--format', 'json']).out);
  expect(json.tenants).toEqual([]);
  expect(json.tenantsNamed).toBe(false);
  expect(json.tenantsFrom).toMatch(/^not named: .*none guessed$/);
  expect(json.notes[0]).toMatch(/^No tenant was named .* the audit does not guess which namespaces are tenants: only the rules that need no tenant boundary ran/);
  expect(audit([file]).out).toContain(`Notes:\n  - ${json.notes[0]}`);
  const sarif = JSON.parse(audit([file, '--format', 'sarif']).out);
  expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual([{ level: 'note', descriptor: { id: 'audit-note' }, message: { text: json.notes[0] } }]);
});

test('reads standard input for `-`', () => {
  const { status, out } = audit(['-', '--tenant-namespaces', 'shop', '--format', 'json'], MEDIUM_ONLY);
  expect(status).toBe(0);
  expect(JSON.parse(out).findings.map((f: { rule: string; file: string }) => `${f.rule} ${f.file}`)).toEqual(['limit-range <stdin>']);
});

test.each([
  [[], /needs at least one file or folder/],
  [['x.yaml', '--tenants-from', 'label=a', '--tenant-namespaces', 'a'], /--tenants-from and --tenant-namespaces do not go together — drop one of them/],
  [['x.yaml', '--tenants-from', 'team'], /--tenants-from `team` is not understood — write `--tenants-from label=KEY`/],
  [['x.yaml', '--tenant-namespaces', ','], /--tenant-namespaces names no namespace/],
  [['x.yaml', '--format', 'xml'], /--format `xml` is not one of text, json, sarif/],
  [['x.yaml', '--fail-on', 'severe'], /--fail-on `severe` is not one of critical, high, medium, low/],
  [['x.yaml', '--secrets', 'none'], /--secrets `none` is not one of read-only, manage/],
])('refuses %j as a usage error', (args, message) => {
  expect(() => parseAuditArgs(args as string[])).toThrow(UsageError);
  expect(() => parseAuditArgs(args as string[])).toThrow(message);
});

test('the command: exit 1 with the report on stdout; exit 2 with a usage error and no stack trace', () => {
  const found = runCli(['audit', CLUSTER, GITOPS, '--format', 'sarif']);
  expect(found.stderr).toBe('');
  expect(found.status).toBe(1);
  expect(JSON.parse(found.stdout).version).toBe('2.1.0');
  const missing = runCli(['audit', path.join(dir, 'nope.yaml')]);
  expect(missing.status).toBe(2);
  expect(missing.stdout).toBe('');
  expect(missing.stderr).toBe(`error: cannot read \`${path.join(dir, 'nope.yaml')}\` (no such file or folder) — check the path\n`);
  const unknown = runCli(['audit', CLUSTER, '--colour']);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).not.toMatch(/\n\s+at /);
});

test('a document that is not valid YAML fails the gate (exit 2) and is named; one that is no Kubernetes object does not', () => {
  const broken = path.join(dir, 'broken.yaml');
  fs.writeFileSync(broken, 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a\n  labels: [\n');
  const run = runCli(['audit', broken, '--tenant-namespaces', 'a']);
  expect(run.status).toBe(2);
  expect(run.stdout).toContain(`Could not read 1 document (exit 2: fix it; what cannot be read cannot be audited):\n  ${broken}:3:`);
  const sarif = runCli(['audit', broken, '--tenant-namespaces', 'a', '--format', 'sarif']);
  expect(sarif.status).toBe(2);
  const invocation = JSON.parse(sarif.stdout).runs[0].invocations[0];
  expect(invocation.executionSuccessful).toBe(false);
  expect(invocation.toolExecutionNotifications[0]).toMatchObject({ level: 'error', descriptor: { id: 'unreadable' }, locations: [{ physicalLocation: { region: { startLine: 3 } } }] });
  const kustomization = path.join(dir, 'kustomization.yaml');
  fs.writeFileSync(kustomization, 'resources: [a.yaml]\n');
  const other = runCli(['audit', kustomization, '--tenant-namespaces', 'a']);
  expect(other.status).toBe(0);
  expect(other.stdout).toContain('Skipped 1 document that is not a Kubernetes object:');
});

test('the help lists the command and its options', () => {
  const help = runCli(['--help']);
  expect(help.stdout).toMatch(/\n {2}audit {7}Report multi-tenancy risks/);
  expect(help.stdout).toMatch(/--tenants-from label=KEY/);
  expect(help.stdout).toMatch(/--fail-on LEVEL/);
});
