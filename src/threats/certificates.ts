/**
 * Threats through hosts and certificates: a tenant that holds a certificate or serves a route
 * for a host that is not its own, or obtains one from an issuer that answers every namespace.
 */
import { ADMISSION_POLICY_NAMES, ANNOTATIONS, PLATFORM_NAMES } from '../model/names';
import { DetectorRun, KubeObjectLike, objectRef, push } from './detect/engine';
import { addGate, GatedIssuers, isCertificateRequestPolicy } from './detect/approver-policy';
import { certificateNames, namedHosts } from './detect/hosts';
import { asArray, asRecord, asString, asStringMap, FieldPath } from './detect/values';
import { hostGuardPattern, hostsWithinDomains, noneIn, withDomains } from './cel';
import { checkHostName, isWithin } from './formats';
import { none, Threat } from './threat';

const P = ADMISSION_POLICY_NAMES;
const ROUTES_NOT_IN_SPEC = 'tenants write their own routes and Certificates: no spec field describes them';
const NOT_VALUES = 'domains and issuers are not chart values: a chart is rendered for its tenant\'s domains';

const isCertManagerApi = (o: KubeObjectLike) => typeof o.apiVersion === 'string' && o.apiVersion.startsWith('cert-manager.io/');

/** A detector over objects in tenant namespaces of the given kinds. */
const inTenants = (kinds: readonly string[], judge: (run: DetectorRun, o: KubeObjectLike, i: number, ns: string) => void) => (run: DetectorRun) => ({
  kinds,
  visit: (o: KubeObjectLike, i: number) => {
    const ns = asString(o.metadata?.namespace);
    if (ns !== undefined && run.tenants.has(ns)) judge(run, o, i, ns);
  },
});

export const NO_TENANT_WILDCARD: Threat = {
  id: 'no-tenant-wildcard',
  family: 'certificates',
  severity: 'critical',
  title: 'A wildcard certificate in a tenant namespace',
  why: 'A wildcard key held by one tenant is valid for every sibling host, including other tenants\'; and since Traefik picks certificates before routing, it may serve it for other tenants\' hosts.',
  fix: 'Issue one certificate per host in tenant namespaces; keep wildcard certificates in the platform namespace and serve them through the `default` TLSStore.',
  spec: { fields: ['tenants[].domains[]'] },
  construct: { props: ['TenantNamespace.domains'] },
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: P.certificates,
      expression: "!variables.isCertificate || ((!has(object.spec.dnsNames) || object.spec.dnsNames.all(n, !n.contains('*'))) && (!has(object.spec.commonName) || !object.spec.commonName.contains('*')))",
      message: 'a tenant Certificate may not name a wildcard: it would be valid for every host under it, other tenants\' included. Put wildcards on platform.wildcard.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A tenant Certificate naming a wildcard (`dnsNames`, `commonName`); a tenant `kubernetes.io/tls` Secret (or any Secret with a `tls.crt`, as copies may be `Opaque`) whose `cert-manager.io/alt-names`/`common-name` annotations, or whose `tls.crt` itself, show one.',
    detect: inTenants(['Certificate', 'Secret'], (run, o, i, ns) => {
      if (o.kind === 'Certificate') {
        if (!isCertManagerApi(o)) return;
        for (const { host, path } of namedHosts(o)) if (host.includes('*')) run.report(i, `wildcard \`${host}\` in tenant namespace \`${ns}\``, path);
        return;
      }
      // A copy may change the type (Opaque): any Secret with a `tls.crt` holds a certificate.
      if (asString(o.type) !== 'kubernetes.io/tls' && asRecord(o.data)['tls.crt'] === undefined && asRecord(o.stringData)['tls.crt'] === undefined) return;
      const annotations = asStringMap(o.metadata.annotations);
      const fromAnnotations: Array<[string, string]> = [];
      for (const key of ['cert-manager.io/alt-names', 'cert-manager.io/common-name']) {
        for (const name of (annotations[key] ?? '').split(',').map((s) => s.trim())) if (name.includes('*')) fromAnnotations.push([name, key]);
      }
      if (fromAnnotations.length > 0) {
        run.report(i, `holds a wildcard certificate for ${fromAnnotations.map(([n]) => `\`${n}\``).join(', ')} in tenant namespace \`${ns}\``, ['metadata', 'annotations', fromAnnotations[0][1]]);
        return;
      }
      const fromData = [...new Set(certificateNames(o).filter((n) => n.includes('*')))];
      if (fromData.length > 0) {
        run.report(i, `\`tls.crt\` is a wildcard certificate for ${fromData.map((n) => `\`${n}\``).join(', ')} in tenant namespace \`${ns}\``, [asRecord(o.data)['tls.crt'] !== undefined ? 'data' : 'stringData', 'tls.crt']);
      }
    }),
  },
};

