import { Construct } from 'constructs';
import { resolveTenancy, TenancyModel } from '../model/tenancy-model';
import { readSpec } from '../spec/read-spec';
import { Platform, platformPropsOf } from './platform';
import { Tenant, tenantPropsOf } from './tenant';

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
  /**
   * The setup of a spec file (and the tenant files under its `tenantsDir`), validated as
   * `tenancy validate` does: throws a `SpecError` listing every problem, `FILE:LINE:COL` each.
   */
  public static fromSpecFile(scope: Construct, id: string, file: string): Tenancy {
    return new Tenancy(scope, id, { model: resolveTenancy(readSpec(file).spec) });
  }

  constructor(scope: Construct, id: string, props: TenancyProps) {
    super(scope, id);
    const p = props.model.platform;
    new Platform(this, 'Platform', platformPropsOf(p));
    for (const tenant of props.model.tenants) {
      new Tenant(this, `Tenant-${tenant.name}`, tenantPropsOf(tenant, p));
    }
  }
}
