/**
 * Gateway API routing (`platform.routing.api: gateway`), with one Traefik per tenant and with
 * one shared Traefik: the two examples' output, read as the cluster would read it. Each listener
 * admits exactly one tenant's namespace and hostnames, and no tenant can attach a route to another
 * tenant's listener — by the Gateways' own fields, and by the admission CEL in all three engines.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { toHelmFiles } from '../../src/output/helm';
import { KubeObject, renderGroups } from '../../src/output/render';
import { toYamlFiles } from '../../src/output/yaml';
import { readSpec } from '../../src/spec/read-spec';
import { labelSelectorMatches } from '../../src/threats/detect/gateway-api';
import { allObjects, find, modelOf, REPO, refusals, runCli } from '../helpers';
import { admit, gatewayApiObjects, gatewayPaymentsNs, gatewaySearchNs } from '../support/admission-engines';
import { expectValidManifests } from '../support/schemas';
import { chartRender, writeFiles } from './chart-render';

const PER_TENANT = path.join(REPO, 'examples/gateway-per-tenant.yaml');
const SHARED = path.join(REPO, 'examples/gateway-shared.yaml');
const OPTIONS = { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth' };

/** The output of an example, by file, as the CLI renders it. */
function example(file: string) {
  const model = resolveTenancy(readSpec(file).spec);
  const groups = renderGroups(model);
  return { model, groups, objects: allObjects(groups) };
}

const perTenant = example(PER_TENANT);
const shared = example(SHARED);

const of = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind) as any[];
const argsOf = (deployment: any): string[] => deployment.spec.template.spec.containers[0].args;
const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');

/** Which namespaces a listener admits: the names its selector pins, or `every` when it pins none. */
function admitted(listener: any): string[] | 'every' {
  const ns = listener.allowedRoutes?.namespaces;
  if (ns?.from !== 'Selector') return 'every';
  const labels = ns.selector?.matchLabels ?? {};
  if (Object.keys(labels).length !== 1 || ns.selector.matchExpressions !== undefined) return 'every';
  return [labels['kubernetes.io/metadata.name']];
}

