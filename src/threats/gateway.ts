/**
 * Threats through the Gateway API (`platform.routing.api: gateway`): listeners that admit more
 * than one tenant, routes that claim hosts or Gateways that are not their tenant's, grants that
 * open every Secret of a namespace, Gateways and GatewayClasses outside the platform's hands —
 * and the settings that would share one Traefik without the Gateway API.
 */
import { ADMISSION_POLICY_NAMES, ANNOTATIONS, TRAEFIK_GATEWAY_CONTROLLER } from '../model/names';
import { withDomains } from './cel';
import { KubeObjectLike, objectRef } from './detect/engine';
import {
  Admitted, describeAdmitted, hostnamesOf, isGatewayApi, labelSelectorMatches, ListenerFacts, listenersOf, parentsOf, ROUTE_KINDS,
} from './detect/gateway-api';
import { providerEnabled, watchedNamespaces } from './detect/traefik-config';
import { asArray, asRecord, asString, asStringMap } from './detect/values';
import { none, Threat } from './threat';

const P = ADMISSION_POLICY_NAMES;
const TENANTS_CANNOT_WRITE_GATEWAYS = 'tenants cannot write Gateways, GatewayClasses or ReferenceGrants: their Role only reads Gateways and ReferenceGrants (see `guard-rails-read-only`)';
const NOT_VALUES = 'not a chart value: routing is the spec\'s';
const BUILT_BY_TENANT_GATEWAY = 'TenantGateway builds every listener, for its tenant\'s namespace and hosts only';
const ROUTES_NOT_IN_SPEC = 'tenants write their own routes: no spec field describes them';

/** Most listeners a Gateway holds (the CRD's `maxItems`; Traefik v3.7 has no ListenerSet to add more). */
export const MAX_GATEWAY_LISTENERS = 64;
/** Listeners a tenant's Gateway holds per host: HTTP and HTTPS. */
export const LISTENERS_PER_HOST = 2;
/** Most hosts one tenant's Gateway can serve. */
export const MAX_GATEWAY_HOSTS = MAX_GATEWAY_LISTENERS / LISTENERS_PER_HOST;

export const SHARED_TRAEFIK_NEEDS_GATEWAY: Threat = {
  id: 'shared-traefik-needs-gateway',
  family: 'gateway',
  severity: 'critical',
  title: 'One Traefik shared by tenants that route with IngressRoutes',
  why: 'With IngressRoutes and Ingresses, Traefik keeps every certificate it loads in one TLS store and lets any route match any host: tenants sharing such a Traefik can claim each other\'s hosts and have each other\'s certificates served. Only Gateway listeners say which namespace may route which host.',
  fix: 'Share a Traefik only with `platform.routing.api: gateway` (the platform\'s Gateway admits each tenant\'s routes for its own hosts only), or keep one Traefik per tenant (`traefik: per-tenant`).',
  spec: { fields: ['platform.routing.traefik'] },
  construct: { props: ['Platform.routing.traefik'] },
  values: none(NOT_VALUES),
  admission: none('tenants cannot run a Traefik: it runs in the platform namespace'),
  audit: none('`traefik-one-tenant` finds a Traefik whose IngressRoute or Ingress provider watches several tenants'),
};

/** The refusal of `traefik: shared` without `api: gateway`. */
export const SHARED_TRAEFIK_REFUSAL = 'a Traefik shared by tenants that route with IngressRoutes keeps every tenant\'s certificates in one TLS store and lets any tenant\'s route claim any host — set `api: gateway` (each tenant\'s Gateway listeners admit its own routes and hosts only), or keep `traefik: per-tenant`';

/** Refuses a shared Traefik without the Gateway API. */
export function checkRoutingTopology(api: string, traefik: string): string | undefined {
  return traefik === 'shared' && api !== 'gateway' ? SHARED_TRAEFIK_REFUSAL : undefined;
}

