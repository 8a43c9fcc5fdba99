/**
 * A platform with two tenants, built by hand. Run from the repository root:
 *
 *     npx ts-node examples/library-app/two-tenants.ts    # writes examples/library-app/dist/two-tenants.k8s.yaml
 *
 * In your own app, import from 'cdk8s-tenancy' instead of '../../src'.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import {
  Dns01Solver, Platform, PodSecurityLevel, ScopedTraefik, TenantIssuer, TenantIssuerSource, TenantNamespace, TenantOwner, TraefikServiceType,
} from '../../src';

export class TwoTenantsChart extends Chart {
  constructor(scope: Construct, id: string) {
    // No `namespace` on the chart: every object names its own.
    super(scope, id);

    // What every tenant shares: the platform namespace, TLS defaults, a wildcard, admission policies.
    const platform = new Platform(this, 'Platform', {
      allowedDomains: ['example.com'],
      wildcard: {
        dnsNames: ['*.apps.example.com'],
        acme: { email: 'platform@example.com', dns01: Dns01Solver.route53({ region: 'eu-west-1' }) },
      },
    });

    // A tenant in one call: its namespace and guard rails, its own Traefik, its Issuer and Certificates.
    const shop = platform.addTenant('Shop', {
      name: 'shop',
      domains: ['shop.example.com'],
      owners: { groups: ['shop-leads'] },
      issuer: TenantIssuerSource.acme({ email: 'shop-ops@example.com' }),
    });
    shop.addOwner(TenantOwner.user('alice@example.com'));

    // The same from the building blocks, each given the object it depends on.
    const blog = new TenantNamespace(this, 'BlogNamespace', {
      platform,
      name: 'blog',
      domains: ['blog.example.com'],
      owners: { users: ['bob@example.com'] },
      podSecurity: PodSecurityLevel.BASELINE,
    });
    const blogTraefik = new ScopedTraefik(this, 'BlogTraefik', { tenantNamespace: blog, replicas: 1, serviceType: TraefikServiceType.CLUSTER_IP });
    new TenantIssuer(this, 'BlogIssuer', { traefik: blogTraefik, issuer: TenantIssuerSource.selfSigned() });

    // The shop's storefront, routed by the shop's Traefik with the shop's certificate.
    const host = 'shop.example.com';
    new k8s.KubeIngress(this, 'Storefront', {
      metadata: {
        name: 'storefront',
        namespace: shop.namespace.namespaceName,
        annotations: { 'kubernetes.io/ingress.class': shop.traefik!.ingressClass },
      },
      spec: {
        tls: [{ hosts: [host], secretName: shop.issuer.certificateSecretName(host) }],
        rules: [{
          host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'storefront', port: { number: 80 } } } }] },
        }],
      },
    });
  }
}

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? path.join(__dirname, 'dist') });
new TwoTenantsChart(app, 'two-tenants');
app.synth();
