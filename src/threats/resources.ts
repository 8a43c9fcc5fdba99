/**
 * Threats from resource settings: values the API server refuses, which leave a tenant half-applied,
 * and claims so large that one tenant starves the others.
 */
import { DEFAULTS } from '../defaults';
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

/** The resources each section compares. */
export const RESOURCES_OF = {
  quota: ['cpu', 'memory', 'ephemeralStorage'],
  limits: ['cpu', 'memory', 'ephemeralStorage'],
  'traefik.resources': ['cpu', 'memory'],
} as const;

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
 * `700m` and `0.7` compare equal). The number may carry a decimal exponent (`1e3`, as
 * Kubernetes allows, and as Helm prints a large number: `10000000` is `1e+07` to `toString`);
 * `E` without digits after it is the exa suffix.
 */
function quantityExpression(value: string): string {
  const number = `(regexFind "^([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?" (toString ${value}))`;
  return `(mulf (float64 ${number}) (get ${SUFFIX_SCALE} (trimPrefix ${number} (toString ${value}))))`;
}

/** A Helm template that fails with `text` (a printf format with two `%v`) when quantity `low` exceeds `high` (each a Go template expression). */
function quantityGuard(low: string, high: string, text: string): string {
  const [lowValue, highValue] = [low, high].map((v) => (v.startsWith('.') ? v : JSON.stringify(v)));
  return `{{- if gt ${quantityExpression(lowValue)} (mulf ${quantityExpression(highValue)} 1.000000001) }}{{- fail (printf ${JSON.stringify(text)} ${lowValue} ${highValue}) }}{{- end }}\n`;
}

/** A Helm template guard with the same words: for `key` (`traefik.resources`), fails the install when a request is above its limit. */
function requestGuard(key: string): string {
  return ['cpu', 'memory'].map((res) =>
    quantityGuard(`.Values.${key}.requests.${res}`, `.Values.${key}.limits.${res}`, message(`${key}.requests.${res}`, '%v', `${key}.limits.${res}`, '%v'))).join('');
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
  values: [{ key: 'traefik.resources', template: () => requestGuard('traefik.resources') }],
  admission: none('the API server refuses it itself'),
  audit: none('the API server refuses it itself: such manifests cannot be applied'),
};

/** `platform.ceilings` with every value resolved (`DEFAULTS.ceilings` where the platform writes none). */
export interface Ceilings {
  readonly quota: {
    readonly requests: Readonly<Record<'cpu' | 'memory' | 'ephemeralStorage', string>>;
    readonly limits: Readonly<Record<'cpu' | 'memory' | 'ephemeralStorage', string>>;
    readonly pods: number;
    readonly services: number;
    readonly persistentVolumeClaims: number;
    readonly storage: string;
    readonly configMaps: number;
    readonly secrets: number;
    readonly certificates: number;
  };
  readonly traefik: {
    readonly replicas: number;
    readonly resources: { readonly requests: Readonly<Record<'cpu' | 'memory', string>>; readonly limits: Readonly<Record<'cpu' | 'memory', string>> };
  };
  readonly domains: number;
}

/** A partial `platform.ceilings` as written. */
export type CeilingsInput = { readonly [K in keyof Ceilings]?: unknown };

/** The platform's ceilings over `DEFAULTS.ceilings`, value by value. */
export function resolveCeilings(input: CeilingsInput = {}): Ceilings {
  const merge = (base: unknown, own: unknown): unknown => {
    if (base === null || typeof base !== 'object') return own === undefined ? base : own;
    const ownRecord = own !== null && typeof own === 'object' ? (own as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, merge(v, ownRecord[k])]));
  };
  return merge(DEFAULTS.ceilings, input) as Ceilings;
}

