/** Helpers of the virtual-cluster tests: specs with a vcluster tenant, its values, the upstream chart rendered with them. */
import * as path from 'path';
import { parse } from 'yaml';
import { ObjectGroup, renderGroups } from '../../src/output/render';
import { modelOf } from '../helpers';
import { chartRender, Rendered } from '../output/chart-render';

/** The vcluster chart (0.36.1) as published, in ../shared. */
export const VCLUSTER_CHART = path.resolve(__dirname, '../../../shared/charts/vcluster');

/** A spec with the namespace tenant `payments` and the vcluster tenant `labs` (`labsExtra` appended to its entry). */
export function vclusterSpec(labsExtra = '', platformExtra = ''): string {
  return `platform:
  allowedDomains: [example.com]
${platformExtra}tenants:
  - name: payments
    domains: [pay.example.com]
    owners: { groups: [payments-leads] }
    issuer: { acme: { email: ops@example.com } }
  - name: labs
    isolation: vcluster
    domains: [labs.example.com]
    owners: { groups: [labs-admins] }
    issuer: { acme: { email: ops@example.com } }
${labsExtra}`;
}

/** The groups of a spec, and the vcluster tenant's. */
export function renderSpec(spec: string, tenant = 'labs'): { groups: ObjectGroup[]; group: ObjectGroup } {
  const groups = renderGroups(modelOf(spec));
  const group = groups.find((g) => g.tenant === tenant);
  if (!group) throw new Error(`no tenant ${tenant}`);
  return { groups, group };
}

/** The values file written for the tenant's virtual cluster. */
export function valuesFileOf(spec: string, tenant = 'labs'): string {
  const text = renderSpec(spec, tenant).group.vclusterValues;
  if (text === undefined) throw new Error(`tenant ${tenant} has no virtual cluster`);
  return text;
}

export function valuesOf(spec: string, tenant = 'labs'): any {
  return parse(valuesFileOf(spec, tenant));
}

/** The upstream chart rendered as `helm template <tenant> -n <tenant> -f <values>` would. */
export function renderVcluster(values: string | undefined, tenant = 'labs', skipSchemaValidation = false): Rendered {
  return chartRender(VCLUSTER_CHART, { values, release: tenant, namespace: tenant, skipSchemaValidation });
}
