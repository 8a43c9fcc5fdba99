/**
 * Threats of virtual clusters (vCluster): a tenant's own API server whose pods still run in a
 * host namespace. What keeps other tenants safe is the host namespace's guard rails and what the
 * control plane's ServiceAccount may do on the host — so the dangerous settings are those that
 * copy objects across the boundary wholesale, give the control plane the node or the cluster,
 * or sync kinds the tenant could not write on the host itself.
 *
 * Each rule is a check over the chart's values (`ValueRisk`s at paths inside them), called by the
 * spec (a tenant's `vcluster:` block), the construct (`TenantVirtualCluster`'s values) and the
 * audit (values of foreign HelmReleases, Applications and rendered config Secrets); the audit
 * also reads what the rendered chart makes (its StatefulSet, its ClusterRole).
 */
import { DetectorRun, KubeObjectLike } from './detect/engine';
import { podSpecAt, POD_MAKING_KINDS } from './detect/pod-specs';
import { rulesOf } from './detect/rbac-analysis';
import { asArray, asRecord, asString, FieldPath } from './detect/values';
import { isVclusterObject, VALUES_FILE_KIND, valueAt, VclusterValues, vclusterValuesOf } from './detect/vcluster-installs';
import { none, Threat } from './threat';

/** A risky value: where it is inside the values, and what it does. */
export interface ValueRisk {
  readonly path: readonly string[];
  readonly message: string;
}

type Values = Record<string, unknown>;

const NOT_TENANT_OBJECTS = 'a virtual cluster is installed by the platform (its GitOps engine or `vcluster create`), never by a tenant, whose owners cannot write HelmReleases, Applications or the chart\'s objects';
const NOT_OUR_CHART_VALUES = 'the virtual cluster\'s values are the spec\'s, written inline into its HelmRelease or Application: they are not values of the tenant\'s chart';
const on = (v: unknown) => v === true || v === 'true';
const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.trim() !== '' : Object.keys(asRecord(v)).length > 0);

// ── The checks over values ─────────────────────────────────────────────────────────────

/** Message of `sync.toHost.secrets.all` / `configMaps.all`, for the spec and the audit. */
export const syncAllMessage = (kind: 'secrets' | 'configMaps') =>
  kind === 'secrets'
    ? 'syncs every Secret of the virtual cluster into the host namespace, its service-account tokens and credentials included, not only those its pods use — leave `all` false'
    : 'syncs every ConfigMap of the virtual cluster into the host namespace, whatever its admin keeps there, not only those its pods use — leave `all` false';
/** Message of `sync.fromHost.secrets` / `configMaps`. */
export const syncFromHostMessage = (kind: 'secrets' | 'configMaps') =>
  `reads ${kind === 'secrets' ? 'Secrets' : 'ConfigMaps'} of the host: the chart gives the control plane a ClusterRole that lists and watches every ${kind === 'secrets' ? 'Secret' : 'ConfigMap'} of the cluster, other tenants' included — leave it off`;

export function syncsAllObjects(values: Values): ValueRisk[] {
  const risks: ValueRisk[] = [];
  for (const kind of ['secrets', 'configMaps'] as const) {
    if (on(valueAt(values, ['sync', 'toHost', kind, 'all']))) risks.push({ path: ['sync', 'toHost', kind, 'all'], message: syncAllMessage(kind) });
    if (on(valueAt(values, ['sync', 'fromHost', kind, 'enabled']))) risks.push({ path: ['sync', 'fromHost', kind, 'enabled'], message: syncFromHostMessage(kind) });
  }
  return risks;
}

