import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { z } from 'zod';
import { TlsOption } from '../imports/traefik-tlsoption';
import { DEFAULTS } from '../defaults';
import { PLATFORM_CHART, PLATFORM_GITOPS_NAME, PLATFORM_NAMES, PLATFORM_OUTPUT_FILE } from '../model/names';
import * as fields from '../spec/schema';
import { SHARED_TRAEFIK_SETTINGS_UNUSED, WILDCARD_CERTIFICATE_NEEDS_GATEWAY, WILDCARD_CERTIFICATE_NEEDS_WILDCARD } from '../spec/schema';
import { wildcardCovers } from '../threats/certificates';
import { checkGitOpsNamespace, GITOPS_NAMESPACE } from '../threats/gitops';
import { checkRoutingTopology, SHARED_TRAEFIK_NEEDS_GATEWAY } from '../threats/gateway';
import { checkPlatformNamespace, PLATFORM_NAMESPACE } from '../threats/namespaces';
import { checkMonitoringNamespace, ClusterNetwork, MONITORING_NAMESPACE } from '../threats/network';
import { VaultField } from '../threats/secrets';
import { AdmissionGuardRails, AdmissionMode } from './admission-guard-rails';
import { brand, isA } from './brand';
import { refuseChartNamespace } from './chart-namespace';
import { GitOps, GitOpsApp, NOT_GITOPS } from './gitops-app';
import { platformLabels, podSecurityLabels } from './labels';
import { defaultDenySpec } from './network-rules';
import { PlatformCaIssuer } from './platform-ca-issuer';
import { PropChecks } from './refuse';
import { SharedTraefik, SharedTraefikOptions } from './shared-traefik';
import { Tenant, TenantOptions } from './tenant';
import { ExternalSecretsOptions } from './tenant-secret-store';
import { WildcardTlsStore, WildcardTlsStoreOptions } from './wildcard-tls-store';

/** The lowest TLS version a tenant's Traefik accepts (the platform's `default` TLSOption). */
export enum TlsVersion {
  /** TLS 1.2 and 1.3. */
  TLS_1_2 = 'VersionTLS12',
  /** TLS 1.3 only. */
  TLS_1_3 = 'VersionTLS13',
}

/** How the rendered output is written; GitOps apps point at one or the other. */
export enum OutputFormat {
  /** YAML files: `platform.yaml` and `tenants/<name>.yaml`. */
  YAML = 'yaml',
  /** Helm charts: `tenancy-platform` and `tenant-<name>` (Argo CD only). */
  HELM = 'helm',
}

/** How tenants route their traffic, for `RoutingOptions.api`. */
export enum RoutingApi {
  /** Traefik IngressRoutes and Ingresses, each tenant's through its own Traefik. */
  INGRESS_ROUTE = 'ingressroute',
  /**
   * Gateway API HTTPRoutes and GRPCRoutes, through one Gateway per tenant that the platform owns:
   * its listeners admit the tenant's namespace, for the tenant's hosts, and no one else.
   */
  GATEWAY = 'gateway',
}

/** Who runs the Traefik a tenant's traffic goes through, for `RoutingOptions.traefik`. */
export enum TraefikTopology {
  /** One Traefik per tenant (a `ScopedTraefik`), behind a load balancer of its own. */
  PER_TENANT = 'per-tenant',
  /** One Traefik all tenants share (a `SharedTraefik`), behind one load balancer: Gateway API only. */
  SHARED = 'shared',
}

/** How tenants' traffic reaches them, for `Platform.routing`. */
export interface RoutingOptions {
  /**
   * IngressRoutes, or the Gateway API.
   * @default RoutingApi.INGRESS_ROUTE
   */
  readonly api?: RoutingApi;
  /**
   * One Traefik per tenant, or one shared by all (refused with `RoutingApi.INGRESS_ROUTE`).
   * @default TraefikTopology.PER_TENANT
   */
  readonly traefik?: TraefikTopology;
  /**
   * Tenant hosts under the platform wildcard use its certificate on their HTTPS listeners,
   * instead of one ACME certificate each (fewer orders on the ACME account tenants share, no
   * ReferenceGrant). Gateway API only, and only with a `wildcard`.
   * @default false
   */
  readonly wildcardCertificate?: boolean;
  /**
   * The size of the shared Traefik (`TraefikTopology.SHARED` only).
   * @default - 3 replicas behind a LoadBalancer Service, log level INFO, requests 500m / 512Mi, limits 2 CPU / 2Gi
   */
  readonly sharedTraefik?: SharedTraefikOptions;
}

