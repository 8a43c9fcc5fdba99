/**
 * The spec's shape, in zod. Everything a user can write in `tenancy.yaml` (or a file under
 * `tenantsDir`) is declared here, strictly: an unknown key is an error, never ignored.
 * The rules themselves live in the threat catalogue (src/threats/): fields call its checks,
 * and cross-field rules (duplicates, allowed zones, merged defaults) call them in `checkSpec`
 * at the bottom. The field schemas are exported so that the constructs judge their props
 * with the same schemas, and so say the same words.
 */
import { z } from 'zod';
import { ADMISSION_MODES } from '../admission/engines';
import { objectName, quantity, refusedBy } from './schema-fields';
import { vclusterValues } from './vcluster-values';
import { DEFAULTS } from '../defaults';
import {
  checkAllowedZone, checkTenantDomain, checkWildcardSecret, checkWildcardZone, CLUSTER_ISSUER_REFUSAL, DOMAIN_WITHIN_ALLOWED_ZONES, duplicateDomainAcrossClustersRefusal, duplicateDomainRefusal,
  NO_TENANT_WILDCARD, ONE_HOST_ONE_TENANT, PLATFORM_CA_MISSING, sameCaSecretRefusal, checkTenantCaSecret, SHARED_CA_KEY, SHARED_CA_REFUSAL, TENANT_NAMESPACED_ISSUER, WILDCARD_DNS01, WILDCARD_HTTP01_UNUSED, WILDCARD_NEEDS_DNS01,
  WILDCARD_TOKEN_SECRET,
} from '../threats/certificates';
import { checkCidr, checkLabelValue, checkQualifiedName, checkWildcardDnsName, DNS_LABEL, HOST_LABEL, LABEL_VALUE, QUALIFIED_NAME } from '../threats/formats';
import { MAX_CLUSTER_NAME_LENGTH } from '../model/names';
import { checkFleet, isClusterTenant, placedOn, TENANT_CLUSTER_API_NAMESPACE_REFUSAL } from './fleet-rules';
import {
  checkArgoServer, checkFluxInterval, checkFluxSecretRef, checkGitOpsNamespace, checkGitUrl, checkRepoPath, FLUX_INTERVAL, FLUX_SSH_DEPLOY_KEY,
  GITOPS_NAMESPACE, GITOPS_REPOSITORY_PATH, GITOPS_URL, GO_DURATION, tenantIsGitOpsNamespaceRefusal,
} from '../threats/gitops';
import {
  checkPlatformNamespace, checkPodSecurity, checkReservedPattern, checkTenantName, PLATFORM_NAMESPACE, POD_SECURITY_LEVEL, RESERVED_NAMESPACE,
} from '../threats/namespaces';
import {
  checkEgressToCluster, checkEgressToMetadata, checkMonitoringNamespace, checkNodePort, EGRESS_TO_CLUSTER, EGRESS_TO_METADATA, MONITORING_NAMESPACE, NODE_PORT_NAMES,
  nodePortTakenRefusal, ONE_NODE_PORT_ONE_TENANT, tenantIsMonitoringNamespaceRefusal,
} from '../threats/network';
import { compareQuantities, isQuantity } from '../threats/quantity';
import {
  checkNodeSelectorKey, checkPriorityClass, checkToleration, checkTraefikPriorityClass, CONTROL_PLANE_TOLERATION, PRIORITY_PREEMPTION,
} from '../threats/pods';
import { checkOwnerSubject, NO_BROAD_SUBJECTS, NO_OWNER_REFUSAL } from '../threats/rbac';
import {
  CEILING_KEYS, Ceilings, checkCeiling, checkDomainCount, checkResourceOrder, ORDERED_RESOURCE_PAIRS, REQUESTS_WITHIN_LIMITS, resolveCeilings, RESOURCES_OF,
  SourcedQuantity, TENANT_CEILINGS,
} from '../threats/resources';
import {
  checkSyncNamespace, checkSyncVia, checkVaultField, duplicateSyncNamespaceRefusal, EMPTY_SYNC_LIST_REFUSAL, KUBED_RETIRED,
  SECRET_SYNC_INTO_TENANTS, syncToTenantRefusal, tenantInSyncToRefusal, VaultField, vaultThreat,
} from '../threats/secrets';
import {
  checkGatewayHosts, checkRoutingTopology, GATEWAY_LISTENER_LIMIT, SHARED_TRAEFIK_NEEDS_GATEWAY,
} from '../threats/gateway';
import { checkServiceSetting, SERVICE_SETTING_TYPES, TRAEFIK_SERVICE_TYPES, TypedServiceSetting } from '../threats/service-settings';
import { Threat } from '../threats/threat';
import {
  checkAllowCrossNamespace, checkTraefikImage, checkTraefikReplicas, TRAEFIK_IMAGE_VERSION, TRAEFIK_NO_CROSS_NAMESPACE, TRAEFIK_REPLICAS,
} from '../threats/traefik';

export { objectName, quantity, refusedBy } from './schema-fields';

/** A custom issue for `threat` at `path`. */
function refusal(ctx: z.RefinementCtx, path: PropertyKey[], message: string, threat?: Threat): void {
  ctx.addIssue({ code: 'custom', path, message, ...(threat ? { params: { threat: threat.id } } : {}) });
}

export const cpuMemory = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });
/** CPU, memory and ephemeral storage (container scratch space and logs), for quotas and LimitRanges. */
export const resourceAmounts = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional(), ephemeralStorage: quantity.optional() });
export const labelValue = z.string().superRefine(refusedBy(checkLabelValue)).meta({ pattern: LABEL_VALUE.source });
export const subjectName = z.string().superRefine(refusedBy(checkOwnerSubject, NO_BROAD_SUBJECTS));
const email = z.email({ error: 'is not an e-mail address — ACME needs an address for expiry notices, e.g. `platform@example.com`' });
const url = z.url({ protocol: /^https$/, error: 'must be an https URL of an ACME directory — omit it for Let\'s Encrypt production' });


const secretKeyRef = z.strictObject({ name: z.string().min(1), key: z.string().min(1) });

export const acmeIssuer = z.strictObject({
  email,
  server: url.optional(),
});

