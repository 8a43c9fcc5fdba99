import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults';
import { SECRET_STORE_NAMES } from '../model/names';
import { fillTenant } from '../threats/secrets';
import { isA } from './brand';
import { tenantLabels } from './labels';
import { PropChecks } from './refuse';
import type { TenantNamespace } from './tenant-namespace';

/** The version of Vault's KV secrets engine. */
export enum VaultKvVersion {
  /** KV version 1. */
  V1 = 'v1',
  /** KV version 2 (versioned). */
  V2 = 'v2',
}

/**
 * Vault, reached through the External Secrets Operator with Kubernetes auth. `path` and `role`
 * are templates that must contain `{tenant}`: the Vault role, bound to each tenant's
 * ServiceAccount and namespace, keeps one tenant out of another's secrets.
 */
export interface VaultOptions {
  /** The https URL of the Vault server, without credentials, e.g. `https://vault.example.com:8200`. */
  readonly server: string;
  /**
   * The KV mount of each tenant.
   * @default 'tenants/{tenant}'
   */
  readonly path?: string;
  /**
   * The KV version.
   * @default VaultKvVersion.V2
   */
  readonly version?: VaultKvVersion;
  /**
   * The Vault role each tenant's SecretStore logs in with.
   * @default 'tenant-{tenant}'
   */
  readonly role?: string;
  /**
   * Where Vault's Kubernetes auth method is mounted.
   * @default 'kubernetes'
   */
  readonly authMountPath?: string;
}

/** External Secrets for every tenant of a platform (the `externalSecrets` of `PlatformProps`). */
export interface ExternalSecretsOptions {
  /** The Vault every tenant's SecretStore reads from. */
  readonly vault: VaultOptions;
}

/** Props of `TenantSecretStore`. */
export interface TenantSecretStoreProps {
  /** The tenant; the SecretStore and its ServiceAccount go into its namespace, and its owners may then write ExternalSecrets. Its platform must have `externalSecrets`. */
  readonly tenantNamespace: TenantNamespace;
}

/** Props earlier versions took, and what to pass instead (for JavaScript callers). */
const MOVED = {
  tenant: 'pass the tenant\'s `tenantNamespace`',
  vault: 'Vault is the platform\'s: pass `externalSecrets: { vault }` to the `Platform`, whose admission then keeps ExternalSecrets on their own SecretStore',
};

/**
 * A tenant's own way to its secrets: a namespaced `SecretStore` (external-secrets.io/v1, never
 * a ClusterSecretStore) that logs in to the platform's Vault as the tenant's `tenant-secrets`
 * ServiceAccount, with a Vault role and KV mount named after the tenant. Owners may then write
 * ExternalSecrets that read through it; the SecretStore itself stays read-only to them.
 */
export class TenantSecretStore extends Construct {
  /** The tenant. */
  public readonly tenantNamespace: TenantNamespace;
  /** Name of the SecretStore that the tenant's ExternalSecrets reference. */
  public readonly storeName: string;
  /** The SecretStore. */
  public readonly storeObject: ApiObject;
  /** The ServiceAccount whose token the SecretStore presents to Vault. */
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: TenantSecretStoreProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantSecretStore');
    refusals.moved(props, MOVED);
    const tenantNamespace = props.tenantNamespace;
    refusals.check('tenantNamespace', !isA(tenantNamespace, 'TenantNamespace')
      ? 'is not a TenantNamespace — pass the TenantNamespace of the tenant'
      : tenantNamespace.platform.externalSecrets === undefined
        ? 'its platform has no `externalSecrets`: its admission would not keep ExternalSecrets on their own SecretStore — pass `externalSecrets: { vault }` to the `Platform`'
        : undefined);
    refusals.done();
    const vault = tenantNamespace.platform.externalSecrets!.vault;
    const V = DEFAULTS.platform.vault;
    const tenant = tenantNamespace.tenantName;
    const namespace = tenantNamespace.namespaceName;
    const labels = tenantLabels(tenant);
    this.tenantNamespace = tenantNamespace;
    this.storeName = SECRET_STORE_NAMES.secretStore;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: SECRET_STORE_NAMES.serviceAccount, namespace, labels },
      automountServiceAccountToken: false,
    });
    this.storeObject = new ApiObject(this, 'SecretStore', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: SECRET_STORE_NAMES.secretStore, namespace, labels },
      spec: {
        provider: {
          vault: {
            server: vault.server,
            path: fillTenant(vault.path ?? V.path, tenant),
            version: vault.version ?? V.version,
            auth: {
              kubernetes: {
                mountPath: vault.authMountPath ?? V.authMountPath,
                role: fillTenant(vault.role ?? V.role, tenant),
                serviceAccountRef: { name: SECRET_STORE_NAMES.serviceAccount },
              },
            },
          },
        },
      },
    });
    tenantNamespace._enableExternalSecrets();
  }
}
