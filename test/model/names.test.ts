/** Derived names are a contract: renaming one renames live objects. These pin them. */
import { certificateName, certificateSecretName, MAX_RELEASE_NAME_LENGTH, PLATFORM_NAMES, tenantNames, tenantReleaseName } from '../../src/model/names';

test('pins the names derived from a tenant', () => {
  expect(tenantNames('payments')).toEqual({
    namespace: 'payments',
    traefik: 'traefik-payments',
    ingressClass: 'traefik-payments',
    ownerRole: 'tenant-owner',
    issuer: 'tenant-issuer',
    acmeAccountKey: 'tenant-issuer-acme-account',
  });
});

test('pins the platform names; Traefik only reads the TLSStore named default', () => {
  expect(PLATFORM_NAMES).toEqual({
    tlsStore: 'default', tlsOption: 'default', wildcardIssuer: 'platform-wildcard',
    wildcardCertificate: 'platform-wildcard', wildcardAcmeAccountKey: 'platform-wildcard-acme-account', defaultDeny: 'default-deny', caIssuer: 'platform-ca',
  });
});

test('a tenant\'s Helm release is its chart\'s name, shortened with a hash to fit Helm\'s 53 characters', () => {
  expect(tenantReleaseName('payments')).toBe('tenant-payments');
  const long = `a${'b'.repeat(54)}`;
  const other = `a${'b'.repeat(53)}c`;
  expect(tenantReleaseName(long)).toHaveLength(MAX_RELEASE_NAME_LENGTH);
  expect(tenantReleaseName(long)).toMatch(/^tenant-ab+-[0-9a-f]{8}$/);
  expect(tenantReleaseName(other)).not.toBe(tenantReleaseName(long));
  expect(tenantReleaseName('a'.repeat(46))).toBe(`tenant-${'a'.repeat(46)}`);
});

test('names a Certificate after its domain, and its Secret with -tls', () => {
  expect(certificateName('pay.example.com')).toBe('pay.example.com');
  expect(certificateSecretName('pay.example.com')).toBe('pay.example.com-tls');
});

test('shortens long domains with a hash, so two long domains never share a name', () => {
  const a = `${'a'.repeat(60)}.example.com`;
  const b = `${'a'.repeat(60)}.example.org`;
  expect(certificateName(a)).toHaveLength(63);
  expect(certificateName(a)).toMatch(/^a{54}-[0-9a-f]{8}$/);
  expect(certificateName(a)).not.toBe(certificateName(b));
});
