import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AdmissionMode } from '../model/tenancy-model';
import {
  admissionRules,
  kyvernoAnnotations,
  kyvernoClusterPolicySpec,
  validatingAdmissionPolicyBindingSpec,
  validatingAdmissionPolicySpec,
} from '../policy/admission';
import { DEFAULTS } from '../spec/defaults';
import { platformLabels } from './labels';
import { RefusedPropError } from './refuse';

export interface AdmissionGuardRailsProps {
  /**
   * How the guard rails are enforced: `native` renders a ValidatingAdmissionPolicy and its
   * binding per rule (Kubernetes ≥ 1.30, no extra component); `kyverno` renders a Kyverno
   * ClusterPolicy per rule, in Enforce mode (Kyverno ≥ 1.13); `none` renders nothing.
   * @default 'native'
   */
  readonly mode?: AdmissionMode;
  /**
   * Add the rule that keeps ExternalSecrets on their own namespace's SecretStore. Only when the
   * External Secrets Operator is in use: Kyverno refuses a policy for a kind it does not know.
   * @default false
   */
  readonly externalSecrets?: boolean;
}

/**
 * The shared admission policies of every tenant namespace (see `policy/admission.ts`): they
 * select tenant namespaces by label and read each tenant's domains from its Namespace, so
 * they live once in the platform's file and adding a tenant changes none of them.
 */
export class AdmissionGuardRails extends Construct {
  constructor(scope: Construct, id: string, props: AdmissionGuardRailsProps = {}) {
    super(scope, id);
    const mode = props.mode ?? (DEFAULTS.platform.admission as AdmissionMode);
    if (!['native', 'kyverno', 'none'].includes(mode)) {
      throw new RefusedPropError('AdmissionGuardRails', 'mode', `\`${String(mode)}\` is not an admission mode — use \`native\`, \`kyverno\` or \`none\``);
    }
    if (mode === 'none') return;
    const labels = platformLabels();
    for (const rule of admissionRules({ externalSecrets: props.externalSecrets ?? false })) {
      if (mode === 'native') {
        new ApiObject(this, `${rule.name}-policy`, {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name: rule.name, labels },
          spec: validatingAdmissionPolicySpec(rule),
        });
        new ApiObject(this, `${rule.name}-binding`, {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicyBinding',
          metadata: { name: rule.name, labels },
          spec: validatingAdmissionPolicyBindingSpec(rule),
        });
      } else {
        new ApiObject(this, `${rule.name}-kyverno`, {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: rule.name, labels, annotations: kyvernoAnnotations(rule) },
          spec: kyvernoClusterPolicySpec(rule),
        });
      }
    }
  }
}
