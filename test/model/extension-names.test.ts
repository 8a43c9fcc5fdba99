/** Names of the guard rails, SecretStores and GitOps objects are a contract: these pin them. */
import { ADMISSION_POLICY_NAMES, ANNOTATIONS, gitopsAppName, PLATFORM_GITOPS_NAME, PLATFORM_OUTPUT_FILE, SECRET_STORE_NAMES, tenantOutputFile } from '../../src/model/extension-names';
import { PLATFORM_FILE, tenantFile } from '../../src/output/render';

test('pins the annotation, policy, SecretStore and GitOps names', () => {
  expect(ANNOTATIONS).toEqual({ domains: 'tenancy.cdk8s.io/domains' });
  expect(Object.values(ADMISSION_POLICY_NAMES)).toEqual([
    'tenancy-certificates', 'tenancy-ingress-hosts', 'tenancy-ingressroute-hosts', 'tenancy-pod-security', 'tenancy-service-types', 'tenancy-external-secrets',
  ]);
  expect(SECRET_STORE_NAMES).toEqual({ secretStore: 'tenant-secrets', serviceAccount: 'tenant-secrets' });
  expect(gitopsAppName('payments')).toBe('tenant-payments');
  expect(PLATFORM_GITOPS_NAME).toBe('tenancy-platform');
});

test('the GitOps objects point at the files the output really writes', () => {
  expect(tenantOutputFile('payments')).toBe(tenantFile('payments'));
  expect(PLATFORM_OUTPUT_FILE).toBe(PLATFORM_FILE);
});
