import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { z } from 'zod';
import { DEFAULTS, withResourceDefaults } from '../defaults';
import { CpuMemory } from '../model/tenancy-model';
import { LABELS, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { PolicyRule } from '../threats/detect/rbac-analysis';
import { checkPlatformNamespace, checkTenantName, PLATFORM_NAMESPACE, RESERVED_NAMESPACE } from '../threats/namespaces';
import { checkResourceOrder, REQUESTS_WITHIN_LIMITS } from '../threats/resources';
import { excepted, parseCidr } from '../threats/cidrs';
import { ClusterNetwork, egressExceptions } from '../threats/network';
import { tenantLabels } from './labels';
import { copyRules, traefikRules } from './rbac-rules';
import { dnsEgressRule, namespacePeer } from './network-rules';
import { PropChecks } from './refuse';

export interface ScopedTraefikProps {
  /** The tenant this Traefik serves; its providers watch only this namespace (and the platform's). */
  readonly tenant: string;
  /** Platform namespace the Traefik runs in, beside the default TLSStore. Never the tenant's. @default 'traefik' */
  readonly namespace?: string;
  /** Container image; must be a Traefik v3 that knows every flag passed. @default 'traefik:v3.7.11' */
  readonly image?: string;
  /** Pods; a PodDisruptionBudget is added when more than one. @default 2 */
  readonly replicas?: number;
  /** Service type of the entry points. @default 'LoadBalancer' */
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP';
  /** Traefik's `--log.level`. @default 'INFO' */
  readonly logLevel?: string;
  /** Container requests and limits, each value defaulting on its own. @default DEFAULTS.tenant.traefik.resources */
  readonly resources?: { readonly requests?: CpuMemory; readonly limits?: CpuMemory };
  /** Refused when `true`: cross-namespace references break tenant isolation. @default false */
  readonly allowCrossNamespace?: boolean;
  /**
   * The cluster's address ranges. The Traefik may send only to its tenant's namespace, DNS and the
   * API server: `apiServerCIDRs` when given, else any address on ports 443 and 6443, the metadata
   * services' and the pod and Service ranges excepted.
   * @default - the API server is reached on ports 443 and 6443, only the metadata ranges excepted
   */
  readonly network?: ClusterNetwork;
}

/** Ports of the Traefik container. */
export const TRAEFIK_PORTS = { web: 8000, websecure: 8443, traefik: 8080 } as const;

/** Ports the API server listens on in most clusters (behind `kubernetes.default.svc`, and on the nodes). */
export const API_SERVER_PORTS = [443, 6443] as const;

/** Labels that select one tenant's Traefik pods (also used by the tenant's NetworkPolicy). */
export function traefikPodLabels(tenant: string): Record<string, string> {
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
 * namespace and the platform namespace, with namespaced RBAC in exactly those two.
 */
export class ScopedTraefik extends Construct {
  /** Name of the Deployment, Service and ServiceAccount. */
  public readonly name: string;
  /** Ingress class the tenant's Ingresses (and HTTP-01 solvers) must name in `kubernetes.io/ingress.class`. */
  public readonly ingressClass: string;

  constructor(scope: Construct, id: string, props: ScopedTraefikProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULTS.platform.traefikNamespace;
    const replicas = props.replicas ?? DEFAULTS.tenant.traefik.replicas;
    const T = DEFAULTS.tenant.traefik;
    const resources = {
      requests: withResourceDefaults(props.resources?.requests, T.resources.requests),
      limits: withResourceDefaults(props.resources?.limits, T.resources.limits),
    };
    const refusals = new PropChecks('ScopedTraefik');
    refusals.check('tenant', checkTenantName(props.tenant, namespace), RESERVED_NAMESPACE);
    refusals.check('namespace', checkPlatformNamespace(namespace), PLATFORM_NAMESPACE);
    if (props.image !== undefined) refusals.parse('image', fields.traefikImage, props.image);
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

    const names = tenantNames(props.tenant);
    this.name = names.traefik;
    this.ingressClass = names.ingressClass;
    const labels = { ...tenantLabels(props.tenant), ...traefikPodLabels(props.tenant), [LABELS.component]: 'ingress-controller' };
    const meta = { name: names.traefik, namespace, labels };

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta, automountServiceAccountToken: false });
    this.grant('TenantNamespace', names.namespace, traefikRules({ crd: true, ingress: true }), meta);
    this.grant('PlatformNamespace', namespace, traefikRules({ crd: true, ingress: false }), meta);

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta,
      spec: {
        replicas,
        selector: { matchLabels: traefikPodLabels(props.tenant) },
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
              image: props.image ?? DEFAULTS.platform.traefikImage,
              imagePullPolicy: 'IfNotPresent',
              args: traefikArgs(props.tenant, namespace, props.logLevel ?? T.logLevel),
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

    new k8s.KubeService(this, 'Service', {
      metadata: meta,
      spec: {
        type: props.serviceType ?? T.serviceType,
        selector: traefikPodLabels(props.tenant),
        ports: [
          { name: 'web', port: 80, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' },
          { name: 'websecure', port: 443, targetPort: k8s.IntOrString.fromString('websecure'), protocol: 'TCP' },
        ],
      },
    });

    this.addNetworkPolicy(meta, names.namespace, props.tenant, props.network);

    if (replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
        metadata: meta,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: traefikPodLabels(props.tenant) } },
      });
    }
  }

  /**
   * What the Traefik's pods may send and receive in the platform namespace (which denies
   * everything else by default): its entry points and the probe port from anywhere; out, only to
   * its tenant's namespace, DNS and the API server — so no route, Middleware or plugin can make it
   * call the metadata endpoint, other tenants or the platform's other services.
   */
  private addNetworkPolicy(meta: k8s.ObjectMeta, tenantNamespace: string, tenant: string, network: ClusterNetwork | undefined): void {
    const ports = (...numbers: number[]) => numbers.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
    const apiServer: k8s.NetworkPolicyEgressRule = network?.apiServerCIDRs?.length
      ? { to: network.apiServerCIDRs.map((cidr) => ({ ipBlock: { cidr } })) }
      : {
        to: ['0.0.0.0/0', '::/0'].map((cidr) => ({ ipBlock: { cidr, except: excepted(parseCidr(cidr)!, egressExceptions(network)) } })),
        ports: ports(...API_SERVER_PORTS),
      };
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: meta,
      spec: {
        podSelector: { matchLabels: traefikPodLabels(tenant) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: ports(...Object.values(TRAEFIK_PORTS)) }],
        egress: [{ to: [namespacePeer(tenantNamespace)] }, dnsEgressRule(), apiServer],
      },
    });
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
