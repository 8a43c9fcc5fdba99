import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults';
import { tenantProjectName } from '../model/names';
import { argoDestination, GitOps, GitOpsCluster } from './gitops-app';
import { tenantLabels } from './labels';
import { RoutingApi } from './platform';
import { ownerCreatableKinds } from './project-kinds';
import { PropChecks } from './refuse';
import { SecretsAccess } from './tenant-namespace';

/** Props of `TenantAppProject`. */
export interface TenantAppProjectProps {
  /** The tenant, and so its namespace. */
  readonly tenant: string;
  /** The Argo CD that holds the project (its namespace). */
  readonly gitops: GitOps;
  /**
   * The cluster the tenant lives on.
   * @default - Argo CD's `server`
   */
  readonly cluster?: GitOpsCluster;
  /**
   * Groups of the tenant's owners: the project's `owners` role, which may manage the project's Applications.
   * @default - no role: only the platform team creates the tenant's Applications
   */
  readonly ownerGroups?: string[];
  /**
   * What the owners may do with Secrets: with `manage`, the project allows Secrets too.
   * @default SecretsAccess.READ_ONLY
   */
  readonly secrets?: SecretsAccess;
  /**
   * The tenant has a SecretStore: the project allows ExternalSecrets.
   * @default false
   */
  readonly externalSecrets?: boolean;
  /**
   * How the tenant routes: with the Gateway API, its owners (and so the project) write HTTPRoutes
   * and GRPCRoutes instead of IngressRoutes, Middlewares and Ingresses.
   * @default RoutingApi.INGRESS_ROUTE
   */
  readonly routing?: RoutingApi;
}

/**
 * The Argo CD AppProject in which a tenant's own Applications run (`tenant-<name>`): its
 * namespace on its cluster only, no cluster-scoped resource at all, and only the kinds its owners
 * may create themselves — Argo CD applies with rights of its own, so the project is the fence.
 * Any repository may be a source: the tenant brings its own. The owners' groups get the project's
 * `owners` role.
 */
export class TenantAppProject extends Construct {
  /** The AppProject. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: TenantAppProjectProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantAppProject');
    const gitops = props.gitops instanceof GitOps ? props.gitops._spec : undefined;
    refusals.check('gitops', gitops && 'argocd' in gitops ? undefined : 'is not an Argo CD — pass `GitOps.argoCd({ repoUrl })`: Flux has no projects (a tenant\'s Flux objects impersonate its `tenant-reconciler` ServiceAccount instead)');
    refusals.done();
    const argocd = (gitops as { argocd: { namespace?: string; server?: string } }).argocd;
    const name = tenantProjectName(props.tenant);
    const groups = props.ownerGroups ?? [];
    this.apiObject = new ApiObject(this, 'AppProject', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name, namespace: argocd.namespace ?? DEFAULTS.platform.argocd.namespace, labels: tenantLabels(props.tenant) },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ ...argoDestination(props.cluster, argocd.server ?? DEFAULTS.platform.argocd.server), namespace: props.tenant }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: ownerCreatableKinds(props.secrets ?? SecretsAccess.READ_ONLY, {
          externalSecrets: props.externalSecrets,
          ...(props.routing === RoutingApi.GATEWAY ? { routing: 'gateway' as const } : {}),
        }),
        ...(groups.length > 0
          ? {
            roles: [{
              name: 'owners',
              groups: [...groups],
              policies: [`p, proj:${name}:owners, applications, *, ${name}/*, allow`],
            }],
          }
          : {}),
      },
    });
  }
}
