/** `synth --format helm` with a vcluster tenant: its chart renders to exactly its YAML file, carries the values file, and its NOTES say how to connect. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { toHelmFiles } from '../../src/output/helm';
import { renderGroups } from '../../src/output/render';
import { toYamlFiles } from '../../src/output/yaml';
import { readSpec } from '../../src/spec/read-spec';
import { REPO, runCli } from '../helpers';
import { chartRender, writeFiles } from '../output/chart-render';
import { renderVcluster } from './helpers';

const EXAMPLE = path.join(REPO, 'examples/vcluster.yaml');
const OPTIONS = { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth', package: true };
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-helm-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('each chart of examples/vcluster.yaml renders to exactly its YAML file; the vcluster tenant\'s chart carries its values file', () => {
  const model = resolveTenancy(readSpec(EXAMPLE).spec);
  const helmGroups = renderGroups(model, 'helm');
  const files = toHelmFiles(helmGroups, model, OPTIONS);
  writeFiles(dir, files);
  const yaml = toYamlFiles(helmGroups);
  for (const [file, chart] of [['platform.yaml', 'tenancy-platform'], ['tenants/payments.yaml', 'tenant-payments'], ['tenants/labs.yaml', 'tenant-labs']]) {
    for (const source of [path.join(dir, chart), path.join(dir, `${chart}-0.1.0.tgz`)]) {
      const result = chartRender(source);
      expect({ source, stderr: result.stderr, status: result.status }).toEqual({ source, stderr: '', status: 0 });
      expect(result.objects).toEqual(parseAllDocuments(yaml.get(file)!).map((d) => d.toJS()).filter((o) => o !== null));
    }
  }
  expect(files.get('tenant-labs/vcluster.yaml')).toBe(yaml.get('tenants/labs.vcluster.yaml'));
  expect(files.has('tenant-payments/vcluster.yaml')).toBe(false);
  // The Application in the chart installs the vcluster chart with the same values as the file.
  const app = parseAllDocuments(yaml.get('tenants/labs.yaml')!).map((d) => d.toJS()).find((o) => o.kind === 'Application' && o.metadata.name === 'vc-labs');
  expect(app.spec.source.helm.valuesObject).toEqual(parse(files.get('tenant-labs/vcluster.yaml') as string));
  expect(renderVcluster(files.get('tenant-labs/vcluster.yaml') as string).status).toBe(0);
});

test('NOTES.txt of the vcluster tenant says how to connect and how its certificates and routes work', () => {
  const notes = fs.readFileSync(path.join(dir, 'tenant-labs/templates/NOTES.txt'), 'utf8');
  expect(notes).toContain('vCluster      labs (chart vcluster 0.36.1, installed by the Application argocd/vc-labs)');
  expect(notes).toContain('vcluster connect labs -n labs');
  expect(notes).toContain('`issuerRef: { kind: Issuer, name: tenant-issuer }`');
  expect(notes).toContain('synced to labs with the ingress class traefik-labs, and served by traefik-labs');
  expect(notes).not.toContain('the Secret of each domain');
  expect(fs.readFileSync(path.join(dir, 'tenant-payments/templates/NOTES.txt'), 'utf8')).toContain('the Secret of each domain');
});

test('`synth --check` knows the values file: up to date after a synth, stale when it differs', () => {
  const out = path.join(dir, 'out');
  expect(runCli(['synth', '--config', EXAMPLE, '--out', out]).status).toBe(0);
  expect(runCli(['synth', '--config', EXAMPLE, '--out', out, '--check']).status).toBe(0);
  fs.appendFileSync(path.join(out, 'tenants/labs.vcluster.yaml'), '# edited\n');
  const check = runCli(['synth', '--config', EXAMPLE, '--out', out, '--check']);
  expect({ status: check.status, stdout: check.stdout }).toEqual({ status: 1, stdout: expect.stringContaining('  tenants/labs.vcluster.yaml (differs)\n') });
});
