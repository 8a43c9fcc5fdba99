import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PLATFORM_NAMES } from '../model/names';
import * as fields from '../spec/schema';
import { platformLabels } from './labels';
import { PropChecks } from './refuse';

export interface PlatformCAIssuerProps {
  /** The CA's key pair Secret (`tls.crt`, `tls.key`), in cert-manager's cluster resource namespace (`cert-manager` by default). */
  readonly secretName: string;
}

/**
 * The platform's shared CA as a cert-manager ClusterIssuer. Its key stays in cert-manager's
 * namespace, which no tenant can read; which tenant may have which names signed is decided per
 * tenant by approver-policy (`TenantCertificatePolicy`), so cert-manager's default approver must
 * be off.
 */
export class PlatformCAIssuer extends Construct {
  /** Name of the ClusterIssuer. */
  public readonly issuerName = PLATFORM_NAMES.caIssuer;

  constructor(scope: Construct, id: string, props: PlatformCAIssuerProps) {
    super(scope, id);
    const refusals = new PropChecks('PlatformCAIssuer');
    refusals.parse('secretName', fields.objectName('platform-ca'), props.secretName);
    refusals.done();
    new ApiObject(this, 'ClusterIssuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: this.issuerName, labels: platformLabels() },
      spec: { ca: { secretName: props.secretName } },
    });
  }
}
