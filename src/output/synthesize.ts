import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** A Kubernetes object as plain JSON. */
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

/** Builds constructs in a fresh App and Chart and returns the objects they synthesize. */
export function synthesize(build: (chart: Chart) => Construct): KubeObject[] {
  const app = new App({ outdir: '.' });
  // No chart namespace: cdk8s would stamp it on cluster-scoped objects too. Every
  // construct sets `metadata.namespace` itself, on namespaced objects only.
  const chart = new Chart(app, 'Chart', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson() as KubeObject[];
}
