/**
 * The CEL of the admission guard rails, run on objects that must pass and objects that must
 * fail — through the rendered ValidatingAdmissionPolicies, Kyverno ClusterPolicies and Gatekeeper
 * ConstraintTemplates, which must agree on every case.
 *
 * Runs the CEL with `@bufbuild/cel` (a devDependency).
 */
import { find } from '../helpers';
import { admit, gatekeeperObjects, kyvernoObjects, nativeObjects, paymentsNs, platformNs, searchNs } from '../support/admission-engines';
import { admissionPolicies as admissionRules } from '../../src/admission/policies';

const meta = (name: string, namespace = 'payments') => ({ name, namespace });
const allowed = { matched: true, allowed: true, denials: [], errors: [] };
/** Denied by exactly these messages (each a prefix), and never by an evaluation error. */
const deniedBy = (...prefixes: string[]) => ({
  matched: true, allowed: false, errors: [], denials: prefixes.map((p) => expect.stringMatching(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))),
});

const describeCel = describe;

describeCel('Certificates: namespaced Issuer, only the tenant\'s domains', () => {
  const P = 'tenancy-certificates';
  const cert = (spec: object, namespaceObject = paymentsNs) => admit(P, {
    object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('c', namespaceObject.metadata.name), spec: { secretName: 'c-tls', issuerRef: { name: 'tenant-issuer', kind: 'Issuer', group: 'cert-manager.io' }, ...spec } },
    namespaceObject,
  });

  test('admits every Certificate this tool renders into a tenant namespace', () => {
    for (const c of nativeObjects.filter((o) => o.kind === 'Certificate' && o.metadata.namespace !== 'traefik')) {
      const ns = c.metadata.namespace === 'payments' ? paymentsNs : searchNs;
      expect(admit(P, { object: c, namespaceObject: ns })).toEqual(allowed);
    }
  });

  test('admits the tenant\'s own hosts, in any case, and an issuerRef without kind or group', () => {
    expect(cert({ dnsNames: ['PAY.example.com', 'api.pay.example.com'], commonName: 'pay.example.com' })).toEqual(allowed);
    expect(cert({ dnsNames: ['pay.example.com'], issuerRef: { name: 'tenant-issuer' } })).toEqual(allowed);
  });

  test('refuses a ClusterIssuer or an external issuer', () => {
    const message = 'spec.issuerRef must name a namespaced cert-manager Issuer (kind Issuer, group cert-manager.io), or the platform CA where the tenant opted in: another ClusterIssuer or an external issuer signs for every namespace.';
    expect(cert({ dnsNames: ['pay.example.com'], issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' } })).toEqual({ ...allowed, allowed: false, denials: [message] });
    expect(cert({ dnsNames: ['pay.example.com'], issuerRef: { name: 'pca', kind: 'AWSPCAIssuer', group: 'awspca.cert-manager.io' } })).toEqual(deniedBy('spec.issuerRef must name'));
  });

  test('refuses another tenant\'s host, naming the tenant\'s domains', () => {
    expect(cert({ dnsNames: ['pay.example.com', 'search.example.com'] })).toEqual({
      ...allowed,
      allowed: false,
      denials: ['spec.dnsNames and spec.commonName may only name this tenant\'s domains. This tenant\'s domains: pay.example.com,api.pay.example.com'],
    });
    expect(cert({ dnsNames: ['pay.example.com'], commonName: 'search.example.com' })).toEqual(deniedBy('spec.dnsNames and spec.commonName'));
  });

  test('refuses wildcards, even under the tenant\'s own domain', () => {
    expect(cert({ dnsNames: ['*.pay.example.com'] })).toEqual(deniedBy('a tenant Certificate may not name a wildcard', 'spec.dnsNames and spec.commonName'));
  });

  test('refuses secretTemplate annotations that would copy the key elsewhere, and admits others', () => {
    expect(cert({ dnsNames: ['pay.example.com'], secretTemplate: { annotations: { 'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true' } } })).toEqual(deniedBy('spec.secretTemplate.annotations may not carry'));
    expect(cert({ dnsNames: ['pay.example.com'], secretTemplate: { annotations: { 'example.com/team': 'payments' }, labels: { a: 'b' } } })).toEqual(allowed);
  });

  test('refuses identities other than hosts', () => {
    for (const extra of [{ ipAddresses: ['10.0.0.1'] }, { uris: ['spiffe://cluster/ns/kube-system/sa/default'] }, { emailAddresses: ['a@example.com'] }, { literalSubject: 'CN=search.example.com' }]) {
      expect(cert({ dnsNames: ['pay.example.com'], ...extra })).toEqual(deniedBy('a tenant Certificate names hosts only'));
    }
  });

  test('fails closed when the Namespace lacks its domains annotation', () => {
    const bare = { ...paymentsNs, metadata: { ...paymentsNs.metadata, annotations: undefined } };
    expect(cert({ dnsNames: ['pay.example.com'] }, JSON.parse(JSON.stringify(bare)))).toEqual(deniedBy('spec.dnsNames and spec.commonName may only name this tenant\'s domains. This tenant\'s domains: none'));
  });

  test('checks the issuer of CertificateRequests too', () => {
    const request = (kind: string) => admit(P, {
      object: { apiVersion: 'cert-manager.io/v1', kind: 'CertificateRequest', metadata: meta('r'), spec: { request: 'LS0t', issuerRef: { name: 'x', kind, group: 'cert-manager.io' } } },
      namespaceObject: paymentsNs,
    });
    expect(request('Issuer')).toEqual(allowed);
    expect(request('ClusterIssuer')).toEqual(deniedBy('spec.issuerRef must name'));
  });

  test('leaves namespaces that are not a tenant\'s alone', () => {
    const result = admit(P, {
      object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('w', 'traefik'), spec: { dnsNames: ['*.apps.example.com'], issuerRef: { name: 'le', kind: 'ClusterIssuer' } } },
      namespaceObject: platformNs,
    });
    expect(result.matched).toBe(false);
  });
});

describeCel('Ingress: only the tenant\'s hosts, no wildcard, no catch-all', () => {
  const P = 'tenancy-ingress-hosts';
  const ingress = (spec: object) => admit(P, { object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('i'), spec }, namespaceObject: paymentsNs });
  const backend = { service: { name: 'web', port: { number: 80 } } };
  const rule = (host?: string) => ({ ...(host ? { host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });

  test('admits the tenant\'s hosts, and cert-manager\'s HTTP-01 solver Ingress', () => {
    expect(ingress({ rules: [rule('pay.example.com'), rule('api.pay.example.com')], tls: [{ hosts: ['pay.example.com'], secretName: 'pay.example.com-tls' }] })).toEqual(allowed);
    expect(ingress({ rules: [{ host: 'pay.example.com', http: { paths: [{ path: '/.well-known/acme-challenge/token', pathType: 'ImplementationSpecific', backend: { service: { name: 'cm-acme-http-solver-x', port: { number: 8089 } } } }] } }] })).toEqual(allowed);
  });

  test('refuses another tenant\'s host, a wildcard host, and a rule without host', () => {
    const message = 'every Ingress rule must name one of this tenant\'s hosts; a rule without a host, or with a wildcard, answers for any name. This tenant\'s domains: pay.example.com,api.pay.example.com';
    expect(ingress({ rules: [rule('search.example.com')] })).toEqual({ ...allowed, allowed: false, denials: [message] });
    expect(ingress({ rules: [rule('*.example.com')] })).toEqual(deniedBy('every Ingress rule must name'));
    expect(ingress({ rules: [rule()] })).toEqual(deniedBy('every Ingress rule must name'));
  });

  test('refuses TLS hosts of others and a default backend', () => {
    expect(ingress({ rules: [rule('pay.example.com')], tls: [{ hosts: ['search.example.com'] }] })).toEqual(deniedBy('spec.tls[].hosts may only name'));
    expect(ingress({ defaultBackend: backend })).toEqual(deniedBy('spec.defaultBackend answers every request'));
  });
});

describeCel('IngressRoute and IngressRouteTCP: Host()/HostSNI() within the tenant\'s domains, never wildcards', () => {
  const P = 'tenancy-ingressroute-hosts';
  const route = (kind: 'IngressRoute' | 'IngressRouteTCP', ...matches: string[]) => admit(P, {
    object: {
      apiVersion: 'traefik.io/v1alpha1', kind, metadata: meta('r'),
      spec: { entryPoints: ['websecure'], routes: matches.map((match) => ({ match, services: [{ name: 'web', port: 80 }] })) },
    },
    namespaceObject: paymentsNs,
  });
  const GUARD = 'each route must match Host(`host`)';
  const HOSTS = 'Host() may only name this tenant\'s hosts.';

  test.each([
    'Host(`pay.example.com`)',
    'Host(`pay.example.com`) && PathPrefix(`/api`)',
    '(Host(`pay.example.com`) || Host(`api.pay.example.com`)) && PathPrefix(`/`) && !Header(`X-Debug`, `1`)',
    'HOST(`Pay.Example.com`)',
  ])('admits %s', (match) => {
    expect(route('IngressRoute', match)).toEqual(allowed);
  });

  test.each([
    ['Host(`search.example.com`)', [HOSTS]],
    ['host(`search.example.com`) && PathPrefix(`/`)', [HOSTS]],
    ['Host(`pay.example.com`) && Host(`search.example.com`)', [HOSTS]],
    ['HostRegexp(`^.+\\.example\\.com$`)', [GUARD]],
    ['PathPrefix(`/`)', [GUARD]],
    ['Host(`pay.example.com`) || PathPrefix(`/`)', [GUARD]],
    ['Host(`pay.example.com`) && PathPrefix(`/a`) || Host(`search.example.com`)', [GUARD]],
    ['Host("search.example.com")', [GUARD]],
    ['Host(`pay.example.com`, `search.example.com`)', [GUARD]],
  ])('refuses %s', (match, messages) => {
    expect(route('IngressRoute', match)).toEqual(deniedBy(...messages));
  });

  test('refuses a route among good ones', () => {
    expect(route('IngressRoute', 'Host(`pay.example.com`)', 'PathPrefix(`/`)')).toEqual(deniedBy(GUARD));
  });

  test('IngressRouteTCP: admits HostSNI of the tenant, refuses HostSNI(`*`), others\' hosts and HostSNIRegexp', () => {
    expect(route('IngressRouteTCP', 'HostSNI(`pay.example.com`)')).toEqual(allowed);
    expect(route('IngressRouteTCP', 'HostSNI(`*`)')).toEqual(deniedBy('HostSNI() may only name'));
    expect(route('IngressRouteTCP', 'HostSNI(`search.example.com`)')).toEqual(deniedBy('HostSNI() may only name'));
    expect(route('IngressRouteTCP', 'HostSNIRegexp(`^.+$`)')).toEqual(deniedBy('each TCP route must match HostSNI'));
  });
});

describeCel('Pods: not privileged, no hostPath, no host namespaces, non-root — restricted and baseline tenants alike', () => {
  const P = 'tenancy-pod-security';
  const safe = () => ({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  });
  const pod = (mutate: (spec: any) => void = () => undefined, namespaceObject = paymentsNs, subResource?: string) => {
    const spec: any = safe();
    mutate(spec);
    return admit(P, { object: { apiVersion: 'v1', kind: 'Pod', metadata: meta('p', namespaceObject.metadata.name), spec }, namespaceObject, subResource });
  };

  test('admits a restricted-compliant pod, and non-root set per container', () => {
    expect(pod()).toEqual(allowed);
    expect(pod((s) => {
      delete s.securityContext.runAsNonRoot;
      s.containers[0].securityContext.runAsNonRoot = true;
      s.initContainers = [{ name: 'init', image: 'init:1', securityContext: { runAsNonRoot: true, runAsUser: 1000 } }];
    })).toEqual(allowed);
  });

  test.each([
    ['a privileged container', (s: any) => { s.containers[0].securityContext.privileged = true; }, 'containers may not be privileged'],
    ['a privileged init container', (s: any) => { s.initContainers = [{ name: 'i', image: 'i', securityContext: { privileged: true } }]; }, 'containers may not be privileged'],
    ['a hostPath volume', (s: any) => { s.volumes = [{ name: 'root', hostPath: { path: '/' } }]; }, 'pods may not mount a hostPath volume'],
    ['hostNetwork', (s: any) => { s.hostNetwork = true; }, 'pods may not share the node\'s network, PID or IPC namespace'],
    ['hostPID', (s: any) => { s.hostPID = true; }, 'pods may not share the node\'s network, PID or IPC namespace'],
    ['hostIPC', (s: any) => { s.hostIPC = true; }, 'pods may not share the node\'s network, PID or IPC namespace'],
    ['no runAsNonRoot anywhere', (s: any) => { delete s.securityContext.runAsNonRoot; }, 'every container must run as non-root'],
    ['a container overriding runAsNonRoot to false', (s: any) => { s.containers[0].securityContext.runAsNonRoot = false; }, 'every container must run as non-root'],
    ['runAsUser 0', (s: any) => { s.containers[0].securityContext.runAsUser = 0; }, 'runAsUser 0 is root'],
  ])('refuses %s', (_what, mutate, message) => {
    expect(pod(mutate)).toEqual(deniedBy(message));
  });

  test('refuses root in a baseline tenant too, where Pod Security alone would admit it', () => {
    expect(searchNs.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(pod((s) => { delete s.securityContext.runAsNonRoot; }, searchNs)).toEqual(deniedBy('every container must run as non-root'));
    expect(pod((s) => { s.volumes = [{ name: 'h', hostPath: { path: '/var/run' } }]; }, searchNs)).toEqual(deniedBy('pods may not mount a hostPath volume'));
  });

  test('refuses a privileged ephemeral container added with kubectl debug', () => {
    expect(pod((s) => { s.ephemeralContainers = [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }]; }, paymentsNs, 'ephemeralcontainers')).toEqual(deniedBy('containers may not be privileged'));
  });

  test('checks pod templates of Deployments and CronJobs, so the refusal comes at apply time', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: { ...safe(), hostPID: true } };
    const deployment = admit(P, { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('d'), spec: { selector: { matchLabels: { app: 'x' } }, template } }, namespaceObject: paymentsNs });
    expect(deployment).toEqual(deniedBy('pods may not share the node\'s network'));
    const cronJob = admit(P, { object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('c'), spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } }, namespaceObject: paymentsNs });
    expect(cronJob).toEqual(deniedBy('pods may not share the node\'s network'));
  });

  test('leaves the platform namespace alone (the tenants\' Traefik Deployments run there, and pass anyway)', () => {
    const traefik = find(nativeObjects, 'Deployment', 'traefik-payments', 'traefik');
    expect(admit(P, { object: traefik, namespaceObject: platformNs }).matched).toBe(false);
    expect(admit(P, { object: traefik, namespaceObject: paymentsNs })).toEqual(allowed);
  });
});

