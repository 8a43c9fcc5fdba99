/**
 * A tenant's `vcluster:` block: values of the vcluster chart (0.36.1) the platform lets a tenant
 * set, merged over the platform's own (see `constructs/vcluster-values.ts`).
 *
 * It is an allowlist in the chart's own key names and types, strict at every level: a misspelt
 * key gets "did you mean", a key of the chart the platform sets itself is refused with why
 * (`OWNED` below), and the values the catalogue calls risky (`vclusterValueRisks`, in
 * `threats/vcluster.ts`) are refused at their line with the threat's words. Every key here is a
 * key of the chart's `values.schema.json` with the same type, and the merged values pass that
 * schema: `test/spec/vcluster-values.test.ts` checks both against the chart in `../shared`.
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults';
import { virtualClusterNames } from '../model/names';
import { objectName, quantity } from './schema-fields';
import { Threat } from '../threats/threat';
import {
  bypassMessage, clusterWideMessage, GATEWAY_SYNC, hostAccessMessage, VCLUSTER_CLUSTER_WIDE_RIGHTS, VCLUSTER_SYNC_BYPASSES_GUARD_RAILS, VCLUSTER_HOST_ACCESS, VCLUSTER_NO_ISOLATION,
  VCLUSTER_RUNS_AS_ROOT, vclusterValueRisks,
} from '../threats/vcluster';

/** Dotted paths of the chart's keys the platform sets (or leaves at the chart's default) and tenants may not, with why. */
export const OWNED_PATHS = new Map<string, string>();

/** A chart key only the platform sets: refused with `reason` (and the threat, when it is one). */
function owned(path: string, reason: string, threat?: Threat) {
  OWNED_PATHS.set(path, reason);
  return z.unknown().superRefine((_, ctx) => {
    ctx.addIssue({ code: 'custom', message: reason, ...(threat ? { params: { threat: threat.id } } : {}) });
  }).optional();
}

/** Keys at `prefix` that the platform owns, each with the same reason. */
function ownedKeys(prefix: string, keys: readonly string[], reason: string, threat?: Threat) {
  return Object.fromEntries(keys.map((k) => [k, owned(`${prefix}${k}`, reason, threat)]));
}

const platformSets = (what: string) => `is set by the platform: ${what} — remove it`;
const GENERIC = platformSets('the platform runs every virtual cluster the same way, inside its tenant\'s namespace');

/** CPU, memory and ephemeral storage, under Kubernetes' names. */
const amounts = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional(), 'ephemeral-storage': quantity.optional() });
const resources = z.strictObject({ requests: amounts.optional(), limits: amounts.optional() });

/** A vCluster patch of synced objects (an expression, a reference or labels, at a path). */
const patch = z.strictObject({
  path: z.string(),
  expression: z.string().optional(),
  reverseExpression: z.string().optional(),
  reference: z.strictObject({
    apiVersion: z.string(),
    apiVersionPath: z.string().optional(),
    kind: z.string(),
    kindPath: z.string().optional(),
    namePath: z.string().optional(),
    namespacePath: z.string().optional(),
  }).optional(),
  labels: z.strictObject({}).optional(),
});
const patches = z.array(patch).optional();
const enabled = z.boolean().optional();
const switchWithPatches = z.strictObject({ enabled, patches });
/**
 * A switch the catalogue judges (`vclusterValueRisks`): a tenant may turn it off (or leave it),
 * and turning it on is refused by the check, with the threat's words.
 */
const judgedSwitch = z.strictObject({ enabled: z.boolean().optional() }).optional();
/** The same, for the switches whose default is `auto` (on with a virtual scheduler). */
const judgedAutoSwitch = z.strictObject({ enabled: z.union([z.boolean(), z.literal('auto')]).optional() }).optional();

