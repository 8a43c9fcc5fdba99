/**
 * The spec as JSON Schema (draft-07, the dialect yaml-language-server and most editors read),
 * generated from the zod schema so the two never disagree on shape: the same fields, the
 * same required ones, the same enums, `additionalProperties: false` everywhere.
 *
 * zod cannot express the rules written as code (`superRefine`), so a few of them are
 * restated here as JSON Schema, where that is exact: the refused options (`const: false`,
 * `not: {}`), "exactly one of" objects, the name and host patterns, quantities that YAML may
 * write as numbers. Editors show the descriptions and defaults (read from `DEFAULTS`) on hover.
 * The CLI stays the judge: it checks cross-field rules (collisions, allowed zones) the
 * schema cannot.
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults';
import { CLUSTER_ISSUER_REFUSAL } from '../threats/certificates';
import { DNS_LABEL, HOST_NAME, WILDCARD_NAME } from '../threats/formats';
import {
  MAX_TENANT_NAME_LENGTH, POD_SECURITY_LEVELS, RESERVED_NAMESPACE_PREFIXES, RESERVED_NAMESPACE_SUFFIXES, RESERVED_NAMESPACES,
} from '../threats/namespaces';
import { isQuantity, QUANTITY_PATTERN } from '../threats/quantity';
import { resolveCeilings } from '../threats/resources';
import { isEnforced, Threat } from '../threats/threat';
import { checkAllowCrossNamespace, TRAEFIK_IMAGE_VERSION, TRAEFIK_REPLICAS } from '../threats/traefik';
import { TENANT_CLUSTER_API_NAMESPACE_REFUSAL } from './fleet-rules';
import { specSchema, tenantSchema } from './schema';
import { OWNED_PATHS } from './vcluster-values';

/** A JSON Schema node, as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** Files at the package root that hold the generated schemas (`npm run tenancy -- schema`). */
export const SPEC_SCHEMA_FILE = 'tenancy.schema.json';
export const TENANT_SCHEMA_FILE = 'tenancy.tenant.schema.json';

/** The JSON Schema fragment a threat gives its chart value (the same fragment judges the spec field in editors). */
function valueSchema(threat: Threat): Record<string, unknown> {
  if (!isEnforced(threat.values) || !threat.values[0].schema) throw new Error(`threat \`${threat.id}\` has no values schema`);
  return { ...threat.values[0].schema(resolveCeilings()) };
}

/** JSON Schema of a whole spec (`tenancy.yaml`). */
export function specJsonSchema(): JsonSchema {
  const schema = generate(specSchema);
  const root = {
    $schema: schema.$schema,
    $comment: regenerateComment(SPEC_SCHEMA_FILE, ''),
    title: 'cdk8s-tenancy spec',
    description: 'The platform and its tenants; tenants may also be files of their own under `tenantsDir`. Check a spec with `npm run tenancy -- validate --config FILE`.',
    ...withoutKeys(schema, ['$schema']),
  };
  describe(root, ROOT_DESCRIPTIONS);
  const platform = at(root, 'platform');
  tightenPlatform(platform);
  tightenSettings(at(platform, 'defaults'));
  tightenTenant(at(root, 'tenants', 'items'));
  return root;
}

/** JSON Schema of one tenant file under `tenantsDir` (what `npm run onboard` writes). */
export function tenantJsonSchema(): JsonSchema {
  const schema = generate(tenantSchema);
  const root = {
    $schema: schema.$schema,
    $comment: regenerateComment(TENANT_SCHEMA_FILE, ' --tenant'),
    title: 'cdk8s-tenancy tenant file',
    description: 'One tenant, in a file of its own under the spec\'s `tenantsDir`. It is validated together with the spec that reads it: `npm run tenancy -- validate --config FILE`.',
    ...withoutKeys(schema, ['$schema']),
  };
  tightenTenant(root);
  return root;
}

/** The text committed as a schema file: two-space indented, ending in a newline. */
export function jsonSchemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function regenerateComment(file: string, flag: string): string {
  return `Generated from src/spec/schema.ts; do not edit. Regenerate with \`npm run -s tenancy -- schema${flag} > ${file}\`.`;
}

/** zod → JSON Schema of the input (what a user writes, before defaults and transforms). */
function generate(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    // `clusterIssuer` and `http01` are `z.unknown()`, refused or ignored by code: `{}` here, tightened below.
    unrepresentable: 'any',
    override: (ctx) => {
      if (isQuantitySchema(ctx.zodSchema)) {
        // A number in YAML (`cpu: 2`) is accepted and kept as text; the pattern applies to strings only.
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
        Object.assign(ctx.jsonSchema, {
          type: ['string', 'number'],
          pattern: QUANTITY_PATTERN,
          minimum: 0,
          description: 'A Kubernetes quantity, e.g. `500m`, `2`, `512Mi` or `4Gi`.',
        });
      }
    },
  }) as JsonSchema;
}