/** The cluster's address ranges, for `Platform.network`. */
export interface ClusterNetworkOptions {
  /**
   * The pod ranges of every node: excepted from every tenant's broad egress, and refused as a
   * tenant's egress CIDR (other tenants' pods live there).
   * @default - not known: only the metadata services' ranges are excepted
   */
  readonly podCidrs?: string[];
  /**
   * The Service ClusterIP ranges: excepted and refused like `podCidrs`.
   * @default - not known
   */
  readonly serviceCidrs?: string[];
  /**
   * The API server's addresses: the only ones a tenant's Traefik may reach beyond its tenant and DNS.
   * @default - any address on ports 443 and 6443, the metadata services' and the ranges above excepted
   */
  readonly apiServerCidrs?: string[];
}

/** cert-manager's controller, which requests the certificates of the platform CA. */
export interface CertManagerOptions {
  /**
   * cert-manager's namespace (its cluster resource namespace, where the CA's Secret is).
   * @default 'cert-manager'
   */
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /** @jsii suppress JSII5018 */
  readonly namespace?: string;
  /**
   * The controller's ServiceAccount.
   * @default 'cert-manager'
   */
  readonly serviceAccount?: string;
}

/** A CA the tenants that opt in share (`TenantIssuerSource.platformCa()`), for `Platform.ca`. */
export interface PlatformCaOptions {
  /** The CA's key pair Secret (`tls.crt`, `tls.key`) in cert-manager's namespace, which no tenant can read. */
  readonly secretName: string;
  /**
   * cert-manager's namespace and controller, which approver-policy lets use each tenant's policy.
   * @default - `cert-manager` in `cert-manager`
   */
  readonly certManager?: CertManagerOptions;
}

/** Where Prometheus runs, for `Platform.monitoring`: it may scrape every tenant's pods and each Traefik's metrics. */
export interface MonitoringOptions {
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * Prometheus's namespace: never a tenant's, nor the platform's. Each tenant namespace admits
   * it on every port (`allow-from-monitoring`), and each Traefik with `metrics` on its metrics port.
   * @jsii suppress JSII5018
   */
  readonly namespace: string;
  /**
   * Labels of the tenants' ServiceMonitors, for Prometheus's `serviceMonitorSelector`
   * (kube-prometheus-stack selects `release: <its release>`).
   * @default - none
   */
  readonly serviceMonitorLabels?: Record<string, string>;
}

