import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { DEFAULTS, withDefaults, withResourceDefaults } from '../defaults';
import { EgressModel, LimitsModel, QuotaModel, ResourceAmounts } from '../model/tenancy-model';
import { LABELS, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { checkPlatformNamespace, checkTenantName, PLATFORM_NAMESPACE, RESERVED_NAMESPACE } from '../threats/namespaces';
import { excepted, parseCidr } from '../threats/cidrs';
import { checkEgressToCluster, ClusterNetwork, EGRESS_TO_CLUSTER, egressExceptions } from '../threats/network';
import { checkPriorityClass, PRIORITY_PREEMPTION, SYSTEM_PRIORITY_CLASSES } from '../threats/pods';
import { checkResourceOrder, ORDERED_RESOURCE_PAIRS, REQUESTS_WITHIN_LIMITS, RESOURCES_OF } from '../threats/resources';
import { podSecurityLabels, tenantLabels } from './labels';
import { copyRules, ownerRules } from './rbac-rules';
import { defaultDenySpec, dnsEgressRule } from './network-rules';
import { PropChecks } from './refuse';
import { traefikPodLabels } from './scoped-traefik';

export interface TenantNamespaceProps {
  /** The tenant's name, which is also its namespace. A DNS-1123 label of at most 55 characters. */
  readonly name: string;
  /** Team label (`tenancy.cdk8s.io/team`). @default - no team label */
  readonly team?: string;
  /** Environment label (`tenancy.cdk8s.io/environment`). @default - no environment label */
  readonly environment?: string;
  /**
   * Pod Security level enforced on the namespace; `privileged` is refused. Audit and warn
   * are always `restricted`, so a `baseline` tenant still sees what would break under it.
   * @default 'restricted'
   */
  readonly podSecurity?: 'restricted' | 'baseline';
  /** ResourceQuota of the namespace. NodePort and LoadBalancer Services are always capped at 0. @default DEFAULTS.tenant.quota */
  readonly quota?: QuotaModel;
  /** LimitRange container defaults and maximum. @default DEFAULTS.tenant.limits */
  readonly limits?: LimitsModel;
  /** Who administers the tenant: bound to the `tenant-owner` Role. At least one subject. */
  readonly owners: { readonly groups?: readonly string[]; readonly users?: readonly string[] };
  /** `manage` lets owners create and update Secrets. @default 'read-only' */
  readonly secrets?: 'read-only' | 'manage';
  /** Namespace of the tenant's Traefik, whose pods alone may reach the tenant's pods from outside. @default 'traefik' */
  readonly traefikNamespace?: string;
  /**
   * Egress allowed beyond the namespace and DNS. CIDRs in the metadata services' ranges, or in the
   * cluster's pod and Service ranges, are refused; broader blocks except them.
   * @default - none
   */
  readonly egress?: EgressModel;
  /** The cluster's pod and Service ranges, excepted from every broad egress block. @default - only the metadata ranges are excepted */
  readonly network?: ClusterNetwork;
  /**
   * The PriorityClasses the tenant's pods may use; a quota of zero pods holds every other class.
   * The system classes are refused.
   * @default - any but `system-node-critical` and `system-cluster-critical`
   */
  readonly priorityClasses?: readonly string[];
  /** Annotations of the Namespace (the admission policies read the tenant's domains from one). @default - none */
  readonly annotations?: Record<string, string>;
  /** Owners may write ExternalSecrets and read the tenant's SecretStore (see `ownerRules`). @default false */
  readonly externalSecrets?: boolean;
}

/**
 * A tenant's namespace with its guard rails: Pod Security labels, ResourceQuota, LimitRange,
 * default-deny NetworkPolicies with the few allows a tenant needs, and the owners' Role.
 */
export class TenantNamespace extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** What the owners may do with Secrets. */
  public readonly secrets: 'read-only' | 'manage';

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const traefikNamespace = props.traefikNamespace ?? DEFAULTS.platform.traefikNamespace;
    const quota = withQuotaDefaults(props.quota);
    const limits = withLimitDefaults(props.limits);
    const refusals = new PropChecks('TenantNamespace');
    refusals.check('name', checkTenantName(props.name, traefikNamespace), RESERVED_NAMESPACE);
    refusals.check('traefikNamespace', checkPlatformNamespace(traefikNamespace), PLATFORM_NAMESPACE);
    if (props.team !== undefined) refusals.parse('team', fields.labelValue, props.team);
    if (props.environment !== undefined) refusals.parse('environment', fields.labelValue, props.environment);
    if (props.podSecurity !== undefined) refusals.parse('podSecurity', fields.podSecurity, props.podSecurity);
    const owners = refusals.parse('owners', fields.owners, props.owners);
    if (props.quota !== undefined) refusals.parse('quota', fields.quota, props.quota);
    if (props.limits !== undefined) refusals.parse('limits', fields.limits, props.limits);
    if (props.egress !== undefined) refusals.parse('egress', fields.egress, props.egress);
    // The spec's egress schema refuses the metadata ranges; the cluster's own ranges need the platform's network.
    (props.egress?.cidrs ?? []).forEach((cidr, i) => refusals.check(`egress.cidrs[${i}]`, checkEgressToCluster(cidr, props.network), EGRESS_TO_CLUSTER));
    (props.priorityClasses ?? []).forEach((name, i) => refusals.check(`priorityClasses[${i}]`, checkPriorityClass(name), PRIORITY_PREEMPTION));
    for (const [section, low, high] of ORDERED_RESOURCE_PAIRS.filter(([s]) => s === 'quota' || s === 'limits')) {
      const values = (section === 'quota' ? quota : limits) as unknown as Record<string, Amounts>;
      for (const res of RESOURCES_OF[section]) {
        refusals.check(`${section}.${low}.${res}`,
          checkResourceOrder(`${section}.${low}.${res}`, { value: values[low][res] }, `${section}.${high}.${res}`, { value: values[high][res] }), REQUESTS_WITHIN_LIMITS);
      }
    }
    refusals.done();
    this.secrets = props.secrets ?? DEFAULTS.tenant.secrets;
    const subjects = ownerSubjects(owners);

    const namespace = tenantNames(props.name).namespace;
    this.namespaceName = namespace;
    const labels = tenantLabels(props.name);
    const meta = (name: string) => ({ name, namespace, labels });
    const level = props.podSecurity ?? DEFAULTS.tenant.podSecurity;

    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          ...(props.team ? { [LABELS.team]: props.team } : {}),
          ...(props.environment ? { [LABELS.environment]: props.environment } : {}),
          ...podSecurityLabels(level),
        },
        ...(props.annotations && Object.keys(props.annotations).length > 0 ? { annotations: { ...props.annotations } } : {}),
      },
    });

    new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: meta('tenant-quota'),
      spec: { hard: quotaHard(quota) },
    });

    new k8s.KubeResourceQuota(this, 'PriorityClassQuota', {
      metadata: meta('tenant-priority-classes'),
      spec: priorityQuotaSpec(props.priorityClasses),
    });

    new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: meta('tenant-limits'),
      spec: {
        limits: [{
          type: 'Container',
          default: quantities(limits.default),
          defaultRequest: quantities(limits.defaultRequest),
          max: quantities(limits.max),
        }],
      },
    });

    this.addNetworkPolicies(meta, props.name, traefikNamespace, props.egress, props.network);

    const role = tenantNames(props.name).ownerRole;
    new k8s.KubeRole(this, 'OwnerRole', {
      metadata: meta(role),
      rules: copyRules(ownerRules(this.secrets, { externalSecrets: props.externalSecrets })),
    });
    new k8s.KubeRoleBinding(this, 'OwnerRoleBinding', {
      metadata: meta(role),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects,
    });
  }

  private addNetworkPolicies(
    meta: (name: string) => k8s.ObjectMeta,
    tenant: string,
    traefikNamespace: string,
    egress: EgressModel | undefined,
    network: ClusterNetwork | undefined,
  ): void {
    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: meta('default-deny'),
      spec: defaultDenySpec(),
    });
    new k8s.KubeNetworkPolicy(this, 'AllowSameNamespace', {
      metadata: meta('allow-same-namespace'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'AllowDns', {
      metadata: meta('allow-dns'),
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] },
    });
    // The tenant's own Traefik (and nothing else outside the namespace) may reach its pods,
    // including cert-manager's HTTP-01 solver pods on 8089.
    new k8s.KubeNetworkPolicy(this, 'AllowFromTraefik', {
      metadata: meta('allow-from-own-traefik'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': traefikNamespace } },
            podSelector: { matchLabels: traefikPodLabels(tenant) },
          }],
        }],
      },
    });
    const cidrs = egress?.cidrs ?? DEFAULTS.tenant.egress.cidrs;
    const ports = egress?.ports ?? DEFAULTS.tenant.egress.ports;
    if (cidrs.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'AllowEgress', {
        metadata: meta('allow-egress'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{
            to: cidrs.map((cidr) => egressPeer(cidr, egressExceptions(network))),
            ...(ports.length > 0
              ? { ports: ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) }
              : {}),
          }],
        },
      });
    }
  }
}

