/** Reading manifests of any origin, with the file, line and column of every object and field. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestPathError, parseManifests, readManifests } from '../../src/audit/read-manifests';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-read-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const LIST = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
    namespace: shop
  data:
    color: blue
`;

test('expands a List into its items, each at its own line and column', () => {
  const { objects, skipped } = parseManifests('export.yaml', LIST);
  expect(skipped).toEqual([]);
  expect(objects.map((o) => [o.object.kind, o.object.metadata.name, o.source.line, o.source.col])).toEqual([
    ['Namespace', 'shop', 4, 3],
    ['ConfigMap', 'settings', 8, 3],
  ]);
});

test('locates fields inside an object: map keys at the key, list items at the item', () => {
  const { objects } = parseManifests('export.yaml', LIST);
  const cm = objects[1];
  expect(cm.locate(['data', 'color'])).toEqual({ file: 'export.yaml', line: 14, col: 5 });
  expect(cm.locate(['metadata', 'namespace'])).toEqual({ file: 'export.yaml', line: 12, col: 5 });
  // A missing field answers with its nearest existing parent.
  expect(cm.locate(['data', 'size'])).toEqual({ file: 'export.yaml', line: 13, col: 3 });
  const multi = parseManifests('m.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      args: [--x=1, --y]\n');
  expect(multi.objects[0].locate(['spec', 'containers', 0, 'args', 1])).toEqual({ file: 'm.yaml', line: 7, col: 21 });
});

test('reads multi-document files, skipping empty documents silently and others with a reason', () => {
  const text = `# header
---
apiVersion: v1
kind: Namespace
metadata: { name: a }
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [a.yaml]
---
- just
- a list
---
replicas: 3
---
`;
  const { objects, skipped } = parseManifests('repo.yaml', text);
  expect(objects.map((o) => `${o.object.kind}/${o.object.metadata.name}@${o.source.line}`)).toEqual(['Namespace/a@3']);
  expect(skipped).toEqual([
    { file: 'repo.yaml', line: 7, col: 1, reason: 'the document is not a Kubernetes object: it has no `metadata.name`' },
    { file: 'repo.yaml', line: 11, col: 1, reason: 'the document is not a Kubernetes object: it is a list, not a mapping' },
    { file: 'repo.yaml', line: 14, col: 1, reason: 'the document is not a Kubernetes object: it has no `apiVersion` and `kind`' },
  ]);
});

test('a document that is not valid YAML is skipped; the others are still read', () => {
  const text = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: b }\n';
  const { objects, skipped } = parseManifests('bad.yaml', text);
  expect(objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
  expect(skipped).toHaveLength(1);
  expect(skipped[0].reason).toMatch(/^not valid YAML: /);
  expect(skipped[0].line).toBeGreaterThanOrEqual(5);
});

test('refuses YAML alias bombs instead of expanding them', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const { objects, skipped } = parseManifests('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata:\n  ${bomb.join('\n  ')}\n`);
  expect(objects).toEqual([]);
  expect(skipped).toHaveLength(1);
});

test('reads JSON (`kubectl get -o json`) like YAML', () => {
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }] }, null, 2);
  const { objects } = parseManifests('export.json', json);
  expect(objects.map((o) => [o.object.metadata.name, o.source.line])).toEqual([['a', 5]]);
});

test('walks folders for .yaml and .yml files in name order, skipping hidden folders and node_modules', () => {
  const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`;
  write('b/two.yml', ns('two'));
  write('a/one.yaml', ns('one'));
  write('c.yaml', ns('three'));
  write('notes.txt', ns('never'));
  write('.git/config.yaml', ns('never'));
  write('node_modules/x/y.yaml', ns('never'));
  const set = readManifests([dir]);
  expect(set.objects.map((o) => o.object.metadata.name)).toEqual(['one', 'two', 'three']);
  expect(set.files.map((f) => path.relative(dir, f))).toEqual(['a/one.yaml', 'b/two.yml', 'c.yaml']);
});

test('a file named on the command line is read whatever its extension', () => {
  const file = write('export.json', '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}');
  expect(readManifests([file]).objects).toHaveLength(1);
});

test('`-` reads standard input', () => {
  const set = readManifests(['-'], () => 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n');
  expect(set.objects[0].source).toEqual({ file: '<stdin>', line: 1, col: 1 });
});

test('a path that does not exist is refused with the path and a remedy', () => {
  expect(() => readManifests([path.join(dir, 'nope')])).toThrow(ManifestPathError);
  expect(() => readManifests([path.join(dir, 'nope')])).toThrow(/cannot read `.*nope` \(no such file or folder\) — check the path/);
});
