import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { GatewayClass } from '../imports/gateway-api';
import { DEFAULTS, withResourceDefaults } from '../defaults';
import { LABELS, TRAEFIK_GATEWAY_CONTROLLER, tenantNames, traefikMetricsName } from '../model/names';
import * as fields from '../spec/schema';
import { NODE_PORT_NAMES, nodePortTakenRefusal, ONE_NODE_PORT_ONE_TENANT } from '../threats/network';
import { checkTraefikPriorityClass, PRIORITY_PREEMPTION } from '../threats/pods';
import { checkResourceOrder, REQUESTS_WITHIN_LIMITS } from '../threats/resources';
import { checkServiceSetting, SERVICE_SETTING_TYPES, TypedServiceSetting } from '../threats/service-settings';
import { brand, isA } from './brand';
import { tenantLabels } from './labels';
import { namespacePeer } from './network-rules';
import { traefikGatewayClusterRules, traefikRules } from './rbac-rules';
import { PropChecks } from './refuse';
import type { Platform } from './platform';
import type { ResourceQuantities, TenantNamespace } from './tenant-namespace';
import {
  baseArgs, crdProviderArgs, gatewayProviderArgs, grantClusterRole, grantRole, RoleSubject, traefikDeployment,
  traefikDisruptionBudget, traefikNetworkPolicySpec, traefikPodLabels, traefikService, TraefikWorkload,
} from './traefik-workload';
import { podTolerations, spreadConstraints, TraefikSpread, TraefikToleration } from './traefik-scheduling';
import { TraefikServiceOptions, TraefikServiceType, traefikServiceSpec } from './traefik-service';

export { TRAEFIK_PORTS } from './traefik-workload';

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
   * The Service's annotations, traffic policy, load balancer class, source ranges and node ports.
   * @default - none of them
   */
  readonly service?: TraefikServiceOptions;
  /**
   * With more than one replica, how the replicas are spread (preferred, never blocking).
   * @default TraefikSpread.NODE
   */
  readonly spread?: TraefikSpread;
  /**
   * Labels of the nodes the Traefik may run on; never the control plane's.
   * @default - any node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Taints the Traefik's pods tolerate; never the control plane's, nor every taint.
   * @default - none
   */
  readonly tolerations?: TraefikToleration[];
  /**
   * The pods' PriorityClass: one of the platform's `priorityClasses` when it lists them, never a system class.
   * @default - none (priority 0, or the cluster's global default)
   */
  readonly priorityClassName?: string;
  /**
   * Prometheus metrics on an entry point `metrics` (port 9100), which only the platform's
   * `monitoring` namespace may reach. Needs the platform's `monitoring`.
   * @default false
   */
  readonly metrics?: boolean;
  /**
   * A ServiceMonitor (Prometheus Operator) for the metrics, and the ClusterIP Service it selects. Needs `metrics`.
   * @default false
   */
  readonly serviceMonitor?: boolean;
  /**
   * Traefik's access log (`--accesslog`), to standard output.
   * @default false
   */
  readonly accessLog?: boolean;
  /**
   * Redirect every request on the `web` entry point (80) to HTTPS on port 443, permanently.
   * @default false
   */
  readonly redirectToHttps?: boolean;
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

/** Port of the `metrics` entry point, with `metrics` (the port the Traefik Helm chart uses). */
export const METRICS_PORT = 9100;

/** Flags of the access log, with `accessLog`. */
export const ACCESS_LOG_ARGS: readonly string[] = ['--accesslog=true'];

/**
 * Flags that redirect the `web` entry point to HTTPS, with `redirectToHttps`. The target is the
 * Service's port `:443`, not the entry point's container port (8443); Let's Encrypt follows such
 * a redirect, so HTTP-01 challenges still pass.
 */
export const REDIRECT_ARGS: readonly string[] = [
  '--entryPoints.web.http.redirections.entryPoint.to=:443',
  '--entryPoints.web.http.redirections.entryPoint.scheme=https',
  '--entryPoints.web.http.redirections.entryPoint.permanent=true',
];

