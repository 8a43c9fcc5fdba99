/**
 * `tenancy audit` on Helm chart folders (what `synth --format helm` writes): every template is
 * rendered with the chart's values.yaml as Helm renders it, and audited; what cannot be rendered
 * is named, with the reason, in every report format; the parser prints no Node warnings.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { auditManifests } from '../../src/audit/audit';
import { renderHelmTemplate, UnsupportedTemplate } from '../../src/audit/helm-template';
import { readManifests } from '../../src/audit/read-manifests';
import { formatReport } from '../../src/audit/report';
import { oneTenantSpec, REPO, runCli } from '../helpers';
import { chartRender } from '../output/chart-render';

let dir: string;
let charts: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-audit-helm-'));
  charts = path.join(dir, 'charts');
  expect(runCli(['synth', '--config', path.join(REPO, 'examples/tenancy.yaml'), '--out', charts, '--format', 'helm']).status).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CHARTS = ['tenancy-platform', 'tenant-payments', 'tenant-search'];

test('audits exactly the objects Helm renders from each chart folder, and the YAML output holds, with no Node warning', () => {
  const warnings = jest.spyOn(process, 'emitWarning');
  const set = readManifests([charts]);
  expect(warnings).not.toHaveBeenCalled();
  warnings.mockRestore();

  expect(set.notAudited).toEqual([]);
  expect(set.skipped).toEqual([]);
  expect(set.charts).toEqual(CHARTS.map((c) => path.join(charts, c)));
  expect(set.packaged).toEqual(CHARTS.map((c) => path.join(charts, `${c}-0.1.0.tgz`)));
  // What Helm's own engine (chart-render) renders from the folders, in the same order.
  const helm = CHARTS.flatMap((c) => {
    const rendered = chartRender(path.join(charts, c));
    expect(rendered.stderr).toBe('');
    return rendered.objects;
  });
  expect(set.objects.map((o) => o.object)).toEqual(helm);
  // … which is the YAML output, object for object.
  const yamlOut = path.join(dir, 'yaml');
  expect(runCli(['synth', '--config', path.join(REPO, 'examples/tenancy.yaml'), '--out', yamlOut]).status).toBe(0);
  const yamlObjects = readManifests([yamlOut]).objects.map((o) => o.object);
  expect(new Set(helm.map((o) => JSON.stringify(o)))).toEqual(new Set(yamlObjects.map((o) => JSON.stringify(o))));
});

test('locates findings in the template file, at the line of the field', () => {
  const set = readManifests([path.join(charts, 'tenant-payments')]);
  const deployment = set.objects.find((o) => o.object.kind === 'Deployment')!;
  expect(deployment.source.file).toMatch(/tenant-payments\/templates\/\d+-deployment-traefik-payments\.yaml$/);
  const template = fs.readFileSync(deployment.source.file, 'utf8').split('\n');
  const at = deployment.locate(['spec', 'replicas']);
  expect(template[at.line - 1]).toBe('  replicas: {{ int .Values.traefik.replicas }}');
});

describe('what cannot be audited is said, in every format', () => {
  let extra: string;
  beforeAll(() => {
    extra = path.join(dir, 'extra');
    // A hand-written chart whose one template needs a helper this audit does not render …
    fs.mkdirSync(path.join(extra, 'app/templates'), { recursive: true });
    fs.writeFileSync(path.join(extra, 'app/Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(extra, 'app/values.yaml'), 'replicas: 2\nlabels: { a: b }\n');
    fs.writeFileSync(path.join(extra, 'app/templates/_helpers.tpl'), '{{- define "app.name" -}}app{{- end }}\n');
    fs.writeFileSync(path.join(extra, 'app/templates/deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.name" . }}\n  labels:\n{{ toYaml .Values.labels | indent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n');
    fs.writeFileSync(path.join(extra, 'app/templates/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  type: {{ .Values.serviceType | default "ClusterIP" }}\n  ports: [{ port: {{ .Values.port }} }]\n');
    // … and one it renders: `default` fills a value values.yaml leaves out.
    fs.writeFileSync(path.join(extra, 'app/templates/account.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Values.name | default "app" }}\n');
    // … and an archive that is not the folder beside it.
    fs.copyFileSync(path.join(charts, 'tenant-payments-0.1.0.tgz'), path.join(extra, 'tenant-payments-0.1.0.tgz'));
  });

  test('the set lists them with the reason; the rest is audited', () => {
    const set = readManifests([extra]);
    expect(set.notAudited.map((n) => [path.relative(extra, n.file), n.reason.split(' — ')[0]])).toEqual([
      ['app/templates/deployment.yaml', 'a Helm template this audit cannot render: `{{ include }}` is not supported'],
      ['app/templates/service.yaml', 'a Helm template this audit cannot render: `{{ .Values.port }}` prints a value values.yaml does not set (Helm prints `<no value>`)'],
      ['tenant-payments-0.1.0.tgz', 'a packaged Helm chart: audit its folder, or what `helm template` renders of it (`helm template NAME CHART | tenancy audit -`)'],
    ]);
    expect(set.objects.map((o) => `${o.object.kind} ${o.object.metadata.name}`)).toEqual(['ServiceAccount app']);
  });

  test('text, JSON and SARIF reports name every file not audited, and "no findings" says it covers only what was audited', () => {
    const result = auditManifests(readManifests([extra]));
    const text = formatReport(result, 'text', { failOn: 'high' });
    expect(text).toMatch(/^tenancy audit: 1 file, 1 object, 3 files NOT AUDITED\n/);
    expect(text).toContain('No findings in what was audited; 3 files could not be audited (listed below).');
    expect(text).toContain(`\nNot audited: 3 files whose manifests were not read:\n  ${path.join(extra, 'app/templates/deployment.yaml')}: a Helm template this audit cannot render`);
    const json = JSON.parse(formatReport(result, 'json', { failOn: 'high' }));
    expect(json.summary.notAudited).toBe(3);
    expect(json.notAudited.map((n: { file: string }) => path.relative(extra, n.file))).toEqual(['app/templates/deployment.yaml', 'app/templates/service.yaml', 'tenant-payments-0.1.0.tgz']);
    const sarif = JSON.parse(formatReport(result, 'sarif', { failOn: 'high', cwd: extra }));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.filter((n: any) => n.level === 'warning');
    expect(notes.map((n: any) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri, n.message.text.slice(0, 13)])).toEqual([
      ['warning', 'app/templates/deployment.yaml', 'Not audited: '],
      ['warning', 'app/templates/service.yaml', 'Not audited: '],
      ['warning', 'tenant-payments-0.1.0.tgz', 'Not audited: '],
    ]);
  });
});

describe('renderHelmTemplate: the part of Helm\'s template language that charts like ours use', () => {
  const values = { traefik: { replicas: 3, image: 'traefik:v3.7.11', resources: { cpu: '100m' } }, empty: '', list: [] };
  test.each([
    ['replicas: {{ int .Values.traefik.replicas }}', 'replicas: 3'],
    ['image: {{ .Values.traefik.image | quote }}', 'image: "traefik:v3.7.11"'],
    ['cpu: {{ quote .Values.traefik.resources.cpu }}', 'cpu: "100m"'],
    ['a: {{ "{{" }}team}}', 'a: {{team}}'],
    ['{{- if gt (int .Values.traefik.replicas) 1 }}\nkind: PodDisruptionBudget\n{{- end }}\n', '\nkind: PodDisruptionBudget\n'],
    ['{{- if gt (int .Values.traefik.replicas) 5 }}\nkind: PodDisruptionBudget\n{{- end }}\n', '\n'],
    ['x: {{ if .Values.empty }}a{{ else if .Values.list }}b{{ else }}c{{ end }}', 'x: c'],
    ['x: {{ .Values.empty | default "d" }} {{ not .Values.empty }} {{ eq .Values.traefik.replicas 3 }}', 'x: d true true'],
    ['x:   {{- /* a comment */ -}}   y', 'x:y'],
    ['s: {{ squote `raw` }}', "s: 'raw'"],
  ])('%j', (template, expected) => {
    expect(renderHelmTemplate(template, values)).toBe(expected);
  });

  test.each([
    ['{{ include "x" . }}', '`{{ include }}` is not supported'],
    ['{{ range .Values.list }}x{{ end }}', '`{{ range }}` is not supported'],
    ['{{ toYaml .Values.traefik }}', 'the function `toYaml` is not supported'],
    ['{{ .Release.Name }}', '`.Release.Name` is not supported (only `.Values`)'],
    ['{{ .Values.missing }}', '`{{ .Values.missing }}` prints a value values.yaml does not set (Helm prints `<no value>`)'],
    ['{{ .Values.missing.deeper }}', '`.Values.missing.deeper`: values.yaml does not set what is above `deeper`'],
    ['{{ .Values.traefik }}', 'a list or map is printed without `toYaml` (Helm would print Go syntax)'],
    ['{{ if .Values.empty }}x', '`{{ if }}` without its `{{ end }}`'],
    ['x {{ end }}', '`{{ end }}` without its `if`'],
    ['{{ $x := 1 }}', '`$x := 1` is not understood'],
    ['{{ .Values.traefik.replicas', '`{{` without its `}}`'],
  ])('refuses %j: %s', (template, reason) => {
    expect(() => renderHelmTemplate(template, values)).toThrow(UnsupportedTemplate);
    expect(() => renderHelmTemplate(template, values)).toThrow(reason);
  });

  test('every template synth writes renders as Helm renders it (chart-render), document for document', () => {
    for (const chart of CHARTS) {
      const folder = path.join(charts, chart);
      const chartValues = parseAllDocuments(fs.readFileSync(path.join(folder, 'values.yaml'), 'utf8'))[0].toJS();
      const ours = fs.readdirSync(path.join(folder, 'templates')).filter((f) => f.endsWith('.yaml')).sort()
        .flatMap((f) => parseAllDocuments(renderHelmTemplate(fs.readFileSync(path.join(folder, 'templates', f), 'utf8'), chartValues)).map((d) => d.toJS()))
        .filter((o) => o !== null);
      expect(ours).toEqual(chartRender(folder).objects);
    }
  });

  test('a chart with every Traefik knob set (maps and lists through `with` and `toJson`) renders as Helm renders it', () => {
    const spec = path.join(dir, 'knobs.yaml');
    fs.writeFileSync(spec, oneTenantSpec(`    traefik:
      serviceType: NodePort
      service: { annotations: { example.com/pool: ingress }, externalTrafficPolicy: Local, nodePorts: { web: 30080 } }
      spread: zone
      nodeSelector: { example.com/ingress: "true" }
      tolerations: [{ key: dedicated, value: ingress, effect: NoSchedule }]
      priorityClassName: ingress-high
      accessLog: true
      redirectToHttps: true
`));
    const out = path.join(dir, 'knobs');
    expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm', '--no-package']).status).toBe(0);
    const folder = path.join(out, 'tenant-payments');
    const chartValues = parseAllDocuments(fs.readFileSync(path.join(folder, 'values.yaml'), 'utf8'))[0].toJS();
    const ours = fs.readdirSync(path.join(folder, 'templates')).filter((f) => f.endsWith('.yaml')).sort()
      .flatMap((f) => parseAllDocuments(renderHelmTemplate(fs.readFileSync(path.join(folder, 'templates', f), 'utf8'), chartValues)).map((d) => d.toJS()))
      .filter((o) => o !== null);
    expect(ours).toEqual(chartRender(folder).objects);
    expect(readManifests([out]).notAudited).toEqual([]);
  });

  test('a spec whose text holds `{{` survives the round trip', () => {
    const spec = path.join(dir, 'braces.yaml');
    fs.writeFileSync(spec, oneTenantSpec().replace('groups: [payments-leads]', 'groups: ["oidc:{{team}}"]'));
    const out = path.join(dir, 'braces');
    expect(runCli(['synth', '--config', spec, '--out', out, '--format', 'helm', '--no-package']).status).toBe(0);
    const set = readManifests([out]);
    expect(set.notAudited).toEqual([]);
    const binding = set.objects.find((o) => o.object.kind === 'RoleBinding' && JSON.stringify(o.object).includes('oidc:'))!;
    expect(JSON.stringify(binding.object)).toContain('"oidc:{{team}}"');
  });
});
