import { Construct } from 'constructs';
import { ANNOTATIONS, gitopsAppName, PLATFORM_NAMES, tenantChartName, tenantOutputFile, tenantReleaseName } from '../model/names';
import { TenantCertificatePolicy } from './tenant-certificate-policy';
import { AdmissionMode, ExternalSecretsModel, GitOpsModel, OutputFormat, PlatformCAModel, PlatformModel, TenantModel } from '../model/tenancy-model';
import { DEFAULTS } from '../defaults';
import { ClusterNetwork } from '../threats/network';
import { GitOpsApp } from './gitops-app';
import { tenantLabels } from './labels';
import { ScopedTraefik } from './scoped-traefik';
import { TenantIssuer } from './tenant-issuer';
import { TenantNamespace } from './tenant-namespace';
import { TenantSecretStore } from './tenant-secret-store';

export interface TenantProps {
  /** The resolved tenant (see `resolveTenancy`). */
  readonly tenant: TenantModel;
  /** Platform namespace, where the tenant's Traefik runs. @default 'traefik' */
  readonly platformNamespace?: string;
  /** Traefik image. @default 'traefik:v3.7.11' */
  readonly traefikImage?: string;
  /**
   * The platform's admission mode. Unless `none`, the Namespace carries the tenant's domains
   * in the `tenancy.cdk8s.io/domains` annotation, which the shared policies read.
   * @default 'native'
   */
  readonly admission?: AdmissionMode;
  /** The cluster's pod and Service ranges, excepted from the tenant's broad egress. @default - only the metadata ranges are excepted */
  readonly network?: ClusterNetwork;
  /** The PriorityClasses the tenant's pods may use. @default - any but the system classes */
  readonly priorityClasses?: readonly string[];
  /** The platform's shared CA, for a tenant whose issuer is `platformCA`. @default - none */
  readonly platformCA?: PlatformCAModel;
  /** A SecretStore scoped to this tenant, and ExternalSecret rights for its owners. @default - none */
  readonly externalSecrets?: ExternalSecretsModel;
  /** An Argo CD Application, or Flux GitRepository and Kustomization, that applies this tenant's file. @default - none */
  readonly gitops?: GitOpsModel;
  /** The output the GitOps app points at: the tenant's YAML file, or (Argo CD only) its Helm chart. @default 'yaml' */
  readonly outputFormat?: OutputFormat;
}

/** Everything one tenant gets: its namespace and guard rails, its own Traefik, its Issuer and Certificates. */
export class Tenant extends Construct {
  /** The tenant's namespace and guard rails. */
  public readonly namespace: TenantNamespace;

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const t = props.tenant;
    const admission = props.admission ?? DEFAULTS.platform.admission;
    this.namespace = new TenantNamespace(this, 'Namespace', {
      name: t.name,
      team: t.team,
      environment: t.environment,
      podSecurity: t.podSecurity,
      quota: t.quota,
      limits: t.limits,
      owners: t.owners,
      secrets: t.secrets,
      traefikNamespace: props.platformNamespace,
      egress: t.egress,
      network: props.network,
      priorityClasses: props.priorityClasses,
      ...(admission !== 'none' ? {
        annotations: {
          [ANNOTATIONS.domains]: t.domains.join(','),
          ...('platformCA' in t.issuer ? { [ANNOTATIONS.clusterIssuer]: PLATFORM_NAMES.caIssuer } : {}),
        },
      } : {}),
      externalSecrets: props.externalSecrets !== undefined,
    });
    const traefik = new ScopedTraefik(this, 'Traefik', {
      tenant: t.name,
      namespace: props.platformNamespace,
      image: props.traefikImage,
      replicas: t.traefik.replicas,
      serviceType: t.traefik.serviceType,
      logLevel: t.traefik.logLevel,
      resources: t.traefik.resources,
      network: props.network,
    });
    new TenantIssuer(this, 'Issuer', {
      tenant: t.name,
      issuer: t.issuer,
      domains: t.domains,
      ingressClass: traefik.ingressClass,
    });
    if ('platformCA' in t.issuer) {
      new TenantCertificatePolicy(this, 'CertificatePolicy', { tenant: t.name, domains: t.domains, certManager: props.platformCA?.certManager });
    }
    if (props.externalSecrets) {
      new TenantSecretStore(this, 'SecretStore', { tenant: t.name, vault: props.externalSecrets.vault });
    }
    if (props.gitops) {
      new GitOpsApp(this, 'GitOps', {
        name: gitopsAppName(t.name),
        file: tenantOutputFile(t.name),
        ...(props.outputFormat === 'helm' ? { chart: tenantChartName(t.name), release: tenantReleaseName(t.name) } : {}),
        gitops: props.gitops,
        labels: tenantLabels(t.name),
      });
    }
  }
}

/** The props of one tenant of a resolved Tenancy (the CLI and the `Tenancy` construct build it alike). */
export function tenantPropsOf(tenant: TenantModel, p: PlatformModel, outputFormat: OutputFormat = 'yaml'): TenantProps {
  return {
    tenant,
    platformNamespace: p.namespace,
    traefikImage: p.traefikImage,
    admission: p.admission,
    network: p.network,
    priorityClasses: p.priorityClasses,
    platformCA: p.ca,
    externalSecrets: p.externalSecrets,
    gitops: p.gitops,
    outputFormat,
  };
}
