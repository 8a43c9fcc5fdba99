import { expectValidManifests, validateManifest } from './schemas';

// ---------------------------------------------------------------------------
// Fixtures: small but realistic objects of the kinds the project renders
// ---------------------------------------------------------------------------

const meta = (name: string, namespace = 'tenant-a') => ({ name, namespace, labels: { 'app.kubernetes.io/name': name } });

const namespace = () => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'tenant-a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
});

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta('traefik'),
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'traefik' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    template: {
      metadata: { labels: { app: 'traefik' } },
      spec: {
        serviceAccountName: 'traefik',
        automountServiceAccountToken: true,
        securityContext: { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'traefik',
            image: 'traefik:v3.7.11',
            args: ['--entryPoints.web.address=:8000'],
            ports: [{ name: 'web', containerPort: 8000, protocol: 'TCP' }],
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
            readinessProbe: { httpGet: { path: '/ping', port: 'web' }, periodSeconds: 10 },
            livenessProbe: { tcpSocket: { port: 8000 }, failureThreshold: 3 },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          },
        ],
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
      },
    },
  },
});

const networkPolicy = () => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: meta('default-deny'),
  spec: {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-a' } } }] }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'UDP', port: 53 }, { port: 'dns-tcp' }] }],
  },
});

const role = () => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: meta('tenant-admin'),
  rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] }],
});

const issuer = () => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Issuer',
  metadata: meta('letsencrypt'),
  spec: {
    acme: {
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'ops@example.com',
      privateKeySecretRef: { name: 'letsencrypt-account' },
      solvers: [{ http01: { ingress: { ingressClassName: 'traefik-tenant-a' } } }],
    },
  },
});

const certificate = () => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: meta('wildcard'),
  spec: {
    secretName: 'wildcard-tls',
    dnsNames: ['a.example.com'],
    duration: '2160h',
    privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    issuerRef: { name: 'letsencrypt', kind: 'Issuer', group: 'cert-manager.io' },
  },
});

const tlsStore = () => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'TLSStore',
  metadata: meta('default'),
  spec: { defaultCertificate: { secretName: 'wildcard-tls' } },
});

/** Every other kind the project may render, to show the validator knows them and has no false alarms. */
const otherValidObjects: Array<[string, any]> = [
  ['a ResourceQuota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('quota'), spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: 20 } } }],
  ['a LimitRange', { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('limits'), spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { memory: '64Mi' } }] } }],
  ['a ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('traefik'), automountServiceAccountToken: false }],
  ['a Service', { apiVersion: 'v1', kind: 'Service', metadata: meta('traefik'), spec: { type: 'ClusterIP', selector: { app: 'traefik' }, ports: [{ name: 'web', port: 80, targetPort: 'web' }] } }],
  ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings'), data: { 'traefik.yaml': 'log: {}' } }],
  ['a Secret', { apiVersion: 'v1', kind: 'Secret', metadata: meta('token'), type: 'Opaque', stringData: { token: 'x' } }],
  ['a RoleBinding', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('admins'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'tenant-admin' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'tenant-a-admins' }] }],
  ['a ClusterRole', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'traefik-tenant-a' }, rules: [{ apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get'] }] }],
  ['a ClusterRoleBinding', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'traefik-tenant-a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'traefik-tenant-a' }, subjects: [{ kind: 'ServiceAccount', name: 'traefik', namespace: 'tenant-a' }] }],
  ['a PodDisruptionBudget', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('traefik'), spec: { minAvailable: 1, selector: { matchLabels: { app: 'traefik' } } } }],
  ['an IngressClass', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'traefik-tenant-a' }, spec: { controller: 'traefik.io/ingress-controller' } }],
  ['a ValidatingAdmissionPolicy', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'tenant-a-only' }, spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] }, validations: [{ expression: 'true' }] } }],
  ['a ValidatingAdmissionPolicyBinding', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'tenant-a-only' }, spec: { policyName: 'tenant-a-only', validationActions: ['Deny'] } }],
  ['a ClusterIssuer', { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } }],
  ['an IngressRoute', { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: meta('app'), spec: { entryPoints: ['websecure'], routes: [{ match: 'Host(`a.example.com`)', kind: 'Rule', services: [{ name: 'app', port: 80 }], middlewares: [{ name: 'headers' }] }], tls: { secretName: 'wildcard-tls' } } }],
  ['a Middleware', { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: meta('headers'), spec: { headers: { stsSeconds: 31536000, frameDeny: true } } }],
  ['a TLSOption', { apiVersion: 'traefik.io/v1alpha1', kind: 'TLSOption', metadata: meta('default'), spec: { minVersion: 'VersionTLS12', sniStrict: true } }],
  ['a ServersTransport', { apiVersion: 'traefik.io/v1alpha1', kind: 'ServersTransport', metadata: meta('backend'), spec: { serverName: 'app', insecureSkipVerify: false, forwardingTimeouts: { dialTimeout: '30s', idleConnTimeout: 90 } } }],
  ['a ClusterPolicy', { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'require-labels' }, spec: { validationFailureAction: 'Enforce', background: true, rules: [{ name: 'require-team', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } } }] } }],
];

