/**
 * Threats to Secrets: copies that cross tenant boundaries (reflector, kubernetes-replicator,
 * kubed), External Secrets that read with credentials meant for others, and Vault settings that
 * would let one tenant's SecretStore reach another's secrets.
 */
import { ADMISSION_POLICY_NAMES } from '../model/names';
import { DEFAULTS } from '../defaults';
import { DetectorRun, KubeObjectLike, listOf } from './detect/engine';
import { defaultCertificates } from './detect/ingress-controllers';
import { KUBED_SYNC, labelSelector, namePattern, SyncInstruction, syncInstructions } from './detect/secret-sync';
import { asArray, asRecord, asString, asStringMap, FieldPath } from './detect/values';
import { COPY_OFFERS, everySource, noCopyOffers } from './cel';
import { HOST_LABEL, parseUrl } from './formats';
import { COPY_OFFER_ANNOTATION_PREFIXES } from './detect/secret-sync';
import { none, Threat } from './threat';

const P = ADMISSION_POLICY_NAMES;

/** Tools that copy the wildcard certificate's Secret into other namespaces (cert-manager's FAQ names these). */
export const SECRET_SYNC_TOOLS = ['reflector', 'replicator'] as const;

/** The annotation maps by which an object asks for copies of a Secret, with where they sit and what they copy. */
function syncAnnotationsOf(o: KubeObjectLike): { annotations: Record<string, string>; path: FieldPath; what: string } | undefined {
  const spec = asRecord(o.spec);
  switch (o.kind) {
    case 'Secret':
      return { annotations: asStringMap(o.metadata.annotations), path: ['metadata', 'annotations'], what: 'this Secret' };
    case 'Certificate':
      return { annotations: asStringMap(asRecord(spec.secretTemplate).annotations), path: ['spec', 'secretTemplate', 'annotations'], what: 'its Secret' };
    case 'ExternalSecret':
      return {
        annotations: asStringMap(asRecord(asRecord(asRecord(spec.target).template).metadata).annotations),
        path: ['spec', 'target', 'template', 'metadata', 'annotations'],
        what: 'the Secret it writes',
      };
    default:
      return undefined;
  }
}

export const SECRET_SYNC_INTO_TENANTS: Threat = {
  id: 'secret-sync-into-tenants',
  family: 'secrets',
  severity: 'high',
  title: 'A Secret is copied across tenant boundaries',
  why: 'Reflector, kubernetes-replicator, kubed and Kyverno\'s `generate` rules copy a Secret — a TLS private key included — into other namespaces and keep it in sync; a copy in a tenant namespace is readable by that tenant, patterns or label selectors also copy it into namespaces created later, and a tenant\'s own Secret offered to others leaks to them.',
  fix: 'Issue certificates per tenant with the tenant\'s own Issuer instead of copying them, and serve a shared wildcard through the platform\'s `default` TLSStore; if a copy is unavoidable, list exact namespaces that are no tenant\'s, never patterns.',
  spec: { fields: ['platform.wildcard.syncTo.namespaces[]', 'tenants[].name', 'clusters[].platform.wildcard.syncTo.namespaces[]'] },
  construct: { props: ['WildcardTlsStore.syncTo', 'TenantNamespace.name'] },
  values: none('copies are not chart values'),
  admission: {
    validations: [
      {
        policy: P.certificates,
        expression: `!variables.isCertificate || !has(object.spec.secretTemplate) || ${noCopyOffers('object.spec.secretTemplate.annotations')}`,
        message: `spec.secretTemplate.annotations may not carry ${COPY_OFFERS} keys: they would copy the certificate's key into other namespaces, other tenants' too.`,
      },
      {
        policy: P.secretCopies,
        expression: noCopyOffers('object.metadata.annotations'),
        message: `a Secret or ConfigMap in a tenant namespace may not carry ${COPY_OFFERS} annotations: they copy it into other namespaces, other tenants' too. Copies the platform distributes into this namespace are fine.`,
      },
      {
        policy: P.externalSecrets,
        expression: `!has(object.spec.target) || !has(object.spec.target.template) || !has(object.spec.target.template.metadata) || ${noCopyOffers('object.spec.target.template.metadata.annotations')}`,
        message: `spec.target.template.metadata.annotations may not carry ${COPY_OFFERS} keys: they would copy the Secret into other namespaces, other tenants' too.`,
      },
      {
        policy: P.externalSecrets,
        expression: `!has(object.spec.target) || !has(object.spec.target.template) || !has(object.spec.target.template.templateFrom) || object.spec.target.template.templateFrom.all(t, !has(t.target) || t.target != 'Annotations' || (!has(t.configMap) && !has(t.secret) && (!has(t.literal) || (${COPY_OFFER_ANNOTATION_PREFIXES.map((p) => `!t.literal.contains('${p}')`).join(' && ')}))))`,
        message: `spec.target.template.templateFrom entries that target Annotations must be literal and name no ${COPY_OFFERS} keys: annotations read from a ConfigMap or Secret cannot be checked here, and those keys would copy the Secret into other namespaces.`,
      },
    ],
  },
  audit: {
    scope: 'all',
    looksFor: 'Reflector, kubernetes-replicator or kubed copy a Secret into tenant namespaces, or into namespaces matched by a pattern, a label selector or "all" — on Secrets, in Certificate `spec.secretTemplate.annotations` and ExternalSecret templates; a Secret in a tenant namespace that is such a copy (`reflects`, `replicate-from`); a Kyverno `generate` rule that clones Secrets (`clone`, `cloneList`) into a tenant namespace, or into every namespace it matches.',
    detect: (run) => {
      const destinations = tenantDestinations(run);
      return {
        kinds: ['Secret', 'Certificate', 'ExternalSecret', 'ClusterPolicy', 'Policy'],
        visit: (o, i) => {
          if (o.kind === 'ClusterPolicy' || o.kind === 'Policy') {
            reportKyvernoClones(run, o, i);
            return;
          }
          const found = syncAnnotationsOf(o);
          if (found) reportCopies(run, destinations, o, i, found.annotations, found.path, found.what);
        },
      };
    },
  },
};

