/**
 * Admission guard rails, external secrets, wildcard Secret sync and GitOps, as rendered:
 * the security promises pinned field by field, every object checked against its upstream schema.
 */
import { allObjects, find, oneTenantSpec, render } from '../helpers';
import { expectValidManifests, validateManifest } from '../support/schemas';
import { assertIsolated } from '../../src/output/self-check';
import { toYamlFiles } from '../../src/output/yaml';
import { ownerRules } from '../../src/constructs/rbac-rules';
import { modelOf, REPO } from '../helpers';
import * as path from 'path';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { renderGroups } from '../../src/output/render';
import { readSpec } from '../../src/spec/read-spec';
import { Chart, Testing } from 'cdk8s';
import { GitOps, GitOpsApp } from '../../src/constructs/gitops-app';

const POLICIES = ['tenancy-certificates', 'tenancy-ingress-hosts', 'tenancy-ingressroute-hosts', 'tenancy-pod-security', 'tenancy-service-types', 'tenancy-secret-copies', 'tenancy-middlewares', 'tenancy-disruption-budgets'];
const vault = '  externalSecrets:\n    vault: { server: "https://vault.example.com:8200" }\n';
const argocd = '  gitops:\n    argocd: { repoURL: "https://git.example.com/platform/tenancy.git", targetRevision: main }\n';
const flux = '  gitops:\n    flux: { url: "ssh://git@git.example.com/platform/tenancy.git", secretRef: git-credentials }\n';
const wildcard = (syncTo: string) => `  wildcard:
    dnsNames: ["*.apps.example.com"]
    acme: { email: ops@example.com, dns01: { cloudflare: { apiTokenSecretRef: { name: cf, key: token } } } }
${syncTo}`;
const platformOf = (text: string) => render(text).find((g) => g.file === 'platform.yaml')!.objects;
const tenantOf = (text: string) => render(text).find((g) => g.tenant === 'payments')!.objects;
const kinds = (objects: readonly { kind: string }[]) => objects.map((o) => o.kind);

describe('admission: native (the default)', () => {
  const platform = platformOf(oneTenantSpec());

  test('renders a ValidatingAdmissionPolicy and a Deny binding per guard rail, in platform.yaml', () => {
    expect(platform.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => o.metadata.name)).toEqual(POLICIES);
    for (const name of POLICIES) {
      const policy = find(platform, 'ValidatingAdmissionPolicy', name);
      expect(policy.metadata.namespace).toBeUndefined();
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(policy.spec.matchConstraints.namespaceSelector).toEqual({ matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] });
      expect(policy.spec.matchConstraints.resourceRules.every((r: any) => r.operations.join() === 'CREATE,UPDATE')).toBe(true);
      expect(find(platform, 'ValidatingAdmissionPolicyBinding', name).spec).toEqual({ policyName: name, validationActions: ['Deny'] });
    }
  });

  test('matches the resources each rule is about', () => {
    const resources = (name: string) => find(platform, 'ValidatingAdmissionPolicy', name).spec.matchConstraints.resourceRules.flatMap((r: any) => r.apiGroups.flatMap((g: string) => r.resources.map((x: string) => `${g}/${x}`)));
    expect(resources('tenancy-certificates')).toEqual(['cert-manager.io/certificates', 'cert-manager.io/certificaterequests']);
    expect(resources('tenancy-ingress-hosts')).toEqual(['networking.k8s.io/ingresses']);
    expect(resources('tenancy-ingressroute-hosts')).toEqual(['traefik.io/ingressroutes', 'traefik.io/ingressroutetcps']);
    expect(resources('tenancy-pod-security')).toEqual([
      '/pods', '/pods/ephemeralcontainers', '/replicationcontrollers', 'apps/deployments', 'apps/replicasets', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs',
    ]);
    expect(resources('tenancy-service-types')).toEqual(['/services']);
    expect(resources('tenancy-secret-copies')).toEqual(['/secrets', '/configmaps']);
  });

  test('writes the tenant\'s domains on its Namespace, where tenants cannot change them', () => {
    const ns = find(tenantOf(oneTenantSpec().replace('[pay.example.com]', '[pay.example.com, api.pay.example.com]')), 'Namespace', 'payments');
    expect(ns.metadata.annotations).toEqual({ 'tenancy.cdk8s.io/domains': 'pay.example.com,api.pay.example.com' });
    const role = find(tenantOf(oneTenantSpec()), 'Role', 'tenant-owner', 'payments');
    expect(role.rules.flatMap((r: any) => r.resources)).not.toContain('namespaces');
  });

  test('every object validates against the upstream schemas (kubernetes-models for admissionregistration.k8s.io/v1)', () => {
    expectValidManifests(allObjects(render(oneTenantSpec())));
  });
});

