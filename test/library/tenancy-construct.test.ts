/** The library's top-level construct: the CLI's output, in any cdk8s chart. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as library from '../../src';
import { Tenancy } from '../../src';
import { SpecError } from '../../src/spec/errors';
import { readSpec } from '../../src/spec/read-spec';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { KubeObject, renderGroups } from '../../src/output/render';
import { allObjects, oneTenantSpec, REPO } from '../helpers';

const EXAMPLE = path.join(REPO, 'examples/tenancy.yaml');
const byId = (objects: readonly KubeObject[]) =>
  [...objects].sort((a, b) => key(a).localeCompare(key(b)));
const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

test('the constructs the issue names are exported from the package root', () => {
  for (const name of ['Tenancy', 'TenantNamespace', 'ScopedTraefik', 'TenantIssuer', 'WildcardTLSStore'] as const) {
    expect(typeof library[name]).toBe('function');
  }
  expect(typeof library.parseSpec).toBe('function');
  expect(typeof library.resolveTenancy).toBe('function');
  expect(typeof library.specJsonSchema).toBe('function');
});

test('Tenancy in a plain Chart synthesizes exactly the objects `npm run synth` writes', () => {
  const chart = new Chart(Testing.app(), 'tenancy');
  Tenancy.fromSpecFile(chart, 'Tenancy', EXAMPLE);
  const cli = allObjects(renderGroups(resolveTenancy(readSpec(EXAMPLE).spec)));
  expect(byId(Testing.synth(chart) as KubeObject[])).toEqual(byId(cli));
});

test('Tenancy with a model and Tenancy.fromSpecFile build the same objects', () => {
  const a = new Chart(Testing.app(), 'a');
  new Tenancy(a, 'Tenancy', { model: resolveTenancy(readSpec(EXAMPLE).spec) });
  const b = new Chart(Testing.app(), 'b');
  Tenancy.fromSpecFile(b, 'Tenancy', EXAMPLE);
  expect(Testing.synth(a)).toEqual(Testing.synth(b));
});

test('Tenancy.fromSpecFile refuses a bad spec with every problem, located', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-lib-'));
  try {
    const file = path.join(dir, 'tenancy.yaml');
    fs.writeFileSync(file, oneTenantSpec('    podSecurity: privileged\n    traefik: { allowCrossNamespace: true }\n'));
    let error: unknown;
    try {
      Tenancy.fromSpecFile(new Chart(Testing.app(), 'c'), 'Tenancy', file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['8:18 tenants[0].podSecurity', '9:37 tenants[0].traefik.allowCrossNamespace']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
