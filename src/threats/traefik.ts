/**
 * Threats through Traefik: an instance that sees more than its tenant, follows references across
 * namespaces, or can read every Secret; the shared TLS defaults; and images and sizes that break.
 */
import { DetectorRun, KubeObjectLike, listOf, objectRef } from './detect/engine';
import { describeSubject, serviceAccountSubjectKeys, Subject, subjectOf } from './detect/manifest-index';
import { grantedVerbs, secretReads, TRAEFIK_GROUPS, writesOf } from './detect/rbac-analysis';
import { hasProviderFlags, providerEnabled, TRAEFIK_PROVIDERS, TraefikContainer, TraefikProvider, watchedNamespaces } from './detect/traefik-config';
import { matchesEveryHost } from './detect/traefik-rules';
import { asArray, asRecord, asString, asStringMap, FieldPath } from './detect/values';
import * as ipaddr from 'ipaddr.js';
import { contains, METADATA_RANGES, parseCidr } from './cidrs';
import { ADMISSION_POLICY_NAMES } from '../model/names';
import { none, Threat } from './threat';

/** The first Traefik release that knows every flag ScopedTraefik passes. */
export const MIN_TRAEFIK_VERSION = [3, 7, 11] as const;
/** Most replicas a tenant's Traefik may run. */
export const MAX_TRAEFIK_REPLICAS = 20;

const SCOPED_BY_CONSTRUCTION = 'ScopedTraefik always scopes its providers to the tenant and the platform namespace: no prop unscopes them';
const TENANTS_CANNOT_RUN_TRAEFIK = 'tenants cannot change a Traefik Deployment: it runs in the platform namespace, out of their reach';
const NOT_VALUES = 'not a chart value: the values schema refuses every key it does not list';

/**
 * A decimal number at least `n`, as a regular expression: longer numbers, or as long with a
 * higher digit after an equal prefix, or `n` itself. No leading zeros.
 */
function atLeast(n: number): string {
  const s = String(n);
  const alternatives = [`[1-9]\\d{${s.length},}`];
  for (let i = 0; i < s.length; i++) {
    const digit = Number(s[i]);
    const rest = s.length - i - 1;
    if (digit < 9) alternatives.push(`${s.slice(0, i)}${digit === 8 ? '9' : `[${digit + 1}-9]`}${rest > 0 ? `\\d{${rest}}` : ''}`);
  }
  alternatives.push(s);
  return `(?:${alternatives.join('|')})`;
}

/** A Traefik version tag of the same major as `MIN_TRAEFIK_VERSION`, and at least it. */
const TRAEFIK_VERSION = (() => {
  const [major, minor, patch] = MIN_TRAEFIK_VERSION;
  return `v?${major}\\.(?:${minor}\\.${atLeast(patch)}|${atLeast(minor + 1)}\\.(?:0|[1-9]\\d*))`;
})();

/**
 * A Traefik image that knows every flag passed: a lower-case repository (optionally behind a
 * registry with port), then a version tag of at least `MIN_TRAEFIK_VERSION`, or a digest (which
 * decides what runs, whatever tag stands beside it). The spec and the constructs also refuse a
 * digest beside a tag naming an older release (`traefik:v2.11@sha256:…`, see `checkTraefikImage`).
 * The spec, the constructs and the Helm values schema all judge images with this pattern.
 */
export const TRAEFIK_IMAGE = new RegExp(
  `^(?:[a-z0-9.-]+(?::\\d+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::${TRAEFIK_VERSION}(?:@sha256:[a-f0-9]{64})?|(?::[\\w][\\w.-]{0,127})?@sha256:[a-f0-9]{64})$`,
);

export const TRAEFIK_IMAGE_VERSION: Threat = {
  id: 'traefik-image-version',
  family: 'traefik',
  severity: 'high',
  title: 'A Traefik image too old for the flags passed, or not pinned',
  why: `Traefik refuses to start on a flag it does not know: an image older than v${MIN_TRAEFIK_VERSION.join('.')} (or a v2) crash-loops on \`--core.strictTLSOptions\` and \`defaultTLSResourcesNamespace\`, leaving the tenant offline; an image without a version tag can change under you.`,
  fix: `Use a Traefik v${MIN_TRAEFIK_VERSION[0]} tag of at least v${MIN_TRAEFIK_VERSION.join('.')}, e.g. \`traefik:v${MIN_TRAEFIK_VERSION.join('.')}\`, or pin a digest.`,
  spec: { fields: ['platform.traefik.image'] },
  construct: { props: ['Platform.traefikImage'] },
  values: [{ key: 'traefik.image', schema: () => ({ type: 'string', pattern: TRAEFIK_IMAGE.source }) }],
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: none('the audit judges isolation, not versions'),
};

