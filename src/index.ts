// The library's public API, as cdk8s users (and, through jsii, Python, Java, Go and C# users)
// see it: the constructs, their props, enums and variant classes, and the errors they throw.
// Only re-exports. The spec reader and JSON Schema are at `cdk8s-tenancy/spec`, the audit and
// the threat catalogue at `cdk8s-tenancy/audit`; everything else is internal.
export { Platform, TlsVersion, OutputFormat, RoutingApi, TraefikTopology } from './constructs/platform';
export type { PlatformProps, ClusterNetworkOptions, PlatformCaOptions, CertManagerOptions, RoutingOptions, MonitoringOptions } from './constructs/platform';
export { PlatformCaIssuer } from './constructs/platform-ca-issuer';
export type { PlatformCaIssuerProps } from './constructs/platform-ca-issuer';
export { TenantCertificatePolicy } from './constructs/tenant-certificate-policy';
export type { TenantCertificatePolicyProps } from './constructs/tenant-certificate-policy';
export { Tenant, TenantIsolation } from './constructs/tenant';
export type { TenantProps, TenantOptions } from './constructs/tenant';
export { TenantNamespace, TenantOwner, PodSecurityLevel, SecretsAccess } from './constructs/tenant-namespace';
export type {
  TenantNamespaceProps, TenantNamespaceOptions, TenantOwners, TenantQuota, TenantLimitRange, ResourceQuantities, EgressRule,
} from './constructs/tenant-namespace';
export { ScopedTraefik, TraefikLogLevel } from './constructs/scoped-traefik';
export type { ScopedTraefikProps, ScopedTraefikOptions, ContainerResources } from './constructs/scoped-traefik';
export { TenantVirtualCluster } from './constructs/tenant-virtual-cluster';
export type { TenantVirtualClusterProps, TenantVirtualClusterOptions } from './constructs/tenant-virtual-cluster';
export { SharedTraefik } from './constructs/shared-traefik';
export type { SharedTraefikProps, SharedTraefikOptions } from './constructs/shared-traefik';
export { TenantGateway } from './constructs/tenant-gateway';
export type { TenantGatewayProps } from './constructs/tenant-gateway';
export { TraefikServiceType, ExternalTrafficPolicy } from './constructs/traefik-service';
export type { TraefikServiceOptions, TraefikNodePorts } from './constructs/traefik-service';
export { TraefikSpread, TolerationOperator, TaintEffect } from './constructs/traefik-scheduling';
export type { TraefikToleration } from './constructs/traefik-scheduling';
export { TenantIssuer, TenantIssuerSource } from './constructs/tenant-issuer';
export type { TenantIssuerProps, AcmeIssuerOptions, CaIssuerOptions } from './constructs/tenant-issuer';
export { WildcardTlsStore, Dns01Solver, SecretSyncTool } from './constructs/wildcard-tls-store';
export type {
  WildcardTlsStoreProps, WildcardTlsStoreOptions, WildcardAcmeOptions, CloudflareDns01Options, Route53Dns01Options, SecretKeyReference, SecretSync,
} from './constructs/wildcard-tls-store';
export { AdmissionGuardRails, AdmissionMode } from './constructs/admission-guard-rails';
export type { AdmissionGuardRailsProps } from './constructs/admission-guard-rails';
export { TenantSecretStore, VaultKvVersion } from './constructs/tenant-secret-store';
export type { TenantSecretStoreProps, ExternalSecretsOptions, VaultOptions } from './constructs/tenant-secret-store';
export { GitOpsApp, GitOps } from './constructs/gitops-app';
export type { GitOpsAppProps, ArgoCdOptions, FluxOptions, GitOpsCluster } from './constructs/gitops-app';
export { FleetGitOps } from './constructs/fleet-gitops';
export type { FleetGitOpsProps, FleetClusterOptions } from './constructs/fleet-gitops';
export type { GroupKind } from './constructs/project-kinds';
export { TenantAppProject } from './constructs/tenant-app-project';
export type { TenantAppProjectProps } from './constructs/tenant-app-project';
export { TenantReconciler } from './constructs/tenant-reconciler';
export type { TenantReconcilerProps } from './constructs/tenant-reconciler';
export { TenantCluster } from './constructs/tenant-cluster';
export type { TenantClusterProps, TenantClusterWorkers } from './constructs/tenant-cluster';
export { Tenancy } from './constructs/tenancy';
export { RefusedPropError } from './constructs/refuse';
export type { PropProblem } from './constructs/refuse';
export { SpecError } from './spec/errors';
export type { SpecProblem } from './spec/errors';
