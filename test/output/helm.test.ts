/**
 * The Helm output: every chart passes chart-render (a `helm lint` + `helm template` stand-in)
 * and renders, with its default values, to exactly the objects of the YAML output.
 */
import Ajv from 'ajv';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { parse, parseAllDocuments } from 'yaml';
import { modelOf, oneTenantSpec, REPO, render } from '../helpers';
import { chartRender, writeFiles } from './chart-render';
import { escapeForHelm, HelmOptions, isStrictSemver, packageChart, TENANT_VALUES, toCharts, toHelmFiles } from '../../src/output/helm';
import { renderGroups } from '../../src/output/render';
import { toYamlFiles } from '../../src/output/yaml';
import { readSpec } from '../../src/spec/read-spec';
import { expectValidManifests } from '../support/schemas';
import { resolveTenancy } from '../../src/model/tenancy-model';

const OPTIONS: HelmOptions = { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth -- --format helm' };
const EXAMPLE = path.join(REPO, 'examples/tenancy.yaml');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-helm-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Charts and archives of a spec, written to `dir`. */
function writeCharts(specText: string, options: HelmOptions = OPTIONS): Map<string, string | Buffer> {
  const model = modelOf(specText);
  const files = toHelmFiles(renderGroups(model), model, options);
  writeFiles(dir, files);
  return files;
}

/** The YAML output of a spec, file by file, as parsed objects. */
function yamlObjects(specText: string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [file, text] of toYamlFiles(render(specText))) {
    out.set(file, parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null));
  }
  return out;
}

const exampleSpec = () => fs.readFileSync(EXAMPLE, 'utf8');
/** The Kyverno example without its GitOps block (GitOps goes with YAML output only). */
const addOnsSpec = () => fs.readFileSync(path.join(REPO, 'examples/admission-kyverno.yaml'), 'utf8').replace(/  gitops:\n(    .*\n)+/, '');

/** A spec that touches every construct: two tenants, CA and self-signed issuers, egress, quotas. */
const richSpec = `${oneTenantSpec('    traefik: { replicas: 3, resources: { limits: { cpu: 2, memory: 1Gi } } }\n    quota: { services: 5, persistentVolumeClaims: 2, storage: 10Gi }\n')}  - name: shop
    domains: [shop.example.com, www.shop.example.com]
    owners: { users: [bob] }
    issuer: { ca: { secretName: shop-ca } }
    egress: { cidrs: [10.0.0.0/8], ports: [5432] }
    traefik: { replicas: 1, serviceType: ClusterIP }
  - name: lab
    domains: [lab.example.com]
    owners: { groups: [lab] }
    issuer: { selfSigned: {} }
`;