/** Checks the Traefik image against `TRAEFIK_IMAGE`, saying which part is wrong. */
export function checkTraefikImage(image: string): string | undefined {
  const minimum = `v${MIN_TRAEFIK_VERSION.join('.')}`;
  const refuses = `refuse flags this tool passes (\`--core.strictTLSOptions\`, \`defaultTLSResourcesNamespace\`)`;
  const ref = imageReference(image);
  const version = ref?.tag === undefined ? undefined : tagVersion(ref.tag);
  if (TRAEFIK_IMAGE.test(image)) {
    // A digest decides what runs; a tag beside it that names an older release most likely is that release.
    return ref?.digest !== undefined && version !== undefined && belowMinimum(version)
      ? `\`${image}\` is tagged \`${ref.tag}\`, older than ${minimum}: if the digest is that release, it would ${refuses} — pin the digest of \`traefik:${minimum}\` or later, with its tag`
      : undefined;
  }
  const fix = `use e.g. \`traefik:${minimum}\` or pin a digest (\`traefik@sha256:…\`)`;
  if (ref === undefined) return `\`${image}\` is not an image reference — ${fix}`;
  if (ref.repository !== ref.repository.toLowerCase()) return `\`${image}\` has upper-case letters in its repository, which no registry accepts — ${fix}`;
  if (version !== undefined && version.length < 3 && version[0] < MIN_TRAEFIK_VERSION[0]) {
    return `\`${image}\` is a Traefik v${version[0]}, not v${MIN_TRAEFIK_VERSION[0]}, and would ${refuses} — ${fix}`;
  }
  if (version === undefined || version.length < 3) {
    const what = ref.tag === undefined ? 'has no version tag' : `has the moving tag \`${ref.tag}\` instead of a release`;
    return `\`${image}\` ${what} (such as \`${minimum}\`), so what runs can change under you — ${fix}`;
  }
  return `\`${image}\` is not a Traefik v${MIN_TRAEFIK_VERSION[0]} release of at least ${minimum}, and would ${refuses} — ${fix}`;
}

/** An image reference's parts: repository (with its registry), tag, digest; undefined for what is none. */
function imageReference(image: string): { repository: string; tag?: string; digest?: string } | undefined {
  const m = /^([^\s@]+?)(?::([\w][\w.-]{0,127}))?(@sha256:[a-f0-9]{64})?$/.exec(image);
  return m ? { repository: m[1], tag: m[2], digest: m[3] } : undefined;
}

/** A tag's version numbers (`v3`, `v3.7`, `3.7.11`), at the tag's own precision; undefined for a tag that is no version. */
function tagVersion(tag: string): number[] | undefined {
  return /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(tag)?.slice(1).filter((p) => p !== undefined).map(Number);
}

/** Whether a version, at its own precision, is below `MIN_TRAEFIK_VERSION` (`v3` and `v3.7` are not; `v3.6`, `v3.7.10` are). */
function belowMinimum(version: readonly number[]): boolean {
  const differs = version.findIndex((p, i) => p !== MIN_TRAEFIK_VERSION[i]);
  return differs >= 0 && version[differs] < MIN_TRAEFIK_VERSION[differs];
}

export const TRAEFIK_REPLICAS: Threat = {
  id: 'traefik-replicas',
  family: 'traefik',
  severity: 'medium',
  title: 'A tenant\'s Traefik with no pod, or more than the platform can host',
  why: `Each tenant\'s Traefik runs in the platform namespace, which has no quota: zero replicas takes the tenant offline, and hundreds would take the nodes (and the other tenants\' Traefiks) with it.`,
  fix: `Run 1 to ${MAX_TRAEFIK_REPLICAS} replicas (2 or more for a PodDisruptionBudget).`,
  spec: { fields: ['tenants[].traefik.replicas', 'platform.defaults.traefik.replicas'] },
  construct: { props: ['ScopedTraefik.replicas'] },
  values: [{ key: 'traefik.replicas', schema: () => ({ type: 'integer', minimum: 1, maximum: MAX_TRAEFIK_REPLICAS }) }],
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: none('the audit judges isolation, not sizes'),
};

export function checkTraefikReplicas(replicas: number): string | undefined {
  return Number.isInteger(replicas) && replicas >= 1 && replicas <= MAX_TRAEFIK_REPLICAS
    ? undefined
    : `${replicas} is not a whole number from 1 to ${MAX_TRAEFIK_REPLICAS} — use 2 for a highly available Traefik`;
}

/** The providers whose routes may claim any host: IngressRoutes and Ingresses (Gateway routes attach only where a listener admits them). */
const ROUTER_PROVIDERS = ['kubernetescrd', 'kubernetesingress'] as const;

/** A detector over the Traefik instances the index found, container by container. */
const overTraefikContainers = (judge: (run: DetectorRun, index: number, c: TraefikContainer) => void) => (run: DetectorRun) => ({
  finish: () => {
    for (const t of run.index.traefiks) for (const c of t.containers) judge(run, t.index, c);
  },
});

/** Where a finding about `provider` points: its namespaces flag, its own flag, or the arguments. */
const providerPath = (c: TraefikContainer, provider: string): FieldPath =>
  c.flags.get(`providers.${provider}.namespaces`)?.path ?? c.flags.get(`providers.${provider}`)?.path ?? [...c.path, 'args'];

export const TRAEFIK_SCOPED_PROVIDERS: Threat = {
  id: 'traefik-scoped-providers',
  family: 'traefik',
  severity: 'critical',
  title: 'Traefik watches every namespace',
  why: 'A Traefik whose Kubernetes providers have no `namespaces` list reads Ingresses, IngressRoutes, Gateways, HTTPRoutes and TLS Secrets from every namespace: all tenants share one router and one TLS store, so one tenant can claim another\'s host or have its certificate served for it.',
  fix: 'Run one Traefik per tenant with `--providers.kubernetescrd.namespaces=<tenant>,<platform>` and `--providers.kubernetesingress.namespaces=<tenant>` (Helm chart: `providers.kubernetesCRD.namespaces`, `providers.kubernetesIngress.namespaces`); a Gateway API provider likewise with `--providers.kubernetesgateway.namespaces=<tenant>` (`providers.kubernetesGateway.namespaces`).',
  spec: none('no spec field unscopes a tenant\'s Traefik'),
  construct: none(SCOPED_BY_CONSTRUCTION),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: {
    scope: 'all',
    looksFor: 'A Traefik\'s `kubernetescrd`, `kubernetesingress` or `kubernetesgateway` provider has no `namespaces`: it watches every namespace.',
    detect: overTraefikContainers((run, i, c) => {
      if (!hasProviderFlags(c.flags)) return;
      for (const provider of TRAEFIK_PROVIDERS) {
        if (providerEnabled(c.flags, provider) && watchedNamespaces(c.flags, provider).length === 0) {
          run.report(i, `the ${provider} provider of container \`${c.name}\` watches every namespace`, providerPath(c, provider));
        }
      }
    }),
  },
};

