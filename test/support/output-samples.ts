/**
 * Test helper: the YAML this tool writes, for specs that cover every construct and every string a
 * YAML reader is apt to misread — each YAML file, each Helm chart as Helm renders it (through
 * chart-render), its values.yaml and Chart.yaml, an onboarded tenant file, and the committed dist/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HelmOptions, toHelmFiles } from '../../src/output/helm';
import { renderGroups } from '../../src/output/render';
import { renderTenantFile } from '../../src/output/tenant-file';
import { toYamlFiles } from '../../src/output/yaml';
import { modelOf, oneTenantSpec, REPO } from '../helpers';
import { chartRender, writeFiles } from '../output/chart-render';

/** Strings that YAML 1.1 or 1.2 readers read as something else when written plain, all valid owner names. */
export const MISREADABLE = [
  'yes', 'Y', 'no', 'N', 'on', 'Off', 'TRUE', 'null', 'NULL', '~', '<<', '=', '017', '0o17', '0X1F', '0b101', '+_1', '1_000',
  '1e3', '.5', '.inf', '-.Inf', '.NaN', '1:20', '190:20:30.15', '2001-12-14', '2001-1-2', '2001-12-14t21:59:43.10-05:00',
  '#x', 'a: b', 'a #b', '- a', '? a', '@a', '`a', '%a', '{{ team }}', '日本', 'ünï', '😀', 'a\u2028b', 'a\u0085b', 'a\u00a0b',
];

/** A spec whose tenants are named, labelled and owned by misreadable strings (the issue's `team: "no"`). */
export const MISREADABLE_SPEC = `platform:
  allowedDomains: [example.com]
tenants:
  - name: "no"
    team: "no"
    environment: "on"
    domains: [no.example.com, 1e3.example.com]
    owners:
      groups: ${JSON.stringify(MISREADABLE.slice(0, 24))}
      users: ${JSON.stringify(MISREADABLE.slice(24))}
    issuer: { selfSigned: {} }
  - name: "on"
    team: "0o17"
    environment: "2001-12-14"
    domains: [on.example.com]
    owners: { groups: ["y"] }
    issuer: { acme: { email: ops@example.com } }
    egress: { cidrs: [10.0.0.0/8], ports: [5432] }
  - name: "e3"
    team: "1_000"
    environment: "0b101"
    domains: [x.example.com]
    owners: { users: ["Yes"] }
    issuer: { ca: { secretName: "017" } }
`;

/** The specs every output check runs over. */
export function sampleSpecs(): Array<{ name: string; text: string }> {
  const read = (f: string) => fs.readFileSync(path.join(REPO, f), 'utf8');
  return [
    { name: 'examples/tenancy.yaml', text: read('examples/tenancy.yaml') },
    { name: 'examples/admission-kyverno.yaml', text: read('examples/admission-kyverno.yaml') },
    { name: 'examples/hardened.yaml', text: read('examples/hardened.yaml') },
    { name: 'examples/vcluster.yaml', text: read('examples/vcluster.yaml') },
    { name: 'examples/gateway-shared.yaml', text: read('examples/gateway-shared.yaml') },
    { name: 'examples/production.yaml', text: read('examples/production.yaml') },
    { name: 'every kind of tenant', text: `${oneTenantSpec('    traefik: { replicas: 3 }\n    quota: { services: 5, persistentVolumeClaims: 2, storage: 10Gi }\n')}  - name: shop\n    domains: [shop.example.com]\n    owners: { users: [bob] }\n    issuer: { ca: { secretName: shop-ca } }\n    traefik: { replicas: 1, serviceType: ClusterIP }\n` },
    { name: 'misreadable strings', text: MISREADABLE_SPEC },
  ];
}

const OPTIONS: HelmOptions = { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth -- --config "no: yes" --out "#dist" --format helm' };

/** One YAML text we write, and where it comes from. */
export interface Sample {
  readonly name: string;
  readonly text: string;
}

/**
 * Every YAML text of the sample specs: the YAML files; each chart rendered by chart-render (with
 * its default values), its values.yaml and Chart.yaml; a tenant file onboarded with misreadable
 * values; and the committed dist/. Charts of specs with Flux GitOps are left out (refused for Helm).
 */
export function sampleOutputs(): Sample[] {
  const samples: Sample[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-samples-'));
  try {
    for (const spec of sampleSpecs()) {
      const model = modelOf(spec.text);
      const groups = renderGroups(model);
      for (const [file, text] of toYamlFiles(groups)) samples.push({ name: `${spec.name} → ${file}`, text });
      if (model.platform.gitops && 'flux' in model.platform.gitops) continue;
      const charts = path.join(dir, spec.name.replace(/[^a-z0-9]+/gi, '-'));
      const files = toHelmFiles(renderGroups(model, 'helm'), model, { ...OPTIONS, package: false });
      writeFiles(charts, files);
      for (const chart of fs.readdirSync(charts)) {
        const rendered = chartRender(path.join(charts, chart));
        if (rendered.status !== 0) throw new Error(`chart-render refused ${spec.name} → ${chart}:\n${rendered.stderr}`);
        samples.push({ name: `${spec.name} → ${chart} (rendered)`, text: rendered.stdout });
        for (const file of ['values.yaml', 'Chart.yaml']) samples.push({ name: `${spec.name} → ${chart}/${file}`, text: files.get(`${chart}/${file}`) as string });
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  samples.push({
    name: 'onboarded tenant file',
    text: renderTenantFile({
      name: 'no', team: 'yes', environment: 'on', domains: ['no.example.com'],
      owners: { groups: MISREADABLE, users: ['~', 'null'] }, schema: '../tenancy.tenant.schema.json', config: 'examples/tenancy.yaml', isolation: 'vcluster',
    }),
  });
  const dist = path.join(REPO, 'dist');
  for (const file of ['platform.yaml', ...fs.readdirSync(path.join(dist, 'tenants')).map((f) => `tenants/${f}`)]) {
    samples.push({ name: `dist/${file}`, text: fs.readFileSync(path.join(dist, file), 'utf8') });
  }
  return samples;
}
