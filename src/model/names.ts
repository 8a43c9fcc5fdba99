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
}

export function tenantNames(tenant: string): TenantNames {
  return {
    namespace: tenant,
    traefik: `traefik-${tenant}`,
    ingressClass: `traefik-${tenant}`,
    ownerRole: 'tenant-owner',
    issuer: 'tenant-issuer',
    acmeAccountKey: 'tenant-issuer-acme-account',
  };
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
