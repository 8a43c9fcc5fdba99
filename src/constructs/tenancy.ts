import { Construct } from 'constructs';
import { resolveTenancy, TenancyModel } from '../model/tenancy-model';
import { readSpec } from '../spec/read-spec';
import { platformPropsOf, tenantOptionsOf } from './from-model';
import { RefusedPropError } from './refuse';
import { Platform } from './platform';
import { Tenant } from './tenant';

/**
 * The whole multi-tenant setup of a spec file, for use inside your own cdk8s Chart: its
 * `Platform` and one `Tenant` per tenant, added to the platform.
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
    return new Tenancy(scope, id, resolveTenancy(readSpec(file).spec));
  }

  /** The platform: add more tenants with `tenancy.platform.addTenant(...)`. */
  public readonly platform: Platform;
  private readonly _tenants: Tenant[];

  private constructor(scope: Construct, id: string, model: TenancyModel) {
    super(scope, id);
    if (model.fleet) {
      throw new RefusedPropError('Tenancy', [{
        prop: 'file',
        message: 'the spec is a fleet (`clusters`), whose clusters are rendered apart — render it with `npm run synth`, or build each cluster\'s `Platform` and its tenants, and `FleetGitOps`, yourself',
      }]);
    }
    this.platform = new Platform(this, 'Platform', platformPropsOf(model.platform));
    this._tenants = model.tenants.map((t) => this.platform.addTenant(`Tenant-${t.name}`, tenantOptionsOf(t, this.platform.sharedTraefik !== undefined)));
  }

  /** The tenants of the spec, in its order (a copy). */
  public get tenants(): Tenant[] {
    return [...this._tenants];
  }

  /**
   * The tenant named `name`.
   * @returns undefined when the spec has no such tenant
   */
  public tenant(name: string): Tenant | undefined {
    return this._tenants.find((t) => t.name === name);
  }
}