describe.each([
  ['one Traefik per tenant', perTenant],
  ['one shared Traefik', shared],
])('Gateway API, %s', (_, out) => {
  const tenants = out.model.tenants;
  const gateways = of(out.objects, 'Gateway');

  test('every object validates against the upstream schemas (Gateway API v1.5.1 Standard, no unknown fields)', () => {
    expectValidManifests([...out.objects]);
    expect(gateways.length).toBeGreaterThan(0);
    expect(of(out.objects, 'ReferenceGrant').length).toBeGreaterThan(0);
    expect(of(out.objects, 'GatewayClass').length).toBeGreaterThan(0);
  });

  test('the platform owns one Gateway per tenant, in the platform namespace, and each sits in its tenant\'s file', () => {
    expect(gateways.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual(tenants.map((t) => `traefik/${t.name}`));
    for (const t of tenants) {
      const group = out.groups.find((g) => g.tenant === t.name)!;
      expect(of(group.objects, 'Gateway').map((g) => g.metadata.name)).toEqual([t.name]);
    }
  });

  test('each listener admits exactly one tenant\'s namespace (by kubernetes.io/metadata.name) and one of its hosts, HTTPRoutes and GRPCRoutes only', () => {
    for (const t of tenants) {
      const gw = find(out.objects, 'Gateway', t.name, 'traefik');
      expect(gw.spec.listeners.map((l: any) => `${l.protocol} ${l.hostname}:${l.port}`)).toEqual(t.domains.flatMap((d) => [`HTTP ${d}:8000`, `HTTPS ${d}:8443`]));
      for (const l of gw.spec.listeners) {
        expect(l.allowedRoutes).toEqual({
          namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': t.name } } },
          kinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }],
        });
      }
      expect(gw.spec.listeners.length).toBeLessThanOrEqual(64);
    }
  });

  test('no tenant can attach to another tenant\'s listener, reading the Gateways: each namespace is admitted by its own tenant\'s listeners only', () => {
    for (const gw of gateways) {
      for (const l of gw.spec.listeners) {
        const namespaces = admitted(l);
        expect({ listener: l.name, namespaces }).toEqual({ listener: l.name, namespaces: [gw.metadata.name] });
      }
    }
    const hostOwners = new Map<string, string>();
    for (const gw of gateways) for (const l of gw.spec.listeners) expect(hostOwners.get(l.hostname) ?? gw.metadata.name).toBe(gw.metadata.name), hostOwners.set(l.hostname, gw.metadata.name);
  });

  test('listener ports are the Traefik entry points\' ports', () => {
    const traefik = of(out.objects, 'Deployment').filter((d) => d.metadata.namespace === 'traefik');
    for (const d of traefik) {
      expect(flag(argsOf(d), 'entryPoints.web.address')).toBe(':8000/tcp');
      expect(flag(argsOf(d), 'entryPoints.websecure.address')).toBe(':8443/tcp');
    }
  });

  test('each Traefik selects its own GatewayClass by label and no other; none reads IngressRoutes or Ingresses of a tenant', () => {
    const classes = of(out.objects, 'GatewayClass');
    const traefiks = of(out.objects, 'Deployment').filter((d) => d.metadata.namespace === 'traefik');
    for (const d of traefiks) {
      const args = argsOf(d);
      const selected = classes.filter((c) => labelSelectorMatches(flag(args, 'providers.kubernetesgateway.labelSelector')!, c.metadata.labels));
      expect(selected.map((c) => c.metadata.name)).toEqual([d.metadata.name]);
      expect(selected[0].spec.controllerName).toBe('traefik.io/gateway-controller');
      expect(flag(args, 'providers.kubernetescrd.namespaces')).toBe('traefik');
      expect(args.some((a) => a.startsWith('--providers.kubernetesingress'))).toBe(false);
    }
    for (const gw of gateways) expect(classes.map((c) => c.metadata.name)).toContain(gw.spec.gatewayClassName);
  });

  test('passes only options Traefik v3.7 knows (upstream option list)', () => {
    const reference = fs.readFileSync(path.resolve(REPO, '../shared/reference/traefik-static-options.txt'), 'utf8');
    const known = new Set(reference.split('\n').filter((l) => l && !l.startsWith('#')));
    for (const d of of(out.objects, 'Deployment').filter((o) => o.metadata.namespace === 'traefik')) {
      for (const arg of argsOf(d)) {
        const option = arg.replace(/^--/, '').split('=')[0].toLowerCase().replace(/^entrypoints\.[^.]+\./, 'entrypoints._name_.');
        expect({ arg, known: known.has(option) }).toEqual({ arg, known: true });
      }
    }
  });

  test('a listener serving a tenant\'s Secret has a ReferenceGrant in that namespace naming that one Secret, from the platform\'s Gateways', () => {
    const grants = of(out.objects, 'ReferenceGrant');
    for (const g of grants) {
      expect(g.spec.from).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'traefik' }]);
      expect(g.spec.to).toEqual([{ group: '', kind: 'Secret', name: expect.any(String) }]);
    }
    for (const gw of gateways) {
      for (const l of gw.spec.listeners.filter((x: any) => x.protocol === 'HTTPS')) {
        const [ref] = l.tls.certificateRefs;
        if (ref.namespace === undefined) continue; // the platform's own Secret, beside the Gateway
        expect(grants.filter((g) => g.metadata.namespace === ref.namespace && g.spec.to[0].name === ref.name)).toHaveLength(1);
        expect(ref.namespace).toBe(gw.metadata.name);
      }
    }
  });

  test('tenants\' owners write HTTPRoutes and GRPCRoutes, read Gateways and ReferenceGrants, and never write a Gateway, GatewayClass or ReferenceGrant', () => {
    for (const t of tenants) {
      const role = find(out.objects, 'Role', 'tenant-owner', t.name);
      const gatewayRules = role.rules.filter((r: any) => r.apiGroups.includes('gateway.networking.k8s.io'));
      expect(gatewayRules).toEqual([
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['grpcroutes', 'httproutes'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'referencegrants'], verbs: ['get', 'list', 'watch'] },
      ]);
      expect(role.rules.flatMap((r: any) => r.resources)).not.toContain('ingressroutes');
      expect(role.rules.flatMap((r: any) => r.resources)).not.toContain('ingresses');
    }
  });

  test('HTTP-01 is solved by an HTTPRoute on the tenant\'s own Gateway (cert-manager\'s gatewayHTTPRoute), as a ClusterIP Service', () => {
    for (const t of tenants) {
      expect(find(out.objects, 'Issuer', 'tenant-issuer', t.name).spec.acme.solvers).toEqual([{
        http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: t.name, namespace: 'traefik' }], serviceType: 'ClusterIP' } },
      }]);
    }
  });

  test('the Namespace names the tenant\'s Gateway for the admission policies, and the routes\' policy is rendered', () => {
    for (const t of tenants) expect(find(out.objects, 'Namespace', t.name).metadata.annotations['tenancy.cdk8s.io/gateway']).toBe(`traefik/${t.name}`);
    expect(find(out.objects, 'ValidatingAdmissionPolicy', 'tenancy-gateway-routes').spec.matchConstraints.resourceRules[0].resources).toEqual(['httproutes', 'grpcroutes', 'tlsroutes']);
  });

  test('each Helm chart renders (chart-render) to exactly the YAML of the same objects', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-gateway-helm-'));
    try {
      writeFiles(dir, toHelmFiles(out.groups, out.model, OPTIONS));
      const yaml = toYamlFiles(out.groups);
      for (const group of out.groups) {
        const chart = group.tenant === undefined ? 'tenancy-platform' : `tenant-${group.tenant}`;
        const result = chartRender(path.join(dir, `${chart}-0.1.0.tgz`));
        expect({ chart, stderr: result.stderr, status: result.status }).toEqual({ chart, stderr: '', status: 0 });
        expect(result.objects).toEqual(parseAllDocuments(yaml.get(group.file)!).map((d) => d.toJS()).filter((o) => o !== null));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one Traefik per tenant (examples/gateway-per-tenant.yaml)', () => {
  const { objects } = perTenant;

  test('each tenant\'s Traefik watches its tenant and the platform namespace, reports its own class\'s and Gateway\'s status only', () => {
    for (const t of ['payments', 'search']) {
      const args = argsOf(find(objects, 'Deployment', `traefik-${t}`, 'traefik'));
      expect(flag(args, 'providers.kubernetesgateway.namespaces')).toBe(`${t},traefik`);
      expect(flag(args, 'providers.kubernetesgateway.labelSelector')).toBe(`tenancy.cdk8s.io/traefik=traefik-${t}`);
      const cluster = find(objects, 'ClusterRole', `traefik-${t}`);
      expect(cluster.rules).toEqual([
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses/status'], verbs: ['update'], resourceNames: [`traefik-${t}`] },
      ]);
      const platformRole = find(objects, 'Role', `traefik-${t}`, 'traefik');
      expect(platformRole.rules.filter((r: any) => r.verbs.includes('update'))).toEqual([
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways/status'], verbs: ['update'], resourceNames: [t] },
      ]);
      const tenantRole = find(objects, 'Role', `traefik-${t}`, t);
      expect(tenantRole.rules.filter((r: any) => r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v)))).toEqual([
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['backendtlspolicies/status', 'grpcroutes/status', 'httproutes/status', 'tlsroutes/status'], verbs: ['update'] },
      ]);
    }
  });

  test('NetworkPolicies still hold: the tenant lets its own Traefik in, the Traefik sends only to its tenant, DNS and the API server', () => {
    const allow = find(objects, 'NetworkPolicy', 'allow-from-own-traefik', 'payments');
    expect(allow.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-payments' } } }] }]);
    expect(find(objects, 'NetworkPolicy', 'traefik-payments', 'traefik').spec.egress[0]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] });
  });

  test('one load balancer per tenant that asks for one', () => {
    const lbs = of(objects, 'Service').filter((s) => s.spec.type === 'LoadBalancer');
    expect(lbs.map((s) => s.metadata.name)).toEqual(['traefik-payments']);
    expect(find(objects, 'Service', 'traefik-search', 'traefik').spec.type).toBe('ClusterIP');
  });
});

