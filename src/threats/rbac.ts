/**
 * Threats through RBAC: who a tenant's rights are bound to, where, and what they allow.
 * The tool's own Roles come from `constructs/rbac-rules.ts`; these entries judge any RBAC.
 */
import { BindingFacts, BROAD_SUBJECTS, describeSubject } from './detect/manifest-index';
import { describeWrites, grantedVerbs, hasWildcard, PolicyRule, RBAC_GROUP, rulesOf, secretReads, TRAEFIK_GROUPS, writesOf } from './detect/rbac-analysis';
import { DetectorRun, listOf } from './detect/engine';
import { FieldPath } from './detect/values';
import { none, Threat } from './threat';

const FIXED_RIGHTS = 'owners\' rights are fixed by the tool (`tenant-owner` Role): no spec field widens them';
const FIXED_ROLE = 'TenantNamespace binds the fixed `tenant-owner` Role: no prop widens it';
const NO_RBAC_VALUES = 'RBAC is not a chart value';
const TENANTS_CANNOT_BIND = 'tenants cannot write Roles or RoleBindings (see `no-rbac-writes`)';

/** Guard rails other than RBAC (which `no-rbac-writes` covers), with their API groups. */
const GUARD_RAILS: ReadonlyArray<readonly [readonly string[], string]> = [
  [[''], 'resourcequotas'], [[''], 'limitranges'], [['networking.k8s.io'], 'networkpolicies'], [['cert-manager.io'], 'issuers'],
  [TRAEFIK_GROUPS, 'tlsstores'], [TRAEFIK_GROUPS, 'tlsoptions'], [TRAEFIK_GROUPS, 'serverstransports'], [TRAEFIK_GROUPS, 'serverstransporttcps'],
  [['external-secrets.io'], 'secretstores'],
  [['gateway.networking.k8s.io'], 'gateways'], [['gateway.networking.k8s.io'], 'gatewayclasses'], [['gateway.networking.k8s.io'], 'referencegrants'],
];
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];

/** `verbs` who the binding's tenant subjects are, e.g. `identity Group leads` or `identities …`. */
const tenantIdentities = (b: BindingFacts) =>
  `tenant identit${b.tenantSubjects.length === 1 ? 'y' : 'ies'} ${listOf(b.tenantSubjects.map((t) => describeSubject(t.subject)))}`;

/** A detector over the bindings the index read once, in input order. */
const overBindings = (judge: (run: DetectorRun, b: BindingFacts) => void) => (run: DetectorRun) => ({
  finish: () => {
    for (const b of run.index.bindings) judge(run, b);
  },
});

type TenantGrant = BindingFacts & { readonly rules: readonly PolicyRule[]; readonly namespace: string };

/** The RoleBindings inside tenant namespaces that bind tenant identities to a known role: what tenants may do there. */
function tenantGrants(run: DetectorRun): TenantGrant[] {
  return run.index.bindings.filter((b): b is TenantGrant =>
    !b.cluster && b.namespace !== undefined && run.tenants.has(b.namespace) && b.rules !== undefined && !b.rbacDefault && b.tenantSubjects.length > 0);
}

/** A detector over `tenantGrants`. */
const overTenantGrants = (judge: (run: DetectorRun, b: TenantGrant) => void) => (run: DetectorRun) => ({
  finish: () => {
    for (const b of tenantGrants(run)) judge(run, b);
  },
});

const AT_ROLE: FieldPath = ['roleRef'];

