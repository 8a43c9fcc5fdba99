/**
 * The isolation rules, each as a small pure function that answers with the refusal
 * message (what is wrong — what to do) or `undefined` when the value is fine.
 * The spec schema and the constructs both call these, so a user of the library and a
 * user of the CLI read the same words.
 */
import { DEFAULTS, RESERVED_NAMESPACES, RESERVED_NAMESPACE_PREFIXES } from './defaults';

/** Longest tenant name: `traefik-<name>` (Service, Deployment, ingress class) must fit a 63-character label. */
export const MAX_TENANT_NAME_LENGTH = 63 - 'traefik-'.length;

/** A container image reference, e.g. `traefik:v3.7.11` or one pinned by digest. */
export const IMAGE_REFERENCE = /^[^\s@]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** Most replicas a tenant's Traefik may run. */
export const MAX_TRAEFIK_REPLICAS = 20;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label (a namespace or a host label): lower-case letters, digits and `-`. */
export const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain (most object names): labels joined by `.`. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkAllowCrossNamespace(value: unknown): string | undefined {
  if (value === true) {
    return 'cross-namespace references let one tenant\'s routes use Services, Middlewares and TLS Secrets of another tenant — remove the field or set it to `false`';
  }
  return undefined;
}

export function checkPodSecurity(value: unknown): string | undefined {
  if (value === 'privileged') {
    return '`privileged` lets a tenant\'s pods take over the node they run on (host namespaces, host paths, privileged containers) — use `baseline` if `restricted` is too strict';
  }
  return undefined;
}

export const CLUSTER_ISSUER_REFUSAL =
  'a ClusterIssuer can be used by a Certificate in any namespace, so any tenant could obtain certificates through it — use a namespaced issuer: `acme`, `ca` or `selfSigned`';

/** Checks a tenant name, which is also its namespace name. */
export function checkTenantName(name: string, platformNamespace: string): string | undefined {
  if (name.length > MAX_TENANT_NAME_LENGTH) {
    return `\`${name}\` is ${name.length} characters; the names derived from it (\`traefik-${name}\`) must fit in 63 — use at most ${MAX_TENANT_NAME_LENGTH} characters`;
  }
  if (!DNS_LABEL.test(name)) {
    return `\`${name}\` is not a DNS-1123 label starting with a letter — use lowercase letters, digits and \`-\`, e.g. \`${suggestLabel(name)}\``;
  }
  if (isReservedNamespace(name)) {
    return `\`${name}\` is reserved for Kubernetes or cluster add-ons — choose another tenant name`;
  }
  if (name === platformNamespace) {
    return `\`${name}\` is the platform namespace, which holds every tenant's Traefik and the wildcard certificate — choose another tenant name`;
  }
  return undefined;
}

/** True for `default`, `kube-*` and the namespaces of cluster add-ons (see `RESERVED_NAMESPACES`). */
export function isReservedNamespace(name: string): boolean {
  return (RESERVED_NAMESPACES as readonly string[]).includes(name) || RESERVED_NAMESPACE_PREFIXES.some((p) => name.startsWith(p));
}

/** Checks the platform namespace: every tenant's Traefik may read its Secrets, so it must be a namespace of its own. */
export function checkPlatformNamespace(name: string): string | undefined {
  if (isReservedNamespace(name)) {
    return `\`${name}\` belongs to Kubernetes or a cluster add-on, and every tenant's Traefik may read the Secrets of the platform namespace — use a namespace of its own, e.g. \`traefik\``;
  }
  return undefined;
}

/**
 * Checks an owner subject (a user or group name from the identity provider). `system:` names are
 * Kubernetes identities: `system:serviceaccounts:<ns>` is every pod of a namespace, `system:nodes`
 * every kubelet, `system:authenticated` everyone — binding them would hand the tenant to others.
 */
