/**
 * fast-check generators of valid specs (as plain data, before they are written as YAML or
 * JSON text), and of mutations that make a valid spec insecure.
 *
 * "Valid" means valid by construction: names are DNS labels that are not reserved, domains are
 * unique and lie under an allowed zone, quota requests never exceed limits (compared exactly,
 * with integers), every tenant has an issuer (its own or the platform default).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { isReservedNamespace } from '../../src/threats/namespaces';
import { checkEgressToMetadata } from '../../src/threats/network';

/** A spec as plain data, the way a user would write it. */
export type SpecData = Record<string, any>;

/** Names no tenant (nor the platform) may take: the catalogue's own judgement, so that valid specs stay valid. */
const isReservedName = (n: string) => isReservedNamespace(n);

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const chars = (set: string) => fc.constantFrom(...set.split(''));

/**
 * `first`, then up to `maxInner` of `inner`, then (when there is an inner part or `always`) `last`.
 * Built from plain characters rather than `fc.stringMatching`, which costs ~100× more here.
 */
function word(first: string, inner: string, last: string, maxInner: number, minInner = 0): fc.Arbitrary<string> {
  return fc
    .tuple(chars(first), fc.array(chars(inner), { minLength: minInner, maxLength: maxInner }), fc.option(chars(last), { nil: undefined }))
    .map(([a, mid, z]) => (mid.length > 0 || minInner > 0 ? `${a}${mid.join('')}${z ?? last[0]}` : `${a}${z ?? ''}`));
}

/** DNS-1123 label starting with a letter, at most `max` characters. */
const label = (max: number) => word(LOWER, `${LOWER}${DIGITS}-`, LOWER + DIGITS, max - 2);

/** A tenant name: usually short, sometimes long, sometimes the longest allowed (55). */
const tenantName = fc
  .oneof(
    { weight: 4, arbitrary: label(20) },
    { weight: 1, arbitrary: word(LOWER, `${LOWER}${DIGITS}-`, LOWER + DIGITS, 53, 30) },
    { weight: 1, arbitrary: word(LOWER, `${LOWER}${DIGITS}-`, LOWER + DIGITS, 53, 53) },
  )
  .filter((n) => !isReservedName(n));

/** A host label: letters, digits, inner dashes; usually short, sometimes the full 63. */
const hostLabel = fc.oneof(
  { weight: 5, arbitrary: word(LOWER + DIGITS, `${LOWER}${DIGITS}-`, LOWER + DIGITS, 10) },
  { weight: 1, arbitrary: word(LOWER + DIGITS, `${LOWER}${DIGITS}-`, LOWER + DIGITS, 61, 61) },
);

const tld = fc.constantFrom('com', 'org', 'io', 'dev', 'example');

/** Label values (team, environment). */
const ALNUM = `${LOWER}${LOWER.toUpperCase()}${DIGITS}`;
const labelValue = word(ALNUM, `${ALNUM}-_.`, ALNUM, 20);

/** Owner names: anything printable, Unicode included, without surrounding spaces; `system:` identities are refused by the spec. */
const subject = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
  .filter((s) => /^[^\x00-\x1f\x7f]+$/.test(s) && s === s.trim() && !s.toLowerCase().startsWith('system:'));

const email = fc
  .tuple(fc.array(word(LOWER + DIGITS, LOWER + DIGITS, LOWER + DIGITS, 6), { minLength: 1, maxLength: 3 }), chars('._-'), word(LOWER, LOWER + DIGITS, LOWER + DIGITS, 8), tld)
  .map(([parts, sep, host, t]) => `${parts.join(sep)}@${host}.${t}`);

const acmeServer = fc.constantFrom(
  'https://acme-v02.api.letsencrypt.org/directory',
  'https://acme-staging-v02.api.letsencrypt.org/directory',
  'https://ca.internal.example.com/acme/directory',
);

