/** Library users get the same refusals, in the same words, as spec authors. */
import { Chart, Testing } from 'cdk8s';
import { Platform } from '../../src/constructs/platform';
import { ScopedTraefik } from '../../src/constructs/scoped-traefik';
import { TenantIssuer, TenantIssuerSource } from '../../src/constructs/tenant-issuer';
import { TenantNamespace, TenantNamespaceOptions, TenantOwner } from '../../src/constructs/tenant-namespace';
import { Dns01Solver, WildcardTlsStore } from '../../src/constructs/wildcard-tls-store';
import { CLUSTER_ISSUER_REFUSAL } from '../../src/threats/certificates';
import { checkPodSecurity } from '../../src/threats/namespaces';
import { checkOwnerSubject } from '../../src/threats/rbac';
import { checkAllowCrossNamespace } from '../../src/threats/traefik';

const chart = () => new Chart(Testing.app(), 'test');
const owners = { groups: ['g'] };
const tenantNamespace = (options: Partial<TenantNamespaceOptions> = {}, c = chart()) =>
  new TenantNamespace(c, 'n', { platform: new Platform(c, 'p'), name: 'payments', owners, ...options });

test('ScopedTraefik refuses allowCrossNamespace: true with the spec\'s words', () => {
  expect(() => new ScopedTraefik(chart(), 't', { tenantNamespace: tenantNamespace(), allowCrossNamespace: true })).toThrow(
    `ScopedTraefik: allowCrossNamespace: ${checkAllowCrossNamespace(true)}`,
  );
});

test('TenantNamespace refuses podSecurity: privileged, a reserved name, the platform\'s name and no owner', () => {
  expect(() => tenantNamespace({ podSecurity: 'privileged' as any })).toThrow(`TenantNamespace: podSecurity: ${checkPodSecurity('privileged')}`);
  expect(() => tenantNamespace({ name: 'kube-system' })).toThrow(/is reserved for Kubernetes/);
  expect(() => tenantNamespace({ name: 'traefik' })).toThrow('TenantNamespace: name: `traefik` is the platform namespace');
  expect(() => tenantNamespace({ owners: {} })).toThrow('TenantNamespace: owners: names no subject');
});

test('every problem of a construct\'s props is reported at once', () => {
  expect(() => tenantNamespace({ podSecurity: 'privileged' as any, owners: { groups: ['system:masters'] }, domains: ['*.example.com'] })).toThrow(
    /^TenantNamespace: podSecurity: .*\nTenantNamespace: owners\.groups\[0\]: .*\nTenantNamespace: domains\[0\]: `\*\.example\.com` is a wildcard/,
  );
});

test('the mutators refuse what the props refuse, in the same words', () => {
  const ns = tenantNamespace({ domains: ['pay.example.com'] });
  expect(() => ns.addDomain('*.pay.example.com')).toThrow(/^TenantNamespace: domain: `\*\.pay\.example\.com` is a wildcard/);
  expect(() => ns.addDomain('PAY.example.com')).toThrow('TenantNamespace: domain: `pay.example.com` is claimed twice: this tenant already lists it');
  expect(() => ns.addOwner(TenantOwner.group('system:authenticated'))).toThrow(`TenantNamespace: owner: ${checkOwnerSubject('system:authenticated')}`);
  expect(() => ns.addEgress({ cidrs: ['10.0.0.0'] })).toThrow(/^TenantNamespace: egress\.cidrs\[0\]: /);
  expect(ns.domains).toEqual(['pay.example.com']);
});

test('TenantIssuer refuses a clusterIssuer; TenantIssuerSource refuses a malformed ACME account', () => {
  const traefik = new ScopedTraefik(chart(), 't', { tenantNamespace: tenantNamespace() });
  expect(() => new TenantIssuer(chart(), 'i', { traefik, issuer: { clusterIssuer: { name: 'le' } } as any })).toThrow(`TenantIssuer: issuer.clusterIssuer: ${CLUSTER_ISSUER_REFUSAL}`);
  expect(() => TenantIssuerSource.acme({ email: 'nobody', server: 'http://acme.example.com' })).toThrow(
    /^TenantIssuerSource: acme\.email: is not an e-mail address.*\nTenantIssuerSource: acme\.server: must be an https URL/,
  );
});

test('WildcardTlsStore refuses a wildcard without a DNS-01 solver', () => {
  const c = chart();
  expect(() => new WildcardTlsStore(c, 'w', { platform: new Platform(c, 'p'), dnsNames: ['*.apps.example.com'], acme: { email: 'a@example.com', dns01: {} as any } })).toThrow(
    /acme\.dns01: a wildcard certificate can only be issued through a DNS-01 challenge/,
  );
  expect(() => Dns01Solver.route53({ region: '' })).toThrow('Dns01Solver: route53.region: ');
});

test('a TenantNamespace alone synthesizes its guard rails; the policy for the Traefik comes with the Traefik', () => {
  const c = chart();
  const ns = tenantNamespace({}, c);
  const kinds = () => Testing.synth(c).filter((o: any) => o.metadata.namespace === 'payments' || o.metadata.name === 'payments').map((o: any) => `${o.kind} ${o.metadata.name}`);
  expect(kinds()).toEqual([
    'Namespace payments', 'ResourceQuota tenant-quota', 'ResourceQuota tenant-priority-classes', 'LimitRange tenant-limits',
    'NetworkPolicy default-deny', 'NetworkPolicy allow-same-namespace', 'NetworkPolicy allow-dns', 'Role tenant-owner', 'RoleBinding tenant-owner',
  ]);
  new ScopedTraefik(c, 't', { tenantNamespace: ns });
  expect(kinds()).toContain('NetworkPolicy allow-from-own-traefik');
  // In its place among the namespace's objects, whenever the Traefik came.
  expect(kinds().indexOf('NetworkPolicy allow-from-own-traefik')).toBe(kinds().indexOf('NetworkPolicy allow-dns') + 1);
});