/** Kinds whose sync to the host needs cluster-wide rights (cluster-scoped objects, or every namespace). */
export const CLUSTER_WIDE_TO_HOST = ['namespaces', 'persistentVolumes', 'storageClasses', 'priorityClasses', 'resourceClaims', 'resourceClaimTemplates'] as const;
/** Kinds whose sync from the host needs a ClusterRole that reads them cluster-wide. */
export const CLUSTER_WIDE_FROM_HOST = ['nodes', 'ingressClasses', 'priorityClasses', 'runtimeClasses', 'gatewayClasses', 'gateways', 'deviceClasses'] as const;
/** Kinds synced from the host `auto`matically when the virtual scheduler is on; explicitly `true`, they need a ClusterRole. */
export const CLUSTER_WIDE_FROM_HOST_UNLESS_AUTO = ['storageClasses', 'csiDrivers', 'csiNodes', 'csiStorageCapacities'] as const;
/** The integrations, each of which gives the control plane cluster-wide rights (webhooks, CRDs, cluster-scoped stores). */
export const INTEGRATIONS = ['certManager', 'externalSecrets', 'istio', 'kubeVirt', 'metricsServer'] as const;

export const clusterWideMessage = (what: string) =>
  `${what} needs cluster-wide rights: the chart gives the control plane a ClusterRole and ClusterRoleBinding, and whoever runs the virtual cluster reaches beyond its namespace — leave it off`;

export function clusterWideRights(values: Values): ValueRisk[] {
  const risks: ValueRisk[] = [];
  const at = (path: string[], what: string) => risks.push({ path, message: clusterWideMessage(what) });
  for (const kind of CLUSTER_WIDE_TO_HOST) if (on(valueAt(values, ['sync', 'toHost', kind, 'enabled']))) at(['sync', 'toHost', kind, 'enabled'], `syncing ${kind} to the host`);
  if (on(valueAt(values, ['sync', 'toHost', 'pods', 'hybridScheduling', 'enabled']))) at(['sync', 'toHost', 'pods', 'hybridScheduling', 'enabled'], 'hybrid scheduling');
  for (const kind of CLUSTER_WIDE_FROM_HOST) if (on(valueAt(values, ['sync', 'fromHost', kind, 'enabled']))) at(['sync', 'fromHost', kind, 'enabled'], `syncing ${kind} from the host`);
  for (const kind of CLUSTER_WIDE_FROM_HOST_UNLESS_AUTO) {
    if (valueAt(values, ['sync', 'fromHost', kind, 'enabled']) === true) at(['sync', 'fromHost', kind, 'enabled'], `syncing ${kind} from the host`);
  }
  if (nonEmpty(valueAt(values, ['sync', 'fromHost', 'customResources']))) at(['sync', 'fromHost', 'customResources'], 'syncing custom resources from the host');
  if (nonEmpty(valueAt(values, ['networking', 'replicateServices', 'fromHost']))) at(['networking', 'replicateServices', 'fromHost'], 'replicating Services from the host');
  for (const key of ['extraRules', 'overwriteRules']) {
    if (nonEmpty(valueAt(values, ['rbac', 'clusterRole', key]))) at(['rbac', 'clusterRole', key], `\`rbac.clusterRole.${key}\``);
  }
  if (valueAt(values, ['rbac', 'clusterRole', 'enabled']) === true) at(['rbac', 'clusterRole', 'enabled'], 'a ClusterRole for the control plane');
  for (const name of INTEGRATIONS) if (on(valueAt(values, ['integrations', name, 'enabled']))) at(['integrations', name, 'enabled'], `the ${name} integration`);
  if (on(valueAt(values, ['controlPlane', 'distro', 'k8s', 'scheduler', 'enabled']))) at(['controlPlane', 'distro', 'k8s', 'scheduler', 'enabled'], 'a virtual scheduler');
  return risks;
}

/** Whether a container or pod security context grants the node: privileged, or added capabilities beyond NET_BIND_SERVICE. */
function grantsNode(securityContext: unknown): string | undefined {
  const sc = asRecord(securityContext);
  if (sc.privileged === true) return 'privileged';
  const added = asArray(asRecord(sc.capabilities).add).filter((c) => c !== 'NET_BIND_SERVICE');
  return added.length > 0 ? `adds capabilities ${added.map(String).join(', ')}` : undefined;
}

export const hostAccessMessage = (what: string) =>
  `${what} — the control plane's pod shares a node with other tenants' pods: leave it out`;

