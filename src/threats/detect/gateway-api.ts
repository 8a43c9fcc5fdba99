/**
 * Reading Gateway API objects (gateway.networking.k8s.io): a Gateway's listeners and which
 * namespaces each admits routes from, routes and their parents, and the GatewayClasses a
 * Traefik selects by label.
 */
import type { KubeObjectLike } from './engine';
import { asArray, asRecord, asString, asStringMap, FieldPath } from './values';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The label Kubernetes sets on every Namespace to its name: the only namespace label no one can change. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Route kinds of the Gateway API, Standard and Experimental channels. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;

export function isGatewayApi(o: Pick<KubeObjectLike, 'apiVersion'>): boolean {
  return typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`);
}

/**
 * Which namespaces a listener admits routes from: every one, a list of names (known exactly:
 * `Same`, or a selector on `kubernetes.io/metadata.name` alone), or namespaces chosen by labels
 * someone other than Kubernetes sets (`labels`: whoever may label a namespace joins).
 */
export type Admitted = { readonly all: true } | { readonly names: readonly string[] } | { readonly labels: string };

/** One listener of a Gateway, read once. */
export interface ListenerFacts {
  readonly name: string;
  readonly hostname?: string;
  readonly admitted: Admitted;
  /** `allowedRoutes.kinds`, as `Kind`s; empty when the listener leaves them to its protocol. */
  readonly kinds: readonly string[];
  /** Where its `allowedRoutes.namespaces` is (or would be). */
  readonly path: FieldPath;
}

/** The listeners of a Gateway in `namespace`. */
export function listenersOf(gateway: KubeObjectLike): ListenerFacts[] {
  const namespace = asString(gateway.metadata?.namespace) ?? '';
  return asArray(asRecord(gateway.spec).listeners).map((raw, i) => {
    const l = asRecord(raw);
    const allowed = asRecord(l.allowedRoutes);
    return {
      name: asString(l.name) ?? `#${i}`,
      hostname: asString(l.hostname) || undefined,
      admitted: admittedBy(asRecord(allowed.namespaces), namespace),
      kinds: asArray(allowed.kinds).map((k) => asString(asRecord(k).kind) ?? '').filter(Boolean),
      path: ['spec', 'listeners', i, 'allowedRoutes', 'namespaces'],
    };
  });
}

function admittedBy(namespaces: Record<string, unknown>, gatewayNamespace: string): Admitted {
  const from = asString(namespaces.from) ?? 'Same';
  if (from === 'All') return { all: true };
  if (from === 'Same') return { names: [gatewayNamespace] };
  const selector = asRecord(namespaces.selector);
  const labels = asStringMap(selector.matchLabels);
  const expressions = asArray(selector.matchExpressions).map(asRecord);
  const otherKeys = [...Object.keys(labels).filter((k) => k !== NAMESPACE_NAME_LABEL), ...expressions.map((e) => asString(e.key) ?? '?').filter((k) => k !== NAMESPACE_NAME_LABEL)];
  if (otherKeys.length > 0) return { labels: otherKeys.join(', ') };
  // Only the name label: an exact name, or `In` a list of names; anything else (NotIn, Exists) admits namespaces nobody listed.
  let names: string[] | undefined = labels[NAMESPACE_NAME_LABEL] !== undefined ? [labels[NAMESPACE_NAME_LABEL]] : undefined;
  for (const e of expressions) {
    const values = asArray(e.values).filter((v): v is string => typeof v === 'string');
    if (asString(e.operator) !== 'In') return { labels: `${NAMESPACE_NAME_LABEL} ${asString(e.operator) ?? '?'}` };
    names = names === undefined ? values : names.filter((n) => values.includes(n));
  }
  return names === undefined ? { all: true } : { names };
}

/** A listener's namespaces, in words: `every namespace`, `namespaces labelled …`, `a, b`. */
export function describeAdmitted(admitted: Admitted): string {
  if ('all' in admitted) return 'every namespace';
  if ('labels' in admitted) return `namespaces chosen by labels (${admitted.labels}) that whoever labels namespaces can set`;
  return admitted.names.length === 0 ? 'no namespace' : admitted.names.map((n) => `\`${n}\``).join(', ');
}

/** One parent of a route, with its namespace made explicit (a parentRef without one names the route's own). */
export interface ParentFacts {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly path: FieldPath;
}

export function parentsOf(route: KubeObjectLike): ParentFacts[] {
  const namespace = asString(route.metadata?.namespace) ?? '';
  return asArray(asRecord(route.spec).parentRefs).map((raw, k) => {
    const p = asRecord(raw);
    return {
      kind: asString(p.kind) ?? 'Gateway',
      namespace: asString(p.namespace) ?? namespace,
      name: asString(p.name) ?? '?',
      sectionName: asString(p.sectionName),
      path: ['spec', 'parentRefs', k],
    };
  });
}

/** A route's `spec.hostnames`. */
export function hostnamesOf(route: KubeObjectLike): string[] {
  return asArray(asRecord(route.spec).hostnames).filter((h): h is string => typeof h === 'string');
}

/**
 * Whether a Kubernetes label selector (`--providers.kubernetesgateway.labelSelector`) selects
 * `labels`. Equality (`=`, `==`, `!=`) and existence (`key`, `!key`) are judged; set-based
 * terms (`in`, `notin`) are taken to match, so that a doubt counts as selected.
 */
export function labelSelectorMatches(selector: string, labels: Readonly<Record<string, string>>): boolean {
  const terms = selector.split(/,(?![^(]*\))/).map((t) => t.trim()).filter(Boolean);
  return terms.every((term) => {
    const ne = term.match(/^([^!=\s]+)\s*!=\s*(.*)$/);
    if (ne) return labels[ne[1]] !== ne[2].trim();
    const eq = term.match(/^([^!=\s]+)\s*==?\s*(.*)$/);
    if (eq) return labels[eq[1]] === eq[2].trim();
    if (/\s(in|notin)\s*\(/.test(term)) return true;
    if (term.startsWith('!')) return labels[term.slice(1)] === undefined;
    return labels[term] !== undefined;
  });
}
