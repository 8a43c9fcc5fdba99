/**
 * The spec's shape, in zod. Everything a user can write in `tenancy.yaml` (or a file under
 * `tenantsDir`) is declared here, strictly: an unknown key is an error, never ignored.
 * Cross-field rules (duplicates, allowed domains, merged defaults) live in `checkSpec`
 * at the bottom, so every refusal of the spec is in this file or in `rules.ts`.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults';
import {
  checkAllowCrossNamespace,
  checkArgoServer,
  checkGitOpsNamespace,
  checkGitUrl,
  checkOwnerSubject,
  checkPlatformNamespace,
  checkPodSecurity,
  checkTraefikImage,
  checkRepoPath,
  checkSyncNamespace,
  checkSyncVia,
  checkTenantDomain,
  checkTenantName,
  checkVaultField,
  checkWildcardDnsName,
  CLUSTER_ISSUER_REFUSAL,
  DNS_SUBDOMAIN,
  duplicateSyncNamespaceRefusal,
  durationSeconds,
  EMPTY_SYNC_LIST_REFUSAL,
  HOST_LABEL,
  isWithin,
  MAX_TRAEFIK_REPLICAS,
  MIN_FLUX_INTERVAL_SECONDS,
  tenantInSyncToRefusal,
  tenantIsGitOpsNamespaceRefusal,
} from './rules';
import { compareQuantities, isQuantity } from './quantity';

/**
 * A Kubernetes quantity such as `500m`, `2`, `4Gi`. A plain YAML number (`cpu: 4`, `cpu: 0.5`) is
 * accepted as its decimal text; one JavaScript would print differently from how it was written
 * (huge, exponent, hexadecimal) is refused, so the output never carries a value nobody wrote.
 */
const quantity = z.preprocess(
  (v) => (typeof v === 'number' && /^\d{1,15}(\.\d{1,6})?$/.test(String(v)) ? String(v) : v),
  z.string({ error: (iss) => `\`${String(iss.input)}\` cannot be kept exactly as a number — write it as a quoted string, e.g. \`"4"\` or \`"500m"\`` }).refine(isQuantity, {
    error: (iss) => `\`${String(iss.input)}\` is not a Kubernetes quantity — write e.g. \`500m\`, \`2\`, \`512Mi\` or \`4Gi\``,
  }),
);

const cpuMemory = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });
const labelValue = z
  .string()
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/, {
    error: 'must be a Kubernetes label value: at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit — shorten or rename it',
  });

/** The refinement that adds `check`'s refusal, if it has one, as an issue at the value's path. */
function refusedBy<T>(check: (value: T) => string | undefined) {
  return (value: T, ctx: z.RefinementCtx) => {
    const refusal = check(value);
    if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
  };
}

const subjectName = z.string().superRefine(refusedBy(checkOwnerSubject));
const email = z.email({ error: 'is not an e-mail address — ACME needs an address for expiry notices, e.g. `platform@example.com`' });
const url = z.url({ protocol: /^https$/, error: 'must be an https URL of an ACME directory — omit it for Let\'s Encrypt production' });

const secretKeyRef = z.strictObject({ name: z.string().min(1), key: z.string().min(1) });

const acmeIssuer = z.strictObject({
  email,
  server: url.optional(),
});

/** A tenant's own issuer: exactly one of `acme`, `ca`, `selfSigned`. `clusterIssuer` is refused with the reason. */
const issuer = z
  .strictObject({
    acme: acmeIssuer.optional(),
    ca: z.strictObject({ secretName: z.string().min(1) }).optional(),
    selfSigned: z.strictObject({}).optional(),
    clusterIssuer: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.clusterIssuer !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['clusterIssuer'], message: CLUSTER_ISSUER_REFUSAL });
      return;
    }
    const kinds = (['acme', 'ca', 'selfSigned'] as const).filter((k) => value[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: kinds.length === 0
          ? 'names no issuer — set one of `acme`, `ca` or `selfSigned`'
          : `sets ${kinds.map((k) => `\`${k}\``).join(' and ')} — keep exactly one`,
      });
    }
  });

const traefik = z.strictObject({
  replicas: z.int().min(1).max(MAX_TRAEFIK_REPLICAS).optional(),
  allowCrossNamespace: z.boolean().optional().superRefine(refusedBy(checkAllowCrossNamespace)),
  serviceType: z.enum(['LoadBalancer', 'ClusterIP']).optional(),
  logLevel: z.preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'])).optional(),
  resources: z.strictObject({ requests: cpuMemory.optional(), limits: cpuMemory.optional() }).optional(),
});

const podSecurity = z.string().superRefine((v, ctx) => {
  const refusal = checkPodSecurity(v);
  if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
  else if (v !== 'restricted' && v !== 'baseline') {
    ctx.addIssue({ code: 'custom', message: `\`${v}\` is not a Pod Security level — use \`restricted\` or \`baseline\`` });
  }
});