describe('one shared Traefik (examples/gateway-shared.yaml)', () => {
  const { objects, groups } = shared;

  test('one Traefik, one load balancer, watching the platform namespace and every tenant, serving its own GatewayClass', () => {
    const traefiks = of(objects, 'Deployment');
    expect(traefiks.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['traefik/traefik-shared']);
    expect(of(objects, 'Service').filter((s) => s.spec.type === 'LoadBalancer').map((s) => s.metadata.name)).toEqual(['traefik-shared']);
    const args = argsOf(traefiks[0]);
    expect(flag(args, 'providers.kubernetesgateway.namespaces')).toBe('traefik,payments,search');
    expect(flag(args, 'providers.kubernetesgateway.labelSelector')).toBe('tenancy.cdk8s.io/traefik=traefik-shared');
    expect(of(objects, 'Gateway').every((g) => g.spec.gatewayClassName === 'traefik-shared')).toBe(true);
    // The shared Traefik and its class are the platform's; the tenants' files hold no Traefik of their own.
    expect(of(groups[0].objects, 'GatewayClass').map((c) => c.metadata.name)).toEqual(['traefik-shared']);
  });

  test('it reads each tenant namespace through a Role in that tenant\'s file, bound to its ServiceAccount, and writes only its routes\' status there', () => {
    for (const t of ['payments', 'search']) {
      const group = groups.find((g) => g.tenant === t)!;
      const binding = find(group.objects, 'RoleBinding', 'traefik-shared', t);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'traefik-shared', namespace: 'traefik' }]);
      const role = find(group.objects, 'Role', 'traefik-shared', t);
      expect(role.rules.filter((r: any) => r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v)))).toEqual([
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['backendtlspolicies/status', 'grpcroutes/status', 'httproutes/status', 'tlsroutes/status'], verbs: ['update'] },
      ]);
    }
    expect(find(objects, 'ClusterRole', 'traefik-shared').rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
  });

  test('NetworkPolicies still hold: each tenant lets the shared Traefik in; it sends only to tenant namespaces (by a label tenants cannot set), DNS and the API server', () => {
    for (const t of ['payments', 'search']) {
      expect(find(objects, 'NetworkPolicy', 'allow-from-shared-traefik', t).spec.ingress[0].from).toEqual([{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-shared' } },
      }]);
    }
    const egress = find(objects, 'NetworkPolicy', 'traefik-shared', 'traefik').spec.egress;
    expect(egress[0]).toEqual({ to: [{ namespaceSelector: { matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] } }] });
    expect(egress).toHaveLength(3);
  });

  test('hosts under the wildcard use its certificate (no Certificate, no ReferenceGrant); other hosts get their own, granted by name', () => {
    const gw = find(objects, 'Gateway', 'payments', 'traefik');
    const https = (host: string) => gw.spec.listeners.find((l: any) => l.protocol === 'HTTPS' && l.hostname === host).tls.certificateRefs;
    expect(https('pay.apps.example.com')).toEqual([{ group: '', kind: 'Secret', name: 'platform-wildcard-tls' }]);
    expect(https('pay.example.com')).toEqual([{ group: '', kind: 'Secret', name: 'pay.example.com-tls', namespace: 'payments' }]);
    expect(of(objects, 'Certificate').filter((c) => c.metadata.namespace === 'payments').map((c) => c.spec.dnsNames)).toEqual([['pay.example.com']]);
    expect(of(objects, 'ReferenceGrant').map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual(['payments/gateway-pay.example.com-tls']);
  });

  test('adding a tenant adds its file, with its one Gateway, and changes no other tenant\'s file; the platform file changes only in the namespaces the shared Traefik watches', () => {
    const text = fs.readFileSync(SHARED, 'utf8');
    const more = `${text}  - name: maps\n    domains: [maps.apps.example.com]\n    owners: { groups: [maps-admins] }\n`;
    const before = toYamlFiles(shared.groups);
    const after = toYamlFiles(renderGroups(modelOf(more)));
    expect([...after.keys()]).toEqual([...before.keys(), 'tenants/maps.yaml']);
    for (const file of before.keys()) if (file !== 'platform.yaml') expect(after.get(file)).toBe(before.get(file));
    const changed = after.get('platform.yaml')!.split('\n').filter((line, i) => line !== before.get('platform.yaml')!.split('\n')[i]);
    expect(changed).toEqual(['            - --providers.kubernetesgateway.namespaces=traefik,payments,search,maps']);
    expect(of(parseAllDocuments(after.get('tenants/maps.yaml')!).map((d) => d.toJS()), 'Gateway').map((g) => g.metadata.name)).toEqual(['maps']);
  });
});

