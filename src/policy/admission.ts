/**
 * Admission guard rails: what RBAC cannot say. A tenant may create Certificates, Ingresses,
 * IngressRoutes, Pods and Services, but not every Certificate, host or pod is safe; these rules
 * say which are. They are written once, in CEL, and rendered two ways from the same text:
 * - `native`: a ValidatingAdmissionPolicy and its binding (admissionregistration.k8s.io/v1);
 * - `kyverno`: a Kyverno ClusterPolicy whose rule is a `validate.cel` subrule (Kyverno runs
 *   it with Kubernetes' own admission library), in Enforce mode.
 * `test/policy/admission-cel.test.ts` runs every expression on objects that must pass and
 * objects that must fail.
 *
 * Every rule applies only in tenant namespaces (namespaces with the `tenancy.cdk8s.io/tenant`
 * label, which tenants cannot edit). A tenant's own domains are read from its Namespace's
 * `tenancy.cdk8s.io/domains` annotation through `namespaceObject`, so one shared policy serves
 * every tenant and adding a tenant changes no shared object.
 *
 * CEL used here, all in Kubernetes' CEL environment since 1.23–1.30 (VAP is GA in 1.30):
 * macros `has`, `all`, `exists`, `filter`; `in`, `size`, `contains`, `startsWith`, `matches`; and from the
 * strings extension (version 0) `split` and `lowerAscii`.
 */
import { ANNOTATIONS, ADMISSION_POLICY_NAMES } from '../model/names';
import { LABELS } from '../model/names';
import { COPY_OFFER_ANNOTATION_PREFIXES } from './secret-sync';

/** One validation: a CEL expression that must be true, and what the user reads when it is not. */
export interface AdmissionValidation {
  readonly expression: string;
  readonly message: string;
  /** A message naming the offending values; Kubernetes falls back to `message` if it fails. */
  readonly messageExpression?: string;
}

/** One resource rule of a ValidatingAdmissionPolicy's `matchConstraints`. */
export interface AdmissionResources {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
}

/** One guard rail: its objects, variables and validations, and the threat it closes. */
export interface AdmissionRule {
  /** Name of the policy (and binding, and Kyverno ClusterPolicy). */
  readonly name: string;
  /** One line: what the rule enforces. */
  readonly title: string;
  /** What a tenant could do without it. */
  readonly threat: string;
  readonly resources: readonly AdmissionResources[];
  /** The same resources as Kyverno kinds (`group/version/Kind`). */
  readonly kyvernoKinds: readonly string[];
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  readonly validations: readonly AdmissionValidation[];
}

/** Selects tenant namespaces: every namespace this tool makes for a tenant carries the label. */
export const TENANT_NAMESPACE_SELECTOR = {
  matchExpressions: [{ key: LABELS.tenant, operator: 'Exists' }],
} as const;

const DOMAINS_KEY = `'${ANNOTATIONS.domains}'`;

/** The tenant's domains, from its Namespace annotation: `variables.domains` (a list) and `variables.domainList` (the text). */
const DOMAIN_VARIABLES = [
  {
    name: 'domainList',
    expression: `has(namespaceObject.metadata.annotations) && ${DOMAINS_KEY} in namespaceObject.metadata.annotations ? namespaceObject.metadata.annotations[${DOMAINS_KEY}] : ''`,
  },
  { name: 'domains', expression: "variables.domainList == '' ? [] : variables.domainList.split(',')" },
];

/** A message, and the same message with the tenant's domains appended (Kubernetes falls back to the first). */
const withDomains = (message: string) => ({
  message,
  messageExpression: `'${message.replace(/'/g, "\\'")} This tenant\\'s domains: ' + (variables.domainList == '' ? 'none' : variables.domainList)`,
});

/**
 * A Traefik rule (lower-cased) whose every match needs one of the listed hosts: `host(`a`)` or
 * `(host(`a`) || host(`b`))`, then only `&&` conditions. Anything else — HostRegexp, `||`
 * beside the hosts, double-quoted strings, no Host at all — is refused, since it can answer
 * for hosts that are not the tenant's. `matcher` is `host` or `hostsni`.
 */
