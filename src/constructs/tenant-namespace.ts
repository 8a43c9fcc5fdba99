import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { DEFAULTS, withDefaults, withResourceDefaults } from '../defaults';
import { ANNOTATIONS, LABELS, PLATFORM_NAMES, tenantNames, virtualClusterNames } from '../model/names';
import * as fields from '../spec/schema';
import { checkAllowedZone, DOMAIN_WITHIN_ALLOWED_ZONES, duplicateDomainRefusal, ONE_HOST_ONE_TENANT } from '../threats/certificates';
import { GITOPS_NAMESPACE, tenantIsGitOpsNamespaceRefusal } from '../threats/gitops';
import { checkGatewayHosts, GATEWAY_LISTENER_LIMIT } from '../threats/gateway';
import { checkTenantName, RESERVED_NAMESPACE } from '../threats/namespaces';
import { excepted, parseCidr } from '../threats/cidrs';
import { checkEgressToCluster, EGRESS_TO_CLUSTER, egressExceptions, MONITORING_NAMESPACE, tenantIsMonitoringNamespaceRefusal } from '../threats/network';
import { SYSTEM_PRIORITY_CLASSES } from '../threats/pods';
import { checkResourceOrder, ORDERED_RESOURCE_PAIRS, REQUESTS_WITHIN_LIMITS, RESOURCES_OF } from '../threats/resources';
import { SECRET_SYNC_INTO_TENANTS, tenantInSyncToRefusal } from '../threats/secrets';
import { AdmissionMode } from './admission-guard-rails';
import { brand, isA } from './brand';
import { refuseChartNamespace } from './chart-namespace';
import { podSecurityLabels, tenantLabels } from './labels';
import { defaultDenySpec, dnsEgressRule, namespacePeer } from './network-rules';
import type { Platform } from './platform';
import { copyRules, ownerRules, virtualClusterOwnerRules } from './rbac-rules';
import { PropChecks } from './refuse';
import type { ScopedTraefik } from './scoped-traefik';
import type { TenantGateway } from './tenant-gateway';
import type { TenantIssuer } from './tenant-issuer';
import type { TenantVirtualCluster } from './tenant-virtual-cluster';

/** The Pod Security Standard a tenant namespace enforces. `privileged` is not offered: it lets pods take over their node. */
export enum PodSecurityLevel {
  /** Pods follow current hardening best practice (non-root, no privilege escalation, seccomp, no capabilities but NET_BIND_SERVICE). */
  RESTRICTED = 'restricted',
  /** Known privilege escalations are prevented; for workloads `restricted` breaks (audit and warn still report against `restricted`). */
  BASELINE = 'baseline',
}

/** What a tenant's owners may do with the Secrets of their namespace. */
export enum SecretsAccess {
  /** get, list and watch. */
  READ_ONLY = 'read-only',
  /** get, list, watch, create, update and patch — never delete: a deleted TLS Secret takes a site down. */
  MANAGE = 'manage',
}

/** CPU, memory and ephemeral storage quantities, e.g. `{ cpu: '500m', memory: '512Mi' }`. */
export interface ResourceQuantities {
  /**
   * CPU, as a Kubernetes quantity (`500m`, `2`).
   * @default - the built-in default of the field this is in
   */
  readonly cpu?: string;
  /**
   * Memory, as a Kubernetes quantity (`512Mi`, `4Gi`).
   * @default - the built-in default of the field this is in
   */
  readonly memory?: string;
  /**
   * Ephemeral storage (emptyDir volumes, logs, writable layers), as a Kubernetes quantity (`1Gi`).
   * Not for a Traefik's resources.
   * @default - the built-in default of the field this is in
   */
  readonly ephemeralStorage?: string;
}

/**
 * The ResourceQuota of a tenant namespace. NodePort and LoadBalancer Services are always capped
 * at 0; a second quota holds pods of PriorityClasses the platform does not allow at 0.
 */
