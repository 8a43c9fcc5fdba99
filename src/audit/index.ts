// `cdk8s-tenancy/audit`: the audit of manifests this tool did not write, and the threat catalogue
// it (and the generator's self-check) runs. Not part of the jsii API: TypeScript and JavaScript only.
export { auditManifests, failing } from './audit';
export type { AuditOptions, AuditFinding, AuditResult } from './audit';
export { readManifests, parseManifests } from './read-manifests';
export type { ManifestSet, ManifestObject, SourceLocation, SkippedDocument, NotAudited } from './read-manifests';
export { formatReport, REPORT_FORMATS } from './report';
export type { ReportFormat, ReportOptions } from './report';
export { discoverTenants } from './tenants';
export type { TenantSource, TenantScope } from './tenants';
export { THREATS, threatById, auditThreats, checkIsolation, runChecks } from '../threats';
export type { Threat, Severity, Layer } from '../threats/threat';
export type { CheckContext, CheckResult, Finding, KubeObjectLike, SecretsPolicy } from '../threats/detect/engine';