export const NO_BROAD_SUBJECTS: Threat = {
  id: 'no-broad-subjects',
  family: 'rbac',
  severity: 'critical',
  title: 'Rights bound to every user, every service account or a Kubernetes system identity',
  why: '`system:authenticated`, `system:unauthenticated`, `system:anonymous` and `system:serviceaccounts` include every tenant and every pod, and other `system:` names are Kubernetes\' own identities (a namespace\'s service accounts, the nodes): whatever the role grants, all of them get — in every namespace, for a ClusterRoleBinding.',
  fix: 'Bind named groups, users or service accounts from your identity provider instead.',
  spec: { fields: ['tenants[].owners.groups[]', 'tenants[].owners.users[]'] },
  construct: { props: ['TenantNamespace.owners'] },
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: 'A binding to `system:authenticated`, `system:unauthenticated`, `system:anonymous` or `system:serviceaccounts` (Kubernetes\' own defaults, labelled `kubernetes.io/bootstrapping: rbac-defaults`, excepted).',
    detect: overBindings((run, b) => {
      if (b.rbacDefault) return;
      b.subjects.forEach((s, j) => {
        if (BROAD_SUBJECTS.has(s.name)) run.report(b.index, `binds \`${s.name}\` to ${b.roleName}${b.cluster ? ' in every namespace' : ''}`, ['subjects', j]);
      });
    }),
  },
};

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

/** The refusal for owners that name nobody. */
export const NO_OWNER_REFUSAL = 'names no subject — add at least one group or user who administers this tenant';

export const NO_CLUSTER_BINDINGS: Threat = {
  id: 'no-cluster-bindings-for-tenants',
  family: 'rbac',
  severity: 'critical',
  title: 'A tenant identity bound cluster-wide',
  why: 'A ClusterRoleBinding applies in every namespace, so the tenant gets the role in other tenants\' namespaces too.',
  fix: 'Use RoleBindings in the tenant\'s own namespace.',
  spec: none(FIXED_RIGHTS),
  construct: none(FIXED_ROLE),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: 'A ClusterRoleBinding names a tenant identity.',
    detect: overBindings((run, b) => {
      if (!b.cluster || b.rbacDefault || b.tenantSubjects.length === 0) return;
      const first = b.tenantSubjects[0];
      const secrets = b.rules ? secretReads(b.rules) : [];
      run.report(b.index, `binds ${tenantIdentities(b)} to ${b.roleName} in every namespace${secrets.length > 0 ? ', Secrets included' : ''}`, ['subjects', first.at], first.of);
    }),
  },
};

export const PLATFORM_OUT_OF_REACH: Threat = {
  id: 'platform-out-of-tenant-reach',
  family: 'rbac',
  severity: 'critical',
  title: 'A tenant identity bound in the platform namespace',
  why: 'The platform namespace holds Traefik, the default TLSStore and TLSOption, the wildcard key and DNS credentials; a tenant bound there can read or change them.',
  fix: 'Remove the tenant subject from this RoleBinding.',
  spec: none(FIXED_RIGHTS),
  construct: none('ScopedTraefik binds only its own ServiceAccount in the platform namespace'),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: 'A RoleBinding in a platform namespace names a tenant identity.',
    detect: overBindings((run, b) => {
      if (b.cluster || b.rbacDefault || b.tenantSubjects.length === 0 || b.namespace === undefined || !run.platforms.has(b.namespace)) return;
      const first = b.tenantSubjects[0];
      run.report(b.index, `binds ${tenantIdentities(b)} to ${b.roleName} in platform namespace \`${b.namespace}\``, ['subjects', first.at], first.of);
    }),
  },
};

export const NO_RBAC_WILDCARD: Threat = {
  id: 'no-rbac-wildcard',
  family: 'rbac',
  severity: 'high',
  title: 'RBAC with wildcards',
  why: 'A `*` in verbs, resources or API groups grants today\'s and tomorrow\'s permissions, Secrets, RBAC and every CRD added later included.',
  fix: 'List the verbs, resources and API groups needed.',
  spec: none(FIXED_RIGHTS),
  construct: none(FIXED_ROLE),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: 'A RoleBinding in a tenant namespace grants tenant identities a role with `*` in verbs, resources or API groups (in the generator\'s output: any Role or ClusterRole rule with `*`).',
    detect: (run) => ({
      // The generator's own Roles are judged rule by rule; foreign ones where a tenant is bound to them.
      kinds: ['Role', 'ClusterRole'],
      visit: (o, i) => {
        if (!run.generated) return;
        rulesOf(o.rules).forEach((r, k) => {
          if (hasWildcard(r)) run.report(i, 'RBAC rule with a wildcard', ['rules', k]);
        });
      },
      finish: () => {
        if (run.generated) return;
        for (const b of tenantGrants(run)) {
          if (b.rules.some(hasWildcard)) run.report(b.index, `grants ${b.roleName}, whose rules use \`*\``, AT_ROLE);
        }
      },
    }),
  },
};

