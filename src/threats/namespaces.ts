/**
 * Threats to the namespace boundary itself: a tenant in a namespace that is not its own to take,
 * and tenant namespaces without the guard rails every tenant needs.
 */
import { asStringMap } from './detect/values';
import { DetectorRun, listOf } from './detect/engine';
import { isClusterScoped, NamespaceFacts } from './detect/manifest-index';
import { DNS_LABEL, suggestLabel } from './formats';
import { none, Threat } from './threat';

/** Longest tenant name: `traefik-<name>` (Service, Deployment, ingress class) must fit a 63-character label. */
export const MAX_TENANT_NAME_LENGTH = 63 - 'traefik-'.length;

/**
 * Namespaces no tenant may take, and the platform namespace may not be: they belong to
 * Kubernetes or to the cluster add-ons a tenant must never administer — the ones this tool works
 * with, and the well-known ones of service meshes, CNIs, monitoring, logging, backup, storage,
 * autoscaling and GitOps stacks. `platform.reservedNamespaces` adds a platform's own.
 */
export const RESERVED_NAMESPACES = [
  'default', 'argocd', 'cert-manager', 'external-dns', 'external-secrets', 'flux-system', 'gatekeeper-system', 'ingress-nginx', 'kyverno',
  'reflector', 'vault', 'sealed-secrets', 'linkerd', 'linkerd-viz', 'linkerd-cni', 'cilium', 'calico-apiserver', 'monitoring', 'prometheus',
  'grafana', 'loki', 'logging', 'observability', 'opentelemetry', 'jaeger', 'tempo', 'falco', 'velero', 'rook-ceph', 'local-path-storage',
  'kubernetes-dashboard', 'knative-serving', 'knative-eventing', 'tekton-pipelines', 'karpenter', 'keda', 'kubecost', 'metrics-server',
  'olm', 'operators', 'cilium-secrets', 'istio-ingress', 'kong', 'projectcontour', 'haproxy-controller', 'nginx-ingress', 'envoy-gateway',
  'consul', 'kubevirt', 'gitlab-runner', 'fleet-default', 'fleet-local', 'argo', 'argo-rollouts', 'argo-events', 'argo-workflows', 'openebs',
  'chaos-mesh', 'nginx-gateway', 'istio-gateway', 'openshift', 'dynatrace', 'datadog', 'newrelic', 'kubeflow', 'gpu-operator-resources',
] as const;
/** Prefixes and suffixes that mark namespaces of Kubernetes, distributions, clouds and operators (`kube-system`, `openshift-*`, Rancher's `cattle-*`, `istio-system`, `tigera-operator`…). */
export const RESERVED_NAMESPACE_PREFIXES = ['kube-', 'openshift-', 'gke-', 'azure-', 'aws-', 'amazon-', 'cattle-'] as const;
export const RESERVED_NAMESPACE_SUFFIXES = ['-system', '-operator', '-operators'] as const;

/**
 * True for a namespace of Kubernetes or an add-on (see `RESERVED_NAMESPACES` and the prefixes and
 * suffixes), or one matching `extra` (names, or patterns with `*`).
 */
export function isReservedNamespace(name: string, extra: readonly string[] = []): boolean {
  return (RESERVED_NAMESPACES as readonly string[]).includes(name)
    || RESERVED_NAMESPACE_PREFIXES.some((p) => name.startsWith(p))
    || RESERVED_NAMESPACE_SUFFIXES.some((x) => name.endsWith(x))
    || extra.some((pattern) => namePattern(pattern).test(name));
}

/** A `*` pattern of `platform.reservedNamespaces` as a regular expression over whole names. */
function namePattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[a-z0-9-]*')}$`);
}

/** Checks an entry of `platform.reservedNamespaces`: a namespace name, or a pattern of one with `*`. */
export function checkReservedPattern(pattern: string): string | undefined {
  return /^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/.test(pattern) && pattern.length <= 63
    ? undefined
    : `\`${pattern}\` is not a namespace name or a pattern of one with \`*\` — write e.g. \`payments-legacy\` or \`*-mesh\``;
}