/** The values of a tenant's settings that a ceiling caps, by their key under `platform.ceilings`. */
export const CEILING_KEYS = [
  ...(['requests', 'limits'] as const).flatMap((g) => (['cpu', 'memory', 'ephemeralStorage'] as const).map((r) => `quota.${g}.${r}`)),
  'quota.pods', 'quota.services', 'quota.persistentVolumeClaims', 'quota.storage', 'quota.configMaps', 'quota.secrets', 'quota.certificates',
  'traefik.replicas',
  ...(['requests', 'limits'] as const).flatMap((g) => (['cpu', 'memory'] as const).map((r) => `traefik.resources.${g}.${r}`)),
] as const;

/** The ceiling of `key` (one of `CEILING_KEYS`, or `domains`). */
export function ceilingOf(ceilings: Ceilings, key: string): number | string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], ceilings) as number | string;
}

const ceilingMessage = (key: string, value: string | number, ceiling: string | number) =>
  `${value} is above \`platform.ceilings.${key}\` (${ceiling}) — tenant files may be edited by tenants, so the platform caps what one tenant can claim; ask for less, or have the platform team raise the ceiling`;

/** Checks one claimed value against its ceiling (quantities exactly, counts as numbers); values that are no quantities are refused on their own. */
export function checkCeiling(key: string, value: string | number, ceilings: Ceilings): string | undefined {
  const ceiling = ceilingOf(ceilings, key);
  if (typeof ceiling === 'number') return typeof value === 'number' && value > ceiling ? ceilingMessage(key, value, ceiling) : undefined;
  const text = String(value);
  return isQuantity(text) && isQuantity(ceiling) && compareQuantities(text, ceiling) > 0 ? ceilingMessage(key, text, ceiling) : undefined;
}

/** Checks a tenant's number of domains against `platform.ceilings.domains` and its Certificate quota. */
export function checkDomainCount(count: number, certificateQuota: number, ceilings: Ceilings): string | undefined {
  if (count > ceilings.domains) return ceilingMessage('domains', `${count} domains`, ceilings.domains);
  if (count > certificateQuota) {
    return `${count} domains need ${count} Certificates, more than \`quota.certificates\` (${certificateQuota}) allows — raise \`quota.certificates\`, or serve fewer hosts`;
  }
  return undefined;
}

export const TENANT_CEILINGS: Threat = {
  id: 'tenant-ceilings',
  family: 'resources',
  severity: 'high',
  title: 'A tenant that claims more than the platform allows one tenant',
  why: 'Nothing else bounds what one tenant\'s file may claim: a quota of 100,000 pods or terabytes, Traefik replicas and resources in the platform namespace (which has no quota), or hundreds of domains whose Certificates exhaust the rate limits the shared ACME account has per registered domain — starving every other tenant. Tenant files may be edited by tenants through pull requests, so defaults are not enough.',
  fix: 'Keep each tenant within `platform.ceilings` (sensible built-in ceilings apply when it is not set); raise a ceiling in the platform spec only for a tenant the platform team agrees to.',
  spec: { fields: ['tenants[].quota', 'tenants[].traefik.replicas', 'tenants[].traefik.resources', 'tenants[].domains', 'platform.defaults.quota', 'platform.defaults.traefik'] },
  construct: none('the ceilings are the platform\'s limits on tenant files; constructs are given what the platform team wrote'),
  values: [
    { key: 'traefik.replicas', schema: (c) => ({ maximum: c.traefik.replicas }) },
    {
      key: 'traefik.resources',
      template: (c) => (['requests', 'limits'] as const).flatMap((g) => (['cpu', 'memory'] as const).map((r) => {
        const key = `traefik.resources.${g}.${r}`;
        return quantityGuard(`.Values.${key}`, c.traefik.resources[g][r], ceilingMessage(key, '%v', '%v'));
      })).join(''),
    },
  ],
  admission: none('tenants cannot change their quota, and their Traefik runs out of their reach'),
  audit: none('manifests do not say what the platform allows one tenant'),
};

export const RESOURCE_THREATS: readonly Threat[] = [REQUESTS_WITHIN_LIMITS, TENANT_CEILINGS];
