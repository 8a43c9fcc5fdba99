import { Construct } from 'constructs';
import { z } from 'zod';
import { DEFAULTS } from '../defaults';
import { gitopsAppName, tenantChartName, tenantOutputFile, tenantReleaseName } from '../model/names';
import { GitOpsApp } from './gitops-app';
import { tenantLabels } from './labels';
import { OutputFormat, Platform } from './platform';
import { NO_OWN_TRAEFIK } from '../spec/schema';
import { PropChecks } from './refuse';
import { ScopedTraefik, ScopedTraefikOptions } from './scoped-traefik';
import { TenantGateway } from './tenant-gateway';
import { TenantIssuer, TenantIssuerSource } from './tenant-issuer';
import { EgressRule, TenantNamespace, TenantNamespaceOptions, TenantOwner } from './tenant-namespace';
import { TenantSecretStore } from './tenant-secret-store';
import { TenantVirtualCluster, TenantVirtualClusterOptions, VCLUSTER_NEEDS_INGRESS_OF_PLATFORM } from './tenant-virtual-cluster';

/** How far a tenant is isolated from the others. */
export enum TenantIsolation {
  /** Its namespace's guard rails: Pod Security, quota, limits, NetworkPolicies, RBAC, its own Traefik and Issuer. */
  NAMESPACE = 'namespace',
  /** The same guard rails, and a virtual cluster (vCluster) of its own inside them: its own API server, CRDs and cluster-wide objects. */
  VCLUSTER = 'vcluster',
}

/** One tenant, apart from its platform (what `Platform.addTenant` takes). */
export interface TenantOptions extends TenantNamespaceOptions {
  /** How the tenant's certificates are signed: by an Issuer in its own namespace, or the platform's CA for its own domains only. */
  readonly issuer: TenantIssuerSource;
  /**
   * How the tenant's Traefik runs. Refused where the platform shares one Traefik.
   * @default - 2 replicas behind a LoadBalancer Service, log level INFO, requests 100m / 128Mi, limits 1 CPU / 512Mi
   */
  readonly traefik?: ScopedTraefikOptions;
  /**
   * How far the tenant is isolated: `VCLUSTER` adds a `TenantVirtualCluster` inside its namespace.
   * @default TenantIsolation.NAMESPACE
   */
  readonly isolation?: TenantIsolation;
  /**
   * The tenant's virtual cluster, with `isolation: TenantIsolation.VCLUSTER`.
   * @default - the platform's values only
   */
  readonly virtualCluster?: TenantVirtualClusterOptions;
}

/** Props of `Tenant`: its platform, and the tenant. */
export interface TenantProps extends TenantOptions {
  /** The platform the tenant belongs to. It may be in another chart, or another App. */
  readonly platform: Platform;
}

/** Props earlier versions took, and what to pass instead (for JavaScript callers). */
const MOVED = {
  tenant: 'pass the tenant\'s fields (`name`, `domains`, `owners`, …) themselves',
  platformNamespace: 'pass `platform`: the tenant reads its namespace from it',
  traefikImage: 'the image is the platform\'s: pass `traefikImage` to the `Platform`',
  admission: 'the admission mode is the platform\'s: pass `admission` to the `Platform`',
  externalSecrets: 'External Secrets are the platform\'s: pass `externalSecrets` to the `Platform`',
  gitops: 'GitOps is the platform\'s: pass `gitops` to the `Platform`',
  outputFormat: 'the output format is the platform\'s: pass `outputFormat` to the `Platform`',
};

/**
 * Everything one tenant gets: its namespace and guard rails (a `TenantNamespace`), its own
 * Traefik (a `ScopedTraefik`, unless its platform shares one), its Gateway where the platform
 * routes through the Gateway API (a `TenantGateway`), its Issuer and one Certificate per domain
 * (a `TenantIssuer`), and — when its platform has them — a `TenantSecretStore` and a `GitOpsApp`.
 *
 * Build it with `platform.addTenant(id, options)`, or `new Tenant(scope, id, { platform, ... })`
 * to put it in another chart (the CLI renders each tenant in an App of its own).
 */
