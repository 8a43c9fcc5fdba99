import { LABELS, MANAGED_BY } from '../model/names';

/** Labels on every object made for a tenant. */
export function tenantLabels(tenant: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: tenant };
}

/** Labels on the platform's shared objects. */
export function platformLabels(): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.partOf]: 'tenancy-platform' };
}