export function hostGuardPattern(matcher: 'host' | 'hostsni'): string {
  const one = `${matcher}\\(\`[^\`]+\`\\)`;
  return `^\\s*(${one}|\\(\\s*${one}(\\s*\\|\\|\\s*${one})*\\s*\\))(\\s*&&[^|]*)?$`;
}

/**
 * Every `matcher(`x`)` of a (lower-cased) Traefik rule names one of the tenant's domains. Only
 * judged when the rule has the guarded shape (the other validation refuses any other shape):
 * then the text before the first matcher holds no backtick, and each later piece starts with a host.
 */
const hostsWithinDomains = (rule: string, matcher: 'host' | 'hostsni') =>
  `!${rule}.matches(r'${hostGuardPattern(matcher)}') || ${rule}.split('${matcher}(\`').filter(s, s.contains('\`')).all(s, s.split('\`')[0] in variables.domains)`;

const none = (field: string) => `(!has(${field}) || size(${field}) == 0)`;

/** True when the annotation map at `field` has no key by which reflector, replicator or kubed would copy the object elsewhere. */
const noCopyOffers = (field: string) =>
  `(!has(${field}) || ${field}.all(k, ${COPY_OFFER_ANNOTATION_PREFIXES.map((p) => `!k.startsWith('${p}')`).join(' && ')}))`;

/** `predicate` (of `d`) holds for every entry of an ExternalSecret's `spec.data` and `spec.dataFrom`. */
const everySource = (predicate: string) =>
  `(!has(object.spec.data) || object.spec.data.all(d, ${predicate})) && (!has(object.spec.dataFrom) || object.spec.dataFrom.all(d, ${predicate}))`;

const COPY_OFFERS = COPY_OFFER_ANNOTATION_PREFIXES.map((p) => `${p}*`).join(', ');

