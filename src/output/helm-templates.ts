/**
 * The templates of a tenant chart that read values: the Traefik Deployment and Service. Each is
 * the object's YAML with `{{` escaped, in which the wired fields are replaced by Go template
 * text. The fields first hold placeholder words (holes), which must each occur once in the text
 * (a spec could contain one; then the next words are tried). With the chart's default values,
 * each template renders to exactly the object of the YAML output.
 *
 * Three kinds of hole:
 * - a scalar, replaced by an expression (`{{ int .Values.traefik.replicas }}`);
 * - an optional field, whose whole line is rendered only when its value is set (`{{- with … }}`);
 * - optional list items (flags of the Traefik), rendered only when a value is true.
 */
import { KubeObject } from './render';
import { toYamlDocument } from './yaml';
import { ACCESS_LOG_ARGS, METRICS_ARGS, REDIRECT_ARGS } from '../constructs/scoped-traefik';
import { spreadConstraints, TraefikSpread } from '../constructs/traefik-scheduling';
import { SERVICE_PORTS } from '../constructs/traefik-service';

/** Every `{{` of `text` escaped, so that Helm prints the text as it is. */
export function escapeForHelm(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** What replaces a hole's token: an expression in place, or the whole line (`head` is the line up to the token). */
type Fill = { readonly expression: string } | { readonly line: (head: string) => string };

/** Makes holes in a copy of an object; `text` is its template once every hole is filled. */
class Holes {
  private readonly fills: Array<[token: string, fill: Fill]> = [];

  constructor(private readonly nonce: number) {}

  /** A scalar whose text is `expression`. */
  scalar(expression: string): string {
    return this.add({ expression });
  }

  /**
   * Sets `key` of `target` to a hole that renders `key: <value>` when the value at `path` (a
   * `.Values` path) is set, and nothing otherwise. `value` is the text after `key: `, with `.`
   * the value. The key takes its place in the object's sorted keys, as in the YAML output.
   */
  optionalField(target: Record<string, unknown>, key: string, path: string, value = '{{ toJson . }}'): void {
    setSorted(target, key, this.add({ line: (head) => `\n{{- with ${path} }}\n${head}${value}\n{{- end }}` }));
  }

  /** Like `optionalField`, with a guard of its own (`if …`) and the value text given whole. */
  guardedField(target: Record<string, unknown>, key: string, guard: string, value: string): void {
    setSorted(target, key, this.add({ line: (head) => `\n{{- ${guard} }}\n${head}${value}\n{{- end }}` }));
  }

  /** A list item that renders as `items` (quoted strings) when the value at `path` is true, and as nothing otherwise. */
  optionalItems(path: string, items: readonly string[]): string {
    return this.add({ line: (head) => `\n{{- if ${path} }}${items.map((item) => `\n${head}${JSON.stringify(item)}`).join('')}\n{{- end }}` });
  }

  /** The YAML of `object` with every hole filled; undefined when a token does not occur exactly once. */
  fill(object: unknown): string | undefined {
    let text = escapeForHelm(toYamlDocument(object));
    for (const [token, fill] of this.fills) {
      const parts = text.split(token);
      if (parts.length !== 2) return undefined;
      if ('expression' in fill) {
        text = parts.join(fill.expression);
        continue;
      }
      const lineStart = parts[0].lastIndexOf('\n');
      if (!parts[1].startsWith('\n')) return undefined;
      const head = parts[0].slice(lineStart + 1);
      // The line would take its list item's `- ` with it.
      if (/^\s*- [^-]/.test(head) && !/^\s*- $/.test(head)) throw new Error(`a hole opens a list item: \`${head.trim()}\``);
      text = parts[0].slice(0, lineStart) + fill.line(head) + parts[1];
    }
    return text;
  }

  private add(fill: Fill): string {
    // Fixed width, so that no token is the start of another.
    const token = `helm-value-${this.nonce}-${String(this.fills.length).padStart(3, '0')}`;
    this.fills.push([token, fill]);
    return token;
  }
}

/** Sets `key` of `target` to `value`, and puts the keys in sorted order (cdk8s writes objects with sorted keys). */
function setSorted(target: Record<string, unknown>, key: string, value: unknown): void {
  target[key] = value;
  const entries = Object.entries(target).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k] of entries) delete target[k];
  for (const [k, v] of entries) target[k] = v;
}

