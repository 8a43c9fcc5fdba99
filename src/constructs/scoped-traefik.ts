import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { DEFAULTS, withResourceDefaults } from '../defaults';
import { LABELS, tenantNames, traefikMetricsName } from '../model/names';
import * as fields from '../spec/schema';
import { PolicyRule } from '../threats/detect/rbac-analysis';
import { excepted, parseCidr } from '../threats/cidrs';
import { ClusterNetwork, egressExceptions, NODE_PORT_NAMES, nodePortTakenRefusal, ONE_NODE_PORT_ONE_TENANT } from '../threats/network';
import { checkTraefikPriorityClass, PRIORITY_PREEMPTION } from '../threats/pods';
import { checkResourceOrder, REQUESTS_WITHIN_LIMITS } from '../threats/resources';
import { checkServiceSetting, SERVICE_SETTING_TYPES, TypedServiceSetting } from '../threats/service-settings';
import { brand, isA } from './brand';
import { tenantLabels } from './labels';
import { dnsEgressRule, namespacePeer } from './network-rules';
import { copyRules, traefikRules } from './rbac-rules';
import { PropChecks } from './refuse';
import type { Platform } from './platform';
import type { ResourceQuantities, TenantNamespace } from './tenant-namespace';
import { podTolerations, spreadConstraints, TraefikSpread, TraefikToleration } from './traefik-scheduling';
import { TraefikServiceOptions, TraefikServiceType, traefikServiceSpec } from './traefik-service';

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

/** Ports of the Traefik container. */
export const TRAEFIK_PORTS = { web: 8000, websecure: 8443, traefik: 8080 } as const;

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
  readonly accessLog?: boolean;
  readonly redirectToHttps?: boolean;
  readonly metrics?: boolean;
}

/** Ports the API server listens on in most clusters (behind `kubernetes.default.svc`, and on the nodes). */
export const API_SERVER_PORTS = [443, 6443] as const;

/** Labels that select one tenant's Traefik pods (the tenant's NetworkPolicy reads them from `ScopedTraefik.podLabels`). */
function traefikPodLabels(tenant: string): Record<string, string> {
  return { [LABELS.name]: 'traefik', [LABELS.instance]: tenantNames(tenant).traefik };
}

/**
 * The static configuration of a tenant's Traefik, as command-line flags. Every option
 * here must be one Traefik v3.7 knows (it refuses to start otherwise); a test checks
 * them against the upstream option list.
 */
export function traefikArgs(tenant: string, platformNamespace: string, logLevel: string, features: TraefikFeatures = {}): string[] {
  return [
    ...baseTraefikArgs(tenant, platformNamespace, logLevel),
    ...(features.accessLog ? ACCESS_LOG_ARGS : []),
    ...(features.redirectToHttps ? REDIRECT_ARGS : []),
    ...(features.metrics ? METRICS_ARGS : []),
  ];
}