/** A tenant's own issuer: exactly one of `acme`, `ca`, `selfSigned`. `clusterIssuer` is refused with the reason. */
export const issuer = z
  .strictObject({
    acme: acmeIssuer.optional(),
    ca: z.strictObject({ secretName: objectName('tenant-ca') }).optional(),
    selfSigned: z.strictObject({}).optional(),
    platformCA: z.strictObject({}).optional(),
    clusterIssuer: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.clusterIssuer !== undefined) {
      refusal(ctx, ['clusterIssuer'], CLUSTER_ISSUER_REFUSAL, TENANT_NAMESPACED_ISSUER);
      return;
    }
    const kinds = (['acme', 'ca', 'selfSigned', 'platformCA'] as const).filter((k) => value[k] !== undefined);
    if (kinds.length !== 1) {
      refusal(ctx, [], kinds.length === 0
        ? 'names no issuer — set one of `acme`, `ca`, `selfSigned` or `platformCA`'
        : `sets ${kinds.map((k) => `\`${k}\``).join(' and ')} — keep exactly one`);
    }
  });

export const replicas = z.number().superRefine(refusedBy(checkTraefikReplicas, TRAEFIK_REPLICAS));
export const traefikImage = z.string().superRefine(refusedBy(checkTraefikImage, TRAEFIK_IMAGE_VERSION));
export const allowCrossNamespace = z.boolean().superRefine(refusedBy(checkAllowCrossNamespace, TRAEFIK_NO_CROSS_NAMESPACE));
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'] as const;

/** A label or annotation key, a taint key, a load balancer class: `example.com/name` or `name`. */
export const qualifiedName = z.string().superRefine(refusedBy(checkQualifiedName)).meta({ pattern: QUALIFIED_NAME.source });
export const cidr = z.string().superRefine(refusedBy(checkCidr));
export const nodePort = z.number().superRefine(refusedBy(checkNodePort));
export const serviceType = z.enum(TRAEFIK_SERVICE_TYPES);

/**
 * A map whose keys are Kubernetes keys (labels, annotations, node selectors), each judged by
 * `checkQualifiedName` and `check` at its own path (zod would only say "Invalid key in record").
 */
export function keyedRecord<V extends z.ZodType>(values: V, check?: (key: string) => string | undefined, threat?: Threat) {
  return z.record(z.string(), values).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      const format = checkQualifiedName(key);
      const message = format ?? check?.(key);
      if (message) refusal(ctx, [key], message, format ? undefined : threat);
    }
  }).meta({ propertyNames: { pattern: QUALIFIED_NAME.source } });
}

/** The Traefik Service's settings beyond its type (`traefik.service`). */
export const traefikService = z.strictObject({
  annotations: keyedRecord(z.string()).optional(),
  externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
  loadBalancerClass: qualifiedName.optional(),
  loadBalancerSourceRanges: z.array(cidr).optional(),
  nodePorts: z.strictObject({ web: nodePort.optional(), websecure: nodePort.optional() }).optional(),
});

/** A toleration of the Traefik's pods; never of the control plane's taint, nor of every taint. */
export const toleration = z
  .strictObject({
    key: qualifiedName.optional(),
    operator: z.enum(['Equal', 'Exists']).optional(),
    // A taint's value may be empty, as a label's may.
    value: z.union([z.literal(''), labelValue]).optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.int().min(0).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.operator === 'Exists' && t.value !== undefined && t.value !== '') refusal(ctx, ['value'], 'is set with `operator: Exists`, which matches any value — remove it, or use `operator: Equal`');
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') refusal(ctx, ['tolerationSeconds'], 'applies to `effect: NoExecute` only — remove it, or set that effect');
    if (t.operator !== 'Exists' && t.key === undefined) refusal(ctx, [], 'names no `key` — name the taint to tolerate (e.g. `dedicated`)');
  })
  .superRefine(refusedBy(checkToleration, CONTROL_PLANE_TOLERATION));

/** The Traefik's node selector: label keys and values, never one that picks control-plane nodes. */
export const nodeSelector = keyedRecord(z.string().superRefine(refusedBy((v: string) => (v === '' ? undefined : checkLabelValue(v)))), checkNodeSelectorKey, CONTROL_PLANE_TOLERATION);

const traefik = z.strictObject({
  replicas: replicas.optional(),
  allowCrossNamespace: allowCrossNamespace.optional(),
  serviceType: serviceType.optional(),
  service: traefikService.optional(),
  logLevel: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(LOG_LEVELS)).optional(),
  resources: z.strictObject({ requests: cpuMemory.optional(), limits: cpuMemory.optional() }).optional(),
  spread: z.enum(['node', 'zone']).optional(),
  nodeSelector: nodeSelector.optional(),
  tolerations: z.array(toleration).optional(),
  // Judged against `platform.priorityClasses` in `checkSpec`.
  priorityClassName: objectName('ingress-high').optional(),
  metrics: z.boolean().optional(),
  serviceMonitor: z.boolean().optional(),
  accessLog: z.boolean().optional(),
  redirectToHttps: z.boolean().optional(),
});

/** The settings of the Traefik every tenant shares (`platform.routing.sharedTraefik`): its size, nothing of a tenant's. */
const sharedTraefikSettings = {
  replicas: replicas.optional(),
  serviceType: z.enum(['LoadBalancer', 'ClusterIP']).optional(),
  logLevel: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(LOG_LEVELS)).optional(),
  resources: z.strictObject({ requests: cpuMemory.optional(), limits: cpuMemory.optional() }).optional(),
};

export const ROUTING_APIS = ['ingressroute', 'gateway'] as const;
export const TRAEFIK_TOPOLOGIES = ['per-tenant', 'shared'] as const;

/**
 * `platform.routing`: how tenants' traffic reaches them. `api`: Traefik IngressRoutes (and
 * Ingresses), or Gateway API routes through a Gateway per tenant that the platform owns.
 * `traefik`: one per tenant, or one every tenant shares (Gateway API only). The pairing is
 * judged in `checkSpec`, which sees both fields and where each was written.
 */
export const routing = z.strictObject({
  api: z.enum(ROUTING_APIS).optional(),
  traefik: z.enum(TRAEFIK_TOPOLOGIES).optional(),
  wildcardCertificate: z.boolean().optional(),
  sharedTraefik: z.strictObject(sharedTraefikSettings).optional(),
});

export const podSecurity = z.string().superRefine(refusedBy(checkPodSecurity, POD_SECURITY_LEVEL));
export const egressCidr = cidr.superRefine(refusedBy(checkEgressToMetadata, EGRESS_TO_METADATA));
export const port = z.int().min(1).max(65535);

const count = z.int().min(0).max(1000000);
export const quota = z.strictObject({
  requests: resourceAmounts.optional(),
  limits: resourceAmounts.optional(),
  pods: z.int().min(1).max(1000000).optional(),
  services: z.int().min(1, { error: 'is below 1 — cert-manager\'s HTTP-01 solver needs a Service in the tenant namespace to issue certificates' }).max(1000000).optional(),
  persistentVolumeClaims: count.optional(),
  storage: quantity.optional(),
  configMaps: count.optional(),
  secrets: count.optional(),
  certificates: count.optional(),
});
export const limits = z.strictObject({ default: resourceAmounts.optional(), defaultRequest: resourceAmounts.optional(), max: resourceAmounts.optional() });

/** `platform.ceilings`: the most one tenant may claim, shaped like the settings it caps. */
export const ceilings = z.strictObject({
  quota: quota.optional(),
  traefik: z.strictObject({ replicas: replicas.optional(), resources: z.strictObject({ requests: cpuMemory.optional(), limits: cpuMemory.optional() }).optional() }).optional(),
  domains: z.int().min(1).max(10000).optional(),
});
export const egress = z.strictObject({ cidrs: z.array(egressCidr).optional(), ports: z.array(port).optional() });

/**
 * How far a tenant is isolated, weakest first: its namespace's guard rails (`namespace`), those and
 * a virtual cluster of its own inside them (`vcluster`), or a Cluster API cluster of its own in a
 * fleet (`cluster`).
 */
export const ISOLATION_TIERS = ['namespace', 'vcluster', 'cluster'] as const;
export type IsolationTier = (typeof ISOLATION_TIERS)[number];
export const isolation = z.enum(ISOLATION_TIERS);

/** The fields a tenant may set and `platform.defaults` may preset. */
const tenantSettingsShape = {
  team: labelValue.optional(),
  environment: labelValue.optional(),
  secrets: z.enum(['read-only', 'manage']).optional(),
  podSecurity: podSecurity.optional(),
  quota: quota.optional(),
  limits: limits.optional(),
  traefik: traefik.optional(),
  issuer: issuer.optional(),
  egress: egress.optional(),
  isolation: isolation.optional(),
  vcluster: vclusterValues.optional(),
};

export const domain = z.string().transform((v) => v.toLowerCase()).superRefine(refusedBy(checkTenantDomain, NO_TENANT_WILDCARD));
export const owners = z
  .strictObject({ groups: z.array(subjectName).optional(), users: z.array(subjectName).optional() })
  .refine((o) => (o.groups?.length ?? 0) + (o.users?.length ?? 0) > 0, { error: NO_OWNER_REFUSAL });

/** A Kubernetes version as Cluster API's topology takes it, e.g. `v1.33.1`. */
export const KUBERNETES_VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const kubernetesVersion = z.string().regex(KUBERNETES_VERSION, { error: 'is not a Kubernetes version — write it as Cluster API does, e.g. `v1.33.1`' });

/** Workers of a cluster tenant's cluster: a MachineDeployment of the ClusterClass's worker class. */
export const clusterWorkers = z.strictObject({
  class: z.string().min(1).max(256).optional(),
  replicas: z.int().min(0).max(1000).optional(),
});

/** What of a cluster tenant's Cluster API cluster a tenant may choose (the namespace is the platform's). */
const clusterApiChoices = {
  clusterClass: objectName('tenant-cluster').optional(),
  version: kubernetesVersion.optional(),
  workers: clusterWorkers.optional(),
};

/** `tenants[].clusterApi`: the tenant's own choices over `platform.clusterApi`; never the management namespace. */
const tenantClusterApi = z.strictObject({ ...clusterApiChoices, namespace: z.unknown().optional() }).superRefine((value, ctx) => {
  if (value.namespace !== undefined) refusal(ctx, ['namespace'], TENANT_CLUSTER_API_NAMESPACE_REFUSAL);
});

/** One tenant: inline under `tenants`, or a file of its own under `tenantsDir`. */
export const tenantSchema = z.strictObject({
  name: z.string(),
  ...tenantSettingsShape,
  domains: z.array(domain).min(1, { error: 'lists no domain — add the host names this tenant serves' }),
  owners,
  // Checked against `clusters` with the whole spec.
  cluster: z.string().optional(),
  clusterApi: tenantClusterApi.optional(),
});

const dns01 = z
  .strictObject({
    cloudflare: z.strictObject({ apiTokenSecretRef: secretKeyRef }).optional(),
    route53: z.strictObject({ region: z.string().min(1), hostedZoneID: z.string().min(1).optional() }).optional(),
  })
  .refine((d) => (d.cloudflare ? 1 : 0) + (d.route53 ? 1 : 0) === 1, {
    error: 'must name exactly one DNS provider — set `cloudflare` or `route53`',
  });

/** Copies of the wildcard certificate's Secret, by reflector or replicator, to the namespaces listed by name. */
export const syncTo = z.strictObject({
  via: z.string().superRefine(refusedBy(checkSyncVia, KUBED_RETIRED)),
  // Each entry is checked in `checkSpec`, which knows the platform namespace and the tenants.
  namespaces: z.array(z.string()).min(1, { error: EMPTY_SYNC_LIST_REFUSAL }),
});


export const wildcardDnsName = z.string().transform((v) => v.toLowerCase()).superRefine(refusedBy(checkWildcardDnsName));

const wildcard = z.strictObject({
  dnsNames: z.array(wildcardDnsName).min(1, { error: 'lists no name — add e.g. `*.apps.example.com`' }),
  secretName: objectName('platform-wildcard-tls').optional(),
  acme: z.strictObject({
    email,
    server: url.optional(),
    dns01: dns01.optional(),
    http01: z.unknown().optional(),
  }).superRefine((acme, ctx) => {
    if (acme.dns01 === undefined) refusal(ctx, acme.http01 === undefined ? [] : ['http01'], WILDCARD_NEEDS_DNS01, WILDCARD_DNS01);
    else if (acme.http01 !== undefined) refusal(ctx, ['http01'], WILDCARD_HTTP01_UNUSED, WILDCARD_DNS01);
  }),
  syncTo: syncTo.optional(),
});

/** A string checked by one of the catalogue's rules. */
const checkedString = (check: (value: string) => string | undefined, threat: Threat) => z.string().superRefine(refusedBy(check, threat));
const noSpaces = (example: string) => z.string().regex(/^\S+$/, { error: `must be one word without spaces, e.g. \`${example}\`` });
export const dnsLabel = (example: string) => z.string().regex(HOST_LABEL, { error: `must be a DNS-1123 label, e.g. \`${example}\`` }).max(63);
export const repoPath = checkedString(checkRepoPath, GITOPS_REPOSITORY_PATH);
export const vaultField = (field: VaultField) => checkedString((v) => checkVaultField(field, v), vaultThreat(field));

