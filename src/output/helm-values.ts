/**
 * The values of a tenant chart: the install-time settings of the tenant's Traefik, their
 * defaults (the spec's), their JSON Schema and the table the chart's README and docs/helm.md
 * show. Nothing that isolates tenants is a value: the namespaces the Traefik watches, its RBAC,
 * its NetworkPolicy (and so the metrics, which need the monitoring namespace's allowance) come
 * from the spec.
 */
import { TraefikSpread } from '../constructs/traefik-scheduling';
import { DEFAULTS } from '../defaults';
import { TenantModel } from '../model/tenancy-model';
import { CIDR_PATTERNS, LABEL_VALUE, QUALIFIED_NAME } from '../threats/formats';
import { NODE_PORT_RANGE } from '../threats/network';
import { QUANTITY_PATTERN } from '../threats/quantity';
import { Ceilings } from '../threats/resources';
import { TRAEFIK_SERVICE_TYPES } from '../threats/service-settings';
import { isEnforced, ValuesPlatform } from '../threats/threat';
import { MAX_TRAEFIK_REPLICAS } from '../threats/traefik';
import { THREATS } from '../threats';
import { KubeObject } from './render';
import { traefikContainer } from './helm-templates';
import { yamlQuote } from './tenant-file';

/** The values of a tenant chart, documented in its README and in docs/helm.md. */
export const TENANT_VALUES: ReadonlyArray<{ readonly key: string; readonly description: string }> = [
  { key: 'traefik.image', description: 'Container image of the tenant\'s Traefik: a Traefik v3 that knows every flag the chart passes.' },
  { key: 'traefik.replicas', description: `Pods of the Traefik Deployment, 1 to ${MAX_TRAEFIK_REPLICAS} and at most the platform's ceiling (\`platform.ceilings.traefik.replicas\`, ${DEFAULTS.ceilings.traefik.replicas} unless the spec says otherwise). At 1 the PodDisruptionBudget (present when the spec asks for more than one) and the spread constraints are left out.` },
  { key: 'traefik.resources.requests.cpu', description: 'CPU the Traefik container requests.' },
  { key: 'traefik.resources.requests.memory', description: 'Memory the Traefik container requests.' },
  { key: 'traefik.resources.limits.cpu', description: 'CPU limit of the Traefik container.' },
  { key: 'traefik.resources.limits.memory', description: 'Memory limit of the Traefik container.' },
  { key: 'traefik.serviceType', description: '`LoadBalancer` (one cloud load balancer per tenant), `NodePort` (a port on every node) or `ClusterIP`.' },
  { key: 'traefik.service.annotations', description: 'Annotations of the Service, e.g. a cloud load balancer\'s settings.' },
  { key: 'traefik.service.externalTrafficPolicy', description: '`Cluster` or `Local` (keeps client addresses); empty: Kubernetes\' default. LoadBalancer and NodePort only.' },
  { key: 'traefik.service.loadBalancerClass', description: 'The load balancer implementation, e.g. `service.k8s.aws/nlb`; empty: the cluster\'s default. LoadBalancer only.' },
  { key: 'traefik.service.loadBalancerSourceRanges', description: 'Client CIDRs the load balancer admits; empty: every address. LoadBalancer only.' },
  { key: 'traefik.service.nodePorts', description: `Fixed node ports \`web\` and \`websecure\` (${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}); empty: allocated. The API server refuses a port another Service holds.` },
  { key: 'traefik.spread', description: 'With more than one replica, prefer one per `node` or one per `zone` (and per node).' },
  { key: 'traefik.nodeSelector', description: 'Labels of the nodes the Traefik may run on; never the control plane\'s.' },
  { key: 'traefik.tolerations', description: 'Taints the Traefik tolerates; never the control plane\'s, nor every taint.' },
  { key: 'traefik.priorityClassName', description: 'PriorityClass of the Traefik\'s pods (empty: none); never a system class, and one of `platform.priorityClasses` when the spec lists them.' },
  { key: 'traefik.accessLog', description: 'Traefik\'s access log, to standard output.' },
  { key: 'traefik.redirectToHttps', description: 'Redirect every request on port 80 to HTTPS on port 443.' },
];

interface CpuMemoryValues {
  readonly cpu: string;
  readonly memory: string;
}

/** The values of a tenant chart, as its values.yaml holds them. */
export interface TraefikValues {
  readonly image: string;
  readonly replicas: number;
  readonly resources: { readonly requests: CpuMemoryValues; readonly limits: CpuMemoryValues };
  readonly serviceType: string;
  readonly service: {
    readonly annotations: Readonly<Record<string, string>>;
    readonly externalTrafficPolicy: string;
    readonly loadBalancerClass: string;
    readonly loadBalancerSourceRanges: readonly string[];
    readonly nodePorts: { readonly web?: number; readonly websecure?: number };
  };
  readonly spread: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: ReadonlyArray<Record<string, unknown>>;
  readonly priorityClassName: string;
  readonly accessLog: boolean;
  readonly redirectToHttps: boolean;
}