/** The `resources` blocks of a Kyverno rule's `match` or `exclude` (`resources`, `any[]`, `all[]`). */
function kyvernoResources(block: unknown): Record<string, unknown>[] {
  const b = asRecord(block);
  return [b.resources, ...asArray(b.any).map((f) => asRecord(f).resources), ...asArray(b.all).map((f) => asRecord(f).resources)]
    .filter((r) => r !== undefined).map(asRecord);
}

/** A Kyverno name pattern (`*`, `?`) as a regular expression over whole names. */
const kyvernoName = (pattern: string) => new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);

/**
 * Kyverno `generate` rules that clone Secrets (`clone` of one, `cloneList` of a namespace's)
 * into tenant namespaces: a literal `namespace`, or a templated one (`{{request.object.metadata.name}}`)
 * that is every Namespace the rule matches — by `names` when it lists them, else every namespace.
 */
function reportKyvernoClones(run: DetectorRun, o: KubeObjectLike, i: number): void {
  if (typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('kyverno.io/')) return;
  asArray(asRecord(o.spec).rules).forEach((raw, r) => {
    const rule = asRecord(raw);
    const generate = asRecord(rule.generate);
    const clone = asRecord(generate.clone);
    const cloneList = asRecord(generate.cloneList);
    let source: string | undefined;
    let what: string;
    if (asString(generate.kind) === 'Secret' && asString(clone.name) !== undefined) {
      source = asString(clone.namespace);
      what = `Secret \`${source ?? '?'}/${asString(clone.name)}\``;
    } else if (asArray(cloneList.kinds).some((k) => typeof k === 'string' && /(^|\/)Secret$/.test(k))) {
      source = asString(cloneList.namespace);
      what = `the Secrets of namespace \`${source ?? '?'}\``;
    } else {
      return;
    }
    const target = asString(generate.namespace) ?? '';
    const name = asString(rule.name) ?? `#${r}`;
    const path: FieldPath = ['spec', 'rules', r, 'generate'];
    if (!target.includes('{{')) {
      if (run.tenants.has(target) && target !== source) run.report(i, `Kyverno rule \`${name}\` copies ${what} into tenant namespace \`${target}\``, path, target);
      return;
    }
    const matched = kyvernoResources(rule.match);
    const listed = matched.map((m) => asArray(m.names).filter((n): n is string => typeof n === 'string'));
    const everywhere = listed.length === 0 || listed.some((names) => names.length === 0);
    const excluded = kyvernoResources(rule.exclude).flatMap((m) => asArray(m.names)).filter((n): n is string => typeof n === 'string').map(kyvernoName);
    const patterns = listed.flat().map(kyvernoName);
    const reached = [...run.tenants].filter((t) => t !== source && (everywhere || patterns.some((p) => p.test(t))) && !excluded.some((p) => p.test(t))).sort();
    if (reached.length === 0 && !everywhere) return;
    const where = [
      ...(reached.length > 0 ? [`tenant namespace${reached.length === 1 ? '' : 's'} ${listOf(reached)}`] : []),
      ...(everywhere ? ['every namespace it matches, including tenants created later'] : []),
    ].join(' and ');
    run.report(i, `Kyverno rule \`${name}\` copies ${what} into ${where}`, path, reached.length === 1 ? reached[0] : undefined);
  });
}

