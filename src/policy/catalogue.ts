/**
 * The catalogue of isolation rules: for each rule, how bad a breach is, what it is called,
 * why it matters and how to fix it. `checks.ts` decides where a rule is broken; the audit
 * report, the SARIF rule list and the generator's self-check all read the words from here.
 */

/** How bad a finding is, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Whether `severity` is at least as bad as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/**
 * Which inputs a rule judges. `all`: manifests of any origin (the audit) and the generator's
 * output. `generated`: only the generator's output, where the rule states a promise of this
 * tool (every Deployment hardened, no ClusterIssuer at all…) that foreign clusters need not keep.
 */
export type RuleScope = 'all' | 'generated';

export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  /** A short name, as a heading. */
  readonly title: string;
  /** What goes wrong for other tenants when the rule is broken. */
  readonly why: string;
  /** What to change. */
  readonly fix: string;
  readonly scope: RuleScope;
}

const rule = (severity: Severity, title: string, why: string, fix: string, scope: RuleScope = 'all'): Omit<RuleInfo, 'id'> =>
  ({ severity, title, why, fix, scope });

/** Each rule with its key as its id, so the two cannot drift apart. */
function withIds<K extends string>(rules: Record<K, Omit<RuleInfo, 'id'>>): Record<K, RuleInfo> {
  return Object.fromEntries(Object.entries<Omit<RuleInfo, 'id'>>(rules).map(([id, r]) => [id, { id, ...r }])) as Record<K, RuleInfo>;
}