/** The values that render the tenant's objects as the YAML output has them: the rendered Deployment's, and the tenant's settings. */
export function traefikValuesOf(deployment: KubeObject, tenant: TenantModel): TraefikValues {
  const container = traefikContainer(deployment);
  const cpuMemory = (v: any): CpuMemoryValues => {
    if (typeof v?.cpu !== 'string' || typeof v?.memory !== 'string') throw new Error(`Traefik resources are not quantities: ${JSON.stringify(v)}`);
    return { cpu: v.cpu, memory: v.memory };
  };
  const t = tenant.traefik;
  const T = DEFAULTS.tenant.traefik;
  return {
    image: container.image,
    replicas: (deployment as any).spec.replicas,
    resources: { requests: cpuMemory(container.resources?.requests), limits: cpuMemory(container.resources?.limits) },
    serviceType: t.serviceType ?? T.serviceType,
    service: {
      annotations: t.service?.annotations ?? {},
      externalTrafficPolicy: t.service?.externalTrafficPolicy ?? '',
      loadBalancerClass: t.service?.loadBalancerClass ?? '',
      loadBalancerSourceRanges: t.service?.loadBalancerSourceRanges ?? [],
      nodePorts: t.service?.nodePorts ?? {},
    },
    spread: t.spread ?? T.spread,
    nodeSelector: t.nodeSelector ?? {},
    tolerations: (t.tolerations ?? []).map((tol) => ({ ...tol })),
    priorityClassName: t.priorityClassName ?? '',
    accessLog: t.accessLog ?? T.accessLog,
    redirectToHttps: t.redirectToHttps ?? T.redirectToHttps,
  };
}

/** values.yaml of a tenant chart: each value with what it is, flow collections as JSON. */
export function tenantValuesYaml(v: TraefikValues): string {
  const q = yamlQuote; // JSON, with what YAML 1.1 would read as a line break or refuse escaped
  return `# Install-time settings of this tenant's Traefik. Isolation is not among them: the namespaces
# it watches, its RBAC, its NetworkPolicy and the refusal of cross-namespace references come from the spec.
traefik:
  # Container image: a Traefik v3 that knows every flag the chart passes.
  image: ${q(v.image)}
  # Pods of the Deployment (1 to ${MAX_TRAEFIK_REPLICAS}, and no more than the platform's ceiling).
  replicas: ${v.replicas}
  # Requests and limits of the Traefik container (Kubernetes quantities).
  resources:
    requests:
      cpu: ${q(v.resources.requests.cpu)}
      memory: ${q(v.resources.requests.memory)}
    limits:
      cpu: ${q(v.resources.limits.cpu)}
      memory: ${q(v.resources.limits.memory)}
  # LoadBalancer (one cloud load balancer per tenant), NodePort or ClusterIP.
  serviceType: ${q(v.serviceType)}
  service:
    # Annotations of the Service (e.g. a cloud load balancer's settings).
    annotations: ${q(v.service.annotations)}
    # Cluster or Local (keeps client addresses); empty: Kubernetes' default. LoadBalancer and NodePort only.
    externalTrafficPolicy: ${q(v.service.externalTrafficPolicy)}
    # The load balancer implementation; empty: the cluster's default. LoadBalancer only.
    loadBalancerClass: ${q(v.service.loadBalancerClass)}
    # Client CIDRs the load balancer admits; empty: every address. LoadBalancer only.
    loadBalancerSourceRanges: ${q(v.service.loadBalancerSourceRanges)}
    # Fixed node ports { web, websecure } (${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}); empty: allocated by Kubernetes.
    nodePorts: ${q(v.service.nodePorts)}
  # With more than one replica, prefer one per node, or one per zone (and per node).
  spread: ${q(v.spread)}
  # Labels of the nodes the Traefik may run on (never the control plane's).
  nodeSelector: ${q(v.nodeSelector)}
  # Taints the Traefik tolerates (never the control plane's, nor every taint).
  tolerations: ${q(v.tolerations)}
  # PriorityClass of the Traefik's pods; empty: none.
  priorityClassName: ${q(v.priorityClassName)}
  # Traefik's access log, to standard output.
  accessLog: ${v.accessLog}
  # Redirect every request on port 80 to HTTPS on port 443.
  redirectToHttps: ${v.redirectToHttps}
`;
}

/** The catalogue's refusals of chart values (JSON Schema fragments and template guards), by dotted key. */
export const VALUE_RULES = THREATS.flatMap((t) => (isEnforced(t.values) ? t.values : []));