/** Pod Security levels a tenant may have. */
export const POD_SECURITY_LEVELS = ['restricted', 'baseline'] as const;
export const POD_SECURITY_ENFORCE = 'pod-security.kubernetes.io/enforce';

export const RESERVED_NAMESPACE: Threat = {
  id: 'reserved-namespace',
  family: 'namespaces',
  severity: 'critical',
  title: 'A tenant in a namespace of Kubernetes, an add-on or the platform',
  why: 'A tenant\'s owners get exec, Secret reads and workload writes in the tenant\'s namespace; a tenant named like a namespace of Kubernetes, a distribution or an add-on (`kube-system`, `openshift-*`, `istio-system`, `tigera-operator`, `monitoring`, `velero`, `cert-manager`…) or like the platform namespace would hand them the controllers, credentials and keys that live there once that add-on is installed.',
  fix: 'Name tenants after teams or products; never after Kubernetes\' namespaces, an add-on\'s or the platform\'s. List the platform\'s own add-on namespaces in `platform.reservedNamespaces`.',
  spec: { fields: ['tenants[].name', 'platform.reservedNamespaces[]'] },
  construct: { props: ['TenantNamespace.name', 'Platform.reservedNamespaces'] },
  values: none('tenant names are not chart values: each chart is rendered for one tenant'),
  admission: none('tenants cannot create Namespaces: no tenant Role grants it'),
  audit: {
    scope: 'all',
    looksFor: 'A tenant namespace named like a namespace of Kubernetes, a distribution or an add-on (`default`, `kube-*`, `openshift-*`, `*-system`, `*-operator`, `cert-manager`, `monitoring`, …).',
    detect: (run) => ({
      kinds: ['Namespace'],
      visit: (o, i) => {
        if (run.tenants.has(o.metadata.name) && isReservedNamespace(o.metadata.name)) {
          run.report(i, `tenant namespace \`${o.metadata.name}\` is a namespace of Kubernetes or an add-on`, ['metadata', 'name']);
        }
      },
    }),
  },
};

/** Checks a tenant name, which is also its namespace name; `reserved` adds the platform's reserved namespaces. */
export function checkTenantName(name: string, platformNamespace: string, reserved: readonly string[] = []): string | undefined {
  if (name.length > MAX_TENANT_NAME_LENGTH) {
    return `\`${name}\` is ${name.length} characters; the names derived from it (\`traefik-${name}\`) must fit in 63 — use at most ${MAX_TENANT_NAME_LENGTH} characters`;
  }
  if (!DNS_LABEL.test(name)) {
    return `\`${name}\` is not a DNS-1123 label starting with a letter — use lowercase letters, digits and \`-\`, e.g. \`${suggestLabel(name, MAX_TENANT_NAME_LENGTH)}\``;
  }
  if (isReservedNamespace(name, reserved)) {
    return `\`${name}\` is reserved for Kubernetes or cluster add-ons — choose another tenant name`;
  }
  if (name === platformNamespace) {
    return `\`${name}\` is the platform namespace, which holds every tenant's Traefik and the wildcard certificate — choose another tenant name`;
  }
  return undefined;
}

export const PLATFORM_NAMESPACE: Threat = {
  id: 'platform-namespace',
  family: 'namespaces',
  severity: 'high',
  title: 'The platform namespace is a namespace of Kubernetes or an add-on',
  why: 'Every tenant\'s Traefik runs in the platform namespace and may read its Secrets; in `kube-system`, `cert-manager` or another add-on\'s namespace they would read that add-on\'s credentials and keys.',
  fix: 'Give the platform a namespace of its own, e.g. `traefik`.',
  spec: { fields: ['platform.traefik.namespace', 'clusters[].platform.traefik.namespace'] },
  construct: { props: ['Platform.namespace'] },
  values: none('the platform namespace is not a chart value'),
  admission: none('tenants cannot create Namespaces or workloads outside their own'),
  audit: none('manifests do not say which namespace the platform meant to use; the audit takes every namespace running Traefik for a platform namespace'),
};