export function hostAccess(values: Values): ValueRisk[] {
  const risks: ValueRisk[] = [];
  const statefulSet = ['controlPlane', 'statefulSet'];
  const csc = grantsNode(valueAt(values, [...statefulSet, 'security', 'containerSecurityContext']));
  if (csc) risks.push({ path: [...statefulSet, 'security', 'containerSecurityContext'], message: hostAccessMessage(`the control plane container is ${csc}`) });
  for (const key of ['addVolumes', 'dataVolume', 'binariesVolume']) {
    asArray(valueAt(values, [...statefulSet, 'persistence', key])).forEach((v, k) => {
      if (asRecord(v).hostPath !== undefined) risks.push({ path: [...statefulSet, 'persistence', key, String(k)], message: hostAccessMessage('a hostPath volume exposes the node\'s files') });
    });
  }
  for (const key of ['sidecarContainers', 'initContainers']) {
    asArray(valueAt(values, [...statefulSet, key])).forEach((c, k) => {
      const what = grantsNode(asRecord(c).securityContext);
      if (what) risks.push({ path: [...statefulSet, key, String(k)], message: hostAccessMessage(`container \`${asString(asRecord(c).name) ?? k}\` is ${what}`) });
    });
  }
  for (const key of ['plugins', 'plugin']) {
    for (const [name, plugin] of Object.entries(asRecord(values[key]))) {
      const what = grantsNode(asRecord(plugin).securityContext);
      if (what) risks.push({ path: [key, name], message: hostAccessMessage(`plugin \`${name}\` is ${what}`) });
    }
  }
  if (on(valueAt(values, ['controlPlane', 'advanced', 'kubeVip', 'enabled']))) {
    risks.push({ path: ['controlPlane', 'advanced', 'kubeVip', 'enabled'], message: hostAccessMessage('kube-vip adds NET_ADMIN and NET_RAW to the control plane container') });
  }
  for (const key of ['manifests', 'manifestsTemplate']) {
    if (nonEmpty(valueAt(values, ['experimental', 'deploy', 'host', key]))) {
      risks.push({ path: ['experimental', 'deploy', 'host', key], message: hostAccessMessage('manifests applied to the host by the control plane bypass the platform\'s review of what lands in the namespace') });
    }
  }
  return risks;
}

export const RUNS_AS_ROOT_MESSAGE = 'the control plane runs as root (the chart\'s default `runAsUser: 0`): one container escape from root on a node shared with other tenants — set `runAsUser` to a non-zero id and `runAsNonRoot: true`';

/** The control plane runs as root unless the values (over the chart's `runAsUser: 0`) say otherwise. */
export function runsAsRoot(values: Values): ValueRisk[] {
  const path = ['controlPlane', 'statefulSet', 'security', 'containerSecurityContext'];
  const sc = asRecord(valueAt(values, path));
  const user = sc.runAsUser ?? 0;
  return user === 0 && sc.runAsNonRoot !== true ? [{ path, message: RUNS_AS_ROOT_MESSAGE }] : [];
}

/**
 * Custom resources a tenant may have synced to its namespace: the kinds its owners may write
 * there in namespace tenancy (routes, Middlewares, Certificates, ExternalSecrets). Anything else —
 * Issuers, TLS options and stores, SecretStores — is a guard rail the platform writes.
 */
export const TENANT_CUSTOM_RESOURCES: readonly string[] = [
  'certificates.cert-manager.io', 'ingressroutes.traefik.io', 'ingressroutetcps.traefik.io', 'ingressrouteudps.traefik.io',
  'middlewares.traefik.io', 'middlewaretcps.traefik.io', 'traefikservices.traefik.io', 'externalsecrets.external-secrets.io',
];
/** Custom resources that are guard rails of a tenant namespace: syncing them lets the virtual cluster write them. */
export const GUARD_RAIL_CUSTOM_RESOURCES: readonly string[] = [
  'issuers.cert-manager.io', 'tlsoptions.traefik.io', 'tlsstores.traefik.io', 'serverstransports.traefik.io', 'serverstransporttcps.traefik.io',
  'secretstores.external-secrets.io', 'certificaterequestpolicies.policy.cert-manager.io',
];

export const bypassMessage = (what: string) =>
  `${what}, which the tenant's owners may not write on the host themselves: the virtual cluster would write them for its admin — leave it off`;