export interface TenantQuota {
  /**
   * Total CPU, memory and ephemeral storage the namespace's pods may request.
   * @default - 2 CPU, 4Gi, 10Gi
   */
  readonly requests?: ResourceQuantities;
  /**
   * Total CPU, memory and ephemeral storage limits of the namespace's pods.
   * @default - 4 CPU, 8Gi, 20Gi
   */
  readonly limits?: ResourceQuantities;
  /**
   * Pods the namespace may run.
   * @default 20
   */
  readonly pods?: number;
  /**
   * Services (ClusterIP) the namespace may create; cert-manager's HTTP-01 solver needs one.
   * @default 50
   */
  readonly services?: number;
  /**
   * ConfigMaps the namespace may create (each lives in etcd, which every tenant shares).
   * @default 100
   */
  readonly configMaps?: number;
  /**
   * Secrets the namespace may create.
   * @default 100
   */
  readonly secrets?: number;
  /**
   * cert-manager Certificates the namespace may create (they order from ACME accounts whose rate limits tenants share).
   * @default 50
   */
  readonly certificates?: number;
  /**
   * PersistentVolumeClaims the namespace may create.
   * @default 10
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Total storage the namespace's PersistentVolumeClaims may request (`requests.storage`).
   * @default 100Gi
   */
  readonly storage?: string;
}

/** The LimitRange of a tenant namespace: what each container gets when it says nothing, and the most it may ask. */
export interface TenantLimitRange {
  // jsii warns that `default` is a keyword in C#, Java and Go: their bindings capitalize property names, so it is none there.
  /**
   * Limits of a container that sets none.
   * @default - 500m, 512Mi, 1Gi
   * @jsii suppress JSII5018
   */
  readonly default?: ResourceQuantities;
  /**
   * Requests of a container that sets none.
   * @default - 100m, 128Mi, 100Mi
   */
  readonly defaultRequest?: ResourceQuantities;
  /**
   * The most one container may ask for.
   * @default - 2 CPU, 4Gi, 4Gi
   */
  readonly max?: ResourceQuantities;
}

/** Egress a tenant's pods may use beyond their namespace and DNS: one NetworkPolicy egress rule. */
export interface EgressRule {
  /**
   * Destination CIDRs, e.g. `0.0.0.0/0`. CIDRs inside the metadata services' ranges, or the
   * platform's pod and Service ranges (`Platform.network`), are refused; broader blocks except them.
   */
  readonly cidrs: string[];
  /**
   * TCP ports allowed to those CIDRs.
   * @default - every port
   */
  readonly ports?: number[];
}

/** Who administers a tenant: bound to its `tenant-owner` Role. */
export interface TenantOwners {
  /**
   * Groups (as your cluster's authentication names them).
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Users.
   * @default - none
   */
  readonly users?: string[];
}

/** One owner of a tenant, for `addOwner`. */
export class TenantOwner {
  /** A group, as your cluster's authentication names it. */
  public static group(name: string): TenantOwner {
    return new TenantOwner('Group', name);
  }

  /** A user. */
  public static user(name: string): TenantOwner {
    return new TenantOwner('User', name);
  }

  /** `Group` or `User`, as an RBAC subject's kind. */
  public readonly kind: string;
  /** The group's or user's name. */
  public readonly name: string;

  private constructor(kind: string, name: string) {
    this.kind = kind;
    this.name = name;
  }
}

/** What a tenant namespace is, apart from the platform it belongs to (the options of `Platform.addTenant` build on it). */
export interface TenantNamespaceOptions {
  /** The tenant's name, which is also its namespace: a DNS-1123 label of at most 55 characters, not reserved. */
  readonly name: string;
  /** Who administers the tenant: at least one group or user. More with `addOwner`. */
  readonly owners: TenantOwners;
  /**
   * Hosts the tenant serves. The Namespace lists them in its `tenancy.cdk8s.io/domains`
   * annotation, which the platform's admission policies read: routes and Certificates for
   * other hosts are denied. Wildcards are refused. More with `addDomain`.
   * @default - none yet
   */
  readonly domains?: string[];
  /**
   * Label `tenancy.cdk8s.io/team`.
   * @default - no team label
   */
  readonly team?: string;
  /**
   * Label `tenancy.cdk8s.io/environment`.
   * @default - no environment label
   */
  readonly environment?: string;
  /**
   * Pod Security level enforced. Audit and warn are always `restricted`.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * What the owners may do with Secrets.
   * @default SecretsAccess.READ_ONLY
   */
  readonly secrets?: SecretsAccess;
  /**
   * The ResourceQuota; each value defaults on its own.
   * @default - requests 2 CPU / 4Gi / 10Gi, limits 4 CPU / 8Gi / 20Gi, 20 pods, 50 Services, 100 ConfigMaps, 100 Secrets, 50 Certificates
   */
  readonly quota?: TenantQuota;
  /**
   * The LimitRange for containers; each value defaults on its own.
   * @default - default 500m / 512Mi / 1Gi, defaultRequest 100m / 128Mi / 100Mi, max 2 CPU / 4Gi / 4Gi
   */
  readonly limits?: TenantLimitRange;
  /**
   * Egress beyond the namespace and DNS. More with `addEgress`.
   * @default - none: egress is denied
   */
  readonly egress?: EgressRule;
}

