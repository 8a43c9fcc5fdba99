/** The YAML output: one file per tenant plus the platform, namespaces set exactly where they belong, same input → same bytes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { allObjects, oneTenantSpec, REPO, render, runCli, runCliProcess } from '../helpers';
import { CLUSTER_SCOPED_KINDS } from '../../src/threats/detect/manifest-index';
import { toYamlFiles } from '../../src/output/yaml';

const twoTenants = `${oneTenantSpec()}  - name: shop
    domains: [shop.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
`;

test('writes platform.yaml and one file per tenant, holding everything of that tenant', () => {
  const groups = render(twoTenants);
  expect(groups.map((g) => g.file)).toEqual(['platform.yaml', 'tenants/payments.yaml', 'tenants/shop.yaml']);
  for (const g of groups.filter((x) => x.tenant)) {
    for (const o of g.objects) {
      expect(o.metadata.labels).toMatchObject({ 'tenancy.cdk8s.io/tenant': g.tenant });
      expect([g.tenant, 'traefik', undefined]).toContain(o.metadata.namespace);
    }
  }
});

test('adding a tenant adds a file and changes no other', () => {
  const before = toYamlFiles(render(oneTenantSpec()));
  const after = toYamlFiles(render(twoTenants));
  expect([...after.keys()].filter((k) => !before.has(k))).toEqual(['tenants/shop.yaml']);
  for (const [file, text] of before) expect(after.get(file)).toBe(text);
});

test('sets metadata.namespace on every namespaced object and on no cluster-scoped one', () => {
  for (const o of allObjects(render(twoTenants))) {
    if (CLUSTER_SCOPED_KINDS.has(o.kind)) expect({ kind: o.kind, namespace: o.metadata.namespace }).toEqual({ kind: o.kind, namespace: undefined });
    else expect(typeof o.metadata.namespace).toBe('string');
  }
});

test('names no two objects alike within a file or across tenant files', () => {
  const keys = allObjects(render(twoTenants)).map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  expect(new Set(keys).size).toBe(keys.length);
});

test('the YAML parses back to exactly the rendered objects', () => {
  const groups = render(twoTenants);
  const files = toYamlFiles(groups);
  for (const g of groups) {
    const docs = parseAllDocuments(files.get(g.file)!).map((d) => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(g.objects)));
  }
});

test('same input, same bytes, whatever the time zone and locale', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-det-'));
  // Child processes: a time zone and locale are the process's.
  const a = runCliProcess(['synth', '--out', path.join(dir, 'a')], REPO, { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
  const b = runCliProcess(['synth', '--out', path.join(dir, 'b')], REPO, { TZ: 'UTC', LANG: 'C' });
  expect([a.status, b.status]).toEqual([0, 0]);
  for (const f of ['platform.yaml', 'tenants/payments.yaml', 'tenants/search.yaml']) {
    expect(fs.readFileSync(path.join(dir, 'a', f))).toEqual(fs.readFileSync(path.join(dir, 'b', f)));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the committed dist/ is the output of the embedded example (fails when stale)', () => {
  const result = runCli(['synth', '--check']);
  expect(result.stdout + result.stderr).toContain('dist is up to date');
  expect(result.status).toBe(0);
});