const cidr = z.string().refine((v) => z.cidrv4().safeParse(v).success || z.cidrv6().safeParse(v).success, {
  error: (iss) => `\`${String(iss.input)}\` is not a CIDR — write e.g. \`10.0.0.0/8\` or \`0.0.0.0/0\``,
});

/** The fields a tenant may set and `platform.defaults` may preset. */
const tenantSettingsShape = {
  team: labelValue.optional(),
  environment: labelValue.optional(),
  secrets: z.enum(['read-only', 'manage']).optional(),
  podSecurity: podSecurity.optional(),
  quota: z
    .strictObject({
      requests: cpuMemory.optional(),
      limits: cpuMemory.optional(),
      pods: z.int().min(1).max(100000).optional(),
      services: z.int().min(1, { error: 'is below 1 — cert-manager\'s HTTP-01 solver needs a Service in the tenant namespace to issue certificates' }).max(10000).optional(),
      persistentVolumeClaims: z.int().min(0).max(10000).optional(),
      storage: quantity.optional(),
    })
    .optional(),
  limits: z.strictObject({ default: cpuMemory.optional(), defaultRequest: cpuMemory.optional(), max: cpuMemory.optional() }).optional(),
  traefik: traefik.optional(),
  issuer: issuer.optional(),
  egress: z.strictObject({ cidrs: z.array(cidr).optional(), ports: z.array(z.int().min(1).max(65535)).optional() }).optional(),
};

const domain = z.string().transform((v) => v.toLowerCase()).superRefine(refusedBy(checkTenantDomain));

/** One tenant: inline under `tenants`, or a file of its own under `tenantsDir`. */
export const tenantSchema = z.strictObject({
  name: z.string(),
  ...tenantSettingsShape,
  domains: z.array(domain).min(1, { error: 'lists no domain — add the host names this tenant serves' }),
  owners: z
    .strictObject({ groups: z.array(subjectName).optional(), users: z.array(subjectName).optional() })
    .refine((o) => (o.groups?.length ?? 0) + (o.users?.length ?? 0) > 0, {
      error: 'names no subject — add at least one group or user who administers this tenant',
    }),
});

const dns01 = z
  .strictObject({
    cloudflare: z.strictObject({ apiTokenSecretRef: secretKeyRef }).optional(),
    route53: z.strictObject({ region: z.string().min(1), hostedZoneID: z.string().min(1).optional() }).optional(),
  })
  .refine((d) => (d.cloudflare ? 1 : 0) + (d.route53 ? 1 : 0) === 1, {
    error: 'must name exactly one DNS provider — set `cloudflare` or `route53`',
  });

/** Copies of the wildcard certificate's Secret, by reflector or replicator, to the namespaces listed by name. */
const syncTo = z.strictObject({
  via: z.string().superRefine(refusedBy(checkSyncVia)),
  // Each entry is checked in `checkSpec`, which knows the platform namespace and the tenants.
  namespaces: z.array(z.string()).min(1, { error: EMPTY_SYNC_LIST_REFUSAL }),
});

const wildcard = z.strictObject({
  dnsNames: z
    .array(z.string().transform((v) => v.toLowerCase()).superRefine(refusedBy(checkWildcardDnsName)))
    .min(1, { error: 'lists no name — add e.g. `*.apps.example.com`' }),
  secretName: z.string().regex(DNS_SUBDOMAIN, {
    error: 'must be a Secret name (a DNS-1123 subdomain: lowercase letters, digits, `-` and `.`) — e.g. `platform-wildcard-tls`',
  }).max(253).optional(),
  acme: z.strictObject({
    email,
    server: url.optional(),
    dns01: dns01.optional(),
    http01: z.unknown().optional(),
  }).superRefine((acme, ctx) => {
    if (acme.dns01 === undefined || acme.http01 !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: acme.http01 === undefined ? [] : ['http01'],
        message: acme.dns01 === undefined
          ? 'a wildcard certificate can only be issued through a DNS-01 challenge — add `dns01` with your DNS provider (e.g. `cloudflare.apiTokenSecretRef`)'
          : 'a wildcard certificate can only be issued through a DNS-01 challenge, so `http01` would never be used — remove it',
      });
    }
  }),
  syncTo: syncTo.optional(),
});