export const TRAEFIK_ONE_TENANT: Threat = {
  id: 'traefik-one-tenant',
  family: 'traefik',
  severity: 'critical',
  title: 'One Traefik serves several tenants',
  why: 'Traefik keeps every certificate it loads in one TLS store and picks the certificate during the TLS handshake, before it knows the route: tenants sharing a Traefik through IngressRoutes or Ingresses can have each other\'s certificates served and can claim each other\'s hosts. (Through the Gateway API, the platform\'s listeners decide which namespace routes which host: see `gateway-listener-one-tenant`.)',
  fix: 'Give each tenant its own Traefik whose providers watch only that tenant\'s namespace (and the platform namespace, for the default TLSStore) — or share one Traefik through the Gateway API only (`platform.routing: { api: gateway, traefik: shared }`).',
  spec: none('`shared-traefik-needs-gateway` refuses a shared Traefik without the Gateway API'),
  construct: none(SCOPED_BY_CONSTRUCTION),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: {
    scope: 'all',
    looksFor: 'The `kubernetescrd` or `kubernetesingress` provider\'s `namespaces` lists two or more tenants (a `kubernetesgateway` provider may: its Gateways\' listeners keep tenants apart).',
    detect: overTraefikContainers((run, i, c) => {
      if (!hasProviderFlags(c.flags)) return;
      for (const provider of ROUTER_PROVIDERS) {
        if (!providerEnabled(c.flags, provider)) continue;
        const tenants = [...new Set(watchedNamespaces(c.flags, provider).filter((n) => run.tenants.has(n)))];
        if (tenants.length > 1) run.report(i, `the ${provider} provider watches several tenants: ${tenants.join(', ')}`, providerPath(c, provider));
      }
    }),
  },
};

export const TRAEFIK_WATCHES_FOREIGN_NAMESPACE: Threat = {
  id: 'traefik-watches-foreign-namespace',
  family: 'traefik',
  severity: 'high',
  title: 'Traefik watches a namespace that is neither its tenant\'s nor the platform\'s',
  why: 'A tenant\'s Traefik should read routes and Secrets of its tenant and the platform only: any other namespace it watches can route through it, or have its Secrets served.',
  fix: 'Limit the providers\' `namespaces` to the tenant and the platform namespace.',
  spec: none('no spec field adds namespaces to a tenant\'s Traefik'),
  construct: none(SCOPED_BY_CONSTRUCTION),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: {
    scope: 'generated',
    looksFor: 'A tenant\'s Traefik watches a namespace that is neither a tenant\'s nor the platform\'s.',
    detect: overTraefikContainers((run, i, c) => {
      if (!hasProviderFlags(c.flags)) return;
      for (const provider of TRAEFIK_PROVIDERS) {
        if (!providerEnabled(c.flags, provider)) continue;
        if (watchedNamespaces(c.flags, provider).some((n) => !run.platforms.has(n) && !run.tenants.has(n))) {
          run.report(i, `the ${provider} provider watches a namespace that is neither a tenant's nor the platform's`, providerPath(c, provider));
        }
      }
    }),
  },
};

export const TRAEFIK_CONFIG_NOT_CHECKED: Threat = {
  id: 'traefik-config-not-checked',
  family: 'traefik',
  severity: 'low',
  title: 'Traefik providers configured outside its arguments',
  why: 'The audit reads Traefik\'s static configuration from container arguments and `TRAEFIK_*` environment variables; providers set in a mounted configuration file are not visible, so this instance\'s namespace scoping and `allowCrossNamespace` are unchecked.',
  fix: 'Pass the provider options as arguments (as the Helm chart does), or check the mounted file by hand: `providers.kubernetesCRD.namespaces`, `providers.kubernetesIngress.namespaces`, `providers.kubernetesCRD.allowCrossNamespace`.',
  spec: none('ScopedTraefik passes every option as an argument'),
  construct: none('ScopedTraefik passes every option as an argument'),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: {
    scope: 'all',
    looksFor: 'A Traefik container sets no provider on its command line: its configuration file was not read.',
    detect: overTraefikContainers((run, i, c) => {
      if (!hasProviderFlags(c.flags)) run.report(i, `container \`${c.name}\` sets no provider on its command line; its configuration file was not read`, c.path);
    }),
  },
};

export const TRAEFIK_NO_CROSS_NAMESPACE: Threat = {
  id: 'traefik-no-cross-namespace',
  family: 'traefik',
  severity: 'critical',
  title: 'Traefik allows cross-namespace references',
  why: 'With `allowCrossNamespace=true` an IngressRoute may use the Services, Middlewares, TLSOptions and TLS Secrets of other namespaces, so a tenant can route into, or serve the certificate of, a namespace it does not own.',
  fix: 'Remove the flag or pass `--providers.kubernetescrd.allowCrossNamespace=false` (the default), and keep each route\'s Services, Middlewares and Secrets in its own namespace.',
  spec: { fields: ['tenants[].traefik.allowCrossNamespace', 'platform.defaults.traefik.allowCrossNamespace'] },
  construct: { props: ['ScopedTraefik.allowCrossNamespace'] },
  values: none(NOT_VALUES),
  admission: none('Traefik itself ignores cross-namespace references: ScopedTraefik passes `allowCrossNamespace=false` explicitly'),
  audit: {
    scope: 'all',
    looksFor: '`--providers.kubernetescrd.allowCrossNamespace=true` (in the generator\'s output: any Traefik that does not state `false`).',
    detect: overTraefikContainers((run, i, c) => {
      if (!hasProviderFlags(c.flags) || !providerEnabled(c.flags, 'kubernetescrd')) return;
      const flag = c.flags.get('providers.kubernetescrd.allowcrossnamespace');
      if (flag?.value.toLowerCase() === 'true') {
        run.report(i, `container \`${c.name}\` sets \`allowCrossNamespace=true\``, flag.path);
      } else if (run.generated && flag?.value.toLowerCase() !== 'false') {
        run.report(i, 'Traefik does not state allowCrossNamespace=false', flag?.path ?? [...c.path, 'args']);
      }
    }),
  },
};

