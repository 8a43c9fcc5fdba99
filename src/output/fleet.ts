/**
 * A fleet's output (`clusters:` in the spec), streamed cluster by cluster, tenant by tenant:
 *
 *   clusters/<cluster>/platform.yaml          each member cluster's platform (Helm: its platform chart)
 *   clusters/<cluster>/tenants/<tenant>.yaml  each tenant, on the cluster it is placed on (Helm: its chart)
 *   management/fleet.yaml                     the management cluster: how GitOps reaches every cluster
 *   management/tenants/<tenant>.yaml          the management cluster: one tenant's AppProject or
 *                                             Kustomization, a cluster tenant's Cluster API cluster
 *
 * A cluster tenant's own cluster is a cluster of the output like the declared ones, named after
 * the tenant. Each group is rendered, self-checked (against the other groups of its cluster) and
 * written before the next, so memory holds one tenant's objects at a time, whatever the fleet.
 */
import { Construct } from 'constructs';
import { FleetGitOps } from '../constructs/fleet-gitops';
import { gitOpsClusterOf, gitOpsOf, platformPropsOf, tenantOptionsOf } from '../constructs/from-model';
import { GitOps, GitOpsApp, GitOpsCluster } from '../constructs/gitops-app';
import { tenantLabels } from '../constructs/labels';
import { OutputFormat as ConstructOutputFormat, Platform, RoutingApi } from '../constructs/platform';
import { KindCollector } from '../constructs/project-kinds';
import { Tenant } from '../constructs/tenant';
import { TenantAppProject } from '../constructs/tenant-app-project';
import { TenantCluster } from '../constructs/tenant-cluster';
import { TenantReconciler } from '../constructs/tenant-reconciler';
import {
  clusterFolder, clusterPlatformAppName, clusterPlatformFile, clusterTenantFile, gitopsAppName, MANAGEMENT_FLEET_FILE, managementTenantFile, PLATFORM_CHART,
  TENANTS_APPLICATION_SET, tenantChartName, tenantReleaseName,
} from '../model/names';
import { FleetClusterModel, FleetModel, OutputFormat, TenancyModel, TenantModel } from '../model/tenancy-model';
import { HelmOptions, helmWriter } from './helm';
import type { ObjectGroup } from './render';
import { routingComment } from './routing-guide';
import { synthesize } from './synthesize';
import { FleetSelfCheck } from './self-check';
import { FileSink } from './write';
import { writeYamlFile } from './yaml';

/** A group of a fleet's output, and where it goes. */
export interface FleetGroup extends ObjectGroup {
  /** `platform` and `tenant` groups go to a member cluster; `management` ones to the management cluster. */
  readonly role: 'platform' | 'tenant' | 'management';
  /** The member cluster of a `platform` or `tenant` group. */
  readonly cluster?: string;
}

/** A model with a fleet. */
export type FleetTenancy = TenancyModel & { readonly fleet: FleetModel };

/** The tenants placed on `cluster`, in spec order. */
export function tenantsOn(model: TenancyModel, cluster: string): TenantModel[] {
  return model.tenants.filter((t) => t.cluster === cluster);
}

/**
 * Every group of a fleet, one at a time, rendered only when asked for: each cluster's platform
 * then its tenants, cluster after cluster; then the management cluster's groups.
 */
export function* eachFleetGroup(model: FleetTenancy, format: OutputFormat = 'yaml'): Generator<FleetGroup, void, undefined> {
  const gitops = model.platform.gitops && gitOpsOf(model.platform.gitops);
  const reconciler = gitops !== undefined && gitops.engine === 'flux';
  // The kinds the tenant files hold: the tenant files' AppProject allows those and no other.
  const kinds = new KindCollector();
  for (const cluster of model.fleet.clusters) {
    let platform!: Platform;
    const tenants = tenantsOn(model, cluster.name);
    yield {
      file: clusterPlatformFile(cluster.name),
      role: 'platform',
      cluster: cluster.name,
      // A member cluster's platform has no GitOps app: its delivery is on the management cluster.
      objects: synthesize((chart) => (platform = new Platform(chart, 'Platform', platformPropsOf(cluster.platform, format, tenants)))),
    };
    const shared = platform.sharedTraefik !== undefined;
    for (const tenant of tenants) {
      const objects = synthesize((chart) => {
        const t = new Tenant(chart, 'Tenant', { ...tenantOptionsOf(tenant, shared), platform });
        if (reconciler) new TenantReconciler(t, 'Reconciler', { tenantNamespace: t.namespace });
        return t;
      });
      kinds.add(objects);
      yield {
        file: clusterTenantFile(cluster.name, tenant.name),
        tenant: tenant.name,
        role: 'tenant',
        cluster: cluster.name,
        objects,
        comment: routingComment(tenant, cluster.platform),
      };
    }
  }
  yield* managementGroups(model, format, gitops, kinds);
}

/** The management cluster's groups: the fleet's delivery, then each tenant's that has one. */
function* managementGroups(model: FleetTenancy, format: OutputFormat, gitops: GitOps | undefined, kinds: KindCollector): Generator<FleetGroup, void, undefined> {
  const outputFormat = format as ConstructOutputFormat;
  const clusters = new Map(model.fleet.clusters.map((c) => [c.name, c]));
  if (gitops) {
    const declared = model.fleet.clusters.filter((c) => c.ownedBy === undefined);
    yield {
      file: MANAGEMENT_FLEET_FILE,
      role: 'management',
      objects: synthesize((chart) => new FleetGitOps(chart, 'Fleet', {
        gitops,
        clusters: declared.map((c) => ({ name: c.name, ...gitOpsClusterOf(c) })),
        outputFormat,
        clusterScopedKinds: kinds.kinds.clusterScoped,
        namespacedKinds: kinds.kinds.namespaced,
      })),
    };
  }
  for (const tenant of model.tenants) {
    if (!gitops && tenant.clusterApi === undefined) continue;
    const cluster = clusters.get(tenant.cluster!)!;
    yield {
      file: managementTenantFile(tenant.name),
      tenant: tenant.name,
      role: 'management',
      objects: synthesize((chart) => managementOf(chart, tenant, cluster, gitops, outputFormat, model.platform.externalSecrets !== undefined)),
    };
  }
}

