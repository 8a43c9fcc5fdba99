/**
 * Threats through GitOps delivery: the repository and the engine that apply every tenant's
 * objects with the platform's rights.
 */
import { isReservedNamespace } from './namespaces';
import { parseUrl } from './formats';
import { CREDENTIALS_IN_URL } from './secrets';
import { none, Threat } from './threat';

const NOT_VALUES = 'GitOps settings are not chart values';
const NOT_ADMISSION = 'the GitOps objects live in the engine\'s namespace, out of tenants\' reach';
const NOT_AUDIT = 'the audit judges isolation between tenants in cluster objects, not how they are delivered';

export const GITOPS_URL: Threat = {
  id: 'gitops-url',
  family: 'gitops',
  severity: 'high',
  title: 'A GitOps repository or cluster URL over plain http or with credentials',
  why: 'The engine applies whatever the repository holds with the platform\'s rights: over plain http anyone on the path can change what the cluster applies, and a token in the URL is written into every rendered file.',
  fix: 'Use an `https://` or `ssh://` URL without user information, and give credentials to the engine (a repository Secret in Argo CD, `secretRef` in Flux).',
  spec: { fields: ['platform.gitops.argocd.repoURL', 'platform.gitops.argocd.server', 'platform.gitops.flux.url', 'clusters[].server'] },
  construct: { props: ['GitOps.argoCd', 'GitOps.flux'] },
  values: none(NOT_VALUES),
  admission: none(NOT_ADMISSION),
  audit: none(NOT_AUDIT),
};

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

/** Checks `platform.gitops.argocd.server`: the destination cluster's API server, over https, without credentials. */
export function checkArgoServer(server: string): string | undefined {
  const url = parseUrl(server);
  if (!url || url.protocol !== 'https:' || url.username || url.password) {
    return `\`${server}\` is not an https URL without credentials — use the API server URL Argo CD knows the cluster by, e.g. \`https://kubernetes.default.svc\``;
  }
  return undefined;
}

export const FLUX_SSH_DEPLOY_KEY: Threat = {
  id: 'flux-ssh-deploy-key',
  family: 'gitops',
  severity: 'medium',
  title: 'A Flux ssh repository without a deploy key',
  why: 'Flux cannot clone an ssh URL without a key: nothing is applied, and tenants added later never appear.',
  fix: 'Set `secretRef` to the Secret (in the Flux namespace) holding `identity` and `known_hosts`.',
  spec: { fields: ['platform.gitops.flux.secretRef'] },
  construct: { props: ['GitOps.flux'] },
  values: none(NOT_VALUES),
  admission: none(NOT_ADMISSION),
  audit: none(NOT_AUDIT),
};

export function checkFluxSecretRef(url: string, secretRef: string | undefined): string | undefined {
  return url.startsWith('ssh://') && secretRef === undefined
    ? 'an ssh URL needs a deploy key — set `secretRef` to the Secret (in the Flux namespace) holding `identity` and `known_hosts`'
    : undefined;
}

export const GITOPS_REPOSITORY_PATH: Threat = {
  id: 'gitops-repository-path',
  family: 'gitops',
  severity: 'high',
  title: 'A GitOps repository path that leaves the rendered output',
  why: 'The path tells the engine which folder to apply: an absolute path, `..`, `.` or an empty segment points it at another folder of the repository (or makes Flux\'s `ignore` hide everything), so it applies what nobody rendered or checked — or nothing.',
  fix: 'Write a folder inside the repository relative to its root, e.g. `dist`.',
  spec: { fields: ['platform.gitops.argocd.path', 'platform.gitops.flux.path'] },
  construct: { props: ['GitOps.argoCd', 'GitOps.flux'] },
  values: none(NOT_VALUES),
  admission: none(NOT_ADMISSION),
  audit: none(NOT_AUDIT),
};

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

/** Shortest Flux `interval` accepted, in seconds. */
export const MIN_FLUX_INTERVAL_SECONDS = 30;
/** A Go duration, as Flux reads `interval`. */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

export const FLUX_INTERVAL: Threat = {
  id: 'flux-interval',
  family: 'gitops',
  severity: 'low',
  title: 'A Flux interval so short it floods the Git server',
  why: 'Every tenant has a GitRepository of its own: polling each more often than every 30 seconds multiplies into a flood of fetches that can get the platform rate-limited or blocked by its Git host.',
  fix: `Poll every \`${MIN_FLUX_INTERVAL_SECONDS}s\` or less often, e.g. \`10m\`; use a webhook receiver for faster delivery.`,
  spec: { fields: ['platform.gitops.flux.interval'] },
  construct: { props: ['GitOps.flux'] },
  values: none(NOT_VALUES),
  admission: none(NOT_ADMISSION),
  audit: none(NOT_AUDIT),
};