export const GATEWAY_LISTENER_LIMIT: Threat = {
  id: 'gateway-listener-limit',
  family: 'gateway',
  severity: 'medium',
  title: 'More hosts than a tenant\'s Gateway has listeners for',
  why: `A Gateway holds at most ${MAX_GATEWAY_LISTENERS} listeners, and a tenant's Gateway has two per host (HTTP and HTTPS): the API server refuses a Gateway for more than ${MAX_GATEWAY_HOSTS} hosts, and every host of the tenant goes offline with it. Traefik v3.7 has no ListenerSet to add more.`,
  fix: `Keep at most ${MAX_GATEWAY_HOSTS} domains per tenant in gateway mode, or split the tenant in two.`,
  spec: { fields: ['tenants[].domains'] },
  construct: { props: ['TenantGateway.tenantNamespace', 'TenantNamespace.addDomain'] },
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_WRITE_GATEWAYS),
  audit: none(`the API server refuses a Gateway of more than ${MAX_GATEWAY_LISTENERS} listeners (the CRD's \`maxItems\`)`),
};

/** Refuses more hosts than a Gateway has listeners for. */
export function checkGatewayHosts(count: number): string | undefined {
  return count > MAX_GATEWAY_HOSTS
    ? `${count} domains need ${count * LISTENERS_PER_HOST} listeners on the tenant's Gateway (HTTP and HTTPS for each), and a Gateway holds at most ${MAX_GATEWAY_LISTENERS} — keep at most ${MAX_GATEWAY_HOSTS} domains, or split the tenant in two`
    : undefined;
}

/** Whether a listener admits routes from exactly `namespace`. */
const admitsOnly = (admitted: Admitted, namespace: string) => 'names' in admitted && admitted.names.length === 1 && admitted.names[0] === namespace;

export const GATEWAY_LISTENER_ONE_TENANT: Threat = {
  id: 'gateway-listener-one-tenant',
  family: 'gateway',
  severity: 'critical',
  title: 'A Gateway listener that admits routes of more than one tenant',
  why: 'A listener with `allowedRoutes.namespaces.from: All` — or a `Selector` on labels, which whoever may label a namespace can set — admits routes from namespaces the platform did not choose: a tenant attaches a route to another tenant\'s host and takes its visitors, under that tenant\'s certificate.',
  fix: 'Give each listener `allowedRoutes.namespaces: { from: Selector, selector: { matchLabels: { kubernetes.io/metadata.name: <tenant> } } }` — the name label, which Kubernetes sets and no one can change — and pin `allowedRoutes.kinds`.',
  spec: none('no spec field widens a listener: TenantGateway builds them'),
  construct: none(BUILT_BY_TENANT_GATEWAY),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_WRITE_GATEWAYS),
  audit: {
    scope: 'all',
    looksFor: 'A Gateway listener whose `allowedRoutes.namespaces` is `from: All`, or a `Selector` on any label but `kubernetes.io/metadata.name` (or an empty one), or names two or more tenant namespaces (in the generator\'s output: anything but exactly one tenant namespace, and `allowedRoutes.kinds` pinned).',
    detect: (run) => ({
      kinds: ['Gateway'],
      visit: (o, i) => {
        if (!isGatewayApi(o)) return;
        for (const l of listenersOf(o)) {
          const tenants = 'names' in l.admitted ? l.admitted.names.filter((n) => run.tenants.has(n)) : [];
          if ('all' in l.admitted || 'labels' in l.admitted || tenants.length > 1) {
            run.report(i, `listener \`${l.name}\` admits routes from ${describeAdmitted(l.admitted)}`, l.path);
          } else if (run.generated && (tenants.length !== 1 || !admitsOnly(l.admitted, tenants[0]) || l.kinds.length === 0)) {
            run.report(i, `listener \`${l.name}\` should admit routes of exactly one tenant namespace, of pinned kinds (it admits ${describeAdmitted(l.admitted)}${l.kinds.length === 0 ? ', of any kind' : ''})`, l.path);
          }
        }
      },
    }),
  },
};

const GATEWAY_KEY = `'${ANNOTATIONS.gateway}'`;

/** The tenant's Gateway, `<namespace>/<name>`, from its Namespace annotation; `''` for none. */
export const GATEWAY_VARIABLE = {
  name: 'gateway',
  expression: `has(namespaceObject.metadata.annotations) && ${GATEWAY_KEY} in namespaceObject.metadata.annotations ? namespaceObject.metadata.annotations[${GATEWAY_KEY}] : ''`,
} as const;

