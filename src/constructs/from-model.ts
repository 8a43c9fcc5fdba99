/**
 * The resolved spec (the model) as construct props: how the CLI and `Tenancy` build the same
 * constructs a library user builds by hand. The model leaves unset what nobody wrote; the
 * constructs apply the built-in defaults.
 */
import { clusterApiKubeconfigSecret } from '../model/names';
import { FleetClusterModel, GitOpsModel, PlatformModel, TenantModel } from '../model/tenancy-model';
import { AdmissionMode } from './admission-guard-rails';
import { GitOps, GitOpsCluster } from './gitops-app';
import { OutputFormat, PlatformProps, RoutingApi, TraefikTopology } from './platform';
import { TraefikLogLevel } from './scoped-traefik';
import { TenantIsolation, TenantOptions } from './tenant';
import { TaintEffect, TolerationOperator, TraefikSpread } from './traefik-scheduling';
import { ExternalTrafficPolicy, TraefikServiceType } from './traefik-service';
import { TenantIssuerSource } from './tenant-issuer';
import { PodSecurityLevel, SecretsAccess } from './tenant-namespace';
import { VaultKvVersion } from './tenant-secret-store';
import { Dns01Solver, SecretSyncTool } from './wildcard-tls-store';

/**
 * The props of the platform of a resolved Tenancy, its GitOps apps pointing at `outputFormat`.
 * `tenants`: the tenants rendered after it, in Apps of their own, which a shared Traefik watches.
 */
export function platformPropsOf(p: PlatformModel, outputFormat: string = OutputFormat.YAML, tenants: readonly TenantModel[] = []): PlatformProps {
  const w = p.wildcard;
  const g = p.gitops;
  return {
    namespace: p.namespace,
    traefikImage: p.traefikImage,
    allowedDomains: p.allowedDomains.length > 0 ? [...p.allowedDomains] : undefined,
    wildcard: w && {
      dnsNames: [...w.dnsNames],
      secretName: w.secretName,
      acme: {
        email: w.acme.email,
        server: w.acme.server,
        dns01: w.acme.dns01.cloudflare
          ? Dns01Solver.cloudflare({ apiTokenSecretRef: { ...w.acme.dns01.cloudflare.apiTokenSecretRef } })
          : Dns01Solver.route53({ region: w.acme.dns01.route53!.region, hostedZoneId: w.acme.dns01.route53!.hostedZoneID }),
      },
      syncTo: w.syncTo && { via: w.syncTo.via as SecretSyncTool, namespaces: [...w.syncTo.namespaces] },
    },
    reservedNamespaces: p.reservedNamespaces && [...p.reservedNamespaces],
    network: p.network && {
      podCidrs: p.network.podCIDRs && [...p.network.podCIDRs],
      serviceCidrs: p.network.serviceCIDRs && [...p.network.serviceCIDRs],
      apiServerCidrs: p.network.apiServerCIDRs && [...p.network.apiServerCIDRs],
    },
    priorityClasses: p.priorityClasses && [...p.priorityClasses],
    monitoring: p.monitoring && { namespace: p.monitoring.namespace, serviceMonitorLabels: p.monitoring.serviceMonitorLabels && { ...p.monitoring.serviceMonitorLabels } },
    ca: p.ca && { secretName: p.ca.secretName, certManager: p.ca.certManager && { ...p.ca.certManager } },
    admission: p.admission as AdmissionMode | undefined,
    externalSecrets: p.externalSecrets && { vault: { ...p.externalSecrets.vault, version: p.externalSecrets.vault.version as VaultKvVersion | undefined } },
    gitops: g && gitOpsOf(g),
    outputFormat: outputFormat as OutputFormat,
    routing: p.routing && {
      api: p.routing.api as RoutingApi | undefined,
      traefik: p.routing.traefik as TraefikTopology | undefined,
      wildcardCertificate: p.routing.wildcardCertificate,
      // The shared Traefik watches the tenants rendered after the platform, in Apps of their own.
      sharedTraefik: p.routing.traefik === 'shared' && tenants.length > 0
        ? { ...(p.routing.sharedTraefik && sharedTraefikOptionsOf(p.routing.sharedTraefik)), tenants: tenants.map((t) => t.name) }
        : p.routing.sharedTraefik && sharedTraefikOptionsOf(p.routing.sharedTraefik),
    },
  };
}

/** The GitOps engine of a resolved Tenancy. */
export function gitOpsOf(g: GitOpsModel): GitOps {
  return 'argocd' in g ? GitOps.argoCd({ ...withoutRepoUrl(g.argocd), repoUrl: g.argocd.repoURL }) : GitOps.flux({ ...g.flux });
}

