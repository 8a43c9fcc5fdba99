import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { DEFAULTS, withResourceDefaults } from '../defaults';
import { LABELS, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { PolicyRule } from '../threats/detect/rbac-analysis';
import { ClusterNetwork } from '../threats/network';
import { checkResourceOrder, REQUESTS_WITHIN_LIMITS } from '../threats/resources';
import { brand, isA } from './brand';
import { tenantLabels } from './labels';
import { apiServerEgressRule, dnsEgressRule, namespacePeer } from './network-rules';
import { copyRules, traefikRules } from './rbac-rules';
import { PropChecks } from './refuse';
import type { ResourceQuantities, TenantNamespace } from './tenant-namespace';

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

/** Ports of the Traefik container. */
export const TRAEFIK_PORTS = { web: 8000, websecure: 8443, traefik: 8080 } as const;

/** Labels that select one tenant's Traefik pods (the tenant's NetworkPolicy reads them from `ScopedTraefik.podLabels`). */
function traefikPodLabels(tenant: string): Record<string, string> {
  return { [LABELS.name]: 'traefik', [LABELS.instance]: tenantNames(tenant).traefik };
}

/**
 * The static configuration of a tenant's Traefik, as command-line flags. Every option
 * here must be one Traefik v3.7 knows (it refuses to start otherwise); a test checks
 * them against the upstream option list.
 */
export function traefikArgs(tenant: string, platformNamespace: string, logLevel: string): string[] {
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
              args: traefikArgs(tenant, namespace, props.logLevel ?? T.logLevel),
              ports: Object.entries(TRAEFIK_PORTS).map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' })),
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

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: meta,
      spec: {
        type: props.serviceType ?? T.serviceType,
        selector: traefikPodLabels(tenant),
        ports: [
          { name: 'web', port: 80, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' },
          { name: 'websecure', port: 443, targetPort: k8s.IntOrString.fromString('websecure'), protocol: 'TCP' },
        ],
      },
    });

    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta,
      spec: traefikNetworkPolicySpec(tenant, tenantNamespace.namespaceName, platform._clusterNetwork),
    });

    if (replicas > 1) {
      this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: meta,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: traefikPodLabels(tenant) } },
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

/**
 * The Traefik's own NetworkPolicy: its entry points and the probe port from anywhere; out, only
 * to its tenant's namespace, DNS and the API server — so no route, Middleware or plugin can make
 * it call the metadata endpoint, other tenants or the platform's other services. The API server
 * is `apiServerCIDRs` when known, else any address on its usual ports but the metadata services'
 * and the cluster's own ranges.
 */
function traefikNetworkPolicySpec(tenant: string, tenantNamespace: string, network: ClusterNetwork): k8s.NetworkPolicySpec {
  const ports = (...numbers: number[]) => numbers.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
  const apiServer = apiServerEgressRule(network);
  return {
    podSelector: { matchLabels: traefikPodLabels(tenant) },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ ports: ports(...Object.values(TRAEFIK_PORTS)) }],
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
