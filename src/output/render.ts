/**
 * Turns the resolved Tenancy into Kubernetes objects, grouped by the file they belong in:
 * `platform.yaml` for what all tenants share, `tenants/<name>.yaml` for each tenant.
 *
 * Each group is synthesized in an App of its own: cdk8s walks the whole construct tree
 * when it synthesizes, so one App holding every tenant costs quadratic time.
 */
import { App, Chart } from 'cdk8s';
import { platformPropsOf, tenantOptionsOf } from '../constructs/from-model';
import { Platform } from '../constructs/platform';
import { Tenant } from '../constructs/tenant';
import { PLATFORM_OUTPUT_FILE, tenantOutputFile } from '../model/names';
import { OutputFormat, TenancyModel } from '../model/tenancy-model';

/** A Kubernetes object as plain JSON. */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

/** Objects that go into one output file. */
export interface ObjectGroup {
  /** Path of the file relative to the output folder, e.g. `tenants/payments.yaml`. */
  readonly file: string;
  /** The tenant the file belongs to; absent for the platform file. */
  readonly tenant?: string;
  readonly objects: readonly KubeObject[];
}

/**
 * Renders every group: the platform first, then tenants in spec order. `format` is the output
 * they will be written as, which the GitOps apps point at.
 */
export function renderGroups(model: TenancyModel, format: OutputFormat = 'yaml'): ObjectGroup[] {
  const platformChart = newChart();
  const platform = new Platform(platformChart, 'Platform', platformPropsOf(model.platform, format));
  const shared = platform.sharedTraefik !== undefined;
  // Each tenant refers to the platform in the first App: it reads the platform's settings only
  // (and registers its name, which a shared Traefik watches).
  const tenants: ObjectGroup[] = model.tenants.map((tenant) => {
    const chart = newChart();
    new Tenant(chart, 'Tenant', { ...tenantOptionsOf(tenant, shared), platform });
    return { file: tenantOutputFile(tenant.name), tenant: tenant.name, objects: chart.toJson() as KubeObject[] };
  });
  // Synthesized last, so that what depends on the tenants (a shared Traefik's namespaces) sees them all.
  return [{ file: PLATFORM_OUTPUT_FILE, objects: platformChart.toJson() as KubeObject[] }, ...tenants];
}

/** A Chart in a fresh App. */
function newChart(): Chart {
  const app = new App({ outdir: '.' });
  // No chart namespace: cdk8s would stamp it on cluster-scoped objects too. Every
  // construct sets `metadata.namespace` itself, on namespaced objects only.
  return new Chart(app, 'Chart', { disableResourceNameHashes: true });
}
