/**
 * `platform.admission: native` — each policy as a Kubernetes ValidatingAdmissionPolicy and its
 * binding (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30), which need no extra component.
 */
import { AdmissionEngine } from './engine';
import { AdmissionPolicy, clone, TENANT_NAMESPACE_SELECTOR } from './policies';

/** `spec` of the ValidatingAdmissionPolicy for `policy`. */
export function validatingAdmissionPolicySpec(policy: AdmissionPolicy) {
  return {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: clone(TENANT_NAMESPACE_SELECTOR),
      resourceRules: policy.resources.map((r) => ({
        apiGroups: [...r.apiGroups], apiVersions: [...r.apiVersions], operations: ['CREATE', 'UPDATE'], resources: [...r.resources],
      })),
    },
    ...(policy.variables.length > 0 ? { variables: clone(policy.variables) } : {}),
    validations: clone(policy.validations),
  };
}

export const NATIVE: AdmissionEngine = {
  mode: 'native',
  objects: 'ValidatingAdmissionPolicies (Deny)',
  requirement: 'Kubernetes 1.30+ (ValidatingAdmissionPolicy)',
  kubeVersion: '>=1.30.0-0',
  render: (policy, labels) => [
    {
      id: `${policy.name}-policy`,
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: policy.name, labels },
      spec: validatingAdmissionPolicySpec(policy),
    },
    {
      id: `${policy.name}-binding`,
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policy.name, labels },
      spec: { policyName: policy.name, validationActions: ['Deny'] },
    },
  ],
};