export const NO_RBAC_WRITES: Threat = {
  id: 'no-rbac-writes',
  family: 'rbac',
  severity: 'high',
  title: 'A tenant may change RBAC',
  why: 'A tenant who may write Roles and RoleBindings, or use `escalate`, `bind` or `impersonate`, can hand its rights to any identity and undo the boundaries set for it.',
  fix: 'Bind tenants to a Role without write verbs on `rbac.authorization.k8s.io` and without `escalate`/`bind`/`impersonate` (the built-in `edit` and `admin` both grant some); manage tenant RBAC from the platform.',
  spec: none(FIXED_RIGHTS),
  construct: none(FIXED_ROLE),
  values: none(NO_RBAC_VALUES),
  admission: none('RBAC writes are judged by the API server\'s RBAC itself; a tenant without them cannot make any'),
  audit: {
    scope: 'all',
    looksFor: '…a role that writes Roles or RoleBindings, or uses `escalate`, `bind` or `impersonate` (the built-in `admin` and `edit` do).',
    detect: overTenantGrants((run, b) => {
      const rbac = describeWrites(b.rules, ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'].map((res) => [[RBAC_GROUP], res] as const));
      const escalating = b.rules.flatMap((r) => r.verbs.filter((v) => ESCALATING_VERBS.includes(v)).map((v) => `${v} ${r.resources.join(',')}`));
      if (rbac.length > 0 || escalating.length > 0) run.report(b.index, `through ${b.roleName}, tenant identities may ${[...rbac, ...escalating].join('; ')}`, AT_ROLE);
    }),
  },
};

export const GUARD_RAILS_READ_ONLY: Threat = {
  id: 'guard-rails-read-only',
  family: 'rbac',
  severity: 'high',
  title: 'A tenant may change its own guard rails',
  why: 'A tenant that may edit its ResourceQuota, LimitRange, NetworkPolicies, Issuers, SecretStores, Traefik TLS resources or Gateway API Gateways, GatewayClasses and ReferenceGrants can lift the limits and isolation placed on it.',
  fix: 'Grant only `get`, `list` and `watch` on these resources.',
  spec: none(FIXED_RIGHTS),
  construct: none(FIXED_ROLE),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: '…a role that writes ResourceQuotas, LimitRanges, NetworkPolicies, Issuers, SecretStores, TLSStores, TLSOptions, ServersTransports, Gateways, GatewayClasses or ReferenceGrants.',
    detect: overTenantGrants((run, b) => {
      const rails = describeWrites(b.rules, GUARD_RAILS);
      if (rails.length > 0) run.report(b.index, `through ${b.roleName}, tenant identities may ${rails.join('; ')}`, AT_ROLE);
    }),
  },
};

export const SECRETS_READ_ONLY: Threat = {
  id: 'secrets-read-only',
  family: 'rbac',
  severity: 'medium',
  title: 'A tenant may write Secrets though the policy says read-only',
  why: 'Secrets written by hand spread static credentials, and a tenant who may write TLS Secrets can plant certificates for Traefik to serve; the policy keeps Secrets read-only and sources them from cert-manager or an external secret store.',
  fix: 'Grant `get`, `list` and `watch` on Secrets only; let cert-manager or external-secrets write them.',
  spec: none('`secrets: manage` is the spec\'s own choice; `read-only` is the default'),
  construct: none('TenantNamespace grants what its `secrets` prop says, never delete'),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: '…a role that writes Secrets, with `--secrets read-only`.',
    detect: overTenantGrants((run, b) => {
      const writes = writesOf(grantedVerbs(b.rules, [''], 'secrets'));
      if (writes.length > 0 && run.secretsPolicy(b.namespace) === 'read-only') {
        run.report(b.index, `through ${b.roleName}, tenant identities may ${writes.join('/')} Secrets`, AT_ROLE);
      }
    }),
  },
};

