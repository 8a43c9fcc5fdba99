/**
 * The streaming self-check (the platform's objects once, then each tenant's with the platform's,
 * and the hosts claimed so far carried from tenant to tenant) finds what the isolation rules find
 * over the whole output at once: for each bug planted in a rendered output, the same rules fire
 * on the same objects of the same files.
 */
import { checkIsolation } from '../../src/threats';
import { KubeObject, ObjectGroup, renderGroups } from '../../src/output/render';
import { assertIsolated, SelfCheck, SelfCheckError } from '../../src/output/self-check';
import { TenancyModel } from '../../src/model/tenancy-model';
import { modelOf, oneTenantSpec } from '../helpers';

const SPEC = `${oneTenantSpec()}  - name: shop
    domains: [shop.example.com, www.shop.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
  - name: lab
    domains: [lab.example.com]
    owners: { groups: [lab] }
    issuer: { selfSigned: {} }
`;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** A group whose objects a test may change. */
type Group = { file: string; tenant?: string; objects: KubeObject[] };

/** Each finding as `rule file object`, sorted and unique; tenants checked `chunk` at a time. */
function streamed(groups: readonly ObjectGroup[], model: TenancyModel, chunk?: number): string[] {
  try {
    const check = new SelfCheck(model, chunk);
    for (const g of groups) check.add(g);
    check.finish();
    return [];
  } catch (err) {
    if (!(err instanceof SelfCheckError)) throw err;
    return [...new Set(err.findings.map((f) => `${f.rule} ${f.file} ${f.object}`))].sort();
  }
}

function allAtOnce(groups: readonly ObjectGroup[], model: TenancyModel): string[] {
  const objects = groups.flatMap((g) => g.objects);
  const fileOf = groups.flatMap((g) => g.objects.map(() => g.file));
  const secrets = new Map(model.tenants.map((t) => [t.name, t.secrets]));
  const findings = checkIsolation(objects, {
    platformNamespace: model.platform.namespace,
    tenantNamespaces: new Set(model.tenants.map((t) => t.name)),
    secrets: (ns) => secrets.get(ns) ?? 'read-only',
  });
  return [...new Set(findings.map((f) => `${f.rule} ${fileOf[f.objectIndex]} ${f.object}`))].sort();
}

/** The rendered groups of SPEC with `plant` applied to (copies of) them. */
function planted(plant: (groups: Group[], find: (file: string, kind: string, name?: string) => any) => void): { groups: Group[]; model: TenancyModel } {
  const model = modelOf(SPEC);
  const groups: Group[] = renderGroups(model).map((g) => ({ ...g, objects: clone(g.objects) as KubeObject[] }));
  plant(groups, (file, kind, name) => {
    const hit = groups.find((g) => g.file === file)!.objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
    if (!hit) throw new Error(`no ${kind} ${name ?? ''} in ${file}`);
    return hit;
  });
  return { groups, model };
}

const PAYMENTS = 'tenants/payments.yaml';
const SHOP = 'tenants/shop.yaml';
const LAB = 'tenants/lab.yaml';

