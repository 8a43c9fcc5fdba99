import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { GatewayClass } from '../imports/gateway-api';
import { DEFAULTS, withResourceDefaults } from '../defaults';
import { LABELS, PLATFORM_NAMES, TRAEFIK_GATEWAY_CONTROLLER } from '../model/names';
import * as fields from '../spec/schema';
import { checkResourceOrder, REQUESTS_WITHIN_LIMITS } from '../threats/resources';
import { brand, isA } from './brand';
import { platformLabels } from './labels';
import type { Platform } from './platform';
import { traefikGatewayClusterRules, traefikRules } from './rbac-rules';
import { PropChecks } from './refuse';
import type { ContainerResources, TraefikLogLevel } from './scoped-traefik';
import type { TraefikServiceType } from './traefik-service';
import { spreadConstraints, TraefikSpread } from './traefik-scheduling';
import {
  baseArgs, crdProviderArgs, gatewayProviderArgs, grantClusterRole, grantRole, RoleSubject, traefikDeployment, traefikDisruptionBudget,
  traefikNetworkPolicySpec, traefikPodLabels, traefikService, TraefikWorkload,
} from './traefik-workload';

/** How the shared Traefik runs (`RoutingOptions.sharedTraefik`). */
export interface SharedTraefikOptions {
  /**
   * Pods; a PodDisruptionBudget is added when more than one. At most 20.
   * @default 3
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
   * @default - requests 500m / 512Mi, limits 2 CPU / 2Gi
   */
  readonly resources?: ContainerResources;
  /**
   * Tenants it serves that join the platform after the platform is synthesized — tenants built in
   * Apps of their own, as the CLI builds them to render tenant by tenant. Listed first, in this
   * order; tenants added to the platform are watched as well.
   * @default - the tenants added to the platform by the time it is synthesized
   */
  readonly tenants?: string[];
}

/** Props of `SharedTraefik`. */
export interface SharedTraefikProps extends SharedTraefikOptions {
  /** The platform whose tenants share this Traefik: it runs in the platform's namespace, and serves each tenant's `TenantGateway`. */
  readonly platform: Platform;
}

/**
 * The one Traefik every tenant of a platform shares (`routing: { api: GATEWAY, traefik: SHARED }`):
 * one Deployment and one load balancer in the platform namespace, serving the Gateway API only.
 *
 * Its Gateway API provider selects its own GatewayClass by label and watches the platform
 * namespace (the tenants' Gateways) and each tenant namespace, listed by name as tenants join;
 * its CRD provider reads the platform's TLS defaults only — no IngressRoute, Ingress or Middleware
 * of a tenant is ever loaded. What keeps tenants apart is each tenant's Gateway: its listeners
 * admit that tenant's namespace, for its hosts, and no other (`TenantGateway`).
 *
 * Its roles in each tenant namespace come with the tenant's `TenantGateway`, in the tenant's file.
 * The trade-off: Traefik's Gateway API provider reads the Secrets of every namespace it watches
 * (it does not start without), so this one Traefik can read every tenant's Secrets.
 */
export class SharedTraefik extends Construct {
  /** Whether `x` is a SharedTraefik. */
  public static isSharedTraefik(x: any): x is SharedTraefik {
    return isA(x, 'SharedTraefik');
  }

  /** The platform whose tenants share it. */
  public readonly platform: Platform;
  /** Name of the Deployment, Service, ServiceAccount, roles and GatewayClass: `traefik-shared`. */
  public readonly name: string;
  /** The namespace it runs in: its platform's. */
  public readonly namespaceName: string;
  /** The GatewayClass it serves: every tenant's Gateway names it. */
  public readonly gatewayClassName: string;
  /** The container image: its platform's `traefikImage`. */
  public readonly image: string;
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** What it needs cluster-wide: list Namespaces, read GatewayClasses, report its own class's status. */
  public readonly clusterRole: k8s.KubeClusterRole;
  /** Binds the ClusterRole to the ServiceAccount. */
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;
  /** Its Role in the platform namespace: the tenants' Gateways, the TLS defaults. */
  public readonly platformRole: k8s.KubeRole;
  /** The Deployment: add tolerations, node selectors or annotations here (`addJsonPatch`). */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service of the entry points `web` (80) and `websecure` (443): the one address of every tenant's hosts. */
  public readonly service: k8s.KubeService;
  /** In, its entry points; out, only tenant namespaces (by their `tenancy.cdk8s.io/tenant` label), DNS and the API server. */
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  /**
   * The PodDisruptionBudget, with more than one replica.
   * @default - none with one replica
   */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The GatewayClass `traefik-shared`, labelled for this Traefik's label selector. */
  public readonly gatewayClass: ApiObject;
  /** The tenants announced in `tenants`, watched whether or not they joined by synthesis. */
  private readonly announced: string[];
  /** Set once its flags are produced: a tenant joining later is not watched unless announced. */
  private synthesized = false;