export const issuer = fc.oneof(
  fc.record({ acme: fc.record({ email, server: acmeServer }, { requiredKeys: ['email'] }) }),
  fc.record({ ca: fc.record({ secretName: label(30) }) }),
  fc.constant({ selfSigned: {} }),
);
/** An issuer `platform.defaults` may preset: a CA there would hand every tenant the same key (refused). */
const defaultIssuer = issuer.filter((i) => !('ca' in i));

// --- quantities ---------------------------------------------------------------------------

/** CPU in millicores, written in one of the forms Kubernetes accepts. */
const cpuText = (milli: number) =>
  fc.constantFrom(
    ...[
      `${milli}m`,
      `${milli}e-3`,
      ...(milli % 1000 === 0 ? [`${milli / 1000}`, `${milli / 1000}e0`] : []),
      ...(milli % 100 === 0 ? [`${milli / 1000}`] : []),
    ],
  );

/** Memory in MiB, written in one of the forms Kubernetes accepts. */
const memoryText = (mib: number) =>
  fc.constantFrom(
    ...[
      `${mib}Mi`,
      `${mib * 1024}Ki`,
      `${mib * 1048576}`,
      ...(mib % 1024 === 0 ? [`${mib / 1024}Gi`] : []),
      ...((mib * 1048576) % 1000 === 0 ? [`${(mib * 1048576) / 1000}k`] : []),
    ],
  );

/**
 * `count` quantities in ascending order (each ≤ the next, compared as integers), each written
 * in a form of its own; often two are equal, written in two forms (`700m` and `0.7`), which
 * the spec must compare exactly.
 */
function ascending(count: number, value: fc.Arbitrary<number>, text: (n: number) => fc.Arbitrary<string>): fc.Arbitrary<string[]> {
  return fc
    .tuple(fc.array(value, { minLength: count, maxLength: count }), fc.array(fc.boolean(), { minLength: count, maxLength: count }))
    .map(([xs, ties]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      for (let i = 1; i < count; i++) if (ties[i]) sorted[i] = sorted[i - 1];
      return sorted;
    })
    .chain((xs) => fc.tuple(...xs.map(text)));
}

/** Millicores, often round (so that decimal forms such as `0.7` come up); MiB, often whole GiB. */
const milliCpu = fc.oneof(fc.integer({ min: 1, max: 64000 }), fc.integer({ min: 1, max: 640 }).map((x) => x * 100));
const mibMemory = fc.oneof(fc.integer({ min: 1, max: 65536 }), fc.integer({ min: 1, max: 64 }).map((x) => x * 1024));

/** `{cpu, memory}` objects in ascending order (requests ≤ limits, defaultRequest ≤ default ≤ max). */
function orderedCpuMemory(count: number): fc.Arbitrary<Array<{ cpu: string; memory: string }>> {
  return fc
    .tuple(ascending(count, milliCpu, (m) => cpuText(m)), ascending(count, mibMemory, (m) => memoryText(m)))
    .map(([cpus, mems]) => cpus.map((cpu, i) => ({ cpu, memory: mems[i] })));
}