export function checkOwnerSubject(name: string): string | undefined {
  if (name.trim() === '') return 'is empty — name the group or user as your identity provider sends it';
  if (name !== name.trim() || /[\x00-\x1f\x7f]/.test(name)) {
    return `${JSON.stringify(name)} has surrounding spaces or control characters — write the name exactly as your identity provider sends it`;
  }
  if (name.toLowerCase().startsWith('system:')) {
    return `\`${name}\` is a Kubernetes system identity (service accounts, nodes or every authenticated user), so owner rights would reach beyond the tenant's people — name a user or group from your identity provider, e.g. \`payments-leads\``;
  }
  return undefined;
}

/** The first Traefik release that knows every flag ScopedTraefik passes. */
export const MIN_TRAEFIK_VERSION = [3, 7, 11] as const;

/**
 * Checks the Traefik image: a lowercase repository and either a digest or a tag of at least
 * v3.7.11, since Traefik refuses to start on a flag it does not know.
 */
export function checkTraefikImage(image: string): string | undefined {
  const fix = 'use e.g. `traefik:v3.7.11` or pin a digest (`traefik@sha256:…`)';
  if (!IMAGE_REFERENCE.test(image)) return `\`${image}\` is not an image reference — ${fix}`;
  const [repository] = image.split('@')[0].split(/:(?=[^/]*$)/);
  if (repository !== repository.toLowerCase()) return `\`${image}\` has upper-case letters in its repository, which no registry accepts — ${fix}`;
  if (image.includes('@sha256:')) return undefined;
  const tag = /:([^:/@]+)$/.exec(image)?.[1];
  const version = tag ? /^v?(\d+)\.(\d+)\.(\d+)$/.exec(tag) : null;
  if (!version) return `\`${image}\` has no version tag (such as \`v3.7.11\`), so what runs can change under you — ${fix}`;
  const [major, minor, patch] = version.slice(1).map(Number);
  const [M, m, p] = MIN_TRAEFIK_VERSION;
  if (major !== M || minor < m || (minor === m && patch < p)) {
    return `\`${image}\` is not a Traefik v3 release of at least v${MIN_TRAEFIK_VERSION.join('.')}, and would refuse flags this tool passes (\`--core.strictTLSOptions\`, \`defaultTLSResourcesNamespace\`) — ${fix}`;
  }
  return undefined;
}

function suggestLabel(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return (s || 'team-a').slice(0, MAX_TENANT_NAME_LENGTH);
}

/**
 * Checks a host name a tenant serves (already lowercased). Wildcards are refused:
 * a wildcard certificate in a tenant namespace would let that tenant serve every
 * sibling host, including other tenants'.
 */
export function checkTenantDomain(domain: string): string | undefined {
  if (domain.includes('*')) {
    return `\`${domain}\` is a wildcard; a tenant holding a wildcard certificate can serve every host under it, other tenants' included — list each host, or put the wildcard on \`platform.wildcard\``;
  }
  return checkHostName(domain);
}

/** Checks a DNS name without wildcards. */
export function checkHostName(domain: string): string | undefined {
  if (/[^\x00-\x7f]/.test(domain)) {
    return `\`${domain}\` has non-ASCII characters — write the punycode form (\`xn--…\`)`;
  }
  if (domain.endsWith('.')) {
    return `\`${domain}\` ends with a dot — write it without the trailing dot`;
  }
  if (domain.length > 253) {
    return `\`${domain}\` is ${domain.length} characters; a DNS name has at most 253 — use a shorter host`;
  }
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((l) => !HOST_LABEL.test(l) || l.length > 63)) {
    return `\`${domain}\` is not a valid DNS name — use labels of letters, digits and \`-\` separated by dots, e.g. \`app.example.com\``;
  }
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return `\`${domain}\` is an IP address or ends in a numeric label, not a DNS name — certificates here are issued for host names, e.g. \`app.example.com\``;
  }
  return undefined;
}