/** Props of `Platform`: the settings every tenant of the platform reads. */
export interface PlatformProps {
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * The platform namespace: home of every tenant's Traefik, the `default` TLSOption and
   * TLSStore, and the wildcard certificate. Never a namespace of Kubernetes or an add-on.
   * @default 'traefik'
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * Image of every tenant's Traefik: a Traefik v3 that knows every flag passed, pinned by tag or digest.
   * @default 'traefik:v3.7.11'
   */
  readonly traefikImage?: string;
  /**
   * Lowest TLS version of the `default` TLSOption every tenant's Traefik applies.
   * @default TlsVersion.TLS_1_2
   */
  readonly tlsMinVersion?: TlsVersion;
  /**
   * Zones tenant domains (and the wildcard's names) must equal or lie under.
   * @default - any domain
   */
  readonly allowedDomains?: string[];
  /**
   * More namespaces no tenant may be named, beyond Kubernetes', the common add-ons' and the
   * platform's: names, or patterns with `*` (`*-mesh`).
   * @default - the built-in list only
   */
  readonly reservedNamespaces?: string[];
  /**
   * The cluster's address ranges (see `ClusterNetworkOptions`).
   * @default - not known: only the metadata services' ranges are excepted from egress
   */
  readonly network?: ClusterNetworkOptions;
  /**
   * The PriorityClasses tenant pods may use: a quota of zero pods holds every other class in
   * each tenant namespace. The system classes are refused.
   * @default - any class but `system-node-critical` and `system-cluster-critical`
   */
  readonly priorityClasses?: string[];
  /**
   * The namespace whose Prometheus scrapes tenant pods and the Traefiks' metrics (see `MonitoringOptions`).
   * @default - none: the default deny keeps every scraper out
   */
  readonly monitoring?: MonitoringOptions;
  /**
   * A CA the tenants that opt in share, behind a ClusterIssuer (a `PlatformCaIssuer`); each such
   * tenant may only have its own domains signed.
   * @default - none
   */
  readonly ca?: PlatformCaOptions;
  /**
   * The platform wildcard certificate, served by every tenant's Traefik by default (a `WildcardTlsStore`).
   * @default - no wildcard, no TLSStore
   */
  readonly wildcard?: WildcardTlsStoreOptions;
  /**
   * How the admission policies of every tenant namespace are enforced (an `AdmissionGuardRails`).
   * @default AdmissionMode.NATIVE
   */
  readonly admission?: AdmissionMode;
  /**
   * A Vault that every tenant reads its secrets from, through a SecretStore of its own (a
   * `TenantSecretStore` per tenant), and the admission rule that keeps ExternalSecrets on it.
   * @default - no SecretStores
   */
  readonly externalSecrets?: ExternalSecretsOptions;
  /**
   * The GitOps engine that applies the rendered files: an Application, or a GitRepository and
   * Kustomization, for the platform's file and for each tenant's (a `GitOpsApp` each).
   * @default - none: apply the files yourself
   */
  readonly gitops?: GitOps;
  /**
   * What the GitOps apps point at: the YAML files, or (Argo CD only) the Helm charts.
   * @default OutputFormat.YAML
   */
  readonly outputFormat?: OutputFormat;
  /**
   * How tenants' traffic reaches them: IngressRoutes or the Gateway API, one Traefik per tenant
   * or one shared (a `SharedTraefik`, Gateway API only).
   * @default - IngressRoutes, one Traefik per tenant
   */
  readonly routing?: RoutingOptions;
}

/** A list of CIDRs, as the spec's `platform.network` lists them. */
const cidrs = z.array(fields.cidr).optional();

/** The Vault fields the spec checks, each with a default unless required. */
const VAULT_FIELDS: readonly VaultField[] = ['server', 'path', 'role', 'authMountPath'];

/**
 * What all tenants share, and the root tenants are added to: the platform namespace (Pod
 * Security `restricted`), the `default` TLSOption every tenant's Traefik reads from it, the
 * wildcard TLSStore when configured, the admission policies of every tenant namespace, and the
 * GitOps app of the platform's file.
 *
 * Tenants read its settings (namespace, Traefik image, admission mode, allowed domains,
 * External Secrets, GitOps) from it, never from strings of their own; a tenant may live in
 * another chart or App than its platform. The platform knows its tenants' names and domains, and
 * refuses a name or a host twice.
 */
export class Platform extends Construct {
  /** Whether `x` is a Platform. */
  public static isPlatform(x: any): x is Platform {
    return isA(x, 'Platform');
  }

