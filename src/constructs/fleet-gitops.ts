import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULTS, withDefaults } from '../defaults';
import {
  clusterFolder, clusterPlatformAppName, clusterPlatformFile, LABELS, PLATFORM_CHART, RELEASE_ANNOTATION, TENANTS_APPLICATION_SET,
} from '../model/names';
import * as fields from '../spec/schema';
import { normalizeRepoPath } from '../threats/gitops';
import { GitOps, GitOpsApp, NOT_GITOPS } from './gitops-app';
import { clusterDestinationClashes, ONE_DESTINATION_ONE_CLUSTER } from '../threats/gitops';
import { platformLabels } from './labels';
import { OutputFormat } from './platform';
import { GroupKind, TENANT_FILE_CLUSTER_KINDS, TENANT_FILE_NAMESPACED_KINDS } from './project-kinds';
import { PropChecks } from './refuse';

/** One member cluster of a fleet, as `FleetGitOps` reaches it. */
export interface FleetClusterOptions {
  /** The cluster's name: its folder in the output (`clusters/<name>/`) and the suffix of its GitOps objects. */
  readonly name: string;
  /**
   * Argo CD: the cluster's API server URL.
   * @default - by `destinationName`, else Argo CD's `server`
   */
  readonly server?: string;
  /**
   * Argo CD: the name the cluster is registered under.
   * @default - by `server`
   */
  readonly destinationName?: string;
  /**
   * Flux: the Secret (in Flux's namespace, key `value`) holding the cluster's kubeconfig.
   * @default - the cluster Flux runs in
   */
  readonly kubeConfigSecret?: string;
}

/** Props of `FleetGitOps`. */
export interface FleetGitOpsProps {
  /** The engine, on the management cluster, and the repository holding the rendered fleet. */
  readonly gitops: GitOps;
  /** The fleet's member clusters. */
  readonly clusters: FleetClusterOptions[];
  /**
   * What the Applications point at: YAML files, or (Argo CD only) the Helm charts.
   * @default OutputFormat.YAML
   */
  readonly outputFormat?: OutputFormat;
  /**
   * The cluster-scoped kinds the tenant files hold, which the tenant files' AppProject allows (the CLI passes those of the files it rendered).
   * @default - a tenant file's with IngressRoutes: Namespace, approver-policy's CertificateRequestPolicy
   */
  readonly clusterScopedKinds?: GroupKind[];
  /**
   * The namespaced kinds the tenant files hold, which the tenant files' AppProject allows.
   * @default - a tenant file's with IngressRoutes: its guard rails, Traefik, issuer, certificates and SecretStore
   */
  readonly namespacedKinds?: GroupKind[];
}

/**
 * How a fleet reaches its clusters, on the management cluster (`management/fleet.yaml`):
 * - Argo CD: one `ApplicationSet` for every tenant file of every cluster — a matrix of the
 *   clusters (a list: name and destination) and a Git files generator over
 *   `clusters/<cluster>/tenants/*.yaml` (with charts, `*\/Chart.yaml`), so the cluster in the
 *   file's path picks the destination; its Applications run in the `tenancy-tenants` AppProject,
 *   which allows the kinds the tenant files hold and nothing else (`clusterScopedKinds`,
 *   `namespacedKinds`). One Application per cluster applies the cluster's platform.
 * - Flux: one GitRepository and Kustomization per cluster for its platform, with the cluster's
 *   kubeconfig (each tenant's Kustomization is in the tenant's own management file).
 */
export class FleetGitOps extends Construct {
  /**
   * The AppProject of the tenant files' Applications (Argo CD).
   * @default - none with Flux
   */
  public readonly tenantsProject?: ApiObject;
  /**
   * The ApplicationSet of every tenant file (Argo CD).
   * @default - none with Flux
   */
  public readonly applicationSet?: ApiObject;
  /** The GitOps app of each cluster's platform. */
  public readonly platformApps: GitOpsApp[];