export const NETWORK_POLICY_SYNC = 'syncs NetworkPolicies into the host namespace: they add allows to its default deny (egress to the metadata endpoint, ingress from anywhere)';
export const GATEWAY_SYNC = 'syncs Gateway API objects into the host namespace: Gateways beside the tenant\'s own Traefik, on the platform\'s GatewayClasses';
export const TOLERATIONS_SYNC = 'adds tolerations to every pod: they schedule onto nodes the platform keeps for others (control plane, dedicated pools)';
export const customResourceMessage = (name: string) => `syncs \`${name}\` into the host namespace`;

/** Which `customResources` keys (`<plural>.<group>` or with a version after `/`) a check should judge. */
const resourceName = (key: string) => key.split('/')[0];

export function bypassesGuardRails(values: Values, customResourceJudged: (name: string) => boolean = (name) => GUARD_RAIL_CUSTOM_RESOURCES.includes(name)): ValueRisk[] {
  const risks: ValueRisk[] = [];
  if (on(valueAt(values, ['sync', 'toHost', 'networkPolicies', 'enabled']))) risks.push({ path: ['sync', 'toHost', 'networkPolicies', 'enabled'], message: bypassMessage(NETWORK_POLICY_SYNC) });
  const gateway = asRecord(valueAt(values, ['sync', 'toHost', 'gatewayApi']));
  const gatewayOn = on(gateway.enabled) || Object.values(gateway).some((v) => on(asRecord(v).enabled));
  if (gatewayOn) risks.push({ path: ['sync', 'toHost', 'gatewayApi'], message: bypassMessage(GATEWAY_SYNC) });
  if (nonEmpty(valueAt(values, ['sync', 'toHost', 'pods', 'enforceTolerations']))) {
    risks.push({ path: ['sync', 'toHost', 'pods', 'enforceTolerations'], message: bypassMessage(TOLERATIONS_SYNC) });
  }
  for (const [key, entry] of Object.entries(asRecord(valueAt(values, ['sync', 'toHost', 'customResources'])))) {
    if (on(asRecord(entry).enabled) && customResourceJudged(resourceName(key))) {
      risks.push({ path: ['sync', 'toHost', 'customResources', key], message: bypassMessage(customResourceMessage(resourceName(key))) });
    }
  }
  return risks;
}

// ── Audit: installs and the rendered chart ─────────────────────────────────────────────

/** The kinds that may hold vcluster values. */
const VALUE_KINDS = ['HelmRelease', 'Application', 'Secret', VALUES_FILE_KIND];

/**
 * A detector over every vcluster install's values: `check` judges them; a finding inside values
 * written as a mapping is reported at its own path, one inside text (Argo CD's `helm.values`, the
 * config Secret) at the text.
 */
function overInstalls(check: (install: VclusterValues) => ValueRisk[], rendered?: (run: DetectorRun, o: KubeObjectLike, i: number) => void) {
  return (run: DetectorRun) => ({
    kinds: [...VALUE_KINDS, ...(rendered ? [...POD_MAKING_KINDS, 'ClusterRole'] : [])],
    visit: (o: KubeObjectLike, i: number) => {
      const install = VALUE_KINDS.includes(o.kind) ? vclusterValuesOf(o, i) : undefined;
      if (install) {
        const inText = install.kind === 'merged' || install.at.slice(-2).join('.') === 'helm.values';
        for (const risk of check(install)) run.report(i, `${describeAt(install)}: \`${risk.path.join('.')}\`: ${risk.message}`, inText ? install.at : [...install.at, ...risk.path]);
        return;
      }
      if (rendered && isVclusterObject(o)) rendered(run, o, i);
    },
  });
}

const describeAt = (install: VclusterValues) => (install.namespace === undefined ? 'vcluster values' : `vcluster in \`${install.namespace}\``);

/** The containers of a rendered vcluster pod template, with their paths. */
function containersOf(o: KubeObjectLike): { spec: Record<string, unknown>; path: FieldPath; containers: Array<{ c: Record<string, unknown>; path: FieldPath }> } | undefined {
  const pod = podSpecAt(o);
  if (!pod) return undefined;
  const containers: Array<{ c: Record<string, unknown>; path: FieldPath }> = [];
  for (const field of ['containers', 'initContainers']) {
    asArray(pod.spec[field]).forEach((c, k) => containers.push({ c: asRecord(c), path: [...pod.path, field, k] }));
  }
  return { ...pod, containers };
}

