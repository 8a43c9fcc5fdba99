/**
 * The rules of a fleet (`clusters:`) that need the whole spec: every tenant on a cluster the
 * fleet declares, each cluster reached once, names that hold on every cluster a tenant could
 * land on, and a cluster tenant's Cluster API cluster fully named. Like `checkSpec`, they read the
 * input defensively (a field of the wrong type was already refused by the shape check) and report
 * every problem at its path.
 */
import { DEFAULTS } from '../defaults';
import { clusterApiKubeconfigSecret, MAX_CLUSTER_NAME_LENGTH, tenantClusterName } from '../model/names';
import { closest } from './errors';
import { ARGOCD_IN_CLUSTER, clusterDestinationClashes, DestinationEngine, ONE_DESTINATION_ONE_CLUSTER } from '../threats/gitops';
import { RESERVED_NAMESPACE } from '../threats/namespaces';
import { Threat } from '../threats/threat';

/** Reports a problem at a path of the spec. */
export type Refuse = (path: PropertyKey[], message: string, threat?: Threat) => void;

/** The refusal of a management namespace written in a tenant's `clusterApi`. */
export const TENANT_CLUSTER_API_NAMESPACE_REFUSAL =
  'the management namespace is the platform\'s: every Cluster API cluster of the fleet lives in `platform.clusterApi.namespace`, where tenants have no rights — remove it here';

/**
 * The refusal of a virtual-cluster tenant in a fleet: its chart is installed by a Flux HelmRelease
 * or Argo CD Application that, in a fleet, would have to live on the management cluster and reach
 * the tenant's cluster, which is not rendered yet.
 */
export const VCLUSTER_IN_FLEET_REFUSAL =
  'a virtual cluster in a fleet is not rendered yet: its chart would be installed from the management cluster into the tenant\'s cluster, which this tool does not do — use `isolation: namespace` or `cluster` in a fleet, or render this tenant from a spec without `clusters`';

/** One cluster as the rules read it. */
interface ClusterFacts {
  readonly name: string;
  readonly index: number;
  readonly platformNamespace?: string;
  readonly server?: string;
  readonly destinationName?: string;
  readonly kubeConfigSecret?: string;
}

/** The cluster a tenant is placed on: its own `cluster`, else the fleet's first cluster. */
export function placedOn(tenant: Record<string, unknown>, firstCluster: string | undefined): string | undefined {
  return isString(tenant.cluster) ? tenant.cluster : firstCluster;
}

/** Whether a tenant (or the defaults it inherits) asks for a cluster of its own. */
export function isClusterTenant(tenant: Record<string, unknown>, defaults: Record<string, unknown>): boolean {
  return (tenant.isolation ?? defaults.isolation) === 'cluster';
}

