/**
 * The resolved Tenancy: the validated spec with every default applied, so the constructs
 * never have to ask "was this set?". Built once from the spec; read by everything after it.
 */
import { DEFAULTS } from '../spec/defaults';
import { normalizeRepoPath } from '../spec/rules';
import { SpecInput, TenantInput, TenantSettings } from '../spec/schema';

export interface CpuMemory {
  readonly cpu: string;
  readonly memory: string;
}

export interface QuotaModel {
  readonly requests: CpuMemory;
  readonly limits: CpuMemory;
  readonly pods: number;
  /** Services of type ClusterIP the tenant may create; unlimited when absent. */
  readonly services?: number;
  readonly persistentVolumeClaims?: number;
  /** Total storage requested by PersistentVolumeClaims. */
  readonly storage?: string;
}

export interface LimitsModel {
  readonly default: CpuMemory;
  readonly defaultRequest: CpuMemory;
  readonly max: CpuMemory;
}

export interface TraefikModel {
  readonly replicas: number;
  readonly serviceType: 'LoadBalancer' | 'ClusterIP';
  readonly logLevel: string;
  readonly resources: { readonly requests: CpuMemory; readonly limits: CpuMemory };
}

export type IssuerModel =
  | { readonly acme: { readonly email: string; readonly server: string } }
  | { readonly ca: { readonly secretName: string } }
  | { readonly selfSigned: Record<string, never> };

export interface EgressModel {
  readonly cidrs: readonly string[];
  readonly ports: readonly number[];
}

export interface TenantModel {
  readonly name: string;
  readonly team?: string;
  readonly environment?: string;
  readonly domains: readonly string[];
  readonly owners: { readonly groups: readonly string[]; readonly users: readonly string[] };
  readonly secrets: 'read-only' | 'manage';
  readonly podSecurity: 'restricted' | 'baseline';
  readonly quota: QuotaModel;
  readonly limits: LimitsModel;
  readonly traefik: TraefikModel;
  readonly issuer: IssuerModel;
  readonly egress: EgressModel;
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
  readonly secretName: string;
  readonly acme: { readonly email: string; readonly server: string; readonly dns01: Dns01Model };
  /** @default - the Secret stays in the platform namespace only */
  readonly syncTo?: SecretSyncModel;
}

/** How admission guard rails are enforced: ValidatingAdmissionPolicies, Kyverno ClusterPolicies, or not at all. */
export type AdmissionMode = 'native' | 'kyverno' | 'none';

/** Vault behind the External Secrets Operator; `path` and `role` still hold `{tenant}`. */
export interface VaultStoreModel {
  readonly server: string;
  readonly path: string;
  readonly version: 'v1' | 'v2';
  readonly role: string;
  readonly authMountPath: string;
}

export interface ExternalSecretsModel {
  readonly vault: VaultStoreModel;
}

export interface ArgoCdModel {
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Folder of the rendered output in the repository (it holds `platform.yaml` and `tenants/`). */
  readonly path: string;
  readonly namespace: string;
  readonly project: string;
  readonly server: string;
}

export interface FluxModel {
  readonly url: string;
  readonly branch: string;
  /** Folder of the rendered output in the repository (it holds `platform.yaml` and `tenants/`). */
  readonly path: string;
  readonly namespace: string;
  readonly interval: string;
  readonly secretRef?: string;
}

export type GitOpsModel = { readonly argocd: ArgoCdModel } | { readonly flux: FluxModel };

/** How the output is written: YAML files, or Helm charts (`synth --format helm`). GitOps apps point at one or the other. */
export type OutputFormat = 'yaml' | 'helm';

export interface PlatformModel {
  readonly namespace: string;
  readonly traefikImage: string;
  readonly allowedDomains: readonly string[];
  readonly tlsMinVersion: string;
  readonly wildcard?: WildcardModel;
  readonly admission: AdmissionMode;
  /** @default - no SecretStore, owners get no ExternalSecret rights */
  readonly externalSecrets?: ExternalSecretsModel;
  /** @default - no Application or Kustomization: apply the files yourself */
  readonly gitops?: GitOpsModel;
}

export interface TenancyModel {
  readonly platform: PlatformModel;
  readonly tenants: readonly TenantModel[];
}

/** Resolves a validated spec: built-in defaults, then `platform.defaults`, then the tenant's own fields. */
export function resolveTenancy(spec: SpecInput): TenancyModel {
  const p = spec.platform ?? {};
  const wildcard = p.wildcard;
  return {
    platform: {
      namespace: p.traefik?.namespace ?? DEFAULTS.platform.traefikNamespace,
      traefikImage: p.traefik?.image ?? DEFAULTS.platform.traefikImage,
      allowedDomains: p.allowedDomains ?? [],
      tlsMinVersion: DEFAULTS.platform.tlsMinVersion,
      wildcard: wildcard && {
        dnsNames: wildcard.dnsNames,
        secretName: wildcard.secretName ?? DEFAULTS.platform.wildcardSecretName,
        acme: {
          email: wildcard.acme.email,
          server: wildcard.acme.server ?? DEFAULTS.platform.acmeServer,
          // The schema refuses a wildcard without dns01.
          dns01: wildcard.acme.dns01 as Dns01Model,
        },
        ...(wildcard.syncTo ? { syncTo: { via: wildcard.syncTo.via as SecretSyncModel['via'], namespaces: wildcard.syncTo.namespaces } } : {}),
      },
      admission: p.admission ?? (DEFAULTS.platform.admission as AdmissionMode),
      ...(p.externalSecrets ? { externalSecrets: resolveExternalSecrets(p.externalSecrets) } : {}),
      ...(p.gitops ? { gitops: resolveGitOps(p.gitops) } : {}),
    },
    tenants: (spec.tenants ?? []).map((t) => resolveTenant(t, p.defaults ?? {})),
  };
}