/** A route in a tenant namespace, each of whose parents is a Gateway in the input: the listeners it may attach to. */
function attachedListeners(route: KubeObjectLike, gateways: ReadonlyMap<string, KubeObjectLike>): Array<{ gateway: KubeObjectLike; listener: ListenerFacts }> {
  const out: Array<{ gateway: KubeObjectLike; listener: ListenerFacts }> = [];
  for (const parent of parentsOf(route)) {
    const gateway = parent.kind === 'Gateway' ? gateways.get(`${parent.namespace}/${parent.name}`) : undefined;
    if (!gateway) continue;
    for (const listener of listenersOf(gateway)) {
      if (parent.sectionName === undefined || parent.sectionName === listener.name) out.push({ gateway, listener });
    }
  }
  return out;
}

export const GATEWAY_ROUTE_HOSTNAMES: Threat = {
  id: 'gateway-route-hostnames',
  family: 'gateway',
  severity: 'critical',
  title: 'A tenant route without hostnames, or for hosts that are not the tenant\'s',
  why: 'An HTTPRoute, GRPCRoute or TLSRoute without `hostnames` takes every host of the listeners it attaches to; on a listener without a hostname, or one several namespaces share, that is other tenants\' hosts and visitors. A route naming another tenant\'s host (or a wildcard) claims it wherever a listener lets it.',
  fix: 'List the tenant\'s own hosts in every route\'s `spec.hostnames` (the `tenancy.cdk8s.io/domains` annotation of its Namespace), never a wildcard.',
  spec: none(ROUTES_NOT_IN_SPEC),
  construct: none('the constructs render no routes (cert-manager\'s HTTP-01 routes name the one host they prove)'),
  values: none(NOT_VALUES),
  admission: {
    validations: [
      {
        policy: P.gatewayRoutes,
        expression: 'has(object.spec.hostnames) && size(object.spec.hostnames) > 0',
        ...withDomains('spec.hostnames must list the hosts the route serves: a route without hostnames takes every host of the listeners it attaches to.'),
      },
      {
        policy: P.gatewayRoutes,
        expression: '!has(object.spec.hostnames) || object.spec.hostnames.all(h, h.lowerAscii() in variables.domains)',
        ...withDomains('spec.hostnames may only name this tenant\'s hosts, never a wildcard.'),
      },
    ],
  },
  audit: {
    scope: 'all',
    looksFor: 'In a tenant namespace: an HTTPRoute, GRPCRoute or TLSRoute with a wildcard hostname, or without `hostnames` whose parent Gateway (in the input) has a listener without a hostname or one shared beyond the route\'s namespace. Hostnames outside the tenant\'s domains are `hosts-within-tenant-domains`.',
    detect: (run) => {
      const gateways = new Map<string, KubeObjectLike>();
      const routes: number[] = [];
      return {
        kinds: ['Gateway', ...ROUTE_KINDS],
        visit: (o, i) => {
          if (!isGatewayApi(o)) return;
          if (o.kind === 'Gateway') {
            gateways.set(`${asString(o.metadata.namespace) ?? ''}/${o.metadata.name}`, o);
            return;
          }
          const ns = asString(o.metadata.namespace);
          if (ns === undefined || !run.tenants.has(ns)) return;
          hostnamesOf(o).forEach((h, k) => {
            if (h.includes('*')) run.report(i, `hostname \`${h}\` answers for every host under it`, ['spec', 'hostnames', k]);
          });
          if (hostnamesOf(o).length === 0) routes.push(i);
        },
        finish: () => {
          for (const i of routes) {
            const route = run.objects[i];
            const ns = asString(route.metadata.namespace)!;
            const open = attachedListeners(route, gateways).find(({ listener }) => listener.hostname === undefined || !admitsOnly(listener.admitted, ns));
            if (!open) continue;
            const why = open.listener.hostname === undefined ? 'which has no hostname' : `which admits routes from ${describeAdmitted(open.listener.admitted)}`;
            run.report(i, `has no hostnames, so it answers for every host of listener \`${open.listener.name}\` of ${objectRef(open.gateway)}, ${why}`, ['spec']);
          }
        },
      };
    },
  },
};

