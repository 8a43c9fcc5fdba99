/**
 * The Gateway API as library building blocks: a `TenantGateway` composed by reference from the
 * tenant's `TenantNamespace` and its `ScopedTraefik` (or the platform's `SharedTraefik`), its
 * children exposed, domains added later followed, and wrong wiring refused with what to pass.
 */
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { Tenancy } from '../../src/constructs/tenancy';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { renderGroups } from '../../src/output/render';
import { readSpec } from '../../src/spec/read-spec';
import { allObjects, REPO } from '../helpers';
import { Platform, PlatformProps, RoutingApi, TraefikTopology } from '../../src/constructs/platform';
import { RefusedPropError } from '../../src/constructs/refuse';
import { ScopedTraefik } from '../../src/constructs/scoped-traefik';
import { SharedTraefik } from '../../src/constructs/shared-traefik';
import { TenantGateway } from '../../src/constructs/tenant-gateway';
import { TenantIssuer, TenantIssuerSource } from '../../src/constructs/tenant-issuer';
import { TenantNamespace } from '../../src/constructs/tenant-namespace';
import { Dns01Solver } from '../../src/constructs/wildcard-tls-store';
import { expectValidManifests } from '../support/schemas';

const chart = () => new Chart(Testing.app(), 'test');
const synth = (c: Chart) => Testing.synth(c) as any[];
const find = (objects: any[], kind: string, name: string, namespace?: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
const owners = { groups: ['shop-leads'] };
const gateway: PlatformProps = { routing: { api: RoutingApi.GATEWAY } };
const shared: PlatformProps = { routing: { api: RoutingApi.GATEWAY, traefik: TraefikTopology.SHARED } };
const refusal = (build: () => unknown) => {
  try {
    build();
  } catch (err) {
    if (err instanceof RefusedPropError) return err.message;
    throw err;
  }
  throw new Error('not refused');
};

describe('TenantGateway, composed by hand', () => {
  test('from a TenantNamespace and its ScopedTraefik: the Gateway of the Traefik\'s own class, its children exposed, the Issuer solving through it', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', gateway);
    const ns = new TenantNamespace(c, 'Shop', { platform, name: 'shop', owners, domains: ['shop.example.com'] });
    const traefik = new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns });
    const gw = new TenantGateway(c, 'Gateway', { tenantNamespace: ns, traefik });
    const issuer = new TenantIssuer(c, 'Issuer', { gateway: gw, issuer: TenantIssuerSource.acme({ email: 'ops@example.com' }) });
    // Escape hatch: the Gateway is exposed.
    gw.gateway.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/owner': 'platform' }));
    const objects = synth(c);
    expectValidManifests(objects);
    expect([gw.gatewayName, gw.namespaceName, gw.gatewayClassName]).toEqual(['shop', 'traefik', 'traefik-shop']);
    expect(traefik.gatewayClassName).toBe('traefik-shop');
    expect(ns.gateway).toBe(gw);
    expect(gw.referenceGrants.map((g) => g.name)).toEqual(['gateway-shop.example.com-tls']);
    expect([gw.httpListenerName('Shop.example.com'), gw.httpsListenerName('shop.example.com')]).toEqual(['http-shop.example.com', 'https-shop.example.com']);
    expect(find(objects, 'Gateway', 'shop', 'traefik').metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
    expect(issuer.gateway).toBe(gw);
    expect(find(objects, 'Issuer', 'tenant-issuer', 'shop').spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop', namespace: 'traefik' },
    ]);
  });

  test('a domain added later gets its listeners, its ReferenceGrant and its Certificate; the 33rd is refused with the catalogue\'s words', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', gateway);
    const ns = new TenantNamespace(c, 'Shop', { platform, name: 'shop', owners, domains: ['shop.example.com'] });
    const gw = new TenantGateway(c, 'Gateway', { tenantNamespace: ns, traefik: new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns }) });
    const issuer = new TenantIssuer(c, 'Issuer', { gateway: gw, issuer: TenantIssuerSource.selfSigned() });
    ns.addDomain('api.shop.example.com');
    const objects = synth(c);
    expect(find(objects, 'Gateway', 'shop', 'traefik').spec.listeners.map((l: any) => l.name)).toEqual([
      'http-shop.example.com', 'https-shop.example.com', 'http-api.shop.example.com', 'https-api.shop.example.com',
    ]);
    expect(gw.referenceGrants).toHaveLength(2);
    expect(issuer.certificates).toHaveLength(2);
    for (let i = 2; i < 32; i++) ns.addDomain(`h${i}.shop.example.com`);
    expect(refusal(() => ns.addDomain('h32.shop.example.com'))).toBe(
      'TenantNamespace: domain: 33 domains need 66 listeners on the tenant\'s Gateway (HTTP and HTTPS for each), and a Gateway holds at most 64 — keep at most 32 domains, or split the tenant in two',
    );
    expect(ns.domains).toHaveLength(32);
  });

  test('on a platform that shares its Traefik: no traefik to pass; the SharedTraefik\'s Role and the tenant\'s NetworkPolicy come with the Gateway', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', { ...shared, routing: { ...shared.routing, sharedTraefik: { replicas: 2 } } });
    const ns = new TenantNamespace(c, 'Shop', { platform, name: 'shop', owners, domains: ['shop.example.com'] });
    const gw = new TenantGateway(c, 'Gateway', { tenantNamespace: ns });
    const objects = synth(c);
    expectValidManifests(objects);
    expect(SharedTraefik.isSharedTraefik(platform.sharedTraefik)).toBe(true);
    expect(gw.sharedTraefik).toBe(platform.sharedTraefik);
    expect(gw.gatewayClassName).toBe('traefik-shared');
    expect(gw.sharedTraefikRole?.name).toBe('traefik-shared');
    expect(find(objects, 'NetworkPolicy', 'allow-from-shared-traefik', 'shop')).toBeDefined();
    expect(find(objects, 'Deployment', 'traefik-shared', 'traefik').spec.replicas).toBe(2);
    expect(find(objects, 'Deployment', 'traefik-shared', 'traefik').spec.template.spec.containers[0].args).toContain('--providers.kubernetesgateway.namespaces=traefik,shop');
  });

  test('with the wildcard certificate chosen: hosts under it use the wildcard\'s Secret, no Certificate and no grant of their own', () => {
    const c = chart();
    const wildcard = { dnsNames: ['*.apps.example.com'], acme: { email: 'ops@example.com', dns01: Dns01Solver.route53({ region: 'eu-west-1' }) } };
    const platform = new Platform(c, 'Platform', { wildcard, routing: { api: RoutingApi.GATEWAY, wildcardCertificate: true } });
    const tenant = platform.addTenant('Shop', { name: 'shop', owners, domains: ['shop.apps.example.com', 'deep.shop.apps.example.com'], issuer: TenantIssuerSource.selfSigned() });
    const objects = synth(c);
    const refs = find(objects, 'Gateway', 'shop', 'traefik').spec.listeners.filter((l: any) => l.protocol === 'HTTPS').map((l: any) => l.tls.certificateRefs[0]);
    // One label under `*.apps.example.com` only: a wildcard does not cover deeper names.
    expect(refs).toEqual([{ group: '', kind: 'Secret', name: 'platform-wildcard-tls' }, { group: '', kind: 'Secret', name: 'deep.shop.apps.example.com-tls', namespace: 'shop' }]);
    expect(tenant.issuer.certificates.map((x) => x.name)).toEqual(['deep.shop.apps.example.com']);
    expect(tenant.gateway!.referenceGrants.map((g) => g.name)).toEqual(['gateway-deep.shop.apps.example.com-tls']);
  });
});