/** A function answering which tenant namespaces (other than `own`) a copying instruction reaches; patterns and selectors are matched once each. */
function tenantDestinations(run: DetectorRun): (s: SyncInstruction, own: string | undefined) => string[] {
  const cache = new Map<string, string[]>();
  const cached = (key: string, compute: () => string[]) => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = compute()));
    return hit;
  };
  const byPattern = (pattern: string) => cached(`re:${pattern}`, () => {
    const re = namePattern(pattern);
    return re ? [...run.tenants].filter((t) => re.test(t)) : [];
  });
  const bySelector = (selector: string) => cached(`sel:${selector}`, () => {
    const match = labelSelector(selector);
    const labels = run.index.namespaceLabels;
    return match ? [...run.tenants].filter((t) => labels.has(t) && match(labels.get(t)!)) : [];
  });
  return (s, own) => {
    const reached = new Set<string>();
    if (s.everywhere) for (const t of run.tenants) reached.add(t);
    for (const n of s.namespaces) if (run.tenants.has(n)) reached.add(n);
    for (const p of s.patterns) for (const t of byPattern(p)) reached.add(t);
    if (s.selector !== undefined) for (const t of bySelector(s.selector)) reached.add(t);
    if (own !== undefined) reached.delete(own);
    return [...reached].sort();
  };
}

/** Reflector, replicator and kubed instructions in `annotations` (found at `base`) that reach tenants. */
function reportCopies(
  run: DetectorRun, destinationsOf: ReturnType<typeof tenantDestinations>, o: KubeObjectLike, i: number,
  annotations: Record<string, string>, base: FieldPath, what: string,
): void {
  const ns = asString(o.metadata.namespace);
  const instructions = syncInstructions(annotations, ns);
  const destinations = new Map(instructions.map((s) => [s, destinationsOf(s, ns)]));
  // Where a tool pushes copies, its permission to pull them is only reported beyond that.
  const pushed = new Map<string, { reached: Set<string>; open: boolean }>();
  for (const s of instructions) {
    if (s.mode === 'push') pushed.set(s.tool, { reached: new Set(destinations.get(s)), open: describeOpen(s) !== undefined });
  }
  for (const s of instructions) {
    const path = [...base, s.annotation];
    if (s.mode === 'copy') {
      const sourceNs = (s.source ?? '').split('/')[0];
      if (ns !== undefined && run.tenants.has(ns) && sourceNs !== ns) {
        run.report(i, `is a copy of \`${s.source}\` kept in sync by ${s.tool}, in tenant namespace \`${ns}\``, path);
      }
      continue;
    }
    const push = s.mode === 'pull' ? pushed.get(s.tool) : undefined;
    const reached = destinations.get(s)!.filter((t) => !push?.reached.has(t));
    const open = push?.open ? undefined : describeOpen(s);
    if (reached.length === 0 && !open) continue;
    const where = [
      ...(reached.length > 0 ? [`tenant namespace${reached.length === 1 ? '' : 's'} ${listOf(reached)}`] : []),
      ...(open ? [open] : []),
    ].join(' and ');
    const message = s.mode === 'push' ? `${s.tool} copies ${what} into ${where}` : `${s.tool} lets ${where} copy ${what}`;
    run.report(i, message, path, reached.length === 1 ? reached[0] : undefined);
  }
}

function describeOpen(s: SyncInstruction): string | undefined {
  if (s.everywhere) return 'every namespace, including tenants created later';
  const parts: string[] = [];
  if (s.patterns.length > 0) parts.push(`every namespace matching ${s.patterns.map((p) => `\`${p}\``).join(', ')}`);
  if (s.selector !== undefined) parts.push(`every namespace labelled \`${s.selector}\``);
  return parts.length > 0 ? `${parts.join(' and ')}, including tenants created later` : undefined;
}