  /** The platform namespace. */
  public readonly namespaceName: string;
  /** Image of every tenant's Traefik. */
  public readonly traefikImage: string;
  /** How the admission policies are enforced. */
  public readonly admissionMode: AdmissionMode;
  /** What the GitOps apps point at. */
  public readonly outputFormat: OutputFormat;
  /**
   * The Vault tenants read their secrets from.
   * @default - none
   */
  public readonly externalSecrets?: ExternalSecretsOptions;
  /**
   * The GitOps engine that applies the rendered files.
   * @default - none
   */
  public readonly gitops?: GitOps;
  /**
   * The cluster's address ranges.
   * @default - not known
   */
  public readonly network?: ClusterNetworkOptions;
  /**
   * The PriorityClasses tenant pods may use.
   * @default - any but the system classes
   */
  public readonly priorityClasses?: string[];
  /**
   * Where Prometheus runs.
   * @default - none
   */
  public readonly monitoring?: MonitoringOptions;
  /**
   * The platform CA's ClusterIssuer.
   * @default - none without `ca`
   */
  public readonly caIssuer?: PlatformCaIssuer;
  /** How tenants route: IngressRoutes, or the Gateway API. */
  public readonly routingApi: RoutingApi;
  /** One Traefik per tenant, or one shared. */
  public readonly traefikTopology: TraefikTopology;
  /** Whether tenant hosts under the wildcard use its certificate on their Gateway listeners. */
  public readonly wildcardCertificate: boolean;
  /**
   * The Traefik every tenant shares.
   * @default - none unless `routing.traefik` is `TraefikTopology.SHARED`
   */
  public readonly sharedTraefik?: SharedTraefik;
  /** The platform Namespace. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** The NetworkPolicy that denies all traffic in the platform namespace but what each Traefik's own allows. */
  public readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  /** The TLSOption `default`. */
  public readonly tlsOption: ApiObject;
  /** The admission policies of every tenant namespace. */
  public readonly admission: AdmissionGuardRails;
  /**
   * The GitOps app of the platform's file.
   * @default - none without `gitops`
   */
  public readonly gitopsApp?: GitOpsApp;
  private readonly _allowedDomains: string[];
  private readonly _reservedNamespaces: string[];
  private _wildcard?: WildcardTlsStore;
  /** Tenant name → where its TenantNamespace is (names only: a platform may outlive the Apps of its tenants). */
  private readonly tenants = new Map<string, string>();
  /** Domain → the tenant that serves it. */
  private readonly domainOwners = new Map<string, string>();
  /** Node port → who claimed it: `tenant \`a\` (web)`. */
  private readonly nodePortOwners = new Map<number, string>();

  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id);
    brand(this, 'Platform');
    const namespace = props.namespace ?? DEFAULTS.platform.traefikNamespace;
    const refusals = new PropChecks('Platform');
    refusals.check('namespace', checkPlatformNamespace(namespace), PLATFORM_NAMESPACE);
    if (props.traefikImage !== undefined) refusals.parse('traefikImage', fields.traefikImage, props.traefikImage);
    if (props.tlsMinVersion !== undefined) refusals.parse('tlsMinVersion', z.enum(Object.values(TlsVersion)), props.tlsMinVersion);
    if (props.admission !== undefined) refusals.parse('admission', z.enum(Object.values(AdmissionMode)), props.admission);
    if (props.outputFormat !== undefined) refusals.parse('outputFormat', z.enum(Object.values(OutputFormat)), props.outputFormat);
    const allowed = props.allowedDomains === undefined ? [] : refusals.parse('allowedDomains',
      z.array(fields.domain).min(1, { error: 'lists no zone, which would refuse every domain — list the zones tenants may use, or leave it out' }), props.allowedDomains);
    const reserved = props.reservedNamespaces === undefined ? [] : refusals.parse('reservedNamespaces', fields.reservedNamespaces, props.reservedNamespaces);
    if (props.network !== undefined) {
      refusals.parse('network', z.strictObject({ podCidrs: cidrs, serviceCidrs: cidrs, apiServerCidrs: cidrs }), props.network);
    }
    if (props.priorityClasses !== undefined) refusals.parse('priorityClasses', fields.priorityClasses, props.priorityClasses);
    if (props.monitoring !== undefined) {
      const before = refusals.count;
      refusals.parse('monitoring', fields.monitoring, props.monitoring);
      if (refusals.count === before) refusals.check('monitoring.namespace', checkMonitoringNamespace(props.monitoring.namespace, namespace), MONITORING_NAMESPACE);
    }
    if (props.ca !== undefined) refusals.parse('ca', fields.platformCA, props.ca);
    if (props.externalSecrets !== undefined) {
      const vault = props.externalSecrets.vault ?? {};
      for (const field of VAULT_FIELDS) {
        if (field === 'server' || vault[field] !== undefined) refusals.parse(`externalSecrets.vault.${field}`, fields.vaultField(field), vault[field]);
      }
      if (vault.version !== undefined) refusals.parse('externalSecrets.vault.version', z.enum(['v1', 'v2']), vault.version);
    }
    if (props.gitops !== undefined) {
      if (!(props.gitops instanceof GitOps)) {
        refusals.check('gitops', NOT_GITOPS);
      } else {
        const spec = props.gitops._spec;
        const written = 'argocd' in spec ? spec.argocd.namespace : spec.flux.namespace;
        const engineDefault = 'argocd' in spec ? DEFAULTS.platform.argocd.namespace : DEFAULTS.platform.flux.namespace;
        if (written !== undefined) refusals.check(`gitops.${props.gitops.engine}.namespace`, checkGitOpsNamespace(written, namespace, engineDefault), GITOPS_NAMESPACE);
      }
    }
    const routing = props.routing ?? {};
    const api = routing.api ?? DEFAULTS.platform.routing.api as RoutingApi;
    const topology = routing.traefik ?? DEFAULTS.platform.routing.traefik as TraefikTopology;
    if (routing.api !== undefined) refusals.parse('routing.api', z.enum(Object.values(RoutingApi)), routing.api);
    if (routing.traefik !== undefined) refusals.parse('routing.traefik', z.enum(Object.values(TraefikTopology)), routing.traefik);
    refusals.check('routing.traefik', checkRoutingTopology(api, topology), SHARED_TRAEFIK_NEEDS_GATEWAY);
    if (routing.wildcardCertificate === true) {
      refusals.check('routing.wildcardCertificate', api !== RoutingApi.GATEWAY ? WILDCARD_CERTIFICATE_NEEDS_GATEWAY
        : props.wildcard === undefined ? WILDCARD_CERTIFICATE_NEEDS_WILDCARD.replace('`platform.wildcard`', '`wildcard`') : undefined);
    }
    if (routing.sharedTraefik !== undefined && topology !== TraefikTopology.SHARED) refusals.check('routing.sharedTraefik', SHARED_TRAEFIK_SETTINGS_UNUSED);
    refusals.done();
    this.namespaceName = namespace;
    this.routingApi = api;
    this.traefikTopology = topology;
    this.wildcardCertificate = routing.wildcardCertificate === true;
    this.traefikImage = props.traefikImage ?? DEFAULTS.platform.traefikImage;
    this.admissionMode = props.admission ?? DEFAULTS.platform.admission as AdmissionMode;
    this.outputFormat = props.outputFormat ?? OutputFormat.YAML;
    this.externalSecrets = props.externalSecrets;
    this.gitops = props.gitops;
    this._allowedDomains = [...allowed];
    this._reservedNamespaces = [...reserved];
    this.network = props.network;
    this.priorityClasses = props.priorityClasses && [...props.priorityClasses];
    this.monitoring = props.monitoring && { namespace: props.monitoring.namespace, serviceMonitorLabels: props.monitoring.serviceMonitorLabels && { ...props.monitoring.serviceMonitorLabels } };

    const labels = platformLabels();
    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          ...podSecurityLabels('restricted'),
        },
      },
    });
    // Every tenant's Traefik runs here: nothing enters or leaves but what each Traefik's own policy allows.
    this.defaultDenyPolicy = new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: PLATFORM_NAMES.defaultDeny, namespace, labels },
      spec: defaultDenySpec(),
    });
    this.tlsOption = new TlsOption(this, 'TLSOption', {
      metadata: { name: PLATFORM_NAMES.tlsOption, namespace, labels },
      spec: { minVersion: props.tlsMinVersion ?? DEFAULTS.platform.tlsMinVersion },
    });
    if (props.ca) this.caIssuer = new PlatformCaIssuer(this, 'CA', { secretName: props.ca.secretName, certManager: props.ca.certManager });
    if (props.wildcard) {
      new WildcardTlsStore(this, 'Wildcard', { ...props.wildcard, platform: this });
    }
    if (topology === TraefikTopology.SHARED) this.sharedTraefik = new SharedTraefik(this, 'SharedTraefik', { ...routing.sharedTraefik, platform: this });
    this.admission = new AdmissionGuardRails(this, 'Admission', {
      mode: this.admissionMode,
      externalSecrets: props.externalSecrets !== undefined,
      gatewayRoutes: api === RoutingApi.GATEWAY,
    });
    if (props.gitops) {
      this.gitopsApp = new GitOpsApp(this, 'GitOps', {
        name: PLATFORM_GITOPS_NAME,
        file: PLATFORM_OUTPUT_FILE,
        ...(this.outputFormat === OutputFormat.HELM ? { chart: PLATFORM_CHART } : {}),
        gitops: props.gitops,
        labels,
      });
    }
    refuseChartNamespace(this);
  }

  /**
   * The platform's wildcard certificate and default TLSStore.
   * @default - none
   */
  public get wildcard(): WildcardTlsStore | undefined {
    return this._wildcard;
  }

  /** Zones tenant domains must lie under; empty when any domain is allowed (a copy). */
  public get allowedDomains(): string[] {
    return [...this._allowedDomains];
  }

  /** Namespaces no tenant may be named beyond the built-in list (a copy). */
  public get reservedNamespaces(): string[] {
    return [...this._reservedNamespaces];
  }

  /** The network as the threat checks read it. @internal */
  public get _clusterNetwork(): ClusterNetwork {
    return clusterNetwork(this.network);
  }

  /** The names of the tenants on this platform so far (a copy). */
  public get tenantNames(): string[] {
    return [...this.tenants.keys()];
  }

  /**
   * Adds a tenant to this platform, as a child of it: its namespace and guard rails, its own
   * Traefik, its Issuer and Certificates (and its SecretStore and GitOps app when the platform
   * has them).
   */
  public addTenant(id: string, options: TenantOptions): Tenant {
    return new Tenant(this, id, { ...options, platform: this });
  }

  /** Why a tenant of this name cannot join, or undefined. @internal */
  public _tenantRefusal(name: string): string | undefined {
    const first = this.tenants.get(name);
    return first === undefined ? undefined : `tenant \`${name}\` is already on this platform (\`${first}\`) — rename one or merge them`;
  }

  /** Records a tenant (its TenantNamespace judged it first). @internal */
  public _registerTenant(name: string, path: string): void {
    this.tenants.set(name, path);
  }

  /** The tenant that serves `domain`, if any. @internal */
  public _domainOwner(domain: string): string | undefined {
    return this.domainOwners.get(domain);
  }

  /** Records that `tenant` serves `domain` (its TenantNamespace judged it first). @internal */
  public _claimDomain(domain: string, tenant: string): void {
    this.domainOwners.set(domain, tenant);
  }

  /**
   * Whether `domain`'s listener uses the platform wildcard's certificate: `wildcardCertificate`
   * is on and the wildcard names the host, or its parent zone as `*.zone`. @internal
   */
  public _servedByWildcard(domain: string): boolean {
    return this.wildcardCertificate && wildcardCovers(this._wildcard?.dnsNames ?? [], domain);
  }

  /** Who claimed `port` as a fixed node port, if anyone. @internal */
  public _nodePortOwner(port: number): string | undefined {
    return this.nodePortOwners.get(port);
  }

  /** Records that `owner` (`tenant \`a\` (web)`) claims node port `port` (its ScopedTraefik judged it first). @internal */
  public _claimNodePort(port: number, owner: string): void {
    this.nodePortOwners.set(port, owner);
  }

  /** Records the platform's wildcard (it judged that it is the first). @internal */
  public _attachWildcard(wildcard: WildcardTlsStore): void {
    this._wildcard = wildcard;
  }

  /** The GitOps engine's namespace and the prop that sets it, which no tenant may be named. @internal */
  public get _gitopsNamespace(): { namespace: string; prop: string } | undefined {
    return this.gitops && { namespace: this.gitops.namespace, prop: `gitops.${this.gitops.engine}.namespace` };
  }
}

/** `ClusterNetworkOptions` under the spec's names (`platform.network`), as the threat checks read them. */
function clusterNetwork(options: ClusterNetworkOptions | undefined): ClusterNetwork {
  return { podCIDRs: options?.podCidrs, serviceCIDRs: options?.serviceCidrs, apiServerCIDRs: options?.apiServerCidrs };
}