/**
 * One tenant's objects on the management cluster:
 * - a cluster tenant's Cluster API `Cluster`, and (with GitOps) the apps that deliver its
 *   platform and tenant files into it once Cluster API has made it: Flux through the kubeconfig
 *   Secret Cluster API writes, Argo CD through the cluster registered under the tenant's name;
 * - Argo CD: the tenant's own AppProject (its namespace only);
 * - Flux: the Kustomization of the tenant's file, with its cluster's kubeconfig (after the
 *   cluster's platform); for a cluster tenant, in the Cluster's namespace, beside that Secret.
 */
function managementOf(scope: Construct, tenant: TenantModel, cluster: FleetClusterModel, gitops: GitOps | undefined, format: ConstructOutputFormat, externalSecrets: boolean): Construct {
  const root = new Construct(scope, 'Management');
  const target: GitOpsCluster = gitOpsClusterOf(cluster, tenant);
  const api = tenant.clusterApi;
  if (api) {
    new TenantCluster(root, 'Cluster', {
      tenant: tenant.name,
      namespace: api.namespace,
      clusterClass: api.clusterClass,
      version: api.version,
      workers: { workerClass: api.workers.class, replicas: api.workers.replicas },
    });
  }
  if (!gitops) return root;
  const helm = format === ConstructOutputFormat.HELM;
  const labels = tenantLabels(tenant.name);
  if (api) {
    new GitOpsApp(root, 'Platform', {
      name: clusterPlatformAppName(cluster.name),
      file: clusterPlatformFile(cluster.name),
      ...(helm ? { chart: `${clusterFolder(cluster.name)}/${PLATFORM_CHART}`, release: PLATFORM_CHART } : {}),
      gitops,
      labels,
      cluster: target,
    });
  }
  if (gitops.engine === 'argoCd') {
    // The fleet's ApplicationSet covers the declared clusters; a cluster tenant's own cluster gets its Application here.
    if (api) {
      new GitOpsApp(root, 'Tenant', {
        name: gitopsAppName(tenant.name),
        file: clusterTenantFile(cluster.name, tenant.name),
        ...(helm ? { chart: `${clusterFolder(cluster.name)}/tenants/${tenantChartName(tenant.name)}`, release: tenantReleaseName(tenant.name) } : {}),
        gitops,
        labels,
        cluster: target,
        project: TENANTS_APPLICATION_SET,
      });
    }
    new TenantAppProject(root, 'Project', {
      tenant: tenant.name,
      gitops,
      cluster: target,
      ownerGroups: [...tenant.owners.groups],
      secrets: tenantOptionsOf(tenant).secrets,
      externalSecrets,
      routing: cluster.platform.routing?.api as RoutingApi | undefined,
    });
    return root;
  }
  new GitOpsApp(root, 'Tenant', {
    name: gitopsAppName(tenant.name),
    file: clusterTenantFile(cluster.name, tenant.name),
    gitops,
    labels,
    cluster: target,
    dependsOn: [clusterPlatformAppName(cluster.name)],
  });
  return root;
}

/**
 * Renders, self-checks and writes a fleet group by group. `helm`: the member clusters' groups
 * as charts (each cluster's platform chart in its folder, its tenants' in `tenants/`); the
 * management cluster's groups stay YAML files. Answers with the counts the CLI reports.
 */
export function writeFleet(model: FleetTenancy, format: OutputFormat, sink: FileSink, helm?: HelmOptions): { clusters: number; tenants: number; charts: number } {
  let tenants = 0;
  let charts = 0;
  const check = new FleetSelfCheck(model);
  let chartWriter: ((group: ObjectGroup, sink: FileSink) => void) | undefined;
  for (const group of eachFleetGroup(model, format)) {
    check.add(group);
    if (group.role === 'management') {
      writeYamlFile(group, sink);
      continue;
    }
    if (group.role === 'platform' && format === 'helm') {
      const cluster = model.fleet.clusters.find((c) => c.name === group.cluster)!;
      chartWriter = helmWriter({ platform: cluster.platform, tenants: tenantsOn(model, cluster.name) }, { ...helm!, releaseAnnotation: true });
    }
    if (group.role === 'tenant') tenants++;
    if (chartWriter) {
      const folder = group.role === 'tenant' ? `${clusterFolder(group.cluster!)}/tenants/` : `${clusterFolder(group.cluster!)}/`;
      chartWriter(group, prefixed(sink, folder));
      charts++;
    } else {
      writeYamlFile(group, sink);
    }
  }
  check.finish();
  return { clusters: model.fleet.clusters.length, tenants, charts };
}

/** A sink that writes below `folder`. */
function prefixed(sink: FileSink, folder: string): FileSink {
  return {
    write: (rel, content) => sink.write(`${folder}${rel}`, content),
    writeLater: (rel, job, here) => sink.writeLater(`${folder}${rel}`, job, here),
  };
}