/** External Secrets Operator: a namespaced SecretStore per tenant, scoped to the tenant in Vault. */
const externalSecrets = z.strictObject({
  vault: z.strictObject({
    server: vaultField('server'),
    path: vaultField('path').optional(),
    version: z.enum(['v1', 'v2']).optional(),
    role: vaultField('role').optional(),
    authMountPath: vaultField('authMountPath').optional(),
  }),
});

/** A Go duration, as Flux reads `interval`, of at least `MIN_FLUX_INTERVAL_SECONDS`. */
export const interval = checkedString(checkFluxInterval, FLUX_INTERVAL).meta({ pattern: GO_DURATION.source });

/** A GitOps engine that applies each tenant's file: Argo CD or Flux, exactly one. */
const gitops = z
  .strictObject({
    argocd: z.strictObject({
      repoURL: checkedString((v) => checkGitUrl(v, 'argocd'), GITOPS_URL),
      targetRevision: noSpaces('main').optional(),
      path: repoPath.optional(),
      namespace: dnsLabel('argocd').optional(),
      project: objectName('default').optional(),
      server: checkedString(checkArgoServer, GITOPS_URL).optional(),
    }).optional(),
    flux: z.strictObject({
      url: checkedString((v) => checkGitUrl(v, 'flux'), GITOPS_URL),
      branch: noSpaces('main').optional(),
      path: repoPath.optional(),
      namespace: dnsLabel('flux-system').optional(),
      interval: interval.optional(),
      secretRef: objectName('git-credentials').optional(),
    }).superRefine((flux, ctx) => {
      const message = checkFluxSecretRef(flux.url, flux.secretRef);
      if (message) refusal(ctx, ['secretRef'], message, FLUX_SSH_DEPLOY_KEY);
    }).optional(),
  })
  .refine((g) => (g.argocd ? 1 : 0) + (g.flux ? 1 : 0) === 1, {
    error: 'must name exactly one GitOps engine — set `argocd` or `flux`',
  });

