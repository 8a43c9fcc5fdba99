/** Pieces of NetworkPolicies that the tenant and platform namespaces share. */
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';

/** An egress rule to the cluster's DNS (kube-dns in kube-system), on port 53 over UDP and TCP. */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

/** A NetworkPolicy spec that selects every pod of its namespace and allows nothing: the default deny. */
export function defaultDenySpec(): k8s.NetworkPolicySpec {
  return { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
}

/** A peer: every pod of namespace `namespace` (by the label Kubernetes sets, which no one can change). */
export function namespacePeer(namespace: string): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } };
}
