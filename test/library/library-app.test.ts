/**
 * examples/library-app: cdk8s apps using the constructs directly, run as a user would (type-checked
 * by test/typecheck.test.ts). The hand-built app's output is admitted by its own admission policies.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { KubeObject, renderGroups } from '../../src/output/render';
import { readSpec } from '../../src/spec/read-spec';
import { allObjects, REPO } from '../helpers';
import { admitVap } from '../support/cel-admission';

const APPS = ['two-tenants', 'from-spec', 'escape-hatch'];

let outdir: string;
const runs = new Map<string, ReturnType<typeof spawnSync>>();
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-library-app-'));
  // Transpiled only: test/typecheck.test.ts type-checks the apps (tsconfig.json includes examples/),
  // and type-checking them again here took seconds.
  for (const app of APPS) {
    runs.set(app, spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(REPO, `examples/library-app/${app}.ts`)], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json'), CDK8S_OUTDIR: outdir },
    }));
  }
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const objects = (file: string): any[] => parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS());
const find = (list: any[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);

test.each(APPS)('%s compiles and runs, writing its chart', (app) => {
  expect({ stderr: runs.get(app)!.stderr, status: runs.get(app)!.status }).toEqual({ stderr: '', status: 0 });
  expect(fs.readdirSync(outdir).sort()).toEqual(['escape-hatch.k8s.yaml', 'tenancy.k8s.yaml', 'two-tenants.k8s.yaml']);
});

describe('two-tenants: a platform and two tenants by hand', () => {
  let parsed: any[] | undefined;
  const all = () => (parsed ??= objects('two-tenants.k8s.yaml'));
  /** The messages of every ValidatingAdmissionPolicy of the app that denies `object`, created in its namespace. */
  const denials = (object: any) => {
    const list = all();
    const namespace = find(list, 'Namespace', object.metadata.namespace);
    return list.filter((o) => o.kind === 'ValidatingAdmissionPolicy').flatMap((policy) => {
      const result = admitVap(policy, { object, namespaceObject: namespace });
      return [...result.denials, ...result.errors];
    });
  };

  test('each tenant\'s Namespace lists its domains for the admission policies', () => {
    expect(find(all(), 'Namespace', 'shop').metadata.annotations).toEqual({ 'tenancy.cdk8s.io/domains': 'shop.example.com' });
    expect(find(all(), 'Namespace', 'blog').metadata.annotations).toEqual({ 'tenancy.cdk8s.io/domains': 'blog.example.com' });
    expect(find(all(), 'Namespace', 'blog').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(find(all(), 'RoleBinding', 'tenant-owner').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-leads' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' },
    ]);
  });

  test('the app\'s own Certificates and Ingress are admitted by its own admission policies', () => {
    const own = all().filter((o) => ['Certificate', 'Ingress'].includes(o.kind) && ['shop', 'blog'].includes(o.metadata.namespace));
    expect(own.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Certificate blog/blog.example.com', 'Certificate shop/shop.example.com', 'Ingress shop/storefront',
    ]);
    for (const object of own) expect({ object: object.metadata.name, denials: denials(object) }).toEqual({ object: object.metadata.name, denials: [] });
  });

  test('another tenant\'s host is denied, in a Certificate and in an Ingress', () => {
    const certificate = all().find((o) => o.kind === 'Certificate' && o.metadata.namespace === 'blog');
    expect(denials({ ...certificate, spec: { ...certificate.spec, dnsNames: ['shop.example.com'] } })).toEqual([expect.stringContaining('may only name this tenant\'s domains')]);
    const ingress = find(all(), 'Ingress', 'storefront');
    const stolen = structuredClone(ingress);
    stolen.spec.rules[0].host = 'blog.example.com';
    expect(denials(stolen).length).toBeGreaterThan(0);
  });

  test('the building blocks run the blog\'s Traefik in the platform namespace and let only it in', () => {
    const traefik = find(all(), 'Deployment', 'traefik-blog');
    expect(traefik.metadata.namespace).toBe('traefik');
    expect(traefik.spec.replicas).toBe(1);
    const policy = all().find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'blog' && o.metadata.name === 'allow-from-own-traefik');
    expect(policy.spec.ingress[0].from[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
      podSelector: { matchLabels: traefik.spec.selector.matchLabels },
    });
  });
});

test('from-spec: the chart holds the objects `npm run synth` writes for the same spec', () => {
  const spec = path.join(REPO, 'examples/tenancy.yaml');
  const cli = allObjects(renderGroups(resolveTenancy(readSpec(spec).spec)));
  const sort = (list: KubeObject[]) => [...list].sort((a, b) => `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.namespace}/${b.metadata.name}`));
  expect(sort(objects('tenancy.k8s.yaml'))).toEqual(sort(cli));
});

test('escape-hatch: the patches reach the Traefik Deployment and Service', () => {
  const list = objects('escape-hatch.k8s.yaml');
  const pod = find(list, 'Deployment', 'traefik-shop').spec.template.spec;
  expect(pod.nodeSelector).toEqual({ 'node-role.example.com/ingress': 'true' });
  expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'ingress', effect: 'NoSchedule' }]);
  expect(find(list, 'Service', 'traefik-shop').metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
});
