/**
 * Threats over the network: traffic that bypasses the tenant's Traefik, addresses a tenant
 * could intercept, and destinations no tenant pod should reach.
 */
import { DetectorRun, KubeObjectLike } from './detect/engine';
import { Cidr, contains, METADATA_RANGES, parseCidr } from './cidrs';
import { asArray, asRecord, asString } from './detect/values';
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
      if (type !== undefined && type !== 'ClusterIP') run.report(i, `is a ${type} Service in tenant namespace \`${o.metadata.namespace}\``, ['spec', 'type']);
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
    looksFor: 'A NetworkPolicy in a tenant namespace that allows egress to a metadata address: a rule without `to`, or an `ipBlock` holding 169.254.169.254, 169.254.170.2, 100.100.100.200, 168.63.129.16 or fd00:ec2::254 without excepting it.',
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
            const cidr = parseCidr(asString(block.cidr) ?? '');
            if (!cidr) return;
            const except = asArray(block.except).map((e) => parseCidr(String(e))).filter((e): e is Cidr => e !== undefined);
            const open = METADATA_HOSTS.find((host) => contains(cidr, host) && !except.some((e) => contains(e, host)));
            if (open) run.report(i, `\`${cidr.text}\` allows egress to ${open.address.toString()}, a metadata endpoint`, ['spec', 'egress', r, 'to', k, 'ipBlock', 'cidr']);
          });
        });
      },
    }),
  },
};

/** The single addresses of the metadata services, for the audit (a block that holds one reaches it). */
const METADATA_HOSTS: readonly Cidr[] = ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32', '168.63.129.16/32', 'fd00:ec2::254/128'].map((t) => parseCidr(t)!);

/** Checks an egress CIDR: it may not lie in a range of the metadata services. */
export function checkEgressToMetadata(text: string): string | undefined {
  const cidr = parseCidr(text);
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

export const NETWORK_THREATS: readonly Threat[] = [TENANT_SERVICE_TYPES, NO_EXTERNAL_IPS, EGRESS_TO_METADATA, EGRESS_TO_CLUSTER, PLATFORM_DEFAULT_DENY];