/** A string checked by one of the rules: `check` answers with the refusal, or undefined when fine. */
const checkedString = (check: (value: string) => string | undefined) => z.string().superRefine(refusedBy(check));
const noSpaces = (example: string) => z.string().regex(/^\S+$/, { error: `must be one word without spaces, e.g. \`${example}\`` });
const dnsLabel = (example: string) => z.string().regex(HOST_LABEL, { error: `must be a DNS-1123 label, e.g. \`${example}\`` }).max(63);
const repoPath = checkedString(checkRepoPath);

/** External Secrets Operator: a namespaced SecretStore per tenant, scoped to the tenant in Vault. */
const externalSecrets = z.strictObject({
  vault: z.strictObject({
    server: checkedString((v) => checkVaultField('server', v)),
    path: checkedString((v) => checkVaultField('path', v)).optional(),
    version: z.enum(['v1', 'v2']).optional(),
    role: checkedString((v) => checkVaultField('role', v)).optional(),
    authMountPath: checkedString((v) => checkVaultField('authMountPath', v)).optional(),
  }),
});

/** A Go duration, as Flux reads `interval`, of at least `MIN_FLUX_INTERVAL_SECONDS`. */
const interval = z.string()
  .regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/, { error: 'must be a duration such as `10m` or `1h`', abort: true })
  .refine((v) => durationSeconds(v) >= MIN_FLUX_INTERVAL_SECONDS, {
    error: `must be at least \`${MIN_FLUX_INTERVAL_SECONDS}s\`, e.g. \`10m\` — every tenant has a GitRepository of its own, and polling each more often floods the Git server`,
  });
const dnsSubdomain = (example: string) => z.string()
  .regex(DNS_SUBDOMAIN, { error: `must be a DNS-1123 subdomain (lower-case letters, digits, \`-\` and \`.\`), e.g. \`${example}\`` })
  .max(253);

/** A GitOps engine that applies each tenant's file: Argo CD or Flux, exactly one. */
const gitops = z
  .strictObject({
    argocd: z.strictObject({
      repoURL: checkedString((v) => checkGitUrl(v, 'argocd')),
      targetRevision: noSpaces('main').optional(),
      path: repoPath.optional(),
      namespace: dnsLabel('argocd').optional(),
      project: dnsSubdomain('default').optional(),
      server: checkedString(checkArgoServer).optional(),
    }).optional(),
    flux: z.strictObject({
      url: checkedString((v) => checkGitUrl(v, 'flux')),
      branch: noSpaces('main').optional(),
      path: repoPath.optional(),
      namespace: dnsLabel('flux-system').optional(),
      interval: interval.optional(),
      secretRef: dnsSubdomain('git-credentials').optional(),
    }).superRefine((flux, ctx) => {
      if (flux.url.startsWith('ssh://') && flux.secretRef === undefined) {
        ctx.addIssue({ code: 'custom', path: ['secretRef'], message: 'an ssh URL needs a deploy key — set `secretRef` to the Secret (in the Flux namespace) holding `identity` and `known_hosts`' });
      }
    }).optional(),
  })
  .refine((g) => (g.argocd ? 1 : 0) + (g.flux ? 1 : 0) === 1, {
    error: 'must name exactly one GitOps engine — set `argocd` or `flux`',
  });

const platform = z.strictObject({
  traefik: z.strictObject({
    namespace: dnsLabel('traefik').optional(),
    image: z.string().superRefine(refusedBy(checkTraefikImage)).optional(),
  }).optional(),
  allowedDomains: z.array(z.string().transform((v) => v.toLowerCase()).superRefine(refusedBy(checkTenantDomain))).min(1, { error: 'lists no zone, which would refuse every domain — list the zones tenants may use, or remove the field' }).optional(),
  wildcard: wildcard.optional(),
  defaults: z.strictObject(tenantSettingsShape).optional(),
  admission: z.enum(['native', 'kyverno', 'none']).optional(),
  externalSecrets: externalSecrets.optional(),
  gitops: gitops.optional(),
});

export const specSchema = z
  .strictObject({
    platform: platform.optional(),
    tenantsDir: z.string().min(1).optional(),
    tenants: z.array(tenantSchema).optional(),
  })
  .superRefine(checkSpec, { when: () => true });

export type TenantInput = z.infer<typeof tenantSchema>;
export type TenantSettings = z.infer<z.ZodObject<typeof tenantSettingsShape>>;
export type SpecInput = z.infer<typeof specSchema>;

