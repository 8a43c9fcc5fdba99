/**
 * Threats over the network: traffic that bypasses the tenant's Traefik, addresses a tenant
 * could intercept, and destinations no tenant pod should reach.
 */
import { DetectorRun, KubeObjectLike, objectRef } from './detect/engine';
import { ingressControllers } from './detect/ingress-controllers';
import { serviceAccountOf, WORKLOAD_KINDS } from './detect/traefik-config';
import { NAMESPACE_NAME_LABEL } from './detect/gateway-api';
import { labelSelectorSelects } from './detect/label-selectors';
import * as ipaddr from 'ipaddr.js';
import { Cidr, contains, METADATA_RANGES, parseCidr, unmapped } from './cidrs';
import { asArray, asRecord, asString, asStringMap, asStrings } from './detect/values';
import { noneIn } from './cel';
import { ADMISSION_POLICY_NAMES } from '../model/names';
import { none, Threat } from './threat';


/** Where the cluster's own addresses are, when the platform says (`platform.network`). */
export interface ClusterNetwork {
  /** Pod addresses of every node: a tenant's broad egress must not reach other tenants' pods through them. */
  readonly podCIDRs?: readonly string[];
  /** Service ClusterIP addresses. */
  readonly serviceCIDRs?: readonly string[];
  /** The API server's addresses, which the tenants' Traefiks may reach (only on its ports when absent). */
  readonly apiServerCIDRs?: readonly string[];
}

const SERVICES_NOT_IN_SPEC = 'tenants write their own Services: no spec field describes them';
const OWN_SERVICES = 'the constructs put no Service into tenant namespaces but cert-manager\'s ClusterIP solvers';

/** Services in tenant namespaces, for the detectors below. */
const overTenantServices = (judge: (run: DetectorRun, o: KubeObjectLike, i: number, spec: Record<string, unknown>) => void) => (run: DetectorRun) => ({
  kinds: ['Service'],
  visit: (o: KubeObjectLike, i: number) => {
    const ns = asString(o.metadata?.namespace);
    if (ns !== undefined && run.tenants.has(ns)) judge(run, o, i, asRecord(o.spec));
  },
});

export const TENANT_SERVICE_TYPES: Threat = {
  id: 'tenant-service-types',
  family: 'network',
  severity: 'high',
  title: 'A tenant Service that is not ClusterIP',
  why: 'A NodePort or LoadBalancer Service bypasses the tenant\'s Traefik and its TLS, and opens node ports shared with every tenant; an ExternalName Service can point a route at another tenant\'s Service.',
  fix: 'Keep tenant Services ClusterIP and route to them through the tenant\'s Traefik; the tenant quota caps `services.nodeports` and `services.loadbalancers` at 0.',
  spec: none(SERVICES_NOT_IN_SPEC),
  construct: none('TenantNamespace\'s ResourceQuota always caps `services.nodeports` and `services.loadbalancers` at 0'),
  values: none('Service types of tenants are not chart values'),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.serviceTypes,
      expression: "!has(object.spec.type) || object.spec.type == 'ClusterIP'",
      message: 'Services in a tenant namespace must be ClusterIP: traffic enters through the tenant\'s Traefik; NodePort, LoadBalancer and ExternalName are refused.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A Service in a tenant namespace of type `NodePort`, `LoadBalancer` or `ExternalName`.',
    detect: overTenantServices((run, o, i, spec) => {
      const type = asString(spec.type);
      if (type !== undefined && type !== 'ClusterIP') run.report(i, `is ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} Service in tenant namespace \`${o.metadata.namespace}\``, ['spec', 'type']);
    }),
  },
};

