/**
 * Turns the resolved Tenancy into Kubernetes objects, grouped by the file they belong in:
 * `platform.yaml` for what all tenants share, `tenants/<name>.yaml` for each tenant.
 *
 * Each group is synthesized in an App of its own: cdk8s walks the whole construct tree
 * when it synthesizes, so one App holding every tenant costs quadratic time.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { platformPropsOf, tenantOptionsOf } from '../constructs/from-model';
import { Platform } from '../constructs/platform';
import { Tenant } from '../constructs/tenant';
import { PLATFORM_OUTPUT_FILE, tenantOutputFile } from '../model/names';
import { OutputFormat, TenancyModel } from '../model/tenancy-model';
import { routingComment } from './routing-guide';

/** A Kubernetes object as plain JSON. */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

/** Objects that go into one output file. */
export interface ObjectGroup {
  /** Path of the file relative to the output folder, e.g. `tenants/payments.yaml`. */
  readonly file: string;
  /** The tenant the file belongs to; absent for the platform file. */
  readonly tenant?: string;
  readonly objects: readonly KubeObject[];
  /** Comment lines (each `# …`) for the head of the YAML file: how the tenant routes to its Traefik. @default - none */
  readonly comment?: string;
}

/**
 * Renders every group: the platform first, then tenants in spec order. `format` is the output
 * they will be written as, which the GitOps apps point at.
 */
export function renderGroups(model: TenancyModel, format: OutputFormat = 'yaml'): ObjectGroup[] {
  let platform!: Platform;
  const groups: ObjectGroup[] = [{
    file: PLATFORM_OUTPUT_FILE,
    objects: synthesize((chart) => (platform = new Platform(chart, 'Platform', platformPropsOf(model.platform, format)))),
  }];
  // Each tenant refers to the platform in the first App: it reads the platform's settings only.
  for (const tenant of model.tenants) {
    groups.push({
      file: tenantOutputFile(tenant.name),
      tenant: tenant.name,
      objects: synthesize((chart) => new Tenant(chart, 'Tenant', { ...tenantOptionsOf(tenant), platform })),
      comment: routingComment(tenant, model.platform.namespace),
    });
  }
  return groups;
}

/** Builds constructs in a fresh App and Chart and returns the objects they synthesize. */
function synthesize(build: (chart: Chart) => Construct): KubeObject[] {
  const app = new App({ outdir: '.' });
  // No chart namespace: cdk8s would stamp it on cluster-scoped objects too. Every
  // construct sets `metadata.namespace` itself, on namespaced objects only.
  const chart = new Chart(app, 'Chart', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson() as KubeObject[];
}