/** The cluster's own address ranges, which tenant egress may not reach. */
export const network = z.strictObject({
  podCIDRs: z.array(cidr).optional(),
  serviceCIDRs: z.array(cidr).optional(),
  apiServerCIDRs: z.array(cidr).optional(),
});

/** More namespaces no tenant may be named: names, or patterns with `*`. */
export const reservedNamespaces = z.array(z.string().superRefine(refusedBy(checkReservedPattern, RESERVED_NAMESPACE)));

/** The PriorityClasses tenant pods may use; never a system class. */
export const priorityClasses = z.array(objectName('tenant-high').superRefine(refusedBy(checkPriorityClass, PRIORITY_PREEMPTION)));

/** The platform's shared CA: its Secret in cert-manager's namespace, and cert-manager's controller. */
export const platformCA = z.strictObject({
  secretName: objectName('platform-ca'),
  certManager: z.strictObject({ namespace: dnsLabel('cert-manager').optional(), serviceAccount: objectName('cert-manager').optional() }).optional(),
});

/** `platform.clusterApi`: the management namespace, and the cluster every cluster tenant gets unless it chooses. */
export const platformClusterApi = z.strictObject({ namespace: dnsLabel('tenancy-clusters').optional(), ...clusterApiChoices });

/** What one cluster of a fleet may set differently from `platform`. */
const clusterPlatform = z.strictObject({
  traefik: z.strictObject({ namespace: dnsLabel('traefik') }).optional(),
  wildcard: wildcard.optional(),
  admission: z.enum(ADMISSION_MODES).optional(),
});

/** A fleet's cluster name: a DNS-1123 label, since it names folders and GitOps objects. */
export const fleetClusterName = z.string().regex(DNS_LABEL, { error: 'is not a DNS-1123 label starting with a letter — use lowercase letters, digits and `-`, e.g. `eu-west-1`' }).max(MAX_CLUSTER_NAME_LENGTH, {
  error: `is longer than ${MAX_CLUSTER_NAME_LENGTH} characters — GitOps objects are named after it (\`tenancy-platform-<cluster>\` must fit in 63); use a shorter name`,
});

/** One member cluster of a fleet, and how the GitOps engine reaches it. */
export const fleetCluster = z.strictObject({
  name: fleetClusterName,
  server: checkedString(checkArgoServer, GITOPS_URL).optional(),
  destinationName: noSpaces('eu-west-1').optional(),
  kubeConfigSecret: objectName('eu-west-1-kubeconfig').optional(),
  platform: clusterPlatform.optional(),
}).superRefine((cluster, ctx) => {
  if (cluster.server !== undefined && cluster.destinationName !== undefined) {
    refusal(ctx, ['destinationName'], 'sets both `server` and `destinationName` — Argo CD refuses a destination with both; keep one');
  }
});

/** `platform.monitoring`: the namespace whose Prometheus may scrape tenant pods and each Traefik's metrics. */
export const monitoring = z.strictObject({
  namespace: dnsLabel('monitoring'),
  serviceMonitorLabels: keyedRecord(labelValue).optional(),
});

const platform = z.strictObject({
  traefik: z.strictObject({
    namespace: dnsLabel('traefik').optional(),
    image: traefikImage.optional(),
  }).optional(),
  allowedDomains: z.array(z.string().transform((v) => v.toLowerCase()).superRefine(refusedBy(checkTenantDomain, NO_TENANT_WILDCARD))).min(1, { error: 'lists no zone, which would refuse every domain — list the zones tenants may use, or remove the field' }).optional(),
  wildcard: wildcard.optional(),
  defaults: z.strictObject(tenantSettingsShape).optional(),
  admission: z.enum(ADMISSION_MODES).optional(),
  network: network.optional(),
  reservedNamespaces: reservedNamespaces.optional(),
  ca: platformCA.optional(),
  ceilings: ceilings.optional(),
  priorityClasses: priorityClasses.optional(),
  monitoring: monitoring.optional(),
  externalSecrets: externalSecrets.optional(),
  gitops: gitops.optional(),
  clusterApi: platformClusterApi.optional(),
  routing: routing.optional(),
});

export const specSchema = z
  .strictObject({
    platform: platform.optional(),
    clusters: z.array(fleetCluster).min(1, { error: 'lists no cluster — list the fleet\'s clusters, or remove `clusters` for a single cluster' }).optional(),
    tenantsDir: z.string().min(1).optional(),
    tenants: z.array(tenantSchema).optional(),
  })
  .superRefine(checkSpec, { when: () => true });

export type TenantInput = z.infer<typeof tenantSchema>;
export type FleetClusterInput = z.infer<typeof fleetCluster>;
export type TenantSettings = z.infer<z.ZodObject<typeof tenantSettingsShape>>;
export type SpecInput = z.infer<typeof specSchema>;

/**
 * Rules that need the whole spec: names and domains across tenants, allowed zones, merged
 * defaults. They run even when some fields are malformed (so every problem is reported at
 * once), and so read the data defensively: a field of the wrong type is skipped here, since
 * the shape check already reported it.
 */