/** The spec's `quantity`: a preprocess pipe into a string refined by `isQuantity`. */
function isQuantitySchema(schema: unknown): boolean {
  const def = (schema as { _zod?: { def?: { type?: string; out?: { _zod: { def: { checks?: Array<{ _zod: { def: { fn?: unknown } } }> } } } } } })._zod?.def;
  return def?.type === 'pipe' && (def.out?._zod.def.checks ?? []).some((check) => check._zod.def.fn === isQuantity);
}

function tightenPlatform(platform: JsonSchema): void {
  describe(platform, PLATFORM_DESCRIPTIONS);
  Object.assign(at(platform, 'allowedDomains', 'items'), { pattern: HOST_NAME.source });
  Object.assign(at(platform, 'wildcard', 'dnsNames', 'items'), { pattern: WILDCARD_NAME.source });
  Object.assign(at(platform, 'traefik', 'image'), valueSchema(TRAEFIK_IMAGE_VERSION));
  Object.assign(at(platform, 'routing', 'sharedTraefik', 'replicas'), valueSchema(TRAEFIK_REPLICAS));
  exactlyOne(at(platform, 'wildcard', 'acme', 'dns01'));
  Object.assign(at(platform, 'wildcard', 'acme', 'http01'), {
    description: 'Not used: a wildcard certificate can only be issued through a DNS-01 challenge — set `dns01`.',
  });
}

/** The fields a tenant may set and `platform.defaults` may preset. */
function tightenSettings(settings: JsonSchema): void {
  describe(settings, SETTINGS_DESCRIPTIONS);
  Object.assign(at(settings, 'podSecurity'), { enum: [...POD_SECURITY_LEVELS] });
  Object.assign(at(settings, 'traefik', 'replicas'), valueSchema(TRAEFIK_REPLICAS));
  Object.assign(at(settings, 'traefik', 'allowCrossNamespace'), {
    const: false,
    description: `Only \`false\` is accepted: ${checkAllowCrossNamespace(true)}.`,
  });
  const issuer = at(settings, 'issuer');
  const refused = at(issuer, 'clusterIssuer');
  for (const key of Object.keys(refused)) delete refused[key];
  Object.assign(refused, { not: {}, description: `Refused: ${CLUSTER_ISSUER_REFUSAL}.` });
  exactlyOne(issuer);
  for (const [path, reason] of OWNED_PATHS) {
    const owned = at(settings, 'vcluster', ...path.split('.'));
    for (const key of Object.keys(owned)) delete owned[key];
    Object.assign(owned, { not: {}, description: `Refused: ${reason}.` });
  }
}

function tightenTenant(tenant: JsonSchema): void {
  tightenSettings(tenant);
  describe(tenant, TENANT_DESCRIPTIONS);
  Object.assign(at(tenant, 'name'), {
    pattern: DNS_LABEL.source,
    maxLength: MAX_TENANT_NAME_LENGTH,
    not: {
      anyOf: [
        { enum: [...RESERVED_NAMESPACES] },
        ...RESERVED_NAMESPACE_PREFIXES.map((p) => ({ pattern: `^${p}` })),
        ...RESERVED_NAMESPACE_SUFFIXES.map((x) => ({ pattern: `${x}$` })),
      ],
    },
  });
  const managementNamespace = at(tenant, 'clusterApi', 'namespace');
  for (const key of Object.keys(managementNamespace)) delete managementNamespace[key];
  Object.assign(managementNamespace, { not: {}, description: `Refused: ${TENANT_CLUSTER_API_NAMESPACE_REFUSAL}.` });
  Object.assign(at(tenant, 'domains'), { uniqueItems: true });
  Object.assign(at(tenant, 'domains', 'items'), { pattern: HOST_NAME.source });
  const owners = at(tenant, 'owners');
  owners.anyOf = ['groups', 'users'].map((key) => ({ required: [key], properties: { [key]: { type: 'array', minItems: 1 } } }));
}

/** An object that must set exactly one of its fields (issuer kinds, DNS providers). */
function exactlyOne(node: JsonSchema): void {
  Object.assign(node, { minProperties: 1, maxProperties: 1 });
}

