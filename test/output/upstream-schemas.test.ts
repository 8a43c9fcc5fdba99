/** Every emitted object validates against the upstream schemas (Kubernetes OpenAPI, the CRDs in ../shared/crds), unknown fields included. */
import { allObjects, REPO, render } from '../helpers';
import { expectValidManifests } from '../support/schemas';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { renderGroups } from '../../src/output/render';
import { readSpec } from '../../src/spec/read-spec';
import * as path from 'path';

const variedSpec = `platform:
  traefik: { namespace: edge, image: "traefik:v3.7.11" }
  allowedDomains: [example.com, example.org]
  wildcard:
    dnsNames: ["*.apps.example.com", apps.example.com]
    secretName: edge-wildcard
    acme: { email: ops@example.com, server: "https://acme-staging-v02.api.letsencrypt.org/directory", dns01: { route53: { region: eu-west-1, hostedZoneID: Z123 } } }
  defaults:
    issuer: { acme: { email: ops@example.com } }
    quota: { storage: 50Gi, persistentVolumeClaims: 5, services: 10 }
tenants:
  - name: a
    domains: [a.example.com]
    owners: { groups: ["oidc:{{team}}"], users: [alice] }
    secrets: manage
    podSecurity: baseline
    egress: { cidrs: [0.0.0.0/0, "2001:db8::/32"], ports: [443, 5432] }
    traefik: { replicas: 1, serviceType: ClusterIP, logLevel: DEBUG, resources: { requests: { cpu: 50m }, limits: { memory: 1Gi } } }
  - name: b
    domains: [b.example.org, ${'x'.repeat(60)}.example.com]
    owners: { users: [bob] }
    issuer: { ca: { secretName: b-ca } }
  - name: c
    domains: [c.example.com]
    owners: { groups: [c] }
    issuer: { selfSigned: {} }
`;

test('every object of the embedded example validates against the upstream schemas', () => {
  const model = resolveTenancy(readSpec(path.join(REPO, 'examples/tenancy.yaml')).spec);
  expectValidManifests(allObjects(renderGroups(model)));
});

test('every object of a spec using every option validates against the upstream schemas', () => {
  const objects = allObjects(render(variedSpec));
  expect(objects.length).toBeGreaterThan(50);
  expect(new Set(objects.map((o) => o.kind))).toEqual(new Set([
    'Namespace', 'TLSOption', 'Issuer', 'Certificate', 'TLSStore', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Role',
    'RoleBinding', 'ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  ]));
  expectValidManifests(objects);
});

test.each(['kyverno', 'gatekeeper'])('every object of the same spec with %s admission validates against the upstream schemas', (mode) => {
  const objects = allObjects(render(variedSpec.replace('platform:\n', `platform:\n  admission: ${mode}\n`))) as any[];
  expectValidManifests(objects);
  if (mode === 'gatekeeper') {
    const templates = objects.filter((o) => o.kind === 'ConstraintTemplate');
    const constraints = objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
    expect(templates.length).toBeGreaterThan(5);
    // Gatekeeper names a template after its Constraint kind, lower-cased, and refuses it otherwise.
    expect(constraints.map((c) => c.kind.toLowerCase()).sort()).toEqual(templates.map((t) => t.metadata.name).sort());
    for (const t of templates) expect(t.metadata.name).toBe(t.spec.crd.spec.names.kind.toLowerCase());
  }
});

test('the validator itself rejects an object with an unknown field (it can fail)', () => {
  const objects = allObjects(render(variedSpec));
  const broken = JSON.parse(JSON.stringify(objects.find((o) => o.kind === 'Deployment')));
  broken.spec.template.spec.containers[0].securityContxt = {};
  expect(() => expectValidManifests([broken])).toThrow(/securityContxt: unknown field/);
});

export { variedSpec };
