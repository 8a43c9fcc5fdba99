/**
 * The admission guard rails judge what a virtual cluster syncs into its tenant's namespace exactly
 * as they judge the tenant's own objects: the policies select namespaces, not users, so the
 * control plane's ServiceAccount meets them like any owner. These objects have the shapes
 * vCluster 0.36 gives synced objects in the host namespace (translated names, its labels and
 * annotations, the fields its syncer adds to pods), in the tenant `payments`, whose virtual cluster
 * is also called `payments`; each runs through all three renderings of the CEL.
 */
import { admit, paymentsNs } from '../support/admission-engines';

const allowed = { matched: true, allowed: true, denials: [], errors: [] };
const denied = (prefix: string) => expect.objectContaining({ matched: true, allowed: false, errors: [], denials: [expect.stringMatching(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))] });

/** The metadata vCluster gives an object `name` of virtual namespace `default` when it syncs it to the host. */
function synced(kind: string, name: string, extra: { labels?: object; annotations?: object } = {}) {
  return {
    name: `${name}-x-default-x-payments`,
    namespace: 'payments',
    labels: { 'vcluster.loft.sh/managed-by': 'payments', 'vcluster.loft.sh/namespace': 'default', ...extra.labels },
    annotations: {
      'vcluster.loft.sh/object-name': name,
      'vcluster.loft.sh/object-namespace': 'default',
      'vcluster.loft.sh/object-kind': kind,
      'vcluster.loft.sh/object-host-name': `${name}-x-default-x-payments`,
      'vcluster.loft.sh/object-host-namespace': 'payments',
      ...extra.annotations,
    },
  };
}

/** A synced Ingress: the tenant's class stamped by the platform's patch, backends and TLS Secret translated. */
const ingress = (host: string) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: synced('networking.k8s.io/v1, Kind=Ingress', 'shop', { annotations: { 'kubernetes.io/ingress.class': 'traefik-payments' } }),
  spec: {
    tls: [{ hosts: [host], secretName: 'shop-tls-x-default-x-payments' }],
    rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop-x-default-x-payments', port: { number: 80 } } } }] } }],
  },
});

/** A synced pod: what the syncer adds (its workload ServiceAccount, token volume, DNS, environment, the hosts-rewrite init container). */
const pod = (container: object, podSecurityContext: object = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: synced('/v1, Kind=Pod', 'web-0', { annotations: { 'vcluster.loft.sh/token-abcd': 'eyJ…', 'vcluster.loft.sh/hosts-rewritten': 'true' } }),
  spec: {
    serviceAccountName: 'vc-workload-payments',
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    dnsPolicy: 'None',
    dnsConfig: { nameservers: ['10.96.0.53'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: [{ name: 'ndots', value: '5' }] },
    hostAliases: [{ ip: '10.244.1.7', hostnames: ['web-0.web.default.svc.cluster.local'] }],
    securityContext: podSecurityContext,
    initContainers: [{
      name: 'vcluster-rewrite-hosts',
      image: 'mirror.gcr.io/library/alpine:3.20',
      command: ['sh'],
      args: ['-c', 'sed -E … /etc/hosts > /hosts/hosts'],
      securityContext: { runAsUser: 12345, runAsGroup: 12345, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [{ name: 'vcluster-rewrite-hosts', mountPath: '/hosts' }],
    }],
    containers: [{
      name: 'web',
      image: 'nginx:1.27',
      env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'payments.payments.svc' }, { name: 'KUBERNETES_SERVICE_PORT', value: '443' }],
      volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'vcluster-rewrite-hosts', mountPath: '/etc/hosts', subPath: 'hosts' }],
      ...container,
    }],
    volumes: [
      { name: 'kube-api-access', projected: { sources: [{ downwardAPI: { items: [{ path: 'token', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.annotations[\'vcluster.loft.sh/token-abcd\']' } }] } }] } },
      { name: 'vcluster-rewrite-hosts', emptyDir: {} },
    ],
  },
});

