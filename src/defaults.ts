/**
 * Every default of the spec in one place. The constructs apply them (the model does not);
 * the JSON Schema, the README and the tests read them; change a default here and nowhere else.
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
    /** `platform.ca`: where cert-manager runs, whose controller requests the tenants' certificates from the platform CA. */
    certManager: { namespace: 'cert-manager', serviceAccount: 'cert-manager' },
    /** `platform.gitops.argocd`: one Application per tenant file. */
    argocd: {
      namespace: 'argocd',
      project: 'default',
      targetRevision: 'HEAD',
      path: 'dist',
      server: 'https://kubernetes.default.svc',
    },
    /**
     * `platform.routing`: how tenants' traffic is routed. IngressRoutes through one Traefik per
     * tenant unless the spec says otherwise; a shared Traefik needs the Gateway API.
     */
    routing: { api: 'ingressroute', traefik: 'per-tenant', wildcardCertificate: false },
    /** `platform.routing.sharedTraefik`: the one Traefik every tenant shares (`traefik: shared`), sized for many tenants. */
    sharedTraefik: {
      replicas: 3,
      serviceType: 'LoadBalancer',
      logLevel: 'INFO',
      resources: {
        requests: { cpu: '500m', memory: '512Mi' },
        limits: { cpu: '2', memory: '2Gi' },
      },
    },
    /** `platform.gitops.flux`: one GitRepository and Kustomization per tenant file. */
    flux: {
      namespace: 'flux-system',
      branch: 'main',
      path: 'dist',
      interval: '10m',
    },
    /**
     * `platform.clusterApi`: where a cluster tenant's Cluster API `Cluster` lives on the management
     * cluster, and its workers (`default-worker` is the worker class of Cluster API's quick-start ClusterClasses).
     */
    clusterApi: {
      namespace: 'tenancy-clusters',
      workers: { class: 'default-worker', replicas: 2 },
    },
  },
  tenant: {
    /** `namespace`: the tenant's guard rails only; `vcluster`: the same, and a virtual cluster of its own inside them; `cluster`: a Cluster API cluster of its own (in a fleet). */
    isolation: 'namespace',
    secrets: 'read-only',
    podSecurity: 'restricted',
    quota: {
      requests: { cpu: '2', memory: '4Gi', ephemeralStorage: '10Gi' },
      limits: { cpu: '4', memory: '8Gi', ephemeralStorage: '20Gi' },
      pods: 20,
      /** ClusterIP Services, cert-manager's HTTP-01 solvers' included. */
      services: 50,
      /** PersistentVolumeClaims, and the storage they may request in all: volumes are bought from the cluster's shared storage. */
      persistentVolumeClaims: 10,
      storage: '100Gi',
      configMaps: 100,
      secrets: 100,
      /** cert-manager Certificates: each one is an order on the ACME account that every tenant's domains share rate limits in. */
      certificates: 50,
    },
    limits: {
      default: { cpu: '500m', memory: '512Mi', ephemeralStorage: '1Gi' },
      defaultRequest: { cpu: '100m', memory: '128Mi', ephemeralStorage: '100Mi' },
      max: { cpu: '2', memory: '4Gi', ephemeralStorage: '4Gi' },
    },
    traefik: {
      replicas: 2,
      allowCrossNamespace: false,
      serviceType: 'LoadBalancer',
      logLevel: 'INFO',
      /** With more than one replica, prefer one per node (`zone`: one per zone, then per node). */
      spread: 'node',
      /** Prometheus metrics on a `metrics` entry point (they need `platform.monitoring`). */
      metrics: false,
      serviceMonitor: false,
      accessLog: false,
      redirectToHttps: false,
      resources: {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { cpu: '1', memory: '512Mi' },
      },
    },
    egress: { cidrs: [] as string[], ports: [] as number[] },
  },
  /**
   * `platform.ceilings`: the most one tenant may claim. Tenant files may be edited by tenants
   * through pull requests, so the platform caps what any of them can ask for.
   */
  ceilings: {
    quota: {
      requests: { cpu: '32', memory: '64Gi', ephemeralStorage: '200Gi' },
      limits: { cpu: '64', memory: '128Gi', ephemeralStorage: '400Gi' },
      pods: 500,
      services: 200,
      persistentVolumeClaims: 100,
      storage: '2Ti',
      configMaps: 1000,
      secrets: 1000,
      certificates: 100,
    },
    traefik: {
      replicas: 10,
      resources: {
        requests: { cpu: '2', memory: '2Gi' },
        limits: { cpu: '4', memory: '4Gi' },
      },
    },
    domains: 50,
  },
  /**
   * `isolation: vcluster`: the chart the tenant's virtual cluster is installed from, pinned, and
   * what its control plane runs as and asks for (each capped by the tenant's `limits.max`).
   */
  vcluster: {
    chart: 'vcluster',
    version: '0.36.1',
    repository: 'https://charts.loft.sh',
    /** The open-source build: the chart's default (`vcluster-pro`) carries licensed modules. */
    image: { registry: 'ghcr.io', repository: 'loft-sh/vcluster-oss' },
    /** The control plane's user, group and volume group: never root (the chart's default is root). */
    user: 12345,
    /** CoreDNS's user inside the virtual cluster (vCluster's own default). */
    corednsUser: 1001,
    controlPlane: {
      requests: { cpu: '200m', memory: '256Mi', ephemeralStorage: '1Gi' },
      limits: { cpu: '1', memory: '2Gi', ephemeralStorage: '4Gi' },
    },
    /** The init container that copies the Kubernetes binaries into the control plane's volume. */
    distroInit: {
      requests: { cpu: '40m', memory: '64Mi', ephemeralStorage: '100Mi' },
      limits: { cpu: '100m', memory: '256Mi', ephemeralStorage: '1Gi' },
    },
    coredns: {
      requests: { cpu: '20m', memory: '64Mi', ephemeralStorage: '100Mi' },
      limits: { cpu: '500m', memory: '170Mi', ephemeralStorage: '1Gi' },
    },
  },
  /** PriorityClasses no tenant pod may use (`platform.priorityClasses` allows others by name): they preempt every other pod. */
  systemPriorityClasses: ['system-node-critical', 'system-cluster-critical'],
} as const;

/** `own` over `builtIn`, value by value: a CPU without memory keeps the built-in memory. */
export function withResourceDefaults<R extends Readonly<Record<string, string>>>(own: { readonly [K in keyof R]?: string } | undefined, builtIn: R): { [K in keyof R]: string } {
  return Object.fromEntries(Object.entries(builtIn).map(([k, v]) => [k, own?.[k as keyof R] ?? v])) as { [K in keyof R]: string };
}

/** `own` over `defaults`, field by field; a field `own` leaves undefined keeps its default. */
export function withDefaults<D extends object, O extends object>(defaults: D, own: O): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) out[key] = value;
  return out as D & O;
}