/** Props of `TenantNamespace`: the platform it belongs to, and the tenant. */
export interface TenantNamespaceProps extends TenantNamespaceOptions {
  /** The platform the tenant belongs to: its namespace is where the tenant's Traefik runs, and its admission policies guard this namespace. */
  readonly platform: Platform;
}

/** Props earlier versions took, and what to pass instead (for JavaScript callers). */
const MOVED = {
  traefikNamespace: 'the Traefik runs in its Platform\'s namespace: pass `platform`, and give the Traefik this TenantNamespace',
  annotations: 'the domains annotation follows `domains` and `addDomain`; add other annotations to `namespaceObject.metadata`',
  externalSecrets: 'a `TenantSecretStore` given this TenantNamespace grants the ExternalSecret rights',
};

/**
 * A tenant's namespace with its guard rails: Pod Security labels, ResourceQuota, LimitRange,
 * default-deny NetworkPolicies with the few allows a tenant needs (same namespace, DNS, its own
 * Traefik once one is given this namespace, and `egress`), and the owners' `tenant-owner` Role.
 *
 * The Namespace carries the tenant's domains in the `tenancy.cdk8s.io/domains` annotation,
 * which the platform's admission policies read (unless the platform's admission is `NONE`).
 */
export class TenantNamespace extends Construct {
  /** Whether `x` is a TenantNamespace. */
  public static isTenantNamespace(x: any): x is TenantNamespace {
    return isA(x, 'TenantNamespace');
  }

  /** The platform the tenant belongs to. */
  public readonly platform: Platform;
  /** The tenant's name. */
  public readonly tenantName: string;
  /** The namespace's name (the tenant's name). */
  public readonly namespaceName: string;
  /** The Pod Security level enforced. */
  public readonly podSecurity: PodSecurityLevel;
  /** What the owners may do with Secrets. */
  public readonly secrets: SecretsAccess;
  /** The Namespace object. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** The ResourceQuota `tenant-quota`. */
  public readonly resourceQuota: k8s.KubeResourceQuota;
  /** The ResourceQuota `tenant-priority-classes`: zero pods of the PriorityClasses the platform does not allow. */
  public readonly priorityClassQuota: k8s.KubeResourceQuota;
  /** The LimitRange `tenant-limits`. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The owners' Role `tenant-owner`. */
  public readonly ownerRole: k8s.KubeRole;
  /** The owners' RoleBinding `tenant-owner`. */
  public readonly ownerRoleBinding: k8s.KubeRoleBinding;

  private readonly _domains: string[] = [];
  private readonly _owners: TenantOwner[] = [];
  private readonly _egress: EgressRule[] = [];
  private readonly _networkPolicies: k8s.KubeNetworkPolicy[] = [];
  private readonly fromTraefikSlot: Construct;
  private readonly egressSlot: Construct;
  private _egressPolicy?: k8s.KubeNetworkPolicy;
  private _traefik?: ScopedTraefik;
  private _gateway?: TenantGateway;
  private _issuer?: TenantIssuer;
  private _virtualCluster?: TenantVirtualCluster;
  private _externalSecrets = false;
  /** The most one container may ask for (the LimitRange's `max`), resolved. @internal */
  public readonly _limitsMax: Amounts;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    brand(this, 'TenantNamespace');
    const refusals = new PropChecks('TenantNamespace');
    refusals.moved(props, MOVED);
    refusals.check('platform', isA(props.platform, 'Platform') ? undefined : 'is not a Platform — pass the `Platform` this tenant belongs to');
    refusals.done();
    const platform = props.platform;
    this.platform = platform;
    this.tenantName = props.name;
    this.namespaceName = tenantNames(props.name).namespace;