function resolveTenant(t: TenantInput, d: TenantSettings): TenantModel {
  const T = DEFAULTS.tenant;
  const cpuMemory = (own?: Partial<CpuMemory>, preset?: Partial<CpuMemory>, builtin?: CpuMemory): CpuMemory => ({
    cpu: own?.cpu ?? preset?.cpu ?? builtin!.cpu,
    memory: own?.memory ?? preset?.memory ?? builtin!.memory,
  });
  const optional = <K extends 'services' | 'persistentVolumeClaims' | 'storage'>(key: K) => t.quota?.[key] ?? d.quota?.[key];
  return {
    name: t.name,
    team: t.team ?? d.team,
    environment: t.environment ?? d.environment,
    domains: t.domains,
    owners: { groups: t.owners.groups ?? [], users: t.owners.users ?? [] },
    secrets: t.secrets ?? d.secrets ?? T.secrets,
    podSecurity: (t.podSecurity ?? d.podSecurity ?? T.podSecurity) as 'restricted' | 'baseline',
    quota: {
      requests: cpuMemory(t.quota?.requests, d.quota?.requests, T.quota.requests),
      limits: cpuMemory(t.quota?.limits, d.quota?.limits, T.quota.limits),
      pods: t.quota?.pods ?? d.quota?.pods ?? T.quota.pods,
      ...definedOnly({ services: optional('services'), persistentVolumeClaims: optional('persistentVolumeClaims'), storage: optional('storage') }),
    },
    limits: {
      default: cpuMemory(t.limits?.default, d.limits?.default, T.limits.default),
      defaultRequest: cpuMemory(t.limits?.defaultRequest, d.limits?.defaultRequest, T.limits.defaultRequest),
      max: cpuMemory(t.limits?.max, d.limits?.max, T.limits.max),
    },
    traefik: {
      replicas: t.traefik?.replicas ?? d.traefik?.replicas ?? T.traefik.replicas,
      serviceType: t.traefik?.serviceType ?? d.traefik?.serviceType ?? T.traefik.serviceType,
      logLevel: t.traefik?.logLevel ?? d.traefik?.logLevel ?? T.traefik.logLevel,
      resources: {
        requests: cpuMemory(t.traefik?.resources?.requests, d.traefik?.resources?.requests, T.traefik.resources.requests),
        limits: cpuMemory(t.traefik?.resources?.limits, d.traefik?.resources?.limits, T.traefik.resources.limits),
      },
    },
    // The schema refuses a tenant without an issuer here or in the defaults.
    issuer: resolveIssuer((t.issuer ?? d.issuer)!),
    egress: {
      cidrs: t.egress?.cidrs ?? d.egress?.cidrs ?? T.egress.cidrs,
      ports: t.egress?.ports ?? d.egress?.ports ?? T.egress.ports,
    },
  };
}

function resolveExternalSecrets(e: NonNullable<NonNullable<SpecInput['platform']>['externalSecrets']>): ExternalSecretsModel {
  const V = DEFAULTS.platform.vault;
  return {
    vault: {
      server: e.vault.server,
      path: e.vault.path ?? V.path,
      version: e.vault.version ?? (V.version as 'v2'),
      role: e.vault.role ?? V.role,
      authMountPath: e.vault.authMountPath ?? V.authMountPath,
    },
  };
}

function resolveGitOps(g: NonNullable<NonNullable<SpecInput['platform']>['gitops']>): GitOpsModel {
  if (g.argocd) {
    const A = DEFAULTS.platform.argocd;
    return {
      argocd: {
        repoURL: g.argocd.repoURL,
        targetRevision: g.argocd.targetRevision ?? A.targetRevision,
        path: normalizeRepoPath(g.argocd.path ?? A.path),
        namespace: g.argocd.namespace ?? A.namespace,
        project: g.argocd.project ?? A.project,
        server: g.argocd.server ?? A.server,
      },
    };
  }
  // The schema accepts exactly one engine.
  const f = g.flux!;
  const F = DEFAULTS.platform.flux;
  return {
    flux: {
      url: f.url,
      branch: f.branch ?? F.branch,
      path: normalizeRepoPath(f.path ?? F.path),
      namespace: f.namespace ?? F.namespace,
      interval: f.interval ?? F.interval,
      ...(f.secretRef ? { secretRef: f.secretRef } : {}),
    },
  };
}

function resolveIssuer(issuer: NonNullable<TenantSettings['issuer']>): IssuerModel {
  if (issuer.acme) return { acme: { email: issuer.acme.email, server: issuer.acme.server ?? DEFAULTS.platform.acmeServer } };
  if (issuer.ca) return { ca: { secretName: issuer.ca.secretName } };
  return { selfSigned: {} };
}

function definedOnly<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