/** The flags every tenant's Traefik gets. */
function baseTraefikArgs(tenant: string, platformNamespace: string, logLevel: string): string[] {
  const names = tenantNames(tenant);
  return [
    `--entryPoints.web.address=:${TRAEFIK_PORTS.web}/tcp`,
    `--entryPoints.websecure.address=:${TRAEFIK_PORTS.websecure}/tcp`,
    '--entryPoints.websecure.http.tls=true',
    `--entryPoints.traefik.address=:${TRAEFIK_PORTS.traefik}/tcp`,
    '--ping=true',
    '--ping.entryPoint=traefik',
    '--global.checkNewVersion=false',
    '--global.sendAnonymousUsage=false',
    `--log.level=${logLevel}`,
    '--core.strictTLSOptions=true',
    '--providers.kubernetescrd=true',
    `--providers.kubernetescrd.namespaces=${names.namespace},${platformNamespace}`,
    '--providers.kubernetescrd.allowCrossNamespace=false',
    '--providers.kubernetescrd.allowExternalNameServices=false',
    `--providers.kubernetescrd.crossProviderNamespaces=${platformNamespace}`,
    `--providers.kubernetescrd.defaultTLSResourcesNamespace=${platformNamespace}`,
    '--providers.kubernetescrd.disableClusterScopeResources=true',
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
    this.tenantNamespace = tenantNamespace;
    this.name = names.traefik;
    this.ingressClass = names.ingressClass;
    this.namespaceName = namespace;
    this.image = platform.traefikImage;
    const labels = { ...tenantLabels(tenant), ...traefikPodLabels(tenant), [LABELS.component]: 'ingress-controller' };
    const meta = { name: names.traefik, namespace, labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta, automountServiceAccountToken: false });
    this.grant('TenantNamespace', names.namespace, traefikRules({ crd: true, ingress: true }), meta);
    this.grant('PlatformNamespace', namespace, traefikRules({ crd: true, ingress: false }), meta);

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta,
      spec: {
        replicas,
        selector: { matchLabels: traefikPodLabels(tenant) },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: names.traefik,
            automountServiceAccountToken: true,
            terminationGracePeriodSeconds: 60,
            ...(replicas > 1 ? { topologySpreadConstraints: spreadConstraints(props.spread ?? T.spread, traefikPodLabels(tenant)) } : {}),
            ...(props.nodeSelector && Object.keys(props.nodeSelector).length > 0 ? { nodeSelector: { ...props.nodeSelector } } : {}),
            ...(props.tolerations?.length ? { tolerations: podTolerations(props.tolerations) } : {}),
            ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'traefik',
              image: this.image,
              imagePullPolicy: 'IfNotPresent',
              args: traefikArgs(tenant, namespace, props.logLevel ?? T.logLevel, { accessLog: props.accessLog, redirectToHttps: props.redirectToHttps, metrics: props.metrics }),
              ports: [
                ...Object.entries(TRAEFIK_PORTS).map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' })),
                ...(props.metrics ? [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }] : []),
              ],
              resources: {
                requests: { cpu: k8s.Quantity.fromString(resources.requests.cpu), memory: k8s.Quantity.fromString(resources.requests.memory) },
                limits: { cpu: k8s.Quantity.fromString(resources.limits.cpu), memory: k8s.Quantity.fromString(resources.limits.memory) },
              },
              readinessProbe: pingProbe(1),
              livenessProbe: pingProbe(3),
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });

    const annotations = props.service?.annotations ?? {};
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: Object.keys(annotations).length > 0 ? { ...meta, annotations: { ...annotations } } : meta,
      spec: traefikServiceSpec(serviceType, traefikPodLabels(tenant), props.service),
    });
    for (const port of NODE_PORT_NAMES) {
      const nodePort = props.service?.nodePorts?.[port];
      if (nodePort !== undefined) platform._claimNodePort(nodePort, `tenant \`${tenant}\` (${port})`);
    }

    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta,
      spec: traefikNetworkPolicySpec(tenant, tenantNamespace.namespaceName, platform._clusterNetwork, props.metrics ? platform.monitoring?.namespace : undefined),
    });

    if (replicas > 1) {
      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: meta,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: traefikPodLabels(tenant) } },
      });
    }

    if (props.serviceMonitor) {
      const metricsName = traefikMetricsName(tenant);
      const metricsLabels = { [LABELS.instance]: names.traefik, [LABELS.component]: 'metrics' };
      this.metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: metricsName, namespace, labels: { ...labels, ...metricsLabels } },
        spec: {
          type: 'ClusterIP',
          selector: traefikPodLabels(tenant),
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

  /** Labels that select this Traefik's pods (a copy): the tenant's NetworkPolicy lets exactly these in. */
  public get podLabels(): Record<string, string> {
    return traefikPodLabels(this.tenantNamespace.tenantName);
  }

  /** A Role in `roleNamespace` with `rules`, bound to this Traefik's ServiceAccount (named and placed by `serviceAccount`). */
  private grant(
    id: string,
    roleNamespace: string,
    rules: PolicyRule[],
    serviceAccount: { name: string; namespace: string; labels: Record<string, string> },
  ): void {
    const roleMeta = { name: serviceAccount.name, namespace: roleNamespace, labels: serviceAccount.labels };
    new k8s.KubeRole(this, `${id}Role`, { metadata: roleMeta, rules: copyRules(rules) });
    new k8s.KubeRoleBinding(this, `${id}RoleBinding`, {
      metadata: roleMeta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: serviceAccount.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }],
    });
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

/**
 * The Traefik's own NetworkPolicy: its entry points and the probe port from anywhere; out, only
 * to its tenant's namespace, DNS and the API server — so no route, Middleware or plugin can make
 * it call the metadata endpoint, other tenants or the platform's other services. The API server
 * is `apiServerCIDRs` when known, else any address on its usual ports but the metadata services'
 * and the cluster's own ranges.
 */
function traefikNetworkPolicySpec(tenant: string, tenantNamespace: string, network: ClusterNetwork, monitoringNamespace?: string): k8s.NetworkPolicySpec {
  const ports = (...numbers: number[]) => numbers.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
  const apiServer: k8s.NetworkPolicyEgressRule = network.apiServerCIDRs?.length
    ? { to: network.apiServerCIDRs.map((cidr) => ({ ipBlock: { cidr } })) }
    : {
      to: ['0.0.0.0/0', '::/0'].map((cidr) => ({ ipBlock: { cidr, except: excepted(parseCidr(cidr)!, egressExceptions(network)) } })),
      ports: ports(...API_SERVER_PORTS),
    };
  return {
    podSelector: { matchLabels: traefikPodLabels(tenant) },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      { ports: ports(...Object.values(TRAEFIK_PORTS)) },
      // The metrics, from the monitoring namespace only (by the name label Kubernetes sets).
      ...(monitoringNamespace !== undefined ? [{ from: [namespacePeer(monitoringNamespace)], ports: ports(METRICS_PORT) }] : []),
    ],
    egress: [{ to: [namespacePeer(tenantNamespace)] }, dnsEgressRule(), apiServer],
  };
}

function pingProbe(failureThreshold: number): k8s.Probe {
  return {
    httpGet: { path: '/ping', port: k8s.IntOrString.fromString('traefik'), scheme: 'HTTP' },
    initialDelaySeconds: 2,
    periodSeconds: 10,
    timeoutSeconds: 2,
    successThreshold: 1,
    failureThreshold,
  };
}
