import { Construct } from 'constructs';
import { TenancyModel } from '../model/tenancy-model';
import { Platform } from './platform';
import { Tenant } from './tenant';

export interface TenancyProps {
  /** The resolved spec: `resolveTenancy(readSpec(file).spec)` or `resolveTenancy(parseSpec(text).spec)`. */
  readonly model: TenancyModel;
}

/**
 * The whole multi-tenant setup in one construct, for use inside your own cdk8s Chart:
 * the platform's shared objects and one `Tenant` per tenant of the spec.
 *
 * The CLI builds the same constructs, but each tenant in an App of its own, so that
 * synthesis stays linear in the number of tenants.
 */
export class Tenancy extends Construct {
  constructor(scope: Construct, id: string, props: TenancyProps) {
    super(scope, id);
    const p = props.model.platform;
    new Platform(this, 'Platform', { namespace: p.namespace, tlsMinVersion: p.tlsMinVersion, wildcard: p.wildcard });
    for (const tenant of props.model.tenants) {
      new Tenant(this, `Tenant-${tenant.name}`, { tenant, platformNamespace: p.namespace, traefikImage: p.traefikImage });
    }
  }
}
