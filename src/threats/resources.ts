/** Threats from resource settings: values the API server refuses, which leave a tenant half-applied. */
import { compareQuantities, isQuantity } from './quantity';
import { none, Threat } from './threat';

/** A resource value and where it came from, for messages. */
export interface SourcedQuantity {
  readonly value: string;
  /** `undefined`: written where the problem is reported; otherwise e.g. `platform.defaults` or `the built-in default`. */
  readonly from?: string;
}

/** Pairs of values where the first may not exceed the second: [section, lower, higher]. */
export const ORDERED_RESOURCE_PAIRS: ReadonlyArray<readonly [section: 'quota' | 'limits' | 'traefik.resources', low: string, high: string]> = [
  ['quota', 'requests', 'limits'],
  ['limits', 'defaultRequest', 'default'],
  ['limits', 'default', 'max'],
  ['traefik.resources', 'requests', 'limits'],
];

const message = (lowPath: string, low: string, highPath: string, high: string) =>
  `${lowPath} (${low}) is more than ${highPath} (${high}) — Kubernetes rejects a request above its limit; lower the first or raise the second`;

const shown = (q: SourcedQuantity) => (q.from ? `${q.value}, from ${q.from}` : q.value);

/**
 * Checks that `low` (at `lowPath`) does not exceed `high` (at `highPath`), exactly, as the API
 * server compares quantities. Values that are no quantities are not compared: they are refused
 * on their own.
 */
export function checkResourceOrder(lowPath: string, low: SourcedQuantity, highPath: string, high: SourcedQuantity): string | undefined {
  if (!isQuantity(low.value) || !isQuantity(high.value)) return undefined;
  return compareQuantities(low.value, high.value) > 0 ? message(lowPath, shown(low), highPath, shown(high)) : undefined;
}

/** Helm's multipliers of the quantity suffixes, as a sprig `dict` (powers of ten, and of two for `Ki`…`Ei`). */
const SUFFIX_SCALE = '(dict "" 1.0 "n" 0.000000001 "u" 0.000001 "m" 0.001 "k" 1000.0 "M" 1000000.0 "G" 1000000000.0 "T" 1000000000000.0 '
  + '"P" 1000000000000000.0 "E" 1000000000000000000.0 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 '
  + '"Ei" 1152921504606846976.0)';

/**
 * A Go template expression for the quantity at `value` (a `.Values` path) as a number of base units:
 * its number times its suffix's multiplier. Helm has no quantity type; floating point is exact
 * enough for a guard (the comparison below leaves a margin of one part in a billion, so that
 * `700m` and `0.7` compare equal). An exponent form (`1e3`) has no multiplier and reads as 0:
 * the guard lets it through, and the API server judges it.
 */
function quantityExpression(value: string): string {
  const number = `(regexFind "^([0-9]+([.][0-9]*)?|[.][0-9]+)" (toString ${value}))`;
  return `(mulf (float64 ${number}) (get ${SUFFIX_SCALE} (trimPrefix ${number} (toString ${value}))))`;
}

/** A Helm template guard with the same words: for `key` (`traefik.resources`), fails the install when a request is above its limit. */
function helmGuard(key: string): string {
  return ['cpu', 'memory'].map((res) => {
    const low = `.Values.${key}.requests.${res}`;
    const high = `.Values.${key}.limits.${res}`;
    const text = JSON.stringify(message(`${key}.requests.${res}`, '%v', `${key}.limits.${res}`, '%v'));
    return `{{- if gt ${quantityExpression(low)} (mulf ${quantityExpression(high)} 1.000000001) }}{{- fail (printf ${text} ${low} ${high}) }}{{- end }}\n`;
  }).join('');
}

export const REQUESTS_WITHIN_LIMITS: Threat = {
  id: 'requests-within-limits',
  family: 'resources',
  severity: 'medium',
  title: 'A request above its limit',
  why: 'The API server refuses a ResourceQuota, LimitRange or container whose requests exceed its limits: the tenant is applied half-way, its Traefik never starts, and `kubectl apply` (or Helm, or Argo CD) fails on it.',
  fix: 'Keep each request at or below its limit: quota requests ≤ quota limits, LimitRange `defaultRequest` ≤ `default` ≤ `max`, Traefik requests ≤ limits.',
  spec: { fields: ['tenants[].quota', 'tenants[].limits', 'tenants[].traefik.resources', 'platform.defaults.quota', 'platform.defaults.limits', 'platform.defaults.traefik.resources'] },
  construct: { props: ['TenantNamespace.quota', 'TenantNamespace.limits', 'ScopedTraefik.resources'] },
  values: [{ key: 'traefik.resources', template: helmGuard('traefik.resources') }],
  admission: none('the API server refuses it itself'),
  audit: none('the API server refuses it itself: such manifests cannot be applied'),
};

export const RESOURCE_THREATS: readonly Threat[] = [REQUESTS_WITHIN_LIMITS];