export class Tenant extends Construct {
  /** The tenant's name (its namespace's). */
  public readonly name: string;
  /** The platform it belongs to. */
  public readonly platform: Platform;
  // jsii warns that `namespace` is a keyword in C#: C# capitalizes property names, so it is none there.
  /**
   * The tenant's namespace and guard rails.
   * @jsii suppress JSII5018
   */
  public readonly namespace: TenantNamespace;
  /**
   * The tenant's own Traefik.
   * @default - none where the platform shares one Traefik (`platform.sharedTraefik`)
   */
  public readonly traefik?: ScopedTraefik;
  /**
   * The tenant's Gateway, in the platform namespace.
   * @default - none where the platform routes with IngressRoutes
   */
  public readonly gateway?: TenantGateway;
  /** The tenant's Issuer and Certificates. */
  public readonly issuer: TenantIssuer;
  /**
   * The tenant's virtual cluster.
   * @default - none unless `isolation` is `TenantIsolation.VCLUSTER`
   */
  public readonly virtualCluster?: TenantVirtualCluster;
  /**
   * The tenant's SecretStore.
   * @default - none unless the platform has `externalSecrets`
   */
  public readonly secretStore?: TenantSecretStore;
  /**
   * The GitOps app of the tenant's file.
   * @default - none unless the platform has `gitops`
   */
  public readonly gitopsApp?: GitOpsApp;

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const refusals = new PropChecks('Tenant');
    refusals.moved(props, MOVED);
    const isolation = props.isolation ?? DEFAULTS.tenant.isolation as TenantIsolation;
    if (props.isolation !== undefined) refusals.parse('isolation', z.enum(Object.values(TenantIsolation)), props.isolation);
    refusals.check('virtualCluster', props.virtualCluster !== undefined && isolation !== TenantIsolation.VCLUSTER
      ? `applies to a tenant with \`isolation: vcluster\` only, and this one's isolation is \`${String(isolation)}\` — set \`isolation: vcluster\`, or remove the block`
      : undefined);
    if (props.platform?.sharedTraefik && props.traefik !== undefined) refusals.check('traefik', NO_OWN_TRAEFIK.replace('`platform.routing.sharedTraefik`', 'the Platform\'s `routing.sharedTraefik`'));
    refusals.check('isolation', isolation === TenantIsolation.VCLUSTER && props.platform?.routingApi === 'gateway' ? VCLUSTER_NEEDS_INGRESS_OF_PLATFORM : undefined);
    refusals.done();
    const { platform, issuer, traefik, isolation: _isolation, virtualCluster, ...namespaceOptions } = props;
    this.platform = platform;
    this.name = props.name;
    this.namespace = new TenantNamespace(this, 'Namespace', { ...namespaceOptions, platform });
    if (!platform.sharedTraefik) this.traefik = new ScopedTraefik(this, 'Traefik', { ...traefik, tenantNamespace: this.namespace });
    if (platform.routingApi === 'gateway') this.gateway = new TenantGateway(this, 'Gateway', { tenantNamespace: this.namespace, traefik: this.traefik });
    if (isolation === TenantIsolation.VCLUSTER) {
      this.virtualCluster = new TenantVirtualCluster(this, 'VirtualCluster', { ...virtualCluster, tenantNamespace: this.namespace });
    }
    this.issuer = new TenantIssuer(this, 'Issuer', { traefik: this.traefik, gateway: this.gateway, issuer });
    if (platform.externalSecrets) {
      this.secretStore = new TenantSecretStore(this, 'SecretStore', { tenantNamespace: this.namespace });
    }
    if (platform.gitops) {
      this.gitopsApp = new GitOpsApp(this, 'GitOps', {
        name: gitopsAppName(this.name),
        file: tenantOutputFile(this.name),
        ...(platform.outputFormat === OutputFormat.HELM ? { chart: tenantChartName(this.name), release: tenantReleaseName(this.name) } : {}),
        gitops: platform.gitops,
        labels: tenantLabels(this.name),
      });
    }
  }

  /** Adds a host the tenant serves: to its Namespace's domains annotation, and one more Certificate (see `TenantNamespace.addDomain`). */
  public addDomain(domain: string): void {
    this.namespace.addDomain(domain);
  }

  /** Adds an owner (see `TenantNamespace.addOwner`). */
  public addOwner(owner: TenantOwner): void {
    this.namespace.addOwner(owner);
  }

  /** Allows egress to more CIDRs (see `TenantNamespace.addEgress`). */
  public addEgress(rule: EgressRule): void {
    this.namespace.addEgress(rule);
  }
}