export const NO_EXTERNAL_IPS: Threat = {
  id: 'no-external-ips',
  family: 'network',
  severity: 'high',
  title: 'A tenant Service with externalIPs',
  why: 'spec.externalIPs lets a Service receive traffic for any address it names, other tenants\' included (CVE-2020-8554).',
  fix: 'Remove `spec.externalIPs`.',
  spec: none(SERVICES_NOT_IN_SPEC),
  construct: none(OWN_SERVICES),
  values: none('Services of tenants are not chart values'),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.serviceTypes,
      expression: noneIn('object.spec.externalIPs'),
      message: 'spec.externalIPs can intercept traffic for any address (CVE-2020-8554) — remove it.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A Service in a tenant namespace with `spec.externalIPs`.',
    detect: overTenantServices((run, o, i, spec) => {
      if (asArray(spec.externalIPs).length > 0) run.report(i, `sets externalIPs ${asArray(spec.externalIPs).join(', ')}`, ['spec', 'externalIPs']);
    }),
  },
};

const TENANTS_CANNOT_WRITE_POLICIES = 'tenants cannot write NetworkPolicies: their Role grants only get, list and watch on them';

/** The single addresses of the metadata services, for the audit (a block that holds one reaches it). */
const METADATA_HOSTS: readonly Cidr[] = ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', '168.63.129.16/32', 'fd00:ec2::254/128', 'fd00:ec2::23/128', 'fd20:ce::254/128', 'fd00:c1::a9fe:a9fe/128', 'fd00:42::42/128'].map((t) => parseCidr(t)!);

export const EGRESS_TO_METADATA: Threat = {
  id: 'egress-to-metadata',
  family: 'network',
  severity: 'critical',
  title: 'Egress to the cloud metadata endpoint',
  why: 'The instance metadata service (169.254.169.254 and its IPv6 and other clouds\' addresses) hands any pod that reaches it the node\'s credentials — with them a tenant acts as the node, or as the cloud account\'s node role, against every tenant.',
  fix: 'Give tenants egress to the addresses they need; broad blocks (`0.0.0.0/0`, `::/0`) are fine, as every range of the metadata services is excepted from them.',
  spec: { fields: ['tenants[].egress.cidrs[]', 'platform.defaults.egress.cidrs[]'] },
  construct: { props: ['TenantNamespace.egress'] },
  values: none('egress is not a chart value'),
  admission: none(TENANTS_CANNOT_WRITE_POLICIES),
  audit: {
    scope: 'all',
    looksFor: `A NetworkPolicy in a tenant namespace that allows egress to a metadata address: a rule without \`to\`, or an \`ipBlock\` holding ${METADATA_HOSTS.slice(0, -1).map((h) => h.address.toString()).join(', ')} or ${METADATA_HOSTS[METADATA_HOSTS.length - 1].address.toString()} without excepting it (IPv4-mapped blocks read as the IPv4 block they map).`,
    detect: (run) => ({
      kinds: ['NetworkPolicy'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns)) return;
        const spec = asRecord(o.spec);
        if (!asArray(spec.policyTypes).includes('Egress') && spec.egress === undefined) return;
        asArray(spec.egress).forEach((raw, r) => {
          const rule = asRecord(raw);
          if (rule.to === undefined || asArray(rule.to).length === 0) {
            run.report(i, 'allows egress to every address, the metadata endpoint included', ['spec', 'egress', r]);
            return;
          }
          asArray(rule.to).forEach((peer, k) => {
            const block = asRecord(asRecord(peer).ipBlock);
            const parsed = parseCidr(asString(block.cidr) ?? '');
            if (!parsed) return;
            const cidr = unmapped(parsed);
            const except = asArray(block.except).map((e) => parseCidr(String(e))).filter((e): e is Cidr => e !== undefined).map(unmapped);
            const open = METADATA_HOSTS.find((host) => contains(cidr, host) && !except.some((e) => contains(e, host)));
            if (open) run.report(i, `\`${cidr.text}\` allows egress to ${open.address.toString()}, a metadata endpoint`, ['spec', 'egress', r, 'to', k, 'ipBlock', 'cidr']);
          });
        });
      },
    }),
  },
};