    const quota = withQuotaDefaults(props.quota);
    const limits = withLimitDefaults(props.limits);
    this._limitsMax = limits.max;
    refusals.check('name', checkTenantName(props.name, platform.namespaceName, platform.reservedNamespaces), RESERVED_NAMESPACE);
    refusals.check('name', platform._tenantRefusal(props.name));
    refusals.check('name', platform.wildcard?.syncNamespaces.includes(props.name) ? tenantInSyncToRefusal(props.name) : undefined, SECRET_SYNC_INTO_TENANTS);
    const gitops = platform._gitopsNamespace;
    refusals.check('name', props.name === gitops?.namespace ? tenantIsGitOpsNamespaceRefusal(props.name, gitops.prop) : undefined, GITOPS_NAMESPACE);
    refusals.check('name', props.name === platform.monitoring?.namespace ? tenantIsMonitoringNamespaceRefusal(props.name) : undefined, MONITORING_NAMESPACE);
    if (props.team !== undefined) refusals.parse('team', fields.labelValue, props.team);
    if (props.environment !== undefined) refusals.parse('environment', fields.labelValue, props.environment);
    if (props.podSecurity !== undefined) refusals.parse('podSecurity', fields.podSecurity, props.podSecurity);
    if (props.secrets !== undefined) refusals.parse('secrets', z.enum(['read-only', 'manage']), props.secrets);
    const owners = refusals.parse('owners', fields.owners, props.owners);
    if (props.quota !== undefined) refusals.parse('quota', fields.quota, props.quota);
    if (props.limits !== undefined) refusals.parse('limits', fields.limits, props.limits);
    if (props.egress !== undefined) this.judgeEgress(refusals, 'egress', props.egress);
    for (const [section, low, high] of ORDERED_RESOURCE_PAIRS.filter(([s]) => s === 'quota' || s === 'limits')) {
      const values = (section === 'quota' ? quota : limits) as unknown as Record<string, Required<ResourceQuantities>>;
      for (const res of RESOURCES_OF[section]) {
        refusals.check(`${section}.${low}.${res}`,
          checkResourceOrder(`${section}.${low}.${res}`, { value: values[low][res] }, `${section}.${high}.${res}`, { value: values[high][res] }), REQUESTS_WITHIN_LIMITS);
      }
    }
    const domains: string[] = [];
    (props.domains ?? []).forEach((d, i) => {
      const domain = this.judgeDomain(refusals, `domains[${i}]`, d, domains);
      if (domain !== undefined) domains.push(domain);
    });
    refusals.done();
    platform._registerTenant(props.name, this.node.path);