/**
 * Checks one entry of `platform.wildcard.syncTo.namespaces` on its own: it must be a namespace
 * name, never a pattern. Both tools read each entry as a regular expression (matched against
 * the whole name), so a pattern can match a tenant namespace, now or once a tenant is added.
 */
export function checkSyncNamespace(namespace: string, platformNamespace: string): string | undefined {
  if (!HOST_LABEL.test(namespace) || namespace.length > 63) {
    return `\`${namespace}\` is not a namespace name; reflector and replicator read each entry as a regular expression, which can match a tenant namespace now or when one is added — list each namespace by its exact name`;
  }
  if (namespace === platformNamespace) {
    return `\`${namespace}\` is the platform namespace, where the wildcard Secret already lives — remove it from the list`;
  }
  if (namespace === 'default') {
    return '`default` is where workloads and people without a namespace of their own end up, so the wildcard\'s private key would be in reach of many — sync it to a namespace of the workload that needs it';
  }
  return undefined;
}

/** The refusal for an empty `syncTo.namespaces`: both tools read "no list" as every namespace. */
export const EMPTY_SYNC_LIST_REFUSAL = 'lists no namespace — name each namespace that needs the wildcard Secret, e.g. `monitoring`';

/** The refusal for a namespace listed twice in `platform.wildcard.syncTo.namespaces`. */
export function duplicateSyncNamespaceRefusal(namespace: string): string {
  return `\`${namespace}\` is listed twice — remove one entry`;
}

/**
 * The refusal for a tenant whose namespace is also listed in `platform.wildcard.syncTo.namespaces`
 * (reported once, at the tenant's name, which is in the file that added the tenant).
 */
/** The refusal for a fleet cluster's `syncTo` entry that names a tenant (reported at the entry: a tenant may move onto the cluster). */
export function syncToTenantRefusal(namespace: string): string {
  return `\`${namespace}\` is a tenant of the fleet: it would receive a copy of the wildcard certificate's private key and could serve every host under it, other tenants' included — remove it from this list`;
}

export function tenantInSyncToRefusal(namespace: string): string {
  return `\`${namespace}\` is also listed in \`platform.wildcard.syncTo.namespaces\`: this tenant would receive a copy of the wildcard certificate's private key and could serve every host under it, other tenants' included — remove it from that list, or choose another tenant name`;
}

export const KUBED_RETIRED: Threat = {
  id: 'kubed-retired',
  family: 'secrets',
  severity: 'low',
  title: 'kubed is retired',
  why: 'kubed is retired upstream and gets no fixes; its `kubed.appscode.com/sync` annotation copies to every namespace matching a label selector, or to all of them when empty.',
  fix: 'Remove the `kubed.appscode.com/sync` annotation and copy with `reflector` or `replicator` to listed namespaces, or not at all (see `secret-sync-into-tenants`).',
  spec: { fields: ['platform.wildcard.syncTo.via', 'clusters[].platform.wildcard.syncTo.via'] },
  construct: { props: ['WildcardTlsStore.syncTo.via'] },
  values: none('copies are not chart values'),
  admission: none('`secret-sync-into-tenants` refuses kubed\'s annotation on tenants\' Secrets, ConfigMaps and Certificates'),
  audit: {
    scope: 'all',
    looksFor: 'A `kubed.appscode.com/sync` annotation: kubed is retired upstream.',
    detect: (run) => ({
      visit: (o, i) => {
        const found = syncAnnotationsOf(o);
        // Secrets report kubed where their copying annotations are read, the others on their metadata too.
        if (o.kind !== 'Secret' && asString(asRecord(o.metadata?.annotations)[KUBED_SYNC]) !== undefined) {
          run.report(i, 'uses kubed\'s `kubed.appscode.com/sync` annotation; kubed is retired upstream', ['metadata', 'annotations', KUBED_SYNC]);
        }
        if (!found) return;
        for (const s of syncInstructions(found.annotations, asString(o.metadata.namespace))) {
          if (s.tool === 'kubed') run.report(i, 'uses kubed\'s `kubed.appscode.com/sync` annotation; kubed is retired upstream', [...found.path, s.annotation]);
        }
      },
    }),
  },
};

