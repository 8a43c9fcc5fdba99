/**
 * The threat catalogue: every way a tenant could reach another tenant or the platform (and
 * every way the setup breaks), once, with the enforcers at each layer. The spec reader, the
 * constructs, the Helm values, the admission policies, the audit, the self-check and the docs
 * all read it from here. See `threat.ts` for the shape of an entry.
 */
import { CheckContext, CheckResult, Finding, KubeObjectLike, runDetectors } from './detect/engine';
import { CERTIFICATE_THREATS } from './certificates';
import { GATEWAY_THREATS } from './gateway';
import { GITOPS_THREATS } from './gitops';
import { NAMESPACE_THREATS } from './namespaces';
import { NETWORK_THREATS } from './network';
import { POD_THREATS } from './pods';
import { RBAC_THREATS } from './rbac';
import { RESOURCE_THREATS } from './resources';
import { SECRET_THREATS } from './secrets';
import { Threat } from './threat';
import { TRAEFIK_THREATS } from './traefik';
import { VCLUSTER_THREATS } from './vcluster';

/**
 * Every threat, family by family. The order is the order of the docs and of the validations
 * inside each admission policy.
 */
export const THREATS: readonly Threat[] = [
  ...NAMESPACE_THREATS,
  ...RBAC_THREATS,
  ...POD_THREATS,
  ...NETWORK_THREATS,
  ...TRAEFIK_THREATS,
  ...GATEWAY_THREATS,
  ...SECRET_THREATS,
  ...CERTIFICATE_THREATS,
  ...GITOPS_THREATS,
  ...RESOURCE_THREATS,
  ...VCLUSTER_THREATS,
];

const BY_ID = new Map(THREATS.map((t) => [t.id, t]));

/** The threat with this id; throws for an unknown id (a typo in code, not in input). */
export function threatById(id: string): Threat {
  const threat = BY_ID.get(id);
  if (!threat) throw new Error(`no threat \`${id}\` in the catalogue`);
  return threat;
}

/** Threats the audit judges in manifests of any origin (the audit's rule list). */
export function auditThreats(): Threat[] {
  return THREATS.filter((t) => !('none' in t.audit) && t.audit.scope === 'all');
}

/** Runs every detector; answers with the findings, worst first, and notes on what could not be judged. */
export function runChecks(objects: readonly KubeObjectLike[], ctx: CheckContext): CheckResult {
  return runDetectors(objects, ctx, THREATS);
}

/** Runs every detector; answers with the findings, worst first. */
export function checkIsolation(objects: readonly KubeObjectLike[], ctx: CheckContext): Finding[] {
  return runChecks(objects, ctx).findings;
}