/** Checks an egress CIDR: it may not lie in a range of the metadata services. */
export function checkEgressToMetadata(text: string): string | undefined {
  const cidr = parseCidr(text);
  if (cidr?.address.kind() === 'ipv6' && (cidr.address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return `\`${text}\` is an IPv4-mapped IPv6 block, which names IPv4 addresses (the metadata endpoint's among them) in another form — write the IPv4 block itself`;
  }
  const metadata = cidr && METADATA_RANGES.find((range) => contains(range, cidr));
  return metadata
    ? `\`${text}\` lies in \`${metadata.text}\`, where clouds serve instance metadata and node credentials — allow the addresses the tenant needs elsewhere; broad blocks such as \`0.0.0.0/0\` already except this range`
    : undefined;
}

/** Checks an egress CIDR: it may not lie in the cluster's pod or Service ranges. */
export function checkEgressToCluster(text: string, network: ClusterNetwork = {}): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr) return undefined;
  for (const [field, ranges] of [['podCIDRs', network.podCIDRs], ['serviceCIDRs', network.serviceCIDRs]] as const) {
    const inside = (ranges ?? []).map((r) => parseCidr(r)).find((r) => r !== undefined && contains(r, cidr));
    if (inside) {
      return `\`${text}\` lies in \`${inside.text}\` (\`platform.network.${field}\`), the cluster's own ${field === 'podCIDRs' ? 'pods' : 'Services'}, other tenants' included — the tenant's own pods are always reachable; reach other services through their public addresses`;
    }
  }
  return undefined;
}

/** The ranges every broad egress block of a tenant excepts: the metadata services', and the cluster's pods and Services. */
export function egressExceptions(network: ClusterNetwork = {}): Cidr[] {
  const own = [...(network.podCIDRs ?? []), ...(network.serviceCIDRs ?? [])].map((r) => parseCidr(r)).filter((r): r is Cidr => r !== undefined);
  return [...METADATA_RANGES, ...own];
}

export const EGRESS_TO_CLUSTER: Threat = {
  id: 'egress-to-other-tenants',
  family: 'network',
  severity: 'high',
  title: 'Egress into the cluster\'s pod or Service addresses',
  why: 'On CNIs whose `ipBlock` matches pod addresses, an egress block over the pod or Service ranges lets a tenant\'s pods reach every other tenant\'s pods and Services, past their default deny.',
  fix: 'Name the pod and Service ranges in `platform.network` (`podCIDRs`, `serviceCIDRs`): tenants may not ask for egress inside them, and broad blocks except them.',
  spec: { fields: ['tenants[].egress.cidrs[]', 'platform.defaults.egress.cidrs[]'] },
  construct: { props: ['TenantNamespace.egress'] },
  values: none('egress is not a chart value'),
  admission: none(TENANTS_CANNOT_WRITE_POLICIES),
  audit: none('manifests do not say which addresses are the cluster\'s pods and Services'),
};

export const PLATFORM_DEFAULT_DENY: Threat = {
  id: 'platform-network-default-deny',
  family: 'network',
  severity: 'high',
  title: 'A platform namespace without a default-deny NetworkPolicy',
  why: 'The tenants\' Traefiks run in the platform namespace: without a default deny there, a Traefik (which a tenant steers through its routes and Middlewares) may call the metadata endpoint, the API server or any tenant\'s pods, and anything in the cluster may reach the platform\'s pods.',
  fix: 'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` in the platform namespace, and per Traefik one that allows its entry points in, and out only its tenant, DNS and the API server.',
  spec: none('every platform gets it: no spec field turns it off'),
  construct: none('Platform always renders it, and ScopedTraefik the allowances of its Traefik'),
  values: none('NetworkPolicies are not chart values'),
  admission: none('tenants cannot write in the platform namespace'),
  audit: {
    scope: 'all',
    looksFor: 'A platform namespace (one running Traefik) without a NetworkPolicy that selects every pod with no Ingress rule, and none with no Egress rule.',
    detect: (run) => ({
      finish: () => {
        for (const ns of [...run.platforms].sort()) {
          const facts = run.index.namespaces.get(ns);
          const anchor = facts?.namespaceIndex ?? facts?.firstIndex;
          if (facts === undefined || anchor === undefined || (facts.denyIngress && facts.denyEgress)) continue;
          const missing = [!facts.denyIngress && 'Ingress', !facts.denyEgress && 'Egress'].filter(Boolean).join(' and ');
          run.report(anchor, `platform namespace \`${ns}\` has no default-deny NetworkPolicy for ${missing}`, facts.namespaceIndex !== undefined ? ['metadata', 'name'] : []);
        }
      },
    }),
  },
};