/** The schema of the field at `path` (through `properties`, and `items` for lists); throws when the zod schema moved. */
function at(node: JsonSchema, ...path: string[]): JsonSchema {
  let current = node;
  for (const key of path) {
    const next = key === 'items' ? current.items : (current.properties as Record<string, JsonSchema> | undefined)?.[key];
    if (next === null || typeof next !== 'object') {
      throw new Error(`JSON Schema has no \`${path.join('.')}\`: the zod schema changed, update src/spec/json-schema.ts`);
    }
    current = next as JsonSchema;
  }
  return current;
}

/** Adds descriptions (and defaults) by dotted path; every path must exist. */
function describe(node: JsonSchema, table: Readonly<Record<string, Doc>>): void {
  for (const [path, doc] of Object.entries(table)) {
    const target = at(node, ...path.split('.'));
    const [description, fallback] = typeof doc === 'string' ? [doc, undefined] : doc;
    target.description = description;
    if (fallback !== undefined) target.default = fallback;
  }
}

function withoutKeys(node: JsonSchema, keys: readonly string[]): JsonSchema {
  return Object.fromEntries(Object.entries(node).filter(([k]) => !keys.includes(k)));
}

/** A description, or a description and the built-in default. */
type Doc = string | readonly [string, unknown];

const T = DEFAULTS.tenant;
const P = DEFAULTS.platform;

const ROOT_DESCRIPTIONS: Record<string, Doc> = {
  platform: 'What all tenants share: the platform namespace, the allowed DNS zones, the wildcard certificate, and tenant defaults.',
  clusters: 'A fleet: the member clusters tenants are placed on (the first one unless a tenant names its `cluster`). The output then has a folder per cluster (`clusters/<name>/`) and the management cluster\'s files (`management/`). Without it, every tenant is on one cluster and the output is `platform.yaml` and `tenants/`.',
  'clusters.items.name': 'The cluster\'s name: a DNS-1123 label naming its folder and its GitOps objects (`tenancy-platform-<name>`).',
  'clusters.items.server': 'Argo CD: the API server URL the cluster is registered under. Neither this nor `destinationName`: Argo CD\'s own cluster.',
  'clusters.items.destinationName': 'Argo CD: the name the cluster is registered under (instead of `server`).',
  'clusters.items.kubeConfigSecret': 'Flux: the Secret in Flux\'s namespace holding the cluster\'s kubeconfig (key `value`). None: the cluster Flux runs in.',
  'clusters.items.platform': 'What this cluster has differently from `platform`: its Traefik namespace, its wildcard certificate, its admission engine.',
  tenantsDir: ['Folder (relative to this file) whose `*.yaml` files are one tenant each, read as well as `tenants`.', 'tenants'],
  tenants: 'Tenants written inline; each becomes a namespace with guard rails, its own Traefik and its own Issuer.',
};

