import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Refuses, at synthesis, a chart with a `namespace`: cdk8s stamps it on every object that has
 * none — Namespaces and cluster-scoped admission policies included — while every object of
 * cdk8s-tenancy names its own namespace.
 */
export function refuseChartNamespace(construct: Construct): void {
  construct.node.addValidation({
    validate: () => {
      const chart = Chart.of(construct);
      return chart.namespace === undefined ? [] : [
        `the chart \`${chart.node.path}\` sets \`namespace: ${chart.namespace}\`, which cdk8s stamps on every object that has none — the Namespace objects included: create the chart without \`namespace\` (every object of cdk8s-tenancy names its own)`,
      ];
    },
  });
}