const quota = fc
  .tuple(
    orderedCpuMemory(2),
    fc.record(
      {
        pods: fc.integer({ min: 1, max: 100000 }),
        services: fc.integer({ min: 1, max: 10000 }),
        persistentVolumeClaims: fc.integer({ min: 0, max: 10000 }),
        storage: fc.integer({ min: 1, max: 4096 }).map((g) => `${g}Gi`),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([[requests, limits], rest]) => ({ requests, limits, ...rest }));

const limits = orderedCpuMemory(3).map(([defaultRequest, dflt, max]) => ({ defaultRequest, default: dflt, max }));

const traefik = fc.record(
  {
    replicas: fc.integer({ min: 1, max: 20 }),
    serviceType: fc.constantFrom('LoadBalancer', 'ClusterIP'),
    logLevel: fc.constantFrom('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'),
    allowCrossNamespace: fc.constant(false),
    resources: orderedCpuMemory(2).map(([requests, lim]) => ({ requests, limits: lim })),
  },
  { requiredKeys: [] },
);

/** An egress CIDR outside the metadata services' ranges (those are refused, tested apart). */
const cidr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, n]) => `${ip}/${n}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, n]) => `${ip}/${n}`),
).filter((c) => checkEgressToMetadata(c) === undefined);

const egress = fc.record(
  { cidrs: fc.array(cidr, { maxLength: 3 }), ports: fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }) },
  { requiredKeys: [] },
);

/** The fields a tenant and `platform.defaults` share (issuer apart). */
const settings = fc.record(
  {
    team: labelValue,
    environment: labelValue,
    secrets: fc.constantFrom('read-only', 'manage'),
    podSecurity: fc.constantFrom('restricted', 'baseline'),
    quota,
    limits,
    traefik,
    egress,
  },
  { requiredKeys: [] },
);

// --- the spec -------------------------------------------------------------------------------

const wildcard = (zones: readonly string[]) =>
  fc.record(
    {
      dnsNames: fc.uniqueArray(
        fc.tuple(fc.constantFrom(...zones), fc.option(hostLabel, { nil: undefined }), fc.boolean()).map(([zone, sub, star]) =>
          `${star ? '*.' : ''}${sub ? `${sub}.` : ''}${zone}`),
        { minLength: 1, maxLength: 3 },
      ),
      secretName: label(40),
      acme: fc.record(
        {
          email,
          server: acmeServer,
          dns01: fc.oneof(
            fc.record({ cloudflare: fc.record({ apiTokenSecretRef: fc.record({ name: label(20), key: label(20) }) }) }),
            fc.record({ route53: fc.record({ region: fc.constantFrom('eu-west-1', 'us-east-1'), hostedZoneID: word('Z', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', DIGITS, 10, 4) }, { requiredKeys: ['region'] }) }),
          ),
        },
        { requiredKeys: ['email', 'dns01'] },
      ),
    },
    { requiredKeys: ['dnsNames', 'acme'] },
  );

/** Mixed case now and then: domains are case-insensitive, and the spec lowercases them. */
const maybeUpper = (domain: string) => fc.constantFrom(domain, domain, domain, domain.toUpperCase());

/** `platform.ceilings` above every value the arbitraries generate. */
const GENEROUS_CEILINGS = {
  quota: { requests: { cpu: '100000', memory: '1000Ti' }, limits: { cpu: '100000', memory: '1000Ti' }, pods: 1000000, services: 1000000, persistentVolumeClaims: 1000000, storage: '1000Pi' },
  traefik: { replicas: 20, resources: { requests: { cpu: '100000', memory: '1000Ti' }, limits: { cpu: '100000', memory: '1000Ti' } } },
  domains: 1000,
};

/** A valid spec: 1 to `maxTenants` tenants with 1 to 3 domains each, under 1 to 3 allowed zones. */
export function validSpec(maxTenants = 4): fc.Arbitrary<SpecData> {
  return fc
    .record({
      zones: fc.uniqueArray(fc.tuple(hostLabel, tld).map(([l, t]) => `${l}.${t}`), { minLength: 1, maxLength: 3 }),
      platformNamespace: fc.oneof(fc.constant('traefik'), label(30).filter((n) => !isReservedName(n))),
      names: fc.uniqueArray(tenantName, { minLength: 1, maxLength: maxTenants }),
    })
    .filter(({ platformNamespace, names }) => !names.includes(platformNamespace))
    .chain(({ zones, platformNamespace, names }) => {
      const domain = fc
        .tuple(fc.constantFrom(...zones), fc.array(hostLabel, { minLength: 1, maxLength: 2 }))
        .map(([zone, labels]) => [...labels, zone].join('.'))
        .filter((d) => d.length <= 253);
      return fc
        .record({
          domains: fc.uniqueArray(domain, { minLength: names.length, maxLength: names.length * 3 }),
          // Which tenant gets each domain past the first one each.
          owners: fc.array(fc.nat(names.length - 1), { minLength: names.length * 2, maxLength: names.length * 2 }),
          defaults: fc.option(fc.tuple(settings, fc.option(defaultIssuer, { nil: undefined })), { nil: undefined }),
          tenantSettings: fc.array(fc.tuple(settings, fc.option(issuer, { nil: undefined })), { minLength: names.length, maxLength: names.length }),
          tenantOwners: fc.array(
            fc.record({ groups: fc.array(subject, { maxLength: 2 }), users: fc.array(subject, { maxLength: 2 }) })
              .filter((o) => o.groups.length + o.users.length > 0)
              .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v.length > 0))),
            { minLength: names.length, maxLength: names.length },
          ),
          wildcard: fc.option(wildcard(zones), { nil: undefined }),
          image: fc.constantFrom(undefined, 'traefik:v3.7.11', 'registry.example.com/mirror/traefik:v3.7.11', `traefik:v3.7.11@sha256:${'a'.repeat(64)}`),
          explicitNamespace: fc.boolean(),
        })
        .chain((parts) => {
          const perTenant: string[][] = names.map((_, i) => [parts.domains[i]]);
          parts.domains.slice(names.length).forEach((d, j) => perTenant[parts.owners[j]].push(d));
          return fc.tuple(...perTenant.map((ds) => fc.tuple(...ds.map(maybeUpper)))).map((cased) => {
            const defaultIssuer = parts.defaults?.[1];
            // Ceilings above everything generated: their own refusals are tested apart.
            const platform: SpecData = { allowedDomains: zones, ceilings: GENEROUS_CEILINGS };
            if (parts.explicitNamespace || platformNamespace !== 'traefik' || parts.image) {
              platform.traefik = { ...(platformNamespace !== 'traefik' || parts.explicitNamespace ? { namespace: platformNamespace } : {}), ...(parts.image ? { image: parts.image } : {}) };
            }
            if (parts.wildcard) platform.wildcard = parts.wildcard;
            if (parts.defaults) platform.defaults = { ...parts.defaults[0], ...(defaultIssuer ? { issuer: defaultIssuer } : {}) };
            const tenants = names.map((name, i) => {
              const [own, ownIssuer] = parts.tenantSettings[i];
              // Every tenant needs an issuer: its own, else the platform default.
              const tenantIssuer = ownIssuer ?? (defaultIssuer ? undefined : { selfSigned: {} });
              return { name, domains: cased[i], owners: parts.tenantOwners[i], ...own, ...(tenantIssuer ? { issuer: tenantIssuer } : {}) };
            });
            return { platform, tenants };
          });
        });
    });
}

/** The spec as text: block YAML, flow YAML or JSON (JSON is YAML too). */
export function specText(spec: SpecData, style: 'block' | 'flow' | 'json'): string {
  if (style === 'json') return JSON.stringify(spec, null, 2);
  if (style === 'flow') return stringify(spec, { collectionStyle: 'flow', lineWidth: 0 });
  return stringify(spec);
}

export const textStyle = fc.constantFrom<'block' | 'flow' | 'json'>('block', 'block', 'flow', 'json');

// --- mutations ------------------------------------------------------------------------------

/** A mutated spec and the path (as the SpecError prints it) that the refusal must name. */
export interface Mutation {
  readonly kind: string;
  readonly spec: SpecData;
  readonly path: readonly (string | number)[];
  /** A word the refusal's message must contain. */
  readonly mentions: string;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** Every mapping in the spec, with its path: where an unknown key can go. */
function mappings(node: unknown, path: (string | number)[] = []): Array<(string | number)[]> {
  if (Array.isArray(node)) return node.flatMap((x, i) => mappings(x, [...path, i]));
  if (node === null || typeof node !== 'object') return [];
  return [path, ...Object.entries(node).flatMap(([k, v]) => mappings(v, [...path, k]))];
}

function at(root: SpecData, path: readonly (string | number)[]): any {
  return path.reduce((node: any, key) => node[key], root);
}

/** Keys that are misspelt or unknown at every level of a spec. */
const unknownKey = fc.oneof(
  fc.constantFrom('domain', 'owner', 'allowCrossNamespaces', 'podsecurity', 'replica', 'quotas', 'issuers', 'dnsName', 'selfsigned', 'Secrets', 'nmae', 'clusterissuer', '__proto__', 'constructor'),
  word(LOWER, `${ALNUM}_-`, ALNUM, 10).map((s) => `zz${s}`),
);

export const MUTATION_KINDS = [
  'allowCrossNamespace', 'wildcard domain', 'duplicate domain', 'privileged', 'reserved name', 'clusterIssuer', 'unknown key',
  'system owner', 'request above limit',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** One insecure change to a valid spec, of one of `kinds`. */
export function mutation(spec: SpecData, kinds: readonly MutationKind[] = MUTATION_KINDS): fc.Arbitrary<Mutation> {
  const tenants: SpecData[] = spec.tenants;
  const n = tenants.length;
  const tenantIndex = fc.nat(n - 1);
  const platformNamespace: string = spec.platform.traefik?.namespace ?? 'traefik';
  const hasDefaults = spec.platform.defaults !== undefined;
  const options: Record<MutationKind, fc.Arbitrary<Mutation>> = {
    // allowCrossNamespace: true, on a tenant or in the platform defaults.
    allowCrossNamespace: fc.tuple(tenantIndex, fc.boolean()).map(([i, inDefaults]) => {
      const s = clone(spec);
      const useDefaults = inDefaults && hasDefaults;
      const owner = useDefaults ? s.platform.defaults : s.tenants[i];
      owner.traefik = { ...(owner.traefik ?? {}), allowCrossNamespace: true };
      const path = useDefaults ? ['platform', 'defaults', 'traefik', 'allowCrossNamespace'] : ['tenants', i, 'traefik', 'allowCrossNamespace'];
      return { kind: 'allowCrossNamespace', spec: s, path, mentions: 'cross-namespace' };
    }),
    // A wildcard domain on a tenant.
    'wildcard domain': tenantIndex.chain((i) => fc.tuple(fc.constant(i), fc.nat(tenants[i].domains.length - 1), fc.constantFrom('*.', 'api.*.', '*'))).map(([i, j, form]) => {
      const s = clone(spec);
      const zone = s.platform.allowedDomains[0];
      s.tenants[i].domains[j] = form === '*' ? '*' : `${form}${zone}`;
      return { kind: 'wildcard domain', spec: s, path: ['tenants', i, 'domains', j], mentions: 'wildcard' };
    }),
    // A domain of one tenant claimed again by a later tenant (or by the same one), in any case.
    'duplicate domain': fc.tuple(tenantIndex, tenantIndex, fc.nat(8), fc.nat(8), fc.boolean()).map(([a, b, jSrc, jDst, upper]) => {
      const [first, second] = a <= b ? [a, b] : [b, a];
      const s = clone(spec);
      const domain: string = s.tenants[first].domains[jSrc % s.tenants[first].domains.length];
      const list: string[] = s.tenants[second].domains;
      // Within one tenant the copy goes after the original, so the copy is the one refused.
      const lowest = first === second ? list.indexOf(domain) + 1 : 0;
      const k = lowest + (jDst % (list.length - lowest + 1));
      list.splice(k, 0, upper ? domain.toUpperCase() : domain);
      return { kind: 'duplicate domain', spec: s, path: ['tenants', second, 'domains', k], mentions: 'claimed twice' };
    }),
    // podSecurity: privileged, on a tenant or in the platform defaults.
    privileged: fc.tuple(tenantIndex, fc.boolean()).map(([i, inDefaults]) => {
      const s = clone(spec);
      const useDefaults = inDefaults && hasDefaults;
      (useDefaults ? s.platform.defaults : s.tenants[i]).podSecurity = 'privileged';
      return { kind: 'privileged', spec: s, path: useDefaults ? ['platform', 'defaults', 'podSecurity'] : ['tenants', i, 'podSecurity'], mentions: 'privileged' };
    }),
    // A reserved tenant name.
    'reserved name': fc.tuple(tenantIndex, fc.constantFrom('default', 'cert-manager', 'kube-system', 'kube-public', 'kube-node-lease', 'kube-x', '<platform>')).map(([i, name]) => {
      const s = clone(spec);
      s.tenants[i].name = name === '<platform>' ? platformNamespace : name;
      return { kind: 'reserved name', spec: s, path: ['tenants', i, 'name'], mentions: name === '<platform>' ? 'platform namespace' : 'reserved' };
    }),
    // A ClusterIssuer, alone or beside a namespaced issuer, on a tenant or in the defaults.
    clusterIssuer: fc.tuple(tenantIndex, fc.boolean(), fc.boolean()).map(([i, inDefaults, beside]) => {
      const s = clone(spec);
      const useDefaults = inDefaults && hasDefaults;
      const owner = useDefaults ? s.platform.defaults : s.tenants[i];
      owner.issuer = { ...(beside ? owner.issuer ?? { selfSigned: {} } : {}), clusterIssuer: { name: 'letsencrypt-prod' } };
      const base = useDefaults ? ['platform', 'defaults'] : ['tenants', i];
      return { kind: 'clusterIssuer', spec: s, path: [...base, 'issuer', 'clusterIssuer'], mentions: 'ClusterIssuer' };
    }),
    // An unknown key in any mapping of the spec.
    'unknown key': fc.tuple(fc.constantFrom(...mappings(spec)), unknownKey, fc.jsonValue({ maxDepth: 2 }))
      .filter(([path, key]) => !Object.prototype.hasOwnProperty.call(at(spec, path), key))
      .map(([path, key, value]) => {
        const s = clone(spec);
        // defineProperty: a plain `__proto__` assignment would set the prototype, not a key.
        Object.defineProperty(at(s, path), key, { value: value ?? 1, enumerable: true, writable: true, configurable: true });
        return { kind: 'unknown key', spec: s, path: [...path, key], mentions: `unknown field \`${key}\`` };
      }),
    // A Kubernetes system identity among the owners (it would hand the tenant to service accounts, nodes or everyone).
    'system owner': fc
      .tuple(tenantIndex, fc.constantFrom('groups', 'users'), fc.nat(4), fc.constantFrom(
        'system:authenticated', 'system:unauthenticated', 'system:serviceaccounts', 'system:serviceaccounts:kube-system',
        'system:serviceaccount:traefik:default', 'system:nodes', 'System:Masters', 'system:anonymous',
      ))
      .map(([i, list, k, name]) => {
        const s = clone(spec);
        const names: string[] = (s.tenants[i].owners[list] ??= []);
        const at = k % (names.length + 1);
        names.splice(at, 0, name);
        return { kind: 'system owner', spec: s, path: ['tenants', i, 'owners', list, at], mentions: 'system identity' };
      }),
    // A request above its limit: quota, LimitRange or the tenant's Traefik, CPU or memory, in any written form.
    'request above limit': fc
      .tuple(
        tenantIndex,
        fc.constantFrom<[string[], string, string]>([['quota'], 'requests', 'limits'], [['limits'], 'defaultRequest', 'default'], [['limits'], 'default', 'max'], [['traefik', 'resources'], 'requests', 'limits']),
        fc.constantFrom<['cpu', string, string] | ['memory', string, string]>(['cpu', '2', '1999m'], ['cpu', '1001m', '1'], ['cpu', '0.5', '499m'], ['memory', '1Gi', '1023Mi'], ['memory', '1025Mi', '1Gi'], ['memory', '1e9', '953Mi']),
      )
      .map(([i, [section, low, high], [res, big, small]]) => {
        const s = clone(spec);
        let owner = s.tenants[i];
        for (const key of section) owner = owner[key] ??= {};
        (owner[low] ??= {})[res] = big;
        (owner[high] ??= {})[res] = small;
        // Keep the rest of a LimitRange triple in order around the broken pair.
        if (low === 'defaultRequest' && owner.max) owner.max[res] = big;
        if (high === 'max' && owner.defaultRequest) owner.defaultRequest[res] = small;
        return { kind: 'request above limit', spec: s, path: ['tenants', i, ...section, low, res], mentions: 'is more than' };
      }),
  };
  return fc.oneof(...kinds.map((k) => options[k]));
}