export function checkAllowCrossNamespace(value: unknown): string | undefined {
  if (value === true) {
    return 'cross-namespace references let one tenant\'s routes use Services, Middlewares and TLS Secrets of another tenant — remove the field or set it to `false`';
  }
  return undefined;
}

export const TRAEFIK_CLUSTER_SECRETS: Threat = {
  id: 'traefik-cluster-secrets',
  family: 'traefik',
  severity: 'critical',
  title: 'Traefik may read Secrets in every namespace',
  why: 'A ClusterRole granting `get`/`list`/`watch` on Secrets, bound to Traefik\'s ServiceAccount by a ClusterRoleBinding, lets Traefik (and whoever takes it over through its public entry points) read every private key and credential in the cluster, even when its providers are scoped.',
  fix: 'Replace the ClusterRoleBinding with Roles and RoleBindings in the namespaces Traefik watches (Helm chart: `rbac.namespaced: true`).',
  spec: none('no spec field widens Traefik\'s RBAC'),
  construct: none('ScopedTraefik grants Roles in its two namespaces only'),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_RUN_TRAEFIK),
  audit: {
    scope: 'all',
    looksFor: 'A ClusterRoleBinding gives Traefik\'s ServiceAccount — itself, or a group it is in (`system:serviceaccounts:<namespace>`, `system:serviceaccounts`, `system:authenticated`) — a ClusterRole that reads Secrets (`get`, `list`, `watch` or `*`, built-in `cluster-admin` included).',
    detect: (run) => ({
      finish: () => {
        const reported = new Set<number>();
        for (const t of run.index.traefiks) {
          for (const key of serviceAccountSubjectKeys(t.namespace, t.serviceAccount)) {
            for (const b of run.index.clusterBindingsBySubject.get(key) ?? []) {
              if (reported.has(b)) continue;
              const binding = run.objects[b];
              const rules = run.index.resolveRole(asRecord(binding.roleRef), undefined);
              const verbs = rules ? secretReads(rules) : [];
              if (verbs.length === 0) continue;
              reported.add(b);
              const j = asArray(binding.subjects).findIndex((raw) => subjectOf(raw, undefined).key === key);
              const through = key.startsWith('group:') ? ` (through Group \`${key.slice('group:'.length)}\`)` : '';
              run.report(b,
                `gives ServiceAccount ${t.namespace}/${t.serviceAccount}${through} of ${objectRef(run.objects[t.index])} ${verbs.join('/')} on Secrets in every namespace through ClusterRole \`${asString(asRecord(binding.roleRef).name) ?? '?'}\``,
                ['subjects', Math.max(j, 0)]);
            }
          }
        }
      },
    }),
  },
};

/** Where a `default` TLSStore or TLSOption may live. */
function misplacedDefault(run: DetectorRun, ns: string): string | undefined {
  const misplaced = run.platforms.size > 0 ? !run.platforms.has(ns) : run.tenants.has(ns);
  if (!misplaced) return undefined;
  return run.platforms.size === 0 ? 'the platform namespace where Traefik runs'
    : run.platforms.size === 1 ? `the platform namespace \`${[...run.platforms][0]}\``
      : `a platform namespace (${listOf([...run.platforms].sort())})`;
}

const isTraefikApi = (o: KubeObjectLike) => typeof o.apiVersion === 'string' && TRAEFIK_GROUPS.some((g) => o.apiVersion.startsWith(`${g}/`));
const isIngressApi = (o: KubeObjectLike) => typeof o.apiVersion === 'string' && /^(networking\.k8s\.io|extensions)\//.test(o.apiVersion);
const isDefaultTls = (o: KubeObjectLike) => isTraefikApi(o) && o.metadata?.name === 'default';

export const DEFAULT_TLS_IN_PLATFORM: Threat = {
  id: 'default-tls-in-platform',
  family: 'traefik',
  severity: 'critical',
  title: 'A `default` TLSStore or TLSOption outside the platform namespace',
  why: 'Traefik uses only the TLSStore named `default` and applies the TLSOption named `default` to every router without options of its own; one created outside the platform namespace can replace the default certificate or weaken TLS for every tenant of that Traefik, and two stores named `default` conflict.',
  fix: 'Keep the `default` TLSStore and TLSOption only in the platform namespace where Traefik runs, and delete this one.',
  spec: none('the platform\'s TLSStore and TLSOption are always rendered in the platform namespace'),
  construct: none('Platform and WildcardTlsStore render them in the platform namespace only'),
  values: none(NOT_VALUES),
  admission: none('tenants cannot create TLSStores or TLSOptions: their Role grants only get, list and watch on them'),
  audit: {
    scope: 'all',
    looksFor: 'A TLSStore or TLSOption named `default` outside the platform namespaces (or, with no Traefik in the input, in a tenant namespace).',
    detect: (run) => ({
      kinds: ['TLSStore', 'TLSOption'],
      visit: (o, i) => {
        if (!isDefaultTls(o)) return;
        const ns = asString(o.metadata.namespace) ?? '';
        const where = misplacedDefault(run, ns);
        if (where) run.report(i, `the \`default\` ${o.kind} is in \`${ns || '(no namespace)'}\`; it must live in ${where}`, ['metadata', 'name']);
      },
    }),
  },
};