/** Deep-clones `obj` and applies `edit` to the clone. */
function modified<T>(obj: T, edit: (copy: any) => void): T {
  const copy = structuredClone(obj);
  edit(copy);
  return copy;
}

// ---------------------------------------------------------------------------

describe('validateManifest', () => {
  describe('accepts valid objects', () => {
    it.each([
      ['a Namespace', namespace()],
      ['a hardened Deployment with securityContext, probes and resources', deployment()],
      ['a default-deny NetworkPolicy with named and numeric ports', networkPolicy()],
      ['a Role', role()],
      ['an ACME Issuer with an http01 ingress solver', issuer()],
      ['a Certificate', certificate()],
      ['a TLSStore with spec.defaultCertificate.secretName', tlsStore()],
    ])('%s', (_name, obj) => {
      expect(validateManifest(obj)).toEqual([]);
    });

    it.each(otherValidObjects)('%s', (_name, obj) => {
      expect(validateManifest(obj)).toEqual([]);
    });
  });

  describe('rejects invalid built-in objects', () => {
    it('reports a misspelled container field as unknown, with its full path', () => {
      const bad = modified(deployment(), (d) => {
        const container = d.spec.template.spec.containers[0];
        container.securityContxt = container.securityContext;
        delete container.securityContext;
      });
      expect(validateManifest(bad)).toEqual(['spec.template.spec.containers[0].securityContxt: unknown field']);
    });

    it('reports an unknown field in metadata but accepts any label key', () => {
      const bad = modified(namespace(), (ns) => (ns.metadata.foo = 'bar'));
      expect(validateManifest(bad)).toEqual(['metadata.foo: unknown field']);
    });

    it('reports a Role whose rules is a string instead of a list', () => {
      const bad = modified(role(), (r) => (r.rules = 'x'));
      expect(validateManifest(bad)).toEqual(['rules: must be array']);
    });

    it('reports missing required fields', () => {
      const bad = modified(deployment(), (d) => delete d.spec.selector);
      expect(validateManifest(bad)).toEqual(['spec: must have required field "selector"']);
    });

    it('reports wrong scalar types, bad enum values and malformed quantities', () => {
      const bad = modified(deployment(), (d) => {
        d.spec.replicas = '2';
        const container = d.spec.template.spec.containers[0];
        container.imagePullPolicy = 'Sometimes';
        container.resources.limits.memory = 'lots';
      });
      expect(validateManifest(bad)).toEqual(
        expect.arrayContaining([
          'spec.replicas: must be integer',
          expect.stringMatching(/^spec\.template\.spec\.containers\[0\]\.imagePullPolicy: must be one of "Always", /),
          expect.stringMatching(/^spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory: must satisfy one of: /),
        ]),
      );
    });

    it('accepts int-or-string fields as either, but nothing else', () => {
      const bad = modified(networkPolicy(), (np) => (np.spec.egress[0].ports[0].port = true));
      expect(validateManifest(bad)).toEqual(['spec.egress[0].ports[0].port: must be string or integer']);
    });

    it('requires a name, since rendered objects must be addressable', () => {
      const bad = modified(role(), (r) => delete r.metadata.name);
      expect(validateManifest(bad)).toEqual(['metadata.name: is required (a rendered object needs a name)']);
    });
  });

  describe('rejects invalid custom resources', () => {
    it('reports a TLSStore whose spec is a list', () => {
      const bad = modified(tlsStore(), (s) => (s.spec = [{ certificates: { secretName: 'x' } }]));
      expect(validateManifest(bad)).toEqual(['spec: must be object']);
    });

    it('reports an unknown field in a Certificate spec', () => {
      const bad = modified(certificate(), (c) => (c.spec.foo = 1));
      expect(validateManifest(bad)).toEqual(['spec.foo: unknown field']);
    });

    it('reports an Issuer without a spec', () => {
      const bad = modified(issuer(), (i) => delete i.spec);
      expect(validateManifest(bad)).toEqual(['(root): must have required field "spec"']);
    });

    it('reports an Issuer whose ACME solver has the wrong shape', () => {
      const bad = modified(issuer(), (i) => {
        delete i.spec.acme.privateKeySecretRef;
        i.spec.acme.solvers = [{ http01: { ingress: { class: 1, ingressClass: 'traefik' } } }];
      });
      expect(validateManifest(bad)).toEqual(
        expect.arrayContaining([
          'spec.acme: must have required field "privateKeySecretRef"',
          'spec.acme.solvers[0].http01.ingress.class: must be string',
          'spec.acme.solvers[0].http01.ingress.ingressClass: unknown field',
        ]),
      );
    });

    it('reports an int-or-string field of a custom resource holding a boolean', () => {
      const bad = modified(tlsStore(), (s) => {
        s.kind = 'ServersTransport';
        s.spec = { forwardingTimeouts: { dialTimeout: false } };
      });
      expect(validateManifest(bad)).toEqual(['spec.forwardingTimeouts.dialTimeout: must be integer or string']);
    });

    it('checks the metadata of custom resources as an ObjectMeta', () => {
      const bad = modified(certificate(), (c) => {
        c.metadata.lables = { a: 'b' };
        c.metadata.annotations = { a: 1 };
      });
      expect(validateManifest(bad)).toEqual(['metadata.annotations.a: must be string', 'metadata.lables: unknown field']);
    });
  });

  describe('rejects what it has no schema for', () => {
    it('reports an unknown kind', () => {
      expect(validateManifest({ apiVersion: 'v1', kind: 'Namspace', metadata: { name: 'x' } })).toEqual([
        '(root): no schema for v1 Namspace',
      ]);
    });

    it('reports a known kind under an apiVersion that does not serve it', () => {
      expect(validateManifest({ ...tlsStore(), apiVersion: 'traefik.io/v1' })).toEqual([
        '(root): no schema for traefik.io/v1 TLSStore',
      ]);
    });

    it('reports a sub-type that is not a top-level kind', () => {
      expect(validateManifest({ apiVersion: 'v1', kind: 'PodSpec', metadata: { name: 'x' } })).toEqual([
        '(root): no schema for v1 PodSpec',
      ]);
    });

    it('reports unknown kinds and sub-types of the CRD model packages (Argo CD, Flux, external-secrets)', () => {
      const kinds = [
        ['argoproj.io/v1alpha1', 'Aplication'],
        ['source.toolkit.fluxcd.io/v1', 'Kustomization'],
        ['external-secrets.io/v1', 'SecretStor'],
        ['external-secrets.io/v1', 'VaultProvider'],
        ['external-secrets.io/v1', '../../../package'],
      ];
      expect(kinds.map(([apiVersion, kind]) => validateManifest({ apiVersion, kind, metadata: { name: 'x' } }))).toEqual(
        kinds.map(([apiVersion, kind]) => [`(root): no schema for ${apiVersion} ${kind}`]),
      );
    });

    it('reports something that is not an object at all', () => {
      expect(validateManifest('kind: Namespace')).toEqual(['(root): must be an object with apiVersion and kind']);
    });
  });
});

describe('expectValidManifests', () => {
  it('passes when every object is valid', () => {
    expect(() => expectValidManifests([namespace(), deployment(), tlsStore()])).not.toThrow();
  });

  it('lists every problem of every invalid object with its kind, namespace and name', () => {
    const badRole = modified(role(), (r) => (r.rules = 'x'));
    const badCert = modified(certificate(), (c) => (c.spec.foo = 1));
    let message = '';
    try {
      expectValidManifests([namespace(), badRole, badCert]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      [
        'Invalid Kubernetes manifests:',
        'Role tenant-a/tenant-admin:',
        '  - rules: must be array',
        'Certificate tenant-a/wildcard:',
        '  - spec.foo: unknown field',
      ].join('\n'),
    );
  });
});
