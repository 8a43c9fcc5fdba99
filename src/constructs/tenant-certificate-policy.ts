import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { z } from 'zod';
import { DEFAULTS, withDefaults } from '../defaults';
import { certificateRequestPolicyName, PLATFORM_NAMES, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { tenantLabels } from './labels';
import { PropChecks } from './refuse';
import { CERTIFICATE_PRIVATE_KEY } from './tenant-issuer';

export interface TenantCertificatePolicyProps {
  /** The tenant whose Certificates may use the platform CA. */
  readonly tenant: string;
  /** The only names the CA may sign for it: its domains. */
  readonly domains: readonly string[];
  /** cert-manager's namespace and controller ServiceAccount, which request the certificates. @default DEFAULTS.platform.certManager */
  readonly certManager?: { readonly namespace?: string; readonly serviceAccount?: string };
}

/** The usages a tenant certificate may ask for: a TLS server's. */
export const SERVER_USAGES = ['digital signature', 'key encipherment', 'server auth'] as const;

/**
 * What lets one tenant use the platform CA (`PlatformCAIssuer`), and nothing more: an
 * approver-policy `CertificateRequestPolicy` that approves requests of the tenant's namespace to
 * that ClusterIssuer only for the tenant's domains — no IP addresses, URIs, e-mail addresses,
 * common name or wildcards, server usages only, its key type pinned — and the Role that lets
 * cert-manager's controller use that policy in the tenant's namespace.
 */
export class TenantCertificatePolicy extends Construct {
  /** Name of the CertificateRequestPolicy. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: TenantCertificatePolicyProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantCertificatePolicy');
    const domains = refusals.parse('domains', z.array(fields.domain).min(1, { error: 'lists no domain — add the host names this tenant serves' }), props.domains);
    refusals.done();
    const certManager = withDefaults(DEFAULTS.platform.certManager, props.certManager ?? {});
    const namespace = tenantNames(props.tenant).namespace;
    const labels = tenantLabels(props.tenant);
    this.policyName = certificateRequestPolicyName(props.tenant);

    new ApiObject(this, 'CertificateRequestPolicy', {
      apiVersion: 'policy.cert-manager.io/v1alpha1',
      kind: 'CertificateRequestPolicy',
      metadata: { name: this.policyName, labels },
      spec: {
        allowed: { dnsNames: { values: [...domains], required: true }, usages: [...SERVER_USAGES] },
        constraints: {
          privateKey: { algorithm: CERTIFICATE_PRIVATE_KEY.algorithm, minSize: CERTIFICATE_PRIVATE_KEY.size, maxSize: CERTIFICATE_PRIVATE_KEY.size },
        },
        selector: {
          issuerRef: { name: PLATFORM_NAMES.caIssuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
          namespace: { matchNames: [namespace] },
        },
      },
    });
    // approver-policy evaluates only the policies the requester may `use`, in the request's namespace.
    const meta = { name: this.policyName, namespace, labels };
    new k8s.KubeRole(this, 'Role', {
      metadata: meta,
      rules: [{ apiGroups: ['policy.cert-manager.io'], resources: ['certificaterequestpolicies'], verbs: ['use'], resourceNames: [this.policyName] }],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.policyName },
      subjects: [{ kind: 'ServiceAccount', name: certManager.serviceAccount, namespace: certManager.namespace }],
    });
  }
}