/** A tenant identity that may write Traefik's TLS resources somewhere. */
interface TlsWriter {
  readonly bindingIndex: number;
  readonly subject: Subject;
  readonly tlsstores: boolean;
  readonly tlsoptions: boolean;
}

export const DEFAULT_TLS_TENANT_WRITABLE: Threat = {
  id: 'default-tls-tenant-writable',
  family: 'traefik',
  severity: 'critical',
  title: 'A tenant may change the `default` TLSStore or TLSOption',
  why: 'Whoever can write the `default` TLSStore chooses the certificate Traefik serves when no other matches; whoever can write the `default` TLSOption sets the TLS versions, ciphers and client authentication of every router.',
  fix: 'Give tenants no write access to `tlsstores` and `tlsoptions` in the platform namespace, nor cluster-wide; tenants need at most read access in their own namespace.',
  spec: none('owners\' rights are fixed by the tool: they only read TLSStores and TLSOptions'),
  construct: none('TenantNamespace grants only get, list and watch on them'),
  values: none(NOT_VALUES),
  admission: none('tenants cannot write RBAC (see `no-rbac-writes`)'),
  audit: {
    scope: 'all',
    looksFor: 'A tenant identity may write the `default` TLSStore or TLSOption: a RoleBinding in its namespace, or a ClusterRoleBinding.',
    detect: (run) => ({
      finish: () => {
        // Tenant identities that may write TLS resources: by namespace, `*` for cluster-wide.
        const writers = new Map<string, TlsWriter[]>();
        for (const b of run.index.bindings) {
          if (b.rbacDefault || b.tenantSubjects.length === 0 || !b.rules) continue;
          const tlsstores = writesOf(grantedVerbs(b.rules, TRAEFIK_GROUPS, 'tlsstores')).length > 0;
          const tlsoptions = writesOf(grantedVerbs(b.rules, TRAEFIK_GROUPS, 'tlsoptions')).length > 0;
          if (!tlsstores && !tlsoptions) continue;
          const key = b.cluster ? '*' : b.namespace ?? '';
          writers.set(key, [...(writers.get(key) ?? []), { bindingIndex: b.index, subject: b.tenantSubjects[0].subject, tlsstores, tlsoptions }]);
        }
        run.objects.forEach((o, i) => {
          if ((o.kind !== 'TLSStore' && o.kind !== 'TLSOption') || !isDefaultTls(o)) return;
          const field = o.kind === 'TLSStore' ? 'tlsstores' : 'tlsoptions';
          const ns = asString(o.metadata.namespace) ?? '';
          const found = [...(writers.get(ns) ?? []), ...(writers.get('*') ?? [])].filter((w) => w[field]);
          if (found.length === 0) return;
          const shown = found.slice(0, 3).map((w) => `${describeSubject(w.subject)} through ${objectRef(run.objects[w.bindingIndex])}`);
          run.report(i, `tenant identities may change this ${o.kind}: ${shown.join('; ')}${found.length > 3 ? `; and ${found.length - 3} more` : ''}`, ['metadata', 'name']);
        });
      },
    }),
  },
};

export const CROSS_NAMESPACE_TLS_SECRET: Threat = {
  id: 'cross-namespace-tls-secret',
  family: 'traefik',
  severity: 'critical',
  title: 'A route uses a TLS Secret of another namespace',
  why: 'A route naming `namespace/secret` serves a key the tenant does not own; it only works when Traefik allows cross-namespace references, and it undoes the one-namespace-per-tenant boundary.',
  fix: 'Keep the Secret in the route\'s own namespace (issued there by the tenant\'s Issuer), or drop `secretName` and let the `default` TLSStore serve the platform wildcard.',
  spec: none('tenants write their own routes: no spec field describes them'),
  construct: none('the constructs render no routes'),
  values: none(NOT_VALUES),
  admission: none('Traefik ignores a `namespace/secret` reference: ScopedTraefik passes `allowCrossNamespace=false`'),
  audit: {
    scope: 'all',
    looksFor: 'An IngressRoute `tls.secretName` or Ingress `tls[].secretName` written `namespace/secret` for another namespace.',
    detect: (run) => ({
      kinds: ['IngressRoute', 'IngressRouteTCP', 'Ingress'],
      visit: (o, i) => {
        const ns = asString(o.metadata.namespace) ?? '';
        const foreign = (secretName: string | undefined) => secretName?.includes('/') && secretName.split('/')[0] !== ns;
        if (o.kind === 'Ingress') {
          asArray(asRecord(o.spec).tls).forEach((tls, t) => {
            const secretName = asString(asRecord(tls).secretName);
            if (foreign(secretName)) run.report(i, `\`spec.tls[${t}].secretName\` names \`${secretName}\`, a Secret of namespace \`${secretName!.split('/')[0]}\``, ['spec', 'tls', t, 'secretName']);
          });
        } else if (isTraefikApi(o)) {
          const secretName = asString(asRecord(asRecord(o.spec).tls).secretName);
          if (foreign(secretName)) run.report(i, `\`tls.secretName\` names \`${secretName}\`, a Secret of namespace \`${secretName!.split('/')[0]}\``, ['spec', 'tls', 'secretName']);
        }
      },
    }),
  },
};

/** Traefik's annotations on an Ingress that name objects of the CRD provider, `<namespace>-<name>@kubernetescrd`, comma-separated. */
const INGRESS_CRD_ANNOTATIONS: ReadonlyArray<readonly [string, string]> = [
  ['traefik.ingress.kubernetes.io/router.middlewares', 'Middleware'],
  ['traefik.ingress.kubernetes.io/router.tls.options', 'TLSOption'],
];

