/**
 * What a vcluster tenant's file holds: every guard rail of a namespace tenant, its Traefik and
 * Issuer; a NetworkPolicy that lets the control plane reach the API server; owners who read the
 * namespace, get the kubeconfig Secret and port-forward to the control plane by name; and the
 * install, following `platform.gitops`. A namespace tenant beside it is rendered as before.
 */
import { renderGroups } from '../../src/output/render';
import { toYamlFiles } from '../../src/output/yaml';
import { find, modelOf, oneTenantSpec, render } from '../helpers';
import { expectValidManifests } from '../support/schemas';
import { renderSpec, vclusterSpec } from './helpers';

const argocd = '  gitops:\n    argocd: { repoURL: "https://git.example.com/t.git" }\n';
const flux = '  gitops:\n    flux: { url: "https://git.example.com/t.git" }\n';
const kinds = (objects: readonly any[]) => objects.map((o) => `${o.kind} ${o.metadata.name}`);

describe('a vcluster tenant', () => {
  const { group } = renderSpec(vclusterSpec('', argocd));
  const objects = group.objects as any[];

  test('keeps every guard rail of a namespace tenant, its Traefik and its Issuer', () => {
    const namespaceTenant = renderSpec(vclusterSpec('', argocd).replace('isolation: vcluster', 'isolation: namespace')).group.objects as any[];
    const guardRails = namespaceTenant.filter((o) => ['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Deployment', 'Service', 'Issuer'].includes(o.kind));
    for (const o of guardRails) expect(objects).toContainEqual(o);
    expect(find(objects, 'Namespace', 'labs').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('its Issuer issues no Certificate of its own: the virtual cluster\'s Certificates, synced, name it', () => {
    expect(objects.filter((o) => o.kind === 'Certificate')).toEqual([]);
    expect(find(objects, 'Issuer', 'tenant-issuer', 'labs').spec.acme.solvers).toEqual([{ http01: { ingress: { class: 'traefik-labs', serviceType: 'ClusterIP' } } }]);
  });

  test('the control plane (and nothing else) may reach the API server', () => {
    const policy = find(objects, 'NetworkPolicy', 'allow-vcluster-api-server', 'labs');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'vcluster', release: 'labs' } });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }]);
    expect(policy.spec.egress[0].to[0].ipBlock.except).toContain('169.254.0.0/16');
    const known = find(renderSpec(vclusterSpec('', '  network: { apiServerCIDRs: [172.16.0.10/32] }\n')).group.objects, 'NetworkPolicy', 'allow-vcluster-api-server', 'labs');
    expect(known.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '172.16.0.10/32' } }] }]);
  });

  test('its owners read the namespace, get the kubeconfig Secret and port-forward to the control plane, by name — no write, no exec', () => {
    const role = find(objects, 'Role', 'tenant-owner', 'labs');
    expect(role.rules.filter((r: any) => r.resourceNames)).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['vc-labs'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/portforward'], resourceNames: ['labs-0'], verbs: ['get', 'create'] },
    ]);
    const verbs = new Set(role.rules.filter((r: any) => !r.resourceNames).flatMap((r: any) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    const resources = role.rules.flatMap((r: any) => r.resources);
    expect(resources).not.toContain('pods/exec');
    expect(resources).not.toContain('pods/attach');
    expect(resources.filter((r: string) => r === 'secrets')).toHaveLength(1);
    expect(find(objects, 'RoleBinding', 'tenant-owner', 'labs').subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'labs-admins' }]);
  });

  test('with Argo CD: an Application installs the pinned chart with the values inline, into the tenant\'s namespace', () => {
    const app = find(objects, 'Application', 'vc-labs', 'argocd');
    expect(app.spec.source).toEqual({
      repoURL: 'https://charts.loft.sh', chart: 'vcluster', targetRevision: '0.36.1',
      helm: { releaseName: 'labs', valuesObject: expect.objectContaining({ telemetry: { enabled: false } }) },
    });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'labs' });
    expect(app.spec.source.helm.valuesObject.controlPlane.statefulSet.security.containerSecurityContext.runAsUser).toBe(12345);
  });

  test('with Flux: a HelmRepository and a HelmRelease with the values inline, whose Helm records stay in the tenant\'s namespace', () => {
    const fluxObjects = renderSpec(vclusterSpec('', flux)).group.objects as any[];
    const release = find(fluxObjects, 'HelmRelease', 'vc-labs', 'flux-system');
    expect(release.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(release.spec).toEqual(expect.objectContaining({ releaseName: 'labs', targetNamespace: 'labs', storageNamespace: 'labs', interval: '10m' }));
    expect(release.spec.chart.spec).toEqual({ chart: 'vcluster', version: '0.36.1', sourceRef: { kind: 'HelmRepository', name: 'vc-labs' } });
    expect(find(fluxObjects, 'HelmRepository', 'vc-labs', 'flux-system').spec).toEqual({ url: 'https://charts.loft.sh', interval: '10m' });
    expect(release.spec.values).toEqual(find(renderSpec(vclusterSpec('', argocd)).group.objects, 'Application', 'vc-labs').spec.source.helm.valuesObject);
  });

  test('without GitOps: no install object, the values file only', () => {
    const plain = renderSpec(vclusterSpec()).group;
    expect(kinds(plain.objects).filter((k) => /HelmRelease|HelmRepository|Application/.test(k))).toEqual([]);
    expect(plain.vclusterValues).toMatch(/^# Generated by cdk8s-tenancy\. Do not edit/);
  });

  test('every object validates against the upstream schemas (Argo CD and Flux alike)', () => {
    expectValidManifests(objects);
    expectValidManifests(renderSpec(vclusterSpec('', flux)).group.objects as any[]);
  });

  test('its values file is written beside its tenant file; a namespace tenant has none', () => {
    const files = toYamlFiles(renderGroups(modelOf(vclusterSpec())));
    expect([...files.keys()]).toEqual(['platform.yaml', 'tenants/payments.yaml', 'tenants/labs.yaml', 'tenants/labs.vcluster.yaml']);
  });

  test('`isolation` may be set for every tenant in `platform.defaults`, and a tenant may go back to `namespace`', () => {
    const spec = oneTenantSpec('', '  defaults: { isolation: vcluster, vcluster: { controlPlane: { statefulSet: { persistence: { volumeClaim: { size: 8Gi } } } } } }\n')
      .replace('tenants:\n', 'tenants:\n  - name: plain\n    isolation: namespace\n    domains: [plain.example.com]\n    owners: { groups: [p] }\n    issuer: { selfSigned: {} }\n');
    const groups = render(spec);
    expect(groups.map((g) => [g.tenant, g.vclusterValues !== undefined])).toEqual([[undefined, false], ['plain', false], ['payments', true]]);
    expect(groups[2].vclusterValues).toContain('size: 8Gi');
  });
});

test('a spec without `isolation` renders no virtual cluster', () => {
  expect(render(oneTenantSpec()).every((g) => g.vclusterValues === undefined)).toBe(true);
});