export const GATEWAY_PARENT_REFS: Threat = {
  id: 'gateway-parent-refs',
  family: 'gateway',
  severity: 'critical',
  title: 'A tenant route attached to a Gateway that is not the tenant\'s',
  why: 'A route names its Gateway in `parentRefs`; naming another tenant\'s Gateway (or a Service, as a mesh route) puts the route wherever that parent\'s listeners let it — behind another tenant\'s load balancer and certificate, on a listener that may admit it by mistake.',
  fix: 'Attach routes to the tenant\'s own Gateway only, with its namespace: `parentRefs: [{ name: <tenant>, namespace: <platform namespace> }]` (the `tenancy.cdk8s.io/gateway` annotation of the tenant\'s Namespace).',
  spec: none(ROUTES_NOT_IN_SPEC),
  construct: none('the constructs render no routes; the tenant\'s Issuer solves HTTP-01 through its own Gateway'),
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: P.gatewayRoutes,
      expression: "!has(object.spec.parentRefs) || object.spec.parentRefs.all(p, (!has(p.group) || p.group == 'gateway.networking.k8s.io') && (!has(p.kind) || p.kind == 'Gateway') && has(p.namespace) && variables.gateway != '' && p.namespace + '/' + p.name == variables.gateway)",
      message: 'spec.parentRefs may only name this tenant\'s own Gateway, with its namespace: another parent would put the route behind listeners meant for others.',
      messageExpression: "'spec.parentRefs may only name this tenant\\'s own Gateway, with its namespace: another parent would put the route behind listeners meant for others. This tenant\\'s Gateway: ' + (variables.gateway == '' ? 'none' : variables.gateway)",
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A route in a tenant namespace whose `parentRefs` name a Gateway (or Service) in another tenant\'s namespace.',
    detect: (run) => ({
      kinds: [...ROUTE_KINDS],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns) || !isGatewayApi(o)) return;
        for (const p of parentsOf(o)) {
          if (p.namespace !== ns && run.tenants.has(p.namespace)) run.report(i, `attaches to ${p.kind} \`${p.namespace}/${p.name}\`, of tenant \`${p.namespace}\``, p.path);
        }
      },
    }),
  },
};

export const REFERENCE_GRANT_NAMES_ONE: Threat = {
  id: 'reference-grant-names-one',
  family: 'gateway',
  severity: 'high',
  title: 'A ReferenceGrant that opens every object of a kind',
  why: 'A ReferenceGrant `to` entry without `name` lets every Gateway or route of the `from` namespace use every Secret (or Service) of the grant\'s namespace: all of a tenant\'s keys, where one certificate was meant.',
  fix: 'Name the one object in each `to` entry (`{ group: "", kind: Secret, name: shop.example.com-tls }`), one grant per Secret.',
  spec: none('no spec field writes ReferenceGrants: TenantGateway grants one Secret each'),
  construct: none('TenantGateway grants the platform\'s Gateway one named Secret per ReferenceGrant'),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_WRITE_GATEWAYS),
  audit: {
    scope: 'all',
    looksFor: 'A ReferenceGrant with a `to` entry without `name`.',
    detect: (run) => ({
      kinds: ['ReferenceGrant'],
      visit: (o, i) => {
        if (!isGatewayApi(o)) return;
        const ns = asString(o.metadata.namespace) ?? '?';
        const from = asArray(asRecord(o.spec).from).map((f) => `${asString(asRecord(f).kind) ?? '?'}s of \`${asString(asRecord(f).namespace) ?? '?'}\``).join(', ');
        asArray(asRecord(o.spec).to).forEach((raw, k) => {
          const to = asRecord(raw);
          if (!asString(to.name)) run.report(i, `lets ${from || 'its `from` objects'} use every ${asString(to.kind) ?? 'object'} of namespace \`${ns}\``, ['spec', 'to', k]);
        });
      },
    }),
  },
};