describeCel('Services: ClusterIP only, no externalIPs', () => {
  const P = 'tenancy-service-types';
  const service = (spec: object) => admit(P, { object: { apiVersion: 'v1', kind: 'Service', metadata: meta('s'), spec: { ports: [{ port: 80 }], ...spec } }, namespaceObject: paymentsNs });

  test('admits ClusterIP, a Service without type, and a headless Service', () => {
    expect(service({ type: 'ClusterIP' })).toEqual(allowed);
    expect(service({})).toEqual(allowed);
    expect(service({ clusterIP: 'None' })).toEqual(allowed);
  });

  test.each(['NodePort', 'LoadBalancer', 'ExternalName'])('refuses type %s', (type) => {
    expect(service({ type })).toEqual(deniedBy('Services in a tenant namespace must be ClusterIP'));
  });

  test('refuses externalIPs', () => {
    expect(service({ externalIPs: ['203.0.113.7'] })).toEqual(deniedBy('spec.externalIPs can intercept traffic'));
  });
});

describeCel('ExternalSecrets: only the namespace\'s own SecretStore', () => {
  const P = 'tenancy-external-secrets';
  const es = (spec: object) => admit(P, { object: { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta('e'), spec: { target: { name: 'db' }, ...spec } }, namespaceObject: paymentsNs });

  test('admits the tenant\'s SecretStore, named with or without kind, and namespaced generators', () => {
    expect(es({ secretStoreRef: { name: 'tenant-secrets', kind: 'SecretStore' }, data: [{ secretKey: 'password', remoteRef: { key: 'db' } }] })).toEqual(allowed);
    expect(es({ secretStoreRef: { name: 'tenant-secrets' }, dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'pw' } } }] })).toEqual(allowed);
  });

  test('refuses a ClusterSecretStore, wherever it is named', () => {
    expect(es({ secretStoreRef: { name: 'global', kind: 'ClusterSecretStore' } })).toEqual(deniedBy('an ExternalSecret in a tenant namespace may only use a SecretStore'));
    expect(es({ secretStoreRef: { name: 'tenant-secrets' }, dataFrom: [{ extract: { key: 'x' }, sourceRef: { storeRef: { name: 'global', kind: 'ClusterSecretStore' } } }] })).toEqual(deniedBy('an ExternalSecret in a tenant namespace may only use a SecretStore'));
    expect(es({ secretStoreRef: { name: 'tenant-secrets' }, data: [{ secretKey: 'k', remoteRef: { key: 'x' }, sourceRef: { storeRef: { name: 'global', kind: 'ClusterSecretStore' } } }] })).toEqual(deniedBy('an ExternalSecret in a tenant namespace may only use a SecretStore'));
  });

  test('refuses a ClusterGenerator', () => {
    expect(es({ dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'ClusterGenerator', name: 'g' } } }] })).toEqual(deniedBy('an ExternalSecret in a tenant namespace may not use a ClusterGenerator'));
  });

  test('admits templates and the Owner and None policies; refuses those that write Secrets no ExternalSecret owns', () => {
    expect(es({ target: { name: 'db', creationPolicy: 'Owner', template: { type: 'kubernetes.io/basic-auth', metadata: { labels: { app: 'db' }, annotations: { 'app.example.com/x': 'y' } }, data: { url: 'postgres://{{ .user }}' } } } })).toEqual(allowed);
    expect(es({ target: { name: 'db', creationPolicy: 'None' } })).toEqual(allowed);
    for (const creationPolicy of ['Merge', 'CreateOrMerge', 'Orphan']) {
      expect(es({ target: { name: 'payments-tls', creationPolicy } })).toEqual(deniedBy('spec.target.creationPolicy must be Owner (the default) or None'));
    }
  });

  test('refuses a template whose annotations would make reflector or replicator copy the Secret elsewhere', () => {
    for (const annotations of [
      { 'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true', 'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': 'search' },
      { 'replicator.v1.mittwald.de/replicate-to': 'search' },
    ]) {
      expect(es({ target: { name: 'db', template: { metadata: { annotations } } } })).toEqual(deniedBy('spec.target.template.metadata.annotations may not carry'));
    }
  });

  test('refuses templateFrom that targets Annotations from a ConfigMap or Secret, or names copy annotations literally', () => {
    const from = (templateFrom: object[]) => es({ target: { name: 'db', template: { templateFrom } } });
    expect(from([{ target: 'Annotations', literal: 'example.com/team: payments' }, { target: 'Data', configMap: { name: 'tpl', items: [{ key: 'k' }] } }])).toEqual(allowed);
    expect(from([{ literal: 'password: x' }])).toEqual(allowed);
    expect(from([{ target: 'Annotations', literal: 'reflector.v1.k8s.emberstack.com/reflection-allowed: "true"' }])).toEqual(deniedBy('spec.target.template.templateFrom entries that target Annotations'));
    expect(from([{ target: 'Annotations', configMap: { name: 'tpl', items: [{ key: 'k' }] } }])).toEqual(deniedBy('spec.target.template.templateFrom entries that target Annotations'));
  });
});