function ownerSubjects(owners: TenantNamespaceProps['owners']): k8s.Subject[] {
  return [
    ...(owners.groups ?? []).map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
    ...(owners.users ?? []).map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name })),
  ];
}

/** CPU, memory and ephemeral storage, each resolved. */
type Amounts = Required<ResourceAmounts>;

/** A LimitRange's amounts, under Kubernetes' resource names. */
function quantities(values: Amounts): Record<string, k8s.Quantity> {
  return {
    cpu: k8s.Quantity.fromString(values.cpu),
    memory: k8s.Quantity.fromString(values.memory),
    'ephemeral-storage': k8s.Quantity.fromString(values.ephemeralStorage),
  };
}

type ResolvedQuota = QuotaModel & {
  readonly requests: Amounts; readonly limits: Amounts; readonly pods: number;
  readonly services: number; readonly configMaps: number; readonly secrets: number; readonly certificates: number;
};

function withQuotaDefaults(quota: QuotaModel | undefined): ResolvedQuota {
  const Q = DEFAULTS.tenant.quota;
  return {
    ...withDefaults(Q, quota ?? {}),
    requests: withResourceDefaults(quota?.requests, Q.requests),
    limits: withResourceDefaults(quota?.limits, Q.limits),
  };
}

function withLimitDefaults(limits: LimitsModel | undefined): Record<'default' | 'defaultRequest' | 'max', Amounts> {
  const L = DEFAULTS.tenant.limits;
  return {
    default: withResourceDefaults(limits?.default, L.default),
    defaultRequest: withResourceDefaults(limits?.defaultRequest, L.defaultRequest),
    max: withResourceDefaults(limits?.max, L.max),
  };
}