/** JSON with the keys of every object sorted, as Helm's `toJson` and cdk8s write them. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** The object's template, with holes made by `wire` in a copy of it (with fresh tokens until they are unique in the text). */
function wiredTemplate(object: KubeObject, wire: (copy: any, holes: Holes) => void): string {
  for (let nonce = 0; nonce < 1000; nonce++) {
    const holes = new Holes(nonce);
    const copy = JSON.parse(JSON.stringify(object)); // plain objects of this realm, as the YAML writer wants them
    wire(copy, holes);
    const text = holes.fill(copy);
    if (text !== undefined) return text;
  }
  throw new Error(`no placeholder words fit the template of ${object.kind} ${object.metadata.name}`);
}

/** The Traefik container of a Deployment. */
export function traefikContainer(deployment: KubeObject): any {
  const container = (deployment as any).spec?.template?.spec?.containers?.find((c: any) => c.name === 'traefik');
  if (!container) throw new Error(`Deployment ${deployment.metadata.name} has no container named traefik`);
  return container;
}

/**
 * The Traefik Deployment's template: image, replicas, resources, scheduling and the optional
 * flags from the values; `guards` (the catalogue's template guards) follow the object, so that
 * its lines stay where the rendered object has them.
 */
export function deploymentTemplate(deployment: KubeObject, guards: string): string {
  return wiredTemplate(deployment, (copy, holes) => {
    copy.spec.replicas = holes.scalar('{{ int .Values.traefik.replicas }}');
    const pod = copy.spec.template.spec;
    const container = traefikContainer(copy);
    container.image = holes.scalar('{{ .Values.traefik.image | quote }}');
    for (const bound of ['requests', 'limits'] as const) {
      for (const resource of ['cpu', 'memory'] as const) {
        container.resources[bound][resource] = holes.scalar(`{{ .Values.traefik.resources.${bound}.${resource} | quote }}`);
      }
    }
    // The access log and redirect flags come before the metrics flags (spec-only), as in the YAML output.
    const optional = new Set([...ACCESS_LOG_ARGS, ...REDIRECT_ARGS]);
    const args = (container.args as string[]).filter((a) => !optional.has(a));
    const at = args.findIndex((a) => METRICS_ARGS.includes(a));
    args.splice(at < 0 ? args.length : at, 0,
      holes.optionalItems('.Values.traefik.accessLog', ACCESS_LOG_ARGS),
      holes.optionalItems('.Values.traefik.redirectToHttps', REDIRECT_ARGS));
    container.args = args;
    const labels = copy.spec.selector.matchLabels;
    const spread = (s: TraefikSpread) => escapeForHelm(sortedJson(spreadConstraints(s, labels)));
    holes.guardedField(pod, 'topologySpreadConstraints', 'if gt (int .Values.traefik.replicas) 1',
      `{{ if eq .Values.traefik.spread "${TraefikSpread.ZONE}" }}${spread(TraefikSpread.ZONE)}{{ else }}${spread(TraefikSpread.NODE)}{{ end }}`);
    holes.optionalField(pod, 'nodeSelector', '.Values.traefik.nodeSelector');
    holes.optionalField(pod, 'tolerations', '.Values.traefik.tolerations');
    holes.optionalField(pod, 'priorityClassName', '.Values.traefik.priorityClassName', '{{ . | quote }}');
  }) + guards;
}

/** The Traefik Service's template: its type, annotations, traffic policy, load balancer settings and node ports from the values. */
export function serviceTemplate(service: KubeObject): string {
  return wiredTemplate(service, (copy, holes) => {
    copy.spec.type = holes.scalar('{{ .Values.traefik.serviceType | quote }}');
    holes.optionalField(copy.metadata, 'annotations', '.Values.traefik.service.annotations');
    holes.optionalField(copy.spec, 'externalTrafficPolicy', '.Values.traefik.service.externalTrafficPolicy', '{{ . | quote }}');
    holes.optionalField(copy.spec, 'loadBalancerClass', '.Values.traefik.service.loadBalancerClass', '{{ . | quote }}');
    holes.optionalField(copy.spec, 'loadBalancerSourceRanges', '.Values.traefik.service.loadBalancerSourceRanges');
    for (const { name } of SERVICE_PORTS) {
      const port = (copy.spec.ports as Array<Record<string, unknown>>).find((p) => p.name === name)!;
      holes.optionalField(port, 'nodePort', `.Values.traefik.service.nodePorts.${name}`, '{{ int . }}');
    }
  });
}
