/** Names of the guard rails, SecretStores and GitOps objects are a contract: these pin them. */
import { ADMISSION_POLICY_NAMES, ANNOTATIONS, gitopsAppName, PLATFORM_GITOPS_NAME, PLATFORM_OUTPUT_FILE, SECRET_STORE_NAMES, tenantOutputFile } from '../../src/model/names';
import { renderGroups } from '../../src/output/render';
import { modelOf, oneTenantSpec } from '../helpers';

test('pins the annotation, policy, SecretStore and GitOps names', () => {
  expect(ANNOTATIONS).toEqual({ domains: 'tenancy.cdk8s.io/domains', clusterIssuer: 'tenancy.cdk8s.io/cluster-issuer', gateway: 'tenancy.cdk8s.io/gateway' });
  expect(Object.values(ADMISSION_POLICY_NAMES)).toEqual([
    'tenancy-certificates', 'tenancy-ingress-hosts', 'tenancy-ingressroute-hosts', 'tenancy-pod-security', 'tenancy-service-types', 'tenancy-secret-copies',
    'tenancy-middlewares', 'tenancy-disruption-budgets', 'tenancy-external-secrets', 'tenancy-gateway-routes',
  ]);
  expect(SECRET_STORE_NAMES).toEqual({ secretStore: 'tenant-secrets', serviceAccount: 'tenant-secrets' });
  expect(gitopsAppName('payments')).toBe('tenant-payments');
  expect(PLATFORM_GITOPS_NAME).toBe('tenancy-platform');
});

test('the GitOps objects point at the files the output really writes', () => {
  expect(tenantOutputFile('payments')).toBe('tenants/payments.yaml');
  expect(PLATFORM_OUTPUT_FILE).toBe('platform.yaml');
  expect(renderGroups(modelOf(oneTenantSpec())).map((g) => g.file)).toEqual([PLATFORM_OUTPUT_FILE, tenantOutputFile('payments')]);
});