const statefulSet = z.strictObject({
  resources: resources.optional(),
  persistence: z.strictObject({
    volumeClaim: z.strictObject({
      size: quantity.optional(),
      storageClass: objectName('standard').optional(),
      ...ownedKeys('controlPlane.statefulSet.persistence.volumeClaim.', ['enabled', 'accessModes', 'retentionPolicy'], GENERIC),
    }).optional(),
    ...ownedKeys('controlPlane.statefulSet.persistence.', ['addVolumes', 'dataVolume', 'binariesVolume'],
      hostAccessMessage('extra volumes of the control plane may be hostPath volumes'), VCLUSTER_HOST_ACCESS),
    ...ownedKeys('controlPlane.statefulSet.persistence.', ['volumeClaimTemplates', 'addVolumeMounts'], GENERIC),
  }).optional(),
  security: owned('controlPlane.statefulSet.security', platformSets(`the control plane runs as user ${DEFAULTS.vcluster.user} with the settings of Pod Security \`restricted\`, never as root as the chart would run it, one container escape from root on a node shared with other tenants`), VCLUSTER_RUNS_AS_ROOT),
  ...ownedKeys('controlPlane.statefulSet.', ['sidecarContainers', 'initContainers'],
    hostAccessMessage('containers added to the control plane pod run beside it with settings of their own'), VCLUSTER_HOST_ACCESS),
  image: owned('controlPlane.statefulSet.image', platformSets(`the open-source image \`${DEFAULTS.vcluster.image.repository}\`, pinned to the chart's ${DEFAULTS.vcluster.version}`)),
  ...ownedKeys('controlPlane.statefulSet.', [
    'highAvailability', 'scheduling', 'probes', 'enableServiceLinks', 'annotations', 'labels', 'pods', 'imagePullPolicy', 'workingDir', 'command', 'args',
    'env', 'dnsPolicy', 'dnsConfig', 'hostAliases', 'runtimeClassName',
  ], GENERIC),
});

const controlPlane = z.strictObject({
  statefulSet: statefulSet.optional(),
  distro: z.strictObject({
    k8s: z.strictObject({
      version: z.string().regex(/^v1\.\d+\.\d+$/, { error: 'is not a Kubernetes version of the `ghcr.io/loft-sh/kubernetes` images — write e.g. `v1.33.4`' }).optional(),
      ...ownedKeys('controlPlane.distro.k8s.', ['enabled', 'apiServer', 'controllerManager', 'scheduler', 'image', 'imagePullPolicy', 'env', 'resources', 'securityContext'], GENERIC),
    }).optional(),
  }).optional(),
  coredns: z.strictObject({
    deployment: z.strictObject({
      replicas: z.int().min(1).max(3).optional(),
      resources: resources.optional(),
      ...ownedKeys('controlPlane.coredns.deployment.', ['image', 'nodeSelector', 'affinity', 'tolerations', 'pods', 'annotations', 'labels', 'topologySpreadConstraints'], GENERIC),
    }).optional(),
    ...ownedKeys('controlPlane.coredns.', ['enabled', 'embedded', 'security', 'service', 'overwriteConfig', 'overwriteManifests', 'priorityClassName'], GENERIC),
  }).optional(),
  hostPathMapper: owned('controlPlane.hostPathMapper', hostAccessMessage('the host path mapper mounts the node\'s log folders'), VCLUSTER_HOST_ACCESS),
  ingress: owned('controlPlane.ingress', platformSets('owners reach the virtual cluster\'s API through `vcluster connect`; an Ingress of the chart would bypass the tenant\'s Traefik')),
  ...ownedKeys('controlPlane.', ['endpoint', 'standalone', 'backingStore', 'proxy', 'tlsRoute', 'service', 'serviceMonitor', 'advanced'], GENERIC),
});

const toHost = z.strictObject({
  pods: z.strictObject({
    enabled,
    translateImage: z.record(z.string(), z.string()).optional(),
    useSecretsForSATokens: z.boolean().optional(),
    rewriteHosts: z.strictObject({ enabled }).optional(),
    patches,
    enforceTolerations: z.array(z.string()).optional(),
    hybridScheduling: z.strictObject({ enabled, hostSchedulers: z.array(z.string()).optional() }).optional(),
    ...ownedKeys('sync.toHost.pods.', ['runtimeClassName', 'priorityClassName'], platformSets('every synced pod would get it, whatever the platform allows tenants')),
  }).optional(),
  secrets: z.strictObject({ enabled, all: z.boolean().optional(), patches }).optional(),
  configMaps: z.strictObject({ enabled, all: z.boolean().optional(), patches }).optional(),
  ingresses: z.strictObject({ enabled }).optional(),
  ...Object.fromEntries(['services', 'endpoints', 'endpointSlices', 'persistentVolumeClaims', 'serviceAccounts', 'podDisruptionBudgets'].map((k) => [k, switchWithPatches.optional()])),
  ...Object.fromEntries(['networkPolicies', 'namespaces', 'persistentVolumes', 'storageClasses', 'priorityClasses', 'resourceClaims', 'resourceClaimTemplates'].map((k) => [k, judgedSwitch])),
  gatewayApi: owned('sync.toHost.gatewayApi', bypassMessage(GATEWAY_SYNC), VCLUSTER_SYNC_BYPASSES_GUARD_RAILS),
  customResources: z.record(z.string(), z.strictObject({ enabled: z.boolean(), scope: z.literal('Namespaced').optional(), patches })).optional(),
  ...ownedKeys('sync.toHost.', ['volumeSnapshots', 'volumeSnapshotContents'], 'was removed in vcluster 0.36 — remove it'),
});