/** Every fleet rule; `spec` is the raw input. */
export function checkFleet(spec: Record<string, unknown>, refuse: Refuse): void {
  const platformInput = asRecord(spec.platform);
  const defaults = asRecord(platformInput.defaults);
  const tenants = Array.isArray(spec.tenants) ? spec.tenants.map(asRecord) : [];
  if (!Array.isArray(spec.clusters)) {
    checkWithoutFleet(tenants, defaults, refuse);
    return;
  }
  const clusters = clusterFacts(spec.clusters);
  const byName = new Map<string, ClusterFacts>();
  for (const cluster of clusters) {
    const first = byName.get(cluster.name);
    if (first) refuse(['clusters', cluster.index, 'name'], `cluster \`${cluster.name}\` is listed twice (first as clusters[${first.index}]) — rename one or merge them`);
    else byName.set(cluster.name, cluster);
  }
  checkDestinations(clusters, asRecord(platformInput.gitops), refuse);

  const clusterApi = asRecord(platformInput.clusterApi);
  const managementNamespace = isString(clusterApi.namespace) ? clusterApi.namespace : DEFAULTS.platform.clusterApi.namespace;
  const anyClusterTenant = tenants.some((t) => isClusterTenant(t, defaults));
  let virtualByDefault = false;
  tenants.forEach((tenant, i) => {
    const at = (...rest: PropertyKey[]) => ['tenants', i, ...rest];
    const name = isString(tenant.name) ? tenant.name : undefined;
    if (name !== undefined) {
      const platformOf = clusters.find((c) => c.platformNamespace === name);
      if (platformOf) {
        refuse(at('name'), `\`${name}\` is the platform namespace of cluster \`${platformOf.name}\`, which holds every Traefik of its tenants — choose another tenant name (a tenant may move to any cluster of the fleet)`, RESERVED_NAMESPACE);
      } else if (anyClusterTenant && name === managementNamespace) {
        refuse(at('name'), `\`${name}\` is the management namespace of the fleet's Cluster API clusters (\`platform.clusterApi.namespace\`) — choose another tenant name`, RESERVED_NAMESPACE);
      }
    }
    if (isClusterTenant(tenant, defaults)) {
      checkClusterTenant(tenant, name, clusterApi, managementNamespace, byName, at, refuse);
      if (name !== undefined) checkOwnClusterDestination(name, clusters, asRecord(platformInput.gitops), managementNamespace, at, refuse);
      return;
    }
    if (tenant.isolation === 'vcluster') refuse(at('isolation'), VCLUSTER_IN_FLEET_REFUSAL);
    else if (tenant.isolation === undefined && defaults.isolation === 'vcluster') virtualByDefault = true;
    if (tenant.clusterApi !== undefined) {
      refuse(at('clusterApi'), 'only a tenant with a cluster of its own (`isolation: cluster`) has a Cluster API cluster — remove `clusterApi`, or set `isolation: cluster`');
    }
    if (isString(tenant.cluster) && !byName.has(tenant.cluster)) {
      const names = [...byName.keys()];
      const guess = closest(tenant.cluster, names);
      refuse(at('cluster'), `\`${tenant.cluster}\` is not a cluster of this fleet — use one of ${names.map((n) => `\`${n}\``).join(', ')}${guess ? ` (did you mean \`${guess}\`?)` : ''}, or add it under \`clusters\``);
    }
  });
  if (virtualByDefault) refuse(['platform', 'defaults', 'isolation'], VCLUSTER_IN_FLEET_REFUSAL);
}

/** Without `clusters`, a tenant can be placed on no cluster, and none can have a cluster of its own. */
function checkWithoutFleet(tenants: readonly Record<string, unknown>[], defaults: Record<string, unknown>, refuse: Refuse): void {
  const noFleet = 'and the spec declares no `clusters` — list the fleet\'s clusters under `clusters` (the clusters tenants share)';
  if (defaults.isolation === 'cluster') refuse(['platform', 'defaults', 'isolation'], `gives every tenant a cluster of its own, ${noFleet}, or remove it`);
  tenants.forEach((tenant, i) => {
    if (isString(tenant.cluster)) refuse(['tenants', i, 'cluster'], `names cluster \`${tenant.cluster}\`, ${noFleet}, or remove \`cluster\``);
    if (tenant.isolation === 'cluster') refuse(['tenants', i, 'isolation'], `gives this tenant a cluster of its own, ${noFleet}, or use \`isolation: namespace\``);
  });
}

/** A cluster tenant: on no shared cluster, named apart from the fleet's clusters, its Cluster API cluster fully named. */
function checkClusterTenant(
  tenant: Record<string, unknown>,
  name: string | undefined,
  clusterApi: Record<string, unknown>,
  managementNamespace: string,
  clusters: ReadonlyMap<string, ClusterFacts>,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  refuse: Refuse,
): void {
  if (tenant.cluster !== undefined) {
    refuse(at('cluster'), 'this tenant has a cluster of its own (`isolation: cluster`), so it is placed on no shared cluster — remove `cluster`');
  }
  const declared = name === undefined ? undefined : clusters.get(name);
  if (name !== undefined && name.length > MAX_CLUSTER_NAME_LENGTH) {
    refuse(at('name'), `\`${name}\` is ${name.length} characters; a cluster tenant's cluster is named after it, and so are its GitOps objects (\`tenancy-platform-<tenant>\`, which must fit in 63) — use at most ${MAX_CLUSTER_NAME_LENGTH} characters`);
  } else if (declared) {
    refuse(at('name'), `\`${name}\` is also the name of a cluster of the fleet (clusters[${declared.index}]), and a cluster tenant's own cluster is named after the tenant — rename the tenant or the cluster`);
  }
  const own = asRecord(tenant.clusterApi);
  const who = name === undefined ? 'this tenant' : `tenant \`${name}\``;
  if (own.clusterClass === undefined && clusterApi.clusterClass === undefined) {
    refuse(at('clusterApi', 'clusterClass'), `${who} has a cluster of its own (\`isolation: cluster\`), and no ClusterClass is named for it — set \`platform.clusterApi.clusterClass\` (or this tenant's \`clusterApi.clusterClass\`) to a ClusterClass in the management namespace \`${managementNamespace}\``);
  }
  if (own.version === undefined && clusterApi.version === undefined) {
    refuse(at('clusterApi', 'version'), `${who} has a cluster of its own (\`isolation: cluster\`), and no Kubernetes version is named for it — set \`platform.clusterApi.version\` (or this tenant's \`clusterApi.version\`), e.g. \`v1.33.1\``);
  }
}

