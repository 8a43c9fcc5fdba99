import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { DEFAULTS, withDefaults } from '../defaults';
import { certificateRequestPolicyName, PLATFORM_NAMES } from '../model/names';
import { isA } from './brand';
import { tenantLabels } from './labels';
import { PropChecks } from './refuse';
import { CERTIFICATE_PRIVATE_KEY } from './tenant-issuer';
import type { TenantNamespace } from './tenant-namespace';

/** Props of `TenantCertificatePolicy`. */
export interface TenantCertificatePolicyProps {
  /** The tenant whose Certificates may use its platform's CA (`Platform.ca`): for its domains only, now and as they are added. */
  readonly tenantNamespace: TenantNamespace;
}

/** The refusal for a tenant of a platform without `ca`. */
export const NO_PLATFORM_CA = 'its Platform has no CA to use — give the Platform `ca: { secretName }` (the CA\'s Secret in cert-manager\'s namespace), or choose another TenantIssuerSource';

/** The usages a tenant certificate may ask for: a TLS server's. */
export const SERVER_USAGES = ['digital signature', 'key encipherment', 'server auth'] as const;

/**
 * What lets one tenant use the platform CA (`PlatformCaIssuer`), and nothing more: an
 * approver-policy `CertificateRequestPolicy` that approves requests of the tenant's namespace to
 * that ClusterIssuer only for the tenant's domains — no IP addresses, URIs, e-mail addresses,
 * common name or wildcards, server usages only, its key type pinned — and the Role that lets
 * cert-manager's controller use that policy in the tenant's namespace. A `TenantIssuer` whose
 * source is `TenantIssuerSource.platformCa()` adds it.
 */
export class TenantCertificatePolicy extends Construct {
  /** Name of the CertificateRequestPolicy (and of the Role and RoleBinding). */
  public readonly policyName: string;
  /** The approver-policy CertificateRequestPolicy. */
  public readonly certificateRequestPolicy: ApiObject;
  /** The Role that lets cert-manager's controller use the policy in the tenant's namespace. */
  public readonly role: k8s.KubeRole;
  /** Binds `role` to cert-manager's controller. */
  public readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: TenantCertificatePolicyProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantCertificatePolicy');
    const tenantNamespace = props.tenantNamespace;
    refusals.check('tenantNamespace', !isA(tenantNamespace, 'TenantNamespace')
      ? 'is not a TenantNamespace — pass the TenantNamespace of the tenant whose Certificates use the platform CA'
      : tenantNamespace.platform.caIssuer === undefined ? NO_PLATFORM_CA : undefined);
    refusals.done();
    const certManager = withDefaults(DEFAULTS.platform.certManager, tenantNamespace.platform.caIssuer!.certManager ?? {});
    const tenant = tenantNamespace.tenantName;
    const labels = tenantLabels(tenant);
    this.policyName = certificateRequestPolicyName(tenant);

    this.certificateRequestPolicy = new ApiObject(this, 'CertificateRequestPolicy', {
      apiVersion: 'policy.cert-manager.io/v1alpha1',
      kind: 'CertificateRequestPolicy',
      metadata: { name: this.policyName, labels },
      spec: {
        // The domains as they stand at synthesis: `addDomain` widens the policy too.
        allowed: { dnsNames: { values: Lazy.any({ produce: () => tenantNamespace.domains }), required: true }, usages: [...SERVER_USAGES] },
        constraints: {
          privateKey: { algorithm: CERTIFICATE_PRIVATE_KEY.algorithm, minSize: CERTIFICATE_PRIVATE_KEY.size, maxSize: CERTIFICATE_PRIVATE_KEY.size },
        },
        selector: {
          issuerRef: { name: PLATFORM_NAMES.caIssuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
          namespace: { matchNames: [tenantNamespace.namespaceName] },
        },
      },
    });
    // approver-policy evaluates only the policies the requester may `use`, in the request's namespace.
    const meta = { name: this.policyName, namespace: tenantNamespace.namespaceName, labels };
    this.role = new k8s.KubeRole(this, 'Role', {
      metadata: meta,
      rules: [{ apiGroups: ['policy.cert-manager.io'], resources: ['certificaterequestpolicies'], verbs: ['use'], resourceNames: [this.policyName] }],
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.policyName },
      subjects: [{ kind: 'ServiceAccount', name: certManager.serviceAccount, namespace: certManager.namespace }],
    });
  }
}
