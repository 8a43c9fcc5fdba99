/**
 * Names of the objects made for admission guard rails, external secrets and GitOps. Like
 * `names.ts`, they are a contract (renaming one renames live objects), and
 * `test/model/extension-names.test.ts` pins them. Kept in a file of their own so that the
 * guard rails can be read, and changed, as one piece.
 */

/** Annotation keys this tool writes. */
export const ANNOTATIONS = {
  /**
   * On a tenant's Namespace: its domains, comma-separated. The admission policies read it
   * through `namespaceObject`, so one shared policy knows every tenant's hosts and adding a
   * tenant changes no shared object. Tenants cannot edit Namespaces, so they cannot widen it.
   */
  domains: 'tenancy.cdk8s.io/domains',
} as const;

/** Names of the shared admission policies (and of their bindings), in `platform.yaml`. */
export const ADMISSION_POLICY_NAMES = {
  certificates: 'tenancy-certificates',
  ingressHosts: 'tenancy-ingress-hosts',
  ingressRouteHosts: 'tenancy-ingressroute-hosts',
  podSecurity: 'tenancy-pod-security',
  serviceTypes: 'tenancy-service-types',
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