/**
 * Checks a host name a tenant serves (already lowercased). Wildcards are refused: a wildcard
 * certificate in a tenant namespace would let that tenant serve every sibling host, including
 * other tenants'.
 */
export function checkTenantDomain(domain: string): string | undefined {
  if (domain.includes('*')) {
    return `\`${domain}\` is a wildcard; a tenant holding a wildcard certificate can serve every host under it, other tenants' included — list each host, or put the wildcard on \`platform.wildcard\``;
  }
  return checkHostName(domain);
}

export const TENANT_NAMESPACED_ISSUER: Threat = {
  id: 'tenant-namespaced-issuer',
  family: 'certificates',
  severity: 'high',
  title: 'A tenant certificate from a ClusterIssuer',
  why: 'A ClusterIssuer answers every namespace; with DNS-01 credentials it can issue for any name in the zone, so a tenant can obtain certificates for hosts it does not own.',
  fix: 'Give each tenant a namespaced cert-manager `Issuer` and point its Certificates (`spec.issuerRef`, or the `cert-manager.io/issuer` annotation of an Ingress) at it.',
  spec: { fields: ['tenants[].issuer.clusterIssuer', 'platform.defaults.issuer.clusterIssuer'] },
  construct: { props: ['TenantIssuer.issuer'] },
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: P.certificates,
      expression: "(!has(object.spec.issuerRef.group) || object.spec.issuerRef.group in ['', 'cert-manager.io']) && (!has(object.spec.issuerRef.kind) || object.spec.issuerRef.kind in ['', 'Issuer'] || (object.spec.issuerRef.kind == 'ClusterIssuer' && variables.clusterIssuer != '' && object.spec.issuerRef.name == variables.clusterIssuer))",
      message: 'spec.issuerRef must name a namespaced cert-manager Issuer (kind Issuer, group cert-manager.io), or the platform CA where the tenant opted in: another ClusterIssuer or an external issuer signs for every namespace.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A tenant Certificate whose `issuerRef.kind` is a ClusterIssuer (in the generator\'s output: anything but `Issuer`) that no approver-policy CertificateRequestPolicy opens to its namespace by name; a tenant Ingress annotated `cert-manager.io/cluster-issuer` (or `issuer-kind: ClusterIssuer`).',
    detect: (run) => {
      const gated: GatedIssuers = new Map();
      const certificates: number[] = [];
      return {
        kinds: ['Certificate', 'Ingress', 'CertificateRequestPolicy'],
        visit: (o, i) => {
          if (isCertificateRequestPolicy(o)) addGate(gated, o);
          const ns = asString(o.metadata?.namespace);
          if (ns === undefined || !run.tenants.has(ns)) return;
          if (o.kind === 'Certificate' && isCertManagerApi(o)) certificates.push(i);
          if (o.kind === 'Ingress') {
            const annotations = asStringMap(o.metadata.annotations);
            for (const key of ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer-kind']) {
              const value = annotations[key];
              if (value !== undefined && (key.endsWith('cluster-issuer') || /ClusterIssuer$/.test(value))) {
                run.report(i, `asks cert-manager for a certificate from ClusterIssuer \`${annotations['cert-manager.io/cluster-issuer'] ?? annotations['cert-manager.io/issuer'] ?? '?'}\``, ['metadata', 'annotations', key]);
                return;
              }
            }
          }
        },
        // A ClusterIssuer that approver-policy opens to this namespace by name (the platform CA) is fine.
        finish: () => {
          for (const i of certificates) {
            const o = run.objects[i];
            const issuerRef = asRecord(asRecord(o.spec).issuerRef);
            const kind = asString(issuerRef.kind);
            const name = asString(issuerRef.name) ?? '?';
            const clusterWide = run.generated ? kind !== 'Issuer' : /ClusterIssuer$/.test(kind ?? '');
            if (!clusterWide || (kind === 'ClusterIssuer' && gated.get(name)?.has(asString(o.metadata.namespace) ?? ''))) continue;
            run.report(i, `issued by ${kind ?? 'an issuer of unstated kind'} \`${name}\`, not by a namespaced Issuer`, ['spec', 'issuerRef', 'kind']);
          }
        },
      };
    },
  },
};