function checkSpec(input: unknown, ctx: z.RefinementCtx): void {
  const spec = asRecord(input);
  const platformInput = asRecord(spec.platform);
  const namespaceInput = asRecord(platformInput.traefik).namespace;
  const platformNamespace = typeof namespaceInput === 'string' ? namespaceInput : DEFAULTS.platform.traefikNamespace;
  const allowed = Array.isArray(platformInput.allowedDomains) ? platformInput.allowedDomains.filter(isString).map((d) => d.toLowerCase()) : undefined;
  const defaults = asRecord(platformInput.defaults);
  const networkInput = asRecord(platformInput.network) as { podCIDRs?: string[]; serviceCIDRs?: string[] };
  const reserved = Array.isArray(platformInput.reservedNamespaces) ? platformInput.reservedNamespaces.filter(isString) : [];
  const limitsOfPlatform = resolveCeilings(asRecord(platformInput.ceilings));
  /** Paths already refused for a ceiling (a default above it is reported once, not per tenant). */
  const reported = new Set<string>();
  const tenants = Array.isArray(spec.tenants) ? spec.tenants : [];
  const nameOwner = new Map<string, number>();
  const domainOwner = new Map<string, { name: string; index: number; cluster?: string }>();
  const clusterNames = Array.isArray(spec.clusters) ? spec.clusters.map((c) => asRecord(c).name) : [];
  const firstCluster = isString(clusterNames[0]) ? clusterNames[0] : undefined;
  const caSecretOwner = new Map<string, string>();

  const syncInput = asRecord(asRecord(platformInput.wildcard).syncTo).namespaces;
  const syncNamespaces = Array.isArray(syncInput) ? syncInput : [];
  const gitopsInput = asRecord(platformInput.gitops);
  const engine = gitopsInput.argocd !== undefined ? 'argocd' : gitopsInput.flux !== undefined ? 'flux' : undefined;
  const engineNamespace = engine && asRecord(gitopsInput[engine]).namespace;
  const gitopsNamespace = engine && (isString(engineNamespace) ? engineNamespace : DEFAULTS.platform[engine].namespace);

  const monitoringInput = asRecord(platformInput.monitoring).namespace;
  const monitoringNamespace = isString(monitoringInput) ? monitoringInput : undefined;
  const allowedClasses = Array.isArray(platformInput.priorityClasses) ? platformInput.priorityClasses.filter(isString) : undefined;
  const traefikContext: TraefikContext = { defaults: asRecord(defaults.traefik), monitoring: monitoringNamespace !== undefined, priorityClasses: allowedClasses, nodePortOwners: new Map(), reported };

  const platformRefusal = checkPlatformNamespace(platformNamespace);
  if (platformRefusal) refusal(ctx, ['platform', 'traefik', 'namespace'], platformRefusal, PLATFORM_NAMESPACE);
  const monitoringRefusal = monitoringNamespace !== undefined ? checkMonitoringNamespace(monitoringNamespace, platformNamespace) : undefined;
  if (monitoringRefusal) refusal(ctx, ['platform', 'monitoring', 'namespace'], monitoringRefusal, MONITORING_NAMESPACE);
  NODE_PORT_NAMES.forEach((port) => {
    if (asRecord(asRecord(traefikContext.defaults.service).nodePorts)[port] !== undefined) {
      refusal(ctx, ['platform', 'defaults', 'traefik', 'service', 'nodePorts', port], 'a fixed node port in `platform.defaults` would be every tenant\'s, and a node port opens for one Service only — set node ports per tenant', ONE_NODE_PORT_ONE_TENANT);
    }
  });
  if (tenants.length === 0 && spec.tenants === undefined) {
    refusal(ctx, ['tenants'], 'the spec defines no tenant — add one under `tenants`, or a file under `tenantsDir`');
  }

  tenants.forEach((tenantInput, i) => {
    const tenant = asRecord(tenantInput);
    const at = (...rest: PropertyKey[]) => ['tenants', i, ...rest];
    const name = isString(tenant.name) ? tenant.name : undefined;
    if (name !== undefined) {
      const nameRefusal = checkTenantName(name, platformNamespace, reserved);
      if (nameRefusal) refusal(ctx, at('name'), nameRefusal, RESERVED_NAMESPACE);
      else if (syncNamespaces.includes(name)) refusal(ctx, at('name'), tenantInSyncToRefusal(name), SECRET_SYNC_INTO_TENANTS);
      else if (name === gitopsNamespace) refusal(ctx, at('name'), tenantIsGitOpsNamespaceRefusal(name, `platform.gitops.${engine}.namespace`), GITOPS_NAMESPACE);
      else if (name === monitoringNamespace) refusal(ctx, at('name'), tenantIsMonitoringNamespaceRefusal(name), MONITORING_NAMESPACE);
      const first = nameOwner.get(name);
      if (first !== undefined) {
        refusal(ctx, at('name'), `tenant \`${name}\` is defined twice (first as tenants[${first}]) — rename one or merge them`);
      } else {
        nameOwner.set(name, i);
      }
    }

    const domains = Array.isArray(tenant.domains) ? tenant.domains : [];
    // In a fleet, the cluster the tenant's hosts are served from (a cluster tenant's is its own).
    const placed = placedOn(tenant, firstCluster);
    const cluster = !Array.isArray(spec.clusters) ? undefined : isClusterTenant(tenant, defaults) ? name : clusterNames.includes(placed) ? placed : undefined;
    domains.forEach((raw, j) => {
      if (!isString(raw)) return;
      const d = raw.toLowerCase();
      if (checkTenantDomain(d) !== undefined) return; // already refused on its own
      const owner = domainOwner.get(d);
      if (owner !== undefined) {
        const message = owner.index !== i && owner.cluster !== undefined && cluster !== undefined && owner.cluster !== cluster
          ? duplicateDomainAcrossClustersRefusal(d, owner.name, owner.cluster, cluster)
          : duplicateDomainRefusal(d, owner.index === i ? undefined : owner.name);
        refusal(ctx, at('domains', j), message, ONE_HOST_ONE_TENANT);
      } else {
        domainOwner.set(d, { name: name ?? `tenants[${i}]`, index: i, cluster });
      }
      const outside = allowed && checkAllowedZone(d, allowed);
      if (outside) refusal(ctx, at('domains', j), outside, DOMAIN_WITHIN_ALLOWED_ZONES);
    });

    if (asRecord(tenant.issuer).platformCA !== undefined && platformInput.ca === undefined) {
      refusal(ctx, at('issuer', 'platformCA'), PLATFORM_CA_MISSING, SHARED_CA_KEY);
    }
    const caSecret = asRecord(asRecord(tenant.issuer).ca).secretName;
    const platformCaSecret = asRecord(platformInput.ca).secretName;
    const platformCaCopy = isString(caSecret) ? checkTenantCaSecret(caSecret, isString(platformCaSecret) ? platformCaSecret : undefined) : undefined;
    if (platformCaCopy) {
      refusal(ctx, at('issuer', 'ca', 'secretName'), platformCaCopy, SHARED_CA_KEY);
    } else if (isString(caSecret)) {
      const first = caSecretOwner.get(caSecret);
      if (first !== undefined) refusal(ctx, at('issuer', 'ca', 'secretName'), sameCaSecretRefusal(caSecret, first), SHARED_CA_KEY);
      else caSecretOwner.set(caSecret, name ?? `tenants[${i}]`);
    }
    if (tenant.issuer === undefined && defaults.issuer === undefined) {
      refusal(ctx, at('issuer'), 'no issuer for this tenant\'s certificates — set `issuer` here or in `platform.defaults.issuer`');
    }
    checkTenantResourceOrder(tenant, defaults, at, ctx);
    checkTenantCeilings(tenant, defaults, limitsOfPlatform, at, reported, ctx);
    checkEgressInCluster(asRecord(tenant.egress), networkInput, (j) => at('egress', 'cidrs', j), ctx);
    checkVirtualCluster(tenant, defaults, at, reported, ctx);
    checkTenantTraefik(asRecord(tenant.traefik), name ?? `tenants[${i}]`, cluster, (...rest) => at('traefik', ...rest), traefikContext, ctx);
  });
  checkEgressInCluster(asRecord(defaults.egress), networkInput, (j) => ['platform', 'defaults', 'egress', 'cidrs', j], ctx);
  checkRouting(platformInput, tenants, Array.isArray(spec.clusters) ? spec.clusters : [], ctx);

  if (asRecord(defaults.issuer).ca !== undefined) refusal(ctx, ['platform', 'defaults', 'issuer', 'ca'], SHARED_CA_REFUSAL, SHARED_CA_KEY);
  if (asRecord(defaults.issuer).platformCA !== undefined && platformInput.ca === undefined) {
    refusal(ctx, ['platform', 'defaults', 'issuer', 'platformCA'], PLATFORM_CA_MISSING, SHARED_CA_KEY);
  }

  // A tenant named in the platform's own `syncTo` is refused at its own name (see tenantInSyncToRefusal).
  checkWildcardInput(asRecord(platformInput.wildcard), platformNamespace, ['platform', 'wildcard'], allowed, new Set(), ctx);
  (Array.isArray(spec.clusters) ? spec.clusters : []).forEach((clusterInput, j) => {
    const clusterPlatform = asRecord(asRecord(clusterInput).platform);
    const at = (...rest: PropertyKey[]) => ['clusters', j, 'platform', ...rest];
    const ownNamespace = asRecord(clusterPlatform.traefik).namespace;
    if (isString(ownNamespace)) {
      const message = checkPlatformNamespace(ownNamespace);
      if (message) refusal(ctx, at('traefik', 'namespace'), message, PLATFORM_NAMESPACE);
    }
    if (clusterPlatform.wildcard === undefined) return;
    const clusterNamespace = isString(ownNamespace) ? ownNamespace : platformNamespace;
    checkWildcardInput(asRecord(clusterPlatform.wildcard), clusterNamespace, at('wildcard'), allowed, new Set(nameOwner.keys()), ctx);
  });
  checkFleet(spec, (path, message, threat) => refusal(ctx, path, message, threat));

  // A tenant of that name is refused at its own name (see tenantIsGitOpsNamespaceRefusal).
  if (engine && isString(engineNamespace)) {
    const message = checkGitOpsNamespace(engineNamespace, platformNamespace, DEFAULTS.platform[engine].namespace);
    if (message) refusal(ctx, ['platform', 'gitops', engine, 'namespace'], message, GITOPS_NAMESPACE);
  }

}