describe('chart files', () => {
  test('writes a chart folder and a packaged chart per tenant and for the platform', () => {
    const files = writeCharts(exampleSpec());
    const top = [...new Set([...files.keys()].map((f) => f.split('/')[0]))].sort();
    expect(top).toEqual([
      'tenancy-platform', 'tenancy-platform-0.1.0.tgz',
      'tenant-payments', 'tenant-payments-0.1.0.tgz',
      'tenant-search', 'tenant-search-0.1.0.tgz',
    ]);
  });

  test('each chart holds Chart.yaml, values, schema, templates, NOTES.txt, README.md and .helmignore', () => {
    for (const chart of toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS)) {
      const names = [...chart.files.keys()];
      expect(names).toEqual(expect.arrayContaining(['Chart.yaml', 'values.yaml', 'values.schema.json', 'templates/NOTES.txt', 'README.md', '.helmignore']));
      expect(names.filter((n) => n.startsWith('templates/') && n.endsWith('.yaml')).length).toBeGreaterThan(0);
    }
  });

  test('Chart.yaml: apiVersion v2, DNS-1123 name, versions as strings, kubeVersion, keywords and how to regenerate', () => {
    const charts = toCharts(render(exampleSpec()), modelOf(exampleSpec()), { ...OPTIONS, chartVersion: '1.2.3-rc.1+build.5' });
    const meta = parse(charts.find((c) => c.name === 'tenant-payments')!.files.get('Chart.yaml')!);
    expect(meta).toEqual({
      apiVersion: 'v2',
      name: 'tenant-payments',
      description: expect.stringContaining('Tenant payments'),
      type: 'application',
      version: '1.2.3-rc.1+build.5',
      appVersion: '0.1.0',
      kubeVersion: '>=1.25.0-0',
      keywords: ['multi-tenancy', 'traefik', 'cert-manager'],
      annotations: {
        'tenancy.cdk8s.io/generated-by': 'cdk8s-tenancy 0.1.0',
        'tenancy.cdk8s.io/regenerate': 'Do not edit: change the spec and run `npm run synth -- --format helm`',
      },
    });
    expect(charts.map((c) => c.name)).toEqual(['tenancy-platform', 'tenant-payments', 'tenant-search']);
  });

  test('a version that looks like a number stays a string in Chart.yaml', () => {
    const chart = toCharts(render(oneTenantSpec()), modelOf(oneTenantSpec()), { ...OPTIONS, chartVersion: '1.0.0', generatorVersion: '1.0.0' })[1];
    expect(chart.files.get('Chart.yaml')).toContain('version: "1.0.0"\n');
    expect(chart.files.get('Chart.yaml')).toContain('appVersion: "1.0.0"\n');
  });

  test('the chart of the longest tenant name is a DNS-1123 label', () => {
    const name = `t${'a'.repeat(54)}`;
    const spec = oneTenantSpec().replace('name: payments', `name: ${name}`);
    const chart = toCharts(render(spec), modelOf(spec), OPTIONS)[1];
    expect(chart.name).toBe(`tenant-${name}`);
    expect(chart.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  test('refuses a chart version that is not strict SemVer 2', () => {
    for (const v of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0+']) expect(isStrictSemver(v)).toBe(false);
    for (const v of ['0.1.0', '1.0.0-rc.1', '1.0.0+20260101', '10.20.30-alpha.1+sha.5114f85']) expect(isStrictSemver(v)).toBe(true);
    expect(() => toCharts(render(oneTenantSpec()), modelOf(oneTenantSpec()), { ...OPTIONS, chartVersion: '1.0' })).toThrow(/not a strict SemVer 2 version/);
  });

  test('templates are numbered in object order, so Helm renders them in the order of the YAML output', () => {
    const chart = toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS)[1];
    const templates = [...chart.files.keys()].filter((n) => n.startsWith('templates/') && n.endsWith('.yaml'));
    expect(templates).toEqual([...templates].sort());
    expect(templates[0]).toBe('templates/00-namespace-payments.yaml');
    expect(templates).toContain('templates/15-deployment-traefik-payments.yaml');
  });

  test('NOTES.txt says what the release created, which DNS records to make, and how to route with the tenant\'s certificate', () => {
    const notes = toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS)[1].files.get('templates/NOTES.txt')!;
    expect(notes).toContain('Release {{ .Release.Name }} (chart tenant-payments) set up tenant `payments`');
    expect(notes).toContain('{{ int .Values.traefik.replicas }} replica(s)');
    expect(notes).toContain("kubectl -n traefik get service traefik-payments -o jsonpath='{.status.loadBalancer.ingress[0]}'");
    expect(notes).toContain('    pay.example.com\n    api.pay.example.com\n');
    expect(notes).toContain('kind: IngressRoute');
    expect(notes).toContain('- match: Host(`pay.example.com`)');
    expect(notes).toContain('secretName: pay.example.com-tls');
    expect(notes).not.toMatch(/\\\{\{/); // Handlebars' escape is gone
  });

  test('NOTES.txt and README.md name the add-ons and what the cluster must run for them', () => {
    const text = addOnsSpec();
    const [platform, tenant] = toCharts(render(text), modelOf(text), OPTIONS);
    expect(platform.files.get('templates/NOTES.txt')).toContain('reflector copies that Secret to: monitoring.\n'
      + '  Admission  Kyverno ClusterPolicies (Enforce) guard every tenant namespace:\n'
      + '             tenancy-certificates, tenancy-ingress-hosts, tenancy-ingressroute-hosts, tenancy-pod-security, tenancy-service-types, tenancy-secret-copies, tenancy-middlewares, tenancy-disruption-budgets, tenancy-external-secrets.\n');
    // Kyverno refuses the ExternalSecret policy unless the External Secrets CRDs are there.
    expect(platform.files.get('README.md')).toContain('The cluster needs cert-manager, the Traefik v3 CRDs, the External Secrets Operator (external-secrets.io/v1), Kyverno 1.13+ and reflector.');
    expect(parse(platform.files.get('Chart.yaml')!).kubeVersion).toBe('>=1.25.0-0');
    expect(tenant.files.get('templates/NOTES.txt')).toContain('SecretStore payments/tenant-secrets on Vault https://vault.example.com:8200 (role tenant-payments,\n                path tenants/payments)');
    expect(tenant.files.get('README.md')).toContain('The cluster needs cert-manager, the Traefik v3 CRDs and the External Secrets Operator (external-secrets.io/v1).');
    const plain = toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS);
    expect(plain[0].files.get('templates/NOTES.txt')).toContain('ValidatingAdmissionPolicies (Deny) guard every tenant namespace');
    expect(plain[0].files.get('README.md')).toContain('The cluster needs cert-manager, the Traefik v3 CRDs and Kubernetes 1.30+ (ValidatingAdmissionPolicy).');
    expect(parse(plain[0].files.get('Chart.yaml')!).kubeVersion).toBe('>=1.30.0-0');
    expect(parse(plain[1].files.get('Chart.yaml')!).kubeVersion).toBe('>=1.25.0-0');
    expect(plain[1].files.get('templates/NOTES.txt')).not.toContain('SecretStore');
  });

  test('the platform chart has no values, and its schema refuses any', () => {
    const chart = toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS)[0];
    expect(parse(chart.files.get('values.yaml')!)).toEqual({});
    const validate = new Ajv({ strict: false }).compile(JSON.parse(chart.files.get('values.schema.json')!));
    expect(validate({})).toBe(true);
    expect(validate({ traefik: { replicas: 2 } })).toBe(false);
  });
});

describe('chart-render accepts every chart and renders exactly the YAML output', () => {
  test.each([
    ['the example', exampleSpec],
    ['a spec with every kind of tenant', () => richSpec],
    ['a spec with Kyverno admission, external secrets and secret sync', addOnsSpec],
    ['examples/production.yaml: every Traefik knob, metrics and a ServiceMonitor', () => fs.readFileSync(path.join(REPO, 'examples/production.yaml'), 'utf8')],
  ])('%s: folders and archives, object for object', (_, spec) => {
    const text = spec();
    writeCharts(text);
    const expected = yamlObjects(text);
    const charts = toCharts(render(text), modelOf(text), OPTIONS);
    expect(charts.length).toBe(expected.size);
    const groups = render(text);
    charts.forEach((chart, i) => {
      for (const source of [path.join(dir, chart.name), path.join(dir, `${chart.name}-0.1.0.tgz`)]) {
        const result = chartRender(source);
        expect({ source, stderr: result.stderr, status: result.status }).toEqual({ source, stderr: '', status: 0 });
        expect(result.objects).toEqual(expected.get(groups[i].file));
      }
    });
  });

  test('examples/tenancy.yaml, read as the CLI reads it: each archive renders to its YAML file', () => {
    const model = resolveTenancy(readSpec(EXAMPLE).spec);
    const groups = renderGroups(model);
    writeFiles(dir, toHelmFiles(groups, model, OPTIONS));
    const yaml = toYamlFiles(groups);
    for (const [file, chart] of [['platform.yaml', 'tenancy-platform'], ['tenants/payments.yaml', 'tenant-payments'], ['tenants/search.yaml', 'tenant-search']]) {
      const result = chartRender(path.join(dir, `${chart}-0.1.0.tgz`));
      expect(result.stderr).toBe('');
      expect(result.objects).toEqual(parseAllDocuments(yaml.get(file)!).map((d) => d.toJS()).filter((o) => o !== null));
    }
  });
});

describe('with platform.gitops.argocd', () => {
  const text = () => fs.readFileSync(path.join(REPO, 'examples/admission-kyverno.yaml'), 'utf8');

  test('each chart holds an Application that installs that chart folder with Helm', () => {
    const model = modelOf(text());
    const charts = toCharts(renderGroups(model, 'helm'), model, OPTIONS);
    const applications = charts.map((chart) => [...chart.files.entries()].find(([file]) => /templates\/\d+-application-/.test(file))![1]).map((t) => parse(t));
    expect(applications.map((a) => [a.metadata.name, a.spec.source])).toEqual([
      ['tenancy-platform', { repoURL: 'https://git.example.com/platform/tenancy.git', targetRevision: 'main', path: 'out-kyverno/tenancy-platform', helm: { releaseName: 'tenancy-platform' } }],
      ['tenant-payments', { repoURL: 'https://git.example.com/platform/tenancy.git', targetRevision: 'main', path: 'out-kyverno/tenant-payments', helm: { releaseName: 'tenant-payments' } }],
      ['tenant-search', { repoURL: 'https://git.example.com/platform/tenancy.git', targetRevision: 'main', path: 'out-kyverno/tenant-search', helm: { releaseName: 'tenant-search' } }],
    ]);
    expectValidManifests(applications);
  });

  test('chart-render renders each chart to exactly the YAML of the same objects', () => {
    const model = modelOf(text());
    const groups = renderGroups(model, 'helm');
    writeFiles(dir, toHelmFiles(groups, model, OPTIONS));
    const yaml = toYamlFiles(groups);
    toCharts(groups, model, OPTIONS).forEach((chart, i) => {
      const result = chartRender(path.join(dir, `${chart.name}-0.1.0.tgz`));
      expect({ stderr: result.stderr, status: result.status }).toEqual({ stderr: '', status: 0 });
      expect(result.objects).toEqual(parseAllDocuments(yaml.get(groups[i].file)!).map((d) => d.toJS()).filter((o) => o !== null));
    });
  });
});

describe('escaping', () => {
  const nasty = ['oidc:{{team}}', '{{ fail "rendered" }}', '{{- .Release.Name -}}', 'a{{{b}}}c', '}}{{'];
  const spec = oneTenantSpec().replace('owners: { groups: [payments-leads] }', `owners: { groups: [${nasty.map((g) => JSON.stringify(g)).join(', ')}] }`);

  test('escapeForHelm turns every `{{` into an action that prints it', () => {
    expect(escapeForHelm('oidc:{{team}}')).toBe('oidc:{{ "{{" }}team}}');
    expect(escapeForHelm('{{{{')).toBe('{{ "{{" }}{{ "{{" }}');
    expect(escapeForHelm('no braces }} here')).toBe('no braces }} here');
  });

  test('an owner group named `oidc:{{team}}` (and worse) renders literally through chart-render', () => {
    writeCharts(spec);
    const result = chartRender(path.join(dir, 'tenant-payments-0.1.0.tgz'));
    expect(result.stderr).toBe('');
    const binding = result.objects.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'tenant-owner');
    expect(binding.subjects.map((s: { name: string }) => s.name)).toEqual(nasty);
    expect(result.objects).toEqual(yamlObjects(spec).get('tenants/payments.yaml'));
  });

  test('NOTES.txt keeps Helm\'s own syntax and prints the spec\'s `{{` literally', () => {
    writeCharts(spec);
    // Render NOTES.txt through a template that includes it, as Helm renders NOTES at install.
    const chart = path.join(dir, 'tenant-payments');
    fs.writeFileSync(path.join(chart, 'templates/zz-notes.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: notes', 'data:',
      '  notes: {{ include "tenant-payments/templates/NOTES.txt" . | toJson }}', '',
    ].join('\n'));
    const result = chartRender(chart, { release: 'pay' });
    expect(result.stderr).toBe('');
    const notes: string = result.objects.at(-1).data.notes;
    expect(notes).toContain('Release pay (chart tenant-payments) set up tenant `payments`');
    expect(notes).toContain('2 replica(s) of\n                traefik:v3.7.11,');
    for (const group of nasty) expect(notes).toContain(`group \`${group}\``);
  });
});

