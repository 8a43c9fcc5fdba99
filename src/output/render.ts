/**
 * Turns the resolved Tenancy into Kubernetes objects, grouped by the file they belong in:
 * `platform.yaml` for what all tenants share, `tenants/<name>.yaml` for each tenant (a fleet's
 * layout, cluster by cluster, is `fleet.ts`'s).
 *
 * Each group is synthesized in an App of its own: cdk8s walks the whole construct tree
 * when it synthesizes, so one App holding every tenant costs quadratic time.
 */
import { platformPropsOf, tenantOptionsOf } from '../constructs/from-model';
import { Platform } from '../constructs/platform';
import { Tenant } from '../constructs/tenant';
import { PLATFORM_OUTPUT_FILE, tenantOutputFile } from '../model/names';
import { OutputFormat, TenancyModel } from '../model/tenancy-model';
import { eachFleetGroup } from './fleet';
import { KubeObject, synthesize } from './synthesize';
import { routingComment } from './routing-guide';

export type { KubeObject } from './synthesize';

/** Objects that go into one output file. */
export interface ObjectGroup {
  /** Path of the file relative to the output folder, e.g. `tenants/payments.yaml`. */
  readonly file: string;
  /** The tenant the file belongs to; absent for the platform file. */
  readonly tenant?: string;
  /** A fleet's member cluster the file is for; absent for the management cluster's files, and outside fleets. */
  readonly cluster?: string;
  readonly objects: readonly KubeObject[];
  /**
   * The values of the tenant's virtual cluster as a plain YAML file (for `vcluster create --values`),
   * written beside the tenant's file.
   * @default - none: the tenant has no virtual cluster
   */
  readonly vclusterValues?: string;
  /** Comment lines (each `# …`) for the head of the YAML file: how the tenant routes to its Traefik. @default - none */
  readonly comment?: string;
}

/**
 * Renders every group: the platform first, then tenants in spec order. `format` is the output
 * they will be written as, which the GitOps apps point at.
 */
export function renderGroups(model: TenancyModel, format: OutputFormat = 'yaml'): ObjectGroup[] {
  return [...eachGroup(model, format)];
}

/**
 * The groups of `renderGroups`, one at a time, each rendered only when asked for: a caller that
 * writes each group before taking the next holds one tenant's objects at a time, whatever the
 * number of tenants.
 */
export function* eachGroup(model: TenancyModel, format: OutputFormat = 'yaml'): Generator<ObjectGroup, void, undefined> {
  if (model.fleet) {
    yield* eachFleetGroup({ ...model, fleet: model.fleet }, format);
    return;
  }
  let platform!: Platform;
  yield {
    file: PLATFORM_OUTPUT_FILE,
    objects: synthesize((chart) => (platform = new Platform(chart, 'Platform', platformPropsOf(model.platform, format, model.tenants)))),
  };
  const shared = platform.sharedTraefik !== undefined;
  // Each tenant refers to the platform in the first App: it reads the platform's settings only.
  for (const tenant of model.tenants) {
    let built!: Tenant;
    const objects = synthesize((chart) => (built = new Tenant(chart, 'Tenant', { ...tenantOptionsOf(tenant, shared), platform })));
    yield {
      file: tenantOutputFile(tenant.name),
      tenant: tenant.name,
      objects,
      comment: routingComment(tenant, model.platform),
      ...(built.virtualCluster ? { vclusterValues: built.virtualCluster.valuesYaml } : {}),
    };
  }
}