const PLATFORM_DESCRIPTIONS: Record<string, Doc> = {
  'traefik.namespace': ['Namespace of every tenant\'s Traefik, the default TLSStore and TLSOption. No tenant may take it.', P.traefikNamespace],
  'traefik.image': ['Traefik image of every tenant\'s Traefik: a v3 that knows every flag passed.', P.traefikImage],
  allowedDomains: 'DNS zones tenants may serve: every tenant domain must equal one of them or lie under it.',
  wildcard: 'The platform wildcard certificate, served by every tenant\'s Traefik as its default (issued over DNS-01).',
  'wildcard.dnsNames': 'Names on the certificate, e.g. `*.apps.example.com`.',
  'wildcard.secretName': ['Secret receiving the certificate, beside the default TLSStore.', P.wildcardSecretName],
  'wildcard.acme.email': 'ACME account e-mail, for expiry notices.',
  'wildcard.acme.server': ['ACME directory (https).', P.acmeServer],
  'wildcard.acme.dns01': 'The DNS provider cert-manager solves DNS-01 with: exactly one of `cloudflare` or `route53`.',
  defaults: 'Values for every tenant that does not set the field itself (any tenant field except `name`, `domains`, `owners`).',
  network: 'The cluster\'s own address ranges: tenants may not ask for egress inside the pod and Service ranges, and their broad egress blocks except them.',
  'network.podCIDRs': 'Pod addresses of the cluster, e.g. `10.244.0.0/16`.',
  'network.serviceCIDRs': 'Service ClusterIP addresses of the cluster, e.g. `10.96.0.0/12`.',
  'network.apiServerCIDRs': 'Addresses of the API server, which the tenants\' Traefiks may reach (on any port); when absent they reach any address on ports 443 and 6443, the metadata and cluster ranges excepted.',
  reservedNamespaces: 'Namespaces (or `*` patterns of them) of the platform\'s own add-ons that no tenant may be named after, beside the built-in list.',
  ca: 'A CA shared by the tenants that opt in (`issuer: { platformCA: {} }`): a ClusterIssuer whose key stays in cert-manager\'s namespace; approver-policy lets each tenant have only its own domains signed. Needs approver-policy, and cert-manager\'s default approver off.',
  'ca.secretName': 'The CA\'s key pair Secret, in cert-manager\'s cluster resource namespace.',
  ceilings: 'The most one tenant may claim (quota, Traefik replicas and resources, domains): tenant files may be edited by tenants, so the platform caps them. Built-in ceilings apply where none is written.',
  priorityClasses: 'The PriorityClasses tenant pods may use (a quota of zero pods holds every other class); the system classes are refused.',
  clusterApi: 'Cluster API, for tenants with a cluster of their own (`isolation: cluster`): the management namespace their `Cluster` lives in, and the ClusterClass, Kubernetes version and workers each gets unless it chooses.',
  'clusterApi.namespace': ['The management namespace (on the management cluster) of every cluster tenant\'s `Cluster` and of the ClusterClass; no tenant may choose it.', P.clusterApi.namespace],
  'clusterApi.clusterClass': 'The ClusterClass a cluster tenant\'s cluster is made from, in the management namespace.',
  'clusterApi.version': 'The Kubernetes version of a cluster tenant\'s cluster, e.g. `v1.33.1`.',
  'clusterApi.workers': ['The worker MachineDeployment: a worker class of the ClusterClass, and its replicas.', P.clusterApi.workers],
  routing: 'How tenants\' traffic reaches them: Traefik IngressRoutes or the Gateway API, one Traefik per tenant or one shared (Gateway API only).',
  'routing.api': ['`ingressroute`: tenants write IngressRoutes and Ingresses. `gateway`: tenants write HTTPRoutes and GRPCRoutes, attached to one Gateway per tenant that the platform owns (needs the Gateway API CRDs v1.5.1).', P.routing.api],
  'routing.traefik': ['`per-tenant`: each tenant has its own Traefik and load balancer. `shared`: one Traefik and one load balancer for all tenants — only with `api: gateway`.', P.routing.traefik],
  'routing.wildcardCertificate': ['Hosts under `platform.wildcard` use its certificate on their Gateway listeners, instead of one ACME certificate each (`api: gateway` only).', P.routing.wildcardCertificate],
  'routing.sharedTraefik': ['The size of the shared Traefik (`traefik: shared` only).', P.sharedTraefik],
  'routing.sharedTraefik.replicas': ['Pods; a PodDisruptionBudget is added when more than one.', P.sharedTraefik.replicas],
  'routing.sharedTraefik.serviceType': ['Service type of the entry points: the one address of every tenant\'s hosts.', P.sharedTraefik.serviceType],
  'routing.sharedTraefik.logLevel': ['Traefik\'s `--log.level`.', P.sharedTraefik.logLevel],
  'routing.sharedTraefik.resources': ['Container requests and limits.', P.sharedTraefik.resources],
  monitoring: 'Where Prometheus runs: every tenant namespace admits it (NetworkPolicy `allow-from-monitoring`), and each Traefik with `metrics` on its metrics port.',
  'monitoring.namespace': 'Prometheus\'s namespace; never a tenant\'s, nor the platform\'s.',
  'monitoring.serviceMonitorLabels': 'Labels of the tenants\' ServiceMonitors, for Prometheus\'s `serviceMonitorSelector` (kube-prometheus-stack selects `release: <its release>`).',
};