/**
 * A wildcard (the platform's, or a fleet cluster's own) at `base`: its Secret apart from the DNS
 * token's, its copies only into namespaces named exactly (none of `tenants`), its names in the
 * allowed zones.
 */
function checkWildcardInput(
  wildcardInput: Record<string, unknown>,
  platformNamespace: string,
  base: PropertyKey[],
  allowed: readonly string[] | undefined,
  tenants: ReadonlySet<string>,
  ctx: z.RefinementCtx,
): void {
  const tokenName = asRecord(asRecord(asRecord(asRecord(wildcardInput.acme).dns01).cloudflare).apiTokenSecretRef).name;
  const wildcardSecret = isString(wildcardInput.secretName) ? wildcardInput.secretName : DEFAULTS.platform.wildcardSecretName;
  const tokenClash = checkWildcardSecret(wildcardSecret, isString(tokenName) ? tokenName : undefined);
  if (tokenClash) refusal(ctx, [...base, 'secretName'], tokenClash, WILDCARD_TOKEN_SECRET);

  const syncInput = asRecord(wildcardInput.syncTo).namespaces;
  const syncNamespaces = Array.isArray(syncInput) ? syncInput : [];
  syncNamespaces.forEach((ns, j) => {
    if (!isString(ns)) return;
    const message = checkSyncNamespace(ns, platformNamespace)
      ?? (tenants.has(ns) ? syncToTenantRefusal(ns) : undefined)
      ?? (syncNamespaces.indexOf(ns) < j ? duplicateSyncNamespaceRefusal(ns) : undefined);
    if (message) refusal(ctx, [...base, 'syncTo', 'namespaces', j], message, SECRET_SYNC_INTO_TENANTS);
  });

  const dnsNames = wildcardInput.dnsNames;
  (Array.isArray(dnsNames) ? dnsNames : []).forEach((name, j) => {
    if (!isString(name)) return;
    const outside = allowed && checkWildcardZone(name, allowed);
    if (outside) refusal(ctx, [...base, 'dnsNames', j], outside, DOMAIN_WITHIN_ALLOWED_ZONES);
  });
}

/**
 * Each value a tenant claims (its own, else `platform.defaults`', else the built-in default) may
 * not exceed `platform.ceilings`; nor may its domains. A value from `platform.defaults` is
 * reported once, at the defaults.
 */
function checkTenantCeilings(
  tenant: Record<string, unknown>,
  defaults: Record<string, unknown>,
  limitsOfPlatform: Ceilings,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  reported: Set<string>,
  ctx: z.RefinementCtx,
): void {
  const valueAt = (root: Record<string, unknown>, key: string): unknown => key.split('.').reduce<unknown>((node, part) => asRecord(node)[part], root);
  const builtIn = (key: string): unknown => valueAt(asRecord(DEFAULTS.tenant), key);
  const report = (path: PropertyKey[], message: string) => {
    const id = path.join('.');
    if (reported.has(id)) return;
    reported.add(id);
    refusal(ctx, path, message, TENANT_CEILINGS);
  };
  for (const key of CEILING_KEYS) {
    const own = valueAt(tenant, key);
    const preset = valueAt(defaults, key);
    const value = own ?? preset ?? builtIn(key);
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const message = checkCeiling(key, value, limitsOfPlatform);
    if (!message) continue;
    const path = own !== undefined ? at(...key.split('.')) : preset !== undefined ? ['platform', 'defaults', ...key.split('.')] : ['platform', 'ceilings', ...key.split('.')];
    report(path, message);
  }
  const domains = Array.isArray(tenant.domains) ? tenant.domains.length : 0;
  const certificates = valueAt(tenant, 'quota.certificates') ?? valueAt(defaults, 'quota.certificates') ?? DEFAULTS.tenant.quota.certificates;
  const message = checkDomainCount(domains, typeof certificates === 'number' ? certificates : Infinity, limitsOfPlatform);
  if (message) report(at('domains'), message);
}

/**
 * `platform.routing`: a shared Traefik needs the Gateway API; the wildcard certificate and the
 * shared Traefik's settings need what they choose between; no tenant sizes a Traefik it does not
 * have; and in gateway mode each tenant's Gateway must hold a listener pair per domain.
 */
