/** What an admission engine is: a way to render the shared policies as objects a cluster runs. */
import { AdmissionPolicy } from './policies';

/** One object an engine renders for a policy (cluster-scoped: no namespace). */
export interface AdmissionObject {
  /** Construct id, unique among the engine's objects. */
  readonly id: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

export interface AdmissionEngine {
  /** The value of `platform.admission` that picks it. */
  readonly mode: string;
  /** The objects, in a phrase for chart notes: `ValidatingAdmissionPolicies (Deny)`. */
  readonly objects: string;
  /** What the cluster must run, in a phrase for chart READMEs: `Kubernetes 1.30+ (ValidatingAdmissionPolicy)`. */
  readonly requirement: string;
  /** The Kubernetes versions the platform chart accepts with this engine (Helm `kubeVersion`). */
  readonly kubeVersion?: string;
  /** The objects that enforce `policy`. */
  render(policy: AdmissionPolicy, labels: Record<string, string>): AdmissionObject[];
}
