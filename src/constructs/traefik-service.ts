/**
 * The Service in front of a tenant's Traefik: its type, and the settings a cloud load balancer or
 * a bare-metal cluster needs (annotations, traffic policy, load balancer class, source ranges,
 * fixed node ports). `ScopedTraefik` takes them as `service`.
 */
import { k8s } from 'cdk8s-plus-29';
import { NodePortName } from '../threats/network';

/** Service type of a tenant Traefik's entry points. */
export enum TraefikServiceType {
  /** A cloud load balancer in front of the Traefik: one per tenant. */
  LOAD_BALANCER = 'LoadBalancer',
  /** Reachable inside the cluster only (put your own load balancer or ingress in front). */
  CLUSTER_IP = 'ClusterIP',
  /**
   * A port on every node (30000-32767), for clusters without a load balancer: put an external
   * load balancer or DNS in front of the nodes. The Service lives in the platform namespace, so
   * this is the platform's choice; tenants still cannot create NodePort Services of their own.
   */
  NODE_PORT = 'NodePort',
}

/** Whether a Service keeps client source addresses (`Local`) or spreads traffic over every node (`Cluster`). */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any Traefik pod; client addresses are replaced by the node's. */
  CLUSTER = 'Cluster',
  /** Only nodes running a Traefik pod receive traffic; the client's address is kept. */
  LOCAL = 'Local',
}

/** Fixed node ports of the Traefik Service (each unique across the platform). */
export interface TraefikNodePorts {
  /**
   * Node port of the `web` entry point (80).
   * @default - allocated by Kubernetes
   */
  readonly web?: number;
  /**
   * Node port of the `websecure` entry point (443).
   * @default - allocated by Kubernetes
   */
  readonly websecure?: number;
}

/** The Traefik Service's settings beyond its type (`ScopedTraefikOptions.service`). */
export interface TraefikServiceOptions {
  /**
   * Annotations of the Service, e.g. a cloud load balancer's settings.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * Whether client addresses are kept. LoadBalancer and NodePort only.
   * @default - Kubernetes' default, `Cluster`
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * The load balancer implementation, e.g. `service.k8s.aws/nlb`. LoadBalancer only.
   * @default - the cluster's default load balancer
   */
  readonly loadBalancerClass?: string;
  /**
   * Client CIDRs the load balancer admits. LoadBalancer only.
   * @default - every address
   */
  readonly loadBalancerSourceRanges?: string[];
  /**
   * Fixed node ports, 30000-32767, each claimed by one tenant only. NodePort and LoadBalancer only.
   * @default - allocated by Kubernetes
   */
  readonly nodePorts?: TraefikNodePorts;
}

/** The Service ports of the entry points, and the container ports they reach. */
export const SERVICE_PORTS: ReadonlyArray<{ readonly name: NodePortName; readonly port: number }> = [
  { name: 'web', port: 80 },
  { name: 'websecure', port: 443 },
];

/** The Traefik Service's spec: its type, the pods it selects, its two ports and the settings given. */
export function traefikServiceSpec(type: string, selector: Record<string, string>, options: TraefikServiceOptions = {}): k8s.ServiceSpec {
  return {
    type,
    selector,
    ports: SERVICE_PORTS.map(({ name, port }) => ({
      name,
      port,
      targetPort: k8s.IntOrString.fromString(name),
      protocol: 'TCP',
      ...(options.nodePorts?.[name] !== undefined ? { nodePort: options.nodePorts[name] } : {}),
    })),
    ...(options.externalTrafficPolicy ? { externalTrafficPolicy: options.externalTrafficPolicy } : {}),
    ...(options.loadBalancerClass ? { loadBalancerClass: options.loadBalancerClass } : {}),
    ...(options.loadBalancerSourceRanges?.length ? { loadBalancerSourceRanges: [...options.loadBalancerSourceRanges] } : {}),
  };
}
