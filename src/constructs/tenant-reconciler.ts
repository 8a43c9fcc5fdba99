import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { TENANT_RECONCILER } from '../model/names';
import { tenantLabels } from './labels';
import type { TenantNamespace } from './tenant-namespace';

/** Props of `TenantReconciler`. */
export interface TenantReconcilerProps {
  /** The tenant: the ServiceAccount goes into its namespace, bound to its owners' Role. */
  readonly tenantNamespace: TenantNamespace;
}

/**
 * The identity a tenant's own Flux Kustomizations impersonate (`serviceAccountName:
 * tenant-reconciler`): a ServiceAccount in the tenant's namespace bound to the owners' Role, so
 * whatever a tenant's GitOps applies, it can do no more than the owners themselves — never touch
 * the guard rails, never leave the namespace. Flux's own identity stays the platform's.
 */
export class TenantReconciler extends Construct {
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** Its binding to the owners' Role. */
  public readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: TenantReconcilerProps) {
    super(scope, id);
    const ns = props.tenantNamespace;
    const labels = tenantLabels(ns.tenantName);
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: TENANT_RECONCILER, namespace: ns.namespaceName, labels },
      automountServiceAccountToken: false,
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: TENANT_RECONCILER, namespace: ns.namespaceName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: ns.ownerRole.name },
      subjects: [{ kind: 'ServiceAccount', name: TENANT_RECONCILER, namespace: ns.namespaceName }],
    });
  }
}
