import { Construct } from 'constructs';
import { TenantModel } from '../model/tenancy-model';
import { ScopedTraefik } from './scoped-traefik';
import { TenantIssuer } from './tenant-issuer';
import { TenantNamespace } from './tenant-namespace';

export interface TenantProps {
  /** The resolved tenant (see `resolveTenancy`). */
  readonly tenant: TenantModel;
  /** Platform namespace, where the tenant's Traefik runs. @default 'traefik' */
  readonly platformNamespace?: string;
  /** Traefik image. @default 'traefik:v3.7.11' */
  readonly traefikImage?: string;
}

/** Everything one tenant gets: its namespace and guard rails, its own Traefik, its Issuer and Certificates. */
export class Tenant extends Construct {
  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const t = props.tenant;
    new TenantNamespace(this, 'Namespace', {
      name: t.name,
      team: t.team,
      environment: t.environment,
      podSecurity: t.podSecurity,
      quota: t.quota,
      limits: t.limits,
      owners: t.owners,
      secrets: t.secrets,
      traefikNamespace: props.platformNamespace,
      egress: t.egress,
    });
    const traefik = new ScopedTraefik(this, 'Traefik', {
      tenant: t.name,
      namespace: props.platformNamespace,
      image: props.traefikImage,
      replicas: t.traefik.replicas,
      serviceType: t.traefik.serviceType,
      logLevel: t.traefik.logLevel,
      resources: t.traefik.resources,
    });
    new TenantIssuer(this, 'Issuer', {
      tenant: t.name,
      issuer: t.issuer,
      domains: t.domains,
      ingressClass: traefik.ingressClass,
    });
  }
}
