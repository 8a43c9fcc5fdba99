/**
 * The kinds Argo CD AppProjects allow, derived from what this tool renders and grants:
 * - a tenant file holds only `TENANT_FILE_KINDS`, so the project its Applications run in allows
 *   those and nothing else (a tenant file edited to create a ClusterRoleBinding, a webhook or a
 *   CRD is refused by Argo CD);
 * - a tenant's own project allows the kinds its owners may create themselves (`ownerRules`), so
 *   Argo CD, which applies with rights of its own, does for a tenant no more than the owners could.
 */
import { OwnerRuleOptions, ownerRules } from './rbac-rules';

/** A kind as an AppProject lists it. */
export interface GroupKind {
  /** The API group (`''` for the core group). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
}

/** The kinds of `objects`, cluster-scoped and namespaced, each once, sorted by group and kind. */
export class KindCollector {
  private readonly clusterScoped = new Map<string, GroupKind>();
  private readonly namespaced = new Map<string, GroupKind>();

  /** Records the kinds of `objects`. */
  add(objects: ReadonlyArray<{ apiVersion: string; kind: string; metadata: { namespace?: string } }>): void {
    for (const o of objects) {
      const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
      (o.metadata.namespace === undefined ? this.clusterScoped : this.namespaced).set(`${group}/${o.kind}`, { group, kind: o.kind });
    }
  }

  get kinds(): { clusterScoped: GroupKind[]; namespaced: GroupKind[] } {
    return { clusterScoped: sortKinds([...this.clusterScoped.values()]), namespaced: sortKinds([...this.namespaced.values()]) };
  }
}

function sortKinds(kinds: GroupKind[]): GroupKind[] {
  return kinds.sort((a, b) => (a.group === b.group ? cmp(a.kind, b.kind) : cmp(a.group, b.group)));
}

/** Cluster-scoped kinds a tenant file holds: its Namespace, and approver-policy's policy for the platform CA. */
export const TENANT_FILE_CLUSTER_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'policy.cert-manager.io', kind: 'CertificateRequestPolicy' },
];

/** Namespaced kinds a tenant file holds: its guard rails, its Traefik, its issuer and certificates, its SecretStore. */
export const TENANT_FILE_NAMESPACED_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'LimitRange' },
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'cert-manager.io', kind: 'Certificate' },
  { group: 'cert-manager.io', kind: 'Issuer' },
  { group: 'external-secrets.io', kind: 'SecretStore' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** The kind of each resource the owners' rules may create, by `group/resource`. */
const KIND_OF_RESOURCE: Readonly<Record<string, string>> = {
  '/configmaps': 'ConfigMap',
  '/persistentvolumeclaims': 'PersistentVolumeClaim',
  '/pods': 'Pod',
  '/secrets': 'Secret',
  '/serviceaccounts': 'ServiceAccount',
  '/services': 'Service',
  'apps/deployments': 'Deployment',
  'apps/statefulsets': 'StatefulSet',
  'autoscaling/horizontalpodautoscalers': 'HorizontalPodAutoscaler',
  'batch/cronjobs': 'CronJob',
  'batch/jobs': 'Job',
  'cert-manager.io/certificates': 'Certificate',
  'external-secrets.io/externalsecrets': 'ExternalSecret',
  'gateway.networking.k8s.io/grpcroutes': 'GRPCRoute',
  'gateway.networking.k8s.io/httproutes': 'HTTPRoute',
  'networking.k8s.io/ingresses': 'Ingress',
  'policy/poddisruptionbudgets': 'PodDisruptionBudget',
  'traefik.io/ingressroutes': 'IngressRoute',
  'traefik.io/ingressroutetcps': 'IngressRouteTCP',
  'traefik.io/ingressrouteudps': 'IngressRouteUDP',
  'traefik.io/middlewares': 'Middleware',
  'traefik.io/middlewaretcps': 'MiddlewareTCP',
  'traefik.io/traefikservices': 'TraefikService',
};

/** The kinds a tenant's owners may create in their namespace (`create` in `ownerRules`), sorted. */
export function ownerCreatableKinds(secrets: string, options: OwnerRuleOptions = {}): GroupKind[] {
  const kinds: GroupKind[] = [];
  for (const rule of ownerRules(secrets, options)) {
    if (!rule.verbs.includes('create')) continue;
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        if (resource.includes('/')) continue; // subresources (pods/exec) are not kinds
        const kind = KIND_OF_RESOURCE[`${group}/${resource}`];
        if (kind === undefined) throw new Error(`no kind known for \`${group}/${resource}\`, which the owners may create: add it to KIND_OF_RESOURCE`);
        kinds.push({ group, kind });
      }
    }
  }
  return sortKinds(kinds);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
