/**
 * `platform.ca`: one CA shared by the tenants that opt in, whose key stays in cert-manager's
 * namespace; each opted-in tenant may have only its own domains signed (approver-policy).
 */
import * as path from 'path';
import { allObjects, find, oneTenantSpec, REPO, refusals } from '../helpers';
import { admitVap } from '../support/cel-admission';
import { expectValidManifests } from '../support/schemas';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { renderGroups } from '../../src/output/render';
import { assertIsolated } from '../../src/output/self-check';
import { readSpec } from '../../src/spec/read-spec';

const model = resolveTenancy(readSpec(path.join(REPO, 'examples/hardened.yaml')).spec);
const groups = renderGroups(model);
const objects = allObjects(groups) as any[];

test('examples/hardened.yaml renders isolated output that validates against the upstream schemas (approver-policy included)', () => {
  expect(() => assertIsolated(groups, model)).not.toThrow();
  expectValidManifests(objects);
});

test('the CA is a ClusterIssuer whose key Secret stays in cert-manager\'s namespace, in the platform\'s file', () => {
  const platform = groups.find((g) => g.tenant === undefined)!.objects as any[];
  expect(find(platform, 'ClusterIssuer', 'platform-ca').spec).toEqual({ ca: { secretName: 'platform-ca' } });
  expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
});

test('an opted-in tenant gets a policy for its own domains only, usable by cert-manager in its namespace only, and no Issuer of its own', () => {
  const ledger = groups.find((g) => g.tenant === 'ledger')!.objects as any[];
  expect(ledger.filter((o) => o.kind === 'Issuer')).toEqual([]);
  expect(find(ledger, 'Certificate', 'ledger.internal.example.net').spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'platform-ca' });
  expect(find(ledger, 'CertificateRequestPolicy', 'tenancy-ledger').spec).toEqual({
    allowed: { dnsNames: { values: ['ledger.internal.example.net'], required: true }, usages: ['digital signature', 'key encipherment', 'server auth'] },
    constraints: { privateKey: { algorithm: 'ECDSA', minSize: 256, maxSize: 256 } },
    selector: { issuerRef: { name: 'platform-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' }, namespace: { matchNames: ['ledger'] } },
  });
  expect(find(ledger, 'Role', 'tenancy-ledger', 'ledger').rules).toEqual([
    { apiGroups: ['policy.cert-manager.io'], resources: ['certificaterequestpolicies'], verbs: ['use'], resourceNames: ['tenancy-ledger'] },
  ]);
  expect(find(ledger, 'RoleBinding', 'tenancy-ledger', 'ledger').subjects).toEqual([{ kind: 'ServiceAccount', name: 'cert-manager', namespace: 'cert-manager' }]);
  // A tenant that did not opt in keeps its own Issuer and no policy.
  const payments = groups.find((g) => g.tenant === 'payments')!.objects as any[];
  expect(payments.filter((o) => o.kind === 'CertificateRequestPolicy')).toEqual([]);
  expect(find(payments, 'Issuer', 'tenant-issuer', 'payments').spec.acme).toBeDefined();
});

test('admission lets the opted-in tenant\'s Certificates name the platform CA, and nobody else\'s', () => {
  const vap = find(objects, 'ValidatingAdmissionPolicy', 'tenancy-certificates');
  const ledgerNs = find(objects, 'Namespace', 'ledger');
  const paymentsNs = find(objects, 'Namespace', 'payments');
  const cert = (namespaceObject: any, name: string, issuer = 'platform-ca') => admitVap(vap, {
    object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: namespaceObject.metadata.name }, spec: { secretName: 'c-tls', dnsNames: [name], issuerRef: { name: issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' } } },
    namespaceObject,
  });
  expect(cert(ledgerNs, 'ledger.internal.example.net')).toEqual({ matched: true, allowed: true, denials: [], errors: [] });
  expect(cert(ledgerNs, 'ledger.internal.example.net', 'letsencrypt').allowed).toBe(false);
  expect(cert(paymentsNs, 'pay.example.com').allowed).toBe(false);
});

test('refuses a CA in platform.defaults, platformCA without platform.ca, and a CA Secret name that is no Secret name', () => {
  expect(refusals(oneTenantSpec('', '  defaults:\n    issuer: { ca: { secretName: shared-ca } }\n'))).toEqual([
    "tenancy.yaml:4:19: platform.defaults.issuer.ca: a CA issuer here gives every tenant the same CA key, in each tenant's own namespace, so any tenant could sign for another tenant's hosts — share a CA through `platform.ca` (tenants opt in with `issuer: { platformCA: {} }`), or give each tenant a CA of its own",
  ]);
  expect(refusals(oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { platformCA: {} }'))).toEqual([
    "tenancy.yaml:7:27: tenants[0].issuer.platformCA: there is no platform CA to use — set `platform.ca.secretName` to the CA's Secret in cert-manager's namespace, or choose another issuer",
  ]);
  expect(refusals(oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', 'issuer: { ca: { secretName: "My CA" } }'))[0]).toContain('tenants[0].issuer.ca.secretName: must be a DNS-1123 subdomain');
});
