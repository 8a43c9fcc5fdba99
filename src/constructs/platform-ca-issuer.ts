import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PLATFORM_NAMES } from '../model/names';
import * as fields from '../spec/schema';
import { platformLabels } from './labels';
import { PropChecks } from './refuse';
import type { CertManagerOptions } from './platform';

/** Props of `PlatformCaIssuer`. */
export interface PlatformCaIssuerProps {
  /** The CA's key pair Secret (`tls.crt`, `tls.key`), in cert-manager's cluster resource namespace. */
  readonly secretName: string;
  /**
   * cert-manager's namespace and controller, which each tenant's `TenantCertificatePolicy` lets use the issuer.
   * @default - `cert-manager` in `cert-manager`
   */
  readonly certManager?: CertManagerOptions;
}

/**
 * The platform's shared CA as a cert-manager ClusterIssuer (`Platform.ca` adds it). Its key stays
 * in cert-manager's namespace, which no tenant can read; which tenant may have which names signed
 * is decided per tenant by approver-policy (`TenantCertificatePolicy`), so cert-manager's default
 * approver must be off.
 */
export class PlatformCaIssuer extends Construct {
  /** Name of the ClusterIssuer. */
  public readonly issuerName: string = PLATFORM_NAMES.caIssuer;
  /** The CA's Secret, in cert-manager's namespace. */
  public readonly secretName: string;
  /**
   * cert-manager's namespace and controller.
   * @default - `cert-manager` in `cert-manager`
   */
  public readonly certManager?: CertManagerOptions;
  /** The ClusterIssuer. */
  public readonly clusterIssuer: ApiObject;

  constructor(scope: Construct, id: string, props: PlatformCaIssuerProps) {
    super(scope, id);
    const refusals = new PropChecks('PlatformCaIssuer');
    refusals.parse('secretName', fields.objectName('platform-ca'), props.secretName);
    refusals.done();
    this.certManager = props.certManager;
    this.secretName = props.secretName;
    this.clusterIssuer = new ApiObject(this, 'ClusterIssuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: this.issuerName, labels: platformLabels() },
      spec: { ca: { secretName: props.secretName } },
    });
  }
}
