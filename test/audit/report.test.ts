/** The audit report as people, programs and CI code scanning read it. */
import * as path from 'path';
import { formatReport } from '../../src/audit/report';
import { auditThreats as auditRules } from '../../src/threats';
import { auditText } from './helpers';

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: { tenancy.cdk8s.io/tenant: shop, pod-security.kubernetes.io/enforce: restricted }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: q, namespace: shop }
---
apiVersion: v1
kind: LimitRange
metadata: { name: l, namespace: shop }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: shop, namespace: shop }
spec:
  dnsNames: [shop.example.com]
  issuerRef: { name: le, kind: ClusterIssuer }
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: le }
---
values: not a Kubernetes object
`;

const result = auditText(MANIFESTS, undefined, 'cluster/export.yaml');

test('the text report: what was read, the tenants, then findings grouped by tenant, worst first', () => {
  expect(formatReport(result, 'text', { failOn: 'high' })).toBe(`tenancy audit: 1 file, 6 objects, 1 document skipped
Tenants (1; Namespaces labelled \`tenancy.cdk8s.io/tenant\`): shop
Platform namespaces (running Traefik): none found
Secrets policy: manage — tenants may write Secrets, not delete them (--secrets read-only reports every write)

2 findings: 1 high, 1 medium. 1 at or above --fail-on high.

== Tenant shop: 1 high ==

HIGH  tenant-namespaced-issuer  A tenant certificate from a ClusterIssuer
  Certificate shop/shop  at cluster/export.yaml:25:26
  issued by ClusterIssuer \`le\`, not by a namespaced Issuer
  Why: ${result.findings[0].why}
  Fix: ${result.findings[0].fix}

== Platform and cluster-wide: 1 medium ==

MEDIUM  no-cluster-issuer  A ClusterIssuer
  ClusterIssuer le  at cluster/export.yaml:29:13
  a ClusterIssuer can be used from every namespace
  Why: ${result.findings[1].why}
  Fix: ${result.findings[1].fix}

Skipped 1 document that is not a Kubernetes object:
  cluster/export.yaml:31:1: the document is not a Kubernetes object: it has no \`apiVersion\` and \`kind\`
`);
});

test('a clean input says so', () => {
  const clean = auditText('apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-system }\n');
  expect(formatReport(clean, 'text', { failOn: 'high' })).toContain('\n\nNo findings.\n');
  expect(formatReport(clean, 'text', { failOn: 'high' })).toContain('Notes:\n  - No tenant was named');
  const noneLabelled = auditText('apiVersion: v1\nkind: Namespace\nmetadata: { name: kube-system }\n', { tenants: { kind: 'label', key: 'team' } });
  expect(formatReport(noneLabelled, 'text', { failOn: 'high' })).toContain('Notes:\n  - No tenant namespace was found');
});

test('JSON: a summary, the scope, and every finding with rule, severity, object, file:line:col, why and fix', () => {
  const json = JSON.parse(formatReport(result, 'json', { failOn: 'medium' }));
  expect(json.summary).toEqual({ files: 1, objects: 6, skipped: 1, notAudited: 0, findings: 2, bySeverity: { critical: 0, high: 1, medium: 1, low: 0 }, failOn: 'medium', failing: 2 });
  expect(json.tenants).toEqual(['shop']);
  expect(json.platformNamespaces).toEqual([]);
  expect(json.findings[0]).toEqual({
    rule: 'tenant-namespaced-issuer',
    severity: 'high',
    title: 'A tenant certificate from a ClusterIssuer',
    tenant: 'shop',
    object: { kind: 'Certificate', namespace: 'shop', name: 'shop' },
    file: 'cluster/export.yaml',
    line: 25,
    col: 26,
    message: 'issued by ClusterIssuer `le`, not by a namespaced Issuer',
    why: expect.stringContaining('ClusterIssuer'),
    fix: expect.stringContaining('Issuer'),
  });
  expect(json.findings[1].object).toEqual({ kind: 'ClusterIssuer', name: 'le' });
});

describe('SARIF 2.1.0', () => {
  const sarif = JSON.parse(formatReport(result, 'sarif', { failOn: 'high', cwd: process.cwd() }));
  const run = sarif.runs[0];

  test('names its version and lists every rule of the audit with its severity for code scanning', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(auditRules().map((r) => r.id));
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'traefik-no-cross-namespace');
    expect(rule.defaultConfiguration).toEqual({ level: 'error' });
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.help.text).toMatch(/Fix: /);
  });

  test('gives each result its rule, level, message and physical location', () => {
    expect(run.results).toHaveLength(2);
    const [first, second] = run.results;
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe(first.ruleId);
    expect(first).toMatchObject({
      ruleId: 'tenant-namespaced-issuer',
      level: 'error',
      message: { text: 'Certificate shop/shop: issued by ClusterIssuer `le`, not by a namespaced Issuer' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'cluster/export.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 25, startColumn: 26 } } }],
    });
    expect(second.level).toBe('warning');
  });

  test('files outside the working folder get a file: URI', () => {
    const outside = auditText(MANIFESTS, undefined, path.resolve('/', 'elsewhere', 'export.yaml'));
    const doc = JSON.parse(formatReport(outside, 'sarif', { failOn: 'high', cwd: path.resolve('/', 'work', 'repo') }));
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/export.yaml' });
  });
});