/**
 * The namespace of an object of Traefik's CRD provider named across providers,
 * `<namespace>-<name>@kubernetescrd`: the longest namespace among `known` that the name starts
 * with (names and namespaces may both hold `-`); `undefined` for other providers or unknown namespaces.
 */
export function crdProviderNamespace(ref: string, known: ReadonlySet<string>): string | undefined {
  const full = ref.trim().match(/^(.+)@kubernetescrd$/)?.[1];
  if (full === undefined) return undefined;
  for (let k = full.lastIndexOf('-'); k > 0; k = full.lastIndexOf('-', k - 1)) {
    if (known.has(full.slice(0, k))) return full.slice(0, k);
  }
  return undefined;
}

export const CROSS_NAMESPACE_REFERENCE: Threat = {
  id: 'cross-namespace-reference',
  family: 'traefik',
  severity: 'medium',
  title: 'A route refers to objects in another tenant\'s namespace',
  why: 'IngressRoute Services, Middlewares, TLSOptions and TLSStores in another namespace only resolve with `allowCrossNamespace=true`; a Middleware or TLSOption named across providers — `<namespace>-<name>@kubernetescrd`, in an IngressRoute or in an Ingress\'s `router.middlewares` annotation — resolves whenever the Traefik watches that namespace. Either way one tenant routes into, or reuses, another tenant\'s objects: its forwardAuth, its headers, its basic-auth users.',
  fix: 'Refer only to objects in the route\'s own namespace (or, for TLSOptions and TLSStores, in the platform namespace); on an Ingress, name only Middlewares `<own namespace>-<name>@kubernetescrd`.',
  spec: none('tenants write their own routes: no spec field describes them'),
  construct: none('the constructs render no routes'),
  values: none(NOT_VALUES),
  admission: none('Traefik ignores cross-namespace references: ScopedTraefik passes `allowCrossNamespace=false`, and `crossProviderNamespaces=<platform>` so that names across providers resolve in the platform namespace only'),
  audit: {
    scope: 'all',
    looksFor: 'An IngressRoute\'s Service, Middleware, TLSOption or TLSStore in another tenant\'s namespace, by `namespace` or by a name `<namespace>-<name>@kubernetescrd`; an Ingress whose `traefik.ingress.kubernetes.io/router.middlewares` or `router.tls.options` annotation names one of another tenant\'s namespace (the platform\'s are fine).',
    detect: (run) => {
      let known: Set<string> | undefined;
      const namespaceOf = (ref: string) => crdProviderNamespace(ref, (known ??= new Set([...run.index.namespaces.keys(), ...run.tenants, ...run.platforms])));
      return {
        kinds: ['IngressRoute', 'IngressRouteTCP', 'Ingress'],
        visit: (o, i) => {
          const ns = asString(o.metadata.namespace) ?? '';
          const refs: Array<[string | undefined, string, FieldPath]> = [];
          if (o.kind === 'Ingress') {
            if (!isIngressApi(o)) return;
            const annotations = asStringMap(o.metadata.annotations);
            for (const [key, kind] of INGRESS_CRD_ANNOTATIONS) {
              for (const ref of (annotations[key] ?? '').split(',').map((r) => r.trim()).filter(Boolean)) {
                refs.push([namespaceOf(ref), `${kind} \`${ref}\``, ['metadata', 'annotations', key]]);
              }
            }
          } else {
            if (!isTraefikApi(o)) return;
            const tls = asRecord(asRecord(o.spec).tls);
            refs.push(
              [asString(asRecord(tls.options).namespace), `TLSOption \`${asString(asRecord(tls.options).name) ?? '?'}\``, ['spec', 'tls', 'options', 'namespace']],
              [asString(asRecord(tls.store).namespace), `TLSStore \`${asString(asRecord(tls.store).name) ?? '?'}\``, ['spec', 'tls', 'store', 'namespace']],
            );
            asArray(asRecord(o.spec).routes).forEach((rawRoute, r) => {
              const route = asRecord(rawRoute);
              asArray(route.services).forEach((s, k) => refs.push([asString(asRecord(s).namespace), `Service \`${asString(asRecord(s).name) ?? '?'}\``, ['spec', 'routes', r, 'services', k, 'namespace']]));
              asArray(route.middlewares).forEach((m, k) => {
                const name = asString(asRecord(m).name) ?? '?';
                const across = namespaceOf(name);
                if (across !== undefined) refs.push([across, `Middleware \`${name}\``, ['spec', 'routes', r, 'middlewares', k, 'name']]);
                else refs.push([asString(asRecord(m).namespace), `Middleware \`${name}\``, ['spec', 'routes', r, 'middlewares', k, 'namespace']]);
              });
            });
          }
          for (const [target, what, path] of refs) {
            if (target === undefined || target === ns || run.platforms.has(target)) continue;
            if (!run.tenants.has(ns) && !run.tenants.has(target)) continue;
            run.report(i, `refers to ${what} in namespace \`${target}\``, path);
          }
        },
      };
    },
  },
};

/** A URL of a Service by its full name: this pattern before the Service's namespace, and the next after it. */
const SERVICE_URL_BEFORE_NAMESPACE = '^https?://[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]';
const SERVICE_URL_AFTER_NAMESPACE = '[.]svc([.]cluster[.]local)?(:[0-9]+)?(/.*)?$';

