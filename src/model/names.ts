/**
 * Every name derived from a tenant or the platform, in one place. These names are a
 * contract: renaming one renames live objects (and a Deployment's selector is immutable),
 * so `test/model/names.test.ts` and `test/model/guard-rail-names.test.ts` pin them.
 */
import { createHash } from 'crypto';

/** Label keys this tool writes. */
export const LABELS = {
  tenant: 'tenancy.cdk8s.io/tenant',
  team: 'tenancy.cdk8s.io/team',
  environment: 'tenancy.cdk8s.io/environment',
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  /**
   * On a GatewayClass: the Traefik that serves it. Every Traefik shares the controller name
   * `traefik.io/gateway-controller`, so each selects its own class by this label
   * (`--providers.kubernetesgateway.labelSelector`).
   */
  traefik: 'tenancy.cdk8s.io/traefik',
} as const;

/** Value of `app.kubernetes.io/managed-by` on everything this tool writes. */
export const MANAGED_BY = 'cdk8s-tenancy';

/** Names of the objects made for one tenant. */
export interface TenantNames {
  /** The tenant's namespace (the tenant name itself). */
  readonly namespace: string;
  /** Deployment, Service, ServiceAccount, PodDisruptionBudget and Roles of the tenant's Traefik. */
  readonly traefik: string;
  /** Ingress class the tenant's Traefik serves (the `kubernetes.io/ingress.class` annotation). */
  readonly ingressClass: string;
  /** Role and RoleBinding of the tenant's owners. */
  readonly ownerRole: string;
  /** The tenant's namespaced cert-manager Issuer. */
  readonly issuer: string;
  /** Secret holding the tenant's ACME account key. */
  readonly acmeAccountKey: string;
  /** The tenant's Gateway (`platform.routing.api: gateway`), in the platform namespace: the tenant's name. */
  readonly gateway: string;
  /** The GatewayClass of the tenant's own Traefik (`api: gateway`, `traefik: per-tenant`): its Traefik's name. */
  readonly gatewayClass: string;
}

export function tenantNames(tenant: string): TenantNames {
  return {
    namespace: tenant,
    traefik: `traefik-${tenant}`,
    ingressClass: `traefik-${tenant}`,
    ownerRole: 'tenant-owner',
    issuer: 'tenant-issuer',
    acmeAccountKey: 'tenant-issuer-acme-account',
    gateway: tenant,
    gatewayClass: `traefik-${tenant}`,
  };
}

/** The controller name every Traefik reports for the Gateway API; it cannot be changed. */
export const TRAEFIK_GATEWAY_CONTROLLER = 'traefik.io/gateway-controller';

/**
 * Names of a Gateway's two listeners for one host: HTTP and HTTPS. Named after the host (not
 * its position), so that adding or removing another host renames no listener a route names in
 * `sectionName`; a host longer than 63 characters is shortened as its Certificate's name is.
 */
export function listenerNames(host: string): { readonly http: string; readonly https: string } {
  const base = certificateName(host);
  return { http: `http-${base}`, https: `https-${base}` };
}

/** The ReferenceGrant that lets the platform's Gateway use one Secret of a tenant: named after the Secret. */
export function referenceGrantName(secretName: string): string {
  return `gateway-${secretName}`;
}

/**
 * Name of the Certificate for one domain: the domain itself (a valid object name) when it
 * fits in 63 characters, since cert-manager copies it into label values; otherwise its
 * first 54 characters and a hash, so two long domains never share a name.
 */
export function certificateName(domain: string): string {
  if (domain.length <= 63) return domain;
  const hash = createHash('sha256').update(domain).digest('hex').slice(0, 8);
  return `${domain.slice(0, 54).replace(/[.-]+$/, '')}-${hash}`;
}

/**
 * The ClusterIP Service (and ServiceMonitor) of a tenant Traefik's metrics: `traefik-<tenant>-metrics`
 * when that fits a Service name's 63 characters; otherwise shortened, with a hash, so two long
 * tenant names never share one.
 */
export function traefikMetricsName(tenant: string): string {
  const name = `${tenantNames(tenant).traefik}-metrics`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 8);
  return `${name.slice(0, 63 - '-metrics'.length - hash.length - 1).replace(/-+$/, '')}-${hash}-metrics`;
}

/** Secret that receives the certificate of one domain. */
export function certificateSecretName(domain: string): string {
  return `${certificateName(domain)}-tls`;
}

