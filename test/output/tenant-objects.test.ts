/**
 * What one tenant gets, field by field: the isolation promises are pinned with explicit
 * assertions (policy types, RBAC verbs, provider namespaces, cross-namespace flags, TLS names).
 */
import * as fs from 'fs';
import * as path from 'path';
import { allObjects, find, oneTenantSpec, render } from '../helpers';
import { ownerRules } from '../../src/constructs/rbac-rules';

const tenantExtra = `    team: payments
    environment: production
    domains: [pay.example.com, api.pay.example.com]
`;
const groups = render(oneTenantSpec(tenantExtra).replace('    domains: [pay.example.com]\n', ''));
const tenantFile = groups.find((g) => g.tenant === 'payments')!;
const objects = tenantFile.objects;

describe('TenantNamespace', () => {
  test('labels the namespace with tenant, team, environment and Pod Security (enforce, audit, warn)', () => {
    const ns = find(objects, 'Namespace', 'payments');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-tenancy',
      'tenancy.cdk8s.io/tenant': 'payments',
      'tenancy.cdk8s.io/team': 'payments',
      'tenancy.cdk8s.io/environment': 'production',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
  });

  test('a baseline tenant is enforced at baseline but still audited and warned at restricted', () => {
    const ns = find(allObjects(render(oneTenantSpec('    podSecurity: baseline\n'))), 'Namespace', 'payments');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
    expect(ns.metadata.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
  });

  test('caps cpu, memory, ephemeral storage, pods, volumes and their storage, and the counts of Services, ConfigMaps, Secrets and Certificates, and allows no NodePort or LoadBalancer Service', () => {
    const quota = find(objects, 'ResourceQuota', 'tenant-quota', 'payments');
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '2', 'requests.memory': '4Gi', 'requests.ephemeral-storage': '10Gi',
      'limits.cpu': '4', 'limits.memory': '8Gi', 'limits.ephemeral-storage': '20Gi', pods: '20',
      services: '50', 'services.nodeports': '0', 'services.loadbalancers': '0',
      'count/configmaps': '100', 'count/secrets': '100', 'count/certificates.cert-manager.io': '50',
      persistentvolumeclaims: '10', 'requests.storage': '100Gi',
    });
  });

  test('no pod may use a system PriorityClass, and with platform.priorityClasses no class but those listed', () => {
    expect(find(objects, 'ResourceQuota', 'tenant-priority-classes', 'payments').spec).toEqual({
      hard: { pods: '0' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical', 'system-cluster-critical'] }] },
    });
    const listed = allObjects(render(oneTenantSpec('', '  priorityClasses: [tenant-high, tenant-batch]\n')));
    expect(find(listed, 'ResourceQuota', 'tenant-priority-classes', 'payments').spec.scopeSelector).toEqual({
      matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists' }, { scopeName: 'PriorityClass', operator: 'NotIn', values: ['tenant-high', 'tenant-batch'] }],
    });
  });

  test('merges quota fields: tenant over platform.defaults over built-in defaults', () => {
    const text = oneTenantSpec('    quota: { limits: { cpu: "6" }, storage: 100Gi }\n', '  defaults:\n    quota: { requests: { memory: 6Gi }, pods: 50 }\n');
    const quota = find(allObjects(render(text)), 'ResourceQuota', 'tenant-quota', 'payments');
    expect(quota.spec.hard).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '6Gi', 'limits.cpu': '6', 'limits.memory': '8Gi', pods: '50', 'requests.storage': '100Gi' });
  });

  test('sets container defaults, default requests and maximum in a LimitRange', () => {
    const lr = find(objects, 'LimitRange', 'tenant-limits', 'payments');
    expect(lr.spec.limits).toEqual([{
      type: 'Container',
      default: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '1Gi' },
      defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' },
      max: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '4Gi' },
    }]);
  });

  test('denies all ingress and egress by default', () => {
    const deny = find(objects, 'NetworkPolicy', 'default-deny', 'payments');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('allows traffic within the namespace, DNS to kube-dns, and ingress only from its own Traefik pods', () => {
    expect(find(objects, 'NetworkPolicy', 'allow-same-namespace', 'payments').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }],
    });
    expect(find(objects, 'NetworkPolicy', 'allow-dns', 'payments').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    const fromTraefik = find(objects, 'NetworkPolicy', 'allow-from-own-traefik', 'payments');
    expect(fromTraefik.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-payments' } },
      }] }],
    });
    // The selector matches the pods of this tenant's Traefik Deployment, and only those.
    const deployment = find(objects, 'Deployment', 'traefik-payments', 'traefik');
    expect(deployment.spec.template.metadata.labels).toMatchObject(fromTraefik.spec.ingress[0].from[0].podSelector.matchLabels);
  });

  test('adds no egress beyond DNS and the namespace unless the spec lists CIDRs', () => {
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'payments').map((o) => o.metadata.name)).toEqual(['default-deny', 'allow-same-namespace', 'allow-dns', 'allow-from-own-traefik']);
    const withEgress = allObjects(render(oneTenantSpec('    egress: { cidrs: [10.20.0.0/16], ports: [5432] }\n')));
    expect(find(withEgress, 'NetworkPolicy', 'allow-egress', 'payments').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  test('egress to a block holding the metadata services\' ranges excepts them, in both families, and the cluster\'s ranges when known', () => {
    const open = allObjects(render(oneTenantSpec('    egress: { cidrs: [0.0.0.0/0, "::/0", "2001:db8::/32", 10.0.0.0/8] }\n')));
    expect(find(open, 'NetworkPolicy', 'allow-egress', 'payments').spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '100.100.100.200/32', '168.63.129.16/32'] } },
      { ipBlock: { cidr: '::/0', except: ['fe80::/10', 'fd00:ec2::/64', 'fd20:ce::254/128', 'fd00:c1::a9fe:a9fe/128', 'fd00:42::42/128'] } },
      { ipBlock: { cidr: '2001:db8::/32' } },
      { ipBlock: { cidr: '10.0.0.0/8' } },
    ]);
    const known = allObjects(render(oneTenantSpec('    egress: { cidrs: [10.0.0.0/8] }\n', '  network: { podCIDRs: [10.244.0.0/16], serviceCIDRs: [10.96.0.0/12] }\n')));
    expect(find(known, 'NetworkPolicy', 'allow-egress', 'payments').spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.0.0/16', '10.96.0.0/12'] } },
    ]);
  });

  test('the tenant\'s Traefik may receive on its entry points, and send only to its tenant, DNS and the API server', () => {
    const policy = find(objects, 'NetworkPolicy', 'traefik-payments', 'traefik');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/instance': 'traefik-payments' } });
    expect(policy.spec.ingress).toEqual([{ ports: [8000, 8443, 8080].map((port) => ({ protocol: 'TCP', port })) }]);
    expect(policy.spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] },
      expect.objectContaining({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }),
      {
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '100.100.100.200/32', '168.63.129.16/32'] } },
          { ipBlock: { cidr: '::/0', except: ['fe80::/10', 'fd00:ec2::/64', 'fd20:ce::254/128', 'fd00:c1::a9fe:a9fe/128', 'fd00:42::42/128'] } },
        ],
        ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }],
      },
    ]);
    const pinned = allObjects(render(oneTenantSpec('', '  network: { apiServerCIDRs: [172.16.0.10/32] }\n')));
    expect(find(pinned, 'NetworkPolicy', 'traefik-payments', 'traefik').spec.egress[2]).toEqual({ to: [{ ipBlock: { cidr: '172.16.0.10/32' } }] });
    expect(find(allObjects(render(oneTenantSpec())), 'NetworkPolicy', 'default-deny', 'traefik').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('binds the owners to a Role without wildcards, RBAC writes or guard-rail writes, Secrets read-only', () => {
    const role = find(objects, 'Role', 'tenant-owner', 'payments');
    const binding = find(objects, 'RoleBinding', 'tenant-owner', 'payments');
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'payments-leads' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-owner' });
    const verbsOn = (group: string, resource: string) =>
      role.rules.filter((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r: any) => r.verbs);
    for (const r of role.rules) {
      expect([...r.verbs, ...r.resources, ...r.apiGroups]).not.toContain('*');
      expect(r.apiGroups).not.toContain('rbac.authorization.k8s.io');
    }
    expect(verbsOn('', 'secrets')).toEqual(['get', 'list', 'watch']);
    for (const [group, resource] of [['', 'resourcequotas'], ['', 'limitranges'], ['networking.k8s.io', 'networkpolicies'], ['cert-manager.io', 'issuers'], ['traefik.io', 'tlsstores'], ['traefik.io', 'tlsoptions'], ['traefik.io', 'serverstransports']]) {
      expect(verbsOn(group, resource).filter((v: string) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
    }
    expect(verbsOn('traefik.io', 'ingressroutes')).toEqual(expect.arrayContaining(['create', 'update', 'delete']));
    expect(verbsOn('cert-manager.io', 'certificates')).toEqual(expect.arrayContaining(['create', 'update']));
  });

  test('secrets: manage adds create, update and patch on Secrets, and nothing else', () => {
    const managed = find(allObjects(render(oneTenantSpec('    secrets: manage\n'))), 'Role', 'tenant-owner', 'payments');
    const secretRules = managed.rules.filter((r: any) => r.resources.includes('secrets'));
    expect(secretRules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }]);
    expect(managed.rules.filter((r: any) => !r.resources.includes('secrets'))).toEqual(ownerRules('read-only').filter((r) => !r.resources.includes('secrets')));
  });
});