  constructor(scope: Construct, id: string, props: SharedTraefikProps) {
    super(scope, id);
    brand(this, 'SharedTraefik');
    const refusals = new PropChecks('SharedTraefik');
    const platform = props.platform;
    refusals.check('platform', !isA(platform, 'Platform')
      ? 'is not a Platform — pass the `Platform` whose tenants share this Traefik'
      : platform.sharedTraefik
        ? `the platform already has a SharedTraefik (\`${platform.sharedTraefik.node.path}\`) — a platform shares one`
        : undefined);
    refusals.done();
    const S = DEFAULTS.platform.sharedTraefik;
    const resources = {
      requests: withResourceDefaults(props.resources?.requests, S.resources.requests),
      limits: withResourceDefaults(props.resources?.limits, S.resources.limits),
    };
    if (props.replicas !== undefined) refusals.parse('replicas', fields.replicas, props.replicas);
    if (props.tenants !== undefined) refusals.parse('tenants', z.array(fields.dnsLabel('payments')), props.tenants);
    if (props.serviceType !== undefined) refusals.parse('serviceType', z.enum(['LoadBalancer', 'ClusterIP']), props.serviceType);
    if (props.logLevel !== undefined) refusals.parse('logLevel', z.enum(fields.LOG_LEVELS), props.logLevel);
    if (props.resources !== undefined) refusals.parse('resources', z.strictObject({ requests: fields.cpuMemory.optional(), limits: fields.cpuMemory.optional() }), props.resources);
    for (const res of ['cpu', 'memory'] as const) {
      refusals.check(`resources.requests.${res}`, checkResourceOrder(
        `routing.sharedTraefik.resources.requests.${res}`, { value: resources.requests[res] }, `routing.sharedTraefik.resources.limits.${res}`, { value: resources.limits[res] }), REQUESTS_WITHIN_LIMITS);
    }
    refusals.done();

    const namespace = platform.namespaceName;
    this.platform = platform;
    this.name = PLATFORM_NAMES.sharedTraefik;
    this.namespaceName = namespace;
    this.gatewayClassName = PLATFORM_NAMES.sharedGatewayClass;
    this.image = platform.traefikImage;
    const podLabels = traefikPodLabels(this.name);
    const labels = { ...platformLabels(), ...podLabels, [LABELS.component]: 'ingress-controller' };
    const subject: RoleSubject = { name: this.name, namespace, labels };
    const logLevel = props.logLevel ?? S.logLevel;
    this.announced = [...(props.tenants ?? [])];
    const replicas = props.replicas ?? S.replicas;
    const workload: TraefikWorkload = {
      name: this.name,
      namespace,
      labels,
      podLabels,
      image: this.image,
      // The gateway provider watches the tenants as they join, after the platform namespace.
      args: Lazy.any({
        produce: () => {
          this.synthesized = true;
          return [
          ...baseArgs(logLevel),
          ...crdProviderArgs([namespace], namespace),
          ...gatewayProviderArgs([namespace, ...new Set([...this.announced, ...platform.tenantNames])], this.name, namespace),
          ];
        },
      }) as unknown as string[],
      replicas,
      serviceType: props.serviceType ?? S.serviceType,
      resources,
      // Every tenant depends on it: its replicas spread across nodes (see `TraefikSpread`).
      scheduling: replicas > 1 ? { topologySpreadConstraints: spreadConstraints(TraefikSpread.NODE, podLabels) } : {},
    };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name, namespace, labels }, automountServiceAccountToken: false });
    ({ role: this.clusterRole, binding: this.clusterRoleBinding } = grantClusterRole(this, traefikGatewayClusterRules(this.gatewayClassName), subject));
    this.platformRole = grantRole(this, 'PlatformNamespace', namespace, traefikRules({ crd: true, ingress: false, gateway: { routes: false, gateways: '*' } }), subject).role;
    this.deployment = traefikDeployment(this, workload);
    this.service = traefikService(this, workload);
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, namespace, labels },
      spec: traefikNetworkPolicySpec(podLabels, [{ namespaceSelector: { matchExpressions: [{ key: LABELS.tenant, operator: 'Exists' }] } }], platform._clusterNetwork),
    });
    this.podDisruptionBudget = traefikDisruptionBudget(this, workload);
    this.gatewayClass = new GatewayClass(this, 'GatewayClass', {
      metadata: { name: this.gatewayClassName, labels: { ...platformLabels(), [LABELS.traefik]: this.name } },
      spec: { controllerName: TRAEFIK_GATEWAY_CONTROLLER, description: 'The Traefik every tenant shares; one Gateway per tenant.' },
    });
  }

  /** Labels that select its pods (a copy): each tenant's NetworkPolicy lets exactly these in. */
  public get podLabels(): Record<string, string> {
    return traefikPodLabels(this.name);
  }

  /** The rules it needs in each tenant namespace: the tenant's routes, Services and Secrets; report its routes' status. @internal */
  public get _tenantRules() {
    return traefikRules({ crd: false, ingress: false, gateway: { routes: true } });
  }

  /** Whether it watches `tenant`'s namespace: announced in `tenants`, or joining before its flags are produced. @internal */
  public _watches(tenant: string): boolean {
    return !this.synthesized || this.announced.includes(tenant);
  }

  /** Its ServiceAccount as a role subject. @internal */
  public get _subject(): RoleSubject {
    return { name: this.name, namespace: this.namespaceName, labels: { ...platformLabels(), ...this.podLabels, [LABELS.component]: 'ingress-controller' } };
  }
}