/** Names of the platform's shared objects, in the platform namespace. */
export const PLATFORM_NAMES = {
  /** Traefik reads only the TLSStore named `default`. */
  tlsStore: 'default',
  /** The TLSOption named `default` applies to every router without options of its own. */
  tlsOption: 'default',
  wildcardIssuer: 'platform-wildcard',
  wildcardCertificate: 'platform-wildcard',
  wildcardAcmeAccountKey: 'platform-wildcard-acme-account',
  /** The NetworkPolicy that denies all traffic of the platform namespace but what each Traefik's own allows. */
  defaultDeny: 'default-deny',
  /** The ClusterIssuer of the platform's shared CA (`platform.ca`), gated per tenant by approver-policy. */
  caIssuer: 'platform-ca',
  /** The Traefik every tenant shares (`platform.routing.traefik: shared`): Deployment, Service, ServiceAccount, roles. */
  sharedTraefik: 'traefik-shared',
  /** The GatewayClass of the shared Traefik. */
  sharedGatewayClass: 'traefik-shared',
} as const;

/** Helm chart of the platform's shared objects (`--format helm`). */
export const PLATFORM_CHART = 'tenancy-platform';

/** Helm chart of one tenant (`--format helm`): a DNS-1123 label, since tenant names have at most 55 characters. */
export function tenantChartName(tenant: string): string {
  return `tenant-${tenant}`;
}

/** Longest Helm release name: `helm install` and Argo CD refuse longer ones. */
export const MAX_RELEASE_NAME_LENGTH = 53;

/**
 * The Helm release of a tenant's chart: its chart name when that fits Helm's 53 characters;
 * otherwise a shortened name and a hash, so two long tenant names never share a release.
 */