/** Checks the platform namespace: every tenant's Traefik may read its Secrets, so it must be a namespace of its own. */
export function checkPlatformNamespace(name: string): string | undefined {
  if (isReservedNamespace(name)) {
    return `\`${name}\` belongs to Kubernetes or a cluster add-on, and every tenant's Traefik may read the Secrets of the platform namespace — use a namespace of its own, e.g. \`traefik\``;
  }
  return undefined;
}

export const POD_SECURITY_LEVEL: Threat = {
  id: 'pod-security-labels',
  family: 'namespaces',
  severity: 'critical',
  title: 'A tenant namespace without Pod Security enforcement',
  why: 'Without `pod-security.kubernetes.io/enforce: restricted` (or `baseline`), a tenant can run privileged, host-network or hostPath pods, escape to the node and reach every tenant from there. (A cluster-wide admission default is not visible in manifests.)',
  fix: 'Label the namespace `pod-security.kubernetes.io/enforce=restricted` (or `baseline`); never `privileged`.',
  spec: { fields: ['tenants[].podSecurity', 'platform.defaults.podSecurity'] },
  construct: { props: ['TenantNamespace.podSecurity'] },
  values: none('the Pod Security level is not a chart value'),
  admission: none('tenants cannot change their Namespace\'s labels: no tenant Role grants writes on Namespaces'),
  audit: {
    scope: 'all',
    looksFor: 'A tenant Namespace without `pod-security.kubernetes.io/enforce` set to `restricted` or `baseline`.',
    detect: (run) => ({
      finish: () => {
        const withoutObject: string[] = [];
        for (const t of tenantNamespaceFacts(run)) {
          if (t.facts.namespaceIndex === undefined) {
            withoutObject.push(t.namespace);
            continue;
          }
          const enforce = asStringMap(run.objects[t.facts.namespaceIndex].metadata.labels)[POD_SECURITY_ENFORCE];
          if (enforce === undefined || !(POD_SECURITY_LEVELS as readonly string[]).includes(enforce)) {
            const path = enforce !== undefined ? ['metadata', 'labels', POD_SECURITY_ENFORCE] : ['metadata', 'name'];
            run.report(t.facts.namespaceIndex, `Pod Security enforce is \`${enforce ?? 'unset'}\` on tenant namespace \`${t.namespace}\``, path, t.namespace);
          }
        }
        if (!run.generated && withoutObject.length > 0) {
          run.note(`No Namespace object in the input for tenant namespace${withoutObject.length === 1 ? '' : 's'} ${listOf(withoutObject)}: Pod Security labels were not checked.`);
        }
      },
    }),
  },
};

/** Checks `podSecurity`: `restricted` or `baseline`; `privileged` is refused with the reason. */
export function checkPodSecurity(value: unknown): string | undefined {
  if (value === 'privileged') {
    return '`privileged` lets a tenant\'s pods take over the node they run on (host namespaces, host paths, privileged containers) — use `baseline` if `restricted` is too strict';
  }
  if (value !== undefined && !(POD_SECURITY_LEVELS as readonly unknown[]).includes(value)) {
    return `\`${String(value)}\` is not a Pod Security level — use \`restricted\` or \`baseline\``;
  }
  return undefined;
}

/** A guard rail every tenant namespace gets, and the audit looks for. */
function guardRailThreat(
  id: string, severity: Threat['severity'], title: string, why: string, fix: string, looksFor: string,
  missing: (facts: NamespaceFacts) => string | undefined,
): Threat {
  return {
    id,
    family: 'namespaces',
    severity,
    title,
    why,
    fix,
    spec: none('every tenant gets it: no spec field can turn it off'),
    construct: none('TenantNamespace always renders it: no prop can turn it off'),
    values: none('not a chart value: tenant charts render it as the spec says'),
    admission: none('tenants cannot delete or change it: their Role grants only get, list and watch on it'),
    audit: {
      scope: 'all',
      looksFor,
      detect: (run) => ({
        finish: () => {
          for (const t of tenantNamespaceFacts(run)) {
            const what = missing(t.facts);
            if (what === undefined) continue;
            const own = t.facts.namespaceIndex !== undefined;
            const where = own ? '' : ` (the input has no Namespace object for \`${t.namespace}\`; first object in it)`;
            run.report(t.anchor, `tenant namespace \`${t.namespace}\` has no ${what}${where}`, own ? ['metadata', 'name'] : [], t.namespace);
          }
        },
      }),
    },
  };
}

