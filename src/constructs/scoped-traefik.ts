import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { GatewayClass } from '../imports/gateway-api';
import { DEFAULTS, withResourceDefaults } from '../defaults';
import { LABELS, TRAEFIK_GATEWAY_CONTROLLER, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { checkResourceOrder, REQUESTS_WITHIN_LIMITS } from '../threats/resources';
import { brand, isA } from './brand';
import { tenantLabels } from './labels';
import { namespacePeer } from './network-rules';
import { traefikGatewayClusterRules, traefikRules } from './rbac-rules';
import { PropChecks } from './refuse';
import type { ResourceQuantities, TenantNamespace } from './tenant-namespace';
import {
  baseArgs, crdProviderArgs, gatewayProviderArgs, grantClusterRole, grantRole, RoleSubject, traefikDeployment,
  traefikDisruptionBudget, traefikNetworkPolicySpec, traefikPodLabels, traefikService, TraefikWorkload,
} from './traefik-workload';

export { TRAEFIK_PORTS } from './traefik-workload';

/** Service type of a tenant Traefik's entry points. NodePort is not offered: it opens a port on every node. */
export enum TraefikServiceType {
  /** A cloud load balancer in front of the Traefik. */
  LOAD_BALANCER = 'LoadBalancer',
  /** Reachable inside the cluster only (put your own load balancer or ingress in front). */
  CLUSTER_IP = 'ClusterIP',
}

/** Traefik's `--log.level`. */
export enum TraefikLogLevel {
  TRACE = 'TRACE',
  DEBUG = 'DEBUG',
  INFO = 'INFO',
  WARN = 'WARN',
  ERROR = 'ERROR',
  FATAL = 'FATAL',
  PANIC = 'PANIC',
}

/** CPU and memory requests and limits of a container. */
export interface ContainerResources {
  /**
   * What the container requests; each value defaults on its own.
   * @default - 100m, 128Mi
   */
  readonly requests?: ResourceQuantities;
  /**
   * The container's limits; each value defaults on its own.
   * @default - 1 CPU, 512Mi
   */
  readonly limits?: ResourceQuantities;
}

/** How a tenant's Traefik runs (the `traefik` options of `Platform.addTenant` are these). */
export interface ScopedTraefikOptions {
  /**
   * Pods; a PodDisruptionBudget is added when more than one. At most 20.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Service type of the entry points.
   * @default TraefikServiceType.LOAD_BALANCER
   */
  readonly serviceType?: TraefikServiceType;
  /**
   * Traefik's `--log.level`.
   * @default TraefikLogLevel.INFO
   */
  readonly logLevel?: TraefikLogLevel;
  /**
   * Requests and limits of the Traefik container.
   * @default - requests 100m / 128Mi, limits 1 CPU / 512Mi
   */
  readonly resources?: ContainerResources;
  /**
   * Refused when `true`: cross-namespace references let one tenant's routes use another
   * tenant's Services, Middlewares and TLS Secrets. Stated as `false` in Traefik's flags either way.
   * @default false
   */
  readonly allowCrossNamespace?: boolean;
}

/** Props of `ScopedTraefik`: the tenant it serves, and how it runs. */
export interface ScopedTraefikProps extends ScopedTraefikOptions {
  /**
   * The tenant this Traefik serves. It runs in the namespace of the tenant's platform, watches
   * only the tenant's namespace and the platform's, and the tenant's NetworkPolicy lets its pods in.
   */
  readonly tenantNamespace: TenantNamespace;
}

/** Props earlier versions took, and what to pass instead (for JavaScript callers). */
const MOVED = {
  tenant: 'pass the tenant\'s `tenantNamespace`: the Traefik serves it and runs in the namespace of its platform',
  namespace: 'the Traefik runs in the namespace of the platform of its `tenantNamespace`',
  image: 'the image is the platform\'s: pass `traefikImage` to the `Platform`',
};

/**
 * The static configuration of a tenant's Traefik, as command-line flags. Every option
 * here must be one Traefik v3.7 knows (it refuses to start otherwise); a test checks
 * them against the upstream option list.
 *
 * With IngressRoutes (`gateway` false), the CRD and Ingress providers watch the tenant's
 * namespace. Through the Gateway API, the Gateway API provider watches the tenant's namespace
 * (its routes) and the platform's (its Gateway), for the tenant's own GatewayClass; the CRD
 * provider reads only the platform's TLS defaults, and there is no Ingress provider.
 */
export function traefikArgs(tenant: string, platformNamespace: string, logLevel: string, gateway = false): string[] {
  const names = tenantNames(tenant);
  if (gateway) {
    return [
      ...baseArgs(logLevel),
      ...crdProviderArgs([platformNamespace], platformNamespace),
      ...gatewayProviderArgs([names.namespace, platformNamespace], names.traefik, platformNamespace),
    ];
  }
  return [
    ...baseArgs(logLevel),
    ...crdProviderArgs([names.namespace, platformNamespace], platformNamespace),
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.namespaces=${names.namespace}`,
    `--providers.kubernetesingress.ingressClass=${names.ingressClass}`,
    '--providers.kubernetesingress.allowExternalNameServices=false',
    `--providers.kubernetesingress.crossProviderNamespaces=${platformNamespace}`,
    '--providers.kubernetesingress.disableClusterScopeResources=true',
    `--providers.kubernetesingress.ingressEndpoint.publishedService=${platformNamespace}/${names.traefik}`,
  ];
}

/**
 * A Traefik dedicated to one tenant, running in the platform namespace (a tenant who could
 * run pods beside it could take its ServiceAccount). Its providers watch only the tenant's
 * namespace and the platform namespace, with namespaced RBAC in exactly those two; the tenant's
 * NetworkPolicy lets its pods (and no other) in.
 */
export class ScopedTraefik extends Construct {
  /** Whether `x` is a ScopedTraefik. */
  public static isScopedTraefik(x: any): x is ScopedTraefik {
    return isA(x, 'ScopedTraefik');
  }

  /** The tenant this Traefik serves. */
  public readonly tenantNamespace: TenantNamespace;
  /** Name of the Deployment, Service, ServiceAccount and Roles: `traefik-<tenant>`. */
  public readonly name: string;
  /** Ingress class the tenant's Ingresses (and HTTP-01 solvers) name in `kubernetes.io/ingress.class`. */
  public readonly ingressClass: string;
  /** The namespace it runs in: its platform's. */
  public readonly namespaceName: string;
  /** The container image: its platform's `traefikImage`. */
  public readonly image: string;
  /**
   * The GatewayClass this Traefik serves, selected by its label: the tenant's Gateway names it.
   * @default - none with IngressRoutes
   */
  public readonly gatewayClass?: ApiObject;
  /**
   * Through the Gateway API: what it needs cluster-wide (list Namespaces, read GatewayClasses, report its own class's status).
   * @default - none with IngressRoutes: only namespaced roles
   */
  public readonly clusterRole?: k8s.KubeClusterRole;
  /**
   * Binds the ClusterRole to the ServiceAccount.
   * @default - none with IngressRoutes
   */
  public readonly clusterRoleBinding?: k8s.KubeClusterRoleBinding;
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The Deployment: add tolerations, node selectors or annotations here (`addJsonPatch`). */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service of the entry points `web` (80) and `websecure` (443): point the tenant's DNS at it. */
  public readonly service: k8s.KubeService;
  /**
   * What the Traefik's pods may send and receive in the platform namespace, which denies all
   * else: its entry points in; out, only its tenant's namespace, DNS and the API server.
   */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /**
   * The PodDisruptionBudget, with more than one replica.
   * @default - none with one replica
   */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: ScopedTraefikProps) {
    super(scope, id);
    brand(this, 'ScopedTraefik');
    const refusals = new PropChecks('ScopedTraefik');
    refusals.moved(props, MOVED);
    const tenantNamespace = props.tenantNamespace;
    refusals.check('tenantNamespace', !isA(tenantNamespace, 'TenantNamespace')
      ? 'is not a TenantNamespace — pass the TenantNamespace of the tenant this Traefik serves'
      : tenantNamespace.traefik
        ? `tenant \`${tenantNamespace.tenantName}\` already has a ScopedTraefik (\`${tenantNamespace.traefik.node.path}\`) — use that one: a second would serve the same ingress class`
        : tenantNamespace.platform.sharedTraefik
          ? `every tenant of this platform shares its Traefik (\`routing.traefik\` is \`TraefikTopology.SHARED\`), so a tenant has none of its own — give the TenantNamespace a \`TenantGateway\` instead`
          : undefined);
    refusals.done();
    const T = DEFAULTS.tenant.traefik;
    const replicas = props.replicas ?? T.replicas;
    const resources = {
      requests: withResourceDefaults(props.resources?.requests, T.resources.requests),
      limits: withResourceDefaults(props.resources?.limits, T.resources.limits),
    };
    if (props.replicas !== undefined) refusals.parse('replicas', fields.replicas, props.replicas);
    if (props.allowCrossNamespace !== undefined) refusals.parse('allowCrossNamespace', fields.allowCrossNamespace, props.allowCrossNamespace);
    if (props.serviceType !== undefined) refusals.parse('serviceType', z.enum(['LoadBalancer', 'ClusterIP']), props.serviceType);
    if (props.logLevel !== undefined) refusals.parse('logLevel', z.enum(fields.LOG_LEVELS), props.logLevel);
    if (props.resources !== undefined) refusals.parse('resources', z.strictObject({ requests: fields.cpuMemory.optional(), limits: fields.cpuMemory.optional() }), props.resources);
    for (const res of ['cpu', 'memory'] as const) {
      refusals.check(`resources.requests.${res}`, checkResourceOrder(
        `traefik.resources.requests.${res}`, { value: resources.requests[res] }, `traefik.resources.limits.${res}`, { value: resources.limits[res] }), REQUESTS_WITHIN_LIMITS);
    }
    refusals.done();

    const tenant = tenantNamespace.tenantName;
    const platform = tenantNamespace.platform;
    const namespace = platform.namespaceName;
    const names = tenantNames(tenant);
    const gateway = platform.routingApi === 'gateway';
    this.tenantNamespace = tenantNamespace;
    this.name = names.traefik;
    this.ingressClass = names.ingressClass;
    this.namespaceName = namespace;
    this.image = platform.traefikImage;
    const podLabels = traefikPodLabels(names.traefik);
    const labels = { ...tenantLabels(tenant), ...podLabels, [LABELS.component]: 'ingress-controller' };
    const meta = { name: names.traefik, namespace, labels };
    const subject: RoleSubject = meta;
    const workload: TraefikWorkload = {
      ...meta,
      podLabels,
      image: this.image,
      args: traefikArgs(tenant, namespace, props.logLevel ?? T.logLevel, gateway),
      replicas,
      serviceType: props.serviceType ?? T.serviceType,
      resources,
    };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta, automountServiceAccountToken: false });
    if (gateway) {
      ({ role: this.clusterRole, binding: this.clusterRoleBinding } = grantClusterRole(this, traefikGatewayClusterRules(names.gatewayClass), subject));
      grantRole(this, 'TenantNamespace', names.namespace, traefikRules({ crd: false, ingress: false, gateway: { routes: true } }), subject);
      grantRole(this, 'PlatformNamespace', namespace, traefikRules({ crd: true, ingress: false, gateway: { routes: false, gateways: [names.gateway] } }), subject);
    } else {
      grantRole(this, 'TenantNamespace', names.namespace, traefikRules({ crd: true, ingress: true }), subject);
      grantRole(this, 'PlatformNamespace', namespace, traefikRules({ crd: true, ingress: false }), subject);
    }
    this.deployment = traefikDeployment(this, workload);
    this.service = traefikService(this, workload);
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta,
      spec: traefikNetworkPolicySpec(podLabels, [namespacePeer(tenantNamespace.namespaceName)], platform._clusterNetwork),
    });
    this.podDisruptionBudget = traefikDisruptionBudget(this, workload);
    if (gateway) {
      this.gatewayClass = new GatewayClass(this, 'GatewayClass', {
        metadata: { name: names.gatewayClass, labels: { ...tenantLabels(tenant), [LABELS.traefik]: names.traefik } },
        spec: { controllerName: TRAEFIK_GATEWAY_CONTROLLER, description: 'One tenant\'s own Traefik: see the tenancy.cdk8s.io/tenant label.' },
      });
    }

    tenantNamespace._attachTraefik(this);
  }

  /**
   * The GatewayClass the tenant's Gateway names.
   * @default - none with IngressRoutes
   */
  public get gatewayClassName(): string | undefined {
    return this.gatewayClass?.name;
  }

  /** Labels that select this Traefik's pods (a copy): the tenant's NetworkPolicy lets exactly these in. */
  public get podLabels(): Record<string, string> {
    return traefikPodLabels(this.name);
  }
}
