/**
 * What the platform decides for all its tenants, built as a library user builds it: the
 * cluster's address ranges, reserved namespaces, PriorityClasses and a shared CA. Each tenant reads
 * them from its Platform; what they forbid is refused at the construct, in the spec's words.
 */
import { Chart, Testing } from 'cdk8s';
import { Platform, PlatformProps } from '../../src/constructs/platform';
import { RefusedPropError } from '../../src/constructs/refuse';
import { TenantOptions } from '../../src/constructs/tenant';
import { TenantIssuerSource } from '../../src/constructs/tenant-issuer';
import { admitVap } from '../support/cel-admission';

const synth = (c: Chart) => Testing.synth(c) as any[];
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const shop: TenantOptions = { name: 'shop', domains: ['shop.example.com'], owners: { groups: ['shop-leads'] }, issuer: TenantIssuerSource.selfSigned() };

/** A platform with `props` and the tenant `shop` with `tenant` over the defaults above; answers the objects. */
function build(props: PlatformProps, tenant: Partial<TenantOptions> = {}) {
  const c = new Chart(Testing.app(), 'test');
  const platform = new Platform(c, 'Platform', props);
  const added = platform.addTenant('Shop', { ...shop, ...tenant });
  return { c, platform, tenant: added };
}

/** The problems of the RefusedPropError `build` throws, as `prop: message`. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof RefusedPropError) return e.problems.map((p) => `${e.construct}: ${p.prop}: ${p.message}`);
    throw e;
  }
  throw new Error('not refused');
}

describe('network', () => {
  test('broad egress excepts the pod and Service ranges; a CIDR inside them is refused, also through addEgress', () => {
    const network = { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] };
    const { c, tenant } = build({ network }, { egress: { cidrs: ['10.0.0.0/8'], ports: [443] } });
    const peer = find(synth(c), 'NetworkPolicy', 'allow-egress').spec.egress[0].to[0];
    expect(peer.ipBlock.except).toEqual(['10.244.0.0/16', '10.96.0.0/12']);
    expect(refusal(() => tenant.addEgress({ cidrs: ['10.244.3.0/24'] }))).toEqual([
      expect.stringMatching(/^TenantNamespace: egress\.cidrs\[0\]: `10\.244\.3\.0\/24` lies in `10\.244\.0\.0\/16` \(`platform\.network\.podCIDRs`\)/),
    ]);
  });

  test('each Traefik may reach the API server at apiServerCidrs only, its tenant and DNS; the platform namespace denies the rest', () => {
    const { c, tenant } = build({ network: { apiServerCidrs: ['172.20.0.1/32'] } });
    const objects = synth(c);
    expect(objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'traefik' && o.metadata.name === 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const egress = tenant.traefik!.networkPolicy.toJson().spec.egress;
    expect(egress[0]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }] });
    expect(egress[2]).toEqual({ to: [{ ipBlock: { cidr: '172.20.0.1/32' } }] });
  });

  test('egress to the clouds\' IPv6 metadata addresses or in IPv4-mapped form is refused', () => {
    const { tenant } = build({});
    expect(refusal(() => tenant.addEgress({ cidrs: ['fd00:ec2::23/128', '::ffff:169.254.169.254/128', '2001:db8::/32', 'fd20:ce::254/128'] }))).toEqual([
      'TenantNamespace: egress.cidrs[0]: `fd00:ec2::23/128` lies in `fd00:ec2::/64`, where clouds serve instance metadata and node credentials — allow the addresses the tenant needs elsewhere; broad blocks such as `0.0.0.0/0` already except this range',
      'TenantNamespace: egress.cidrs[1]: `::ffff:169.254.169.254/128` is an IPv4-mapped IPv6 block, which names IPv4 addresses (the metadata endpoint\'s among them) in another form — write the IPv4 block itself',
      'TenantNamespace: egress.cidrs[3]: `fd20:ce::254/128` lies in `fd20:ce::254/128`, where clouds serve instance metadata and node credentials — allow the addresses the tenant needs elsewhere; broad blocks such as `0.0.0.0/0` already except this range',
    ]);
  });

  test('a range that is no CIDR is refused', () => {
    expect(refusal(() => build({ network: { podCidrs: ['10.244.0.0'] } }))).toEqual([
      'Platform: network.podCidrs[0]: `10.244.0.0` is not a CIDR — write e.g. `10.0.0.0/8` or `0.0.0.0/0`',
    ]);
  });
});

describe('reserved namespaces and PriorityClasses', () => {
  test('a tenant named like a reserved namespace or pattern is refused', () => {
    expect(refusal(() => build({ reservedNamespaces: ['*-mesh'] }, { name: 'linkerd-mesh' }))).toEqual([
      'TenantNamespace: name: `linkerd-mesh` is reserved for Kubernetes or cluster add-ons — choose another tenant name',
    ]);
    expect(refusal(() => build({ reservedNamespaces: ['bad pattern'] }))[0]).toMatch(/^Platform: reservedNamespaces\[0\]: `bad pattern` is not a namespace name/);
  });

  test('allowed PriorityClasses: every other class is held at zero pods; a system class is refused', () => {
    const { c } = build({ priorityClasses: ['tenant-high'] });
    expect(find(synth(c), 'ResourceQuota', 'tenant-priority-classes').spec).toEqual({
      hard: { pods: '0' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists' }, { scopeName: 'PriorityClass', operator: 'NotIn', values: ['tenant-high'] }] },
    });
    expect(refusal(() => build({ priorityClasses: ['system-node-critical'] }))[0]).toMatch(/^Platform: priorityClasses\[0\]: `system-node-critical` preempts every other pod/);
  });
});

describe('the platform CA', () => {
  test('a tenant\'s own CA names its Secret with a Secret name, as the spec does', () => {
    expect(refusal(() => TenantIssuerSource.ca({ secretName: 'Bad_Name' }))).toEqual([
      'TenantIssuerSource: ca.secretName: must be a DNS-1123 subdomain (lower-case letters, digits, `-` and `.`), e.g. `tenant-ca`',
    ]);
  });

  test('a tenant opting in names the ClusterIssuer, has no Issuer, and a policy for its own domains, added ones included', () => {
    const { c, platform, tenant } = build({ ca: { secretName: 'corp-ca' } }, { issuer: TenantIssuerSource.platformCa() });
    tenant.addDomain('checkout.example.com');
    const objects = synth(c);
    expect(platform.caIssuer?.clusterIssuer.toJson()).toMatchObject({ kind: 'ClusterIssuer', metadata: { name: 'platform-ca' }, spec: { ca: { secretName: 'corp-ca' } } });
    expect(objects.filter((o) => o.kind === 'Issuer')).toEqual([]);
    expect(find(objects, 'Certificate', 'checkout.example.com').spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'platform-ca' });
    const policy = find(objects, 'CertificateRequestPolicy', tenant.issuer.certificatePolicy!.policyName);
    expect(policy.spec.allowed.dnsNames.values).toEqual(['shop.example.com', 'checkout.example.com']);
    expect(policy.spec.selector.namespace).toEqual({ matchNames: ['shop'] });
    expect(find(objects, 'RoleBinding', tenant.issuer.certificatePolicy!.policyName).subjects).toEqual([{ kind: 'ServiceAccount', name: 'cert-manager', namespace: 'cert-manager' }]);

    // The admission policies admit the tenant's Certificates to the ClusterIssuer its Namespace names.
    const namespace = find(objects, 'Namespace', 'shop');
    expect(namespace.metadata.annotations['tenancy.cdk8s.io/cluster-issuer']).toBe('platform-ca');
    const certificate = find(objects, 'Certificate', 'shop.example.com');
    const denied = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').flatMap((p) => admitVap(p, { object: certificate, namespaceObject: namespace }).denials);
    expect(denied).toEqual([]);
  });

  test('opting in on a platform without a CA is refused with what to pass', () => {
    expect(refusal(() => build({}, { issuer: TenantIssuerSource.platformCa() }))).toEqual([
      'TenantIssuer: issuer: its Platform has no CA to use — give the Platform `ca: { secretName }` (the CA\'s Secret in cert-manager\'s namespace), or choose another TenantIssuerSource',
    ]);
  });
});