export const RESOURCE_QUOTA = guardRailThreat('resource-quota', 'high', 'A tenant namespace without a ResourceQuota',
  'One tenant can use up the cluster\'s CPU, memory, pods or load balancers and starve every other tenant.',
  'Add a ResourceQuota with CPU and memory requests and limits, a pod count, and `services.loadbalancers`/`services.nodeports`.',
  'A tenant namespace without a ResourceQuota.',
  (f) => (f.quota ? undefined : 'ResourceQuota'));

export const LIMIT_RANGE = guardRailThreat('limit-range', 'medium', 'A tenant namespace without a LimitRange',
  'Containers without requests and limits escape fair sharing (or are refused once a quota exists); a LimitRange gives them defaults and a ceiling.',
  'Add a LimitRange with `default`, `defaultRequest` and `max` for containers.',
  'A tenant namespace without a LimitRange.',
  (f) => (f.limitRange ? undefined : 'LimitRange'));

export const DEFAULT_DENY = guardRailThreat('default-deny-network-policy', 'high', 'A tenant namespace without a default-deny NetworkPolicy',
  'Pods accept and send any traffic until a NetworkPolicy selects them: without a default deny for Ingress and Egress, any pod in any namespace reaches the tenant\'s pods, and the tenant\'s pods reach everyone.',
  'Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules, then allow what the tenant needs (DNS, its own Traefik).',
  'No NetworkPolicy selecting every pod (`podSelector: {}`) with no Ingress rule, and none with no Egress rule (one policy or two).',
  (f) => {
    if (f.denyIngress && f.denyEgress) return undefined;
    return `default-deny NetworkPolicy for ${[!f.denyIngress && 'Ingress', !f.denyEgress && 'Egress'].filter(Boolean).join(' and ')}`;
  });

export const NAMESPACE_SCOPE: Threat = {
  id: 'namespace-scope',
  family: 'namespaces',
  severity: 'high',
  title: 'Namespace set on the wrong kind of object',
  why: 'A namespaced object without `metadata.namespace` lands wherever it is applied — in a tenant\'s namespace, or the platform\'s; a cluster-scoped object with one is misleading.',
  fix: 'Set `metadata.namespace` on namespaced objects only.',
  spec: none('the spec has no object namespaces to set: the constructs set them'),
  construct: none('every construct sets `metadata.namespace` on the namespaced objects it makes, and the self-check verifies it'),
  values: none('namespaces are not chart values'),
  admission: none('the API server places every namespaced object in a namespace'),
  audit: {
    scope: 'generated',
    looksFor: 'A namespaced object without `metadata.namespace`, or a cluster-scoped one with it.',
    detect: (run) => ({
      visit: (o, i) => {
        const namespaced = typeof o.metadata?.namespace === 'string';
        if (isClusterScoped(o) === namespaced) {
          run.report(i, namespaced ? 'cluster-scoped object with metadata.namespace' : 'namespaced object without metadata.namespace', ['metadata']);
        }
      },
    }),
  },
};

/** Each tenant namespace that has any object in the input, with the object findings point at. */
function tenantNamespaceFacts(run: DetectorRun): Array<{ namespace: string; facts: NamespaceFacts; anchor: number }> {
  const out: Array<{ namespace: string; facts: NamespaceFacts; anchor: number }> = [];
  for (const namespace of [...run.tenants].sort()) {
    const facts = run.index.namespaces.get(namespace);
    const anchor = facts?.namespaceIndex ?? facts?.firstIndex;
    if (facts !== undefined && anchor !== undefined) out.push({ namespace, facts, anchor });
  }
  return out;
}

export const NAMESPACE_THREATS: readonly Threat[] = [
  RESERVED_NAMESPACE, PLATFORM_NAMESPACE, POD_SECURITY_LEVEL, RESOURCE_QUOTA, LIMIT_RANGE, DEFAULT_DENY, NAMESPACE_SCOPE,
];