describe('everything else keeps working through the Gateway API', () => {
  test('`synth --check` on a shared Traefik: 0 when up to date; a new tenant makes its file missing and the platform file stale', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-gateway-check-'));
    try {
      const spec = path.join(dir, 'tenancy.yaml');
      fs.copyFileSync(SHARED, spec);
      const out = path.join(dir, 'out');
      expect(runCli(['synth', '--config', spec, '--out', out]).status).toBe(0);
      expect(runCli(['synth', '--config', spec, '--out', out, '--check']).status).toBe(0);
      fs.appendFileSync(spec, '  - name: maps\n    domains: [maps.apps.example.com]\n    owners: { groups: [maps-admins] }\n');
      const stale = runCli(['synth', '--config', spec, '--out', out, '--check']);
      expect(stale.status).toBe(1);
      expect(stale.stdout).toContain('  platform.yaml (differs)\n');
      expect(stale.stdout).toContain('tenants/maps.yaml');
      expect(stale.stdout).not.toContain('tenants/payments.yaml');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GitOps: each tenant file on the shared Traefik still holds its Argo CD Application, the platform file its own', () => {
    const text = fs.readFileSync(SHARED, 'utf8').replace('  routing:\n', '  gitops:\n    argocd: { repoURL: "https://git.example.com/platform/tenancy.git" }\n  routing:\n');
    const groups = renderGroups(modelOf(text));
    expectValidManifests(allObjects(groups));
    expect(groups.map((g) => of(g.objects, 'Application').map((a) => `${a.metadata.name} ${a.spec.source.path}`))).toEqual([
      ['tenancy-platform dist'], ['tenant-payments dist/tenants'], ['tenant-search dist/tenants'],
    ]);
  });
});

