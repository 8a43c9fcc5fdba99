/**
 * The shared admission policies: what RBAC cannot say. A tenant may create Certificates,
 * Ingresses, IngressRoutes, Gateway API routes, Pods and Services, but not every Certificate,
 * host or pod is safe.
 *
 * Each policy here is a frame — the objects it judges and the CEL variables it binds — filled
 * with the validations the threat catalogue gives it, in catalogue order. The engines
 * (`native.ts`, `kyverno.ts`, `gatekeeper.ts`) render the same policies, so every rule is
 * written once, in CEL.
 *
 * Every policy applies only in tenant namespaces (namespaces with the `tenancy.cdk8s.io/tenant`
 * label, which tenants cannot edit). A tenant's own domains are read from its Namespace's
 * `tenancy.cdk8s.io/domains` annotation through `namespaceObject`, so one shared policy serves
 * every tenant and adding a tenant changes no shared object.
 */
import { ADMISSION_POLICY_NAMES, LABELS } from '../model/names';
import { CLUSTER_ISSUER_VARIABLE, DOMAIN_VARIABLES } from '../threats/certificates';
import { GATEWAY_VARIABLE } from '../threats/gateway';
import { THREATS } from '../threats';
import { AdmissionValidation, isEnforced } from '../threats/threat';

/** One resource rule of a ValidatingAdmissionPolicy's `matchConstraints`. */
export interface AdmissionResources {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
}

export interface AdmissionVariable {
  readonly name: string;
  readonly expression: string;
}

/** A policy's frame: its name, what it judges and the variables its validations read. */
interface PolicyFrame {
  /** Name of the policy (and of each engine's objects). */
  readonly name: string;
  /** One line: what the policy enforces. */
  readonly title: string;
  /** What a tenant could do without it. */
  readonly threat: string;
  readonly resources: readonly AdmissionResources[];
  /** The same objects as kinds, `group/version/Kind` (version `*` for every one; core kinds without group and version; `Kind/subresource`). */
  readonly kinds: readonly string[];
  readonly variables: readonly AdmissionVariable[];
  /** Only where the External Secrets Operator is in use: Kyverno refuses a policy for a kind it does not know. */
  readonly externalSecretsOnly?: boolean;
  /** Only where tenants route through the Gateway API (whose CRDs the cluster then has). */
  readonly gatewayOnly?: boolean;
}

/** A policy with its validations. */
export interface AdmissionPolicy extends PolicyFrame {
  readonly validations: ReadonlyArray<Omit<AdmissionValidation, 'policy'>>;
}

/** Selects tenant namespaces: every namespace this tool makes for a tenant carries the label. */
export const TENANT_NAMESPACE_SELECTOR = {
  matchExpressions: [{ key: LABELS.tenant, operator: 'Exists' }],
} as const;

const N = ADMISSION_POLICY_NAMES;