export const CLUSTER_ISSUER_REFUSAL =
  'a ClusterIssuer can be used by a Certificate in any namespace, so any tenant could obtain certificates through it — use a namespaced issuer: `acme`, `ca` or `selfSigned`';

export const NO_CLUSTER_ISSUER: Threat = {
  id: 'no-cluster-issuer',
  family: 'certificates',
  severity: 'medium',
  title: 'A ClusterIssuer',
  why: 'Any namespace allowed to create Certificates can use a ClusterIssuer, so it widens what every tenant may obtain certificates for.',
  fix: 'Prefer a namespaced Issuer per tenant; if the ClusterIssuer stays, limit who may use it with cert-manager approver-policy (a CertificateRequestPolicy per tenant, its namespace named, its domains only) and turn off cert-manager\'s default approver — as `platform.ca` does.',
  spec: none('the spec renders one ClusterIssuer only, the platform CA (`platform.ca`), gated per tenant by approver-policy'),
  construct: none('PlatformCaIssuer renders the only ClusterIssuer, and TenantCertificatePolicy the policy that gates it per tenant'),
  values: none(NOT_VALUES),
  admission: none('tenants cannot create ClusterIssuers: they are cluster-scoped and no tenant Role reaches them'),
  audit: {
    scope: 'all',
    looksFor: 'A cert-manager ClusterIssuer that no approver-policy CertificateRequestPolicy limits to namespaces named one by one.',
    detect: (run) => {
      const gated: GatedIssuers = new Map();
      const issuers: number[] = [];
      return {
        kinds: ['ClusterIssuer', 'CertificateRequestPolicy'],
        visit: (o, i) => {
          if (isCertificateRequestPolicy(o)) addGate(gated, o);
          else if (isCertManagerApi(o)) issuers.push(i);
        },
        finish: () => {
          for (const i of issuers) {
            const name = run.objects[i].metadata.name;
            // This tool's own platform CA is gated per tenant by construction, also before any tenant opts in.
            if (gated.has(name) || (run.generated && name === PLATFORM_NAMES.caIssuer)) continue;
            run.report(i, 'a ClusterIssuer can be used from every namespace', ['metadata', 'name']);
          }
        },
      };
    },
  },
};

export const ONE_CERTIFICATE_ONE_DOMAIN: Threat = {
  id: 'one-certificate-one-domain',
  family: 'certificates',
  severity: 'medium',
  title: 'A tenant certificate for more than one host',
  why: 'A certificate limited to the host its route serves cannot be served for another host.',
  fix: 'Issue one Certificate per domain.',
  spec: none('each domain of the spec gets a Certificate of its own'),
  construct: none('TenantIssuer renders one Certificate per domain'),
  values: none(NOT_VALUES),
  admission: none('a tenant may group its own hosts on one certificate: `hosts-within-tenant-domains` keeps them its own'),
  audit: {
    scope: 'generated',
    looksFor: 'A tenant Certificate with more or fewer than one `dnsNames` entry.',
    detect: inTenants(['Certificate'], (run, o, i) => {
      if (isCertManagerApi(o) && asArray(asRecord(o.spec).dnsNames).length !== 1) run.report(i, 'a tenant Certificate should name exactly one host', ['spec', 'dnsNames']);
    }),
  },
};

const DOMAINS_KEY = `'${ANNOTATIONS.domains}'`;
const CLUSTER_ISSUER_KEY = `'${ANNOTATIONS.clusterIssuer}'`;

/** The one ClusterIssuer the tenant's Certificates may name (the platform CA), from its Namespace annotation; `''` for none. */
export const CLUSTER_ISSUER_VARIABLE = {
  name: 'clusterIssuer',
  expression: `has(namespaceObject.metadata.annotations) && ${CLUSTER_ISSUER_KEY} in namespaceObject.metadata.annotations ? namespaceObject.metadata.annotations[${CLUSTER_ISSUER_KEY}] : ''`,
} as const;

