/**
 * Working out, from manifests alone, which namespaces are tenants and which are the platform's.
 *
 * - `--tenant-namespaces a,b`: exactly these.
 * - `--tenants-from label=KEY`: the namespaces whose Namespace object carries label KEY.
 * - neither: the namespaces labelled `tenancy.cdk8s.io/tenant` (what this tool writes); when
 *   none is, no namespace: the audit does not guess (a guess takes `argocd`, `monitoring` or an
 *   ingress controller's namespace for a tenant and reports its controllers), it runs only the
 *   rules that need no tenant boundary and says so.
 *
 * Platform namespaces are the namespaces running Traefik, tenants excepted.
 */
import { LABELS } from '../model/names';
import { KubeObjectLike } from '../threats/detect/engine';
import { traefikContainers } from '../threats/detect/traefik-config';
import { asStringMap } from '../threats/detect/values';

export type TenantSource =
  | { readonly kind: 'list'; readonly namespaces: readonly string[] }
  | { readonly kind: 'label'; readonly key: string };

export interface TenantScope {
  readonly tenantNamespaces: ReadonlySet<string>;
  readonly platformNamespaces: ReadonlySet<string>;
  /** How the tenants were chosen, as a phrase for the report. */
  readonly how: string;
  /** False when nothing named the tenants (no flag, no labelled Namespace): none were guessed. */
  readonly named: boolean;
}

/** The label this tool puts on tenant namespaces, looked for when no flag says otherwise. */
export const DEFAULT_TENANT_LABEL = LABELS.tenant;

export function discoverTenants(objects: readonly KubeObjectLike[], source?: TenantSource): TenantScope {
  const labelled = new Map<string, Record<string, string>>();
  const traefik = new Set<string>();
  for (const o of objects) {
    const ns = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : undefined;
    if (o.kind === 'Namespace') labelled.set(o.metadata.name, asStringMap(o.metadata.labels));
    if (ns !== undefined && traefikContainers(o).length > 0) traefik.add(ns);
  }
  const byLabel = (key: string) => [...labelled].filter(([, labels]) => labels[key] !== undefined).map(([name]) => name);

  const ownLabel = byLabel(DEFAULT_TENANT_LABEL);
  let tenants: string[] = [];
  let how: string;
  let named = true;
  if (source?.kind === 'list') {
    tenants = [...source.namespaces];
    how = 'given with --tenant-namespaces';
  } else if (source?.kind === 'label') {
    tenants = byLabel(source.key);
    how = `Namespaces labelled \`${source.key}\``;
  } else if (ownLabel.length > 0) {
    tenants = ownLabel;
    how = `Namespaces labelled \`${DEFAULT_TENANT_LABEL}\``;
  } else {
    named = false;
    how = `not named: no --tenant-namespaces, no --tenants-from, no Namespace labelled \`${DEFAULT_TENANT_LABEL}\`; none guessed`;
  }
  const tenantSet = new Set(tenants.sort());
  return {
    tenantNamespaces: tenantSet,
    platformNamespaces: new Set([...traefik].filter((ns) => !tenantSet.has(ns)).sort()),
    how,
    named,
  };
}