describe('no tenant can attach to another tenant\'s listener, by the admission CEL (native, Kyverno, Gatekeeper)', () => {
  const P = 'tenancy-gateway-routes';
  const route = (kind: string, namespace: 'payments' | 'search', spec: object) => admit(P, {
    object: { apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'r', namespace }, spec: { rules: [{ backendRefs: [{ name: 'app', port: 80 }] }], ...spec } },
    namespaceObject: namespace === 'payments' ? gatewayPaymentsNs() : gatewaySearchNs(),
  });
  const own = { parentRefs: [{ name: 'payments', namespace: 'traefik' }], hostnames: ['pay.example.com'] };
  const allowed = { matched: true, allowed: true, denials: [], errors: [] };
  const denied = (result: ReturnType<typeof admit>) => ({ matched: result.matched, allowed: result.allowed, errors: result.errors });

  test('the routes\' policy, as each engine renders it, validates against its schema (Kyverno matching every served version)', () => {
    for (const engine of ['kyverno', 'gatekeeper']) {
      const objects = allObjects(renderGroups(modelOf(fs.readFileSync(PER_TENANT, 'utf8').replace('  routing:\n', `  admission: ${engine}\n  routing:\n`))));
      const policy = objects.filter((o) => o.metadata.name === P || o.metadata.name === 'tenancygatewayroutes');
      expect(policy.length).toBeGreaterThan(0);
      expectValidManifests(policy);
      if (engine === 'kyverno') {
        expect((policy[0] as any).spec.rules[0].match.any[0].resources.kinds).toEqual([
          'gateway.networking.k8s.io/*/HTTPRoute', 'gateway.networking.k8s.io/*/GRPCRoute', 'gateway.networking.k8s.io/*/TLSRoute',
        ]);
      }
    }
  });

  test('a route on the tenant\'s own Gateway, for its own hosts, is admitted (HTTPRoute, GRPCRoute, one listener by sectionName)', () => {
    expect(route('HTTPRoute', 'payments', own)).toEqual(allowed);
    expect(route('GRPCRoute', 'payments', own)).toEqual(allowed);
    expect(route('HTTPRoute', 'payments', { ...own, parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'payments', namespace: 'traefik', sectionName: 'https-pay.example.com' }] })).toEqual(allowed);
  });

  test('every pair of tenants: a route of one naming the other\'s Gateway, or the other\'s host, is denied', () => {
    const gateways = of(gatewayApiObjects(), 'Gateway');
    expect(gateways.map((g) => g.metadata.name)).toEqual(['payments', 'search']);
    for (const [from, to] of [['payments', 'search'], ['search', 'payments']] as const) {
      const theirs = find(gatewayApiObjects(), 'Gateway', to, 'traefik');
      const ownHost = find(gatewayApiObjects(), 'Gateway', from, 'traefik').spec.listeners[0].hostname;
      const theirHost = theirs.spec.listeners[0].hostname;
      const onTheirGateway = route('HTTPRoute', from, { parentRefs: [{ name: to, namespace: 'traefik' }], hostnames: [ownHost] });
      expect(denied(onTheirGateway)).toEqual({ matched: true, allowed: false, errors: [] });
      expect(onTheirGateway.denials[0]).toContain(`This tenant's Gateway: traefik/${from}`);
      const theirHostOnOwn = route('HTTPRoute', from, { parentRefs: [{ name: from, namespace: 'traefik' }], hostnames: [theirHost] });
      expect(denied(theirHostOnOwn)).toEqual({ matched: true, allowed: false, errors: [] });
      expect(route('HTTPRoute', from, { parentRefs: [{ name: from, namespace: 'traefik' }], hostnames: [ownHost] })).toEqual(allowed);
    }
  });

  test('routes without hostnames, with a wildcard, or with a parent that is not a Gateway in the platform namespace are denied', () => {
    const deniedWith = (spec: object, text: string) => {
      const result = route('HTTPRoute', 'payments', { ...own, ...spec });
      expect(denied(result)).toEqual({ matched: true, allowed: false, errors: [] });
      expect(result.denials.some((d) => d.startsWith(text))).toBe(true);
    };
    deniedWith({ hostnames: [] }, 'spec.hostnames must list the hosts');
    deniedWith({ hostnames: undefined }, 'spec.hostnames must list the hosts');
    deniedWith({ hostnames: ['*.example.com'] }, 'spec.hostnames may only name this tenant\'s hosts');
    deniedWith({ parentRefs: [{ name: 'payments' }] }, 'spec.parentRefs may only name this tenant\'s own Gateway');
    deniedWith({ parentRefs: [{ name: 'payments', namespace: 'payments' }] }, 'spec.parentRefs may only name this tenant\'s own Gateway');
    deniedWith({ parentRefs: [{ kind: 'Service', group: '', name: 'payments', namespace: 'traefik' }] }, 'spec.parentRefs may only name this tenant\'s own Gateway');
    deniedWith({ parentRefs: [{ name: 'payments', namespace: 'traefik' }, { name: 'search', namespace: 'traefik' }] }, 'spec.parentRefs may only name this tenant\'s own Gateway');
  });
});