describeCel('Secrets and ConfigMaps: no annotations of a copying tool', () => {
  const P = 'tenancy-secret-copies';
  const object = (kind: string, annotations?: Record<string, string>) => admit(P, {
    object: { apiVersion: 'v1', kind, metadata: { ...meta('x'), ...(annotations ? { annotations } : {}) }, data: { k: 'dg==' } },
    namespaceObject: paymentsNs,
  });

  test('admits Secrets and ConfigMaps without annotations, with others, and the copies the platform distributes here', () => {
    expect(object('Secret')).toEqual(allowed);
    expect(object('ConfigMap', { 'kubernetes.io/description': 'x', 'cert-manager.io/issuer-name': 'tenant-issuer' })).toEqual(allowed);
    expect(object('Secret', { 'reflector.v1.k8s.emberstack.com/reflects': 'platform/registry-pull', 'reflector.v1.k8s.emberstack.com/reflected-version': '42' })).toEqual(allowed);
    expect(object('Secret', { 'replicator.v1.mittwald.de/replicate-from': 'platform/registry-pull', 'replicator.v1.mittwald.de/replicated-at': '2026-11-23T00:00:00Z' })).toEqual(allowed);
  });

  test.each([
    ['Secret', 'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces', 'search'],
    ['Secret', 'reflector.v1.k8s.emberstack.com/reflection-allowed', 'true'],
    ['Secret', 'replicator.v1.mittwald.de/replicate-to', 'search'],
    ['ConfigMap', 'replicator.v1.mittwald.de/replicate-to-matching', 'team=search'],
    ['ConfigMap', 'replicator.v1.mittwald.de/replication-allowed', 'true'],
    ['Secret', 'kubed.appscode.com/sync', ''],
  ])('refuses a %s annotated %s', (kind, key, value) => {
    expect(object(kind, { [key]: value })).toEqual(deniedBy('a Secret or ConfigMap in a tenant namespace may not carry'));
  });

  test('leaves the platform namespace alone, where the wildcard Secret carries the syncTo annotations', () => {
    const wildcardSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'platform-wildcard-tls', namespace: 'traefik', annotations: { 'replicator.v1.mittwald.de/replicate-to': 'monitoring' } } };
    expect(admit(P, { object: wildcardSecret, namespaceObject: platformNs }).matched).toBe(false);
  });
});