describe('admission: kyverno', () => {
  const platform = platformOf(oneTenantSpec('', '  admission: kyverno\n'));

  test('renders one ClusterPolicy per guard rail in Enforce mode, and no ValidatingAdmissionPolicy', () => {
    expect(kinds(platform).filter((k) => k.startsWith('Validating'))).toEqual([]);
    expect(platform.filter((o) => o.kind === 'ClusterPolicy').map((o) => o.metadata.name)).toEqual(POLICIES);
    for (const name of POLICIES) {
      const policy = find(platform, 'ClusterPolicy', name);
      expect(policy.apiVersion).toBe('kyverno.io/v1');
      expect(policy.spec.background).toBe(true);
      expect(policy.spec.rules).toHaveLength(1);
      const [rule] = policy.spec.rules;
      expect(rule.validate.failureAction).toBe('Enforce');
      expect(rule.match.any[0].resources.namespaceSelector).toEqual({ matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] });
      expect(policy.metadata.annotations['pod-policies.kyverno.io/autogen-controllers']).toBe('none');
    }
  });

  test('every ClusterPolicy validates against the Kyverno CRD in ../shared/crds/kyverno', () => {
    const policies = platformOf(oneTenantSpec('', `  admission: kyverno\n${vault}`)).filter((o) => o.kind === 'ClusterPolicy');
    expect(policies).toHaveLength(9);
    expectValidManifests(policies);
  });

  test('the validator can fail: a misspelt field of a ClusterPolicy is reported', () => {
    const broken = JSON.parse(JSON.stringify(find(platform, 'ClusterPolicy', 'tenancy-certificates')));
    broken.spec.rules[0].validate.failureActon = 'Enforce';
    expect(validateManifest(broken)).toEqual(['spec.rules[0].validate.failureActon: unknown field']);
  });
});

describe('admission: none', () => {
  test('renders no policy and leaves the Namespace without the domains annotation', () => {
    const text = oneTenantSpec('', '  admission: none\n');
    expect(kinds(platformOf(text))).toEqual(['Namespace', 'NetworkPolicy', 'TLSOption']);
    expect(find(tenantOf(text), 'Namespace', 'payments').metadata.annotations).toBeUndefined();
  });
});

describe('external secrets', () => {
  const objects = tenantOf(oneTenantSpec('', `${vault.replace('}', ', role: "k8s-{tenant}", authMountPath: "k8s-prod" }')}`));

  test('gives each tenant a namespaced SecretStore that logs in to Vault as the tenant', () => {
    const store = find(objects, 'SecretStore', 'tenant-secrets', 'payments');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.spec).toEqual({
      provider: {
        vault: {
          server: 'https://vault.example.com:8200',
          path: 'tenants/payments',
          version: 'v2',
          auth: { kubernetes: { mountPath: 'k8s-prod', role: 'k8s-payments', serviceAccountRef: { name: 'tenant-secrets' } } },
        },
      },
    });
    expect(find(objects, 'ServiceAccount', 'tenant-secrets', 'payments').automountServiceAccountToken).toBe(false);
    expect(allObjects(render(oneTenantSpec('', vault))).filter((o) => o.kind === 'ClusterSecretStore')).toEqual([]);
  });

  test('validates against the upstream external-secrets.io/v1 SecretStore schema', () => {
    // No CRD for it in ../shared/crds: checked with @kubernetes-models/external-secrets (generated from upstream's CRDs), v1beta1 schema (see CRD_MODEL_PACKAGES in test/support/schemas.ts).
    const store = find(objects, 'SecretStore', 'tenant-secrets');
    expect(validateManifest(store)).toEqual([]);
    const broken = structuredClone(store);
    broken.spec.provider.vault.auth.kubernetes.serviceAccount = broken.spec.provider.vault.auth.kubernetes.serviceAccountRef;
    delete broken.spec.provider.vault.auth.kubernetes.serviceAccountRef;
    delete broken.spec.provider.vault.auth.kubernetes.role;
    expect(validateManifest(broken)).toEqual([
      'spec.provider.vault.auth.kubernetes: must have required field "role"',
      'spec.provider.vault.auth.kubernetes.serviceAccount: unknown field',
    ]);
  });

  test('owners may write ExternalSecrets and read the SecretStore; Secrets stay read-only', () => {
    const role = find(objects, 'Role', 'tenant-owner', 'payments');
    const verbsOn = (group: string, resource: string) => role.rules.filter((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r: any) => r.verbs);
    expect(verbsOn('external-secrets.io', 'externalsecrets')).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
    expect(verbsOn('external-secrets.io', 'secretstores')).toEqual(['get', 'list', 'watch']);
    expect(verbsOn('external-secrets.io', 'clustersecretstores')).toEqual([]);
    expect(verbsOn('', 'secrets')).toEqual(['get', 'list', 'watch']);
    expect(role.rules.filter((r: any) => !r.apiGroups.includes('external-secrets.io'))).toEqual(ownerRules('read-only'));
  });

  test('without externalSecrets, owners get no external-secrets.io rights and no store is rendered', () => {
    const plain = tenantOf(oneTenantSpec());
    expect(kinds(plain)).not.toContain('SecretStore');
    expect(find(plain, 'Role', 'tenant-owner', 'payments').rules.flatMap((r: any) => r.apiGroups)).not.toContain('external-secrets.io');
  });

  test('adds the ExternalSecret guard rail to the shared policies', () => {
    expect(find(platformOf(oneTenantSpec('', vault)), 'ValidatingAdmissionPolicy', 'tenancy-external-secrets').spec.matchConstraints.resourceRules[0].resources).toEqual(['externalsecrets']);
  });
});