function checkRouting(platformInput: Record<string, unknown>, tenants: readonly unknown[], clusters: readonly unknown[], ctx: z.RefinementCtx): void {
  const input = asRecord(platformInput.routing);
  const api = isString(input.api) ? input.api : DEFAULTS.platform.routing.api;
  const traefik = isString(input.traefik) ? input.traefik : DEFAULTS.platform.routing.traefik;
  const at = (...rest: PropertyKey[]) => ['platform', 'routing', ...rest];
  const topology = checkRoutingTopology(api, traefik);
  if (topology) refusal(ctx, at('traefik'), topology, SHARED_TRAEFIK_NEEDS_GATEWAY);
  if (input.wildcardCertificate === true) {
    if (api !== 'gateway') refusal(ctx, at('wildcardCertificate'), WILDCARD_CERTIFICATE_NEEDS_GATEWAY);
    // In a fleet, a cluster may have a wildcard of its own.
    else if (platformInput.wildcard === undefined && !clusters.some((c) => asRecord(asRecord(c).platform).wildcard !== undefined)) {
      refusal(ctx, at('wildcardCertificate'), WILDCARD_CERTIFICATE_NEEDS_WILDCARD);
    }
  }
  if (input.sharedTraefik !== undefined && traefik !== 'shared') refusal(ctx, at('sharedTraefik'), SHARED_TRAEFIK_SETTINGS_UNUSED);
  if (traefik === 'shared') {
    if (asRecord(platformInput.defaults).traefik !== undefined) refusal(ctx, ['platform', 'defaults', 'traefik'], NO_OWN_TRAEFIK);
    tenants.forEach((t, i) => {
      if (asRecord(t).traefik !== undefined) refusal(ctx, ['tenants', i, 'traefik'], NO_OWN_TRAEFIK);
    });
  }
  if (api !== 'gateway') return;
  const defaultIsolation = asRecord(platformInput.defaults).isolation;
  let defaultReported = false;
  tenants.forEach((t, i) => {
    const own = asRecord(t).isolation;
    if ((own ?? defaultIsolation) === 'vcluster') {
      if (own !== undefined) refusal(ctx, ['tenants', i, 'isolation'], VCLUSTER_NEEDS_INGRESS);
      else if (!defaultReported) refusal(ctx, ['platform', 'defaults', 'isolation'], VCLUSTER_NEEDS_INGRESS);
      defaultReported ||= own === undefined;
    }
  });
  tenants.forEach((t, i) => {
    const domains = asRecord(t).domains;
    const message = Array.isArray(domains) ? checkGatewayHosts(domains.length) : undefined;
    if (message) refusal(ctx, ['tenants', i, 'domains'], message, GATEWAY_LISTENER_LIMIT);
  });
}

/** The refusal of `wildcardCertificate` with IngressRoutes. */
export const WILDCARD_CERTIFICATE_NEEDS_GATEWAY = 'chooses the certificate of each Gateway listener, and IngressRoutes have none: there the wildcard is already every Traefik\'s default certificate — set `api: gateway`, or remove the field';
/** The refusal of `wildcardCertificate` without a wildcard. */
export const WILDCARD_CERTIFICATE_NEEDS_WILDCARD = 'there is no platform wildcard to use — set `platform.wildcard`, or remove the field';
/** The refusal of `sharedTraefik` settings without a shared Traefik. */
export const SHARED_TRAEFIK_SETTINGS_UNUSED = 'sizes the shared Traefik, and `traefik` is not `shared` — set `traefik: shared`, or size each tenant\'s Traefik under its `traefik`';
/** The refusal of a virtual cluster when tenants route through the Gateway API. */
export const VCLUSTER_NEEDS_INGRESS = 'a virtual cluster\'s Ingresses reach the host as Ingresses, and with `platform.routing.api: gateway` no Traefik serves Ingresses — keep this tenant on `isolation: namespace`, or route with `api: ingressroute`';
/** The refusal of a tenant's `traefik` settings when every tenant shares the platform's Traefik. */
export const NO_OWN_TRAEFIK = 'this tenant has no Traefik of its own: every tenant shares the platform\'s (`platform.routing.traefik: shared`) — remove the field, and size the shared Traefik with `platform.routing.sharedTraefik`';

/** What the checks of each tenant's `traefik` read beside the tenant: the platform's settings, and what earlier tenants claimed. */
interface TraefikContext {
  /** `platform.defaults.traefik`. */
  readonly defaults: Record<string, unknown>;
  /** Whether `platform.monitoring` names a namespace that may scrape. */
  readonly monitoring: boolean;
  /** `platform.priorityClasses`, when listed. */
  readonly priorityClasses?: readonly string[];
  /** `cluster/port` → who claimed the node port first on that cluster: `tenant \`a\` (web)`. */
  readonly nodePortOwners: Map<string, string>;
  /** Paths already refused (a value of `platform.defaults` is reported once, not per tenant). */
  readonly reported: Set<string>;
}

/**
 * The Traefik settings that need more than their own field, merged over `platform.defaults`:
 * Service settings that do not go with the Service type, node ports claimed twice, metrics no
 * namespace may scrape, a PriorityClass the platform does not list. A value from
 * `platform.defaults` is reported at the defaults, once.
 */
function checkTenantTraefik(
  own: Record<string, unknown>,
  tenant: string,
  /** The fleet cluster the tenant is on; undefined without `clusters`. */
  cluster: string | undefined,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  c: TraefikContext,
  ctx: z.RefinementCtx,
): void {
  /** The value in force at `path` (inside `traefik`) and where it was written; undefined when nobody wrote it. */
  const pick = (...path: string[]): { value: unknown; at: PropertyKey[] } | undefined => {
    const read = (root: Record<string, unknown>) => path.reduce<unknown>((node, part) => asRecord(node)[part], root);
    if (read(own) !== undefined) return { value: read(own), at: at(...path) };
    const preset = read(c.defaults);
    return preset === undefined ? undefined : { value: preset, at: ['platform', 'defaults', 'traefik', ...path] };
  };
  const report = (where: PropertyKey[], message: string, threat?: Threat) => {
    const id = where.join('.');
    if (where[0] === 'platform' && c.reported.has(id)) return;
    c.reported.add(id);
    refusal(ctx, where, message, threat);
  };

  const type = pick('serviceType');
  const serviceType = isString(type?.value) ? type.value : DEFAULTS.tenant.traefik.serviceType;
  const typeFrom = type === undefined ? 'the built-in default' : type.at[0] === 'platform' ? '`platform.defaults`' : undefined;
  for (const setting of Object.keys(SERVICE_SETTING_TYPES) as TypedServiceSetting[]) {
    const written = pick('service', setting);
    const message = written && checkServiceSetting(setting, serviceType, typeFrom);
    if (written && message) report(written.at, message);
  }

  for (const port of NODE_PORT_NAMES) {
    const written = asRecord(asRecord(own.service).nodePorts)[port];
    if (typeof written !== 'number' || checkNodePort(written) !== undefined) continue;
    // Each cluster has node ports of its own: one tenant per port and cluster.
    const key = `${cluster ?? ''}/${written}`;
    const first = c.nodePortOwners.get(key);
    if (first !== undefined) refusal(ctx, at('service', 'nodePorts', port), nodePortTakenRefusal(written, first), ONE_NODE_PORT_ONE_TENANT);
    else c.nodePortOwners.set(key, `tenant \`${tenant}\` (${port})`);
  }

  const metrics = pick('metrics');
  if (metrics?.value === true && !c.monitoring) {
    report(metrics.at, 'no namespace may scrape the metrics: the platform namespace denies all traffic but what is allowed — name Prometheus\'s namespace in `platform.monitoring.namespace`');
  }
  const serviceMonitor = pick('serviceMonitor');
  if (serviceMonitor?.value === true && metrics?.value !== true) {
    report(serviceMonitor.at, 'has no metrics to scrape — set `metrics: true` as well');
  }

  const priorityClass = pick('priorityClassName');
  const classRefusal = isString(priorityClass?.value) ? checkTraefikPriorityClass(priorityClass.value, c.priorityClasses) : undefined;
  if (priorityClass && classRefusal) report(priorityClass.at, classRefusal, PRIORITY_PREEMPTION);
}