const FROM_HOST_KINDS = ['nodes', 'ingressClasses', 'gatewayClasses', 'gateways', 'runtimeClasses', 'priorityClasses', 'configMaps', 'secrets', 'deviceClasses'];
const FROM_HOST_AUTO_KINDS = ['storageClasses', 'csiNodes', 'csiDrivers', 'csiStorageCapacities'];
const fromHost = z.strictObject({
  events: switchWithPatches.optional(),
  ...Object.fromEntries(FROM_HOST_KINDS.map((k) => [k, judgedSwitch])),
  ...Object.fromEntries(FROM_HOST_AUTO_KINDS.map((k) => [k, judgedAutoSwitch])),
  customResources: owned('sync.fromHost.customResources', clusterWideMessage('syncing custom resources from the host'), VCLUSTER_CLUSTER_WIDE_RIGHTS),
  volumeSnapshotClasses: owned('sync.fromHost.volumeSnapshotClasses', 'was removed in vcluster 0.36 — remove it'),
});

/** Why the platform sets each top-level key a tenant may not. */
const NAMESPACE_GUARD_RAILS = platformSets('the tenant namespace\'s own ResourceQuota, LimitRange, NetworkPolicies and Pod Security label are the one source of its guard rails; vCluster\'s `policies` would be a second one, applied by the chart and weaker (its NetworkPolicy lets pods reach the metadata endpoint)');

/** The values a tenant may set (the `vcluster:` block of a tenant or of `platform.defaults`). */
export const vclusterValues = z.strictObject({
  controlPlane: controlPlane.optional(),
  sync: z.strictObject({ toHost: toHost.optional(), fromHost: fromHost.optional() }).optional(),
  logging: z.strictObject({ encoding: z.enum(['console', 'json']).optional() }).optional(),
  policies: owned('policies', NAMESPACE_GUARD_RAILS, VCLUSTER_NO_ISOLATION),
  rbac: owned('rbac', clusterWideMessage('changing the control plane\'s RBAC (its rights follow from what is synced)'), VCLUSTER_CLUSTER_WIDE_RIGHTS),
  integrations: owned('integrations', clusterWideMessage('an integration'), VCLUSTER_CLUSTER_WIDE_RIGHTS),
  networking: owned('networking', clusterWideMessage('replicating Services across namespaces, or DNS into the host cluster,'), VCLUSTER_CLUSTER_WIDE_RIGHTS),
  plugins: owned('plugins', hostAccessMessage('plugins run as containers of the control plane pod, with security settings and rights of their own'), VCLUSTER_HOST_ACCESS),
  plugin: owned('plugin', hostAccessMessage('plugins run as containers of the control plane pod, with security settings and rights of their own'), VCLUSTER_HOST_ACCESS),
  experimental: owned('experimental', hostAccessMessage('`experimental.deploy.host` applies manifests to the host'), VCLUSTER_HOST_ACCESS),
  exportKubeConfig: owned('exportKubeConfig', platformSets(`the admin kubeconfig goes to the Secret \`${virtualClusterNames('<tenant>').kubeconfigSecret}\`, the one the owners may read`)),
  telemetry: owned('telemetry', platformSets('telemetry is off: the control plane sends nothing out of the cluster')),
  ...ownedKeys('', ['global', 'deploy', 'privateNodes', 'serviceCIDR', 'pro', 'sleep', 'snapshots', 'deletion', 'platform'], GENERIC),
}).superRefine((values, ctx) => {
  // The catalogue's checks, on the values as written; values under a key the platform owns are refused there already.
  for (const risk of vclusterValueRisks(values as Record<string, unknown>)) {
    if (risk.path.some((_, k) => OWNED_PATHS.has(risk.path.slice(0, k + 1).join('.')))) continue;
    ctx.addIssue({ code: 'custom', path: [...risk.path], message: risk.message, params: { threat: risk.threat.id } });
  }
}, { when: () => true });

export type VclusterValuesInput = z.infer<typeof vclusterValues>;