/** A synced Certificate (the platform's `customResources` entry): name and Secret translated, `issuerRef` as written in the virtual cluster. */
const certificate = (dnsNames: string[], issuerRef: object = { name: 'tenant-issuer', kind: 'Issuer', group: 'cert-manager.io' }) => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: synced('cert-manager.io/v1, Kind=Certificate', 'shop'),
  spec: { secretName: 'vshop1234567890', dnsNames, issuerRef },
});

const service = (spec: object) => ({
  apiVersion: 'v1', kind: 'Service', metadata: synced('/v1, Kind=Service', 'shop'), spec: { selector: { 'vcluster.loft.sh/label-payments-x-a172cedcae': 'shop' }, ports: [{ port: 80 }], ...spec },
});

describe('what a virtual cluster syncs is judged as the tenant\'s own objects are', () => {
  const admitIn = (policy: string, object: object) => admit(policy, { object, namespaceObject: paymentsNs });

  test('a synced Ingress for the tenant\'s host is admitted; one for another tenant\'s host is denied', () => {
    expect(admitIn('tenancy-ingress-hosts', ingress('pay.example.com'))).toEqual(allowed);
    expect(admitIn('tenancy-ingress-hosts', ingress('search.example.com'))).toEqual({
      ...allowed,
      allowed: false,
      denials: [
        'every Ingress rule must name one of this tenant\'s hosts; a rule without a host, or with a wildcard, answers for any name. This tenant\'s domains: pay.example.com,api.pay.example.com',
        'spec.tls[].hosts may only name this tenant\'s hosts. This tenant\'s domains: pay.example.com,api.pay.example.com',
      ],
    });
    expect(admitIn('tenancy-ingress-hosts', ingress('*.pay.example.com'))).toMatchObject({ allowed: false, errors: [] });
  });

  test('a synced pod with the syncer\'s additions is admitted when the tenant\'s container is hardened', () => {
    expect(admitIn('tenancy-pod-security', pod({ securityContext: { runAsNonRoot: true, runAsUser: 101 } }))).toEqual(allowed);
  });

  test('a synced pod running as root, privileged or with a hostPath is denied', () => {
    expect(admitIn('tenancy-pod-security', pod({ securityContext: { runAsUser: 0 } }, {}))).toMatchObject({ allowed: false, errors: [] });
    expect(admitIn('tenancy-pod-security', pod({ securityContext: { privileged: true, runAsNonRoot: true } }))).toEqual(denied('containers may not be privileged'));
    const withHostPath = pod({ securityContext: { runAsNonRoot: true } });
    withHostPath.spec.volumes.push({ name: 'logs', hostPath: { path: '/var/log/pods' } } as any);
    expect(admitIn('tenancy-pod-security', withHostPath)).toEqual(denied('pods may not mount a hostPath volume'));
  });

  test('a synced Certificate naming the tenant\'s Issuer and its own domains is admitted; a ClusterIssuer or another tenant\'s host is denied', () => {
    expect(admitIn('tenancy-certificates', certificate(['pay.example.com']))).toEqual(allowed);
    expect(admitIn('tenancy-certificates', certificate(['pay.example.com'], { name: 'letsencrypt', kind: 'ClusterIssuer' }))).toEqual(denied('spec.issuerRef must name a namespaced cert-manager Issuer'));
    expect(admitIn('tenancy-certificates', certificate(['search.example.com']))).toEqual(denied('spec.dnsNames and spec.commonName may only name this tenant\'s domains'));
  });

  test('a synced Service of type LoadBalancer or NodePort is denied; a ClusterIP one is admitted', () => {
    expect(admitIn('tenancy-service-types', service({}))).toEqual(allowed);
    expect(admitIn('tenancy-service-types', service({ type: 'LoadBalancer' }))).toMatchObject({ allowed: false, errors: [] });
    expect(admitIn('tenancy-service-types', service({ type: 'NodePort' }))).toMatchObject({ allowed: false, errors: [] });
  });

  test('a synced Secret offering copies of itself to other namespaces is denied', () => {
    const secret = {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: synced('/v1, Kind=Secret', 'db', { annotations: { 'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true' } }),
    };
    expect(admitIn('tenancy-secret-copies', secret)).toMatchObject({ allowed: false, errors: [] });
  });
});
