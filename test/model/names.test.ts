/** Derived names are a contract: renaming one renames live objects. These pin them. */
import {
  certificateName, certificateSecretName, LABELS, listenerNames, MAX_RELEASE_NAME_LENGTH, PLATFORM_NAMES, referenceGrantName, TRAEFIK_GATEWAY_CONTROLLER, tenantNames,
  tenantReleaseName,
} from '../../src/model/names';

test('pins the names derived from a tenant', () => {
  expect(tenantNames('payments')).toEqual({
    namespace: 'payments',
    traefik: 'traefik-payments',
    ingressClass: 'traefik-payments',
    ownerRole: 'tenant-owner',
    issuer: 'tenant-issuer',
    acmeAccountKey: 'tenant-issuer-acme-account',
    gateway: 'payments',
    gatewayClass: 'traefik-payments',
  });
});

test('pins the Gateway API names: listeners after their host, grants after their Secret, the class label and controller', () => {
  expect(listenerNames('pay.example.com')).toEqual({ http: 'http-pay.example.com', https: 'https-pay.example.com' });
  const long = `${'a'.repeat(60)}.example.com`;
  expect(listenerNames(long).https).toBe(`https-${certificateName(long)}`);
  expect(referenceGrantName('pay.example.com-tls')).toBe('gateway-pay.example.com-tls');
  expect(LABELS.traefik).toBe('tenancy.cdk8s.io/traefik');
  expect(TRAEFIK_GATEWAY_CONTROLLER).toBe('traefik.io/gateway-controller');
});

test('pins the platform names; Traefik only reads the TLSStore named default', () => {
  expect(PLATFORM_NAMES).toEqual({
    tlsStore: 'default', tlsOption: 'default', wildcardIssuer: 'platform-wildcard',
    wildcardCertificate: 'platform-wildcard', wildcardAcmeAccountKey: 'platform-wildcard-acme-account', defaultDeny: 'default-deny', caIssuer: 'platform-ca',
    sharedTraefik: 'traefik-shared', sharedGatewayClass: 'traefik-shared',
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