/** Egress CIDRs written at `egress` may not lie in the cluster's pod or Service ranges. */
function checkEgressInCluster(egressInput: Record<string, unknown>, networkInput: { podCIDRs?: unknown; serviceCIDRs?: unknown }, at: (j: number) => PropertyKey[], ctx: z.RefinementCtx): void {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter(isString) : []);
  const clusterNetwork = { podCIDRs: strings(networkInput.podCIDRs), serviceCIDRs: strings(networkInput.serviceCIDRs) };
  (Array.isArray(egressInput.cidrs) ? egressInput.cidrs : []).forEach((cidr, j) => {
    const message = isString(cidr) ? checkEgressToCluster(cidr, clusterNetwork) : undefined;
    if (message) refusal(ctx, at(j), message, EGRESS_TO_CLUSTER);
  });
}

/** Where a virtual cluster's containers say what they ask for, in its values. */
const VCLUSTER_RESOURCES = [['controlPlane', 'statefulSet', 'resources'], ['controlPlane', 'coredns', 'deployment', 'resources']] as const;
/** The chart's resource names, and the spec's. */
const CHART_RESOURCES = [['cpu', 'cpu'], ['memory', 'memory'], ['ephemeral-storage', 'ephemeralStorage']] as const;

/**
 * A `vcluster:` block belongs to a tenant with `isolation: vcluster`; the virtual cluster's
 * containers must fit the tenant's LimitRange (`limits.max`), which refuses a bigger container, and
 * ask for no more than their limits. The values the platform chooses are capped by `limits.max`
 * already: only written ones are judged, where they are written.
 */
function checkVirtualCluster(
  tenant: Record<string, unknown>,
  defaults: Record<string, unknown>,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  reported: Set<string>,
  ctx: z.RefinementCtx,
): void {
  /** A value of `platform.defaults` is reported once, not once per tenant. */
  const report = (path: PropertyKey[], message: string) => {
    const id = path.join('.');
    if (path[0] === 'platform' && reported.has(id)) return;
    reported.add(id);
    refusal(ctx, path, message);
  };
  const isolationInForce = tenant.isolation ?? defaults.isolation ?? DEFAULTS.tenant.isolation;
  if (tenant.vcluster !== undefined && isolationInForce !== 'vcluster') {
    refusal(ctx, at('vcluster'), `applies to a tenant with \`isolation: vcluster\` only, and this one's isolation is \`${String(isolationInForce)}\` — set \`isolation: vcluster\`, or remove the block`);
  }
  if (isolationInForce !== 'vcluster') return;
  const maxOf = (res: string): string | undefined => {
    const written = asRecord(asRecord(tenant.limits).max)[res] ?? asRecord(asRecord(defaults.limits).max)[res];
    const value = typeof written === 'number' ? String(written) : written;
    return isString(value) && isQuantity(value) ? value : (DEFAULTS.tenant.limits.max as Record<string, string>)[res];
  };
  const pathOf = (base: readonly string[], group: string, chartName: string) => [...base, group, chartName];
  const writtenAt = (path: readonly string[]): { value: string; where: PropertyKey[] } | undefined => {
    const sources: Array<[Record<string, unknown>, PropertyKey[]]> = [[tenant, at('vcluster', ...path)], [defaults, ['platform', 'defaults', 'vcluster', ...path]]];
    for (const [root, where] of sources) {
      const v = path.reduce<unknown>((node, key) => asRecord(node)[key], root.vcluster);
      const value = typeof v === 'number' ? String(v) : v;
      if (v !== undefined) return isString(value) && isQuantity(value) ? { value, where } : undefined;
    }
    return undefined;
  };
  for (const base of VCLUSTER_RESOURCES) {
    for (const [chartName, specName] of CHART_RESOURCES) {
      const max = maxOf(specName);
      const limit = writtenAt(pathOf(base, 'limits', chartName));
      const request = writtenAt(pathOf(base, 'requests', chartName));
      if (limit && max !== undefined && compareQuantities(limit.value, max) > 0) {
        report(limit.where, `\`${limit.value}\` is above this tenant's \`limits.max.${specName}\` (\`${max}\`): its LimitRange refuses a bigger container, and the virtual cluster would never start — lower it, or raise \`limits.max.${specName}\``);
      }
      if (request && limit && compareQuantities(request.value, limit.value) > 0) {
        report(request.where, `\`${request.value}\` is above its limit (\`${limit.value}\`): the API server refuses a container that requests more than its limit — lower the request, or raise the limit`);
      }
    }
  }
}

/** The built-in resource values, by section. */
const BUILT_IN_RESOURCES: Record<string, Record<string, Record<string, string>>> = {
  quota: DEFAULTS.tenant.quota as unknown as Record<string, Record<string, string>>,
  limits: DEFAULTS.tenant.limits,
  'traefik.resources': DEFAULTS.tenant.traefik.resources,
};

/**
 * Requests may not exceed limits once a tenant's values are merged over the defaults: quota
 * requests ≤ quota limits, LimitRange defaultRequest ≤ default ≤ max, Traefik requests ≤ limits.
 * A value written but invalid is not compared (it is refused on its own, and the default it
 * replaces would be a comparison nobody wrote); a compared value the tenant did not write says
 * where it came from.
 */
function checkTenantResourceOrder(
  tenant: Record<string, unknown>,
  defaults: Record<string, unknown>,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  ctx: z.RefinementCtx,
): void {
  const written = (root: Record<string, unknown>, section: string, group: string, res: string): unknown => {
    const sectionRoot = section === 'traefik.resources' ? asRecord(asRecord(root.traefik).resources) : asRecord(root[section]);
    const v = asRecord(sectionRoot[group])[res];
    return typeof v === 'number' ? String(v) : v;
  };
  /** The value in force, where it came from, or `invalid` when the one written here is no quantity. */
  const pick = (section: string, group: string, res: string): SourcedQuantity | 'invalid' | undefined => {
    const own = written(tenant, section, group, res);
    if (own !== undefined) return isString(own) && isQuantity(own) ? { value: own } : 'invalid';
    const preset = written(defaults, section, group, res);
    if (preset !== undefined) return isString(preset) && isQuantity(preset) ? { value: preset, from: '`platform.defaults`' } : 'invalid';
    const builtIn = BUILT_IN_RESOURCES[section][group]?.[res];
    return builtIn === undefined ? undefined : { value: builtIn, from: 'the built-in default' };
  };
  for (const [section, low, high] of ORDERED_RESOURCE_PAIRS) {
    for (const res of RESOURCES_OF[section]) {
      const a = pick(section, low, res);
      const b = pick(section, high, res);
      if (a === undefined || b === undefined || a === 'invalid' || b === 'invalid') continue;
      const message = checkResourceOrder(`${section}.${low}.${res}`, a, `${section}.${high}.${res}`, b);
      if (!message) continue;
      const where = a.from === undefined ? low : high;
      refusal(ctx, at(...section.split('.'), where, res), message, REQUESTS_WITHIN_LIMITS);
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
