/**
 * How a tenant routes traffic to its Traefik (DNS records, an IngressRoute that uses its
 * certificate, the ingress class), from `templates/tenant-routing.txt.hbs`: as comments at the
 * head of the tenant's YAML file, and in its chart's NOTES.txt. Comments do not change the
 * objects, so the YAML and Helm outputs still render the same objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import Handlebars from 'handlebars';
import { DEFAULTS } from '../defaults';
import { certificateSecretName, tenantNames } from '../model/names';
import { TenantModel } from '../model/tenancy-model';
import { DEFAULT_TEMPLATES_DIR } from './tenant-file';

/** Template of the routing guide. */
export const ROUTING_TEMPLATE = 'tenant-routing.txt.hbs';

/** The fields of the routing guide's template. */
export interface RoutingGuideContext {
  readonly namespace: string;
  readonly platformNamespace: string;
  readonly traefik: string;
  readonly ingressClass: string;
  readonly serviceType: string;
  readonly loadBalancer: boolean;
  readonly nodePort: boolean;
  readonly nodePorts: { readonly web?: number; readonly websecure?: number } | null;
  readonly domains: ReadonlyArray<{ readonly name: string; readonly secretName: string }>;
  readonly example: { readonly name: string; readonly secretName: string };
}

/** The guide's fields for `tenant`, its Traefik's Service being of type `serviceType` (the spec's unless given). */
export function routingGuideContext(tenant: TenantModel, platformNamespace: string, serviceType?: string): RoutingGuideContext {
  const names = tenantNames(tenant.name);
  const type = serviceType ?? tenant.traefik.serviceType ?? DEFAULTS.tenant.traefik.serviceType;
  const domains = tenant.domains.map((d) => ({ name: d, secretName: certificateSecretName(d) }));
  const nodePorts = tenant.traefik.service?.nodePorts;
  return {
    namespace: names.namespace,
    platformNamespace,
    traefik: names.traefik,
    ingressClass: names.ingressClass,
    serviceType: type,
    loadBalancer: type === 'LoadBalancer',
    nodePort: type === 'NodePort',
    nodePorts: nodePorts && Object.keys(nodePorts).length > 0 ? { ...nodePorts } : null,
    domains,
    example: domains[0],
  };
}

let compiled: Handlebars.TemplateDelegate | undefined;

/** The routing guide as text. */
export function renderRoutingGuide(context: RoutingGuideContext): string {
  compiled ??= Handlebars.compile(fs.readFileSync(path.join(DEFAULT_TEMPLATES_DIR, ROUTING_TEMPLATE), 'utf8'), { strict: true, noEscape: true });
  return compiled(context);
}

/** The routing guide of `tenant` as YAML comments, for the head of its file. */
export function routingComment(tenant: TenantModel, platformNamespace: string): string {
  const text = `How to route to tenant \`${tenant.name}\`:\n\n${renderRoutingGuide(routingGuideContext(tenant, platformNamespace))}`;
  return text.replace(/\n+$/, '').split('\n').map((line) => (line === '' ? '#' : `# ${line}`)).join('\n') + '\n';
}
