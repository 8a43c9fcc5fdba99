/**
 * How a tenant routes traffic to it (DNS records; an IngressRoute that uses its certificate, an
 * HTTPRoute on its Gateway, or Ingresses in its virtual cluster), from
 * `templates/tenant-routing.txt.hbs`: as comments at the head of the tenant's YAML file, and in
 * its chart's NOTES.txt. Comments do not change the objects, so the YAML and Helm outputs still
 * render the same objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import Handlebars from 'handlebars';
import { DEFAULTS } from '../defaults';
import { certificateSecretName, listenerNames, PLATFORM_NAMES, tenantNames } from '../model/names';
import { PlatformModel, TenantModel } from '../model/tenancy-model';
import { wildcardCovers } from '../threats/certificates';
import { DEFAULT_TEMPLATES_DIR } from './tenant-file';

/** Template of the routing guide. */
export const ROUTING_TEMPLATE = 'tenant-routing.txt.hbs';

/** The fields of the routing guide's template. */
export interface RoutingGuideContext {
  readonly namespace: string;
  readonly platformNamespace: string;
  /** `the tenant's Traefik`, or `the shared Traefik`. */
  readonly dnsTarget: string;
  /** The Service of the Traefik that routes to the tenant. */
  readonly traefik: string;
  readonly ingressClass: string;
  readonly serviceType: string;
  readonly loadBalancer: boolean;
  readonly nodePort: boolean;
  readonly nodePorts: { readonly web?: number; readonly websecure?: number } | null;
  readonly domains: ReadonlyArray<{ readonly name: string; readonly secretName: string }>;
  readonly example: { readonly name: string; readonly secretName: string };
  /** The tenant's Gateway and its first domain's HTTPS listener, in gateway mode. */
  readonly gateway: { readonly name: string; readonly https: string } | null;
  /** The tenant routes from inside its virtual cluster. */
  readonly virtualCluster: boolean;
}

/**
 * The guide's fields for `tenant` of `platform`, the Service of the Traefik that routes to it being
 * of type `serviceType` (the spec's unless given).
 */
export function routingGuideContext(tenant: TenantModel, platform: PlatformModel, serviceType?: string): RoutingGuideContext {
  const names = tenantNames(tenant.name);
  const shared = platform.routing?.traefik === 'shared';
  const gateway = platform.routing?.api === 'gateway';
  const type = serviceType ?? (shared ? platform.routing?.sharedTraefik?.serviceType ?? DEFAULTS.platform.sharedTraefik.serviceType : tenant.traefik.serviceType ?? DEFAULTS.tenant.traefik.serviceType);
  const domains = tenant.domains.map((d) => ({
    name: d,
    secretName: gateway && servedByWildcard(platform, d) ? wildcardSecretLabel(platform.wildcard!.secretName ?? DEFAULTS.platform.wildcardSecretName, platform.namespace) : certificateSecretName(d),
  }));
  const nodePorts = shared ? undefined : tenant.traefik.service?.nodePorts;
  return {
    namespace: names.namespace,
    platformNamespace: platform.namespace,
    dnsTarget: shared ? 'the shared Traefik' : 'the tenant\'s Traefik',
    traefik: shared ? PLATFORM_NAMES.sharedTraefik : names.traefik,
    ingressClass: names.ingressClass,
    serviceType: type,
    loadBalancer: type === 'LoadBalancer',
    nodePort: type === 'NodePort',
    nodePorts: nodePorts && Object.keys(nodePorts).length > 0 ? { ...nodePorts } : null,
    domains,
    example: domains[0],
    gateway: gateway && tenant.domains.length > 0 ? { name: names.gateway, https: listenerNames(tenant.domains[0]).https } : null,
    virtualCluster: tenant.isolation === 'vcluster',
  };
}

/** How a domain served with the platform wildcard's certificate names its Secret. */
export function wildcardSecretLabel(secretName: string, platformNamespace: string): string {
  return `${secretName} (the platform wildcard's, in ${platformNamespace})`;
}

/** Whether the platform wildcard's certificate serves `domain` on the tenant's Gateway (`routing.wildcardCertificate`). */
function servedByWildcard(platform: PlatformModel, domain: string): boolean {
  return platform.routing?.wildcardCertificate === true && wildcardCovers(platform.wildcard?.dnsNames ?? [], domain);
}

let compiled: Handlebars.TemplateDelegate | undefined;

/** The routing guide as text. */
export function renderRoutingGuide(context: RoutingGuideContext): string {
  compiled ??= Handlebars.compile(fs.readFileSync(path.join(DEFAULT_TEMPLATES_DIR, ROUTING_TEMPLATE), 'utf8'), { strict: true, noEscape: true });
  return compiled(context);
}

/** The routing guide of `tenant` as YAML comments, for the head of its file. */
export function routingComment(tenant: TenantModel, platform: PlatformModel): string {
  const text = `How to route to tenant \`${tenant.name}\`:\n\n${renderRoutingGuide(routingGuideContext(tenant, platform))}`;
  return text.replace(/\n+$/, '').split('\n').map((line) => (line === '' ? '#' : `# ${line}`)).join('\n') + '\n';
}
