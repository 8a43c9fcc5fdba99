/**
 * The audit recognizes vcluster installs in manifests this tool did not write — Flux HelmReleases
 * and Argo CD Applications of the chart (their values), what a rendered chart makes, and plain
 * values files for `vcluster create --values` — and reports the risky ones at file and line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { auditFiles, FIXTURES, lineOf, summarize } from '../audit/helpers';
import { REPO, runCli } from '../helpers';

const FIXTURE = path.join(FIXTURES, 'insecure-vclusters.yaml');
const at = (...markers: string[]) => `insecure-vclusters.yaml:${lineOf(FIXTURE, ...markers)}`;

test('every risky install of the fixture is found, at its line', () => {
  const found = summarize(auditFiles([FIXTURE])).filter((s) => s.startsWith('vcluster-'));
  expect(found.sort()).toEqual([
    `vcluster-cluster-wide-rights Application argocd/vcluster-b ${at('name: vcluster-b', 'values: |')}`,
    `vcluster-host-access StatefulSet team-b/b ${at('name: debug')}`,
    `vcluster-host-access StatefulSet team-b/b ${at('- name: logs')}`,
    `vcluster-no-isolation HelmRelease flux-system/vcluster-a ${at('apiVersion: helm.toolkit.fluxcd.io/v2')}`,
    `vcluster-runs-as-root HelmRelease flux-system/vcluster-a ${at('name: vcluster-a', '  values:')}`,
    `vcluster-sync-bypasses-guard-rails Application argocd/vcluster-b ${at('name: vcluster-b', 'values: |')}`,
    `vcluster-syncs-all-secrets HelmRelease flux-system/vcluster-a ${at('name: vcluster-a', 'all: true')}`,
  ].sort());
});

test('a values file for `vcluster create --values` is judged too, at the line of the value', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-audit-'));
  try {
    const file = path.join(dir, 'vcluster.yaml');
    fs.writeFileSync(file, 'sync:\n  fromHost:\n    nodes:\n      enabled: true\n');
    const run = runCli(['audit', file, '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: any) => [f.rule, f.line])).toEqual([
      ['vcluster-runs-as-root', 1],
      ['vcluster-cluster-wide-rights', 4],
    ]);
    expect(report.skipped).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the rendered output of examples/vcluster.yaml, values file included, has no vcluster finding', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-out-'));
  try {
    expect(runCli(['synth', '--config', path.join(REPO, 'examples/vcluster.yaml'), '--out', dir]).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'tenants', 'labs.vcluster.yaml'))).toBe(true);
    const result = auditFiles([dir]);
    expect(summarize(result)).toEqual([]);
    expect(result.skipped).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