export const GATEWAY_IN_TENANT_NAMESPACE: Threat = {
  id: 'gateway-in-tenant-namespace',
  family: 'gateway',
  severity: 'high',
  title: 'A Gateway in a tenant namespace',
  why: 'A tenant\'s own Gateway chooses its listeners: hosts of other tenants, `from: All`, certificates of its own — and a Traefik that watches the tenant\'s namespace serves it on the load balancer tenants share. The platform owns the Gateways.',
  fix: 'Keep Gateways in the platform namespace, one per tenant, and give tenants only `get`, `list` and `watch` on Gateways and ReferenceGrants.',
  spec: none('no spec field puts a Gateway in a tenant namespace'),
  construct: none('TenantGateway puts the Gateway in the platform namespace'),
  values: none(NOT_VALUES),
  admission: none(TENANTS_CANNOT_WRITE_GATEWAYS),
  audit: {
    scope: 'all',
    looksFor: 'A Gateway in a tenant namespace.',
    detect: (run) => ({
      kinds: ['Gateway'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns !== undefined && run.tenants.has(ns) && isGatewayApi(o)) run.report(i, `a Gateway in tenant namespace \`${ns}\` chooses its own listeners`, ['metadata', 'namespace']);
      },
    }),
  },
};

export const GATEWAY_CLASS_SCOPE: Threat = {
  id: 'gateway-class-scope',
  family: 'gateway',
  severity: 'critical',
  title: 'A GatewayClass any Traefik, or any namespace, may use',
  why: `Every Traefik reports the controller name \`${TRAEFIK_GATEWAY_CONTROLLER}\`: one whose gateway provider has no \`labelSelector\` takes every Traefik GatewayClass, serves the Gateways meant for other Traefiks (another tenant's) and overwrites their status. A GatewayClass served by a Traefik that watches every namespace lets a Gateway in any namespace open listeners on that Traefik.`,
  fix: 'Label each GatewayClass for its Traefik and pass `--providers.kubernetesgateway.labelSelector=<that label>`; scope the provider with `--providers.kubernetesgateway.namespaces`.',
  spec: none('no spec field unscopes a Traefik\'s gateway provider'),
  construct: none('ScopedTraefik and SharedTraefik each select their own GatewayClass by label and watch listed namespaces only'),
  values: none(NOT_VALUES),
  admission: none('tenants cannot run a Traefik or write GatewayClasses'),
  audit: {
    scope: 'all',
    looksFor: `A Traefik whose \`kubernetesgateway\` provider has no \`labelSelector\` while the input holds two or more Traefik gateway providers or GatewayClasses of \`${TRAEFIK_GATEWAY_CONTROLLER}\`; a GatewayClass of that controller served by a Traefik whose gateway provider watches every namespace.`,
    detect: (run) => {
      const classes: number[] = [];
      return {
        kinds: ['GatewayClass'],
        visit: (o, i) => {
          if (isGatewayApi(o) && asString(asRecord(o.spec).controllerName) === TRAEFIK_GATEWAY_CONTROLLER) classes.push(i);
        },
        finish: () => {
          const providers = run.index.traefiks.flatMap((t) => t.containers
            .filter((c) => providerEnabled(c.flags, 'kubernetesgateway'))
            .map((c) => ({ index: t.index, c, selector: c.flags.get('providers.kubernetesgateway.labelselector')?.value ?? '' })));
          for (const p of providers) {
            if (p.selector === '' && (run.generated || providers.length > 1 || classes.length > 1)) {
              run.report(p.index, `the gateway provider of container \`${p.c.name}\` has no labelSelector: it takes every GatewayClass of \`${TRAEFIK_GATEWAY_CONTROLLER}\` (${classes.length} in the input), other Traefiks' included`,
                p.c.flags.get('providers.kubernetesgateway')?.path ?? [...p.c.path, 'args']);
            }
          }
          for (const i of classes) {
            const labels = asStringMap(run.objects[i].metadata.labels);
            const open = providers.find((p) => labelSelectorMatches(p.selector, labels) && watchedNamespaces(p.c.flags, 'kubernetesgateway').length === 0);
            if (open) run.report(i, `Gateways of any namespace may use it: ${objectRef(run.objects[open.index])} serves it and watches every namespace`, ['metadata', 'name']);
          }
        },
      };
    },
  },
};

export const GATEWAY_THREATS: readonly Threat[] = [
  SHARED_TRAEFIK_NEEDS_GATEWAY, GATEWAY_LISTENER_ONE_TENANT, GATEWAY_ROUTE_HOSTNAMES, GATEWAY_PARENT_REFS, REFERENCE_GRANT_NAMES_ONE,
  GATEWAY_IN_TENANT_NAMESPACE, GATEWAY_CLASS_SCOPE, GATEWAY_LISTENER_LIMIT,
];