/** Whether a label selector is present and selects everything (`{}`, or empty `matchLabels`/`matchExpressions`). */
function selectsAll(selector: unknown): boolean {
  if (selector === undefined || selector === null) return false;
  const s = asRecord(selector);
  return Object.keys(s).every((k) => {
    const v = s[k];
    return v === null || (Array.isArray(v) ? v.length === 0 : Object.keys(asRecord(v)).length === 0);
  });
}

/**
 * Whether a namespace selector selects every namespace: it selects all, or only asks that a label
 * every namespace carries (`kubernetes.io/metadata.name`, which Kubernetes sets) exists.
 */
function selectsAllNamespaces(selector: unknown): boolean {
  if (selectsAll(selector)) return true;
  if (selector === undefined || selector === null) return false;
  const { matchLabels, matchExpressions, ...rest } = asRecord(selector);
  const expressions = asArray(matchExpressions).map(asRecord);
  return Object.keys(rest).length === 0 && Object.keys(asRecord(matchLabels)).length === 0 && expressions.length > 0
    && expressions.every((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'Exists');
}

/**
 * The tenant namespaces other than `own` that a peer's `namespaceSelector` selects, by the labels
 * their Namespace objects carry in the input and the name label Kubernetes sets on each.
 */
function otherTenantsSelected(run: DetectorRun, own: string, selector: unknown): string[] {
  if (selector === undefined || selector === null) return [];
  return [...new Set(namedNamespaces(selector) ?? run.tenants)]
    .filter((t) => t !== own && run.tenants.has(t))
    .filter((t) => labelSelectorSelects(selector, { ...run.index.namespaceLabels.get(t), [NAMESPACE_NAME_LABEL]: t }))
    .sort();
}

/**
 * The namespaces a selector can select at most when it names them (`kubernetes.io/metadata.name`
 * equal to, or `In`, a list): so that the common peer costs a lookup, not a walk over every
 * tenant. Undefined when it selects by other labels.
 */
function namedNamespaces(selector: unknown): string[] | undefined {
  const s = asRecord(selector);
  const name = asStringMap(s.matchLabels)[NAMESPACE_NAME_LABEL];
  if (name !== undefined) return [name];
  const named = asArray(s.matchExpressions).map(asRecord).find((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === 'In');
  return named ? asStrings(named.values) : undefined;
}

/** What a NetworkPolicy peer lets through, when it is every pod of every namespace. */
function everyNamespace(peer: Record<string, unknown>): boolean {
  return selectsAllNamespaces(peer.namespaceSelector) && (peer.podSelector === undefined || peer.podSelector === null || selectsAll(peer.podSelector));
}

/** ` on port 80/TCP, 443/TCP` for a rule with ports; empty for every port. */
function onPorts(rule: Record<string, unknown>): string {
  const ports = asArray(rule.ports).map((p) => `${String(asRecord(p).port ?? 'any')}/${asString(asRecord(p).protocol) ?? 'TCP'}`);
  return ports.length > 0 ? ` on port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}` : ' on every port';
}

/** A rule that only lets DNS through (port 53): what every pod needs, and no way into another tenant. */
const dnsOnly = (rule: Record<string, unknown>) => asArray(rule.ports).length > 0 && asArray(rule.ports).every((p) => String(asRecord(p).port) === '53');

export const NO_ALLOW_ALL_POLICY: Threat = {
  id: 'no-allow-all-network-policy',
  family: 'network',
  severity: 'high',
  title: 'A NetworkPolicy that opens a tenant namespace to every namespace, or to other tenants\'',
  why: 'A default deny only holds until another policy allows more: an ingress rule without `from`, or with a peer `namespaceSelector: {}` (and no pod selector), lets every pod of every namespace — other tenants\' included — reach the tenant\'s pods; an egress rule without `to`, or to `namespaceSelector: {}`, lets the tenant\'s pods reach every pod of every namespace (and, without `to`, every address). A peer whose namespace selector picks other tenants\' namespaces — by name, or by a label they share — opens the tenants to each other; a pod selector does not help, as tenants label their own pods.',
  fix: 'Allow peers by namespace name (`namespaceSelector.matchLabels: { kubernetes.io/metadata.name: <namespace> }`) and pod labels, and egress to the CIDRs the tenant needs; leave the default deny alone.',
  spec: none('the spec allows egress by CIDR only, and ingress only from the tenant\'s own namespace and Traefik'),
  construct: none('TenantNamespace allows only its own namespace, DNS, its Traefik and the egress CIDRs (metadata and cluster ranges excepted)'),
  values: none('NetworkPolicies are not chart values'),
  admission: none(TENANTS_CANNOT_WRITE_POLICIES),
  audit: {
    scope: 'all',
    looksFor: 'A NetworkPolicy in a tenant namespace with an ingress rule without `from` or with a peer `namespaceSelector: {}` and no pod selector (every pod of every namespace), or an egress rule without `to` or to such a peer (rules that only allow port 53, DNS, excepted); and a peer whose `namespaceSelector` selects another tenant\'s namespace, by its name or by labels its Namespace carries, whatever the pod selector (tenants label their own pods).',
    detect: (run) => ({
      kinds: ['NetworkPolicy'],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns)) return;
        const spec = asRecord(o.spec);
        const types = spec.policyTypes !== undefined ? asArray(spec.policyTypes) : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
        const directions = [
          ['ingress', 'from', 'Ingress', 'every pod of every namespace (and every address) may connect', 'lets every pod of every namespace connect'],
          ['egress', 'to', 'Egress', 'the tenant\'s pods may connect to every pod of every namespace (and every address)', 'lets the tenant\'s pods connect to every pod of every namespace'],
        ] as const;
        for (const [field, peers, type, open, everywhere] of directions) {
          if (!types.includes(type)) continue;
          asArray(spec[field]).forEach((raw, r) => {
            const rule = asRecord(raw);
            if (field === 'egress' && dnsOnly(rule)) return;
            const list = asArray(rule[peers]);
            if (list.length === 0) {
              run.report(i, `${field} rule ${r} has no \`${peers}\`: ${open}${onPorts(rule)}`, ['spec', field, r]);
              return;
            }
            const k = list.findIndex((peer) => everyNamespace(asRecord(peer)));
            if (k >= 0) {
              run.report(i, `${field} rule ${r} ${everywhere}${onPorts(rule)}`, ['spec', field, r, peers, k]);
              return;
            }
            list.forEach((peer, p) => {
              const others = otherTenantsSelected(run, ns, asRecord(peer).namespaceSelector);
              if (others.length === 0) return;
              const names = others.map((t) => `\`${t}\``).join(', ');
              run.report(i, field === 'ingress'
                ? `ingress rule ${r} lets pods of other tenants' namespaces connect (${names})${onPorts(rule)} — tenants label their own pods, so a pod selector does not keep them out`
                : `egress rule ${r} lets the tenant's pods connect to other tenants' namespaces (${names})${onPorts(rule)}`, ['spec', field, r, peers, p, 'namespaceSelector']);
            });
          });
        }
      },
    }),
  },
};

