/**
 * Where a tenant's Traefik pods run: spread across nodes (or zones) when there are several,
 * on the nodes a selector and tolerations allow (never the control plane), at a priority the
 * platform allows. `ScopedTraefik` takes these as `spread`, `nodeSelector`, `tolerations` and
 * `priorityClassName`.
 */
import { k8s } from 'cdk8s-plus-29';

/** How the replicas of a tenant's Traefik are spread, when there is more than one. */
export enum TraefikSpread {
  /** One per node where it can: a node going down takes one replica, not all. */
  NODE = 'node',
  /** One per zone where it can, and one per node within a zone. */
  ZONE = 'zone',
}

/** How a toleration matches a taint's value. */
export enum TolerationOperator {
  /** The taint's value must equal `value`. */
  EQUAL = 'Equal',
  /** Any value of the taint (name the `key`: a toleration without one is refused). */
  EXISTS = 'Exists',
}

/** The effect of a taint. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A taint the Traefik's pods tolerate; never the control plane's, nor every taint. */
export interface TraefikToleration {
  /**
   * The taint's key, e.g. `dedicated`.
   * @default - required unless the operator is `EXISTS` (and then refused: it would tolerate every taint)
   */
  readonly key?: string;
  // jsii warns that `operator` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * How the value is matched.
   * @default TolerationOperator.EQUAL
   * @jsii suppress JSII5018
   */
  readonly operator?: TolerationOperator;
  /**
   * The taint's value, with `EQUAL`.
   * @default - empty
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * With `NO_EXECUTE`: how long the pod stays on a node after the taint appears.
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** The node and zone labels every Kubernetes node carries. */
export const TOPOLOGY_KEYS = { node: 'kubernetes.io/hostname', zone: 'topology.kubernetes.io/zone' } as const;

/**
 * Topology spread constraints for the Traefik's pods: one per zone (with `zone`), and one per
 * node. `ScheduleAnyway`: the scheduler prefers a spread, but never leaves a replica pending for
 * it — a Traefik that cannot schedule takes its tenant offline, while a skewed one still serves
 * (and its PodDisruptionBudget keeps a drain from taking all of it). On a cluster with fewer
 * nodes than replicas, or a selector that admits one node, the replicas still run.
 */
export function spreadConstraints(spread: string, podLabels: Record<string, string>): k8s.TopologySpreadConstraint[] {
  const keys = spread === TraefikSpread.ZONE ? [TOPOLOGY_KEYS.zone, TOPOLOGY_KEYS.node] : [TOPOLOGY_KEYS.node];
  return keys.map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...podLabels } },
  }));
}

/** Tolerations as a pod spec writes them. */
export function podTolerations(tolerations: readonly TraefikToleration[]): k8s.Toleration[] {
  return tolerations.map((t) => ({
    ...(t.key !== undefined ? { key: t.key } : {}),
    ...(t.operator !== undefined ? { operator: t.operator } : {}),
    ...(t.value !== undefined ? { value: t.value } : {}),
    ...(t.effect !== undefined ? { effect: t.effect } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
  }));
}