describe('refusals', () => {
  const spec = (routing: string, tenantExtra = '', platformExtra = '') => `platform:
  allowedDomains: [example.com]
  routing: ${routing}
${platformExtra}tenants:
  - name: payments
    domains: [pay.example.com]
    owners: { groups: [payments-leads] }
    issuer: { acme: { email: ops@example.com } }
${tenantExtra}`;

  test('a shared Traefik with IngressRoutes is refused, saying why', () => {
    expect(refusals(spec('{ traefik: shared }'))).toEqual([
      'tenancy.yaml:3:23: platform.routing.traefik: a Traefik shared by tenants that route with IngressRoutes keeps every tenant\'s certificates in one TLS store and lets any tenant\'s route claim any host — set `api: gateway` (each tenant\'s Gateway listeners admit its own routes and hosts only), or keep `traefik: per-tenant`',
    ]);
  });

  test('settings that choose what the mode does not have are refused: the wildcard certificate without a wildcard or the Gateway API, a tenant\'s own Traefik on a shared one, shared sizes without sharing', () => {
    expect(refusals(spec('{ api: gateway, wildcardCertificate: true }'))).toEqual([
      'tenancy.yaml:3:49: platform.routing.wildcardCertificate: there is no platform wildcard to use — set `platform.wildcard`, or remove the field',
    ]);
    expect(refusals(spec('{ wildcardCertificate: true }'))[0]).toContain('platform.routing.wildcardCertificate: chooses the certificate of each Gateway listener');
    expect(refusals(spec('{ api: gateway, traefik: shared }', '    traefik: { replicas: 1 }\n'))).toEqual([
      'tenancy.yaml:9:14: tenants[0].traefik: this tenant has no Traefik of its own: every tenant shares the platform\'s (`platform.routing.traefik: shared`) — remove the field, and size the shared Traefik with `platform.routing.sharedTraefik`',
    ]);
    expect(refusals(spec('{ api: gateway, sharedTraefik: { replicas: 2 } }'))[0]).toContain('platform.routing.sharedTraefik: sizes the shared Traefik, and `traefik` is not `shared`');
  });

  test('more domains than a Gateway has listeners for are refused, with the count', () => {
    const many = Array.from({ length: 33 }, (_, i) => `h${i}.example.com`).join(', ');
    const problems = refusals(spec('{ api: gateway }').replace('[pay.example.com]', `[${many}]`));
    expect(problems).toEqual([expect.stringMatching(/^tenancy\.yaml:\d+:\d+: tenants\[0\]\.domains: 33 domains need 66 listeners on the tenant's Gateway \(HTTP and HTTPS for each\), and a Gateway holds at most 64 — keep at most 32 domains, or split the tenant in two$/)]);
  });

  test('the defaults (IngressRoutes, one Traefik per tenant) render the same bytes as a spec without `routing`: no Gateway API object, no gateway flag', () => {
    const without = toYamlFiles(renderGroups(modelOf(spec('{}').replace('  routing: {}\n', ''))));
    const defaults = toYamlFiles(renderGroups(modelOf(spec('{ api: ingressroute, traefik: per-tenant, wildcardCertificate: false }'))));
    expect(defaults).toEqual(without);
    const objects = allObjects(renderGroups(modelOf(spec('{}'))));
    expect(objects.filter((o) => o.apiVersion.startsWith('gateway.networking.k8s.io/'))).toEqual([]);
    expect(objects.some((o) => JSON.stringify(o).includes('kubernetesgateway'))).toBe(false);
  });
});