    this.podSecurity = props.podSecurity ?? DEFAULTS.tenant.podSecurity as PodSecurityLevel;
    this.secrets = props.secrets ?? DEFAULTS.tenant.secrets as SecretsAccess;
    const namespace = this.namespaceName;
    const labels = tenantLabels(props.name);

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          ...(props.team ? { [LABELS.team]: props.team } : {}),
          ...(props.environment ? { [LABELS.environment]: props.environment } : {}),
          ...podSecurityLabels(this.podSecurity),
        },
        // The admission policies read the tenant's hosts here (tenants cannot edit Namespaces),
        // and through the Gateway API the one Gateway its routes may name.
        ...(platform.admissionMode !== AdmissionMode.NONE
          ? {
            annotations: {
              [ANNOTATIONS.domains]: lazy(() => this._domains.join(',')),
              ...(platform.routingApi === 'gateway' ? { [ANNOTATIONS.gateway]: `${platform.namespaceName}/${tenantNames(props.name).gateway}` } : {}),
            },
          }
          : {}),
      },
    });

    this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: this.meta('tenant-quota'),
      spec: { hard: quotaHard(quota) },
    });

    this.priorityClassQuota = new k8s.KubeResourceQuota(this, 'PriorityClassQuota', {
      metadata: this.meta('tenant-priority-classes'),
      spec: priorityQuotaSpec(platform.priorityClasses),
    });

    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: this.meta('tenant-limits'),
      spec: {
        limits: [{
          type: 'Container',
          default: quantities(limits.default),
          defaultRequest: quantities(limits.defaultRequest),
          max: quantities(limits.max),
        }],
      },
    });

    this.addNetworkPolicy(this, 'DefaultDeny', 'default-deny', defaultDenySpec());
    this.addNetworkPolicy(this, 'AllowSameNamespace', 'allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    this.addNetworkPolicy(this, 'AllowDns', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] });
    if (platform.monitoring) {
      // Prometheus scrapes the tenant's pods on whatever port they serve metrics; the peer is its
      // namespace by the name label Kubernetes sets, which no tenant can set on a namespace of its own.
      this.addNetworkPolicy(this, 'AllowFromMonitoring', 'allow-from-monitoring', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [namespacePeer(platform.monitoring.namespace)] }],
      });
    }
    // Filled when a ScopedTraefik is given this namespace, and by `addEgress`: the slots keep
    // the policies in their place among the namespace's objects.
    this.fromTraefikSlot = new Construct(this, 'AllowFromTraefik');
    this.egressSlot = new Construct(this, 'AllowEgress');

    const role = tenantNames(props.name).ownerRole;
    this.ownerRole = new k8s.KubeRole(this, 'OwnerRole', {
      metadata: this.meta(role),
      rules: lazy(() => copyRules(this._virtualCluster
        ? virtualClusterOwnerRules({ kubeconfigSecret: this._virtualCluster.kubeconfigSecretName, controlPlanePod: virtualClusterNames(this.tenantName).controlPlanePod })
        : ownerRules(this.secrets, {
          externalSecrets: this._externalSecrets,
          ...(platform.routingApi === 'gateway' ? { routing: 'gateway' as const } : {}),
        }))),
    });
    this.ownerRoleBinding = new k8s.KubeRoleBinding(this, 'OwnerRoleBinding', {
      metadata: this.meta(role),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: lazy(() => this._owners.map((o) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: o.kind, name: o.name }))),
    });

    // Props take the same path as the mutators.
    for (const group of owners.groups ?? []) this._owners.push(TenantOwner.group(group));
    for (const user of owners.users ?? []) this._owners.push(TenantOwner.user(user));
    for (const domain of domains) this.claimDomain(domain);
    if (props.egress) this.pushEgress(props.egress);

    this.node.addValidation({ validate: () => this.validateWiring() });
    refuseChartNamespace(this);
  }

  /** The hosts the tenant serves (a copy). */
  public get domains(): string[] {
    return [...this._domains];
  }

  /** The tenant's owners (a copy). */
  public get owners(): TenantOwner[] {
    return [...this._owners];
  }

  /** The NetworkPolicies of the namespace so far (a copy). */
  public get networkPolicies(): k8s.KubeNetworkPolicy[] {
    return [...this._networkPolicies];
  }

  /**
   * The tenant's Traefik, once a `ScopedTraefik` was given this namespace.
   * @default - none yet
   */
  public get traefik(): ScopedTraefik | undefined {
    return this._traefik;
  }

  /**
   * The tenant's Gateway, once a `TenantGateway` was given this namespace (Gateway API routing).
   * @default - none yet
   */
  public get gateway(): TenantGateway | undefined {
    return this._gateway;
  }

  /**
   * The tenant's Issuer, once a `TenantIssuer` was given this namespace's Traefik.
   * @default - none yet
   */
  public get issuer(): TenantIssuer | undefined {
    return this._issuer;
  }

  /**
   * The tenant's virtual cluster, once a `TenantVirtualCluster` was given this namespace: its
   * owners are then the virtual cluster's admins, and read-only here.
   * @default - none: namespace isolation
   */
  public get virtualCluster(): TenantVirtualCluster | undefined {
    return this._virtualCluster;
  }

  /**
   * Adds a host the tenant serves: to the Namespace's domains annotation (which the admission
   * policies read) and, once there is a `TenantIssuer`, as one more Certificate. Refused like
   * `domains`: wildcards, a host another tenant of the platform serves, a host outside the
   * platform's `allowedDomains`.
   */
  public addDomain(domain: string): void {
    const refusals = new PropChecks('TenantNamespace');
    const judged = this.judgeDomain(refusals, 'domain', domain, this._domains);
    refusals.done();
    this.claimDomain(judged!);
  }

  /** Adds an owner (a group or a user) to the `tenant-owner` RoleBinding. Refused like `owners`. */
  public addOwner(owner: TenantOwner): void {
    const refusals = new PropChecks('TenantNamespace');
    if (!(owner instanceof TenantOwner)) refusals.check('owner', 'is not a TenantOwner — pass `TenantOwner.group(name)` or `TenantOwner.user(name)`');
    else refusals.parse('owner', fields.subjectName, owner.name);
    refusals.done();
    this._owners.push(owner);
  }

  /** Allows egress to more CIDRs (one more rule in the `allow-egress` NetworkPolicy). Refused like `egress`. */
  public addEgress(rule: EgressRule): void {
    const refusals = new PropChecks('TenantNamespace');
    this.judgeEgress(refusals, 'egress', rule);
    refusals.done();
    this.pushEgress(rule);
  }

  /**
   * Lets `traefik`'s pods reach the tenant's pods (the `allow-from-own-traefik` policy). Called
   * by the ScopedTraefik given this namespace.
   * @internal
   */
  public _attachTraefik(traefik: ScopedTraefik): void {
    this._traefik = traefik;
    // The tenant's own Traefik (and nothing else outside the namespace) may reach its pods,
    // including cert-manager's HTTP-01 solver pods on 8089.
    this.allowFromTraefik('allow-from-own-traefik', traefik);
  }

  /**
   * Records the tenant's Gateway; with a shared Traefik (`traefik`), lets its pods reach the
   * tenant's pods (the `allow-from-shared-traefik` policy). Called by the TenantGateway given
   * this namespace. @internal
   */
  public _attachGateway(gateway: TenantGateway, sharedTraefik?: { readonly namespaceName: string; readonly podLabels: Record<string, string> }): void {
    this._gateway = gateway;
    if (sharedTraefik) this.allowFromTraefik('allow-from-shared-traefik', sharedTraefik);
  }

  /** The NetworkPolicy `name` that lets the pods of one Traefik (and nothing else outside the namespace) in. */
  private allowFromTraefik(name: string, traefik: { readonly namespaceName: string; readonly podLabels: Record<string, string> }): void {
    this.addNetworkPolicy(this.fromTraefikSlot, 'Resource', name, {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': traefik.namespaceName } },
          podSelector: { matchLabels: traefik.podLabels },
        }],
      }],
    });
  }

  /** Called by the TenantIssuer of this namespace: it issues a Certificate for each domain, now and later. @internal */
  public _attachIssuer(issuer: TenantIssuer): void {
    this._issuer = issuer;
    // The admission policies admit Certificates naming this ClusterIssuer only where the Namespace says so.
    if (issuer.issuerKind === 'ClusterIssuer' && this.platform.admissionMode !== AdmissionMode.NONE) {
      this.namespaceObject.metadata.addAnnotation(ANNOTATIONS.clusterIssuer, PLATFORM_NAMES.caIssuer);
    }
  }

  /**
   * Called by the TenantVirtualCluster of this namespace: the owners' Role becomes read-only with
   * the kubeconfig Secret and port-forwarding to the control plane, and its NetworkPolicy joins the namespace's.
   * @internal
   */
  public _attachVirtualCluster(virtualCluster: TenantVirtualCluster): void {
    this._virtualCluster = virtualCluster;
    this._networkPolicies.push(virtualCluster.apiServerPolicy);
  }

  /** Called by the TenantSecretStore of this namespace: owners may write ExternalSecrets and read the store. @internal */
  public _enableExternalSecrets(): void {
    this._externalSecrets = true;
  }

  /** Judges an egress rule: the spec's words, and CIDRs inside the platform's pod and Service ranges. */
  private judgeEgress(refusals: PropChecks, prop: string, rule: EgressRule): void {
    refusals.parse(prop, egressRule, rule);
    const network = this.platform._clusterNetwork;
    (Array.isArray(rule?.cidrs) ? rule.cidrs : []).forEach((cidr, i) => {
      if (typeof cidr === 'string') refusals.check(`${prop}.cidrs[${i}]`, checkEgressToCluster(cidr, network), EGRESS_TO_CLUSTER);
    });
  }

  private meta(name: string) {
    return { name, namespace: this.namespaceName, labels: tenantLabels(this.tenantName) };
  }

  private addNetworkPolicy(scope: Construct, id: string, name: string, spec: k8s.NetworkPolicySpec): k8s.KubeNetworkPolicy {
    const policy = new k8s.KubeNetworkPolicy(scope, id, { metadata: this.meta(name), spec });
    this._networkPolicies.push(policy);
    return policy;
  }

  /** Judges one domain; answers it as the tenant will serve it (lower case), or undefined when refused. */
  private judgeDomain(refusals: PropChecks, prop: string, raw: string, taken: readonly string[]): string | undefined {
    const before = refusals.count;
    const domain = refusals.parse(prop, fields.domain, raw);
    if (refusals.count > before) return undefined;
    const other = this.platform._domainOwner(domain);
    refusals.check(prop, taken.includes(domain)
      ? duplicateDomainRefusal(domain, undefined)
      : other !== undefined ? duplicateDomainRefusal(domain, other) : undefined, ONE_HOST_ONE_TENANT);
    const allowed = this.platform.allowedDomains;
    if (allowed.length > 0) refusals.check(prop, checkAllowedZone(domain, allowed), DOMAIN_WITHIN_ALLOWED_ZONES);
    // A Gateway already built for this tenant takes one listener pair more.
    if (this._gateway && refusals.count === before) refusals.check(prop, checkGatewayHosts(taken.length + 1), GATEWAY_LISTENER_LIMIT);
    return refusals.count > before ? undefined : domain;
  }

  private claimDomain(domain: string): void {
    this.platform._claimDomain(domain, this.tenantName);
    this._domains.push(domain);
    this._gateway?._addHost(domain);
    this._issuer?._addCertificate(domain);
  }

  private pushEgress(rule: EgressRule): void {
    if ((rule.cidrs ?? []).length === 0) return;
    this._egress.push(rule);
    this._egressPolicy ??= this.addNetworkPolicy(this.egressSlot, 'Resource', 'allow-egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: lazy(() => {
        // Broad blocks except the metadata services' ranges and the platform's pod and Service ranges.
        const exceptions = egressExceptions(this.platform._clusterNetwork);
        return this._egress.map((r) => ({
          to: r.cidrs.map((cidr) => egressPeer(cidr, exceptions)),
          ...((r.ports ?? []).length > 0 ? { ports: r.ports!.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })) } : {}),
        }));
      }),
    });
  }

  private validateWiring(): string[] {
    const routed = this.platform.routingApi === 'gateway' ? this._gateway : this._traefik;
    if (this._domains.length === 0 || routed) return [];
    if (this.platform.routingApi === 'gateway') {
      return [`tenant \`${this.tenantName}\` serves ${this._domains.map((d) => `\`${d}\``).join(', ')} but no Gateway routes to it — add \`new TenantGateway(scope, id, { tenantNamespace })\` with this TenantNamespace, or build the whole tenant with \`platform.addTenant()\``];
    }
    return [`tenant \`${this.tenantName}\` serves ${this._domains.map((d) => `\`${d}\``).join(', ')} but no ScopedTraefik routes to it — add \`new ScopedTraefik(scope, id, { tenantNamespace })\` with this TenantNamespace, or build the whole tenant with \`platform.addTenant()\``];
  }
}