/**
 * How the GitOps engine reaches a fleet's cluster: a declared cluster by its `server`,
 * `destinationName` or `kubeConfigSecret`; a cluster tenant's by the name its Cluster API
 * cluster registers under in Argo CD, or the kubeconfig Secret Cluster API writes beside it.
 */
export function gitOpsClusterOf(cluster: FleetClusterModel, tenant?: TenantModel): GitOpsCluster {
  if (cluster.ownedBy !== undefined) {
    const api = tenant?.clusterApi;
    if (!api) throw new Error(`cluster \`${cluster.name}\` is a cluster tenant's, and no tenant with its Cluster API cluster was given`);
    return { destinationName: cluster.name, kubeConfigSecret: clusterApiKubeconfigSecret(cluster.name), kubeConfigKey: 'value', namespace: api.namespace };
  }
  return definedOnly({ server: cluster.server, destinationName: cluster.destinationName, kubeConfigSecret: cluster.kubeConfigSecret });
}

function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}


/** The shared Traefik's size as the constructs take it. */
function sharedTraefikOptionsOf(t: NonNullable<NonNullable<PlatformModel['routing']>['sharedTraefik']>) {
  return {
    replicas: t.replicas,
    serviceType: t.serviceType as TraefikServiceType | undefined,
    logLevel: t.logLevel as TraefikLogLevel | undefined,
    resources: t.resources,
  };
}

/** The options of one tenant of a resolved Tenancy (whose Traefik the platform may share). */
export function tenantOptionsOf(t: TenantModel, sharedTraefik = false): TenantOptions {
  return {
    name: t.name,
    team: t.team,
    environment: t.environment,
    domains: [...t.domains],
    owners: { groups: [...t.owners.groups], users: [...t.owners.users] },
    secrets: t.secrets as SecretsAccess | undefined,
    podSecurity: t.podSecurity as PodSecurityLevel | undefined,
    quota: t.quota,
    limits: t.limits,
    egress: (t.egress.cidrs ?? []).length > 0 ? { cidrs: [...t.egress.cidrs!], ports: t.egress.ports && [...t.egress.ports] } : undefined,
    // A tenant on a shared Traefik has no settings of its own (the spec refuses them).
    traefik: sharedTraefik ? undefined : traefikOptionsOf(t.traefik),
    issuer: issuerSourceOf(t.issuer),
    // A cluster tenant is, in its own cluster, a namespace tenant.
    isolation: t.isolation === 'cluster' ? undefined : t.isolation as TenantIsolation | undefined,
    virtualCluster: t.vcluster && { values: structuredClone(t.vcluster) as Record<string, unknown> },
  };
}

/** A tenant's Traefik settings as the constructs take them. */
function traefikOptionsOf(f: TenantModel['traefik']): TenantOptions['traefik'] {
  const service = f.service;
  return {
    replicas: f.replicas,
    serviceType: f.serviceType as TraefikServiceType | undefined,
    service: service && {
      annotations: service.annotations && { ...service.annotations },
      externalTrafficPolicy: service.externalTrafficPolicy as ExternalTrafficPolicy | undefined,
      loadBalancerClass: service.loadBalancerClass,
      loadBalancerSourceRanges: service.loadBalancerSourceRanges && [...service.loadBalancerSourceRanges],
      nodePorts: service.nodePorts && { ...service.nodePorts },
    },
    logLevel: f.logLevel as TraefikLogLevel | undefined,
    resources: f.resources,
    spread: f.spread as TraefikSpread | undefined,
    nodeSelector: f.nodeSelector && { ...f.nodeSelector },
    tolerations: f.tolerations?.map((t) => ({ ...t, operator: t.operator as TolerationOperator | undefined, effect: t.effect as TaintEffect | undefined })),
    priorityClassName: f.priorityClassName,
    metrics: f.metrics,
    serviceMonitor: f.serviceMonitor,
    accessLog: f.accessLog,
    redirectToHttps: f.redirectToHttps,
  };
}

function issuerSourceOf(i: TenantModel['issuer']): TenantIssuerSource {
  if ('acme' in i) return TenantIssuerSource.acme(i.acme);
  if ('ca' in i) return TenantIssuerSource.ca(i.ca);
  if ('platformCA' in i) return TenantIssuerSource.platformCa();
  return TenantIssuerSource.selfSigned();
}

function withoutRepoUrl<T extends { repoURL: string }>(argocd: T): Omit<T, 'repoURL'> {
  const { repoURL: _, ...rest } = argocd;
  return rest;
}