export function tenantReleaseName(tenant: string): string {
  const name = tenantChartName(tenant);
  if (name.length <= MAX_RELEASE_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_RELEASE_NAME_LENGTH - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

// Names of the admission guard rails, External Secrets and GitOps objects, and of the output files.

/** Annotation keys this tool writes. */
export const ANNOTATIONS = {
  /**
   * On a tenant's Namespace: its domains, comma-separated. The admission policies read it
   * through `namespaceObject`, so one shared policy knows every tenant's hosts and adding a
   * tenant changes no shared object. Tenants cannot edit Namespaces, so they cannot widen it.
   */
  domains: 'tenancy.cdk8s.io/domains',
  /**
   * On a tenant's Namespace: the one ClusterIssuer its Certificates may name (the platform CA,
   * for a tenant with `issuer: { platformCA: {} }`); the admission policies read it.
   */
  clusterIssuer: 'tenancy.cdk8s.io/cluster-issuer',
  /**
   * On a tenant's Namespace (`platform.routing.api: gateway`): its Gateway, `<namespace>/<name>`,
   * the only parent its routes may name; the admission policies read it.
   */
  gateway: 'tenancy.cdk8s.io/gateway',
} as const;

/** The approver-policy CertificateRequestPolicy (and its Role) that lets one tenant use the platform CA for its own domains. */
export function certificateRequestPolicyName(tenant: string): string {
  return `tenancy-${tenant}`;
}

/** Names of the shared admission policies (and of their bindings), in `platform.yaml`. */
export const ADMISSION_POLICY_NAMES = {
  certificates: 'tenancy-certificates',
  ingressHosts: 'tenancy-ingress-hosts',
  ingressRouteHosts: 'tenancy-ingressroute-hosts',
  podSecurity: 'tenancy-pod-security',
  serviceTypes: 'tenancy-service-types',
  secretCopies: 'tenancy-secret-copies',
  middlewares: 'tenancy-middlewares',
  disruptionBudgets: 'tenancy-disruption-budgets',
  externalSecrets: 'tenancy-external-secrets',
  gatewayRoutes: 'tenancy-gateway-routes',
} as const;

/** Names of a tenant's External Secrets objects, in the tenant's namespace. */
export const SECRET_STORE_NAMES = {
  /** The tenant's only SecretStore; ExternalSecrets reference it by this name. */
  secretStore: 'tenant-secrets',
  /** ServiceAccount whose token the SecretStore presents to Vault (the tenant's identity there). */
  serviceAccount: 'tenant-secrets',
} as const;

/** Name of a tenant's Argo CD Application, or of its Flux GitRepository and Kustomization. */
export function gitopsAppName(tenant: string): string {
  return `tenant-${tenant}`;
}

/** Name of the Argo CD Application, or Flux GitRepository and Kustomization, of `platform.yaml`. */
export const PLATFORM_GITOPS_NAME = 'tenancy-platform';

/** The file of the rendered output that holds `tenant`, relative to the output folder. */
export function tenantOutputFile(tenant: string): string {
  return `tenants/${tenant}.yaml`;
}

/** The file of the rendered output that holds the platform's shared objects. */
export const PLATFORM_OUTPUT_FILE = 'platform.yaml';

// Names of a tenant's virtual cluster (`isolation: vcluster`): the chart derives most of them from the release.

/** Names of one tenant's virtual cluster, in its namespace (the chart's, from the release name). */
export interface VirtualClusterNames {
  /** The Helm release, which is also the StatefulSet and Service of the control plane: the tenant's name. */
  readonly release: string;
  /** The Secret the control plane writes the virtual cluster's admin kubeconfig to (`vc-<release>`). */
  readonly kubeconfigSecret: string;
  /** The control plane's one pod (`<release>-0`): owners may port-forward to it, never exec into it. */
  readonly controlPlanePod: string;
  /** The control plane's ServiceAccount (`vc-<release>`), bound to the chart's Role in the namespace. */
  readonly serviceAccount: string;
  /** Labels of the control plane's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The NetworkPolicy that lets the control plane reach the API server. */
  readonly apiServerPolicy: string;
  /** The Flux HelmRepository and HelmRelease, or the Argo CD Application, that install the chart (in the engine's namespace; a label value: at most 63 characters). */
  readonly delivery: string;
}

export function virtualClusterNames(tenant: string): VirtualClusterNames {
  return {
    release: tenant,
    kubeconfigSecret: `vc-${tenant}`,
    controlPlanePod: `${tenant}-0`,
    serviceAccount: `vc-${tenant}`,
    podLabels: { app: 'vcluster', release: tenant },
    apiServerPolicy: 'allow-vcluster-api-server',
    delivery: `vc-${tenant}`,
  };
}

/** The plain values file of a tenant's virtual cluster (for `vcluster create --values`), beside its YAML file. */
export function tenantVirtualClusterValuesFile(tenant: string): string {
  return `tenants/${tenant}.vcluster.yaml`;
}

/** The same values file inside a tenant's chart folder (`--format helm`). */
export const CHART_VIRTUAL_CLUSTER_VALUES_FILE = 'vcluster.yaml';

// Names of a fleet (`clusters:`): its output files, GitOps objects and Cluster API clusters.

/** GitOps objects of a cluster are named `tenancy-platform-<cluster>`, which must fit in 63 characters. */
export const MAX_CLUSTER_NAME_LENGTH = 63 - `${PLATFORM_GITOPS_NAME}-`.length;

/** Folder of a fleet's cluster in the output: its platform file (or chart) and its tenants. */
export function clusterFolder(cluster: string): string {
  return `clusters/${cluster}`;
}

/** The file of a fleet's cluster that holds its platform's shared objects. */
export function clusterPlatformFile(cluster: string): string {
  return `${clusterFolder(cluster)}/${PLATFORM_OUTPUT_FILE}`;
}

/** The file of a fleet's cluster that holds `tenant`: one removed and one added when the tenant moves. */
export function clusterTenantFile(cluster: string, tenant: string): string {
  return `${clusterFolder(cluster)}/${tenantOutputFile(tenant)}`;
}

/** Folder of what the management cluster (the GitOps engine's, and Cluster API's) applies. */
export const MANAGEMENT_FOLDER = 'management';

/** The management cluster's file of the whole fleet: the ApplicationSet, or each cluster's Flux objects. */
export const MANAGEMENT_FLEET_FILE = `${MANAGEMENT_FOLDER}/fleet.yaml`;

/** The management cluster's file of one tenant: its AppProject or Kustomization, and a cluster tenant's Cluster. */
export function managementTenantFile(tenant: string): string {
  return `${MANAGEMENT_FOLDER}/tenants/${tenant}.yaml`;
}

/** The Argo CD Application, or Flux GitRepository and Kustomization, of a fleet cluster's platform. */
export function clusterPlatformAppName(cluster: string): string {
  return `${PLATFORM_GITOPS_NAME}-${cluster}`;
}

/** The Argo CD ApplicationSet of every tenant file of a fleet, and the AppProject its Applications run in. */
export const TENANTS_APPLICATION_SET = 'tenancy-tenants';

/** The Argo CD AppProject in which a tenant's own Applications run: its namespace only. */
export function tenantProjectName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * Chart.yaml annotation of a fleet's tenant chart naming its Helm release, which the ApplicationSet
 * reads (the release name is shortened with a hash beyond 53 characters, which a template cannot).
 */
export const RELEASE_ANNOTATION = 'tenancy.cdk8s.io/release';

/** A cluster tenant's Cluster API `Cluster` (and the cluster of its own in the fleet's output): the tenant's name. */
export function tenantClusterName(tenant: string): string {
  return tenant;
}

/** The Secret in which Cluster API writes a cluster's admin kubeconfig (key `value`), in the Cluster's namespace. */
export function clusterApiKubeconfigSecret(cluster: string): string {
  return `${cluster}-kubeconfig`;
}

/** The ServiceAccount in a tenant's namespace that the tenant's own Flux Kustomizations impersonate. */
export const TENANT_RECONCILER = 'tenant-reconciler';