/** The rules of a rendered vcluster ClusterRole beyond reading CustomResourceDefinitions (what syncing custom resources needs). */
function clusterRulesBeyondCrds(o: KubeObjectLike): Array<{ rule: ReturnType<typeof rulesOf>[number]; k: number }> {
  return rulesOf(o.rules).map((rule, k) => ({ rule, k })).filter(({ rule }) =>
    !(rule.apiGroups.every((g) => g === 'apiextensions.k8s.io') && rule.resources.every((r) => r === 'customresourcedefinitions')
      && rule.verbs.every((v) => ['get', 'list', 'watch'].includes(v))));
}

export const VCLUSTER_SYNCS_ALL_SECRETS: Threat = {
  id: 'vcluster-syncs-all-secrets',
  family: 'vcluster',
  severity: 'critical',
  title: 'A virtual cluster copies every Secret or ConfigMap across the host boundary',
  why: '`sync.toHost.secrets.all` (or `configMaps.all`) copies every Secret of the virtual cluster — service-account tokens and whatever its admin stores — into the host namespace, where the host\'s controllers and anyone reading the namespace see them; `sync.fromHost.secrets` (or `configMaps`) makes the chart give the control plane a ClusterRole that lists and watches every Secret of the cluster, every tenant\'s included, and its admin can read them through the virtual cluster.',
  fix: 'Sync only what the virtual cluster\'s pods use (the default, `all: false`), and nothing from the host.',
  spec: { fields: ['tenants[].vcluster.sync.toHost.secrets.all', 'tenants[].vcluster.sync.toHost.configMaps.all', 'tenants[].vcluster.sync.fromHost.secrets', 'tenants[].vcluster.sync.fromHost.configMaps'] },
  construct: { props: ['TenantVirtualCluster.values'] },
  values: none(NOT_OUR_CHART_VALUES),
  admission: none(NOT_TENANT_OBJECTS),
  audit: {
    scope: 'all',
    looksFor: 'A vcluster install — a Flux HelmRelease or Argo CD Application of the `vcluster` chart, or the rendered chart\'s `vc-config-<name>` Secret — whose values sync all Secrets or ConfigMaps to the host or any from it; a rendered vcluster ClusterRole that reads Secrets or ConfigMaps cluster-wide.',
    detect: overInstalls((install) => syncsAllObjects(install.values), (run, o, i) => {
      if (o.kind !== 'ClusterRole') return;
      rulesOf(o.rules).forEach((rule, k) => {
        const read = rule.resources.filter((r) => r === 'secrets' || r === 'configmaps' || r === '*');
        if (read.length > 0 && rule.verbs.some((v) => v === 'list' || v === 'watch' || v === '*')) {
          run.report(i, `vcluster ClusterRole lists ${read.join(', ')} in every namespace`, ['rules', k]);
        }
      });
    }),
  },
};

