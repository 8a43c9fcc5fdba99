/**
 * Everything a spec file describes, in one chart: the objects `npm run synth` writes. Run from
 * the repository root:
 *
 *     npx ts-node examples/library-app/from-spec.ts    # writes examples/library-app/dist/tenancy.k8s.yaml
 *
 * In your own app, import from 'cdk8s-tenancy' instead of '../../src'.
 */
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Tenancy } from '../../src';

export class TenancyChart extends Chart {
  constructor(scope: Construct, id: string, specFile: string) {
    super(scope, id);
    // Reads and checks the spec (and the tenant files under its `tenantsDir`) as `tenancy validate` does.
    Tenancy.fromSpecFile(this, 'Tenancy', specFile);
  }
}

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? path.join(__dirname, 'dist') });
new TenancyChart(app, 'tenancy', path.join(__dirname, '../tenancy.yaml'));
app.synth();