describe('ScopedTraefik', () => {
  const deployment = find(objects, 'Deployment', 'traefik-payments', 'traefik');
  const container = deployment.spec.template.spec.containers[0];

  test('runs in the platform namespace, never in the tenant namespace', () => {
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']) {
      expect(find(objects, kind, 'traefik-payments').metadata.namespace).toBe('traefik');
    }
  });

  test('watches only the tenant (and the platform namespace for the default TLS resources)', () => {
    expect(container.args).toEqual([
      '--entryPoints.web.address=:8000/tcp',
      '--entryPoints.websecure.address=:8443/tcp',
      '--entryPoints.websecure.http.tls=true',
      '--entryPoints.traefik.address=:8080/tcp',
      '--ping=true',
      '--ping.entryPoint=traefik',
      '--global.checkNewVersion=false',
      '--global.sendAnonymousUsage=false',
      '--log.level=INFO',
      '--core.strictTLSOptions=true',
      '--providers.kubernetescrd=true',
      '--providers.kubernetescrd.namespaces=payments,traefik',
      '--providers.kubernetescrd.allowCrossNamespace=false',
      '--providers.kubernetescrd.allowExternalNameServices=false',
      '--providers.kubernetescrd.crossProviderNamespaces=traefik',
      '--providers.kubernetescrd.defaultTLSResourcesNamespace=traefik',
      '--providers.kubernetescrd.disableClusterScopeResources=true',
      '--providers.kubernetesingress=true',
      '--providers.kubernetesingress.namespaces=payments',
      '--providers.kubernetesingress.ingressClass=traefik-payments',
      '--providers.kubernetesingress.allowExternalNameServices=false',
      '--providers.kubernetesingress.crossProviderNamespaces=traefik',
      '--providers.kubernetesingress.disableClusterScopeResources=true',
      '--providers.kubernetesingress.ingressEndpoint.publishedService=traefik/traefik-payments',
    ]);
  });

  test('passes only options Traefik v3.7 knows (upstream option list)', () => {
    const reference = fs.readFileSync(path.resolve(__dirname, '../../../shared/reference/traefik-static-options.txt'), 'utf8');
    const known = new Set(reference.split('\n').filter((l) => l && !l.startsWith('#')));
    for (const arg of container.args as string[]) {
      const option = arg.replace(/^--/, '').split('=')[0].toLowerCase().replace(/^entrypoints\.[^.]+\./, 'entrypoints._name_.');
      expect({ arg, known: known.has(option) }).toEqual({ arg, known: true });
    }
  });

  test('has only namespaced RBAC: a Role in the tenant namespace and one in the platform namespace', () => {
    const roles = objects.filter((o) => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind) && o.metadata.name === 'traefik-payments');
    expect(roles.map((o) => `${o.kind} ${o.metadata.namespace}`)).toEqual(['Role payments', 'RoleBinding payments', 'Role traefik', 'RoleBinding traefik']);
    for (const binding of roles.filter((o) => o.kind === 'RoleBinding')) {
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'traefik-payments', namespace: 'traefik' }]);
    }
    const tenantRole = find(objects, 'Role', 'traefik-payments', 'payments');
    const writeRules = tenantRole.rules.filter((r: any) => r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v)));
    expect(writeRules).toEqual([{ apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] }]);
    const platformRole = find(objects, 'Role', 'traefik-payments', 'traefik');
    expect(platformRole.rules.flatMap((r: any) => r.resources)).not.toContain('ingresses');
  });

  test('runs restricted-compatible: non-root, no privilege escalation, ALL capabilities dropped, seccomp, read-only root', () => {
    expect(deployment.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.image).toBe('traefik:v3.7.11');
  });

  test('states resources and probes, and the Service maps 80/443 to the entry points', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ping', port: 'traefik', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/ping', port: 'traefik', scheme: 'HTTP' });
    const service = find(objects, 'Service', 'traefik-payments', 'traefik');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.ports).toEqual([
      { name: 'web', port: 80, targetPort: 'web', protocol: 'TCP' },
      { name: 'websecure', port: 443, targetPort: 'websecure', protocol: 'TCP' },
    ]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  test('adds a PodDisruptionBudget only when there is more than one replica', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'traefik-payments', 'traefik').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
    const single = allObjects(render(oneTenantSpec('    traefik: { replicas: 1 }\n')));
    expect(single.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('TenantIssuer', () => {
  test('a namespaced ACME Issuer whose HTTP-01 solver uses the tenant Traefik class annotation', () => {
    const issuer = find(objects, 'Issuer', 'tenant-issuer', 'payments');
    expect(issuer.spec).toEqual({
      acme: {
        email: 'ops@example.com',
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        privateKeySecretRef: { name: 'tenant-issuer-acme-account' },
        solvers: [{ http01: { ingress: { class: 'traefik-payments', serviceType: 'ClusterIP' } } }],
      },
    });
    expect(objects.filter((o) => o.kind === 'ClusterIssuer')).toEqual([]);
  });

  test('one Certificate per domain, naming only that domain, from the namespaced Issuer', () => {
    const certs = objects.filter((o) => o.kind === 'Certificate');
    expect(certs.map((c: any) => [c.metadata.name, c.metadata.namespace, c.spec.dnsNames, c.spec.secretName, c.spec.issuerRef])).toEqual([
      ['pay.example.com', 'payments', ['pay.example.com'], 'pay.example.com-tls', { group: 'cert-manager.io', kind: 'Issuer', name: 'tenant-issuer' }],
      ['api.pay.example.com', 'payments', ['api.pay.example.com'], 'api.pay.example.com-tls', { group: 'cert-manager.io', kind: 'Issuer', name: 'tenant-issuer' }],
    ]);
  });

  test.each([
    ['{ ca: { secretName: payments-ca } }', { ca: { secretName: 'payments-ca' } }],
    ['{ selfSigned: {} }', { selfSigned: {} }],
  ])('renders the issuer %s', (yaml, spec) => {
    const text = oneTenantSpec().replace('issuer: { acme: { email: ops@example.com } }', `issuer: ${yaml}`);
    expect(find(allObjects(render(text)), 'Issuer', 'tenant-issuer', 'payments').spec).toEqual(spec);
  });
});

describe('the platform', () => {
  const wildcard = '  wildcard:\n    dnsNames: ["*.apps.example.com"]\n    acme:\n      email: ops@example.com\n      dns01: { cloudflare: { apiTokenSecretRef: { name: cf, key: token } } }\n';
  const platform = render(oneTenantSpec('', wildcard)).find((g) => g.file === 'platform.yaml')!.objects;

  test('puts the wildcard on the TLSStore named default, beside its Secret, with spec.defaultCertificate', () => {
    const store = find(platform, 'TLSStore', 'default', 'traefik');
    expect(store.spec).toEqual({ defaultCertificate: { secretName: 'platform-wildcard-tls' } });
    const cert = find(platform, 'Certificate', 'platform-wildcard', 'traefik');
    expect(cert.spec).toMatchObject({ secretName: 'platform-wildcard-tls', dnsNames: ['*.apps.example.com'], issuerRef: { kind: 'Issuer', name: 'platform-wildcard' } });
  });

  test('issues the wildcard through a DNS-01 Issuer in the platform namespace', () => {
    expect(find(platform, 'Issuer', 'platform-wildcard', 'traefik').spec.acme.solvers).toEqual([
      { dns01: { cloudflare: { apiTokenSecretRef: { name: 'cf', key: 'token' } } } },
    ]);
  });

  test('binds no tenant identity in the platform namespace (wildcard key and DNS credentials)', () => {
    const bindings = allObjects(render(oneTenantSpec('', wildcard))).filter((o) => o.kind.endsWith('RoleBinding') && o.metadata.namespace === 'traefik');
    for (const b of bindings as any[]) {
      for (const s of b.subjects) expect(s).toMatchObject({ kind: 'ServiceAccount', namespace: 'traefik' });
    }
  });

  test('without a wildcard there is no TLSStore', () => {
    const kinds = render(oneTenantSpec()).find((g) => g.file === 'platform.yaml')!.objects.map((o) => o.kind);
    expect(kinds.filter((k) => !k.startsWith('ValidatingAdmissionPolicy'))).toEqual(['Namespace', 'NetworkPolicy', 'TLSOption']);
  });
});
