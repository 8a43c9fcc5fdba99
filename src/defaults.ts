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

/** `own` over `builtIn`, value by value: a CPU without memory keeps the built-in memory. */
export function withCpuMemoryDefaults(
  own: { readonly cpu?: string; readonly memory?: string } | undefined,
  builtIn: { readonly cpu: string; readonly memory: string },
): { cpu: string; memory: string } {
  return { cpu: own?.cpu ?? builtIn.cpu, memory: own?.memory ?? builtIn.memory };
}

/** `own` over `defaults`, field by field; a field `own` leaves undefined keeps its default. */
export function withDefaults<D extends object, O extends object>(defaults: D, own: O): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) out[key] = value;
  return out as D & O;
}