  constructor(scope: Construct, id: string, props: FleetGitOpsProps) {
    super(scope, id);
    const refusals = new PropChecks('FleetGitOps');
    const gitops = props.gitops instanceof GitOps ? props.gitops._spec : undefined;
    refusals.check('gitops', gitops ? undefined : NOT_GITOPS);
    refusals.check('clusters', props.clusters.length > 0 ? undefined : 'lists no cluster — pass the fleet\'s clusters');
    props.clusters.forEach((c, i) => {
      refusals.parse(`clusters[${i}].name`, fields.fleetClusterName, c.name);
      if (c.server !== undefined) refusals.parse(`clusters[${i}].server`, fields.fleetCluster.shape.server, c.server);
    });
    if (gitops) {
      const engine = 'argocd' in gitops ? { argocdServer: gitops.argocd.server ?? DEFAULTS.platform.argocd.server } : { flux: true as const };
      for (const clash of clusterDestinationClashes(props.clusters, engine)) refusals.check(`clusters[${clash.index}].${clash.field}`, clash.message, ONE_DESTINATION_ONE_CLUSTER);
    }
    refusals.done();
    const format = props.outputFormat ?? OutputFormat.YAML;
    const labels = platformLabels();
    this.platformApps = props.clusters.map((c) => new GitOpsApp(this, `Platform-${c.name}`, {
      name: clusterPlatformAppName(c.name),
      file: clusterPlatformFile(c.name),
      ...(format === OutputFormat.HELM ? { chart: `${clusterFolder(c.name)}/${PLATFORM_CHART}`, release: PLATFORM_CHART } : {}),
      gitops: props.gitops,
      labels,
      cluster: c,
    }));
    if (!('argocd' in gitops!)) return;

    const a = withDefaults(DEFAULTS.platform.argocd, gitops.argocd);
    this.tenantsProject = new ApiObject(this, 'TenantsProject', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: TENANTS_APPLICATION_SET, namespace: a.namespace, labels },
      spec: {
        sourceRepos: [a.repoURL],
        // Any cluster: the ApplicationSet picks each file's. Cluster tenants' clusters register by name.
        destinations: [{ server: '*', namespace: '*' }, { name: '*', namespace: '*' }],
        clusterResourceWhitelist: (props.clusterScopedKinds ?? TENANT_FILE_CLUSTER_KINDS).map((k) => ({ group: k.group, kind: k.kind })),
        namespaceResourceWhitelist: (props.namespacedKinds ?? TENANT_FILE_NAMESPACED_KINDS).map((k) => ({ group: k.group, kind: k.kind })),
      },
    });
    this.applicationSet = new ApiObject(this, 'ApplicationSet', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: TENANTS_APPLICATION_SET, namespace: a.namespace, labels },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{
          matrix: {
            generators: [
              { list: { elements: props.clusters.map((c) => clusterElement(c, a.server)) } },
              { git: { repoURL: a.repoURL, revision: a.targetRevision, files: [{ path: tenantFilesPattern(normalizeRepoPath(a.path), format) }] } },
            ],
          },
        }],
        template: tenantApplicationTemplate(a, format),
        // A tenant file gone from Git (or moved to another cluster) deletes its Application, never
        // the tenant's objects: removing a tenant from a cluster is a step a person takes.
        syncPolicy: { preserveResourcesOnDeletion: true },
      },
    });
  }
}

/** The list generator's element of a cluster: its name, and its destination (one of the two is empty). */
function clusterElement(c: FleetClusterOptions, defaultServer: string): Record<string, string> {
  const byName = c.server === undefined && c.destinationName !== undefined;
  return { cluster: c.name, server: byName ? '' : c.server ?? defaultServer, destinationName: byName ? c.destinationName! : '' };
}

/** The Git files generator's pattern: each tenant file of the element's cluster (with charts, each tenant chart's Chart.yaml). */
export function tenantFilesPattern(repoPath: string, format: OutputFormat): string {
  const root = repoPath === '.' ? '' : `${repoPath}/`;
  return `${root}${clusterFolder('{{.cluster}}')}/tenants/${format === OutputFormat.HELM ? '*/Chart.yaml' : '*.yaml'}`;
}

/**
 * The Application of one tenant file, in Go template: named `tenant-<name>` as a single cluster's
 * are (the name comes from the file name, or the chart's), sourced from the file's folder narrowed
 * to the file (or the chart's folder, installed as the release its Chart.yaml names), sent to the
 * cluster of the list element the file's path was found for.
 */
function tenantApplicationTemplate(a: { repoURL: string; targetRevision: string }, format: OutputFormat) {
  const tenant = format === OutputFormat.HELM ? '{{ trimPrefix "tenant-" .name }}' : '{{ trimSuffix ".yaml" .path.filename }}';
  const source = format === OutputFormat.HELM
    ? { helm: { releaseName: `{{ index .annotations "${RELEASE_ANNOTATION}" }}` } }
    : { directory: { recurse: false, include: '{{ .path.filename }}' } };
  return {
    metadata: {
      name: `tenant-${tenant}`,
      labels: { [LABELS.managedBy]: platformLabels()[LABELS.managedBy], [LABELS.tenant]: tenant },
    },
    spec: {
      project: TENANTS_APPLICATION_SET,
      source: { repoURL: a.repoURL, targetRevision: a.targetRevision, path: '{{ .path.path }}', ...source },
      destination: { server: '{{ .server }}', name: '{{ .destinationName }}' },
      // allowEmpty stays false: a file missing from Git never prunes a whole tenant.
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}