/** Every rule, by id. */
export const RULES = withIds({
  // Traefik
  'traefik-scoped-providers': rule('critical', 'Traefik watches every namespace',
    'A Traefik whose Kubernetes providers have no `namespaces` list reads Ingresses, IngressRoutes and TLS Secrets from every namespace: all tenants share one router and one TLS store, so one tenant can claim another\'s host or have its certificate served for it.',
    'Run one Traefik per tenant with `--providers.kubernetescrd.namespaces=<tenant>,<platform>` and `--providers.kubernetesingress.namespaces=<tenant>` (Helm chart: `providers.kubernetesCRD.namespaces`, `providers.kubernetesIngress.namespaces`).'),
  'traefik-no-cross-namespace': rule('critical', 'Traefik allows cross-namespace references',
    'With `allowCrossNamespace=true` an IngressRoute may use the Services, Middlewares, TLSOptions and TLS Secrets of other namespaces, so a tenant can route into, or serve the certificate of, a namespace it does not own.',
    'Remove the flag or pass `--providers.kubernetescrd.allowCrossNamespace=false` (the default), and keep each route\'s Services, Middlewares and Secrets in its own namespace.'),
  'traefik-one-tenant': rule('critical', 'One Traefik serves several tenants',
    'Traefik keeps every certificate it loads in one TLS store and picks the certificate during the TLS handshake, before it knows the route: tenants sharing a Traefik can have each other\'s certificates served and can claim each other\'s hosts.',
    'Give each tenant its own Traefik whose providers watch only that tenant\'s namespace (and the platform namespace, for the default TLSStore).'),
  'traefik-cluster-secrets': rule('critical', 'Traefik may read Secrets in every namespace',
    'A ClusterRole granting `get`/`list`/`watch` on Secrets, bound to Traefik\'s ServiceAccount by a ClusterRoleBinding, lets Traefik (and whoever takes it over through its public entry points) read every private key and credential in the cluster, even when its providers are scoped.',
    'Replace the ClusterRoleBinding with Roles and RoleBindings in the namespaces Traefik watches (Helm chart: `rbac.namespaced: true`).'),
  'traefik-config-not-checked': rule('low', 'Traefik providers configured outside its arguments',
    'The audit reads Traefik\'s static configuration from container arguments and `TRAEFIK_*` environment variables; providers set in a mounted configuration file are not visible, so this instance\'s namespace scoping and `allowCrossNamespace` are unchecked.',
    'Pass the provider options as arguments (as the Helm chart does), or check the mounted file by hand: `providers.kubernetesCRD.namespaces`, `providers.kubernetesIngress.namespaces`, `providers.kubernetesCRD.allowCrossNamespace`.'),
  'traefik-watches-foreign-namespace': rule('high', 'Traefik watches a namespace that is neither its tenant\'s nor the platform\'s',
    'A tenant\'s Traefik should read routes and Secrets of its tenant and the platform only.',
    'Limit the providers\' `namespaces` to the tenant and the platform namespace.', 'generated'),

  // Traefik TLS defaults
  'default-tls-in-platform': rule('critical', 'A `default` TLSStore or TLSOption outside the platform namespace',
    'Traefik uses only the TLSStore named `default` and applies the TLSOption named `default` to every router without options of its own; one created outside the platform namespace can replace the default certificate or weaken TLS for every tenant of that Traefik, and two stores named `default` conflict.',
    'Keep the `default` TLSStore and TLSOption only in the platform namespace where Traefik runs, and delete this one.'),
  'default-tls-tenant-writable': rule('critical', 'A tenant may change the `default` TLSStore or TLSOption',
    'Whoever can write the `default` TLSStore chooses the certificate Traefik serves when no other matches; whoever can write the `default` TLSOption sets the TLS versions, ciphers and client authentication of every router.',
    'Give tenants no write access to `tlsstores` and `tlsoptions` in the platform namespace, nor cluster-wide; tenants need at most read access in their own namespace.'),

  // Certificates
  'no-tenant-wildcard': rule('critical', 'A wildcard certificate in a tenant namespace',
    'A wildcard key held by one tenant is valid for every sibling host, including other tenants\'; and since Traefik picks certificates before routing, it may serve it for other tenants\' hosts.',
    'Issue one certificate per host in tenant namespaces; keep wildcard certificates in the platform namespace and serve them through the `default` TLSStore.'),
  'tenant-namespaced-issuer': rule('high', 'A tenant certificate from a ClusterIssuer',
    'A ClusterIssuer answers every namespace; with DNS-01 credentials it can issue for any name in the zone, so a tenant can obtain certificates for hosts it does not own.',
    'Give each tenant a namespaced cert-manager `Issuer` and point its Certificates (`spec.issuerRef`, or the `cert-manager.io/issuer` annotation of an Ingress) at it.'),
  'no-cluster-issuer': rule('medium', 'A ClusterIssuer',
    'Any namespace allowed to create Certificates can use a ClusterIssuer, so it widens what every tenant may obtain certificates for.',
    'Prefer a namespaced Issuer per tenant; if the ClusterIssuer stays, limit who may use it (cert-manager approver-policy) and scope its DNS credentials to the platform\'s zones.'),
  'one-certificate-one-domain': rule('medium', 'A tenant certificate for more than one host',
    'A certificate limited to the host its route serves cannot be served for another host.',
    'Issue one Certificate per domain.', 'generated'),

  // Hosts and routes
  'one-host-one-tenant': rule('critical', 'Two tenants serve one host',
    'When two tenants route, or hold a certificate for, the same host, the one that wins serves the other tenant\'s visitors and can obtain its certificate.',
    'Give each host to exactly one tenant: remove the route or certificate from the namespace that should not serve it (a wildcard certificate counts as serving every host it covers).'),
  'cross-namespace-tls-secret': rule('critical', 'A route uses a TLS Secret of another namespace',
    'A route naming `namespace/secret` serves a key the tenant does not own; it only works when Traefik allows cross-namespace references, and it undoes the one-namespace-per-tenant boundary.',
    'Keep the Secret in the route\'s own namespace (issued there by the tenant\'s Issuer), or drop `secretName` and let the `default` TLSStore serve the platform wildcard.'),
  'cross-namespace-reference': rule('medium', 'A route refers to objects in another tenant\'s namespace',
    'IngressRoute Services, Middlewares, TLSOptions and TLSStores in another namespace only resolve with `allowCrossNamespace=true`, and let one tenant route into or reuse another tenant\'s objects.',
    'Refer only to objects in the route\'s own namespace (or, for TLSOptions and TLSStores, in the platform namespace).'),

  // Secret copies
  'secret-sync-into-tenants': rule('high', 'A Secret is copied into tenant namespaces',
    'Reflector, kubernetes-replicator and kubed copy a Secret — a TLS private key included — into other namespaces and keep it in sync; a copy in a tenant namespace is readable by that tenant, and patterns or label selectors also copy it into namespaces created later.',
    'Issue certificates per tenant with the tenant\'s own Issuer instead of copying them, and serve a shared wildcard through the platform\'s `default` TLSStore; if a copy is unavoidable, list exact namespaces, never patterns.'),
  'kubed-retired': rule('low', 'kubed is retired',
    'kubed is retired upstream and gets no fixes; its `kubed.appscode.com/sync` annotation copies to every namespace matching a label selector, or to all of them when empty.',
    'Remove the `kubed.appscode.com/sync` annotation and stop copying the Secret (see `secret-sync-into-tenants`).'),

  // Namespaces
  'pod-security-labels': rule('critical', 'A tenant namespace without Pod Security enforcement',
    'Without `pod-security.kubernetes.io/enforce: restricted` (or `baseline`), a tenant can run privileged, host-network or hostPath pods, escape to the node and reach every tenant from there. (A cluster-wide admission default is not visible in manifests.)',
    'Label the namespace `pod-security.kubernetes.io/enforce=restricted` (or `baseline`).'),
  'resource-quota': rule('high', 'A tenant namespace without a ResourceQuota',
    'One tenant can use up the cluster\'s CPU, memory, pods or load balancers and starve every other tenant.',
    'Add a ResourceQuota with CPU and memory requests and limits, a pod count, and `services.loadbalancers`/`services.nodeports`.'),
  'limit-range': rule('medium', 'A tenant namespace without a LimitRange',
    'Containers without requests and limits escape fair sharing (or are refused once a quota exists); a LimitRange gives them defaults and a ceiling.',
    'Add a LimitRange with `default`, `defaultRequest` and `max` for containers.'),
  'default-deny-network-policy': rule('high', 'A tenant namespace without a default-deny NetworkPolicy',
    'Pods accept and send any traffic until a NetworkPolicy selects them: without a default deny for Ingress and Egress, any pod in any namespace reaches the tenant\'s pods, and the tenant\'s pods reach everyone.',
    'Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules, then allow what the tenant needs (DNS, its own Traefik).'),
  'namespace-scope': rule('high', 'Namespace set on the wrong kind of object',
    'A namespaced object without `metadata.namespace` lands wherever it is applied; a cluster-scoped object with one is misleading.',
    'Set `metadata.namespace` on namespaced objects only.', 'generated'),

  // RBAC
  'no-rbac-wildcard': rule('high', 'RBAC with wildcards',
    'A `*` in verbs, resources or API groups grants today\'s and tomorrow\'s permissions, Secrets, RBAC and every CRD added later included.',
    'List the verbs, resources and API groups needed.'),
  'no-rbac-writes': rule('high', 'A tenant may change RBAC',
    'A tenant who may write Roles and RoleBindings, or use `escalate`, `bind` or `impersonate`, can hand its rights to any identity and undo the boundaries set for it.',
    'Bind tenants to a Role without write verbs on `rbac.authorization.k8s.io` and without `escalate`/`bind`/`impersonate` (the built-in `edit` and `admin` both grant some); manage tenant RBAC from the platform.'),
  'guard-rails-read-only': rule('high', 'A tenant may change its own guard rails',
    'A tenant that may edit its ResourceQuota, LimitRange, NetworkPolicies, Issuers, SecretStores or Traefik TLS resources can lift the limits and isolation placed on it.',
    'Grant only `get`, `list` and `watch` on these resources.'),
  'secrets-read-only': rule('medium', 'A tenant may write Secrets though the policy says read-only',
    'Secrets written by hand spread static credentials, and a tenant who may write TLS Secrets can plant certificates for Traefik to serve; the policy keeps Secrets read-only and sources them from cert-manager or an external secret store.',
    'Grant `get`, `list` and `watch` on Secrets only; let cert-manager or external-secrets write them.'),
  'secrets-no-delete': rule('medium', 'A tenant may delete Secrets',
    'Deleting a TLS Secret takes the tenant\'s site down until it is issued again; deleting credentials breaks workloads.',
    'Drop `delete` and `deletecollection` (and `*`) on Secrets.'),
  'no-broad-subjects': rule('critical', 'A binding to every user or every service account',
    '`system:authenticated`, `system:unauthenticated`, `system:anonymous` and `system:serviceaccounts` include every tenant and every pod: whatever the role grants, all of them get — in every namespace, for a ClusterRoleBinding.',
    'Bind named groups, users or service accounts instead.'),
  'no-cluster-bindings-for-tenants': rule('critical', 'A tenant identity bound cluster-wide',
    'A ClusterRoleBinding applies in every namespace, so the tenant gets the role in other tenants\' namespaces too.',
    'Use RoleBindings in the tenant\'s own namespace.'),
  'platform-out-of-tenant-reach': rule('critical', 'A tenant identity bound in the platform namespace',
    'The platform namespace holds Traefik, the default TLSStore and TLSOption, the wildcard key and DNS credentials; a tenant bound there can read or change them.',
    'Remove the tenant subject from this RoleBinding.'),

  // Pods (generated output)
  'no-host-namespaces': rule('critical', 'A pod shares a host namespace',
    'hostNetwork, hostPID and hostIPC give a pod the node\'s view of the network and processes.',
    'Drop hostNetwork, hostPID and hostIPC.', 'generated'),
  'no-host-path': rule('critical', 'A pod mounts a hostPath',
    'A hostPath volume exposes the node\'s file system.', 'Use emptyDir or a PersistentVolumeClaim.', 'generated'),
  'no-privileged': rule('critical', 'A privileged container',
    'A privileged container has every capability and device of the node.', 'Set `privileged: false`.', 'generated'),
  'run-as-non-root': rule('high', 'A container may run as root',
    'Root in a container is one kernel bug away from root on the node.', 'Set `runAsNonRoot: true`.', 'generated'),
  'no-privilege-escalation': rule('high', 'A container allows privilege escalation',
    'setuid binaries can gain privileges the container was not given.', 'Set `allowPrivilegeEscalation: false`.', 'generated'),
  'drop-all-capabilities': rule('high', 'A container keeps Linux capabilities',
    'Default capabilities (NET_RAW…) widen the kernel attack surface.', 'Drop `ALL` capabilities.', 'generated'),
  'seccomp-runtime-default': rule('medium', 'A container without the RuntimeDefault seccomp profile',
    'Without seccomp every system call is open.', 'Set `seccompProfile.type: RuntimeDefault`.', 'generated'),
});

export type RuleId = keyof typeof RULES;

/** Rules that judge manifests of any origin (the audit's rule list). */
export function auditRules(): RuleInfo[] {
  return Object.values(RULES).filter((r) => r.scope === 'all');
}