/** A string that is empty, or matches `pattern`. */
const emptyOr = (pattern: RegExp, description: string) => ({ description, type: 'string', anyOf: [{ const: '' }, { pattern: pattern.source }] });

/** values.schema.json of a tenant chart: the shapes, then the catalogue's refusals merged in at their keys. */
export function tenantValuesSchema(chart: string, ceilings: Ceilings, platform: ValuesPlatform): string {
  const quantity = (description: string) => ({ description, type: ['string', 'number'], pattern: QUANTITY_PATTERN, minimum: 0 });
  const cpuMemory = (what: string) => object({ cpu: quantity(`CPU ${what}, e.g. 500m or 1.`), memory: quantity(`Memory ${what}, e.g. 512Mi.`) });
  const nodePort = (entryPoint: string) => ({ description: `Node port of the ${entryPoint} entry point.`, type: 'integer', minimum: NODE_PORT_RANGE.min, maximum: NODE_PORT_RANGE.max });
  const labels = (description: string, values: Record<string, unknown>) => ({ description, type: 'object', propertyNames: { pattern: QUALIFIED_NAME.source }, additionalProperties: values });
  const traefik = object({
    image: { description: 'Container image of the tenant\'s Traefik (a Traefik v3).', type: 'string', minLength: 1 },
    replicas: { description: 'Pods of the Traefik Deployment.', type: 'integer' },
    resources: object({ requests: cpuMemory('requested'), limits: cpuMemory('limit') }),
    serviceType: { description: 'Service type of the entry points.', enum: [...TRAEFIK_SERVICE_TYPES] },
    service: object({
      annotations: labels('Annotations of the Service.', { type: 'string' }),
      externalTrafficPolicy: { description: 'Cluster or Local; empty: Kubernetes\' default.', enum: ['', 'Cluster', 'Local'] },
      loadBalancerClass: emptyOr(QUALIFIED_NAME, 'The load balancer implementation; empty: the cluster\'s default.'),
      loadBalancerSourceRanges: {
        description: 'Client CIDRs the load balancer admits.',
        type: 'array',
        items: { type: 'string', anyOf: CIDR_PATTERNS.map((p) => ({ pattern: p.source })) },
      },
      nodePorts: { type: 'object', additionalProperties: false, properties: { web: nodePort('web'), websecure: nodePort('websecure') } },
    }),
    spread: { description: 'How the replicas are spread.', enum: Object.values(TraefikSpread) },
    nodeSelector: labels('Labels of the nodes the Traefik may run on.', { type: 'string', anyOf: [{ const: '' }, { pattern: LABEL_VALUE.source }] }),
    tolerations: {
      description: 'Taints the Traefik tolerates.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          key: { type: 'string' },
          operator: { enum: ['Equal', 'Exists'] },
          value: { type: 'string' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
          tolerationSeconds: { type: 'integer', minimum: 0 },
        },
      },
    },
    priorityClassName: { description: 'PriorityClass of the Traefik\'s pods; empty: none.', type: 'string' },
    accessLog: { description: 'Traefik\'s access log.', type: 'boolean' },
    redirectToHttps: { description: 'Redirect port 80 to HTTPS.', type: 'boolean' },
  });
  // Kubernetes refuses load balancer settings on other Service types, and node settings on ClusterIP.
  traefik.allOf = [
    {
      if: { properties: { serviceType: { not: { const: 'LoadBalancer' } } } },
      then: { properties: { service: { properties: { loadBalancerClass: { const: '' }, loadBalancerSourceRanges: { maxItems: 0 } } } } },
    },
    {
      if: { properties: { serviceType: { const: 'ClusterIP' } } },
      then: { properties: { service: { properties: { externalTrafficPolicy: { const: '' }, nodePorts: { maxProperties: 0 } } } } },
    },
  ];
  const properties = { traefik };
  for (const rule of VALUE_RULES) if (rule.schema) Object.assign(schemaAt(properties, rule.key), rule.schema(ceilings, platform));
  return valuesSchema(chart, properties, ['traefik']);
}

/** The schema of the value at a dotted `key` inside `properties`. */
function schemaAt(properties: Record<string, unknown>, key: string): Record<string, unknown> {
  const [first, ...rest] = key.split('.');
  let node = properties[first] as Record<string, unknown> | undefined;
  for (const part of rest) node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[part];
  if (!node) throw new Error(`values.schema.json has no \`${key}\`: a threat's values enforcer names a value the chart does not have`);
  return node;
}

function object(properties: Record<string, unknown>): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
}

/** A chart's values.schema.json text. */
export function valuesSchema(chart: string, properties: Record<string, unknown>, required: string[]): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Values of the ${chart} chart`,
    type: 'object',
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
    properties,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