describeCel('PodDisruptionBudgets: they must allow a disruption, however the value is written', () => {
  const pdb = (spec: object) => ({ object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('p'), spec: { selector: {}, ...spec } }, namespaceObject: paymentsNs });
  const refused = deniedBy('a PodDisruptionBudget must allow a disruption');
  test.each([
    [{ maxUnavailable: 0 }], [{ maxUnavailable: '0%' }], [{ maxUnavailable: '00%' }], [{ maxUnavailable: '000' }],
    [{ minAvailable: '100%' }], [{ minAvailable: '0100%' }], [{ minAvailable: '250%' }], [{ minAvailable: '99%' }], [{ minAvailable: '91%' }],
  ])('refuses %j', (spec) => expect(admit('tenancy-disruption-budgets', pdb(spec))).toEqual(refused));
  test.each([
    [{ maxUnavailable: 1 }], [{ maxUnavailable: '10%' }], [{ maxUnavailable: '100%' }], [{ minAvailable: '90%' }], [{ minAvailable: '010%' }], [{ minAvailable: 2 }],
  ])('admits %j', (spec) => expect(admit('tenancy-disruption-budgets', pdb(spec))).toEqual(allowed));
});

describe('the expressions stay within CEL that Kubernetes and the evaluator both know', () => {
  // Kubernetes' CEL environment (ValidatingAdmissionPolicy is GA in 1.30): standard macros and
  // functions, and `split`/`lowerAscii` from the strings extension (version 0). No optional
  // syntax (`?.`), no Kubernetes-only libraries (regex `find`, `url`, `quantity`, `authorizer`).
  const KNOWN = new Set(['has', 'all', 'exists', 'filter', 'size', 'contains', 'matches', 'split', 'lowerAscii', 'startsWith', 'endsWith', 'string']);

  test('every function called is in the shared set, and no expression uses optional syntax', () => {
    for (const rule of admissionRules({ externalSecrets: true })) {
      const texts = [...rule.variables.map((v) => v.expression), ...rule.validations.flatMap((v) => [v.expression, v.messageExpression ?? ''])];
      for (const text of texts) {
        const withoutStrings = text.replace(/r?'(?:[^'\\]|\\.)*'/g, "''");
        const calls = [...withoutStrings.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]);
        expect({ rule: rule.name, unknown: calls.filter((c) => !KNOWN.has(c)) }).toEqual({ rule: rule.name, unknown: [] });
        expect(withoutStrings).not.toMatch(/\.\?|\[\?/);
      }
    }
  });

  test('the native, Kyverno and Gatekeeper policies carry the same expressions', () => {
    for (const rule of admissionRules({ externalSecrets: true })) {
      const vap = find(nativeObjects, 'ValidatingAdmissionPolicy', rule.name);
      const kyverno = find(kyvernoObjects, 'ClusterPolicy', rule.name);
      const constraint = gatekeeperObjects.find((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1' && o.metadata.name === rule.name)!;
      const source = find(gatekeeperObjects, 'ConstraintTemplate', constraint.kind.toLowerCase()).spec.targets[0].code[0].source;
      expect(kyverno.spec.rules[0].validate.cel.expressions).toEqual(vap.spec.validations);
      expect(kyverno.spec.rules[0].validate.cel.variables ?? []).toEqual(vap.spec.variables ?? []);
      expect(source.validations).toEqual(vap.spec.validations);
      expect(source.variables ?? []).toEqual(vap.spec.variables ?? []);
    }
  });

  test('no variable takes a name Gatekeeper reserves (`params`, `anyObject`, `gatekeeper_internal_*`)', () => {
    for (const rule of admissionRules({ externalSecrets: true })) {
      for (const v of rule.variables) expect({ rule: rule.name, variable: v.name }).not.toEqual({ rule: rule.name, variable: expect.stringMatching(/^(params|anyObject|gatekeeper_internal_.*)$/) });
    }
  });
});
