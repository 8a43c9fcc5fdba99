/**
 * `platform.admission: kyverno` — each policy as a Kyverno ClusterPolicy whose rule is a
 * `validate.cel` subrule (Kyverno runs it with Kubernetes' own admission library), in Enforce mode.
 */
import { AdmissionEngine } from './engine';
import { AdmissionPolicy, clone, TENANT_NAMESPACE_SELECTOR } from './policies';

/** `spec` of the Kyverno ClusterPolicy for `policy`: one `validate.cel` rule in Enforce mode. */
export function kyvernoClusterPolicySpec(policy: AdmissionPolicy) {
  return {
    background: true,
    rules: [{
      name: policy.name.replace(/^tenancy-/, ''),
      match: {
        any: [{
          resources: {
            kinds: [...policy.kinds],
            operations: ['CREATE', 'UPDATE'],
            namespaceSelector: clone(TENANT_NAMESPACE_SELECTOR),
          },
        }],
      },
      validate: {
        failureAction: 'Enforce',
        message: policy.title,
        cel: {
          ...(policy.variables.length > 0 ? { variables: clone(policy.variables) } : {}),
          expressions: clone(policy.validations),
        },
      },
    }],
  };
}

/** Kyverno's annotations on a ClusterPolicy (shown in policy reports). */
export function kyvernoAnnotations(policy: AdmissionPolicy): Record<string, string> {
  return {
    'policies.kyverno.io/title': policy.title,
    'policies.kyverno.io/category': 'Multi-Tenancy',
    'policies.kyverno.io/severity': 'high',
    'policies.kyverno.io/description': `Closes: ${policy.threat}.`,
    // The rule lists the pod controllers itself; Kyverno must not generate more rules from it.
    'pod-policies.kyverno.io/autogen-controllers': 'none',
  };
}

export const KYVERNO: AdmissionEngine = {
  mode: 'kyverno',
  objects: 'Kyverno ClusterPolicies (Enforce)',
  requirement: 'Kyverno 1.13+',
  render: (policy, labels) => [{
    id: `${policy.name}-kyverno`,
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: policy.name, labels, annotations: kyvernoAnnotations(policy) },
    spec: kyvernoClusterPolicySpec(policy),
  }],
};
