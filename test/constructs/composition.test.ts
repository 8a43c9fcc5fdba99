/**
 * Constructs compose by reference: each is given the objects it depends on and reads what it
 * needs from them. Wiring that used to break silently is now impossible to write, or refused
 * with what to pass instead; the main children are exposed, and `addXxx` extends what props set.
 */
import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { AdmissionMode } from '../../src/constructs/admission-guard-rails';
import { GitOps } from '../../src/constructs/gitops-app';
import { Platform, PlatformProps } from '../../src/constructs/platform';
import { ScopedTraefik } from '../../src/constructs/scoped-traefik';
import { Tenant, TenantOptions } from '../../src/constructs/tenant';
import { TenantIssuer, TenantIssuerSource } from '../../src/constructs/tenant-issuer';
import { TenantNamespace, TenantOwner } from '../../src/constructs/tenant-namespace';
import { TenantSecretStore } from '../../src/constructs/tenant-secret-store';
import { Dns01Solver, SecretSyncTool, WildcardTlsStore } from '../../src/constructs/wildcard-tls-store';
import { admitVap } from '../support/cel-admission';

const chart = (app = Testing.app()) => new Chart(app, 'test');
const synth = (c: Chart) => Testing.synth(c) as any[];
const find = (objects: any[], kind: string, name: string, namespace?: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
const shop: TenantOptions = { name: 'shop', domains: ['shop.example.com'], owners: { groups: ['shop-leads'] }, issuer: TenantIssuerSource.selfSigned() };
const wildcard = { dnsNames: ['*.apps.example.com'], acme: { email: 'ops@example.com', dns01: Dns01Solver.route53({ region: 'eu-west-1' }) } };

/** Runs every ValidatingAdmissionPolicy in `objects` on `object` in `namespace`: the messages of those that deny it. */
function denials(objects: any[], object: any, namespace: any): string[] {
  return objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy')
    .flatMap((policy) => admitVap(policy, { object, namespaceObject: namespace }).denials);
}

describe('wrong wiring that used to break silently', () => {
  test('a tenant next to a platform in namespace `edge` admits traffic from the Traefik in `edge`, which runs there', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', { namespace: 'edge' });
    const ns = new TenantNamespace(c, 'Namespace', { platform, name: 'shop', owners: { groups: ['leads'] } });
    const traefik = new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns });
    const objects = synth(c);
    expect(traefik.namespaceName).toBe('edge');
    expect(find(objects, 'Deployment', 'traefik-shop').metadata.namespace).toBe('edge');
    expect(find(objects, 'NetworkPolicy', 'allow-from-own-traefik').spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
      podSelector: { matchLabels: traefik.podLabels },
    }]);
    expect(find(objects, 'Deployment', 'traefik-shop').spec.template.metadata.labels).toEqual(expect.objectContaining(traefik.podLabels));
  });

  test('the namespace strings of earlier versions are refused, saying what to pass instead (JavaScript callers)', () => {
    expect(() => new TenantNamespace(chart(), 'n', { name: 'shop', owners: { groups: ['g'] }, traefikNamespace: 'edge' } as any)).toThrow([
      'TenantNamespace: traefikNamespace: is not a prop of TenantNamespace — the Traefik runs in its Platform\'s namespace: pass `platform`, and give the Traefik this TenantNamespace',
      'TenantNamespace: platform: is not a Platform — pass the `Platform` this tenant belongs to',
    ].join('\n'));
    expect(() => new ScopedTraefik(chart(), 't', { tenant: 'shop', namespace: 'edge' } as any)).toThrow([
      'ScopedTraefik: tenant: is not a prop of ScopedTraefik — pass the tenant\'s `tenantNamespace`: the Traefik serves it and runs in the namespace of its platform',
      'ScopedTraefik: namespace: is not a prop of ScopedTraefik — the Traefik runs in the namespace of the platform of its `tenantNamespace`',
      'ScopedTraefik: tenantNamespace: is not a TenantNamespace — pass the TenantNamespace of the tenant this Traefik serves',
    ].join('\n'));
    const c = chart();
    const traefik = new ScopedTraefik(c, 't', { tenantNamespace: new TenantNamespace(c, 'n', { platform: new Platform(c, 'p'), name: 'shop', owners: { users: ['bob'] } }) });
    expect(() => new TenantIssuer(c, 'i', { traefik, issuer: TenantIssuerSource.selfSigned(), domains: ['shop.example.com'], ingressClass: 'traefik-shop' } as any)).toThrow([
      'TenantIssuer: domains: is not a prop of TenantIssuer — the certificates follow the domains of the TenantNamespace (`domains`, `addDomain`)',
      'TenantIssuer: ingressClass: is not a prop of TenantIssuer — the ingress class is the `traefik`\'s',
    ].join('\n'));
  });

  test('a hand-built tenant (the README\'s old SandboxChart) gets Certificates its own platform\'s admission admits', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', { namespace: 'sandbox-ingress' });
    const ns = new TenantNamespace(c, 'Namespace', { platform, name: 'sandbox', owners: { groups: ['sandbox-devs'] }, domains: ['app.sandbox.example.com'] });
    const issuer = new TenantIssuer(c, 'Issuer', { traefik: new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns }), issuer: TenantIssuerSource.selfSigned() });
    ns.addDomain('api.sandbox.example.com');
    const objects = synth(c);
    const namespace = find(objects, 'Namespace', 'sandbox');
    expect(namespace.metadata.annotations).toEqual({ 'tenancy.cdk8s.io/domains': 'app.sandbox.example.com,api.sandbox.example.com' });
    const certificates = objects.filter((o) => o.kind === 'Certificate');
    expect(certificates.map((o) => o.spec.dnsNames)).toEqual([['app.sandbox.example.com'], ['api.sandbox.example.com']]);
    expect(issuer.certificates).toHaveLength(2);
    for (const certificate of certificates) expect(denials(objects, certificate, namespace)).toEqual([]);
    const foreign = { ...certificates[0], spec: { ...certificates[0].spec, dnsNames: ['shop.example.com'] } };
    expect(denials(objects, foreign, namespace)).toEqual([expect.stringContaining('may only name this tenant\'s domains')]);
  });

  test('with admission NONE the Namespace carries no domains annotation (nothing reads it)', () => {
    const c = chart();
    new Platform(c, 'Platform', { admission: AdmissionMode.NONE }).addTenant('Shop', shop);
    expect(find(synth(c), 'Namespace', 'shop').metadata.annotations).toBeUndefined();
  });

  test('a second Traefik or Issuer for one tenant is refused, naming the first', () => {
    const c = chart();
    const tenant = new Platform(c, 'Platform').addTenant('Shop', shop);
    expect(() => new ScopedTraefik(c, 'Traefik2', { tenantNamespace: tenant.namespace })).toThrow(
      'ScopedTraefik: tenantNamespace: tenant `shop` already has a ScopedTraefik (`test/Platform/Shop/Traefik`) — use that one: a second would serve the same ingress class',
    );
    expect(() => new TenantIssuer(c, 'Issuer2', { traefik: tenant.traefik, issuer: TenantIssuerSource.selfSigned() })).toThrow(
      'TenantIssuer: traefik: tenant `shop` already has a TenantIssuer (`test/Platform/Shop/Issuer`) — use that one: both would be the Issuer `tenant-issuer`',
    );
  });

  test('a platform refuses a tenant name or a host twice, a host outside its zones, and a second wildcard', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', { allowedDomains: ['example.com'], wildcard });
    platform.addTenant('Shop', shop);
    expect(() => platform.addTenant('Shop2', { ...shop, domains: [] })).toThrow('TenantNamespace: name: tenant `shop` is already on this platform (`test/Platform/Shop/Namespace`) — rename one or merge them');
    expect(() => platform.addTenant('Blog', { ...shop, name: 'blog', domains: ['SHOP.example.com', 'blog.example.org'] })).toThrow([
      'TenantNamespace: domains[0]: `shop.example.com` is claimed twice: tenant `shop` already claims it — a host belongs to one tenant only; remove one entry',
      'TenantNamespace: domains[1]: `blog.example.org` is outside `platform.allowedDomains` (example.com) — use a host under one of them, or ask the platform team to allow its zone',
    ].join('\n'));
    expect(() => new WildcardTlsStore(c, 'Wildcard', { platform, ...wildcard })).toThrow(
      'WildcardTlsStore: platform: the platform already has a wildcard (`test/Platform/Wildcard`) — a platform has one default TLSStore; pass all names in one `dnsNames`',
    );
  });

  test('the wildcard\'s copies never go to a tenant, whichever comes first', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform');
    platform.addTenant('Shop', shop);
    expect(() => new WildcardTlsStore(c, 'Wildcard', { platform, ...wildcard, syncTo: { via: SecretSyncTool.REFLECTOR, namespaces: ['shop'] } })).toThrow(
      /^WildcardTlsStore: syncTo\.namespaces\[0\]: `shop` is also listed in `platform\.wildcard\.syncTo\.namespaces`: this tenant would receive a copy/,
    );
    const other = new Platform(chart(), 'Platform', { wildcard: { ...wildcard, syncTo: { via: SecretSyncTool.REFLECTOR, namespaces: ['reports'] } } });
    expect(() => other.addTenant('Reports', { ...shop, name: 'reports' })).toThrow(/^TenantNamespace: name: `reports` is also listed in `platform\.wildcard\.syncTo\.namespaces`/);
  });

  test('a tenant is never named like the GitOps engine\'s namespace', () => {
    const platform = new Platform(chart(), 'Platform', { gitops: GitOps.flux({ url: 'https://git.example.com/t.git', namespace: 'gitops' }) });
    expect(() => platform.addTenant('Tenant', { ...shop, name: 'gitops' })).toThrow(
      'TenantNamespace: name: `gitops` is also the GitOps engine\'s namespace (`gitops.flux.namespace`)',
    );
  });

  test('a SecretStore needs a platform with External Secrets, whose admission keeps ExternalSecrets on it', () => {
    const c = chart();
    const tenant = new Platform(c, 'Platform').addTenant('Shop', shop);
    expect(() => new TenantSecretStore(c, 'Store', { tenantNamespace: tenant.namespace })).toThrow(
      'TenantSecretStore: tenantNamespace: its platform has no `externalSecrets`: its admission would not keep ExternalSecrets on their own SecretStore — pass `externalSecrets: { vault }` to the `Platform`',
    );
    const withVault = new Platform(chart(), 'Platform', { externalSecrets: { vault: { server: 'https://vault.example.com' } } }).addTenant('Shop', shop);
    expect(withVault.secretStore?.storeName).toBe('tenant-secrets');
    expect(withVault.namespace.ownerRole.toJson().rules.map((r: any) => r.resources.join())).toContain('externalsecrets');
  });

  test('a tenant that serves domains without a Traefik is refused at synthesis, saying what to add', () => {
    const app = Testing.app();
    const c = chart(app);
    new TenantNamespace(c, 'Namespace', { platform: new Platform(c, 'Platform'), name: 'shop', owners: { users: ['bob'] }, domains: ['shop.example.com'] });
    expect(() => app.synth()).toThrow(
      'tenant `shop` serves `shop.example.com` but no ScopedTraefik routes to it — add `new ScopedTraefik(scope, id, { tenantNamespace })` with this TenantNamespace, or build the whole tenant with `platform.addTenant()`',
    );
  });

  test('a chart with a namespace is refused at synthesis: cdk8s would stamp it on the Namespace objects', () => {
    const app = Testing.app();
    new Platform(new Chart(app, 'platform', { namespace: 'apps' }), 'Platform');
    expect(() => app.synth()).toThrow('the chart `platform` sets `namespace: apps`, which cdk8s stamps on every object that has none — the Namespace objects included: create the chart without `namespace`');
  });
});