/** The spec's egress rule, with `cidrs` required. */
const egressRule = fields.egress.extend({ cidrs: z.array(fields.egressCidr) });

/** A value cdk8s works out at synthesis (after every `addXxx`), typed as the value it becomes. */
function lazy<T>(produce: () => T): T {
  return Lazy.any({ produce }) as unknown as T;
}

/** CPU, memory and ephemeral storage, each resolved. */
type Amounts = Required<ResourceQuantities>;

/** A LimitRange's amounts, under Kubernetes' resource names. */
function quantities(values: Amounts): Record<string, k8s.Quantity> {
  return {
    cpu: k8s.Quantity.fromString(values.cpu),
    memory: k8s.Quantity.fromString(values.memory),
    'ephemeral-storage': k8s.Quantity.fromString(values.ephemeralStorage),
  };
}

type ResolvedQuota = TenantQuota & {
  readonly requests: Amounts; readonly limits: Amounts; readonly pods: number;
  readonly services: number; readonly configMaps: number; readonly secrets: number; readonly certificates: number;
  readonly persistentVolumeClaims: number; readonly storage: string;
};

function withQuotaDefaults(quota: TenantQuota | undefined): ResolvedQuota {
  const Q = DEFAULTS.tenant.quota;
  return {
    ...withDefaults(Q, quota ?? {}),
    requests: withResourceDefaults(quota?.requests, Q.requests),
    limits: withResourceDefaults(quota?.limits, Q.limits),
  };
}

function withLimitDefaults(limits: TenantLimitRange | undefined): Record<'default' | 'defaultRequest' | 'max', Amounts> {
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
  hard.persistentvolumeclaims = q(quota.persistentVolumeClaims);
  hard['requests.storage'] = q(quota.storage);
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