describe('values', () => {
  const fullValues = (traefik: Record<string, unknown>) => JSON.stringify({
    traefik: { image: 'traefik:v3.7.11', replicas: 2, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } }, ...traefik },
  });

  test('values.yaml holds the spec\'s Traefik settings', () => {
    const chart = toCharts(render(richSpec), modelOf(richSpec), OPTIONS)[1];
    expect(parse(chart.files.get('values.yaml')!)).toEqual({
      traefik: {
        image: 'traefik:v3.7.11',
        replicas: 3,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
        serviceType: 'LoadBalancer',
        service: { annotations: {}, externalTrafficPolicy: '', loadBalancerClass: '', loadBalancerSourceRanges: [], nodePorts: {} },
        spread: 'node',
        nodeSelector: {},
        tolerations: [],
        priorityClassName: '',
        accessLog: false,
        redirectToHttps: false,
      },
    });
  });

  test('overriding image, replicas and resources changes the Deployment and nothing else', () => {
    writeCharts(exampleSpec());
    const expected = yamlObjects(exampleSpec()).get('tenants/payments.yaml') as any[];
    const result = chartRender(path.join(dir, 'tenant-payments-0.1.0.tgz'), {
      values: fullValues({ image: 'registry.example.com/traefik:v3.7.12', replicas: 4, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 2, memory: '1Gi' } } }),
    });
    expect(result.stderr).toBe('');
    const deployment = result.objects.find((o) => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/traefik:v3.7.12');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } });
    const others = (objects: any[]) => objects.filter((o) => o.kind !== 'Deployment');
    expect(others(result.objects)).toEqual(others(expected));
  });

  test('one replica leaves out the PodDisruptionBudget', () => {
    writeCharts(exampleSpec());
    const result = chartRender(path.join(dir, 'tenant-payments'), { values: fullValues({ replicas: 1 }) });
    expect(result.stderr).toBe('');
    expect(result.objects.find((o) => o.kind === 'Deployment').spec.replicas).toBe(1);
    expect(result.objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('values cannot weaken isolation: the schema refuses other keys, and the templates read none', () => {
    const chart = toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS)[1];
    const validate = new Ajv({ strict: false }).compile(JSON.parse(chart.files.get('values.schema.json')!));
    const defaults = parse(chart.files.get('values.yaml')!);
    expect(validate(defaults)).toBe(true);
    const refused = [
      { ...defaults, rbac: { clusterWide: true } },
      { traefik: { ...defaults.traefik, allowCrossNamespace: true } },
      { traefik: { ...defaults.traefik, namespaces: ['payments', 'search'] } },
      { traefik: { ...defaults.traefik, replicas: 0 } },
      { traefik: { ...defaults.traefik, replicas: 2.5 } },
      { traefik: { ...defaults.traefik, image: 'traefik v3' } },
      { traefik: { ...defaults.traefik, resources: { ...defaults.traefik.resources, limits: { cpu: 'lots', memory: '1Gi' } } } },
      { traefik: { ...defaults.traefik, resources: { ...defaults.traefik.resources, limits: { cpu: '1', memory: '1Gi', ephemeral: '1Gi' } } } },
    ];
    for (const values of refused) expect({ values, valid: validate(values) }).toEqual({ values, valid: false });
    // Installed with -f, as `helm install -f` does, the chart refuses them with the schema's words.
    writeCharts(exampleSpec());
    const chartDir = path.join(dir, 'tenant-payments');
    const widened = JSON.stringify({ traefik: { ...defaults.traefik, allowCrossNamespace: true, namespaces: ['search'] }, rbac: { clusterWide: true } });
    const checked = chartRender(chartDir, { values: widened });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toContain('Additional property rbac is not allowed');
    expect(checked.stderr).toContain('Additional property allowCrossNamespace is not allowed');
    // Even with the check skipped (Helm's --skip-schema-validation), extra values change nothing.
    const unchecked = chartRender(chartDir, { values: widened, skipSchemaValidation: true });
    expect(unchecked.stderr).toBe('');
    expect(unchecked.objects).toEqual(yamlObjects(exampleSpec()).get('tenants/payments.yaml'));
  });

  test('docs/helm.md and each README list every value', () => {
    const docs = fs.readFileSync(path.join(REPO, 'docs/helm.md'), 'utf8');
    const readme = toCharts(render(exampleSpec()), modelOf(exampleSpec()), OPTIONS)[1].files.get('README.md')!;
    for (const { key } of TENANT_VALUES) {
      expect(docs).toContain(`\`${key}\``);
      expect(readme).toContain(`\`${key}\``);
    }
  });
});