/** Checks a name of the platform wildcard certificate: `*.zone` or a plain host. */
export function checkWildcardDnsName(name: string): string | undefined {
  if (name.startsWith('*.')) {
    const zone = name.slice(2);
    return zone.includes('*') ? `\`${name}\` has more than one wildcard — use a single leading \`*.\`` : checkHostName(zone);
  }
  if (name.includes('*')) return `\`${name}\` has a wildcard that is not the first label — write it as \`*.zone\``;
  return checkHostName(name);
}

/** True when `domain` equals `zone` or lies under it. */
export function isWithin(domain: string, zone: string): boolean {
  return domain === zone || domain.endsWith(`.${zone}`);
}

/** Tools that copy the wildcard certificate's Secret into other namespaces (cert-manager's FAQ names these). */
export const SECRET_SYNC_TOOLS = ['reflector', 'replicator'] as const;

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
export function tenantInSyncToRefusal(namespace: string): string {
  return `\`${namespace}\` is also listed in \`platform.wildcard.syncTo.namespaces\`: this tenant would receive a copy of the wildcard certificate's private key and could serve every host under it, other tenants' included — remove it from that list, or choose another tenant name`;
}

/**
 * Checks a per-tenant template such as `secret/{tenant}`: it must contain `{tenant}` (else every
 * tenant's SecretStore reaches the same secrets) and no other placeholder.
 */
export function checkTenantTemplate(value: string, example: string): string | undefined {
  const unknown = (value.match(/\{[^}]*\}/g) ?? []).filter((p) => p !== '{tenant}');
  if (unknown.length > 0) {
    return `${unknown.map((p) => `\`${p}\``).join(', ')} is not a placeholder — only \`{tenant}\` is replaced, e.g. \`${example}\``;
  }
  if (!value.includes('{tenant}')) {
    return `\`${value}\` has no \`{tenant}\` placeholder, so every tenant's SecretStore would reach the same secrets — write e.g. \`${example}\``;
  }
  return undefined;
}

/** Replaces `{tenant}` in a per-tenant template. */
export function fillTenant(template: string, tenant: string): string {
  return template.split('{tenant}').join(tenant);
}

/** A repository path as the GitOps objects use it: no leading `./`, no trailing `/`, and `.` for the root. */
export function normalizeRepoPath(path: string): string {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  return clean === '' ? '.' : clean;
}

/** Checks a path inside the GitOps repository (`platform.gitops.*.path`): relative, without `..`, `.` or empty segments. */
export function checkRepoPath(path: string): string | undefined {
  const fix = 'write a folder inside the repository relative to its root, with letters, digits, `.`, `_`, `-` and `/` between folder names — e.g. `dist`';
  if (path === '') return `is empty — ${fix}`;
  const clean = normalizeRepoPath(path);
  if (!path.startsWith('/') && clean === '.') return undefined;
  if (path.startsWith('/') || clean.split('/').some((s) => s === '' || s === '.' || s === '..' || !/^[A-Za-z0-9._-]+$/.test(s))) {
    return `\`${path}\` is not a plain relative folder (absolute, \`..\`, \`.\`, \`//\` or other characters) — ${fix}`;
  }
  return undefined;
}

/** The fields of `platform.externalSecrets.vault`; `path` and `role` are per-tenant templates. */
export type VaultField = 'server' | 'path' | 'role' | 'authMountPath';

/** Examples the Vault refusals suggest: the defaults, and a server. */
const VAULT_EXAMPLES: Record<VaultField, string> = {
  server: 'https://vault.example.com:8200',
  path: DEFAULTS.platform.vault.path,
  role: DEFAULTS.platform.vault.role,
  authMountPath: DEFAULTS.platform.vault.authMountPath,
};

/**
 * Checks one field of `platform.externalSecrets.vault` (the spec schema and `TenantSecretStore`
 * both call it):
 * - `server`: an https URL without credentials, query or fragment;
 * - `path` and `role`: templates naming `{tenant}` (else every tenant's SecretStore reaches the
 *   same secrets), in Vault's name characters, and for `path` without `.`, `..` or empty segments,
 *   so a template cannot climb out of the tenant's mount;
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

/**
 * Parses an absolute URL written plainly: a lower-case scheme and no white space (the URL parser
 * would quietly drop or encode those, and the text is rendered as written); undefined otherwise.
 */