describe('wildcard Secret sync', () => {
  test.each([
    ['reflector', {
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': 'monitoring,ingress-nginx',
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': 'monitoring,ingress-nginx',
    }],
    ['replicator', {
      'replicator.v1.mittwald.de/replication-allowed': 'true',
      'replicator.v1.mittwald.de/replication-allowed-namespaces': 'monitoring,ingress-nginx',
      'replicator.v1.mittwald.de/replicate-to': 'monitoring,ingress-nginx',
    }],
  ])('via %s: annotates the wildcard Secret (spec.secretTemplate) with exactly the listed namespaces', (via, annotations) => {
    const text = oneTenantSpec('', wildcard(`    syncTo: { via: ${via}, namespaces: [monitoring, ingress-nginx] }\n`));
    const cert = find(platformOf(text), 'Certificate', 'platform-wildcard', 'traefik');
    expect(cert.spec.secretTemplate).toEqual({ annotations });
    expectValidManifests([cert]);
  });

  test('without syncTo the wildcard Certificate has no secretTemplate', () => {
    expect(find(platformOf(oneTenantSpec('', wildcard(''))), 'Certificate', 'platform-wildcard').spec.secretTemplate).toBeUndefined();
  });
});

describe('GitOps', () => {
  test('argocd: an Application per tenant, in the tenant\'s file, applying only that file', () => {
    const app = find(tenantOf(oneTenantSpec('', argocd)), 'Application', 'tenant-payments', 'argocd');
    expect(app.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(app.spec).toEqual({
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/platform/tenancy.git',
        targetRevision: 'main',
        path: 'dist/tenants',
        directory: { recurse: false, include: 'payments.yaml' },
      },
      destination: { server: 'https://kubernetes.default.svc' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    const platformApp = find(platformOf(oneTenantSpec('', argocd)), 'Application', 'tenancy-platform', 'argocd');
    expect(platformApp.spec.source).toMatchObject({ path: 'dist', directory: { recurse: false, include: 'platform.yaml' } });
  });

  test('flux: a GitRepository that keeps only the tenant\'s file, and a Kustomization on its folder', () => {
    const objects = tenantOf(oneTenantSpec('', flux));
    const repo = find(objects, 'GitRepository', 'tenant-payments', 'flux-system');
    expect(repo.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
    expect(repo.spec).toEqual({
      url: 'ssh://git@git.example.com/platform/tenancy.git',
      ref: { branch: 'main' },
      interval: '10m',
      ignore: '/*\n!/dist/\n/dist/*\n!/dist/tenants/\n/dist/tenants/*\n!/dist/tenants/payments.yaml\n',
      secretRef: { name: 'git-credentials' },
    });
    const kustomization = find(objects, 'Kustomization', 'tenant-payments', 'flux-system');
    expect(kustomization.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
    expect(kustomization.spec).toEqual({ interval: '10m', path: './dist/tenants', prune: true, sourceRef: { kind: 'GitRepository', name: 'tenant-payments' } });
  });

  test('Application, GitRepository and Kustomization validate against their upstream schemas', () => {
    // No CRDs for them in ../shared/crds: checked with @kubernetes-models/argo-cd and
    // @kubernetes-models/flux-cd (generated from Argo CD's and Flux's CRDs).
    const gitops = (text: string) => [...tenantOf(text), ...platformOf(text)].filter((o) => ['argocd', 'flux-system'].includes(o.metadata.namespace ?? ''));
    const objects = [...gitops(oneTenantSpec('', argocd)), ...gitops(oneTenantSpec('', flux))];
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual([
      'argoproj.io/v1alpha1 Application',
      'argoproj.io/v1alpha1 Application',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'kustomize.toolkit.fluxcd.io/v1 Kustomization',
      'source.toolkit.fluxcd.io/v1 GitRepository',
      'source.toolkit.fluxcd.io/v1 GitRepository',
    ]);
    expectValidManifests(objects);
  });

  test('GitOpsApp (library) refuses a chart for Flux, which would need a HelmRelease', () => {
    const gitops = GitOps.flux({ url: 'https://git.example.com/platform/tenancy.git' });
    expect(() => new GitOpsApp(new Chart(Testing.app(), 't'), 'g', { name: 'x', file: 'tenants/x.yaml', chart: 'tenant-x', gitops, labels: {} })).toThrow(
      'GitOpsApp: chart: Flux applies the rendered YAML through a Kustomization; charts need a HelmRelease, which this tool does not render — leave `chart` unset, or use Argo CD',
    );
  });

  test('the GitOps schema checks catch a wrong field', () => {
    const app = structuredClone(find(tenantOf(oneTenantSpec('', argocd)), 'Application', 'tenant-payments'));
    app.spec.source.directory.includes = app.spec.source.directory.include;
    delete app.spec.destination;
    expect(validateManifest(app)).toEqual(['spec: must have required field "destination"', 'spec.source.directory.includes: unknown field']);
    const kustomization = structuredClone(find(tenantOf(oneTenantSpec('', flux)), 'Kustomization', 'tenant-payments'));
    kustomization.spec.prune = 'true';
    expect(validateManifest(kustomization)).toEqual(['spec.prune: must be boolean']);
  });
});

describe('with every option on', () => {
  const full = `${oneTenantSpec('', `${vault}${argocd}${wildcard('    syncTo: { via: replicator, namespaces: [monitoring] }\n')}`)}  - name: shop
    domains: [shop.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
    podSecurity: baseline
`;

  test('adding a tenant adds a file and changes no other', () => {
    const one = oneTenantSpec('', `${vault}${argocd}${wildcard('    syncTo: { via: replicator, namespaces: [monitoring] }\n')}`);
    const before = toYamlFiles(render(one));
    const after = toYamlFiles(render(full));
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual(['tenants/shop.yaml']);
    for (const [file, text] of before) expect(after.get(file)).toBe(text);
  });

  test('the output passes the generator\'s isolation self-check', () => {
    for (const mode of ['native', 'kyverno']) {
      const text = full.replace('platform:\n', `platform:\n  admission: ${mode}\n`);
      expect(() => assertIsolated(render(text), modelOf(text))).not.toThrow();
    }
  });

  test('every object validates against its upstream schema', () => {
    for (const gitops of [argocd, flux]) {
      const objects = allObjects(render(full.replace(argocd, gitops)));
      expect(objects.length).toBeGreaterThan(40);
      expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['SecretStore', gitops === argocd ? 'Application' : 'Kustomization']));
      expectValidManifests(objects);
    }
  });
});

test('examples/admission-kyverno.yaml renders isolated, schema-valid output', () => {
  const model = resolveTenancy(readSpec(path.join(REPO, 'examples/admission-kyverno.yaml')).spec);
  const groups = renderGroups(model);
  expect(() => assertIsolated(groups, model)).not.toThrow();
  const objects = allObjects(groups);
  expect(objects.filter((o) => o.kind === 'ClusterPolicy')).toHaveLength(9);
  expectValidManifests(objects);
});

test('examples/admission-gatekeeper.yaml renders isolated, schema-valid output: a ConstraintTemplate and a Constraint per policy', () => {
  const model = resolveTenancy(readSpec(path.join(REPO, 'examples/admission-gatekeeper.yaml')).spec);
  const groups = renderGroups(model);
  expect(() => assertIsolated(groups, model)).not.toThrow();
  const objects = allObjects(groups) as any[];
  const templates = objects.filter((o) => o.kind === 'ConstraintTemplate');
  expect(templates.map((t) => t.metadata.name)).toEqual([
    'tenancycertificates', 'tenancyingresshosts', 'tenancyingressroutehosts', 'tenancypodsecurity', 'tenancyservicetypes', 'tenancysecretcopies', 'tenancymiddlewares', 'tenancydisruptionbudgets',
  ]);
  for (const t of templates) {
    expect(t.spec.targets).toEqual([{ target: 'admission.k8s.gatekeeper.sh', code: [expect.objectContaining({ engine: 'K8sNativeValidation' })] }]);
    expect(t.spec.targets[0].code[0].source).toMatchObject({ generateVAP: false, failurePolicy: 'Fail' });
  }
  const constraints = objects.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1');
  expect(constraints.map((c) => [c.kind, c.metadata.name, c.spec.enforcementAction])).toEqual(templates.map((t) => [t.spec.crd.spec.names.kind, expect.stringMatching(/^tenancy-/), 'deny']));
  for (const c of constraints) expect(c.spec.match.namespaceSelector).toEqual({ matchExpressions: [{ key: 'tenancy.cdk8s.io/tenant', operator: 'Exists' }] });
  expectValidManifests(objects);
});
