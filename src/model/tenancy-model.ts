/**
 * The resolved Tenancy: the validated spec with each tenant's settings merged over
 * `platform.defaults`, and the platform namespace named. Built-in defaults are *not* applied
 * here: the constructs apply them (so library users get them too), once; a setting nobody
 * wrote stays `undefined` until then.
 */
import { AdmissionMode } from '../admission/engines';
import { ClusterNetwork } from '../threats/network';
import { DEFAULTS } from '../defaults';
import { FleetClusterInput, IsolationTier, SpecInput, TenantInput, TenantSettings } from '../spec/schema';
import { tenantClusterName } from './names';

export type { AdmissionMode } from '../admission/engines';

export interface CpuMemory {
  readonly cpu?: string;
  readonly memory?: string;
}

/** CPU, memory and ephemeral storage (container scratch space and logs). */
export interface ResourceAmounts extends CpuMemory {
  readonly ephemeralStorage?: string;
}

export interface QuotaModel {
  readonly requests?: ResourceAmounts;
  readonly limits?: ResourceAmounts;
  readonly pods?: number;
  /** Services (all ClusterIP) the tenant may create. */
  readonly services?: number;
  readonly persistentVolumeClaims?: number;
  /** Total storage requested by PersistentVolumeClaims. */
  readonly storage?: string;
  readonly configMaps?: number;
  readonly secrets?: number;
  /** cert-manager Certificates. */
  readonly certificates?: number;
}

export interface LimitsModel {
  readonly default?: ResourceAmounts;
  readonly defaultRequest?: ResourceAmounts;
  readonly max?: ResourceAmounts;
}

/** `platform.ceilings`: the most one tenant may claim (see `DEFAULTS.ceilings`). */
export interface CeilingsModel {
  readonly quota?: QuotaModel;
  readonly traefik?: { readonly replicas?: number; readonly resources?: { readonly requests?: CpuMemory; readonly limits?: CpuMemory } };
  readonly domains?: number;
}

/** `traefik.service`: the Traefik Service's settings beyond its type. */
export interface TraefikServiceModel {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  readonly loadBalancerClass?: string;
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly nodePorts?: { readonly web?: number; readonly websecure?: number };
}