/** Checks `platform.wildcard.syncTo.via`. */
export function checkSyncVia(via: unknown): string | undefined {
  if (via === 'kubed') {
    return '`kubed` is retired upstream and no longer maintained — use `reflector` or `replicator`, which cert-manager\'s FAQ also names';
  }
  if (typeof via === 'string' && !(SECRET_SYNC_TOOLS as readonly string[]).includes(via)) {
    return `\`${via}\` is not a supported sync tool — use \`reflector\` or \`replicator\``;
  }
  return undefined;
}

export const EXTERNAL_SECRETS_OWN_STORE: Threat = {
  id: 'external-secrets-own-store',
  family: 'secrets',
  severity: 'high',
  title: 'An ExternalSecret that reads through a ClusterSecretStore or a ClusterGenerator',
  why: 'A ClusterSecretStore serves every namespace with credentials meant for all of them, and a ClusterGenerator mints credentials meant for every namespace: a tenant\'s ExternalSecret pointing at one reads secrets that are not its own.',
  fix: 'Reference the tenant\'s own SecretStore (`tenant-secrets`), scoped to the tenant in Vault.',
  spec: none('tenants write their own ExternalSecrets: no spec field describes them'),
  construct: none('TenantSecretStore renders a namespaced SecretStore only'),
  values: none('ExternalSecrets are not chart values'),
  admission: {
    validations: [
      {
        policy: P.externalSecrets,
        expression: `(!has(object.spec.secretStoreRef) || !has(object.spec.secretStoreRef.kind) || object.spec.secretStoreRef.kind == 'SecretStore') && ${everySource("!has(d.sourceRef) || !has(d.sourceRef.storeRef) || !has(d.sourceRef.storeRef.kind) || d.sourceRef.storeRef.kind == 'SecretStore'")}`,
        message: 'an ExternalSecret in a tenant namespace may only use a SecretStore of its namespace: a ClusterSecretStore serves every namespace.',
      },
      {
        policy: P.externalSecrets,
        expression: everySource("!has(d.sourceRef) || !has(d.sourceRef.generatorRef) || d.sourceRef.generatorRef.kind != 'ClusterGenerator'"),
        message: 'an ExternalSecret in a tenant namespace may not use a ClusterGenerator: it mints credentials meant for every namespace.',
      },
    ],
  },
  audit: {
    scope: 'all',
    looksFor: 'A tenant ExternalSecret whose `secretStoreRef.kind` is `ClusterSecretStore`.',
    detect: (run) => ({
      kinds: ['ExternalSecret'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns)) return;
        const kind = asString(asRecord(asRecord(o.spec).secretStoreRef).kind);
        if (kind === 'ClusterSecretStore') run.report(i, `reads through ClusterSecretStore \`${asString(asRecord(asRecord(o.spec).secretStoreRef).name) ?? '?'}\``, ['spec', 'secretStoreRef', 'kind']);
      },
    }),
  },
};

export const EXTERNAL_SECRETS_CREATION_POLICY: Threat = {
  id: 'external-secrets-creation-policy',
  family: 'secrets',
  severity: 'medium',
  title: 'An ExternalSecret that writes into Secrets it does not own',
  why: '`Merge` and `CreateOrMerge` write into an existing Secret that no ExternalSecret owns — one the platform or cert-manager put there — and `Orphan` leaves Secrets nothing owns.',
  fix: 'Keep `spec.target.creationPolicy` at `Owner` (the default) or `None`.',
  spec: none('tenants write their own ExternalSecrets: no spec field describes them'),
  construct: none('the constructs render no ExternalSecret'),
  values: none('ExternalSecrets are not chart values'),
  admission: {
    validations: [{
      policy: P.externalSecrets,
      expression: "!has(object.spec.target) || !has(object.spec.target.creationPolicy) || object.spec.target.creationPolicy in ['Owner', 'None']",
      message: 'spec.target.creationPolicy must be Owner (the default) or None: Merge, CreateOrMerge and Orphan write into Secrets that no ExternalSecret owns, or leave Secrets nothing owns.',
    }],
  },
  audit: none('writing into a Secret of its own namespace crosses no tenant boundary; admission keeps it to the tenant\'s own'),
};

/** The fields of `platform.externalSecrets.vault`; `path` and `role` are per-tenant templates. */
export type VaultField = 'server' | 'path' | 'role' | 'authMountPath';

