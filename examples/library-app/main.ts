/**
 * A cdk8s app that uses cdk8s-tenancy as a construct library, without its CLI.
 *
 * In a project of your own, install the package and import from it instead of `../../src`:
 *
 *     npm install cdk8s-tenancy cdk8s constructs
 *     import { Tenancy, TenantNamespace, ScopedTraefik, TenantIssuer, WildcardTLSStore } from 'cdk8s-tenancy';
 *
 * Run it from the repository root with `npx ts-node examples/library-app/main.ts`: it writes
 * `tenancy.k8s.yaml` and `sandbox.k8s.yaml` to `$CDK8S_OUTDIR`, else `examples/library-app/dist/`.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Platform, ScopedTraefik, Tenancy, TenantIssuer, TenantNamespace, WildcardTLSStore } from '../../src';

/**
 * Everything a spec file describes, in one chart: the same objects `npm run synth` writes.
 * The chart sets no `namespace`: every object carries its own, and cdk8s would otherwise
 * stamp the chart's on the Namespace objects too.
 */
export class TenancyChart extends Chart {
  constructor(scope: Construct, id: string, specFile: string) {
    super(scope, id);
    Tenancy.fromSpecFile(this, 'Tenancy', specFile);
  }
}

/** One tenant put together by hand from the building blocks, with its own platform namespace. */
export class SandboxChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const platformNamespace = 'sandbox-ingress';
    // The platform namespace and the `default` TLSOption every tenant's Traefik reads there.
    new Platform(this, 'Platform', { namespace: platformNamespace });
    // The platform's wildcard certificate, served by default (a DNS-01 challenge is required).
    new WildcardTLSStore(this, 'Wildcard', {
      namespace: platformNamespace,
      dnsNames: ['*.sandbox.example.com'],
      acme: { email: 'platform@example.com', dns01: { route53: { region: 'eu-west-1' } } },
    });

    const tenant = new TenantNamespace(this, 'Namespace', {
      name: 'sandbox',
      team: 'developer-experience',
      owners: { groups: ['sandbox-devs'] },
      podSecurity: 'baseline',
      traefikNamespace: platformNamespace,
      egress: { cidrs: ['0.0.0.0/0'], ports: [443] },
    });
    const traefik = new ScopedTraefik(this, 'Traefik', {
      tenant: tenant.namespaceName,
      namespace: platformNamespace,
      replicas: 1,
      serviceType: 'ClusterIP',
    });
    new TenantIssuer(this, 'Issuer', {
      tenant: tenant.namespaceName,
      issuer: { selfSigned: {} },
      domains: ['app.sandbox.example.com'],
      ingressClass: traefik.ingressClass,
    });
  }
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? path.join(__dirname, 'dist') });
  new TenancyChart(app, 'tenancy', path.join(__dirname, '../tenancy.yaml'));
  new SandboxChart(app, 'sandbox');
  app.synth();
}