/** The headers of an uncompressed tar, read field by field (POSIX ustar layout). */
function tarHeaders(tar: Buffer) {
  const headers = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const block = tar.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const text = (from: number, to: number) => block.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
    const octal = (from: number, to: number) => parseInt(text(from, to).trim() || '0', 8);
    const prefix = text(345, 500);
    const size = octal(124, 136);
    headers.push({
      path: prefix ? `${prefix}/${text(0, 100)}` : text(0, 100),
      mode: octal(100, 108),
      uid: octal(108, 116),
      gid: octal(116, 124),
      size,
      mtime: octal(136, 148),
      type: text(156, 157),
      uname: text(265, 297),
      gname: text(297, 329),
    });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return headers;
}

describe('archives', () => {
  test('follow Helm\'s layout: one top folder named after the chart, regular files only, sorted, fixed metadata', () => {
    const files = writeCharts(richSpec);
    for (const chart of toCharts(render(richSpec), modelOf(richSpec), OPTIONS)) {
      const tgz = files.get(`${chart.name}-0.1.0.tgz`) as Buffer;
      const headers = tarHeaders(gunzipSync(tgz));
      expect(headers.map((h) => h.path)).toEqual([...chart.files.keys()].sort().map((rel) => `${chart.name}/${rel}`));
      for (const h of headers) {
        expect({ ...h, path: undefined, size: undefined }).toEqual({ path: undefined, size: undefined, mode: 0o644, uid: 0, gid: 0, mtime: 0, type: '0', uname: '', gname: '' });
      }
    }
  });

  test('hold exactly the files of the chart folder', () => {
    const files = writeCharts(exampleSpec());
    const tar = gunzipSync(files.get('tenant-payments-0.1.0.tgz') as Buffer);
    let at = 0;
    for (const h of tarHeaders(tar)) {
      const content = tar.subarray(at + 512, at + 512 + h.size).toString('utf8');
      expect(content).toBe(files.get(h.path));
      at += 512 + Math.ceil(h.size / 512) * 512;
    }
  });

  test('are byte-identical for the same input, with gzip mtime 0', () => {
    const first = toHelmFiles(render(richSpec), modelOf(richSpec), OPTIONS);
    const second = toHelmFiles(render(richSpec), modelOf(richSpec), OPTIONS);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, content] of first) {
      expect({ file, same: Buffer.from(content).equals(Buffer.from(second.get(file)!)) }).toEqual({ file, same: true });
      if (file.endsWith('.tgz')) {
        const gz = content as Buffer;
        expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
        expect([...gz.subarray(4, 8)]).toEqual([0, 0, 0, 0]); // mtime
        expect(gz[9]).toBe(255); // OS: unknown, the same on every platform
      }
    }
  });

  test('do not depend on the order the files were given in', () => {
    const files = new Map([['values.yaml', 'a: 1\n'], ['Chart.yaml', 'name: x\n'], ['templates/b.yaml', 'b\n']]);
    const reversed = new Map([...files].reverse());
    expect(packageChart('x', files).equals(packageChart('x', reversed))).toBe(true);
  });

  test('a long tenant name and domain still pack into plain ustar entries', () => {
    const name = `t${'a'.repeat(54)}`;
    const domain = `${'d'.repeat(50)}.example.com`;
    const spec = oneTenantSpec().replace('name: payments', `name: ${name}`).replace('domains: [pay.example.com]', `domains: [${domain}]`);
    writeCharts(spec);
    const tgz = path.join(dir, `tenant-${name}-0.1.0.tgz`);
    const headers = tarHeaders(gunzipSync(fs.readFileSync(tgz)));
    expect(headers.some((h) => h.path.length > 100)).toBe(true);
    expect(new Set(headers.map((h) => h.type))).toEqual(new Set(['0']));
    const result = chartRender(tgz);
    expect(result.stderr).toBe('');
    expect(result.objects).toEqual(yamlObjects(spec).get(`tenants/${name}.yaml`));
  });
});

test('--no-package leaves the archives out', () => {
  const files = toHelmFiles(render(oneTenantSpec()), modelOf(oneTenantSpec()), { ...OPTIONS, package: false });
  expect([...files.keys()].some((f) => f.endsWith('.tgz'))).toBe(false);
  expect(files.has('tenant-payments/Chart.yaml')).toBe(true);
});

test('compiles each Handlebars template once, however many charts it writes', () => {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handlebars = require('handlebars');
    const compile = jest.spyOn(handlebars.default ?? handlebars, 'compile');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const helm = require('../../src/output/helm') as typeof import('../../src/output/helm');
    helm.toCharts(render(richSpec), modelOf(richSpec), OPTIONS);
    helm.toCharts(render(richSpec), modelOf(richSpec), OPTIONS);
    // NOTES.txt, the platform's NOTES.txt, README.md and the routing guide.
    expect(compile).toHaveBeenCalledTimes(4);
    for (const [, options] of compile.mock.calls) expect(options).toEqual({ strict: true, noEscape: true });
  });
});