export const VAULT_TENANT_SCOPE: Threat = {
  id: 'vault-tenant-scope',
  family: 'secrets',
  severity: 'critical',
  title: 'A Vault path or role that is not the tenant\'s own',
  why: 'Each tenant\'s SecretStore logs in with a Vault role and reads a KV mount named from templates; without `{tenant}` every tenant reaches the same secrets, and `..`, `.` or odd characters climb out of the tenant\'s scope.',
  fix: 'Write `path` and `role` with `{tenant}`, e.g. `tenants/{tenant}` and `tenant-{tenant}`, in plain segments.',
  spec: { fields: ['platform.externalSecrets.vault.path', 'platform.externalSecrets.vault.role', 'platform.externalSecrets.vault.authMountPath'] },
  construct: { props: ['Platform.externalSecrets.vault'] },
  values: none('Vault settings are not chart values'),
  admission: none('tenants cannot change their SecretStore: their Role grants only get, list and watch on it'),
  audit: none('manifests hold each tenant\'s filled-in path, not the template; Vault\'s own policies are outside them'),
};

export const VAULT_SERVER_URL: Threat = {
  id: 'vault-server-url',
  family: 'secrets',
  severity: 'high',
  title: 'A Vault server URL over plain http or with credentials',
  why: 'Every tenant\'s SecretStore sends its Vault token to this URL: over plain http it can be read on the way, and credentials in the URL are written into every rendered file.',
  fix: 'Write the https URL of the Vault server alone, e.g. `https://vault.example.com:8200`.',
  spec: { fields: ['platform.externalSecrets.vault.server'] },
  construct: { props: ['Platform.externalSecrets.vault.server'] },
  values: none('Vault settings are not chart values'),
  admission: none('tenants cannot change their SecretStore: their Role grants only get, list and watch on it'),
  audit: none('the audit judges isolation between tenants, not transport'),
};

/** Examples the Vault refusals suggest: the defaults, and a server. */
const VAULT_EXAMPLES: Record<VaultField, string> = {
  server: 'https://vault.example.com:8200',
  path: DEFAULTS.platform.vault.path,
  role: DEFAULTS.platform.vault.role,
  authMountPath: DEFAULTS.platform.vault.authMountPath,
};

/** The threat a Vault field's refusal belongs to. */
export function vaultThreat(field: VaultField): Threat {
  return field === 'server' ? VAULT_SERVER_URL : VAULT_TENANT_SCOPE;
}

/** Replaces `{tenant}` in a per-tenant template. */
export function fillTenant(template: string, tenant: string): string {
  return template.split('{tenant}').join(tenant);
}

/**
 * Checks a per-tenant template such as `secret/{tenant}`: it must contain `{tenant}` (else every
 * tenant's SecretStore reaches the same secrets) and no other placeholder.
 */
function checkTenantTemplate(value: string, example: string): string | undefined {
  const unknown = (value.match(/\{[^}]*\}/g) ?? []).filter((p) => p !== '{tenant}');
  if (unknown.length > 0) {
    return `${unknown.map((p) => `\`${p}\``).join(', ')} is not a placeholder — only \`{tenant}\` is replaced, e.g. \`${example}\``;
  }
  if (!value.includes('{tenant}')) {
    return `\`${value}\` has no \`{tenant}\` placeholder, so every tenant's SecretStore would reach the same secrets — write e.g. \`${example}\``;
  }
  return undefined;
}

/**
 * Checks one field of `platform.externalSecrets.vault`:
 * - `server`: an https URL without credentials, query or fragment;
 * - `path` and `role`: templates naming `{tenant}`, in Vault's name characters, and for `path`
 *   without `.`, `..` or empty segments, so a template cannot climb out of the tenant's mount;
 * - `authMountPath`: the same path rules, without placeholders (it is the same for every tenant).
 */
