/**
 * What this tool writes passes the audit it ships: dist/ as committed, and a fresh render of
 * every example spec (with its tenant files), judged by the same rules users run on their
 * clusters. A finding here means a construct regressed, or a rule misjudges safe output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../../src/audit/read-manifests';
import { auditManifests } from '../../src/audit/audit';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { renderGroups } from '../../src/output/render';
import { assertIsolated } from '../../src/output/self-check';
import { toYamlFiles } from '../../src/output/yaml';
import { readSpec } from '../../src/spec/read-spec';
import { oneTenantSpec, REPO, render, modelOf } from '../helpers';
import { auditFiles, summarize } from './helpers';

const EXAMPLES = path.join(REPO, 'examples');
/** Every spec among the examples: top-level YAML files of examples/ (tenant files are read through them). */
const specs = fs.readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(EXAMPLES, f));

/** Renders a spec file as `npm run synth` would write it, and audits the YAML text (of one fleet cluster's folder, when `cluster` is given). */
function auditRender(configFile: string, cluster?: string) {
  const model = resolveTenancy(readSpec(configFile).spec);
  const files = [...toYamlFiles(renderGroups(model))].filter(([rel]) => cluster === undefined || rel.startsWith(`clusters/${cluster}/`));
  const objects = [];
  const skipped = [];
  for (const [rel, text] of files) {
    const parsed = parseManifests(rel, text);
    objects.push(...parsed.objects);
    skipped.push(...parsed.skipped);
  }
  return { model, result: auditManifests({ objects, skipped, files: files.map(([rel]) => rel) }) };
}

const isFleet = (spec: string) => resolveTenancy(readSpec(spec).spec).fleet !== undefined;

test('there is at least one example spec, and one fleet', () => {
  expect(specs).toContain(path.join(EXAMPLES, 'tenancy.yaml'));
  expect(specs.filter(isFleet)).toEqual([path.join(EXAMPLES, 'fleet.yaml')]);
});

test.each(specs.filter(isFleet).flatMap((s) => resolveTenancy(readSpec(s).spec).fleet!.clusters.map((c) => [path.relative(REPO, s), c.name, s])))(
  'a fresh render of %s has no finding on cluster %s, whose platform and tenants the audit tells apart',
  (_name, cluster, spec) => {
    const { model, result } = auditRender(spec, cluster);
    const own = model.fleet!.clusters.find((c) => c.name === cluster)!;
    expect(summarize(result)).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect([...result.scope.tenantNamespaces].sort()).toEqual(model.tenants.filter((t) => t.cluster === cluster).map((t) => t.name).sort());
    expect([...result.scope.platformNamespaces]).toEqual([own.platform.namespace]);
  },
);

test.each(specs.filter((s) => !isFleet(s)).map((s) => [path.relative(REPO, s), s]))('a fresh render of %s has no finding', (_name, spec) => {
  const { model, result } = auditRender(spec);
  expect(summarize(result)).toEqual([]);
  expect(result.skipped).toEqual([]);
  expect([...result.scope.tenantNamespaces].sort()).toEqual(model.tenants.map((t) => t.name).sort());
  expect([...result.scope.platformNamespaces]).toEqual([model.platform.namespace]);
  expect(() => assertIsolated(renderGroups(model), model)).not.toThrow();
});

test('dist/ as committed has no finding', () => {
  const result = auditFiles([path.join(REPO, 'dist')]);
  expect(summarize(result)).toEqual([]);
  expect(result.objectCount).toBeGreaterThan(0);
  expect(result.scope.tenantNamespaces.size).toBeGreaterThan(0);
});

test('nor does it when the Secrets policy is stated per tenant, as the self-check does', () => {
  const text = oneTenantSpec('    secrets: manage\n');
  expect(() => assertIsolated(render(text), modelOf(text))).not.toThrow();
  const strictly = auditManifests(
    { objects: render(text).flatMap((g) => parseManifests(g.file, toYamlFiles([g]).get(g.file)!).objects), skipped: [], files: [] },
    { secrets: 'read-only' },
  );
  // Told that tenants must not write Secrets, the audit reports the tenant that may.
  expect(strictly.findings.map((f) => `${f.rule} ${f.object.namespace}/${f.object.name}`)).toEqual(['secrets-read-only payments/tenant-owner']);
});

test('the self-check fails loudly, naming the file, when a construct regresses', () => {
  const text = oneTenantSpec();
  const model = modelOf(text);
  const groups = renderGroups(model);
  const deployment = groups[1].objects.find((o) => o.kind === 'Deployment') as any;
  const args: string[] = deployment.spec.template.spec.containers[0].args;
  args.splice(args.findIndex((a) => a.startsWith('--providers.kubernetesingress.namespaces')), 1);
  expect(() => assertIsolated(groups, model)).toThrow(/tenants\/payments\.yaml: Deployment traefik\/traefik-payments: \[traefik-scoped-providers\]/);
});

test('the self-check sees across files: a host in two tenants\' files is reported', () => {
  const text = `${oneTenantSpec()}  - name: shop\n    domains: [shop.example.com]\n    owners: { users: [bob] }\n    issuer: { selfSigned: {} }\n`;
  const model = modelOf(text);
  const groups = renderGroups(model);
  const shopCert = groups[2].objects.find((o) => o.kind === 'Certificate') as any;
  shopCert.spec.dnsNames = ['pay.example.com'];
  expect(() => assertIsolated(groups, model)).toThrow(/tenants\/shop\.yaml: Certificate shop\/shop\.example\.com: \[one-host-one-tenant\]/);
});