export const NO_TENANT_INGRESS_CONTROLLER: Threat = {
  id: 'no-tenant-ingress-controller',
  family: 'network',
  severity: 'high',
  title: 'An ingress controller runs inside a tenant namespace',
  why: 'An ingress controller (Traefik, ingress-nginx, Kong, HAProxy…) usually watches Ingresses of every namespace, claims an ingress class others use, and comes with a ClusterRole that reads every Secret. Run inside a tenant namespace, the tenant controls it — its image, its configuration, exec into it, its ServiceAccount\'s token — and with it other tenants\' routes, traffic and TLS keys.',
  fix: 'Run ingress controllers in a platform namespace the tenant cannot write, one per tenant scoped to that tenant\'s namespace (as ScopedTraefik does); route the tenant\'s traffic through it.',
  spec: none('every tenant gets a Traefik of its own in the platform namespace'),
  construct: none('ScopedTraefik runs in the platform namespace, out of the tenant\'s reach'),
  values: none('tenants\' workloads are not chart values'),
  admission: none('an image name proves nothing at admission — any image can be retagged — and what makes a controller dangerous is its RBAC, which tenants cannot write (see `no-rbac-writes`, `no-cluster-bindings-for-tenants`)'),
  audit: {
    scope: 'all',
    looksFor: 'A Deployment, DaemonSet or StatefulSet in a tenant namespace running an ingress controller: Traefik with a Kubernetes provider, ingress-nginx (also by its `/nginx-ingress-controller` command), NGINX\'s nginx-ingress, Kong\'s kubernetes-ingress-controller, HAProxy\'s, Contour or Emissary (by image).',
    detect: (run) => ({
      kinds: [...WORKLOAD_KINDS],
      visit: (o, i) => {
        const ns = asString(o.metadata?.namespace);
        if (ns === undefined || !run.tenants.has(ns)) return;
        const found = ingressControllers(o);
        if (found.length === 0) return;
        const sa = serviceAccountOf(o);
        const cluster = run.index.clusterBindingsBySubject.get(`sa:${ns}/${sa}`) ?? [];
        const bound = cluster.length > 0 ? `; its ServiceAccount ${ns}/${sa} is bound cluster-wide by ${objectRef(run.objects[cluster[0]])}` : '';
        for (const c of found) run.report(i, `container \`${c.container}\` runs ${c.controller} in tenant namespace \`${ns}\`${bound}`, c.path);
      },
    }),
  },
};