export const VCLUSTER_HOST_ACCESS: Threat = {
  id: 'vcluster-host-access',
  family: 'vcluster',
  severity: 'critical',
  title: 'A virtual cluster\'s own pods reach into the node',
  why: 'The control plane runs as a pod on the shared nodes: a privileged container, added capabilities, a hostPath volume, the host network, a plugin or sidecar with any of them, or manifests it applies to the host itself give whoever controls the virtual cluster the node — and every tenant\'s pods on it.',
  fix: 'Run the control plane as the chart runs it unprivileged, with no hostPath, no plugins or sidecars with privileges, and nothing applied to the host; TenantVirtualCluster sets this and refuses the values that change it.',
  spec: { fields: ['tenants[].vcluster.controlPlane.statefulSet.persistence.addVolumes', 'tenants[].vcluster.controlPlane.statefulSet.sidecarContainers', 'tenants[].vcluster.plugins', 'tenants[].vcluster.experimental'] },
  construct: { props: ['TenantVirtualCluster.values'] },
  values: none(NOT_OUR_CHART_VALUES),
  admission: none(NOT_TENANT_OBJECTS),
  audit: {
    scope: 'all',
    looksFor: 'A vcluster install whose values make the control plane (or a plugin, sidecar or init container of it) privileged, add capabilities, mount a hostPath or apply manifests to the host; a rendered vcluster StatefulSet or Deployment with a privileged container, a hostPath volume or a host namespace.',
    detect: overInstalls((install) => hostAccess(install.values), (run, o, i) => {
      const pod = containersOf(o);
      if (!pod) return;
      for (const { c, path } of pod.containers) {
        const what = grantsNode(c.securityContext);
        if (what) run.report(i, `vcluster container \`${asString(c.name) ?? '?'}\` is ${what}`, path);
      }
      asArray(pod.spec.volumes).forEach((v, k) => {
        if (asRecord(v).hostPath !== undefined) run.report(i, `vcluster pod mounts hostPath volume \`${asString(asRecord(v).name) ?? k}\``, [...pod.path, 'volumes', k]);
      });
      const shared = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => pod.spec[f] === true);
      if (shared.length > 0) run.report(i, `vcluster pod shares the node's ${shared.join(', ')}`, [...pod.path, shared[0]]);
    }),
  },
};