/**
 * Rules that need the whole spec: names and domains across tenants, allowed zones, merged
 * defaults. They run even when some fields are malformed (so every problem is reported at
 * once), and so read the data defensively: a field of the wrong type is skipped here, since
 * the shape check already reported it.
 */
function checkSpec(input: unknown, ctx: z.RefinementCtx): void {
  const spec = asRecord(input);
  const platformInput = asRecord(spec.platform);
  const namespaceInput = asRecord(platformInput.traefik).namespace;
  const platformNamespace = typeof namespaceInput === 'string' ? namespaceInput : DEFAULTS.platform.traefikNamespace;
  const allowed = Array.isArray(platformInput.allowedDomains) ? platformInput.allowedDomains.filter(isString).map((d) => d.toLowerCase()) : undefined;
  const defaults = asRecord(platformInput.defaults);
  const tenants = Array.isArray(spec.tenants) ? spec.tenants : [];
  const nameOwner = new Map<string, number>();
  const domainOwner = new Map<string, { name: string; index: number }>();

  const syncInput = asRecord(asRecord(platformInput.wildcard).syncTo).namespaces;
  const syncNamespaces = Array.isArray(syncInput) ? syncInput : [];
  const gitopsInput = asRecord(platformInput.gitops);
  const engine = gitopsInput.argocd !== undefined ? 'argocd' : gitopsInput.flux !== undefined ? 'flux' : undefined;
  const engineNamespace = engine && asRecord(gitopsInput[engine]).namespace;
  const gitopsNamespace = engine && (isString(engineNamespace) ? engineNamespace : DEFAULTS.platform[engine].namespace);

  const platformRefusal = checkPlatformNamespace(platformNamespace);
  if (platformRefusal) ctx.addIssue({ code: 'custom', path: ['platform', 'traefik', 'namespace'], message: platformRefusal });
  if (tenants.length === 0 && spec.tenants === undefined) {
    ctx.addIssue({ code: 'custom', path: ['tenants'], message: 'the spec defines no tenant — add one under `tenants`, or a file under `tenantsDir`' });
  }

  tenants.forEach((tenantInput, i) => {
    const tenant = asRecord(tenantInput);
    const at = (...rest: PropertyKey[]) => ['tenants', i, ...rest];
    const name = isString(tenant.name) ? tenant.name : undefined;
    if (name !== undefined) {
      const nameRefusal = checkTenantName(name, platformNamespace)
        ?? (syncNamespaces.includes(name) ? tenantInSyncToRefusal(name) : undefined)
        ?? (name === gitopsNamespace ? tenantIsGitOpsNamespaceRefusal(name, `platform.gitops.${engine}.namespace`) : undefined);
      if (nameRefusal) ctx.addIssue({ code: 'custom', path: at('name'), message: nameRefusal });
      const first = nameOwner.get(name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: at('name'), message: `tenant \`${name}\` is defined twice (first as tenants[${first}]) — rename one or merge them` });
      } else {
        nameOwner.set(name, i);
      }
    }

    const domains = Array.isArray(tenant.domains) ? tenant.domains : [];
    domains.forEach((raw, j) => {
      if (!isString(raw)) return;
      const d = raw.toLowerCase();
      if (checkTenantDomain(d) !== undefined) return; // already refused on its own
      const owner = domainOwner.get(d);
      if (owner !== undefined) {
        const whose = owner.index === i ? 'this tenant already lists it' : `tenant \`${owner.name}\` already claims it`;
        ctx.addIssue({ code: 'custom', path: at('domains', j), message: `\`${d}\` is claimed twice: ${whose} — a host belongs to one tenant only; remove one entry` });
      } else {
        domainOwner.set(d, { name: name ?? `tenants[${i}]`, index: i });
      }
      if (allowed && !allowed.some((zone) => isWithin(d, zone))) {
        ctx.addIssue({ code: 'custom', path: at('domains', j), message: `\`${d}\` is outside \`platform.allowedDomains\` (${allowed.join(', ')}) — use a host under one of them, or ask the platform team to allow its zone` });
      }
    });

    if (tenant.issuer === undefined && defaults.issuer === undefined) {
      ctx.addIssue({ code: 'custom', path: at('issuer'), message: 'no issuer for this tenant\'s certificates — set `issuer` here or in `platform.defaults.issuer`' });
    }
    checkResourceOrder(tenant, defaults, at, ctx);
  });

  const wildcardInput = asRecord(platformInput.wildcard);
  const tokenName = asRecord(asRecord(asRecord(asRecord(wildcardInput.acme).dns01).cloudflare).apiTokenSecretRef).name;
  const wildcardSecret = isString(wildcardInput.secretName) ? wildcardInput.secretName : DEFAULTS.platform.wildcardSecretName;
  if (isString(tokenName) && tokenName === wildcardSecret) {
    ctx.addIssue({ code: 'custom', path: ['platform', 'wildcard', 'secretName'], message: `\`${wildcardSecret}\` is also the Secret of the DNS-01 API token, which cert-manager would overwrite with the certificate — give the certificate a Secret of its own, e.g. \`platform-wildcard-tls\`` });
  }

  syncNamespaces.forEach((ns, j) => {
    if (!isString(ns)) return;
    // A tenant of that name is refused at its own name (see tenantInSyncToRefusal).
    const refusal = checkSyncNamespace(ns, platformNamespace)
      ?? (syncNamespaces.indexOf(ns) < j ? duplicateSyncNamespaceRefusal(ns) : undefined);
    if (refusal) ctx.addIssue({ code: 'custom', path: ['platform', 'wildcard', 'syncTo', 'namespaces', j], message: refusal });
  });

  // A tenant of that name is refused at its own name (see tenantIsGitOpsNamespaceRefusal).
  if (engine && isString(engineNamespace)) {
    const refusal = checkGitOpsNamespace(engineNamespace, platformNamespace, DEFAULTS.platform[engine].namespace);
    if (refusal) ctx.addIssue({ code: 'custom', path: ['platform', 'gitops', engine, 'namespace'], message: refusal });
  }

  const dnsNames = asRecord(platformInput.wildcard).dnsNames;
  (Array.isArray(dnsNames) ? dnsNames : []).forEach((name, j) => {
    if (!isString(name)) return;
    const zone = name.toLowerCase().replace(/^\*\./, '');
    if (allowed && !allowed.some((z2) => isWithin(zone, z2))) {
      ctx.addIssue({ code: 'custom', path: ['platform', 'wildcard', 'dnsNames', j], message: `\`${name}\` is outside \`platform.allowedDomains\` — use a zone under one of them` });
    }
  });
}