/** The tenant's domains, from its Namespace annotation: `variables.domains` (a list) and `variables.domainList` (the text). */
export const DOMAIN_VARIABLES = [
  {
    name: 'domainList',
    expression: `has(namespaceObject.metadata.annotations) && ${DOMAINS_KEY} in namespaceObject.metadata.annotations ? namespaceObject.metadata.annotations[${DOMAINS_KEY}] : ''`,
  },
  { name: 'domains', expression: "variables.domainList == '' ? [] : variables.domainList.split(',')" },
] as const;

export const HOSTS_WITHIN_TENANT_DOMAINS: Threat = {
  id: 'hosts-within-tenant-domains',
  family: 'certificates',
  severity: 'critical',
  title: 'A tenant route or certificate for a host that is not the tenant\'s',
  why: 'A Certificate, Ingress, IngressRoute or Gateway API route naming another tenant\'s host — or matching any host (a rule without a host, a default backend, a HostRegexp) — gets that host\'s certificate signed for this tenant, or answers its visitors.',
  fix: 'Name only the tenant\'s own domains (the `tenancy.cdk8s.io/domains` annotation of its Namespace), one `Host()` per route, in backticks.',
  spec: none(ROUTES_NOT_IN_SPEC),
  construct: none('the constructs render Certificates for the tenant\'s own domains only'),
  values: none(NOT_VALUES),
  admission: {
    validations: [
      {
        policy: P.certificates,
        expression: '!variables.isCertificate || ((!has(object.spec.dnsNames) || object.spec.dnsNames.all(n, n.lowerAscii() in variables.domains)) && (!has(object.spec.commonName) || object.spec.commonName.lowerAscii() in variables.domains))',
        ...withDomains('spec.dnsNames and spec.commonName may only name this tenant\'s domains.'),
      },
      {
        policy: P.ingressHosts,
        expression: '!has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && r.host in variables.domains)',
        ...withDomains('every Ingress rule must name one of this tenant\'s hosts; a rule without a host, or with a wildcard, answers for any name.'),
      },
      {
        policy: P.ingressHosts,
        expression: '!has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, h in variables.domains))',
        ...withDomains('spec.tls[].hosts may only name this tenant\'s hosts.'),
      },
      {
        policy: P.ingressHosts,
        expression: '!has(object.spec.defaultBackend)',
        message: 'spec.defaultBackend answers every request whatever its host — route each of the tenant\'s hosts in spec.rules instead.',
      },
      {
        policy: P.ingressRouteHosts,
        expression: `variables.isTcp || object.spec.routes.all(r, r.match.lowerAscii().matches(r'${hostGuardPattern('host')}'))`,
        message: 'each route must match Host(`host`), or (Host(`a`) || Host(`b`)), in backticks, followed only by && conditions: HostRegexp, || beside the hosts, or a route without Host can answer for any name.',
      },
      {
        policy: P.ingressRouteHosts,
        expression: `variables.isTcp || object.spec.routes.all(r, ${hostsWithinDomains('r.match.lowerAscii()', 'host')})`,
        ...withDomains('Host() may only name this tenant\'s hosts.'),
      },
      {
        policy: P.ingressRouteHosts,
        expression: `!variables.isTcp || object.spec.routes.all(r, r.match.lowerAscii().matches(r'${hostGuardPattern('hostsni')}'))`,
        message: 'each TCP route must match HostSNI(`host`), or (HostSNI(`a`) || HostSNI(`b`)), in backticks, followed only by && conditions: HostSNI(`*`) or HostSNIRegexp answer for any name.',
      },
      {
        policy: P.ingressRouteHosts,
        expression: `!variables.isTcp || object.spec.routes.all(r, ${hostsWithinDomains('r.match.lowerAscii()', 'hostsni')})`,
        ...withDomains('HostSNI() may only name this tenant\'s hosts.'),
      },
    ],
  },
  audit: {
    scope: 'all',
    looksFor: 'A tenant\'s Certificate, Ingress, IngressRoute or HTTPRoute, GRPCRoute or TLSRoute naming a host that is not among the domains its Namespace\'s `tenancy.cdk8s.io/domains` annotation lists (namespaces without the annotation are left to `one-host-one-tenant`).',
    // Judged where the tenant's Namespace says its domains (as this tool writes it); elsewhere the
    // audit cannot know them, and `one-host-one-tenant` still finds hosts two tenants claim.
    detect: inTenants(['Certificate', 'Ingress', 'IngressRoute', 'IngressRouteTCP', 'HTTPRoute', 'GRPCRoute', 'TLSRoute'], (run, o, i, ns) => {
      const anchor = run.index.namespaces.get(ns)?.namespaceIndex;
      if (anchor === undefined) return;
      const list = asStringMap(run.objects[anchor].metadata.annotations)[ANNOTATIONS.domains];
      if (list === undefined) return;
      const domains = new Set(list.split(',').filter(Boolean));
      for (const { host, path } of namedHosts(o)) {
        if (!host.includes('*') && !domains.has(host)) run.report(i, `names \`${host}\`, which is not among tenant \`${ns}\`'s domains (${list || 'none'})`, path);
      }
    }),
  },
};