/** Seconds in a Go duration such as `1h30m` or `90s` (already matched against `GO_DURATION`). */
export function durationSeconds(duration: string): number {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  return [...duration.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

export function checkFluxInterval(interval: string): string | undefined {
  if (!GO_DURATION.test(interval)) return 'must be a duration such as `10m` or `1h`';
  if (durationSeconds(interval) < MIN_FLUX_INTERVAL_SECONDS) {
    return `must be at least \`${MIN_FLUX_INTERVAL_SECONDS}s\`, e.g. \`10m\` — every tenant has a GitRepository of its own, and polling each more often floods the Git server`;
  }
  return undefined;
}

export const GITOPS_NAMESPACE: Threat = {
  id: 'gitops-namespace',
  family: 'gitops',
  severity: 'high',
  title: 'The GitOps engine\'s namespace is shared with the platform, an add-on or a tenant',
  why: 'The engine\'s namespace holds its Git credentials and the objects that apply every tenant: in the platform namespace every tenant\'s Traefik may read them, in a tenant\'s the tenant\'s owners can, and in another add-on\'s that add-on\'s users are in reach.',
  fix: 'Use the engine\'s own namespace (`argocd`, `flux-system`), and name no tenant like it.',
  spec: { fields: ['platform.gitops.argocd.namespace', 'platform.gitops.flux.namespace', 'tenants[].name'] },
  construct: { props: ['Platform.gitops', 'TenantNamespace.name'] },
  values: none(NOT_VALUES),
  admission: none(NOT_ADMISSION),
  audit: none(NOT_AUDIT),
};

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

export const ONE_DESTINATION_ONE_CLUSTER: Threat = {
  id: 'one-destination-one-cluster',
  family: 'gitops',
  severity: 'high',
  title: 'Two clusters of a fleet reached the same way',
  why: 'The GitOps engine finds a cluster by how it is reached: Argo CD by its server or registered name (`in-cluster` is the management cluster Argo CD runs in), Flux by its kubeconfig Secret. Two clusters reached the same way — two of the fleet, or a tenant\'s own cluster and another — are one cluster: a tenant\'s baseline and its owners\' AppProject land where other tenants or the management run, and two platforms prune each other\'s objects.',
  fix: 'Reach each cluster its own way (`server`, `destinationName` or `kubeConfigSecret`), and name no tenant with a cluster of its own like another cluster\'s destination (`in-cluster` included).',
  spec: { fields: ['clusters[].server', 'clusters[].destinationName', 'clusters[].kubeConfigSecret', 'tenants[].name'] },
  construct: { props: ['FleetGitOps.clusters'] },
  values: none(NOT_VALUES),
  admission: none(NOT_ADMISSION),
  audit: none('manifests do not say which cluster a destination is'),
};

/** The name Argo CD gives the cluster it runs in. */
export const ARGOCD_IN_CLUSTER = 'in-cluster';

/** A cluster of a fleet as the engine reaches it. */
export interface ClusterDestination {
  readonly name: string;
  readonly server?: string;
  readonly destinationName?: string;
  readonly kubeConfigSecret?: string;
}

/** The engine that reaches the clusters: Argo CD (with the server of a cluster reached by neither server nor name), or Flux. */
export type DestinationEngine = { readonly argocdServer: string } | { readonly flux: true };

/**
 * Clusters reached like an earlier one: with Argo CD by `server`, `destinationName`, or (neither)
 * the default server; with Flux by `kubeConfigSecret`, or (none) the cluster Flux runs in. Each
 * with the field at fault and the refusal.
 */
export function clusterDestinationClashes(clusters: readonly ClusterDestination[], engine: DestinationEngine): Array<{ index: number; field: string; message: string }> {
  const seen = new Map<string, ClusterDestination>();
  const clashes: Array<{ index: number; field: string; message: string }> = [];
  clusters.forEach((c, index) => {
    let key: string;
    let field: string;
    let what: string;
    let fix: string;
    if ('argocdServer' in engine) {
      field = c.server !== undefined ? 'server' : c.destinationName !== undefined ? 'destinationName' : 'name';
      const destination = c.server ?? (c.destinationName !== undefined ? `name ${c.destinationName}` : engine.argocdServer);
      key = argoDestinationKey(destination, engine.argocdServer);
      what = `the Argo CD destination \`${destination.replace(/^name /, '')}\``;
      fix = 'give each cluster its own `server` or `destinationName` (a cluster without either is the one Argo CD runs in)';
    } else {
      field = c.kubeConfigSecret !== undefined ? 'kubeConfigSecret' : 'name';
      key = c.kubeConfigSecret ?? '';
      what = c.kubeConfigSecret !== undefined ? `the cluster of the kubeconfig Secret \`${c.kubeConfigSecret}\`` : 'the cluster Flux runs in (no `kubeConfigSecret`)';
      fix = 'give each cluster its own `kubeConfigSecret` (a cluster without one is the one Flux runs in)';
    }
    const first = seen.get(key);
    if (first) clashes.push({ index, field, message: `clusters \`${first.name}\` and \`${c.name}\` both reach ${what} — ${fix}` });
    else seen.set(key, c);
  });
  return clashes;
}

/**
 * A destination as Argo CD resolves it: a server URL without its trailing `/`, lower-cased host;
 * `in-cluster` (the name Argo CD gives the cluster it runs in) as the default server.
 */
function argoDestinationKey(destination: string, defaultServer: string): string {
  const url = (text: string) => text.replace(/\/+$/, '').replace(/^(https?:\/\/[^/]+)/i, (origin) => origin.toLowerCase());
  return destination === `name ${ARGOCD_IN_CLUSTER}` ? url(defaultServer) : destination.startsWith('name ') ? destination : url(destination);
}

export const GITOPS_THREATS: readonly Threat[] = [GITOPS_URL, FLUX_SSH_DEPLOY_KEY, GITOPS_REPOSITORY_PATH, FLUX_INTERVAL, GITOPS_NAMESPACE, ONE_DESTINATION_ONE_CLUSTER];