export interface TolerationModel {
  readonly key?: string;
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

export interface TraefikModel {
  readonly replicas?: number;
  readonly serviceType?: 'LoadBalancer' | 'ClusterIP' | 'NodePort';
  readonly service?: TraefikServiceModel;
  readonly logLevel?: string;
  readonly resources?: { readonly requests?: CpuMemory; readonly limits?: CpuMemory };
  /** Spread the replicas across nodes (default) or zones. */
  readonly spread?: 'node' | 'zone';
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly TolerationModel[];
  readonly priorityClassName?: string;
  /** Prometheus metrics on the `metrics` entry point, scraped from `platform.monitoring.namespace`. */
  readonly metrics?: boolean;
  /** A ServiceMonitor (and a ClusterIP Service) for the metrics. */
  readonly serviceMonitor?: boolean;
  readonly accessLog?: boolean;
  readonly redirectToHttps?: boolean;
}

/** `platform.monitoring`: the namespace whose Prometheus scrapes tenant pods and each Traefik's metrics. */
export interface MonitoringModel {
  readonly namespace: string;
  /** Labels of the ServiceMonitors, for Prometheus's `serviceMonitorSelector`. */
  readonly serviceMonitorLabels?: Readonly<Record<string, string>>;
}

export type IssuerModel =
  | { readonly acme: { readonly email: string; readonly server?: string } }
  | { readonly ca: { readonly secretName: string } }
  | { readonly selfSigned: Record<string, never> }
  /** The platform's shared CA (`platform.ca`), through its ClusterIssuer and a policy for this tenant's domains only. */
  | { readonly platformCA: Record<string, never> };

/** `platform.ca`: a CA whose key stays in cert-manager's namespace, shared by the tenants that opt in. */
export interface PlatformCAModel {
  /** The CA's key pair Secret, in cert-manager's cluster resource namespace. */
  readonly secretName: string;
  /** cert-manager's namespace and controller ServiceAccount. @default DEFAULTS.platform.certManager */
  readonly certManager?: { readonly namespace?: string; readonly serviceAccount?: string };
}

export interface EgressModel {
  readonly cidrs?: readonly string[];
  readonly ports?: readonly number[];
}

/** The workers of a Cluster API cluster: replicas of a worker class of its ClusterClass. */
export interface ClusterWorkersModel {
  readonly class: string;
  readonly replicas: number;
}

/** A cluster tenant's Cluster API cluster, resolved: the tenant's choices over `platform.clusterApi`. */
export interface TenantClusterApiModel {
  /** The management namespace, where the `Cluster` (and its ClusterClass) live. */
  readonly namespace: string;
  readonly clusterClass: string;
  /** Kubernetes version, e.g. `v1.33.1`. */
  readonly version: string;
  readonly workers: ClusterWorkersModel;
}

export interface TenantModel {
  readonly name: string;
  /**
   * The fleet's cluster the tenant's file is rendered for: the one it names (else the first) or,
   * for a cluster tenant, its own.
   * @default - no fleet: the one implicit cluster
   */
  readonly cluster?: string;
  /** A cluster tenant's Cluster API cluster. @default - none: not a cluster tenant */
  readonly clusterApi?: TenantClusterApiModel;
  readonly team?: string;
  readonly environment?: string;
  readonly domains: readonly string[];
  readonly owners: { readonly groups: readonly string[]; readonly users: readonly string[] };
  readonly secrets?: 'read-only' | 'manage';
  readonly podSecurity?: 'restricted' | 'baseline';
  readonly quota: QuotaModel;
  readonly limits: LimitsModel;
  readonly traefik: TraefikModel;
  readonly issuer: IssuerModel;
  readonly egress: EgressModel;
  /**
   * `namespace` (guard rails only), `vcluster` (a virtual cluster inside them) or `cluster` (a
   * Cluster API cluster of its own, in a fleet). @default 'namespace'
   */
  readonly isolation?: IsolationTier;
  /** Chart values of the tenant's virtual cluster: `platform.defaults.vcluster` with the tenant's own merged over it, as Helm merges. */
  readonly vcluster?: Readonly<Record<string, unknown>>;
}

export interface Dns01Model {
  readonly cloudflare?: { readonly apiTokenSecretRef: { readonly name: string; readonly key: string } };
  readonly route53?: { readonly region: string; readonly hostedZoneID?: string };
}

/** Copies of the wildcard Secret into the namespaces listed by name (never a tenant's, never a pattern). */
export interface SecretSyncModel {
  readonly via: 'reflector' | 'replicator';
  readonly namespaces: readonly string[];
}

export interface WildcardModel {
  readonly dnsNames: readonly string[];
  readonly secretName?: string;
  readonly acme: { readonly email: string; readonly server?: string; readonly dns01: Dns01Model };
  /** @default - the Secret stays in the platform namespace only */
  readonly syncTo?: SecretSyncModel;
}

/** Vault behind the External Secrets Operator; `path` and `role` still hold `{tenant}`. */
export interface VaultStoreModel {
  readonly server: string;
  readonly path?: string;
  readonly version?: 'v1' | 'v2';
  readonly role?: string;
  readonly authMountPath?: string;
}

export interface ExternalSecretsModel {
  readonly vault: VaultStoreModel;
}

export interface ArgoCdModel {
  readonly repoURL: string;
  readonly targetRevision?: string;
  /** Folder of the rendered output in the repository (it holds `platform.yaml` and `tenants/`). */
  readonly path?: string;
  readonly namespace?: string;
  readonly project?: string;
  readonly server?: string;
}

export interface FluxModel {
  readonly url: string;
  readonly branch?: string;
  /** Folder of the rendered output in the repository (it holds `platform.yaml` and `tenants/`). */
  readonly path?: string;
  readonly namespace?: string;
  readonly interval?: string;
  readonly secretRef?: string;
}

export type GitOpsModel = { readonly argocd: ArgoCdModel } | { readonly flux: FluxModel };

/** `platform.routing`: how tenants' traffic reaches them. */
export interface RoutingModel {
  /** Traefik IngressRoutes (and Ingresses), or Gateway API routes through a Gateway per tenant. @default 'ingressroute' */
  readonly api?: 'ingressroute' | 'gateway';
  /** One Traefik per tenant, or one every tenant shares (Gateway API only). @default 'per-tenant' */
  readonly traefik?: 'per-tenant' | 'shared';
  /** Hosts under `platform.wildcard` use its certificate on their listeners (no Certificate of their own). @default false */
  readonly wildcardCertificate?: boolean;
  /** The shared Traefik's size. @default DEFAULTS.platform.sharedTraefik */
  readonly sharedTraefik?: TraefikModel;
}

/** How the output is written: YAML files, or Helm charts (`synth --format helm`). GitOps apps point at one or the other. */
export type OutputFormat = 'yaml' | 'helm';

export interface PlatformModel {
  /** The platform namespace: every tenant's Traefik, the default TLSStore and TLSOption. */
  readonly namespace: string;
  readonly traefikImage?: string;
  readonly allowedDomains: readonly string[];
  readonly wildcard?: WildcardModel;
  readonly admission?: AdmissionMode;
  /** The cluster's pod, Service and API server ranges. @default - not known: only the metadata ranges are excepted from egress */
  readonly network?: ClusterNetwork;
  /** A CA shared by the tenants that opt in. @default - none */
  readonly ca?: PlatformCAModel;
  /** The most one tenant may claim. @default DEFAULTS.ceilings */
  readonly ceilings?: CeilingsModel;
  /** More namespaces no tenant may be named (names, or patterns with `*`). @default - the built-in list only */
  readonly reservedNamespaces?: readonly string[];
  /** PriorityClasses tenant pods may use. @default - any but the system classes */
  readonly priorityClasses?: readonly string[];
  /** The monitoring namespace. @default - none: nothing outside a tenant scrapes it */
  readonly monitoring?: MonitoringModel;
  /** @default - no SecretStore, owners get no ExternalSecret rights */
  readonly externalSecrets?: ExternalSecretsModel;
  /** @default - no Application or Kustomization: apply the files yourself */
  readonly gitops?: GitOpsModel;
  /** @default - IngressRoutes, one Traefik per tenant */
  readonly routing?: RoutingModel;
}

/** One member cluster of a fleet: how GitOps reaches it, and its platform. */
export interface FleetClusterModel {
  readonly name: string;
  /** Argo CD destination by API server URL. @default - by `destinationName`, else the Argo CD default server */
  readonly server?: string;
  /** Argo CD destination by the name the cluster is registered under. */
  readonly destinationName?: string;
  /** Secret (in Flux's namespace, key `value`) with the cluster's kubeconfig. @default - the cluster Flux runs in */
  readonly kubeConfigSecret?: string;
  /**
   * The platform as the cluster has it: `platform` with the cluster's own Traefik namespace,
   * wildcard and admission engine. Without `gitops`: the fleet's delivery lives on the management cluster.
   */
  readonly platform: PlatformModel;
  /** The cluster of a cluster tenant (`isolation: cluster`), created by Cluster API. @default false */
  readonly ownedBy?: string;
}

/** A fleet (`clusters:`): its clusters, declared ones first, then the clusters of cluster tenants. */
export interface FleetModel {
  readonly clusters: readonly FleetClusterModel[];
}

export interface TenancyModel {
  readonly platform: PlatformModel;
  readonly tenants: readonly TenantModel[];
  /** @default - no fleet: every tenant on one implicit cluster, the output as it always was */
  readonly fleet?: FleetModel;
}

/** Resolves a validated spec: each tenant's own fields over `platform.defaults`. */
export function resolveTenancy(spec: SpecInput): TenancyModel {
  const p = spec.platform ?? {};
  const platform = resolvePlatform(p);
  const tenants = (spec.tenants ?? []).map((t) => resolveTenant(t, p.defaults ?? {}));
  if (!spec.clusters) return { platform, tenants };
  const placed = tenants.map((t, i) => placeTenant(t, spec.tenants![i], spec.clusters![0].name, p.clusterApi ?? {}));
  return { platform, tenants: placed, fleet: resolveFleet(spec.clusters, placed, platform) };
}

function resolvePlatform(p: NonNullable<SpecInput['platform']>): PlatformModel {
  const wildcard = p.wildcard;
  return definedOnly({
    // The platform's name is needed before any construct exists (spec checks, file names, the self-check).
    namespace: p.traefik?.namespace ?? DEFAULTS.platform.traefikNamespace,
    traefikImage: p.traefik?.image,
    allowedDomains: p.allowedDomains ?? [],
    wildcard: wildcard && resolveWildcard(wildcard),
    admission: p.admission,
    network: p.network,
    ca: p.ca,
    ceilings: p.ceilings,
    reservedNamespaces: p.reservedNamespaces,
    priorityClasses: p.priorityClasses,
    monitoring: p.monitoring,
    externalSecrets: p.externalSecrets && { vault: definedOnly({ ...p.externalSecrets.vault }) },
    gitops: p.gitops && resolveGitOps(p.gitops),
    routing: p.routing && definedOnly({ ...p.routing, sharedTraefik: p.routing.sharedTraefik && definedOnly({ ...p.routing.sharedTraefik }) }),
  });
}

function resolveWildcard(wildcard: NonNullable<NonNullable<SpecInput['platform']>['wildcard']>): WildcardModel {
  return definedOnly({
    dnsNames: wildcard.dnsNames,
    secretName: wildcard.secretName,
    // The schema refuses a wildcard without dns01.
    acme: definedOnly({ email: wildcard.acme.email, server: wildcard.acme.server, dns01: wildcard.acme.dns01 as Dns01Model }),
    syncTo: wildcard.syncTo && { via: wildcard.syncTo.via as SecretSyncModel['via'], namespaces: wildcard.syncTo.namespaces },
  });
}

/** A fleet tenant: on the cluster it names, else the first; a cluster tenant on its own, with its Cluster API cluster. */
function placeTenant(t: TenantModel, input: TenantInput, firstCluster: string, clusterApi: NonNullable<NonNullable<SpecInput['platform']>['clusterApi']>): TenantModel {
  if (t.isolation !== 'cluster') return { ...t, cluster: input.cluster ?? firstCluster };
  const own = input.clusterApi ?? {};
  const workers = DEFAULTS.platform.clusterApi.workers;
  return {
    ...t,
    cluster: tenantClusterName(t.name),
    clusterApi: {
      namespace: clusterApi.namespace ?? DEFAULTS.platform.clusterApi.namespace,
      // The schema refuses a cluster tenant without a ClusterClass or a version.
      clusterClass: (own.clusterClass ?? clusterApi.clusterClass)!,
      version: (own.version ?? clusterApi.version)!,
      workers: {
        class: own.workers?.class ?? clusterApi.workers?.class ?? workers.class,
        replicas: own.workers?.replicas ?? clusterApi.workers?.replicas ?? workers.replicas,
      },
    },
  };
}

/**
 * The fleet's clusters: each declared one with its platform (the shared `platform` with the
 * cluster's own Traefik namespace, wildcard and admission), then one per cluster tenant, with the
 * shared platform. No cluster's platform has `gitops`: delivery lives on the management cluster.
 */
function resolveFleet(clusters: readonly FleetClusterInput[], tenants: readonly TenantModel[], platform: PlatformModel): FleetModel {
  const { gitops: _, ...member } = platform;
  const declared = clusters.map((c): FleetClusterModel => definedOnly({
    name: c.name,
    server: c.server,
    destinationName: c.destinationName,
    kubeConfigSecret: c.kubeConfigSecret,
    platform: definedOnly({
      ...member,
      namespace: c.platform?.traefik?.namespace ?? member.namespace,
      wildcard: c.platform?.wildcard ? resolveWildcard(c.platform.wildcard) : member.wildcard,
      admission: c.platform?.admission ?? member.admission,
    }),
  }));
  const owned = tenants.filter((t) => t.isolation === 'cluster').map((t): FleetClusterModel => ({ name: t.cluster!, platform: member, ownedBy: t.name }));
  return { clusters: [...declared, ...owned] };
}

function resolveTenant(t: TenantInput, d: TenantSettings): TenantModel {
  const cpuMemory = (own?: ResourceAmounts, preset?: ResourceAmounts): ResourceAmounts | undefined =>
    own || preset ? definedOnly({ cpu: own?.cpu ?? preset?.cpu, memory: own?.memory ?? preset?.memory, ephemeralStorage: own?.ephemeralStorage ?? preset?.ephemeralStorage }) : undefined;
  return definedOnly({
    name: t.name,
    team: t.team ?? d.team,
    environment: t.environment ?? d.environment,
    domains: t.domains,
    owners: { groups: t.owners.groups ?? [], users: t.owners.users ?? [] },
    secrets: t.secrets ?? d.secrets,
    podSecurity: (t.podSecurity ?? d.podSecurity) as TenantModel['podSecurity'],
    quota: definedOnly({
      requests: cpuMemory(t.quota?.requests, d.quota?.requests),
      limits: cpuMemory(t.quota?.limits, d.quota?.limits),
      pods: t.quota?.pods ?? d.quota?.pods,
      services: t.quota?.services ?? d.quota?.services,
      persistentVolumeClaims: t.quota?.persistentVolumeClaims ?? d.quota?.persistentVolumeClaims,
      storage: t.quota?.storage ?? d.quota?.storage,
      configMaps: t.quota?.configMaps ?? d.quota?.configMaps,
      secrets: t.quota?.secrets ?? d.quota?.secrets,
      certificates: t.quota?.certificates ?? d.quota?.certificates,
    }),
    limits: definedOnly({
      default: cpuMemory(t.limits?.default, d.limits?.default),
      defaultRequest: cpuMemory(t.limits?.defaultRequest, d.limits?.defaultRequest),
      max: cpuMemory(t.limits?.max, d.limits?.max),
    }),
    traefik: definedOnly({
      replicas: t.traefik?.replicas ?? d.traefik?.replicas,
      serviceType: t.traefik?.serviceType ?? d.traefik?.serviceType,
      service: resolveService(t.traefik?.service, d.traefik?.service),
      logLevel: t.traefik?.logLevel ?? d.traefik?.logLevel,
      resources: t.traefik?.resources || d.traefik?.resources
        ? definedOnly({
          requests: cpuMemory(t.traefik?.resources?.requests, d.traefik?.resources?.requests),
          limits: cpuMemory(t.traefik?.resources?.limits, d.traefik?.resources?.limits),
        })
        : undefined,
      spread: t.traefik?.spread ?? d.traefik?.spread,
      nodeSelector: t.traefik?.nodeSelector ?? d.traefik?.nodeSelector,
      tolerations: (t.traefik?.tolerations ?? d.traefik?.tolerations)?.map((tol) => definedOnly({ ...tol })),
      priorityClassName: t.traefik?.priorityClassName ?? d.traefik?.priorityClassName,
      metrics: t.traefik?.metrics ?? d.traefik?.metrics,
      serviceMonitor: t.traefik?.serviceMonitor ?? d.traefik?.serviceMonitor,
      accessLog: t.traefik?.accessLog ?? d.traefik?.accessLog,
      redirectToHttps: t.traefik?.redirectToHttps ?? d.traefik?.redirectToHttps,
    }),
    // The schema refuses a tenant without an issuer here or in the defaults.
    issuer: resolveIssuer((t.issuer ?? d.issuer)!),
    egress: definedOnly({
      cidrs: t.egress?.cidrs ?? d.egress?.cidrs,
      ports: t.egress?.ports ?? d.egress?.ports,
    }),
    isolation: t.isolation ?? d.isolation,
    vcluster: (t.isolation ?? d.isolation) === 'vcluster' && (t.vcluster || d.vcluster) ? mergeValues(d.vcluster ?? {}, t.vcluster ?? {}) : undefined,
  }) as TenantModel;
}

type ServiceInput = NonNullable<NonNullable<TenantSettings['traefik']>['service']>;

/** The tenant's Service settings over the defaults', field by field (a map or list replaces the default's whole). */
function resolveService(own: ServiceInput | undefined, preset: ServiceInput | undefined): TraefikServiceModel | undefined {
  if (!own && !preset) return undefined;
  return definedOnly({
    annotations: own?.annotations ?? preset?.annotations,
    externalTrafficPolicy: own?.externalTrafficPolicy ?? preset?.externalTrafficPolicy,
    loadBalancerClass: own?.loadBalancerClass ?? preset?.loadBalancerClass,
    loadBalancerSourceRanges: own?.loadBalancerSourceRanges ?? preset?.loadBalancerSourceRanges,
    nodePorts: own?.nodePorts ?? preset?.nodePorts,
  });
}

function resolveGitOps(g: NonNullable<NonNullable<SpecInput['platform']>['gitops']>): GitOpsModel {
  // The schema accepts exactly one engine.
  return g.argocd ? { argocd: definedOnly({ ...g.argocd }) } : { flux: definedOnly({ ...g.flux! }) };
}

function resolveIssuer(issuer: NonNullable<TenantSettings['issuer']>): IssuerModel {
  if (issuer.acme) return { acme: definedOnly({ email: issuer.acme.email, server: issuer.acme.server }) };
  if (issuer.ca) return { ca: { secretName: issuer.ca.secretName } };
  if (issuer.platformCA) return { platformCA: {} };
  return { selfSigned: {} };
}

/**
 * `over` merged onto `base` as Helm merges values files: mappings key by key, anything else
 * (lists included) replaced.
 */
export function mergeValues(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isMapping(value) && isMapping(out[key]) ? mergeValues(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `obj` without its undefined fields, so that a setting nobody wrote is absent, not `undefined`. */
function definedOnly<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