/**
 * A cluster tenant's own cluster is reached as Argo CD registers it (under the tenant's name) or
 * through the kubeconfig Secret Cluster API writes: neither may be the way to another cluster —
 * Argo CD's own `in-cluster` (the management cluster) or a cluster of the fleet — or the tenant's
 * baseline and its owners' AppProject would land there.
 */
function checkOwnClusterDestination(
  name: string,
  clusters: readonly ClusterFacts[],
  gitops: Record<string, unknown>,
  managementNamespace: string,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  refuse: Refuse,
): void {
  const own = tenantClusterName(name);
  const rename = 'rename the tenant';
  if (own === ARGOCD_IN_CLUSTER) {
    refuse(at('name'), `\`${name}\` is the name Argo CD gives the cluster it runs in (the management cluster), and a cluster tenant's own cluster is registered in Argo CD under the tenant's name, so its baseline and its owners' AppProject would reach the management cluster — ${rename}`, ONE_DESTINATION_ONE_CLUSTER);
    return;
  }
  const secret = clusterApiKubeconfigSecret(own);
  // The fleet's clusters' kubeconfig Secrets are in Flux's namespace; Cluster API writes the tenant's in the management namespace.
  const fluxNamespace = asRecord(gitops.flux).namespace ?? DEFAULTS.platform.flux.namespace;
  const shared = gitops.flux !== undefined
    ? (fluxNamespace === managementNamespace ? clusters.find((c) => c.kubeConfigSecret === secret) : undefined)
    : clusters.find((c) => c.destinationName === own);
  if (!shared) return;
  const field = gitops.flux !== undefined ? `\`kubeConfigSecret: ${secret}\`` : `\`destinationName: ${own}\``;
  refuse(at('name'), `cluster \`${shared.name}\` (clusters[${shared.index}]) is reached with ${field}, the way to this tenant's own cluster, so both would deploy to one cluster — ${rename}, or reach \`${shared.name}\` another way`, ONE_DESTINATION_ONE_CLUSTER);
}

/** Each cluster is reached its own way (`clusterDestinationClashes`). */
function checkDestinations(clusters: readonly ClusterFacts[], gitops: Record<string, unknown>, refuse: Refuse): void {
  const server = asRecord(gitops.argocd).server;
  const engine: DestinationEngine | undefined = gitops.argocd !== undefined
    ? { argocdServer: isString(server) ? server : DEFAULTS.platform.argocd.server }
    : gitops.flux !== undefined ? { flux: true } : undefined;
  if (engine === undefined) return;
  for (const clash of clusterDestinationClashes(clusters, engine)) {
    refuse(['clusters', clusters[clash.index].index, clash.field], clash.message, ONE_DESTINATION_ONE_CLUSTER);
  }
}

function clusterFacts(input: readonly unknown[]): ClusterFacts[] {
  return input.flatMap((raw, index) => {
    const c = asRecord(raw);
    if (!isString(c.name)) return [];
    const namespace = asRecord(asRecord(c.platform).traefik).namespace;
    return [{
      name: c.name,
      index,
      platformNamespace: isString(namespace) ? namespace : undefined,
      server: isString(c.server) ? c.server : undefined,
      destinationName: isString(c.destinationName) ? c.destinationName : undefined,
      kubeConfigSecret: isString(c.kubeConfigSecret) ? c.kubeConfigSecret : undefined,
    }];
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