describe('a tenant refers to a platform in another chart or App', () => {
  test('each in an App of its own (as the CLI renders them): the tenant reads the platform, adds nothing to it', () => {
    const platformChart = chart(new App());
    const platform = new Platform(platformChart, 'Platform', { namespace: 'edge', traefikImage: 'traefik:v3.7.12', admission: AdmissionMode.KYVERNO });
    const before = JSON.stringify(synth(platformChart));
    const tenantChart = chart(new App());
    const tenant = new Tenant(tenantChart, 'Shop', { ...shop, platform });
    const objects = synth(tenantChart);
    expect(JSON.stringify(synth(platformChart))).toBe(before);
    expect(find(objects, 'Deployment', 'traefik-shop').metadata.namespace).toBe('edge');
    expect(find(objects, 'Deployment', 'traefik-shop').spec.template.spec.containers[0].image).toBe('traefik:v3.7.12');
    expect(objects.filter((o) => o.metadata.namespace === 'edge' || o.metadata.namespace === 'shop' || o.kind === 'Namespace').length).toBe(objects.length);
    expect(tenant.platform).toBe(platform);
    // The platform still knows the tenant's name and hosts.
    expect(platform.tenantNames).toEqual(['shop']);
    expect(() => new Tenant(chart(new App()), 'Again', { ...shop, name: 'shop2', platform })).toThrow('`shop.example.com` is claimed twice: tenant `shop` already claims it');
  });
});