const SETTINGS_DESCRIPTIONS: Record<string, Doc> = {
  team: 'Label `tenancy.cdk8s.io/team` on the namespace.',
  environment: 'Label `tenancy.cdk8s.io/environment` on the namespace.',
  secrets: ['What owners may do with Secrets: `read-only` (get, list, watch) or `manage` (also create, update, patch).', T.secrets],
  podSecurity: ['Pod Security level enforced on the namespace (`privileged` is refused: it lets pods take over their node).', T.podSecurity],
  quota: ['ResourceQuota of the namespace; NodePort and LoadBalancer Services are always capped at 0.', T.quota],
  limits: ['LimitRange: container defaults and maximum.', T.limits],
  traefik: 'The tenant\'s own Traefik, in the platform namespace, watching only this tenant.',
  'traefik.replicas': ['Pods; a PodDisruptionBudget is added when more than one.', T.traefik.replicas],
  'traefik.serviceType': ['Service type of the entry points: `LoadBalancer` (one cloud load balancer per tenant), `NodePort` (a port on every node, for clusters without a load balancer; the Service lives in the platform namespace, so this is the platform\'s choice — tenants still cannot create NodePort Services) or `ClusterIP`.', T.traefik.serviceType],
  'traefik.service': 'The Service\'s settings beyond its type; each replaces the one of `platform.defaults` on its own.',
  'traefik.service.annotations': 'Annotations of the Service, e.g. a cloud load balancer\'s settings.',
  'traefik.service.externalTrafficPolicy': '`Local` keeps client addresses (only nodes running a Traefik receive traffic); `Cluster` is Kubernetes\' default. LoadBalancer and NodePort only.',
  'traefik.service.loadBalancerClass': 'The load balancer implementation, e.g. `service.k8s.aws/nlb`. LoadBalancer only.',
  'traefik.service.loadBalancerSourceRanges': 'Client CIDRs the load balancer admits (default: every address). LoadBalancer only.',
  'traefik.service.nodePorts': 'Fixed node ports of the entry points `web` and `websecure` (30000-32767), each claimed by one tenant only (default: allocated). Not in `platform.defaults`.',
  'traefik.spread': ['With more than one replica, prefer one per `node`, or one per `zone` and then per node (never blocking: a replica that cannot be spread still runs).', T.traefik.spread],
  'traefik.nodeSelector': 'Labels of the nodes the Traefik may run on; never the control plane\'s.',
  'traefik.tolerations': 'Taints the Traefik tolerates; never the control plane\'s, nor every taint (`operator: Exists` without a key).',
  'traefik.priorityClassName': 'PriorityClass of the Traefik\'s pods: never a system class, and one of `platform.priorityClasses` when it lists them.',
  'traefik.metrics': ['Prometheus metrics on an entry point `metrics` (port 9100), which only `platform.monitoring.namespace` may reach.', T.traefik.metrics],
  'traefik.serviceMonitor': ['A ServiceMonitor (Prometheus Operator) and a ClusterIP Service for the metrics; needs `metrics`.', T.traefik.serviceMonitor],
  'traefik.accessLog': ['Traefik\'s access log, to standard output.', T.traefik.accessLog],
  'traefik.redirectToHttps': ['Redirect every request on port 80 to HTTPS on port 443 (ACME HTTP-01 challenges follow the redirect).', T.traefik.redirectToHttps],
  'traefik.logLevel': ['Traefik\'s `--log.level`.', T.traefik.logLevel],
  'traefik.resources': ['Container requests and limits.', T.traefik.resources],
  issuer: 'How the tenant\'s certificates are signed: exactly one of `acme`, `ca`, `selfSigned` (a namespaced Issuer, never a ClusterIssuer), or `platformCA` (the platform\'s shared CA, for the tenant\'s domains only).',
  egress: 'Egress allowed beyond the namespace and DNS (default: none).',
  'egress.cidrs': 'Destinations, e.g. `0.0.0.0/0`.',
  'egress.ports': 'TCP ports (default: all).',
  isolation: ['`namespace`: the namespace\'s guard rails, its own Traefik and Issuer. `vcluster`: the same, and a virtual cluster (vCluster, chart `vcluster` 0.36.1) of its own inside them — its own API server, CRDs and cluster-wide objects; its owners become its admins. `cluster`: a Cluster API cluster of its own, in a fleet (needs `clusters`).', T.isolation],
  vcluster: 'Values of the vcluster chart the platform lets a tenant set (in the chart\'s names), merged over the platform\'s: the control plane\'s and CoreDNS\'s resources, its volume, the Kubernetes version, what is synced. Keys the platform sets, and risky values, are refused. Only with `isolation: vcluster`.',
};

const TENANT_DESCRIPTIONS: Record<string, Doc> = {
  name: `The tenant name, which is also its namespace: a DNS-1123 label of at most ${MAX_TENANT_NAME_LENGTH} characters. Renaming it renames every object of the tenant.`,
  domains: 'Hosts the tenant serves, one Certificate each; no wildcards. A host belongs to one tenant only.',
  owners: 'Who administers the tenant (bound to the `tenant-owner` Role): at least one group or user.',
  'owners.groups': 'Groups as your identity provider sends them.',
  'owners.users': 'Users as your identity provider sends them.',
  cluster: 'The fleet\'s cluster the tenant is placed on (one of `clusters`); default: the first. Moving a tenant moves its file to the other cluster\'s folder.',
  clusterApi: 'A cluster tenant\'s own choices over `platform.clusterApi`: its ClusterClass, Kubernetes version, workers (never the management namespace).',
};