const BUGS: Record<string, Parameters<typeof planted>[0]> = {
  'a later tenant\'s Certificate names an earlier tenant\'s host': (_, find) => {
    find(LAB, 'Certificate').spec.dnsNames = ['PAY.example.com.'];
  },
  'a later tenant\'s wildcard covers an earlier tenant\'s host': (_, find) => {
    find(LAB, 'Certificate').spec.dnsNames = ['*.shop.example.com'];
  },
  'an earlier tenant\'s wildcard covers a later tenant\'s host': (_, find) => {
    find(PAYMENTS, 'Certificate').spec.dnsNames = ['*.example.com'];
  },
  'an IngressRoute and an Ingress of two tenants route one host': (groups) => {
    groups[2].objects.push({ apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'web', namespace: 'shop' }, spec: { routes: [{ match: 'Host(`lab.example.com`)' }] } } as any);
    groups[3].objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'lab' }, spec: { rules: [{ host: 'lab.example.com' }] } } as any);
  },
  'three tenants claim one host': (_, find) => {
    find(SHOP, 'Certificate').spec.dnsNames = ['pay.example.com'];
    find(LAB, 'Certificate').spec.dnsNames = ['pay.example.com'];
  },
  'a tenant\'s Traefik watches another tenant': (_, find) => {
    const args: string[] = find(SHOP, 'Deployment').spec.template.spec.containers[0].args;
    args.forEach((a, i) => {
      if (a.startsWith('--providers.kubernetescrd.namespaces=')) args[i] = `${a},lab`;
    });
  },
  'a platform ClusterRoleBinding gives a tenant\'s Traefik every Secret': (groups) => {
    groups[0].objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'oops' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view-secrets' },
      subjects: [{ kind: 'ServiceAccount', name: 'traefik-shop', namespace: 'traefik' }],
    } as any, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view-secrets' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] } as any);
  },
  'a tenant identity may write the platform\'s default TLSOption': (_, find) => {
    const binding = find(LAB, 'RoleBinding', 'tenant-owner');
    binding.metadata.namespace = 'traefik';
    find(LAB, 'Role', 'tenant-owner').metadata.namespace = 'traefik';
    find(LAB, 'Role', 'tenant-owner').rules.push({ apiGroups: ['traefik.io'], resources: ['tlsoptions'], verbs: ['update'] });
  },
  'a tenant without its ResourceQuota, another without default-deny': (groups) => {
    groups[2].objects = groups[2].objects.filter((o) => o.kind !== 'ResourceQuota');
    groups[3].objects = groups[3].objects.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny'));
  },
  'two tenants\' Traefik Services claim one node port': (_, find) => {
    for (const file of [PAYMENTS, LAB]) {
      const service = find(file, 'Service');
      service.spec.type = 'NodePort';
      service.spec.ports[0].nodePort = 30080;
    }
  },
  'two tenants\' HTTPRoutes name one host': (groups) => {
    const route = (namespace: string) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace }, spec: { hostnames: ['pay.example.com'] } } as any);
    groups[3].objects.push(route('lab'));
  },
  'a tenant\'s Traefik takes every GatewayClass (no labelSelector)': (_, find) => {
    find(SHOP, 'Deployment').spec.template.spec.containers[0].args.push('--providers.kubernetesgateway=true', '--providers.kubernetesgateway.namespaces=shop,traefik');
  },
  'the platform holds a ClusterIssuer (reported once, not once per tenant)': (groups) => {
    groups[0].objects.push({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'everyone' }, spec: { selfSigned: {} } } as any);
  },
};

describe('a bug planted in the output is found as by the rules over the whole output at once', () => {
  test.each(Object.keys(BUGS))('%s', (bug) => {
    const { groups, model } = planted(BUGS[bug]);
    const whole = allAtOnce(groups, model);
    expect(whole.length).toBeGreaterThan(0);
    // One tenant at a time, two (a chunk boundary between tenants), and all together.
    for (const chunk of [1, 2, undefined]) expect({ chunk, findings: streamed(groups, model, chunk) }).toEqual({ chunk, findings: whole });
  });

  test('each platform finding is listed once, however many tenants are checked with the platform', () => {
    const { groups, model } = planted(BUGS['the platform holds a ClusterIssuer (reported once, not once per tenant)']);
    let error: SelfCheckError | undefined;
    try {
      assertIsolated(groups, model);
    } catch (err) {
      error = err as SelfCheckError;
    }
    expect(error?.findings.map((f) => `${f.file} ${f.rule}`)).toEqual(['platform.yaml no-cluster-issuer']);
    expect(error?.message).toContain('platform.yaml: ClusterIssuer everyone: [no-cluster-issuer]');
  });
});

test('a clean output passes, group by group, with the platform first', () => {
  const model = modelOf(SPEC);
  const check = new SelfCheck(model);
  for (const group of renderGroups(model)) check.add(group);
  expect(() => check.finish()).not.toThrow();
});