test('Tenancy.fromSpecFile of the shared-Traefik example synthesizes exactly the objects `npm run synth` writes', () => {
  const file = path.join(REPO, 'examples/gateway-shared.yaml');
  const c = chart();
  Tenancy.fromSpecFile(c, 'Tenancy', file);
  const key = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const byKey = (objects: any[]) => new Map(objects.map((o) => [key(o), o]));
  expect(byKey(synth(c))).toEqual(byKey(allObjects(renderGroups(resolveTenancy(readSpec(file).spec)))));
});

describe('wrong wiring, refused with what to pass instead', () => {
  test('a Gateway on a platform that routes with IngressRoutes', () => {
    const c = chart();
    const ns = new TenantNamespace(c, 'Shop', { platform: new Platform(c, 'Platform'), name: 'shop', owners });
    expect(refusal(() => new TenantGateway(c, 'Gateway', { tenantNamespace: ns, traefik: new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns }) })))
      .toBe('TenantGateway: tenantNamespace: belongs to a platform that routes with IngressRoutes — pass `routing: { api: RoutingApi.GATEWAY }` to the Platform');
  });

  test('a Gateway without the tenant\'s Traefik, with another tenant\'s, twice for one tenant', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', gateway);
    const shop = new TenantNamespace(c, 'Shop', { platform, name: 'shop', owners });
    const blog = new TenantNamespace(c, 'Blog', { platform, name: 'blog', owners });
    const blogTraefik = new ScopedTraefik(c, 'BlogTraefik', { tenantNamespace: blog });
    expect(refusal(() => new TenantGateway(c, 'G1', { tenantNamespace: shop })))
      .toBe('TenantGateway: traefik: is missing — pass the tenant\'s own ScopedTraefik (or give the Platform `routing.traefik: TraefikTopology.SHARED`)');
    expect(refusal(() => new TenantGateway(c, 'G2', { tenantNamespace: shop, traefik: blogTraefik })))
      .toBe('TenantGateway: traefik: is the Traefik of tenant `blog` — pass this tenant\'s own ScopedTraefik');
    new TenantGateway(c, 'G3', { tenantNamespace: blog, traefik: blogTraefik });
    expect(refusal(() => new TenantGateway(c, 'G4', { tenantNamespace: blog, traefik: blogTraefik })))
      .toBe('TenantGateway: tenantNamespace: tenant `blog` already has a TenantGateway (`test/G3`) — use that one: both would be the Gateway `blog`');
  });

  test('on a shared Traefik: a tenant\'s own ScopedTraefik, or Traefik options, are refused', () => {
    const c = chart();
    const platform = new Platform(c, 'Platform', shared);
    const ns = new TenantNamespace(c, 'Shop', { platform, name: 'shop', owners });
    expect(refusal(() => new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns })))
      .toBe('ScopedTraefik: tenantNamespace: every tenant of this platform shares its Traefik (`routing.traefik` is `TraefikTopology.SHARED`), so a tenant has none of its own — give the TenantNamespace a `TenantGateway` instead');
    expect(refusal(() => platform.addTenant('Blog', { name: 'blog', owners, issuer: TenantIssuerSource.selfSigned(), traefik: { replicas: 1 } })))
      .toBe('Tenant: traefik: this tenant has no Traefik of its own: every tenant shares the platform\'s (`platform.routing.traefik: shared`) — remove the field, and size the shared Traefik with the Platform\'s `routing.sharedTraefik`');
  });

  test('a shared Traefik without the Gateway API, the wildcard certificate without a wildcard, shared sizes without sharing', () => {
    expect(refusal(() => new Platform(chart(), 'P', { routing: { traefik: TraefikTopology.SHARED } }))).toMatch(/^Platform: routing\.traefik: a Traefik shared by tenants that route with IngressRoutes /);
    expect(refusal(() => new Platform(chart(), 'P', { routing: { api: RoutingApi.GATEWAY, wildcardCertificate: true } })))
      .toBe('Platform: routing.wildcardCertificate: there is no platform wildcard to use — set `wildcard`, or remove the field');
    expect(refusal(() => new Platform(chart(), 'P', { routing: { api: RoutingApi.GATEWAY, sharedTraefik: { replicas: 2 } } }))).toMatch(/^Platform: routing\.sharedTraefik: sizes the shared Traefik/);
  });

  test('an Issuer told to solve HTTP-01 through an ingress class where the platform routes through the Gateway API', () => {
    const c = chart();
    const ns = new TenantNamespace(c, 'Shop', { platform: new Platform(c, 'Platform', gateway), name: 'shop', owners });
    const traefik = new ScopedTraefik(c, 'Traefik', { tenantNamespace: ns });
    expect(refusal(() => new TenantIssuer(c, 'Issuer', { traefik, issuer: TenantIssuerSource.selfSigned() })))
      .toBe('TenantIssuer: traefik: cannot solve HTTP-01 through an ingress class: the platform routes through the Gateway API — pass the tenant\'s `gateway` (a TenantGateway)');
  });

  test('a tenant that serves domains on a shared Traefik but has no Gateway fails synthesis, saying what to add', () => {
    const c = chart();
    new TenantNamespace(c, 'Shop', { platform: new Platform(c, 'Platform', shared), name: 'shop', owners, domains: ['shop.example.com'] });
    expect(() => Testing.synth(c)).toThrow(/tenant `shop` serves `shop.example.com` but no Gateway routes to it — add `new TenantGateway\(scope, id, \{ tenantNamespace \}\)`/);
  });
});
