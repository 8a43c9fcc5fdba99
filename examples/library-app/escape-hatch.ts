/**
 * What the props do not cover: a tenant's Traefik on dedicated ingress nodes, behind an AWS
 * network load balancer. The constructs expose the objects they make (`tenant.traefik.deployment`,
 * `tenant.traefik.service`, …) for patches like these. Run from the repository root:
 *
 *     npx ts-node examples/library-app/escape-hatch.ts    # writes examples/library-app/dist/escape-hatch.k8s.yaml
 *
 * In your own app, import from 'cdk8s-tenancy' instead of '../../src'.
 */
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Platform, TenantIssuerSource } from '../../src';

export class EscapeHatchChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const platform = new Platform(this, 'Platform');
    const shop = platform.addTenant('Shop', {
      name: 'shop',
      domains: ['shop.example.com'],
      owners: { groups: ['shop-leads'] },
      issuer: TenantIssuerSource.acme({ email: 'shop-ops@example.com' }),
    });

    const deployment = shop.traefik!.deployment;
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { 'node-role.example.com/ingress': 'true' }));
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', [
      { key: 'dedicated', operator: 'Equal', value: 'ingress', effect: 'NoSchedule' },
    ]));
    shop.traefik!.service.metadata.addAnnotation('service.beta.kubernetes.io/aws-load-balancer-type', 'nlb');
  }
}

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? path.join(__dirname, 'dist') });
new EscapeHatchChart(app, 'escape-hatch');
app.synth();
