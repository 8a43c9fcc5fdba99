import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { SECRET_STORE_NAMES } from '../model/names';
import { tenantNames } from '../model/names';
import { DEFAULTS } from '../defaults';
import { VaultStoreModel } from '../model/tenancy-model';
import * as fields from '../spec/schema';
import { fillTenant, VaultField } from '../threats/secrets';
import { tenantLabels } from './labels';
import { PropChecks } from './refuse';

export interface TenantSecretStoreProps {
  /** The tenant; the SecretStore and its ServiceAccount go into its namespace. */
  readonly tenant: string;
  /**
   * Vault, reached through the External Secrets Operator with Kubernetes auth. `path` (the KV
   * mount) and `role` are templates that must contain `{tenant}`: the Vault role, bound to this
   * tenant's ServiceAccount and namespace, is what keeps one tenant out of another's secrets.
   */
  readonly vault: {
    readonly server: string;
    /** @default 'tenants/{tenant}' */
    readonly path?: string;
    /** @default 'v2' */
    readonly version?: VaultStoreModel['version'];
    /** @default 'tenant-{tenant}' */
    readonly role?: string;
    /** @default 'kubernetes' */
    readonly authMountPath?: string;
  };
}

/**
 * A tenant's own way to its secrets: a namespaced `SecretStore` (external-secrets.io/v1, never
 * a ClusterSecretStore) that logs in to Vault as the tenant's `tenant-secrets` ServiceAccount,
 * with a Vault role and KV mount named after the tenant. Owners may then write ExternalSecrets
 * that read through it; the SecretStore itself stays read-only to them.
 */
export class TenantSecretStore extends Construct {
  /** Name of the SecretStore that the tenant's ExternalSecrets reference. */
  public readonly storeName: string;

  constructor(scope: Construct, id: string, props: TenantSecretStoreProps) {
    super(scope, id);
    const V = DEFAULTS.platform.vault;
    const path = props.vault.path ?? V.path;
    const role = props.vault.role ?? V.role;
    const authMountPath = props.vault.authMountPath ?? V.authMountPath;
    const refusals = new PropChecks('TenantSecretStore');
    const values: Record<VaultField, string> = { server: props.vault.server, path, role, authMountPath };
    for (const [field, value] of Object.entries(values) as Array<[VaultField, string]>) refusals.parse(`vault.${field}`, fields.vaultField(field), value);
    refusals.done();

    const namespace = tenantNames(props.tenant).namespace;
    const labels = tenantLabels(props.tenant);
    this.storeName = SECRET_STORE_NAMES.secretStore;

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: SECRET_STORE_NAMES.serviceAccount, namespace, labels },
      automountServiceAccountToken: false,
    });
    new ApiObject(this, 'SecretStore', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: SECRET_STORE_NAMES.secretStore, namespace, labels },
      spec: {
        provider: {
          vault: {
            server: props.vault.server,
            path: fillTenant(path, props.tenant),
            version: props.vault.version ?? V.version,
            auth: {
              kubernetes: {
                mountPath: authMountPath,
                role: fillTenant(role, props.tenant),
                serviceAccountRef: { name: SECRET_STORE_NAMES.serviceAccount },
              },
            },
          },
        },
      },
    });
  }
}
