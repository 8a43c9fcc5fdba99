import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ADMISSION_MODES, AdmissionMode, admissionEngine } from '../admission/engines';
import { admissionPolicies } from '../admission/policies';
import { DEFAULTS } from '../defaults';
import { platformLabels } from './labels';
import { PropChecks } from './refuse';

export interface AdmissionGuardRailsProps {
  /**
   * How the guard rails are enforced: `native` renders a ValidatingAdmissionPolicy and its
   * binding per policy (Kubernetes ≥ 1.30, no extra component); `kyverno` a Kyverno ClusterPolicy
   * per policy, in Enforce mode (Kyverno ≥ 1.13); `gatekeeper` an OPA Gatekeeper
   * ConstraintTemplate (CEL, K8sNativeValidation) and its Constraint per policy (Gatekeeper ≥
   * 3.22); `none` renders nothing.
   * @default 'native'
   */
  readonly mode?: AdmissionMode;
  /**
   * Add the policy that keeps ExternalSecrets on their own namespace's SecretStore. Only when the
   * External Secrets Operator is in use: Kyverno refuses a policy for a kind it does not know.
   * @default false
   */
  readonly externalSecrets?: boolean;
}

/**
 * The shared admission policies of every tenant namespace (see `admission/policies.ts`): they
 * select tenant namespaces by label and read each tenant's domains from its Namespace, so they
 * live once in the platform's file and adding a tenant changes none of them.
 */
export class AdmissionGuardRails extends Construct {
  constructor(scope: Construct, id: string, props: AdmissionGuardRailsProps = {}) {
    super(scope, id);
    const mode = props.mode ?? DEFAULTS.platform.admission;
    const refusals = new PropChecks('AdmissionGuardRails');
    refusals.parse('mode', z.enum(ADMISSION_MODES), mode);
    refusals.done();
    const engine = admissionEngine(mode);
    if (!engine) return;
    const labels = platformLabels();
    for (const policy of admissionPolicies({ externalSecrets: props.externalSecrets ?? false })) {
      for (const { id: objectId, ...object } of engine.render(policy, labels)) {
        new ApiObject(this, objectId, object);
      }
    }
  }
}
