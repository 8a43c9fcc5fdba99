/** Library users get the same refusals, in the same words, as spec authors. */
import { Chart, Testing } from 'cdk8s';
import { ScopedTraefik } from '../../src/constructs/scoped-traefik';
import { TenantIssuer } from '../../src/constructs/tenant-issuer';
import { TenantNamespace } from '../../src/constructs/tenant-namespace';
import { WildcardTLSStore } from '../../src/constructs/wildcard-tls-store';
import { CLUSTER_ISSUER_REFUSAL } from '../../src/threats/certificates';
import { checkPodSecurity } from '../../src/threats/namespaces';
import { checkAllowCrossNamespace } from '../../src/threats/traefik';

const chart = () => new Chart(Testing.app(), 'test');

test('ScopedTraefik refuses allowCrossNamespace: true with the spec\'s words', () => {
  expect(() => new ScopedTraefik(chart(), 't', { tenant: 'payments', allowCrossNamespace: true })).toThrow(
    `ScopedTraefik: allowCrossNamespace: ${checkAllowCrossNamespace(true)}`,
  );
});

test('TenantNamespace refuses podSecurity: privileged and a reserved name', () => {
  expect(() => new TenantNamespace(chart(), 'n', { name: 'payments', owners: { groups: ['g'] }, podSecurity: 'privileged' as any })).toThrow(
    `TenantNamespace: podSecurity: ${checkPodSecurity('privileged')}`,
  );
  expect(() => new TenantNamespace(chart(), 'n', { name: 'kube-system', owners: { groups: ['g'] } })).toThrow(/is reserved for Kubernetes/);
  expect(() => new TenantNamespace(chart(), 'n', { name: 'payments', owners: {} })).toThrow('TenantNamespace: owners: names no subject');
});

test('TenantIssuer refuses a clusterIssuer and wildcard domains', () => {
  expect(() => new TenantIssuer(chart(), 'i', { tenant: 'payments', issuer: { clusterIssuer: { name: 'le' } } as any, domains: ['pay.example.com'] })).toThrow(
    `TenantIssuer: issuer.clusterIssuer: ${CLUSTER_ISSUER_REFUSAL}`,
  );
  expect(() => new TenantIssuer(chart(), 'i', { tenant: 'payments', issuer: { selfSigned: {} }, domains: ['*.example.com'] })).toThrow(/domains\[0\]: `\*\.example\.com` is a wildcard/);
});

test('WildcardTLSStore refuses a wildcard without a DNS-01 solver', () => {
  expect(() => new WildcardTLSStore(chart(), 'w', { dnsNames: ['*.apps.example.com'], acme: { email: 'a@example.com', dns01: {} } })).toThrow(
    /acme\.dns01: a wildcard certificate can only be issued through a DNS-01 challenge/,
  );
});

test('constructs used directly in a chart synthesize the same objects as the spec path', () => {
  const c = chart();
  new TenantNamespace(c, 'n', { name: 'payments', owners: { groups: ['leads'] } });
  const kinds = Testing.synth(c).map((o: any) => o.kind);
  expect(kinds).toEqual(['Namespace', 'ResourceQuota', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'Role', 'RoleBinding']);
});
