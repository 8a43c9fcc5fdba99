/** Pieces of NetworkPolicies that the tenant and platform namespaces share. */
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { excepted, parseCidr } from '../threats/cidrs';
import { ClusterNetwork, egressExceptions } from '../threats/network';

/** Ports the API server listens on in most clusters (behind `kubernetes.default.svc`, and on the nodes). */
export const API_SERVER_PORTS = [443, 6443] as const;

/**
 * An egress rule to the API server: `apiServerCIDRs` when known, else any address on its usual
 * ports but the metadata services' and the cluster's own ranges.
 */
export function apiServerEgressRule(network: ClusterNetwork): k8s.NetworkPolicyEgressRule {
  return network.apiServerCIDRs?.length
    ? { to: network.apiServerCIDRs.map((cidr) => ({ ipBlock: { cidr } })) }
    : {
      to: ['0.0.0.0/0', '::/0'].map((cidr) => ({ ipBlock: { cidr, except: excepted(parseCidr(cidr)!, egressExceptions(network)) } })),
      ports: API_SERVER_PORTS.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
    };
}

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