/** The guard rails, in the order they are rendered. `externalSecrets` adds the ExternalSecret rule. */
export function admissionRules(options: { readonly externalSecrets: boolean }): AdmissionRule[] {
  const rules: AdmissionRule[] = [
    {
      name: ADMISSION_POLICY_NAMES.certificates,
      title: 'Certificates use the tenant\'s namespaced Issuer and name only the tenant\'s domains',
      threat: 'a Certificate pointing at a ClusterIssuer, or naming another tenant\'s host (or a wildcard), would get that host\'s certificate signed for this tenant',
      resources: [{ apiGroups: ['cert-manager.io'], apiVersions: ['*'], resources: ['certificates', 'certificaterequests'] }],
      kyvernoKinds: ['cert-manager.io/v1/Certificate', 'cert-manager.io/v1/CertificateRequest'],
      variables: [...DOMAIN_VARIABLES, { name: 'isCertificate', expression: "object.kind == 'Certificate'" }],
      validations: [
        {
          expression: `!variables.isCertificate || !has(object.spec.secretTemplate) || ${noCopyOffers('object.spec.secretTemplate.annotations')}`,
          message: `spec.secretTemplate.annotations may not carry ${COPY_OFFERS} keys: they would copy the certificate's key into other namespaces, other tenants' too.`,
        },
        {
          expression: "(!has(object.spec.issuerRef.kind) || object.spec.issuerRef.kind in ['', 'Issuer']) && (!has(object.spec.issuerRef.group) || object.spec.issuerRef.group in ['', 'cert-manager.io'])",
          message: 'spec.issuerRef must name a namespaced cert-manager Issuer (kind Issuer, group cert-manager.io): a ClusterIssuer or an external issuer signs for every namespace.',
        },
        {
          expression: "!variables.isCertificate || ((!has(object.spec.dnsNames) || object.spec.dnsNames.all(n, !n.contains('*'))) && (!has(object.spec.commonName) || !object.spec.commonName.contains('*')))",
          message: 'a tenant Certificate may not name a wildcard: it would be valid for every host under it, other tenants\' included. Put wildcards on platform.wildcard.',
        },
        {
          expression: '!variables.isCertificate || ((!has(object.spec.dnsNames) || object.spec.dnsNames.all(n, n.lowerAscii() in variables.domains)) && (!has(object.spec.commonName) || object.spec.commonName.lowerAscii() in variables.domains))',
          ...withDomains('spec.dnsNames and spec.commonName may only name this tenant\'s domains.'),
        },
        {
          expression: `!variables.isCertificate || (${none('object.spec.ipAddresses')} && ${none('object.spec.uris')} && ${none('object.spec.emailAddresses')} && ${none('object.spec.otherNames')} && !has(object.spec.literalSubject))`,
          message: 'a tenant Certificate names hosts only: ipAddresses, uris, emailAddresses, otherNames and literalSubject could claim identities that belong to others.',
        },
      ],
    },
    {
      name: ADMISSION_POLICY_NAMES.ingressHosts,
      title: 'Ingress hosts stay within the tenant\'s domains and are never wildcards',
      threat: 'an Ingress for another tenant\'s host, a wildcard host, a rule without a host or a default backend would answer for names that are not the tenant\'s',
      resources: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['*'], resources: ['ingresses'] }],
      kyvernoKinds: ['networking.k8s.io/v1/Ingress'],
      variables: DOMAIN_VARIABLES,
      validations: [
        {
          expression: '!has(object.spec.rules) || object.spec.rules.all(r, has(r.host) && r.host in variables.domains)',
          ...withDomains('every Ingress rule must name one of this tenant\'s hosts; a rule without a host, or with a wildcard, answers for any name.'),
        },
        {
          expression: '!has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, h in variables.domains))',
          ...withDomains('spec.tls[].hosts may only name this tenant\'s hosts.'),
        },
        {
          expression: '!has(object.spec.defaultBackend)',
          message: 'spec.defaultBackend answers every request whatever its host — route each of the tenant\'s hosts in spec.rules instead.',
        },
      ],
    },
    {
      name: ADMISSION_POLICY_NAMES.ingressRouteHosts,
      title: 'IngressRoute Host() and IngressRouteTCP HostSNI() matchers stay within the tenant\'s domains and are never wildcards',
      threat: 'a route matching another tenant\'s host, a HostRegexp, HostSNI(`*`) or a rule that can match without its Host would answer for names that are not the tenant\'s',
      resources: [{ apiGroups: ['traefik.io'], apiVersions: ['*'], resources: ['ingressroutes', 'ingressroutetcps'] }],
      kyvernoKinds: ['traefik.io/v1alpha1/IngressRoute', 'traefik.io/v1alpha1/IngressRouteTCP'],
      variables: [...DOMAIN_VARIABLES, { name: 'isTcp', expression: "object.kind == 'IngressRouteTCP'" }],
      validations: [
        {
          expression: `variables.isTcp || object.spec.routes.all(r, r.match.lowerAscii().matches(r'${hostGuardPattern('host')}'))`,
          message: 'each route must match Host(`host`), or (Host(`a`) || Host(`b`)), in backticks, followed only by && conditions: HostRegexp, || beside the hosts, or a route without Host can answer for any name.',
        },
        {
          expression: `variables.isTcp || object.spec.routes.all(r, ${hostsWithinDomains('r.match.lowerAscii()', 'host')})`,
          ...withDomains('Host() may only name this tenant\'s hosts.'),
        },
        {
          expression: `!variables.isTcp || object.spec.routes.all(r, r.match.lowerAscii().matches(r'${hostGuardPattern('hostsni')}'))`,
          message: 'each TCP route must match HostSNI(`host`), or (HostSNI(`a`) || HostSNI(`b`)), in backticks, followed only by && conditions: HostSNI(`*`) or HostSNIRegexp answer for any name.',
        },
        {
          expression: `!variables.isTcp || object.spec.routes.all(r, ${hostsWithinDomains('r.match.lowerAscii()', 'hostsni')})`,
          ...withDomains('HostSNI() may only name this tenant\'s hosts.'),
        },
      ],
    },
    {
      name: ADMISSION_POLICY_NAMES.podSecurity,
      title: 'pods are never privileged, use no hostPath, host network, PID or IPC, and run as non-root — also where a tenant is `baseline`',
      threat: 'a privileged container, a hostPath mount, a host namespace or a root user are the usual container escapes to the node, and from there to every tenant on it; Pod Security `baseline` does not require non-root',
      resources: [
        { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'] },
        { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
        { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'] },
      ],
      kyvernoKinds: [
        'Pod', 'Pod/ephemeralcontainers', 'ReplicationController', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet',
        'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob',
      ],
      variables: [
        {
          name: 'podSpec',
          expression: "object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)",
        },
        {
          name: 'containers',
          expression: 'variables.podSpec.containers + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])',
        },
      ],
      validations: [
        {
          expression: 'variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false)',
          message: 'containers may not be privileged: a privileged container controls the node.',
        },
        {
          expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))',
          message: 'pods may not mount a hostPath volume: it exposes the node\'s files, other tenants\' included.',
        },
        {
          expression: '!(has(variables.podSpec.hostNetwork) && variables.podSpec.hostNetwork) && !(has(variables.podSpec.hostPID) && variables.podSpec.hostPID) && !(has(variables.podSpec.hostIPC) && variables.podSpec.hostIPC)',
          message: 'pods may not share the node\'s network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).',
        },
        {
          expression: 'variables.containers.all(c, (has(c.securityContext) && has(c.securityContext.runAsNonRoot)) ? c.securityContext.runAsNonRoot == true : (has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsNonRoot) && variables.podSpec.securityContext.runAsNonRoot == true))',
          message: 'every container must run as non-root: set securityContext.runAsNonRoot: true on the pod or on each container.',
        },
        {
          expression: '!(has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsUser) && variables.podSpec.securityContext.runAsUser == 0) && variables.containers.all(c, !(has(c.securityContext) && has(c.securityContext.runAsUser) && c.securityContext.runAsUser == 0))',
          message: 'runAsUser 0 is root: use a non-zero user id.',
        },
      ],
    },
    {
      name: ADMISSION_POLICY_NAMES.serviceTypes,
      title: 'Services in tenant namespaces are ClusterIP only, without externalIPs',
      threat: 'a NodePort or LoadBalancer Service bypasses the tenant\'s Traefik and its TLS; an ExternalName Service can point a route at another tenant\'s Service; externalIPs can intercept traffic for any address (CVE-2020-8554)',
      resources: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'] }],
      kyvernoKinds: ['Service'],
      variables: [],
      validations: [
        {
          expression: "!has(object.spec.type) || object.spec.type == 'ClusterIP'",
          message: 'Services in a tenant namespace must be ClusterIP: traffic enters through the tenant\'s Traefik; NodePort, LoadBalancer and ExternalName are refused.',
        },
        {
          expression: none('object.spec.externalIPs'),
          message: 'spec.externalIPs can intercept traffic for any address (CVE-2020-8554) — remove it.',
        },
      ],
    },
    {
      name: ADMISSION_POLICY_NAMES.secretCopies,
      title: 'Secrets and ConfigMaps offer no copies of themselves to other namespaces',
      threat: 'where reflector, replicator or kubed runs (as for the wildcard\'s syncTo), annotations on a tenant\'s Secret or ConfigMap would push copies into other tenants\' namespaces, or offer it for them to pull',
      resources: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['secrets', 'configmaps'] }],
      kyvernoKinds: ['Secret', 'ConfigMap'],
      variables: [],
      validations: [
        {
          expression: noCopyOffers('object.metadata.annotations'),
          message: `a Secret or ConfigMap in a tenant namespace may not carry ${COPY_OFFERS} annotations: they copy it into other namespaces, other tenants' too. Copies the platform distributes into this namespace are fine.`,
        },
      ],
    },
  ];
  if (options.externalSecrets) {
    rules.push({
      name: ADMISSION_POLICY_NAMES.externalSecrets,
      title: 'ExternalSecrets read only the tenant\'s own SecretStore',
      threat: 'an ExternalSecret pointing at a ClusterSecretStore (or a ClusterGenerator) would read secrets with credentials meant for every namespace',
      resources: [{ apiGroups: ['external-secrets.io'], apiVersions: ['*'], resources: ['externalsecrets'] }],
      kyvernoKinds: ['external-secrets.io/v1/ExternalSecret'],
      variables: [],
      validations: [
        {
          expression: `(!has(object.spec.secretStoreRef) || !has(object.spec.secretStoreRef.kind) || object.spec.secretStoreRef.kind == 'SecretStore') && ${everySource("!has(d.sourceRef) || !has(d.sourceRef.storeRef) || !has(d.sourceRef.storeRef.kind) || d.sourceRef.storeRef.kind == 'SecretStore'")}`,
          message: 'an ExternalSecret in a tenant namespace may only use a SecretStore of its namespace: a ClusterSecretStore serves every namespace.',
        },
        {
          expression: everySource("!has(d.sourceRef) || !has(d.sourceRef.generatorRef) || d.sourceRef.generatorRef.kind != 'ClusterGenerator'"),
          message: 'an ExternalSecret in a tenant namespace may not use a ClusterGenerator: it mints credentials meant for every namespace.',
        },
        {
          expression: "!has(object.spec.target) || !has(object.spec.target.creationPolicy) || object.spec.target.creationPolicy in ['Owner', 'None']",
          message: 'spec.target.creationPolicy must be Owner (the default) or None: Merge, CreateOrMerge and Orphan write into Secrets that no ExternalSecret owns, or leave Secrets nothing owns.',
        },
        {
          expression: `!has(object.spec.target) || !has(object.spec.target.template) || !has(object.spec.target.template.metadata) || ${noCopyOffers('object.spec.target.template.metadata.annotations')}`,
          message: `spec.target.template.metadata.annotations may not carry ${COPY_OFFERS} keys: they would copy the Secret into other namespaces, other tenants' too.`,
        },
        {
          expression: `!has(object.spec.target) || !has(object.spec.target.template) || !has(object.spec.target.template.templateFrom) || object.spec.target.template.templateFrom.all(t, !has(t.target) || t.target != 'Annotations' || (!has(t.configMap) && !has(t.secret) && (!has(t.literal) || (${COPY_OFFER_ANNOTATION_PREFIXES.map((p) => `!t.literal.contains('${p}')`).join(' && ')}))))`,
          message: `spec.target.template.templateFrom entries that target Annotations must be literal and name no ${COPY_OFFERS} keys: annotations read from a ConfigMap or Secret cannot be checked here, and those keys would copy the Secret into other namespaces.`,
        },
      ],
    });
  }
  return rules;
}