function parseUrl(text: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

const CREDENTIALS_IN_URL = 'a URL is written into every rendered file and readable by whoever reads them';

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

/** Checks `platform.gitops.argocd.server`: the destination cluster's API server, over https, without credentials. */
export function checkArgoServer(server: string): string | undefined {
  const url = parseUrl(server);
  if (!url || url.protocol !== 'https:' || url.username || url.password) {
    return `\`${server}\` is not an https URL without credentials — use the API server URL Argo CD knows the cluster by, e.g. \`https://kubernetes.default.svc\``;
  }
  return undefined;
}

/**
 * Checks a Git repository URL the GitOps engine pulls from: `https://` or `ssh://` in lower case
 * (Argo CD also takes `user@host:path`), never plain `http` (anyone on the path could change what
 * the cluster applies), no spaces, and no user information in an https URL: a token there (GitHub
 * takes one as the user name) cannot be told from a user name.
 */
export function checkGitUrl(text: string, engine: 'argocd' | 'flux'): string | undefined {
  const credentials = engine === 'argocd' ? 'a repository Secret in Argo CD' : '`secretRef`';
  const example = engine === 'argocd' ? '`https://git.example.com/platform/tenancy.git` or `git@git.example.com:platform/tenancy.git`' : '`https://git.example.com/platform/tenancy.git` or `ssh://git@git.example.com/platform/tenancy.git`';
  if (engine === 'argocd' && /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+$/.test(text)) return undefined;
  const url = parseUrl(text);
  if (!url || !['https:', 'ssh:'].includes(url.protocol) || !url.hostname) {
    const http = /^http:/i.test(text) ? ' — plain http lets anyone on the path change what the cluster applies' : '';
    return `\`${text}\` is not an https or ssh Git URL (lower-case scheme, no spaces)${http}; write e.g. ${example}`;
  }
  if (url.password || (url.protocol === 'https:' && url.username)) {
    return `\`${text}\` carries a user name, password or token; ${CREDENTIALS_IN_URL} — remove \`${url.username}${url.password ? ':…' : ''}@\` from the URL and give credentials to the engine through ${credentials}`;
  }
  return undefined;
}

/** Shortest Flux `interval` accepted, in seconds. */
export const MIN_FLUX_INTERVAL_SECONDS = 30;

/** Seconds in a Go duration such as `1h30m` or `90s` (already matched against the duration pattern). */
export function durationSeconds(duration: string): number {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  return [...duration.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/**
 * Checks `platform.gitops.*.namespace` against the platform namespace and the namespaces of
 * Kubernetes and other add-ons (`engineDefault`, the engine's usual namespace, is fine).
 * Tenant names are checked with the whole spec.
 */
export function checkGitOpsNamespace(namespace: string, platformNamespace: string, engineDefault: string): string | undefined {
  if (namespace === platformNamespace) {
    return `\`${namespace}\` is the platform namespace, whose Secrets every tenant's Traefik may read, Git credentials included — use the engine's own namespace, e.g. \`${engineDefault}\``;
  }
  if (namespace !== engineDefault && isReservedNamespace(namespace)) {
    return `\`${namespace}\` belongs to Kubernetes or another add-on, whose users would be in reach of the Git credentials (and the engine watches only its own namespace by default) — use the engine's own namespace, e.g. \`${engineDefault}\``;
  }
  return undefined;
}

/** The refusal for a tenant whose namespace is also the GitOps engine's (reported once, at the tenant's name). */
export function tenantIsGitOpsNamespaceRefusal(namespace: string, field: string): string {
  return `\`${namespace}\` is also the GitOps engine's namespace (\`${field}\`): the tenant's owners could read the Git credentials there, and the objects that apply every tenant would sit in its space — set another namespace there, or choose another tenant name`;
}