const FRAMES: readonly PolicyFrame[] = [
  {
    name: N.certificates,
    title: 'Certificates use the tenant\'s namespaced Issuer and name only the tenant\'s domains',
    threat: 'a Certificate pointing at a ClusterIssuer, or naming another tenant\'s host (or a wildcard), would get that host\'s certificate signed for this tenant',
    resources: [{ apiGroups: ['cert-manager.io'], apiVersions: ['*'], resources: ['certificates', 'certificaterequests'] }],
    kinds: ['cert-manager.io/v1/Certificate', 'cert-manager.io/v1/CertificateRequest'],
    variables: [...DOMAIN_VARIABLES, CLUSTER_ISSUER_VARIABLE, { name: 'isCertificate', expression: "object.kind == 'Certificate'" }],
  },
  {
    name: N.ingressHosts,
    title: 'Ingress hosts stay within the tenant\'s domains and are never wildcards',
    threat: 'an Ingress for another tenant\'s host, a wildcard host, a rule without a host or a default backend would answer for names that are not the tenant\'s',
    resources: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['*'], resources: ['ingresses'] }],
    kinds: ['networking.k8s.io/v1/Ingress'],
    variables: DOMAIN_VARIABLES,
  },
  {
    name: N.ingressRouteHosts,
    title: 'IngressRoute Host() and IngressRouteTCP HostSNI() matchers stay within the tenant\'s domains and are never wildcards',
    threat: 'a route matching another tenant\'s host, a HostRegexp, HostSNI(`*`) or a rule that can match without its Host would answer for names that are not the tenant\'s',
    resources: [{ apiGroups: ['traefik.io'], apiVersions: ['*'], resources: ['ingressroutes', 'ingressroutetcps'] }],
    kinds: ['traefik.io/v1alpha1/IngressRoute', 'traefik.io/v1alpha1/IngressRouteTCP'],
    variables: [...DOMAIN_VARIABLES, { name: 'isTcp', expression: "object.kind == 'IngressRouteTCP'" }],
  },
  {
    name: N.gatewayRoutes,
    title: 'Gateway API routes name the tenant\'s own hosts and attach to the tenant\'s own Gateway only',
    threat: 'a route without hostnames, or naming another tenant\'s host, or attached to another tenant\'s Gateway, would answer for names that are not the tenant\'s',
    resources: [{ apiGroups: ['gateway.networking.k8s.io'], apiVersions: ['*'], resources: ['httproutes', 'grpcroutes', 'tlsroutes'] }],
    // Every served version (HTTPRoute is also served as v1beta1): Kyverno matches kinds by version.
    kinds: ['gateway.networking.k8s.io/*/HTTPRoute', 'gateway.networking.k8s.io/*/GRPCRoute', 'gateway.networking.k8s.io/*/TLSRoute'],
    variables: [...DOMAIN_VARIABLES, GATEWAY_VARIABLE],
    gatewayOnly: true,
  },
  {
    name: N.podSecurity,
    title: 'pods are never privileged, use no hostPath, host network, PID or IPC, and run as non-root — also where a tenant is `baseline`',
    threat: 'a privileged container, a hostPath mount, a host namespace or a root user are the usual container escapes to the node, and from there to every tenant on it; Pod Security `baseline` does not require non-root',
    resources: [
      { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'] },
      { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
      { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'] },
    ],
    kinds: [
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
  },
  {
    name: N.serviceTypes,
    title: 'Services in tenant namespaces are ClusterIP only, without externalIPs',
    threat: 'a NodePort or LoadBalancer Service bypasses the tenant\'s Traefik and its TLS; an ExternalName Service can point a route at another tenant\'s Service; externalIPs can intercept traffic for any address (CVE-2020-8554)',
    resources: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['services'] }],
    kinds: ['Service'],
    variables: [],
  },
  {
    name: N.secretCopies,
    title: 'Secrets and ConfigMaps offer no copies of themselves to other namespaces',
    threat: 'where reflector, replicator or kubed runs (as for the wildcard\'s syncTo), annotations on a tenant\'s Secret or ConfigMap would push copies into other tenants\' namespaces, or offer it for them to pull',
    resources: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['secrets', 'configmaps'] }],
    kinds: ['Secret', 'ConfigMap'],
    variables: [],
  },
  {
    name: N.middlewares,
    title: 'Traefik Middlewares call only Services of the tenant\'s own namespace',
    threat: 'a forwardAuth Middleware makes the tenant\'s Traefik — which runs in the platform namespace, outside the tenant\'s egress policy — call the address it names: the metadata endpoint, the API server, or another tenant\'s Service',
    resources: [{ apiGroups: ['traefik.io'], apiVersions: ['*'], resources: ['middlewares'] }],
    kinds: ['traefik.io/v1alpha1/Middleware'],
    variables: [],
  },
  {
    name: N.disruptionBudgets,
    title: 'PodDisruptionBudgets allow at least one disruption',
    threat: 'a PodDisruptionBudget with `maxUnavailable: 0` or `minAvailable: 100%` blocks every drain of the nodes its pods run on, holding up upgrades and repairs that every tenant waits for',
    resources: [{ apiGroups: ['policy'], apiVersions: ['v1'], resources: ['poddisruptionbudgets'] }],
    kinds: ['policy/v1/PodDisruptionBudget'],
    variables: [],
  },
  {
    name: N.externalSecrets,
    title: 'ExternalSecrets read only the tenant\'s own SecretStore',
    threat: 'an ExternalSecret pointing at a ClusterSecretStore (or a ClusterGenerator) would read secrets with credentials meant for every namespace',
    resources: [{ apiGroups: ['external-secrets.io'], apiVersions: ['*'], resources: ['externalsecrets'] }],
    kinds: ['external-secrets.io/v1/ExternalSecret'],
    variables: [],
    externalSecretsOnly: true,
  },
];

/** The validations of each policy, gathered from the catalogue once. */
const VALIDATIONS = (() => {
  const byPolicy = new Map<string, Array<Omit<AdmissionValidation, 'policy'>>>(FRAMES.map((f) => [f.name, []]));
  for (const threat of THREATS) {
    if (!isEnforced(threat.admission)) continue;
    for (const { policy, ...validation } of threat.admission.validations) {
      const list = byPolicy.get(policy);
      if (!list) throw new Error(`threat \`${threat.id}\` names admission policy \`${policy}\`, which has no frame in src/admission/policies.ts`);
      list.push(validation);
    }
  }
  return byPolicy;
})();

/**
 * The policies, in the order they are rendered; `externalSecrets` adds the ExternalSecret
 * policy, `gateway` the Gateway API routes' policy.
 */
export function admissionPolicies(options: { readonly externalSecrets: boolean; readonly gateway?: boolean }): AdmissionPolicy[] {
  return FRAMES
    .filter((f) => (!f.externalSecretsOnly || options.externalSecrets) && (!f.gatewayOnly || options.gateway))
    .map((f) => ({ ...f, validations: VALIDATIONS.get(f.name)! }));
}

/** A plain copy of a JSON-like value, so that rendered objects share nothing with the frames. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