/** `spec` of the ValidatingAdmissionPolicy for `rule`. */
export function validatingAdmissionPolicySpec(rule: AdmissionRule) {
  return {
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: clone(TENANT_NAMESPACE_SELECTOR),
      resourceRules: rule.resources.map((r) => ({
        apiGroups: [...r.apiGroups], apiVersions: [...r.apiVersions], operations: ['CREATE', 'UPDATE'], resources: [...r.resources],
      })),
    },
    ...(rule.variables.length > 0 ? { variables: rule.variables.map((v) => ({ ...v })) } : {}),
    validations: rule.validations.map((v) => ({ ...v })),
  };
}

/** `spec` of the binding that enforces `rule` (`validationActions: [Deny]`). */
export function validatingAdmissionPolicyBindingSpec(rule: AdmissionRule) {
  return { policyName: rule.name, validationActions: ['Deny'] };
}

/** `spec` of the Kyverno ClusterPolicy for `rule`: one `validate.cel` rule in Enforce mode. */
export function kyvernoClusterPolicySpec(rule: AdmissionRule) {
  return {
    background: true,
    rules: [{
      name: rule.name.replace(/^tenancy-/, ''),
      match: {
        any: [{
          resources: {
            kinds: [...rule.kyvernoKinds],
            operations: ['CREATE', 'UPDATE'],
            namespaceSelector: clone(TENANT_NAMESPACE_SELECTOR),
          },
        }],
      },
      validate: {
        failureAction: 'Enforce',
        message: rule.title,
        cel: {
          ...(rule.variables.length > 0 ? { variables: rule.variables.map((v) => ({ ...v })) } : {}),
          expressions: rule.validations.map((v) => ({ ...v })),
        },
      },
    }],
  };
}

/** Kyverno's annotations on a ClusterPolicy (shown in policy reports). */
export function kyvernoAnnotations(rule: AdmissionRule): Record<string, string> {
  return {
    'policies.kyverno.io/title': rule.title,
    'policies.kyverno.io/category': 'Multi-Tenancy',
    'policies.kyverno.io/severity': 'high',
    'policies.kyverno.io/description': `Closes: ${rule.threat}.`,
    // The rule lists the pod controllers itself; Kyverno must not generate more rules from it.
    'pod-policies.kyverno.io/autogen-controllers': 'none',
  };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
