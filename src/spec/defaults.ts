/**
 * Every default of the spec in one place. The schema, the constructs, the README and
 * the tests all read these values; change a default here and nowhere else.
 */
export const DEFAULTS = {
  platform: {
    /** Namespace of every tenant's Traefik, the default TLSStore and the platform wildcard. */
    traefikNamespace: 'traefik',
    /** A pinned Traefik v3 tag that knows every flag ScopedTraefik passes. */
    traefikImage: 'traefik:v3.7.11',
    /** Let's Encrypt production. */
    acmeServer: 'https://acme-v02.api.letsencrypt.org/directory',
    /** Secret that holds the platform wildcard certificate (beside the default TLSStore). */
    wildcardSecretName: 'platform-wildcard-tls',
    /** Minimum TLS version of the default TLSOption that every tenant's Traefik uses. */
    tlsMinVersion: 'VersionTLS12',
    /** Admission guard rails: Kubernetes ValidatingAdmissionPolicies, which need no extra component (Kubernetes ≥ 1.30). */
    admission: 'native',
    /** `platform.externalSecrets.vault`: one SecretStore per tenant, scoped by `{tenant}` in its KV mount (`path`) and its Vault role. */
    vault: {
      path: 'tenants/{tenant}',
      version: 'v2',
      role: 'tenant-{tenant}',
      authMountPath: 'kubernetes',
    },
    /** `platform.gitops.argocd`: one Application per tenant file. */
    argocd: {
      namespace: 'argocd',
      project: 'default',
      targetRevision: 'HEAD',
      path: 'dist',
      server: 'https://kubernetes.default.svc',
    },
    /** `platform.gitops.flux`: one GitRepository and Kustomization per tenant file. */
    flux: {
      namespace: 'flux-system',
      branch: 'main',
      path: 'dist',
      interval: '10m',
    },
  },
  tenant: {
    secrets: 'read-only',
    podSecurity: 'restricted',
    quota: {
      requests: { cpu: '2', memory: '4Gi' },
      limits: { cpu: '4', memory: '8Gi' },
      pods: 20,
    },
    limits: {
      default: { cpu: '500m', memory: '512Mi' },
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      max: { cpu: '2', memory: '4Gi' },
    },
    traefik: {
      replicas: 2,
      allowCrossNamespace: false,
      serviceType: 'LoadBalancer',
      logLevel: 'INFO',
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '1', memory: '512Mi' },
      },
    },
    egress: { cidrs: [] as string[], ports: [] as number[] },
  },
} as const;

/**
 * Namespaces no tenant may take, and the platform namespace may not be: they belong to
 * Kubernetes or to the cluster add-ons a tenant must never administer.
 */
export const RESERVED_NAMESPACES = [
  'default', 'cert-manager', 'argocd', 'external-secrets', 'flux-system', 'gatekeeper-system', 'ingress-nginx', 'kyverno',
  'reflector', 'vault',
] as const;
/** Prefixes no tenant name may start with. */
export const RESERVED_NAMESPACE_PREFIXES = ['kube-'] as const;