/** What a callout address reaches, in words: the metadata endpoint, the API server, a Service of some namespace, an address in the cluster… */
export function calloutTarget(address: string): string {
  let host: string;
  try {
    host = new URL(address).hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return 'not a URL';
  }
  const metadata = 'the cloud metadata endpoint, which hands out the node\'s credentials';
  if (ipaddr.isValid(host)) {
    const ip = parseCidr(`${host}/${host.includes(':') ? 128 : 32}`);
    if (ip && METADATA_RANGES.some((range) => contains(range, ip))) return metadata;
    const range = ipaddr.process(host).range();
    return ['private', 'uniqueLocal', 'carrierGradeNat', 'loopback', 'linkLocal'].includes(range)
      ? 'an address inside the cluster\'s network: a pod, a Service or a node'
      : 'an IP address outside the cluster';
  }
  if (host === 'metadata' || host === 'metadata.google.internal') return metadata;
  if (/^kubernetes(\.default(\.svc(\.cluster\.local)?)?)?$/.test(host)) return 'the Kubernetes API server';
  const service = host.match(/^[^.]+\.([^.]+)\.svc(\.cluster\.local)?$/);
  if (service) return `a Service of namespace \`${service[1]}\``;
  if (!host.includes('.')) return 'a short name, which resolves in the platform namespace where Traefik runs';
  return 'a host name, which DNS may point at any address';
}

export const MIDDLEWARE_CALLOUT: Threat = {
  id: 'middleware-callout',
  family: 'traefik',
  severity: 'critical',
  title: 'A Middleware makes Traefik call an address outside the tenant',
  why: 'A forwardAuth Middleware makes the tenant\'s Traefik call the address it names on every request. That Traefik runs in the platform namespace, outside the tenant\'s egress policy: pointed at the metadata endpoint, the API server or another tenant\'s Service, it reaches what the tenant\'s own pods cannot; a short Service name even resolves in the platform namespace.',
  fix: 'Point `forwardAuth.address` at a Service of the tenant\'s own namespace by its full name, `http://<service>.<tenant>.svc:<port>/…`, and keep `errors` Middlewares on the tenant\'s own Services.',
  spec: none('tenants write their own Middlewares: no spec field describes them'),
  construct: none('the constructs render no Middleware; ScopedTraefik\'s NetworkPolicy lets it send only to its tenant, DNS and the API server'),
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.middlewares,
      expression: `!has(object.spec.forwardAuth) || object.spec.forwardAuth.address.matches('${SERVICE_URL_BEFORE_NAMESPACE}' + namespaceObject.metadata.name + '${SERVICE_URL_AFTER_NAMESPACE}')`,
      message: 'spec.forwardAuth.address must be a Service of this namespace by its full name, http://<service>.<namespace>.svc:<port>/…: the tenant\'s Traefik runs outside the tenant\'s egress policy and would call any other address for it.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A Middleware in a tenant namespace whose `forwardAuth.address` is not a Service of that namespace by its full name — the metadata endpoint (169.254.169.254, `fd00:ec2::254`, `metadata.google.internal`), the API server (`kubernetes.default.svc`), an address inside the cluster, another namespace\'s Service, a short name, a host outside the cluster — or whose `errors.service` is in another namespace.',
    detect: (run) => ({
      kinds: ['Middleware'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns) || !isTraefikApi(o)) return;
        const spec = asRecord(o.spec);
        const address = asString(asRecord(spec.forwardAuth).address);
        if (address !== undefined && !new RegExp(`${SERVICE_URL_BEFORE_NAMESPACE}${ns}${SERVICE_URL_AFTER_NAMESPACE}`).test(address)) {
          run.report(i, `forwardAuth calls \`${address}\` — ${calloutTarget(address)} — which is not a Service of namespace \`${ns}\``, ['spec', 'forwardAuth', 'address']);
        }
        const errorsNs = asString(asRecord(asRecord(spec.errors).service).namespace);
        if (errorsNs !== undefined && errorsNs !== ns) run.report(i, `the errors page comes from namespace \`${errorsNs}\``, ['spec', 'errors', 'service', 'namespace']);
      },
    }),
  },
};

/** Traefik's own services that show or change its configuration. */
const API_SERVICES = new Set(['api@internal', 'dashboard@internal', 'rest@internal']);

export const TRAEFIK_API_EXPOSED: Threat = {
  id: 'traefik-api-exposed',
  family: 'traefik',
  severity: 'high',
  title: 'Traefik\'s API and dashboard are reachable',
  why: 'Traefik\'s API and dashboard list every router, service, middleware and TLS setting it loaded — of every namespace it watches — and `rest@internal` takes configuration: `--api.insecure` serves them without authentication on the `traefik` entry point to anyone who reaches it, and a route to `api@internal` publishes them on the route\'s hosts.',
  fix: 'Drop `--api.insecure`; if the dashboard is needed, serve `api@internal` from one IngressRoute in the platform namespace, on a host of the platform, behind authentication — never from a tenant\'s route.',
  spec: none('no spec field enables Traefik\'s API'),
  construct: none('ScopedTraefik passes no `--api` flag: the API and dashboard are off'),
  values: none(NOT_VALUES),
  admission: none('the tenant\'s Traefik runs without `--api` (ScopedTraefik), so `api@internal` does not exist for tenants\' routes'),
  audit: {
    scope: 'all',
    looksFor: 'A Traefik with `--api.insecure` (or `TRAEFIK_API_INSECURE`); an IngressRoute whose route sends to `api@internal`, `dashboard@internal` or `rest@internal`.',
    detect: (run) => ({
      kinds: ['IngressRoute'],
      visit: (o, i) => {
        if (!isTraefikApi(o)) return;
        asArray(asRecord(o.spec).routes).forEach((route, r) => asArray(asRecord(route).services).forEach((s, k) => {
          const name = asString(asRecord(s).name) ?? '';
          if (API_SERVICES.has(name)) run.report(i, `route ${r} sends requests to \`${name}\`, Traefik's own API`, ['spec', 'routes', r, 'services', k, 'name']);
        }));
      },
      finish: () => {
        for (const t of run.index.traefiks) {
          for (const c of t.containers) {
            const flag = c.flags.get('api.insecure');
            if (flag && flag.value.toLowerCase() !== 'false') run.report(t.index, `container \`${c.name}\` serves Traefik's API and dashboard without authentication (\`api.insecure\`)`, flag.path);
          }
        }
      },
    }),
  },
};