export function checkVaultField(field: VaultField, value: string): string | undefined {
  const example = VAULT_EXAMPLES[field];
  if (field === 'server') return checkVaultServer(value, example);
  const template = field === 'authMountPath' ? undefined : checkTenantTemplate(value, example);
  if (template) return template;
  if (field === 'authMountPath' && value.startsWith('auth/')) {
    return `\`${value}\` starts with \`auth/\`, which External Secrets adds itself — write the mount's name, e.g. \`${example}\``;
  }
  const name = field === 'authMountPath' ? /^[A-Za-z0-9._-]+$/ : /^([A-Za-z0-9._-]|\{tenant\})+$/;
  const segments = field === 'role' ? [value] : value.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || !name.test(s))) {
    const what = field === 'role'
      ? 'a Vault role name (letters, digits, `.`, `_`, `-` and `{tenant}`)'
      : `a plain Vault path (no empty, \`.\` or \`..\` segments, no leading or trailing \`/\`; letters, digits, \`.\`, \`_\`, \`-\`${field === 'path' ? ' and `{tenant}`' : ''})`;
    return `\`${value}\` is not ${what} — write e.g. \`${example}\``;
  }
  return undefined;
}

/** Said of every URL that would carry credentials. */
export const CREDENTIALS_IN_URL = 'a URL is written into every rendered file and readable by whoever reads them';

/** Checks the Vault server URL: https (a path prefix of a gateway is fine), without credentials, query or fragment. */
function checkVaultServer(server: string, example: string): string | undefined {
  const url = parseUrl(server);
  if (url?.protocol !== 'https:') {
    return `must be the https URL of your Vault server (lower-case \`https://\`, a valid host and port), e.g. \`${example}\` — a token sent over plain http can be read on the way`;
  }
  if (url.username || url.password) return `\`${server}\` carries credentials; ${CREDENTIALS_IN_URL} — write only the server, e.g. \`${example}\``;
  if (url.search || url.hash) return `\`${server}\` has a query or fragment, which Vault's client would mangle — write only the server, e.g. \`${example}\``;
  if (/\/v1\/?$/.test(url.pathname)) return `\`${server}\` ends in the API path \`/v1\`, which External Secrets adds itself — write only the server, e.g. \`${example}\``;
  return undefined;
}

export const DEFAULT_CERTIFICATE_FROM_TENANT: Threat = {
  id: 'default-certificate-from-tenant',
  family: 'secrets',
  severity: 'critical',
  title: 'An ingress controller serves a default certificate kept in a tenant namespace',
  why: 'An ingress controller serves its default (or wildcard) certificate for every host that has none of its own — other tenants\' hosts included. Kept in a tenant namespace, its private key is readable by that tenant, and a tenant who may write Secrets there chooses what every other tenant\'s visitors are served.',
  fix: 'Keep the default certificate\'s Secret in the controller\'s own platform namespace (ingress-nginx and HAProxy: `--default-ssl-certificate=<platform>/<secret>`; NGINX: `-default-server-tls-secret`, `-wildcard-tls-secret`; Cilium: `ingress-default-secret-namespace`), and never run the controller in a tenant namespace.',
  spec: none('the platform\'s wildcard certificate is always issued into the platform namespace and served through its `default` TLSStore'),
  construct: none('WildcardTLSStore keeps the certificate in the platform namespace'),
  values: none('copies are not chart values'),
  admission: none('tenants cannot change an ingress controller: it runs outside their namespace'),
  audit: {
    scope: 'all',
    looksFor: 'A workload whose `--default-ssl-certificate` (ingress-nginx, HAProxy), `-default-server-tls-secret` or `-wildcard-tls-secret` (NGINX) or `--ingress-default-secret-namespace` (Cilium; also in the `cilium-config` ConfigMap) names a tenant namespace; a Kong in a tenant namespace whose `KONG_SSL_CERT` is mounted from a Secret there.',
    detect: (run) => ({
      kinds: ['Deployment', 'DaemonSet', 'StatefulSet', 'ConfigMap'],
      visit: (o, i) => {
        for (const d of defaultCertificates(o)) {
          if (run.tenants.has(d.namespace)) {
            run.report(i, `\`${d.option}\` serves Secret \`${d.secret}\` of tenant namespace \`${d.namespace}\` for every host without a certificate of its own`, d.path, d.namespace);
          }
        }
      },
    }),
  },
};

export const SECRET_THREATS: readonly Threat[] = [
  EXTERNAL_SECRETS_OWN_STORE, EXTERNAL_SECRETS_CREATION_POLICY, SECRET_SYNC_INTO_TENANTS, KUBED_RETIRED, VAULT_TENANT_SCOPE, VAULT_SERVER_URL,
  DEFAULT_CERTIFICATE_FROM_TENANT,
];
