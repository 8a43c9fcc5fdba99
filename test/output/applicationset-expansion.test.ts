/**
 * The fleet's ApplicationSet, expanded over the output tree as Argo CD's controller would (see
 * test/support/applicationset.ts), targets each tenant's file on the right cluster: the cluster
 * in the file's path picks the destination.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tenantReleaseName } from '../../src/model/names';
import { REPO } from '../helpers';
import { expandApplicationSet, renderTemplate } from '../support/applicationset';
import { objectsOf, one, synthTree, Tree } from '../support/fleet-output';
import { expectValidManifests } from '../support/schemas';

const exampleText = fs.readFileSync(path.join(REPO, 'examples/fleet.yaml'), 'utf8').replace(/^tenantsDir: .*\n/m, '');
/** The rendered output sits at `out-fleet/` in the repository, as the example's `gitops.argocd.path` says. */
const ROOT = 'out-fleet';

/** The output as the repository holds it: each path under the output folder. */
function inRepository(tree: Tree): Map<string, string | Buffer> {
  return new Map([...tree].map(([rel, content]) => [`${ROOT}/${rel}`, content]));
}

/** Where each generated Application sends which file: name → `destination file`. */
function targets(applications: readonly any[]): Record<string, string> {
  return Object.fromEntries(applications.map((a) => {
    const d = a.spec.destination;
    const destination = d.server !== '' && d.server !== undefined ? `server ${d.server}` : `name ${d.name}`;
    const source = a.spec.source.directory ? `${a.spec.source.path}/${a.spec.source.directory.include}` : a.spec.source.path;
    return [a.metadata.name, `${destination} ${source}`];
  }));
}

let tree: Tree;
beforeAll(() => {
  tree = synthTree(exampleText);
});

test('the ApplicationSet generates one Application per tenant file of each declared cluster, sent to that cluster', () => {
  const appset = one(objectsOf(tree, 'management/fleet.yaml'), 'ApplicationSet', 'tenancy-tenants');
  const applications = expandApplicationSet(appset, inRepository(tree));
  expect(targets(applications)).toEqual({
    'tenant-payments': 'server https://eu-west.k8s.example.com out-fleet/clusters/eu-west/tenants/payments.yaml',
    'tenant-search': 'name us-east-prod out-fleet/clusters/us-east/tenants/search.yaml',
    'tenant-catalog': 'server https://ap-south.k8s.example.com out-fleet/clusters/ap-south/tenants/catalog.yaml',
  });
  for (const app of applications) {
    // The file exists, and holds the namespace of the tenant the Application is named after.
    const file = `${app.spec.source.path.slice(ROOT.length + 1)}/${app.spec.source.directory.include}`;
    expect(objectsOf(tree, file).filter((o) => o.kind === 'Namespace').map((o) => `tenant-${o.metadata.name}`)).toEqual([app.metadata.name]);
    expect(app.spec.project).toBe('tenancy-tenants');
    expect(app.metadata.labels['tenancy.cdk8s.io/tenant']).toBe(app.metadata.name.replace(/^tenant-/, ''));
  }
  expectValidManifests(applications);
});

test('every tenant file is targeted exactly once: a cluster tenant\'s by the Applications of its own management file', () => {
  const appset = one(objectsOf(tree, 'management/fleet.yaml'), 'ApplicationSet', 'tenancy-tenants');
  const generated = expandApplicationSet(appset, inRepository(tree));
  const own = objectsOf(tree, 'management/tenants/ledger.yaml').filter((o) => o.kind === 'Application');
  const targeted = [...generated, ...own].map((a) => `${a.spec.source.path}/${a.spec.source.directory.include}`).filter((f) => f.includes('/tenants/'));
  const tenantFiles = [...tree.keys()].filter((f) => /^clusters\/[^/]+\/tenants\/[^/]+\.yaml$/.test(f)).map((f) => `${ROOT}/${f}`);
  expect(targeted.sort()).toEqual(tenantFiles.sort());
  expect(targets(own)['tenant-ledger']).toBe('name ledger out-fleet/clusters/ledger/tenants/ledger.yaml');
});

test('the destination comes from the path: a file in another cluster\'s folder goes to that cluster', () => {
  const appset = one(objectsOf(tree, 'management/fleet.yaml'), 'ApplicationSet', 'tenancy-tenants');
  const moved = new Map(inRepository(tree));
  moved.set(`${ROOT}/clusters/us-east/tenants/payments.yaml`, moved.get(`${ROOT}/clusters/eu-west/tenants/payments.yaml`)!);
  moved.delete(`${ROOT}/clusters/eu-west/tenants/payments.yaml`);
  expect(targets(expandApplicationSet(appset, moved))['tenant-payments']).toBe('name us-east-prod out-fleet/clusters/us-east/tenants/payments.yaml');
});

test('with charts, each tenant chart of each cluster, installed as the release its Chart.yaml names (shortened past 53 characters)', () => {
  const long = 'a'.repeat(50);
  const text = exampleText.replace('  - name: catalog\n', `  - name: ${long}\n`);
  const charts = synthTree(text, ['--format', 'helm', '--no-package']);
  const appset = one(objectsOf(charts, 'management/fleet.yaml'), 'ApplicationSet', 'tenancy-tenants');
  expect(appset.spec.generators[0].matrix.generators[1].git.files).toEqual([{ path: 'out-fleet/clusters/{{.cluster}}/tenants/*/Chart.yaml' }]);
  const applications = expandApplicationSet(appset, inRepository(charts));
  expect(Object.fromEntries(applications.map((a) => [a.metadata.name, [a.spec.destination, a.spec.source.path, a.spec.source.helm.releaseName]]))).toEqual({
    'tenant-payments': [{ server: 'https://eu-west.k8s.example.com', name: '' }, 'out-fleet/clusters/eu-west/tenants/tenant-payments', 'tenant-payments'],
    'tenant-search': [{ server: '', name: 'us-east-prod' }, 'out-fleet/clusters/us-east/tenants/tenant-search', 'tenant-search'],
    [`tenant-${long}`]: [{ server: 'https://ap-south.k8s.example.com', name: '' }, `out-fleet/clusters/ap-south/tenants/tenant-${long}`, tenantReleaseName(long)],
  });
  expect(tenantReleaseName(long).length).toBeLessThanOrEqual(53);
  expectValidManifests(applications);
});

test('the expansion itself fails on a missing key, as missingkey=error does (it can fail)', () => {
  expect(renderTemplate('{{ .path.filename }}', { path: { filename: 'a.yaml' } })).toBe('a.yaml');
  expect(renderTemplate('tenant-{{ trimSuffix ".yaml" .path.filename }}', { path: { filename: 'a.yaml' } })).toBe('tenant-a');
  expect(() => renderTemplate('{{ .path.nope }}', { path: {} })).toThrow('map has no entry for key "nope"');
});