export const TRAEFIK_EXTERNAL_NAME_SERVICES: Threat = {
  id: 'traefik-external-name-services',
  family: 'traefik',
  severity: 'critical',
  title: 'Traefik follows ExternalName Services',
  why: 'With `allowExternalNameServices=true` a route may send its traffic to an ExternalName Service, which names any DNS name: Traefik — outside the tenant\'s egress policy, in the platform namespace — then calls the metadata endpoint (`metadata.google.internal`), the API server or another tenant\'s Service on the tenant\'s behalf.',
  fix: 'Remove the flag or pass `allowExternalNameServices=false` (the default) to the `kubernetescrd` and `kubernetesingress` providers; keep tenant Services ClusterIP (see `tenant-service-types`).',
  spec: none('no spec field lets a tenant\'s Traefik follow ExternalName Services'),
  construct: none('ScopedTraefik passes `allowExternalNameServices=false` to both providers'),
  values: none(NOT_VALUES),
  admission: none('`tenant-service-types` refuses ExternalName Services in tenant namespaces, so a tenant\'s route has none to follow'),
  audit: {
    scope: 'all',
    looksFor: '`--providers.kubernetescrd.allowExternalNameServices=true` or `--providers.kubernetesingress.allowExternalNameServices=true`.',
    detect: overTraefikContainers((run, i, c) => {
      for (const provider of ['kubernetescrd', 'kubernetesingress']) {
        const flag = c.flags.get(`providers.${provider}.allowexternalnameservices`);
        if (flag && flag.value.toLowerCase() !== 'false' && providerEnabled(c.flags, provider as TraefikProvider)) {
          run.report(i, `the ${provider} provider of container \`${c.name}\` follows ExternalName Services (\`allowExternalNameServices=true\`)`, flag.path);
        }
      }
    }),
  },
};

export const ROUTE_MATCHES_EVERY_HOST: Threat = {
  id: 'route-matches-every-host',
  family: 'traefik',
  severity: 'critical',
  title: 'A tenant route that matches every host',
  why: 'A route without a `Host()` (a path or header rule alone, or one `||` beside the host), a `HostRegexp` catch-all, `HostSNI(`*`)`, an Ingress rule without a host or a default backend answers for every host its Traefik serves: on a shared Traefik (and Traefik ranks rules by length, so a long catch-all wins) it takes other tenants\' visitors and their requests, cookies and credentials.',
  fix: 'Match each route on the tenant\'s own hosts: `Host(`shop.example.com`) && PathPrefix(`/api`)`; `HostSNI(`shop.example.com`)` for TCP; a `host` on every Ingress rule, and no default backend.',
  spec: none('tenants write their own routes: no spec field describes them'),
  construct: none('the constructs render no routes'),
  values: none(NOT_VALUES),
  admission: none('the `hosts-within-tenant-domains` admission validations already refuse it in tenant namespaces: IngressRoutes need one `Host()` (TCP: `HostSNI()`) of the tenant\'s per route, with no HostRegexp, no `||` beside the hosts and no `HostSNI(`*`)`; Ingress rules need a host and default backends are refused'),
  audit: {
    scope: 'all',
    looksFor: 'In a tenant namespace: an IngressRoute or IngressRouteTCP route whose `match` can match a request for any host (no `Host()`, `||` beside it, a `HostRegexp` that matches any name, `HostSNI(`*`)`); an Ingress rule without `host`, or a `defaultBackend`.',
    detect: (run) => ({
      kinds: ['IngressRoute', 'IngressRouteTCP', 'Ingress'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns)) return;
        const spec = asRecord(o.spec);
        if (o.kind === 'Ingress') {
          if (!isIngressApi(o)) return;
          for (const field of ['defaultBackend', 'backend']) {
            if (spec[field] !== undefined) run.report(i, `\`spec.${field}\` answers requests for every host`, ['spec', field]);
          }
          asArray(spec.rules).forEach((rule, r) => {
            if (!asString(asRecord(rule).host)) run.report(i, `rule ${r} has no host, so it answers for every host`, ['spec', 'rules', r]);
          });
          return;
        }
        if (!isTraefikApi(o)) return;
        asArray(spec.routes).forEach((route, r) => {
          const match = asString(asRecord(route).match) ?? '';
          if (matchesEveryHost(match)) run.report(i, `route ${r} matches every host: \`${match}\``, ['spec', 'routes', r, 'match']);
        });
      },
    }),
  },
};

export const TRAEFIK_THREATS: readonly Threat[] = [
  TRAEFIK_SCOPED_PROVIDERS, TRAEFIK_NO_CROSS_NAMESPACE, TRAEFIK_ONE_TENANT, TRAEFIK_CLUSTER_SECRETS, TRAEFIK_CONFIG_NOT_CHECKED,
  TRAEFIK_WATCHES_FOREIGN_NAMESPACE, TRAEFIK_IMAGE_VERSION, TRAEFIK_REPLICAS, DEFAULT_TLS_IN_PLATFORM, DEFAULT_TLS_TENANT_WRITABLE,
  CROSS_NAMESPACE_TLS_SECRET, CROSS_NAMESPACE_REFERENCE, MIDDLEWARE_CALLOUT, TRAEFIK_API_EXPOSED, TRAEFIK_EXTERNAL_NAME_SERVICES,
  ROUTE_MATCHES_EVERY_HOST,
];
