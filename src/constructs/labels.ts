import { LABELS, MANAGED_BY } from '../model/names';

/** Labels on every object made for a tenant. */
export function tenantLabels(tenant: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: tenant };
}

/** Labels on the platform's shared objects. */
export function platformLabels(): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY, [LABELS.partOf]: 'tenancy-platform' };
}

/**
 * Pod Security labels: `enforce` at `level`, while `audit` and `warn` are always `restricted`,
 * so a `baseline` namespace still reports what would break under `restricted`.
 */
export function podSecurityLabels(level: string): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
}
