/**
 * `platform.admission: gatekeeper` — each policy as an OPA Gatekeeper ConstraintTemplate whose
 * code is the same CEL, run by Gatekeeper's `K8sNativeValidation` engine (no Rego), and the one
 * Constraint that enforces it in tenant namespaces.
 *
 * Gatekeeper 3.22+ binds `object` and `namespaceObject` as Kubernetes does (the tenant's domains
 * are read from its Namespace). `generateVAP: false` keeps Gatekeeper from also generating a
 * ValidatingAdmissionPolicy from the template, so the rule is enforced once, by Gatekeeper,
 * whatever the cluster's flags.
 */
import { AdmissionEngine, AdmissionObject } from './engine';
import { AdmissionPolicy, clone, TENANT_NAMESPACE_SELECTOR } from './policies';

/** `tenancy-certificates` → `TenancyCertificates`: the Constraint's kind (the template is named after it, lower-cased). */
export function constraintKind(policy: AdmissionPolicy): string {
  return policy.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The policy's kinds as Gatekeeper's `match.kinds`: one entry per API group, subresources left to their kind. */
export function constraintKinds(policy: AdmissionPolicy): Array<{ apiGroups: string[]; kinds: string[] }> {
  const byGroup = new Map<string, string[]>();
  for (const entry of policy.kinds) {
    const parts = entry.split('/');
    const [group, kind] = parts.length === 3 ? [parts[0], parts[2]] : ['', parts[0]];
    const kinds = byGroup.get(group) ?? [];
    if (!kinds.includes(kind)) kinds.push(kind);
    byGroup.set(group, kinds);
  }
  return [...byGroup].map(([group, kinds]) => ({ apiGroups: [group], kinds }));
}

export const GATEKEEPER: AdmissionEngine = {
  mode: 'gatekeeper',
  objects: 'Gatekeeper ConstraintTemplates and Constraints (deny)',
  requirement: 'OPA Gatekeeper 3.22+ (K8sNativeValidation)',
  render: (policy, labels): AdmissionObject[] => {
    const kind = constraintKind(policy);
    return [
      {
        id: `${policy.name}-template`,
        apiVersion: 'templates.gatekeeper.sh/v1',
        kind: 'ConstraintTemplate',
        metadata: { name: kind.toLowerCase(), labels, annotations: { description: `${policy.title}. Closes: ${policy.threat}.` } },
        spec: {
          crd: { spec: { names: { kind } } },
          targets: [{
            target: 'admission.k8s.gatekeeper.sh',
            code: [{
              engine: 'K8sNativeValidation',
              source: {
                generateVAP: false,
                failurePolicy: 'Fail',
                ...(policy.variables.length > 0 ? { variables: clone(policy.variables) } : {}),
                validations: clone(policy.validations),
              },
            }],
          }],
        },
      },
      {
        id: `${policy.name}-constraint`,
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind,
        // Its kind exists once Gatekeeper has read the template: Argo CD must not refuse it in a dry run before.
        metadata: { name: policy.name, labels, annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
        spec: {
          enforcementAction: 'deny',
          match: { kinds: constraintKinds(policy), namespaceSelector: clone(TENANT_NAMESPACE_SELECTOR) },
        },
      },
    ];
  },
};