/**
 * The quota's `hard` map: compute, pods, and counts of the objects that cost other tenants when
 * mass-produced (Services, ConfigMaps, Secrets, cert-manager Certificates, which order from an ACME
 * account whose rate limits the tenants' domains share). Services of type NodePort and
 * LoadBalancer are capped at 0: traffic enters through the tenant's Traefik.
 */
function quotaHard(quota: ResolvedQuota): Record<string, k8s.Quantity> {
  const q = (v: string | number) => k8s.Quantity.fromString(String(v));
  const hard: Record<string, k8s.Quantity> = {
    'requests.cpu': q(quota.requests.cpu),
    'requests.memory': q(quota.requests.memory),
    'requests.ephemeral-storage': q(quota.requests.ephemeralStorage),
    'limits.cpu': q(quota.limits.cpu),
    'limits.memory': q(quota.limits.memory),
    'limits.ephemeral-storage': q(quota.limits.ephemeralStorage),
    pods: q(quota.pods),
    services: q(quota.services),
    'services.nodeports': q(0),
    'services.loadbalancers': q(0),
    'count/configmaps': q(quota.configMaps),
    'count/secrets': q(quota.secrets),
    'count/certificates.cert-manager.io': q(quota.certificates),
  };
  if (quota.persistentVolumeClaims !== undefined) hard.persistentvolumeclaims = q(quota.persistentVolumeClaims);
  if (quota.storage !== undefined) hard['requests.storage'] = q(quota.storage);
  return hard;
}

/**
 * A quota of zero pods for the PriorityClasses tenants may not use: without `allowed`, the system
 * classes; with it, every class set but those (pods without a class are not counted).
 */
function priorityQuotaSpec(allowed: readonly string[] | undefined): k8s.ResourceQuotaSpec {
  const matchExpressions = allowed === undefined
    ? [{ scopeName: 'PriorityClass', operator: 'In', values: [...SYSTEM_PRIORITY_CLASSES] }]
    : [{ scopeName: 'PriorityClass', operator: 'Exists' }, ...(allowed.length > 0 ? [{ scopeName: 'PriorityClass', operator: 'NotIn', values: [...allowed] }] : [])];
  return { hard: { pods: k8s.Quantity.fromString('0') }, scopeSelector: { matchExpressions } };
}

/** An egress peer for `cidr`, excepting the ranges it covers among `exceptions` (metadata, the cluster's pods and Services). */
function egressPeer(cidr: string, exceptions: ReturnType<typeof egressExceptions>): k8s.NetworkPolicyPeer {
  const block = parseCidr(cidr);
  const except = block ? excepted(block, exceptions) : [];
  return { ipBlock: except.length > 0 ? { cidr, except } : { cidr } };
}