export const CERTIFICATE_NAMES_HOSTS_ONLY: Threat = {
  id: 'certificate-names-hosts-only',
  family: 'certificates',
  severity: 'high',
  title: 'A tenant Certificate for IP addresses, URIs, e-mail addresses or a literal subject',
  why: 'Identities other than the tenant\'s hosts — an IP address, a SPIFFE URI, an e-mail address, a hand-written subject — can belong to other tenants or to the platform, and the domain rules cannot check them.',
  fix: 'Name hosts only, in `spec.dnsNames`.',
  spec: none(ROUTES_NOT_IN_SPEC),
  construct: none('TenantIssuer\'s Certificates name one host each'),
  values: none(NOT_VALUES),
  admission: {
    validations: [{
      policy: P.certificates,
      expression: `!variables.isCertificate || (${noneIn('object.spec.ipAddresses')} && ${noneIn('object.spec.uris')} && ${noneIn('object.spec.emailAddresses')} && ${noneIn('object.spec.otherNames')} && !has(object.spec.literalSubject))`,
      message: 'a tenant Certificate names hosts only: ipAddresses, uris, emailAddresses, otherNames and literalSubject could claim identities that belong to others.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A tenant Certificate with `ipAddresses`, `uris`, `emailAddresses`, `otherNames` or `literalSubject`.',
    detect: inTenants(['Certificate'], (run, o, i) => {
      if (!isCertManagerApi(o)) return;
      const spec = asRecord(o.spec);
      const other = ['ipAddresses', 'uris', 'emailAddresses', 'otherNames', 'literalSubject'].find((f) => f === 'literalSubject' ? spec[f] !== undefined : asArray(spec[f]).length > 0);
      if (other) run.report(i, `names \`${other}\`, identities beyond the tenant's hosts`, ['spec', other]);
    }),
  },
};

/** One host claimed by a tenant: routed by an Ingress or IngressRoute, or named by a Certificate. */
interface HostClaim {
  readonly host: string;
  readonly tenant: string;
  readonly objectIndex: number;
  readonly path: FieldPath;
}

export const ONE_HOST_ONE_TENANT: Threat = {
  id: 'one-host-one-tenant',
  family: 'certificates',
  severity: 'critical',
  title: 'Two tenants serve one host',
  why: 'When two tenants route, or hold a certificate for, the same host, the one that wins serves the other tenant\'s visitors and can obtain its certificate. Across a fleet, a host claimed on two clusters is served by whichever cluster DNS points at, and both tenants can obtain its certificate.',
  fix: 'Give each host to exactly one tenant, on one cluster of the fleet: remove the route or certificate from the namespace that should not serve it (a wildcard certificate counts as serving every host it covers).',
  spec: { fields: ['tenants[].domains[]'] },
  construct: { props: ['TenantNamespace.domains'] },
  values: none(NOT_VALUES),
  admission: none('`hosts-within-tenant-domains` keeps each tenant on its own domains, and the spec gives a domain to one tenant only'),
  audit: {
    scope: 'all',
    looksFor: 'Two tenants claim one host: Ingress `rules[].host` and `tls[].hosts`, IngressRoute `Host(…)`/`HostHeader(…)`, IngressRouteTCP `HostSNI(…)`, HTTPRoute, GRPCRoute and TLSRoute `hostnames`, Certificate `dnsNames`/`commonName`; a wildcard certificate claims the hosts one label below it. Reported on every claim.',
    detect: (run) => {
      const claims: HostClaim[] = [];
      return {
        kinds: ['Certificate', 'Ingress', 'IngressRoute', 'IngressRouteTCP', 'HTTPRoute', 'GRPCRoute', 'TLSRoute'],
        visit: (o, i) => {
          const ns = asString(o.metadata?.namespace);
          if (ns === undefined || !run.tenants.has(ns)) return;
          for (const { host, path } of namedHosts(o)) claims.push({ host, tenant: ns, objectIndex: i, path });
        },
        finish: () => reportSharedHosts(run, claims),
      };
    },
  },
};

/** The refusal for a domain two tenants (or one tenant twice) list. */
export function duplicateDomainRefusal(domain: string, otherTenant: string | undefined): string {
  const whose = otherTenant === undefined ? 'this tenant already lists it' : `tenant \`${otherTenant}\` already claims it`;
  return `\`${domain}\` is claimed twice: ${whose} — a host belongs to one tenant only; remove one entry`;
}

/** The refusal for a host claimed by tenants on two clusters of a fleet: DNS sends each host to one cluster. */
export function duplicateDomainAcrossClustersRefusal(domain: string, otherTenant: string, otherCluster: string, cluster: string): string {
  return `\`${domain}\` is claimed on two clusters: tenant \`${otherTenant}\` on cluster \`${otherCluster}\` already claims it, and this tenant is on \`${cluster}\` — a host belongs to one tenant on one cluster of the fleet; remove one entry`;
}

/** Hosts claimed by more than one tenant, a wildcard claim covering the hosts one label below it. */
function reportSharedHosts(run: DetectorRun, claims: readonly HostClaim[]): void {
  const exact = new Map<string, HostClaim[]>();
  const wildcards = new Map<string, HostClaim[]>();
  for (const c of claims) {
    push(exact, c.host, c);
    if (c.host.startsWith('*.')) push(wildcards, c.host.slice(2), c);
  }
  const conflicts = new Map<string, { claim: HostClaim; others: string[] }>();
  for (const [host, direct] of exact) {
    const parent = host.startsWith('*.') ? undefined : host.slice(host.indexOf('.') + 1);
    const covering = parent !== undefined && host.includes('.') ? wildcards.get(parent) ?? [] : [];
    const all = [...direct, ...covering];
    const tenants = new Set(all.map((c) => c.tenant));
    if (tenants.size < 2) continue;
    for (const claim of all) {
      const key = `${claim.objectIndex}|${claim.path.join('.')}`;
      const entry = conflicts.get(key) ?? { claim, others: [] };
      for (const other of all) {
        if (other.tenant === claim.tenant) continue;
        const via = other.host === host ? '' : ` through \`${other.host}\``;
        const mine = claim.host === host ? `\`${host}\`` : `\`${claim.host}\` covers \`${host}\`, which`;
        entry.others.push(`${mine} is also served by tenant \`${other.tenant}\` (${objectRef(run.objects[other.objectIndex])}${via})`);
      }
      conflicts.set(key, entry);
    }
  }
  for (const { claim, others } of conflicts.values()) {
    const unique = [...new Set(others)];
    const shown = unique.slice(0, 3).join('; ');
    run.report(claim.objectIndex, unique.length > 3 ? `${shown}; and ${unique.length - 3} more` : shown, claim.path, claim.tenant);
  }
}

export const DOMAIN_WITHIN_ALLOWED_ZONES: Threat = {
  id: 'domain-within-allowed-zones',
  family: 'certificates',
  severity: 'high',
  title: 'A tenant domain outside the zones the platform allows',
  why: 'A tenant file (which tenants may edit through pull requests) could claim a host of the company\'s main site, of another team\'s zone, or of a zone the platform\'s DNS does not serve.',
  fix: 'List the zones tenants may use in `platform.allowedDomains`, and give each tenant hosts under them.',
  spec: { fields: ['tenants[].domains[]', 'platform.wildcard.dnsNames[]', 'clusters[].platform.wildcard.dnsNames[]'] },
  construct: { props: ['TenantNamespace.domains', 'WildcardTlsStore.dnsNames'] },
  values: none(NOT_VALUES),
  admission: none('`hosts-within-tenant-domains` keeps every route and Certificate on the tenant\'s own (allowed) domains'),
  audit: none('manifests do not say which zones the platform allows'),
};

/** Checks a name of the platform's wildcard certificate (its zone, without `*.`) against the allowed zones. */
export function checkWildcardZone(name: string, allowed: readonly string[]): string | undefined {
  const zone = name.toLowerCase().replace(/^\*\./, '');
  return allowed.some((z) => zone === z || zone.endsWith(`.${z}`))
    ? undefined
    : `\`${name}\` is outside \`platform.allowedDomains\` — use a zone under one of them`;
}

export function checkAllowedZone(domain: string, allowed: readonly string[]): string | undefined {
  return allowed.some((zone) => isWithin(domain, zone))
    ? undefined
    : `\`${domain}\` is outside \`platform.allowedDomains\` (${allowed.join(', ')}) — use a host under one of them, or ask the platform team to allow its zone`;
}

export const WILDCARD_DNS01: Threat = {
  id: 'wildcard-dns01',
  family: 'certificates',
  severity: 'medium',
  title: 'A wildcard certificate without a DNS-01 solver',
  why: 'ACME issues wildcard certificates only through a DNS-01 challenge: without one the platform\'s default certificate is never issued and every tenant\'s Traefik serves its self-signed fallback.',
  fix: 'Give `platform.wildcard.acme` a `dns01` solver (`cloudflare` or `route53`), and no `http01`.',
  spec: { fields: ['platform.wildcard.acme.dns01', 'platform.wildcard.acme.http01', 'clusters[].platform.wildcard.acme.dns01'] },
  construct: { props: ['WildcardTlsStore.acme.dns01'] },
  values: none('the wildcard is not a chart value'),
  admission: none('the wildcard lives in the platform namespace, out of tenants\' reach'),
  audit: none('cert-manager reports a Certificate it cannot issue'),
};

/** The refusal for a wildcard whose ACME settings name no DNS-01 provider. */
export const WILDCARD_NEEDS_DNS01 = 'a wildcard certificate can only be issued through a DNS-01 challenge — add `dns01` with your DNS provider (e.g. `cloudflare.apiTokenSecretRef`)';
/** The refusal for an `http01` beside `dns01` on the wildcard. */
export const WILDCARD_HTTP01_UNUSED = 'a wildcard certificate can only be issued through a DNS-01 challenge, so `http01` would never be used — remove it';

export const WILDCARD_TOKEN_SECRET: Threat = {
  id: 'wildcard-token-secret',
  family: 'certificates',
  severity: 'medium',
  title: 'The wildcard certificate\'s Secret is the DNS-01 token\'s',
  why: 'cert-manager writes the certificate into its Secret, overwriting the DNS provider\'s API token stored there: the next renewal fails and the token is lost.',
  fix: 'Give the certificate a Secret of its own, e.g. `platform-wildcard-tls`.',
  spec: { fields: ['platform.wildcard.secretName', 'clusters[].platform.wildcard.secretName'] },
  construct: { props: ['WildcardTlsStore.secretName'] },
  values: none('the wildcard is not a chart value'),
  admission: none('the wildcard lives in the platform namespace, out of tenants\' reach'),
  audit: none('manifests hold the Certificate but not which Secret the token is meant to stay in'),
};

export function checkWildcardSecret(secretName: string, tokenSecret: string | undefined): string | undefined {
  return tokenSecret !== undefined && secretName === tokenSecret
    ? `\`${secretName}\` is also the Secret of the DNS-01 API token, which cert-manager would overwrite with the certificate — give the certificate a Secret of its own, e.g. \`platform-wildcard-tls\``
    : undefined;
}

export const SHARED_CA_KEY: Threat = {
  id: 'shared-ca-key',
  family: 'certificates',
  severity: 'critical',
  title: 'A CA key shared by several tenants, in their own namespaces',
  why: 'A namespaced `ca` Issuer reads its CA key pair from a Secret in the tenant\'s namespace, where the owners can read it (and replace it with `secrets: manage`). Given to every tenant (as `platform.defaults` would), the same key lets any tenant sign a certificate for any other tenant\'s host.',
  fix: 'Give each tenant a CA of its own, or share one CA the safe way: `platform.ca` keeps the key in cert-manager\'s namespace behind a ClusterIssuer, and a tenant opting in with `issuer: { platformCA: {} }` may only have its own domains signed (approver-policy).',
  spec: { fields: ['platform.defaults.issuer.ca', 'tenants[].issuer.ca.secretName', 'tenants[].issuer.platformCA'] },
  // A construct sees its tenant and its Platform: whether two tenants share a CA Secret is the spec's and the audit's to see.
  construct: { props: ['TenantIssuer.issuer'] },
  values: none(NOT_VALUES),
  admission: none('tenants cannot write Issuers: their Role grants only get, list and watch on them'),
  audit: {
    scope: 'all',
    looksFor: 'CA Issuers in two or more tenant namespaces that read the same Secret name (copies of one CA, most likely).',
    detect: (run) => {
      const bySecret = new Map<string, Array<{ i: number; ns: string }>>();
      return {
        kinds: ['Issuer'],
        visit: (o, i) => {
          const ns = asString(o.metadata?.namespace);
          const secret = asString(asRecord(asRecord(o.spec).ca).secretName);
          if (ns !== undefined && run.tenants.has(ns) && secret !== undefined && isCertManagerApi(o)) push(bySecret, secret, { i, ns });
        },
        finish: () => {
          for (const [secret, issuers] of bySecret) {
            const tenants = [...new Set(issuers.map((x) => x.ns))];
            if (tenants.length < 2) continue;
            for (const { i } of issuers) run.report(i, `signs with Secret \`${secret}\`, like the CA Issuers of tenants ${tenants.map((t) => `\`${t}\``).join(', ')}`, ['spec', 'ca', 'secretName']);
          }
        },
      };
    },
  },
};

/** The refusal for a `ca` issuer in `platform.defaults`: every tenant would hold the same CA key. */
export const SHARED_CA_REFUSAL = 'a CA issuer here gives every tenant the same CA key, in each tenant\'s own namespace, so any tenant could sign for another tenant\'s hosts — share a CA through `platform.ca` (tenants opt in with `issuer: { platformCA: {} }`), or give each tenant a CA of its own';
/** Whether a certificate for `names` serves `host`: one of them is the host, or `*.zone` with the host one label below `zone`. */
export function wildcardCovers(names: readonly string[], host: string): boolean {
  return names.some((n) => n === host || (n.startsWith('*.') && host.endsWith(n.slice(1)) && !host.slice(0, -(n.length - 1)).includes('.')));
}

/** The refusal for a tenant whose CA Secret has the name of another tenant's (a copy of one CA, most likely). */
export function sameCaSecretRefusal(secret: string, firstTenant: string): string {
  return `tenant \`${firstTenant}\`'s CA issuer reads a Secret named \`${secret}\` too: if both hold one CA, each tenant could sign for the other's hosts — give each tenant a CA of its own under its own Secret name, or share one CA through \`platform.ca\` (tenants opt in with \`issuer: { platformCA: {} }\`)`;
}

/** Checks a tenant's own CA Secret name: not the platform CA's (`platform.ca.secretName`, when there is one). */
export function checkTenantCaSecret(secret: string, platformCaSecret: string | undefined): string | undefined {
  return secret === platformCaSecret ? platformCaSecretRefusal(secret) : undefined;
}

function platformCaSecretRefusal(secret: string): string {
  return `\`${secret}\` is the platform CA's Secret (\`platform.ca.secretName\`): a copy in the tenant's namespace hands its owners the key that signs for every tenant — use \`issuer: { platformCA: {} }\` to be issued by the platform CA, or give this tenant a CA of its own under another name`;
}

/** The refusal for `platformCA` without a `platform.ca`. */
export const PLATFORM_CA_MISSING = 'there is no platform CA to use — set `platform.ca.secretName` to the CA\'s Secret in cert-manager\'s namespace, or choose another issuer';

export const CERTIFICATE_THREATS: readonly Threat[] = [
  TENANT_NAMESPACED_ISSUER, NO_TENANT_WILDCARD, HOSTS_WITHIN_TENANT_DOMAINS, CERTIFICATE_NAMES_HOSTS_ONLY, NO_CLUSTER_ISSUER,
  ONE_CERTIFICATE_ONE_DOMAIN, ONE_HOST_ONE_TENANT, DOMAIN_WITHIN_ALLOWED_ZONES, WILDCARD_DNS01, WILDCARD_TOKEN_SECRET, SHARED_CA_KEY,
];