export const SECRETS_NO_DELETE: Threat = {
  id: 'secrets-no-delete',
  family: 'rbac',
  severity: 'medium',
  title: 'A tenant may delete Secrets',
  why: 'Deleting a TLS Secret takes the tenant\'s site down until it is issued again; deleting credentials breaks workloads.',
  fix: 'Drop `delete` and `deletecollection` (and `*`) on Secrets.',
  spec: none('no spec field grants delete on Secrets'),
  construct: none('TenantNamespace never grants delete on Secrets'),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: '…a role that deletes Secrets, with `--secrets manage` (the default).',
    detect: overTenantGrants((run, b) => {
      const writes = writesOf(grantedVerbs(b.rules, [''], 'secrets'));
      // Where Secrets are read-only, any write is already reported by `secrets-read-only`.
      if (run.secretsPolicy(b.namespace) === 'read-only' && writes.length > 0) return;
      if (writes.some((v) => v === 'delete' || v === 'deletecollection' || v === '*')) {
        run.report(b.index, `through ${b.roleName}, tenant identities may delete Secrets`, AT_ROLE);
      }
    }),
  },
};

/** Whether a subject is a service account, or all of a namespace's (`system:serviceaccounts:<ns>`): identities that belong to one namespace. */
const ofOneNamespace = (t: BindingFacts['tenantSubjects'][number]) => t.subject.kind === 'ServiceAccount' || t.subject.name.startsWith('system:serviceaccounts:');

export const NO_CROSS_TENANT_BINDINGS: Threat = {
  id: 'no-cross-tenant-bindings',
  family: 'rbac',
  severity: 'critical',
  title: 'A tenant namespace grants rights to another tenant\'s identities',
  why: 'A RoleBinding in one tenant\'s namespace that names another tenant\'s ServiceAccount (or all of them, `system:serviceaccounts:<tenant>`) lets the other tenant\'s pods — and whoever runs them — act in this namespace with whatever the role grants: read its Secrets, exec into its pods, change its workloads.',
  fix: 'Bind only the namespace\'s own ServiceAccounts and the tenant\'s own people; let tenants exchange data through an API, not through each other\'s RBAC.',
  spec: none('owners are people and groups of the identity provider; ServiceAccounts and other `system:` names are refused (see `no-broad-subjects`)'),
  construct: none('TenantNamespace binds the tenant\'s own owners only'),
  values: none(NO_RBAC_VALUES),
  admission: none(TENANTS_CANNOT_BIND),
  audit: {
    scope: 'all',
    looksFor: 'A RoleBinding in a tenant namespace names a ServiceAccount of another tenant namespace (`kind: ServiceAccount` or user `system:serviceaccount:<ns>:<name>`) or the group `system:serviceaccounts:<other tenant>`. (Users and groups of people are not judged: manifests do not say whose they are.)',
    detect: overBindings((run, b) => {
      if (b.cluster || b.rbacDefault || b.namespace === undefined || !run.tenants.has(b.namespace)) return;
      const foreign = b.tenantSubjects.filter((t) => t.of !== undefined && t.of !== b.namespace && ofOneNamespace(t));
      if (foreign.length === 0) return;
      const who = listOf(foreign.map((t) => `${describeSubject(t.subject)} (tenant \`${t.of}\`)`));
      run.report(b.index, `gives ${who} ${b.roleName} in tenant namespace \`${b.namespace}\``, ['subjects', foreign[0].at]);
    }),
  },
};

export const RBAC_THREATS: readonly Threat[] = [
  NO_BROAD_SUBJECTS, NO_CLUSTER_BINDINGS, PLATFORM_OUT_OF_REACH, NO_RBAC_WILDCARD, NO_RBAC_WRITES, GUARD_RAILS_READ_ONLY,
  SECRETS_READ_ONLY, SECRETS_NO_DELETE, NO_CROSS_TENANT_BINDINGS,
];