/** The node port range of a default cluster (the API server's `--service-node-port-range`). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** The Traefik Service ports that may have a fixed node port. */
export const NODE_PORT_NAMES = ['web', 'websecure'] as const;
export type NodePortName = (typeof NODE_PORT_NAMES)[number];

/** Checks a fixed node port: inside the default node port range. */
export function checkNodePort(port: number): string | undefined {
  return Number.isInteger(port) && port >= NODE_PORT_RANGE.min && port <= NODE_PORT_RANGE.max
    ? undefined
    : `${port} is not a node port — use a whole number from ${NODE_PORT_RANGE.min} to ${NODE_PORT_RANGE.max} (the API server's default \`--service-node-port-range\`), or leave it out to have one allocated`;
}

/** The refusal for a node port another Service of the platform already claims (`owner`: `tenant \`a\` (web)` or `web`, in this tenant). */
export function nodePortTakenRefusal(port: number | string, owner: string): string {
  return `node port ${port} is already ${owner}'s — every node opens it for one Service only: choose another port, or leave it out to have one allocated`;
}

export const ONE_NODE_PORT_ONE_TENANT: Threat = {
  id: 'one-node-port-one-tenant',
  family: 'network',
  severity: 'high',
  title: 'Two tenants\' Traefiks claim one node port',
  why: 'A node port is opened on every node for one Service only. Two tenants that ask for the same port cannot both have it: whichever Service is created first gets it, so the other tenant is offline — and when the first tenant\'s Service is deleted or recreated, the other tenant\'s Traefik takes over its port and receives its traffic.',
  fix: 'Give each tenant\'s `traefik.service.nodePorts` ports of its own (or leave them out to have Kubernetes allocate free ones); keep fixed node ports out of `platform.defaults`.',
  spec: { fields: ['tenants[].traefik.service.nodePorts', 'platform.defaults.traefik.service.nodePorts'] },
  construct: { props: ['ScopedTraefik.service.nodePorts'] },
  // One chart cannot see the other tenants' charts (the API server refuses a node port already
  // allocated when a chart installs); within its own values, web and websecure must differ.
  values: [{
    key: 'traefik.service.nodePorts',
    template: () => `{{- with .Values.traefik.service.nodePorts }}{{- if .web }}{{- if .websecure }}{{- if eq (int .web) (int .websecure) }}{{- fail (printf ${JSON.stringify(`traefik.service.nodePorts.websecure: ${nodePortTakenRefusal('%v', 'web')}`)} .websecure) }}{{- end }}{{- end }}{{- end }}{{- end }}\n`,
  }],
  admission: none('tenants cannot create NodePort Services (`tenant-service-types`), and the API server refuses a node port that is taken'),
  audit: {
    scope: 'all',
    looksFor: 'Two Services in the manifests that name the same `nodePort`.',
    detect: (run) => {
      const owners = new Map<number, number>();
      return {
        kinds: ['Service'],
        visit: (o, i) => {
          asArray(asRecord(o.spec).ports).forEach((raw, k) => {
            const port = asRecord(raw).nodePort;
            if (typeof port !== 'number') return;
            const first = owners.get(port);
            if (first === undefined) owners.set(port, i);
            else run.report(i, `node port ${port} is also ${objectRef(run.objects[first])}'s`, ['spec', 'ports', k, 'nodePort']);
          });
        },
      };
    },
  },
};

