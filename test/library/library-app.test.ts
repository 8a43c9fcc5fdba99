/** examples/library-app: a cdk8s app using the constructs directly, run as a user would (type-checked by test/typecheck.test.ts). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { KubeObject, renderGroups } from '../../src/output/render';
import { readSpec } from '../../src/spec/read-spec';
import { allObjects, REPO } from '../helpers';

let outdir: string;
let run: ReturnType<typeof spawnSync>;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-library-app-'));
  // Transpiled only: test/typecheck.test.ts type-checks the app (tsconfig.json includes examples/),
  // and type-checking it again here took seconds.
  run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(REPO, 'examples/library-app/main.ts')], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json'), CDK8S_OUTDIR: outdir },
  });
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const objects = (file: string): KubeObject[] => parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS());
const find = (list: KubeObject[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name) as any;

test('compiles and runs, writing one file per chart', () => {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(fs.readdirSync(outdir).sort()).toEqual(['sandbox.k8s.yaml', 'tenancy.k8s.yaml']);
});

test('the spec chart holds the objects `npm run synth` writes for the same spec', () => {
  const spec = path.join(REPO, 'examples/tenancy.yaml');
  const cli = allObjects(renderGroups(resolveTenancy(readSpec(spec).spec)));
  const sort = (list: KubeObject[]) => [...list].sort((a, b) => `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.namespace}/${b.metadata.name}`));
  expect(sort(objects('tenancy.k8s.yaml'))).toEqual(sort(cli));
});

test('the hand-made chart wires the building blocks to its own platform namespace', () => {
  const sandbox = objects('sandbox.k8s.yaml');
  expect(find(sandbox, 'Namespace', 'sandbox').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  const traefik = find(sandbox, 'Deployment', 'traefik-sandbox');
  expect(traefik.metadata.namespace).toBe('sandbox-ingress');
  expect(traefik.spec.template.spec.containers[0].args).toContain('--providers.kubernetescrd.namespaces=sandbox,sandbox-ingress');
  expect(find(sandbox, 'Issuer', 'tenant-issuer').spec).toEqual({ selfSigned: {} });
  expect(find(sandbox, 'TLSStore', 'default').metadata.namespace).toBe('sandbox-ingress');
  expect(find(sandbox, 'NetworkPolicy', 'allow-from-own-traefik').spec.ingress[0].from[0].namespaceSelector)
    .toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'sandbox-ingress' } });
});