/** Flags of the Prometheus metrics on their own entry point, with `metrics`. */
export const METRICS_ARGS: readonly string[] = [
  `--entryPoints.metrics.address=:${METRICS_PORT}/tcp`,
  '--metrics.prometheus=true',
  '--metrics.prometheus.entryPoint=metrics',
];

/** The optional features of a tenant's Traefik that add flags. */
export interface TraefikFeatures {
  /** Through the Gateway API (the tenant's Gateway) instead of IngressRoutes and Ingresses. */
  readonly gateway?: boolean;
  readonly accessLog?: boolean;
  readonly redirectToHttps?: boolean;
  readonly metrics?: boolean;
}

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
export function traefikArgs(tenant: string, platformNamespace: string, logLevel: string, features: TraefikFeatures = {}): string[] {
  return [
    ...providerArgs(tenant, platformNamespace, logLevel, features.gateway ?? false),
    ...(features.accessLog ? ACCESS_LOG_ARGS : []),
    ...(features.redirectToHttps ? REDIRECT_ARGS : []),
    ...(features.metrics ? METRICS_ARGS : []),
  ];
}

/** The flags every tenant's Traefik gets: the common ones and its providers. */
function providerArgs(tenant: string, platformNamespace: string, logLevel: string, gateway: boolean): string[] {
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
  /**
   * The ClusterIP Service of the metrics, which the ServiceMonitor selects.
   * @default - none without `serviceMonitor`
   */
  public readonly metricsService?: k8s.KubeService;
  /**
   * The ServiceMonitor of the metrics (`monitoring.coreos.com/v1`).
   * @default - none without `serviceMonitor`
   */
  public readonly serviceMonitor?: ApiObject;

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
    if (props.serviceType !== undefined) refusals.parse('serviceType', fields.serviceType, props.serviceType);
    if (props.logLevel !== undefined) refusals.parse('logLevel', z.enum(fields.LOG_LEVELS), props.logLevel);
    if (props.resources !== undefined) refusals.parse('resources', z.strictObject({ requests: fields.cpuMemory.optional(), limits: fields.cpuMemory.optional() }), props.resources);
    for (const res of ['cpu', 'memory'] as const) {
      refusals.check(`resources.requests.${res}`, checkResourceOrder(
        `traefik.resources.requests.${res}`, { value: resources.requests[res] }, `traefik.resources.limits.${res}`, { value: resources.limits[res] }), REQUESTS_WITHIN_LIMITS);
    }
    const platform = tenantNamespace.platform;
    const serviceType = props.serviceType ?? T.serviceType;
    judgeService(refusals, props.service, serviceType, tenantNamespace);
    judgeScheduling(refusals, props, platform);
    judgeObservability(refusals, props, platform);
    refusals.done();

    const tenant = tenantNamespace.tenantName;
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
      args: traefikArgs(tenant, namespace, props.logLevel ?? T.logLevel, { gateway, accessLog: props.accessLog, redirectToHttps: props.redirectToHttps, metrics: props.metrics }),
      replicas,
      serviceType,
      resources,
      scheduling: {
        ...(replicas > 1 ? { topologySpreadConstraints: spreadConstraints(props.spread ?? T.spread, podLabels) } : {}),
        ...(props.nodeSelector && Object.keys(props.nodeSelector).length > 0 ? { nodeSelector: { ...props.nodeSelector } } : {}),
        ...(props.tolerations?.length ? { tolerations: podTolerations(props.tolerations) } : {}),
        ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
      },
      extraPorts: props.metrics ? [{ name: 'metrics', containerPort: METRICS_PORT }] : [],
      service: { spec: traefikServiceSpec(serviceType, podLabels, props.service), annotations: props.service?.annotations },
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
    for (const port of NODE_PORT_NAMES) {
      const nodePort = props.service?.nodePorts?.[port];
      if (nodePort !== undefined) platform._claimNodePort(nodePort, `tenant \`${tenant}\` (${port})`);
    }
    const monitoring = props.metrics ? platform.monitoring?.namespace : undefined;
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta,
      spec: traefikNetworkPolicySpec(podLabels, [namespacePeer(tenantNamespace.namespaceName)], platform._clusterNetwork,
        monitoring !== undefined ? { from: namespacePeer(monitoring), port: METRICS_PORT } : undefined),
    });
    this.podDisruptionBudget = traefikDisruptionBudget(this, workload);
    if (gateway) {
      this.gatewayClass = new GatewayClass(this, 'GatewayClass', {
        metadata: { name: names.gatewayClass, labels: { ...tenantLabels(tenant), [LABELS.traefik]: names.traefik } },
        spec: { controllerName: TRAEFIK_GATEWAY_CONTROLLER, description: 'One tenant\'s own Traefik: see the tenancy.cdk8s.io/tenant label.' },
      });
    }

    if (props.serviceMonitor) {
      const metricsName = traefikMetricsName(tenant);
      const metricsLabels = { [LABELS.instance]: names.traefik, [LABELS.component]: 'metrics' };
      this.metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: metricsName, namespace, labels: { ...labels, ...metricsLabels } },
        spec: {
          type: 'ClusterIP',
          selector: podLabels,
          ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
        },
      });
      this.serviceMonitor = new ApiObject(this, 'ServiceMonitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: metricsName, namespace, labels: { ...labels, ...platform.monitoring?.serviceMonitorLabels } },
        spec: {
          selector: { matchLabels: metricsLabels },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ port: 'metrics', path: '/metrics' }],
        },
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

