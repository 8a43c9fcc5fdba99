/**
 * Reading cert-manager approver-policy CertificateRequestPolicies: which ClusterIssuer each one
 * lets which namespaces use. A ClusterIssuer is gated when policies name it and list the
 * namespaces that may use it by name (with cert-manager's default approver off, nothing else
 * approves its requests).
 */
import type { KubeObjectLike } from './engine';
import { asArray, asRecord, asString } from './values';

/** The namespaces each ClusterIssuer is allowed for, by issuer name. */
export type GatedIssuers = Map<string, Set<string>>;

export function isCertificateRequestPolicy(o: KubeObjectLike): boolean {
  return o.kind === 'CertificateRequestPolicy' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('policy.cert-manager.io/');
}

/** Adds what one policy allows to `gated`: a ClusterIssuer named exactly, for namespaces named exactly. */
export function addGate(gated: GatedIssuers, policy: KubeObjectLike): void {
  const selector = asRecord(asRecord(policy.spec).selector);
  const issuerRef = asRecord(selector.issuerRef);
  const name = asString(issuerRef.name);
  const kind = asString(issuerRef.kind);
  const names = asArray(asRecord(selector.namespace).matchNames).filter((n): n is string => typeof n === 'string' && !n.includes('*'));
  if (name === undefined || name.includes('*') || (kind !== undefined && kind !== 'ClusterIssuer') || names.length === 0) return;
  const set = gated.get(name) ?? new Set<string>();
  for (const n of names) set.add(n);
  gated.set(name, set);
}
