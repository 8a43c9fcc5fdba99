import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ADMISSION_MODES, admissionEngine } from '../admission/engines';
import { admissionPolicies } from '../admission/policies';
import { DEFAULTS } from '../defaults';
import { platformLabels } from './labels';
import { PropChecks } from './refuse';

/** How the admission guard rails of tenant namespaces are enforced. */
export enum AdmissionMode {
  /** A ValidatingAdmissionPolicy and its `Deny` binding per policy (Kubernetes 1.30+, no extra component). */
  NATIVE = 'native',
  /** A Kyverno ClusterPolicy per policy, in Enforce mode (Kyverno 1.13+). */
  KYVERNO = 'kyverno',
  /** An OPA Gatekeeper ConstraintTemplate (CEL, K8sNativeValidation) and its Constraint per policy (Gatekeeper 3.22+). */
  GATEKEEPER = 'gatekeeper',
  /** Nothing: only when another admission layer enforces the same rules. Tenant Namespaces then carry no domains annotation. */
  NONE = 'none',
}

/** Props of `AdmissionGuardRails`. */
export interface AdmissionGuardRailsProps {
  /**
   * How the guard rails are enforced.
   * @default AdmissionMode.NATIVE
   */
  readonly mode?: AdmissionMode;
  /**
   * Add the policy that keeps ExternalSecrets on their own namespace's SecretStore. Only when the
   * External Secrets Operator is in use: Kyverno refuses a policy for a kind it does not know.
   * @default false
   */
  readonly externalSecrets?: boolean;
  /**
   * Add the policy that keeps Gateway API routes on the tenant's own hosts and Gateway. Only
   * where tenants route through the Gateway API: Kyverno refuses a policy for a kind it does not know.
   * @default false
   */
  readonly gatewayRoutes?: boolean;
}

/**
 * The shared admission policies of every tenant namespace: they select tenant namespaces by
 * label and read each tenant's domains from its Namespace, so they live once in the platform's
 * file and adding a tenant changes none of them. `Platform` builds one.
 */
export class AdmissionGuardRails extends Construct {
  /** The mode the policies are rendered for. */
  public readonly mode: AdmissionMode;
  /** The policies' objects (none in mode `NONE`). */
  public readonly apiObjects: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: AdmissionGuardRailsProps = {}) {
    super(scope, id);
    const mode = props.mode ?? DEFAULTS.platform.admission as AdmissionMode;
    const refusals = new PropChecks('AdmissionGuardRails');
    refusals.parse('mode', z.enum(ADMISSION_MODES), mode);
    refusals.done();
    this.mode = mode;
    const engine = admissionEngine(mode);
    if (!engine) return;
    const labels = platformLabels();
    for (const policy of admissionPolicies({ externalSecrets: props.externalSecrets ?? false, gateway: props.gatewayRoutes ?? false })) {
      for (const { id: objectId, ...object } of engine.render(policy, labels)) {
        this.apiObjects.push(new ApiObject(this, objectId, object));
      }
    }
  }
}