/** The built-in resource values, by section, for `checkResourceOrder`. */
const BUILT_IN_RESOURCES: Record<string, Record<string, Record<string, string>>> = {
  quota: DEFAULTS.tenant.quota as unknown as Record<string, Record<string, string>>,
  limits: DEFAULTS.tenant.limits,
  'traefik.resources': DEFAULTS.tenant.traefik.resources,
};

/** Pairs of values where the first may not exceed the second: [section, lower, higher]. */
const ORDERED_RESOURCE_PAIRS: ReadonlyArray<[section: string, low: string, high: string]> = [
  ['quota', 'requests', 'limits'],
  ['limits', 'defaultRequest', 'default'],
  ['limits', 'default', 'max'],
  ['traefik.resources', 'requests', 'limits'],
];

/**
 * Requests may not exceed limits once a tenant's values are merged over the defaults:
 * quota requests ≤ quota limits, and LimitRange defaultRequest ≤ default ≤ max.
 */
function checkResourceOrder(
  tenant: Record<string, unknown>,
  defaults: Record<string, unknown>,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  ctx: z.RefinementCtx,
): void {
  const valueAt = (root: Record<string, unknown>, section: string, group: string, res: string): string | undefined => {
    const v = asRecord(asRecord(root[section])[group])[res];
    const text = typeof v === 'number' ? String(v) : v;
    return isString(text) && isQuantity(text) ? text : undefined;
  };
  const sectionOf = (root: Record<string, unknown>, section: string) =>
    section === 'traefik.resources' ? { [section]: asRecord(asRecord(root.traefik).resources) } : root;
  const pick = (section: string, group: string, res: 'cpu' | 'memory'): string | undefined =>
    valueAt(sectionOf(tenant, section), section, group, res) ?? valueAt(sectionOf(defaults, section), section, group, res) ?? BUILT_IN_RESOURCES[section][group][res];
  for (const [section, low, high] of ORDERED_RESOURCE_PAIRS) {
    for (const res of ['cpu', 'memory'] as const) {
      const a = pick(section, low, res);
      const b = pick(section, high, res);
      if (a !== undefined && b !== undefined && compareQuantities(a, b) > 0) {
        const own = valueAt(sectionOf(tenant, section), section, low, res) !== undefined ? low : high;
        ctx.addIssue({
          code: 'custom',
          path: at(...section.split('.'), own, res),
          message: `${section}.${low}.${res} (${a}) is more than ${section}.${high}.${res} (${b}) — Kubernetes rejects a request above its limit; lower the first or raise the second`,
        });
      }
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