export const MONITORING_NAMESPACE: Threat = {
  id: 'monitoring-namespace',
  family: 'network',
  severity: 'high',
  title: 'The monitoring namespace is a tenant\'s or the platform\'s',
  why: 'Every tenant namespace admits the monitoring namespace (`platform.monitoring.namespace`) on every port, so that Prometheus can scrape the tenants\' pods: a tenant whose namespace it is reaches every other tenant\'s pods past their default deny; the platform namespace, where every tenant\'s Traefik runs, would be let into every tenant.',
  fix: 'Run Prometheus in a namespace of its own (`monitoring`) that no tenant is named after, and that is not the platform namespace.',
  spec: { fields: ['platform.monitoring.namespace', 'tenants[].name'] },
  construct: { props: ['Platform.monitoring', 'TenantNamespace.name'] },
  values: none('the monitoring namespace is not a chart value'),
  admission: none(TENANTS_CANNOT_WRITE_POLICIES),
  audit: none('manifests do not say which namespace is the monitoring one; `no-allow-all-network-policy` finds policies open to every namespace'),
};

/** Checks `platform.monitoring.namespace` against the platform namespace (tenant names are checked with the whole spec). */
export function checkMonitoringNamespace(namespace: string, platformNamespace: string): string | undefined {
  return namespace === platformNamespace
    ? `\`${namespace}\` is the platform namespace: every tenant's Traefik runs there, and the monitoring namespace is let into every tenant namespace — run Prometheus in a namespace of its own, e.g. \`monitoring\``
    : undefined;
}

/** The refusal for a tenant named like the monitoring namespace (reported once, at the tenant's name). */
export function tenantIsMonitoringNamespaceRefusal(namespace: string): string {
  return `\`${namespace}\` is also the monitoring namespace (\`platform.monitoring.namespace\`), which every tenant namespace admits on every port: this tenant would reach every other tenant's pods — choose another tenant name, or another monitoring namespace`;
}

export const NETWORK_THREATS: readonly Threat[] = [
  TENANT_SERVICE_TYPES, NO_EXTERNAL_IPS, EGRESS_TO_METADATA, EGRESS_TO_CLUSTER, PLATFORM_DEFAULT_DENY, NO_ALLOW_ALL_POLICY, NO_TENANT_INGRESS_CONTROLLER,
  ONE_NODE_PORT_ONE_TENANT, MONITORING_NAMESPACE,
];