/** Judges where the pods run: spread, node selector and tolerations (never the control plane), a PriorityClass the platform allows. */
function judgeScheduling(refusals: PropChecks, props: ScopedTraefikOptions, platform: Platform): void {
  if (props.spread !== undefined) refusals.parse('spread', z.enum(Object.values(TraefikSpread)), props.spread);
  if (props.nodeSelector !== undefined) refusals.parse('nodeSelector', fields.nodeSelector, props.nodeSelector);
  if (props.tolerations !== undefined) refusals.parse('tolerations', z.array(fields.toleration), props.tolerations);
  if (props.priorityClassName !== undefined && refusals.parse('priorityClassName', fields.objectName('ingress-high'), props.priorityClassName) === props.priorityClassName) {
    refusals.check('priorityClassName', checkTraefikPriorityClass(props.priorityClassName, platform.priorityClasses), PRIORITY_PREEMPTION);
  }
}

/** Judges the flags: metrics need a namespace that may scrape them, a ServiceMonitor needs metrics. */
function judgeObservability(refusals: PropChecks, props: ScopedTraefikOptions, platform: Platform): void {
  for (const flag of ['metrics', 'serviceMonitor', 'accessLog', 'redirectToHttps'] as const) {
    if (props[flag] !== undefined) refusals.parse(flag, z.boolean(), props[flag]);
  }
  if (props.metrics && !platform.monitoring) {
    refusals.check('metrics', 'no namespace may scrape the metrics: the platform namespace denies all traffic but what is allowed — give the Platform `monitoring` (Prometheus\'s namespace)');
  }
  if (props.serviceMonitor && !props.metrics) refusals.check('serviceMonitor', 'has no metrics to scrape — set `metrics: true` as well');
}

/** Judges the Service settings: their shapes, the Service type they need, node ports the platform's tenants claimed. */
function judgeService(refusals: PropChecks, service: TraefikServiceOptions | undefined, serviceType: string, tenantNamespace: TenantNamespace): void {
  if (service === undefined) return;
  const before = refusals.count;
  refusals.parse('service', fields.traefikService, service);
  if (refusals.count > before) return;
  for (const setting of Object.keys(SERVICE_SETTING_TYPES) as TypedServiceSetting[]) {
    if (service[setting] !== undefined) refusals.check(`service.${setting}`, checkServiceSetting(setting, serviceType));
  }
  const own = new Map<number, string>();
  for (const port of NODE_PORT_NAMES) {
    const nodePort = service.nodePorts?.[port];
    if (nodePort === undefined) continue;
    const first = own.get(nodePort) ?? tenantNamespace.platform._nodePortOwner(nodePort);
    refusals.check(`service.nodePorts.${port}`, first !== undefined ? nodePortTakenRefusal(nodePort, first) : undefined, ONE_NODE_PORT_ONE_TENANT);
    own.set(nodePort, `tenant \`${tenantNamespace.tenantName}\` (${port})`);
  }
}