describe('escape hatches and mutators', () => {
  test('the main children are exposed: a toleration on the Traefik Deployment, an annotation on the Namespace', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', { wildcard });
    const tenant = platform.addTenant('Shop', shop);
    tenant.traefik!.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', [{ key: 'ingress', operator: 'Exists', effect: 'NoSchedule' }]));
    tenant.namespace.namespaceObject.metadata.addAnnotation('example.com/cost-center', 'retail');
    const objects = synth(c);
    expect(find(objects, 'Deployment', 'traefik-shop').spec.template.spec.tolerations).toEqual([{ key: 'ingress', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(find(objects, 'Namespace', 'shop').metadata.annotations).toEqual({ 'tenancy.cdk8s.io/domains': 'shop.example.com', 'example.com/cost-center': 'retail' });
    expect(tenant.traefik!.service.name).toBe('traefik-shop');
    expect(tenant.issuer.issuerObject?.kind).toBe('Issuer');
    expect(platform.namespaceObject.name).toBe('traefik');
    expect(platform.wildcard?.tlsStore.name).toBe('default');
    expect(platform.admission.apiObjects.map((o) => o.kind)).toContain('ValidatingAdmissionPolicy');
    expect(tenant.namespace.networkPolicies.map((p) => p.name)).toEqual(['default-deny', 'allow-same-namespace', 'allow-dns', 'allow-from-own-traefik']);
  });

  test('addDomain, addOwner and addEgress after construction render what the same props render', () => {
    const byProps = chart();
    new Platform(byProps, 'Platform').addTenant('Shop', {
      ...shop,
      domains: ['shop.example.com', 'www.shop.example.com'],
      owners: { groups: ['shop-leads'], users: ['alice'] },
      egress: { cidrs: ['0.0.0.0/0'], ports: [443] },
    });
    const byMutators = chart();
    const tenant = new Platform(byMutators, 'Platform').addTenant('Shop', shop);
    tenant.addDomain('www.shop.example.com');
    tenant.addOwner(TenantOwner.user('alice'));
    tenant.addEgress({ cidrs: ['0.0.0.0/0'], ports: [443] });
    expect(synth(byMutators)).toEqual(synth(byProps));
    tenant.addEgress({ cidrs: ['10.1.0.0/16'] });
    expect(find(synth(byMutators), 'NetworkPolicy', 'allow-egress').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '100.100.100.200/32', '168.63.129.16/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { to: [{ ipBlock: { cidr: '10.1.0.0/16' } }] },
    ]);
  });

  test('accessors answer copies', () => {
    const c = chart();
    const tenant = new Platform(c, 'Platform', { allowedDomains: ['example.com'] }).addTenant('Shop', shop);
    tenant.namespace.domains.push('evil.example.com');
    tenant.platform.allowedDomains.push('example.org');
    expect(tenant.namespace.domains).toEqual(['shop.example.com']);
    expect(tenant.platform.allowedDomains).toEqual(['example.com']);
  });
});

describe('the options a platform is built from', () => {
  test.each<[string, PlatformProps]>([
    ['an Argo CD platform renders an Application for the platform and for each tenant', { gitops: GitOps.argoCd({ repoUrl: 'https://git.example.com/t.git' }) }],
  ])('%s', (_, props) => {
    const c = chart();
    const tenant = new Platform(c, 'Platform', props).addTenant('Shop', shop);
    expect(tenant.gitopsApp?.apiObjects.map((o) => `${o.kind} ${o.name}`)).toEqual(['Application tenant-shop']);
    expect(tenant.platform.gitopsApp?.apiObjects.map((o) => `${o.kind} ${o.name}`)).toEqual(['Application tenancy-platform']);
  });
});