export const VCLUSTER_RUNS_AS_ROOT: Threat = {
  id: 'vcluster-runs-as-root',
  family: 'vcluster',
  severity: 'high',
  title: 'A virtual cluster\'s control plane runs as root',
  why: 'The vcluster chart runs its control plane as `runAsUser: 0` unless told otherwise: the API server, the controllers and the syncer of a tenant\'s cluster then run as root on a node shared with other tenants, one container escape from root on the node. Pod Security `restricted` refuses such a pod, so where it runs the namespace does not enforce `restricted`.',
  fix: 'Set `controlPlane.statefulSet.security.containerSecurityContext` to a non-zero `runAsUser` with `runAsNonRoot: true` (and `podSecurityContext.fsGroup` for its volume), as TenantVirtualCluster does.',
  spec: { fields: ['tenants[].vcluster.controlPlane.statefulSet.security'] },
  construct: { props: ['TenantVirtualCluster.values'] },
  values: none(NOT_OUR_CHART_VALUES),
  admission: none(NOT_TENANT_OBJECTS),
  audit: {
    scope: 'all',
    looksFor: 'A vcluster install whose values leave the control plane\'s `runAsUser` at the chart\'s 0 without `runAsNonRoot: true`; a rendered vcluster StatefulSet or Deployment whose containers run as user 0 or without `runAsNonRoot`.',
    detect: overInstalls((install) => runsAsRoot(install.values), (run, o, i) => {
      const pod = containersOf(o);
      if (!pod) return;
      const podSc = asRecord(pod.spec.securityContext);
      for (const { c, path } of pod.containers) {
        const sc = asRecord(c.securityContext);
        const user = sc.runAsUser ?? podSc.runAsUser;
        if (user === 0 || (sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) run.report(i, `vcluster container \`${asString(c.name) ?? '?'}\` may run as root`, path);
      }
    }),
  },
};

export const VCLUSTER_CLUSTER_WIDE_RIGHTS: Threat = {
  id: 'vcluster-cluster-wide-rights',
  family: 'vcluster',
  severity: 'high',
  title: 'A virtual cluster with rights beyond its namespace',
  why: 'By default the chart binds its control plane to a Role in its own namespace. Syncing cluster-scoped kinds (namespaces, PersistentVolumes, StorageClasses, PriorityClasses), reading nodes, classes or Services from the host, integrations, a virtual scheduler or extra ClusterRole rules make it add a ClusterRole: the virtual cluster\'s admin then creates namespaces, PriorityClasses that preempt other tenants, or reads what other tenants have.',
  fix: 'Keep the control plane to its namespace: sync namespaced kinds only; the only cluster-wide right it needs is reading CustomResourceDefinitions, to sync custom resources such as Certificates.',
  spec: {
    fields: [
      'tenants[].vcluster.sync.toHost.namespaces', 'tenants[].vcluster.sync.toHost.priorityClasses', 'tenants[].vcluster.sync.toHost.persistentVolumes', 'tenants[].vcluster.sync.toHost.storageClasses',
      'tenants[].vcluster.sync.fromHost.nodes', 'tenants[].vcluster.rbac', 'tenants[].vcluster.integrations', 'tenants[].vcluster.networking',
    ],
  },
  construct: { props: ['TenantVirtualCluster.values'] },
  values: none(NOT_OUR_CHART_VALUES),
  admission: none(NOT_TENANT_OBJECTS),
  audit: {
    scope: 'all',
    looksFor: 'A vcluster install whose values sync cluster-scoped kinds, read nodes, classes, Services or custom resources from the host, turn on an integration or a virtual scheduler, or add ClusterRole rules; a rendered vcluster ClusterRole with rules beyond reading CustomResourceDefinitions.',
    detect: overInstalls((install) => clusterWideRights(install.values), (run, o, i) => {
      if (o.kind !== 'ClusterRole') return;
      for (const { rule, k } of clusterRulesBeyondCrds(o)) {
        run.report(i, `vcluster ClusterRole grants ${rule.verbs.join(', ')} on ${rule.resources.join(', ')} in every namespace`, ['rules', k]);
      }
    }),
  },
};

/** vCluster's own `policies` that stand in for a guard rail, when the values turn them on. */
function ownPolicies(values: Values): { quota: boolean; networkPolicy: boolean; podSecurity: boolean } {
  const quota = valueAt(values, ['policies', 'resourceQuota', 'enabled']);
  const limits = valueAt(values, ['policies', 'limitRange', 'enabled']);
  return {
    quota: on(quota) || (quota === 'auto' && on(limits)),
    networkPolicy: on(valueAt(values, ['policies', 'networkPolicy', 'enabled'])),
    podSecurity: ['baseline', 'restricted'].includes(String(valueAt(values, ['policies', 'podSecurityStandard']))),
  };
}

export const VCLUSTER_NO_ISOLATION: Threat = {
  id: 'vcluster-no-isolation',
  family: 'vcluster',
  severity: 'high',
  title: 'A virtual cluster in a namespace without guard rails',
  why: 'A virtual cluster isolates APIs, not workloads: its pods run in its host namespace on shared nodes. Without an enforced Pod Security level, a default-deny NetworkPolicy and a ResourceQuota there (or vCluster\'s own `policies` standing in for them), its admin runs privileged pods on the nodes, reaches other tenants\' pods and the metadata endpoint, and takes every node\'s capacity.',
  fix: 'Install each virtual cluster into a tenant namespace with its guard rails (`isolation: vcluster` does), and keep one source of them: the namespace\'s own, not also vCluster\'s `policies`.',
  spec: { fields: ['tenants[].vcluster.policies'] },
  construct: { props: ['TenantVirtualCluster.values'] },
  values: none(NOT_OUR_CHART_VALUES),
  admission: none(NOT_TENANT_OBJECTS),
  audit: {
    scope: 'all',
    looksFor: 'A vcluster install (values or rendered StatefulSet) in a namespace whose Namespace in the input enforces no Pod Security level, or that has no default-deny NetworkPolicy or no ResourceQuota — unless the install\'s own `policies` stand in for the missing one.',
    detect: (run) => {
      const installs: Array<{ index: number; namespace: string; values: Values }> = [];
      return {
        kinds: [...VALUE_KINDS, ...POD_MAKING_KINDS],
        visit: (o, i) => {
          const install = VALUE_KINDS.includes(o.kind) ? vclusterValuesOf(o, i) : undefined;
          if (install?.namespace !== undefined) installs.push({ index: i, namespace: install.namespace, values: install.values });
          else if (!install && isVclusterObject(o) && podSpecAt(o) && asString(o.metadata?.namespace)) installs.push({ index: i, namespace: o.metadata.namespace!, values: {} });
        },
        finish: () => {
          const unjudged = new Set<string>();
          for (const install of installs) {
            const facts = run.index.namespaces.get(install.namespace);
            if (facts?.namespaceIndex === undefined) {
              unjudged.add(install.namespace);
              continue;
            }
            const labels = run.index.namespaceLabels.get(install.namespace) ?? {};
            const own = ownPolicies(install.values);
            const missing = [
              ...(['baseline', 'restricted'].includes(labels['pod-security.kubernetes.io/enforce'] ?? '') || own.podSecurity ? [] : ['enforced Pod Security level']),
              ...((facts.denyIngress && facts.denyEgress) || own.networkPolicy ? [] : ['default-deny NetworkPolicy']),
              ...(facts.quota || own.quota ? [] : ['ResourceQuota']),
            ];
            if (missing.length > 0) run.report(install.index, `vcluster in namespace \`${install.namespace}\`, which has no ${missing.join(', no ')}`, [], run.tenants.has(install.namespace) ? install.namespace : undefined);
          }
          if (unjudged.size > 0) {
            run.note(`vcluster installed in namespace${unjudged.size === 1 ? '' : 's'} ${[...unjudged].sort().map((n) => `\`${n}\``).join(', ')}, whose Namespace is not in the input: ${unjudged.size === 1 ? 'its' : 'their'} guard rails were not judged.`);
          }
        },
      };
    },
  },
};

export const VCLUSTER_SYNC_BYPASSES_GUARD_RAILS: Threat = {
  id: 'vcluster-sync-bypasses-guard-rails',
  family: 'vcluster',
  severity: 'medium',
  title: 'A virtual cluster syncs objects its tenant may not write on the host',
  why: 'The control plane writes what it syncs into the host namespace with its own rights, not the owners\': synced NetworkPolicies add allows to the namespace\'s default deny (egress to the metadata endpoint), synced Gateways sit beside the tenant\'s Traefik on the platform\'s GatewayClasses, synced Issuers, TLS options or SecretStores replace the platform\'s, and enforced tolerations put the tenant\'s pods on nodes kept for others.',
  fix: 'Sync only kinds the owners may write themselves (workloads, Services, Ingresses, Certificates, Traefik routes and Middlewares); the admission policies then judge them as they judge the owners\'.',
  spec: {
    fields: [
      'tenants[].vcluster.sync.toHost.networkPolicies.enabled', 'tenants[].vcluster.sync.toHost.gatewayApi', 'tenants[].vcluster.sync.toHost.customResources',
      'tenants[].vcluster.sync.toHost.pods.enforceTolerations',
    ],
  },
  construct: { props: ['TenantVirtualCluster.values'] },
  values: none(NOT_OUR_CHART_VALUES),
  admission: none(NOT_TENANT_OBJECTS),
  audit: {
    scope: 'all',
    looksFor: `A vcluster install whose values sync NetworkPolicies or Gateway API objects to the host, enforce tolerations on its pods, or sync a guard rail's custom resource (${GUARD_RAIL_CUSTOM_RESOURCES.map((r) => `\`${r}\``).join(', ')}).`,
    detect: overInstalls((install) => bypassesGuardRails(install.values)),
  },
};

export const VCLUSTER_THREATS: readonly Threat[] = [
  VCLUSTER_SYNCS_ALL_SECRETS, VCLUSTER_HOST_ACCESS, VCLUSTER_RUNS_AS_ROOT, VCLUSTER_CLUSTER_WIDE_RIGHTS, VCLUSTER_NO_ISOLATION, VCLUSTER_SYNC_BYPASSES_GUARD_RAILS,
];

/** Every risky value of a tenant's `vcluster:` block, with the threat it is (the spec and the construct call it). */
export function vclusterValueRisks(values: Values): Array<ValueRisk & { readonly threat: Threat }> {
  const tag = (threat: Threat, risks: ValueRisk[]) => risks.map((r) => ({ ...r, threat }));
  return [
    ...tag(VCLUSTER_SYNCS_ALL_SECRETS, syncsAllObjects(values)),
    ...tag(VCLUSTER_HOST_ACCESS, hostAccess(values)),
    ...tag(VCLUSTER_CLUSTER_WIDE_RIGHTS, clusterWideRights(values)),
    ...tag(VCLUSTER_SYNC_BYPASSES_GUARD_RAILS, bypassesGuardRails(values, (name) => !TENANT_CUSTOM_RESOURCES.includes(name))),
  ];
}
