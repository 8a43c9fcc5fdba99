/**
 * Helm charts of the rendered objects (`synth --format helm`): one chart per tenant and one
 * for the platform. With its default values, every chart renders to exactly the objects of
 * the YAML output, in the same order; the values an operator may change at install time
 * (the tenant's Traefik image, replicas, resources, scheduling, flags and Service settings, see
 * helm-values.ts) are wired into the Traefik's Deployment and Service (helm-templates.ts), and
 * nothing that isolates tenants is a value.
 *
 * Pure: groups in, files out (chart folders, and their archives unless asked not to). The
 * archives are byte-identical for the same input.
 */
import * as fs from 'fs';
import * as path from 'path';
import Handlebars from 'handlebars';
import { Header, PackSync, ReadEntry } from 'tar';
import { gzipSync } from 'zlib';
import { admissionEngine } from '../admission/engines';
import { admissionPolicies } from '../admission/policies';
import { DEFAULTS } from '../defaults';
import { PlatformModel, TenancyModel, TenantModel } from '../model/tenancy-model';
import {
  certificateSecretName, CHART_VIRTUAL_CLUSTER_VALUES_FILE, listenerNames, PLATFORM_CHART, PLATFORM_NAMES, RELEASE_ANNOTATION, tenantChartName, tenantNames, tenantReleaseName,
  virtualClusterNames,
} from '../model/names';
import { resolveCeilings } from '../threats/resources';
import { TRAEFIK_SERVICE_TYPES } from '../threats/service-settings';
import { deploymentTemplate, escapeForHelm, serviceTemplate } from './helm-templates';
import { tenantValuesSchema, tenantValuesYaml, TENANT_VALUES, traefikValuesOf, VALUE_RULES, valuesSchema } from './helm-values';
import { KubeObject, ObjectGroup } from './render';
import { renderRoutingGuide, routingGuideContext, wildcardSecretLabel } from './routing-guide';
import { DEFAULT_TEMPLATES_DIR, yamlQuote } from './tenant-file';
import { FileSink } from './write';
import { toYamlDocuments } from './yaml';

export { escapeForHelm } from './helm-templates';
export { TENANT_VALUES } from './helm-values';

/** Content of an output file: text, or bytes for an archive. */
export type FileContent = string | Buffer;

export interface HelmOptions {
  /** Version of every chart, a strict SemVer 2 version such as `0.1.0`. */
  readonly chartVersion: string;
  /** Version of cdk8s-tenancy writing the charts: their `appVersion` and `generated-by` annotation. */
  readonly generatorVersion: string;
  /** The command that writes the charts again, for their annotations and README. */
  readonly regenerate: string;
  /** Writes `<chart>-<version>.tgz` beside each chart folder. @default true */
  readonly package?: boolean;
  /**
   * Names each tenant chart's Helm release in its Chart.yaml (`tenancy.cdk8s.io/release`), for a
   * fleet's ApplicationSet, which reads it. @default false
   */
  readonly releaseAnnotation?: boolean;
}

/** One chart: its name (also its folder) and its files, relative to that folder. */
export interface HelmChart {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
}

/** Kubernetes versions the charts accept: Pod Security admission labels need 1.25 (an admission engine may need more). */
export const KUBE_VERSION = '>=1.25.0-0';

/** Strict SemVer 2 (semver.org), as Helm requires of a chart version. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function isStrictSemver(version: string): boolean {
  return SEMVER.test(version);
}

/** File name of a packaged chart, as `helm package` names it. */
export function archiveName(chart: string, version: string): string {
  return `${chart}-${version}.tgz`;
}

/** Every chart, then (unless `package` is false) every archive, keyed by path relative to the output folder. */
export function toHelmFiles(groups: Iterable<ObjectGroup>, model: TenancyModel, options: HelmOptions): Map<string, FileContent> {
  const filesOf = helmFilesOf(model, options);
  const files = new Map<string, FileContent>();
  for (const group of groups) for (const [rel, content] of filesOf(group)) files.set(rel, content);
  return files;
}

/**
 * The files of one group's chart: its folder's files, then (unless `package` is false) its
 * archive, keyed by path relative to the output folder. For writing chart by chart.
 */
export function helmFilesOf(model: TenancyModel, options: HelmOptions): (group: ObjectGroup) => Map<string, FileContent> {
  const chartOf = chartMaker(model, options);
  return (group) => {
    const chart = chartOf(group);
    const files = new Map<string, FileContent>();
    for (const [rel, text] of chart.files) files.set(`${chart.name}/${rel}`, text);
    if (options.package ?? true) files.set(archiveName(chart.name, options.chartVersion), packageChart(chart.name, chart.files));
    return files;
  };
}

/**
 * Writes each group's chart to a sink: its folder's files, then (unless `package` is false) its
 * archive, packed where the sink writes (in its writer thread, when it has one).
 */
export function helmWriter(model: TenancyModel, options: HelmOptions): (group: ObjectGroup, sink: FileSink) => void {
  const chartOf = chartMaker(model, options);
  return (group, sink) => {
    const chart = chartOf(group);
    for (const [rel, text] of chart.files) sink.write(`${chart.name}/${rel}`, text);
    if (options.package ?? true) {
      sink.writeLater(archiveName(chart.name, options.chartVersion), { module: __filename, fn: 'packageChart', args: [chart.name, chart.files] }, () => packageChart(chart.name, chart.files));
    }
  };
}

/** One chart per group: `tenancy-platform` for the platform, `tenant-<name>` for each tenant. */
export function toCharts(groups: Iterable<ObjectGroup>, model: TenancyModel, options: HelmOptions): HelmChart[] {
  const chartOf = chartMaker(model, options);
  return [...groups].map(chartOf);
}

function chartMaker(model: TenancyModel, options: HelmOptions): (group: ObjectGroup) => HelmChart {
  if (!isStrictSemver(options.chartVersion)) throw new Error(`chart version \`${options.chartVersion}\` is not a strict SemVer 2 version`);
  const tenants = new Map(model.tenants.map((t) => [t.name, t]));
  return (group) => {
    if (group.tenant === undefined) return platformChart(group, model, options);
    const tenant = tenants.get(group.tenant);
    if (!tenant) throw new Error(`no tenant \`${group.tenant}\` in the model for ${group.file}`);
    return tenantChart(group, tenant, model, options);
  };
}

// ---------------------------------------------------------------------------------------
// Tenant and platform charts

function tenantChart(group: ObjectGroup, tenant: TenantModel, model: TenancyModel, options: HelmOptions): HelmChart {
  const name = tenantChartName(tenant.name);
  const names = tenantNames(tenant.name);
  const platformNamespace = model.platform.namespace;
  const routing = model.platform.routing ?? {};
  // A tenant on the shared Traefik has no Traefik of its own, so its chart has no values.
  if (routing.traefik === 'shared') return sharedTraefikTenantChart(group, tenant, model, options);
  const isTraefik = (o: KubeObject, kind: string) => o.kind === kind && o.metadata.name === names.traefik && o.metadata.namespace === platformNamespace;
  const deployment = group.objects.find((o) => isTraefik(o, 'Deployment'));
  if (!deployment) throw new Error(`${group.file} holds no Deployment ${platformNamespace}/${names.traefik}`);
  const values = traefikValuesOf(deployment, tenant);
  const ceilings = resolveCeilings(model.platform.ceilings);

  const documents = toYamlDocuments(group.objects);
  const templates = group.objects.map((object, i) => {
    // The values the schema cannot judge are judged by the catalogue's template guards, with its words.
    if (object === deployment) return { object, text: deploymentTemplate(object, VALUE_RULES.map((rule) => rule.template?.(ceilings) ?? '').join('')) };
    if (isTraefik(object, 'Service')) return { object, text: serviceTemplate(object) };
    const text = escapeForHelm(documents[i]);
    // One pod needs no disruption budget; more keep the one the spec's replicas brought.
    if (isTraefik(object, 'PodDisruptionBudget')) return { object, text: `{{- if gt (int .Values.traefik.replicas) 1 }}\n${text}{{- end }}\n` };
    return { object, text };
  });

  const description = `Tenant ${tenant.name}: its namespace and guard rails, its own Traefik, ${routing.api === 'gateway' ? 'its Gateway, ' : ''}its cert-manager Issuer and Certificates.`;
  // How to route, for the Service type the values choose at install (Helm's syntax: outside helmLiteral).
  const routingGuide = serviceTypeSwitch((type) => renderRoutingGuide(helmLiteral(routingGuideContext(tenant, model.platform, type))));
  const notes = hbs().tenantNotes({ routing: routingGuide, ...helmLiteral({ ...tenantNotesContext(group, tenant, model, names.traefik), sharedTraefik: false }) });
  const defaultOf = (key: string) => {
    const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], { traefik: values });
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  };
  const files = chartFolder(name, description, withRelease(options, tenant), templates, notes, {
    values: tenantValuesYaml(values),
    schema: tenantValuesSchema(name, ceilings, { priorityClasses: model.platform.priorityClasses }),
    readme: readme(name, tenantReleaseName(tenant.name), description, options, model.platform, tenant, TENANT_VALUES.map((v) => ({ ...v, default: defaultOf(v.key) }))),
    kubeVersion: KUBE_VERSION,
  });
  // Not a template: the virtual cluster's values for `vcluster create --values`, travelling with the chart.
  if (group.vclusterValues !== undefined) files.set(CHART_VIRTUAL_CLUSTER_VALUES_FILE, group.vclusterValues);
  return { name, files };
}

/** The chart of a tenant on the platform's shared Traefik: its objects as they are, no values. */
function sharedTraefikTenantChart(group: ObjectGroup, tenant: TenantModel, model: TenancyModel, options: HelmOptions): HelmChart {
  const name = tenantChartName(tenant.name);
  const description = `Tenant ${tenant.name}: its namespace and guard rails, its Gateway on the shared Traefik, its cert-manager Issuer and Certificates.`;
  const notes = hbs().tenantNotes({
    routing: renderRoutingGuide(helmLiteral(routingGuideContext(tenant, model.platform))),
    ...helmLiteral({ ...tenantNotesContext(group, tenant, model, PLATFORM_NAMES.sharedTraefik), sharedTraefik: true }),
  });
  const documents = toYamlDocuments(group.objects);
  const templates = group.objects.map((object, i) => ({ object, text: escapeForHelm(documents[i]) }));
  return {
    name,
    files: chartFolder(name, description, withRelease(options, tenant), templates, notes, {
      values: '# This tenant shares the platform\'s Traefik: its chart has no values; everything in it comes from the tenancy spec.\n{}\n',
      schema: valuesSchema(name, {}, []),
      readme: readme(name, tenantReleaseName(tenant.name), description, options, model.platform, tenant, []),
      kubeVersion: KUBE_VERSION,
    }),
  };
}

/** The options of a tenant's chart: with `releaseAnnotation`, its Chart.yaml names its release. */
function withRelease(options: HelmOptions, tenant: TenantModel): HelmOptions & { release?: string } {
  return options.releaseAnnotation ? { ...options, release: tenantReleaseName(tenant.name) } : options;
}

/** The object of `kind` named `name` in `namespace` of a group. */
function findIn(group: ObjectGroup, kind: string, name: string, namespace: string): any {
  return group.objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
}

/** What a tenant chart's NOTES.txt says of the tenant (beside its routing guide), read from its rendered objects; `traefik` is the Traefik that routes to it. */
function tenantNotesContext(group: ObjectGroup, tenant: TenantModel, model: TenancyModel, traefik: string) {
  const names = tenantNames(tenant.name);
  const platformNamespace = model.platform.namespace;
  const issuerObject: KubeObject | undefined = findIn(group, 'Issuer', names.issuer, names.namespace);
  const gateway = findIn(group, 'Gateway', names.gateway, platformNamespace);
  const domains = tenant.domains.map((d) => ({ name: d, secretName: listenerSecret(gateway, d) ?? certificateSecretName(d) }));
  return {
    chart: tenantChartName(tenant.name),
    tenant: tenant.name,
    namespace: names.namespace,
    podSecurity: (group.objects.find((o) => o.kind === 'Namespace') as any).metadata.labels['pod-security.kubernetes.io/enforce'],
    owners: [...tenant.owners.groups.map((g) => `group \`${g}\``), ...tenant.owners.users.map((u) => `user \`${u}\``)].join(', '),
    ownerRole: names.ownerRole,
    traefik,
    platformNamespace,
    ingressClass: names.ingressClass,
    gateway: gateway ? { name: gateway.metadata.name, className: gateway.spec.gatewayClassName } : null,
    issuer: issuerObject ? names.issuer : `${PLATFORM_NAMES.caIssuer} (the platform CA's ClusterIssuer)`,
    issuerKind: issuerKind(issuerObject),
    domains,
    secretStore: secretStoreNotes(group.objects.find((o) => o.kind === 'SecretStore')),
    issuerRefKind: issuerObject ? 'Issuer' : 'ClusterIssuer',
    virtualCluster: tenant.isolation === 'vcluster' ? virtualClusterNotes(tenant.name, group.objects) : null,
  };
}

/** The Secret a Gateway's HTTPS listener for `domain` serves, as `namespace/name`; undefined without a Gateway. */
function listenerSecret(gateway: any, domain: string): string | undefined {
  const listener = gateway?.spec.listeners.find((l: any) => l.name === listenerNames(domain).https);
  const ref = listener?.tls.certificateRefs[0];
  if (!ref) return undefined;
  return ref.namespace === undefined ? wildcardSecretLabel(ref.name, gateway.metadata.namespace) : ref.name;
}

function platformChart(group: ObjectGroup, model: TenancyModel, options: HelmOptions): HelmChart {
  const p = model.platform;
  const engine = admissionEngine(p.admission ?? DEFAULTS.platform.admission);
  const tlsOption = group.objects.find((o) => o.kind === 'TLSOption') as any;
  const description = `The platform all tenants share: the ${p.namespace} namespace, the default TLSOption` +
    `${p.wildcard ? ' and the wildcard certificate on the default TLSStore' : ''}.`;
  const notes = hbs().platformNotes(helmLiteral({
    chart: PLATFORM_CHART,
    version: options.chartVersion,
    namespace: p.namespace,
    tlsMinVersion: String(tlsOption.spec.minVersion).replace(/^VersionTLS1(\d)$/, '1.$1'),
    wildcard: p.wildcard
      ? {
        dnsNames: p.wildcard.dnsNames.join(', '),
        secretName: p.wildcard.secretName ?? DEFAULTS.platform.wildcardSecretName,
        issuer: PLATFORM_NAMES.wildcardIssuer,
        provider: p.wildcard.acme.dns01.cloudflare ? 'Cloudflare' : 'Route 53',
        route53: p.wildcard.acme.dns01.route53 !== undefined,
        syncTo: p.wildcard.syncTo ? { via: p.wildcard.syncTo.via, namespaces: p.wildcard.syncTo.namespaces.join(', ') } : null,
      }
      : null,
    admission: engine
      ? { kind: engine.objects, names: admissionPolicies({ externalSecrets: p.externalSecrets !== undefined, gateway: p.routing?.api === 'gateway' }).map((r) => r.name).join(', ') }
      : null,
    sharedTraefik: p.routing?.traefik === 'shared'
      ? { name: PLATFORM_NAMES.sharedTraefik, gatewayClass: PLATFORM_NAMES.sharedGatewayClass, serviceType: p.routing.sharedTraefik?.serviceType ?? DEFAULTS.platform.sharedTraefik.serviceType }
      : null,
  }));
  const documents = toYamlDocuments(group.objects);
  const templates = group.objects.map((object, i) => ({ object, text: escapeForHelm(documents[i]) }));
  return {
    name: PLATFORM_CHART,
    files: chartFolder(PLATFORM_CHART, description, options, templates, notes, {
      values: '# The platform chart has no values: everything in it comes from the tenancy spec.\n{}\n',
      schema: valuesSchema(PLATFORM_CHART, {}, []),
      readme: readme(PLATFORM_CHART, PLATFORM_CHART, description, options, p, undefined, []),
      kubeVersion: engine?.kubeVersion ?? KUBE_VERSION,
    }),
  };
}

/** The files of one chart folder; templates are numbered so that Helm's sorted order is the objects' order. */
function chartFolder(
  name: string,
  description: string,
  options: HelmOptions & { release?: string },
  templates: ReadonlyArray<{ object: KubeObject; text: string }>,
  notes: string,
  rest: { values: string; schema: string; readme: string; kubeVersion: string },
): Map<string, string> {
  const width = Math.max(2, String(templates.length - 1).length);
  const files = new Map<string, string>();
  files.set('Chart.yaml', chartYaml(name, description, options, rest.kubeVersion));
  files.set('values.yaml', rest.values);
  files.set('values.schema.json', rest.schema);
  files.set('README.md', rest.readme);
  files.set('.helmignore', HELMIGNORE);
  files.set('templates/NOTES.txt', notes);
  // Object names are DNS subdomains, safe in a file name; the number keeps two objects of
  // one kind and name (in two namespaces) apart.
  templates.forEach(({ object, text }, i) => {
    files.set(`templates/${String(i).padStart(width, '0')}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`, text);
  });
  return files;
}

function chartYaml(name: string, description: string, options: HelmOptions & { release?: string }, kubeVersion: string): string {
  const q = yamlQuote; // double-quoted, with what YAML 1.1 would read as a line break or refuse escaped
  return [
    'apiVersion: v2',
    `name: ${name}`,
    `description: ${q(description)}`,
    'type: application',
    `version: ${q(options.chartVersion)}`,
    `appVersion: ${q(options.generatorVersion)}`,
    `kubeVersion: ${q(kubeVersion)}`,
    'keywords:',
    '  - multi-tenancy',
    '  - traefik',
    '  - cert-manager',
    'annotations:',
    `  tenancy.cdk8s.io/generated-by: ${q(`cdk8s-tenancy ${options.generatorVersion}`)}`,
    `  tenancy.cdk8s.io/regenerate: ${q(`Do not edit: change the spec and run \`${options.regenerate}\``)}`,
    ...(options.release === undefined ? [] : [`  ${RELEASE_ANNOTATION}: ${q(options.release)}`]),
    '',
  ].join('\n');
}

const HELMIGNORE = `# Generated by cdk8s-tenancy: files helm package leaves out.
.DS_Store
.git/
.gitignore
*.swp
*.bak
*.tmp
*.orig
*~
.idea/
.vscode/
`;

/**
 * The routing guide for each Service type, chosen by Helm at install: `render` gives the text for
 * one type, and Helm prints the one of `.Values.traefik.serviceType`.
 */
function serviceTypeSwitch(render: (serviceType: string) => string): string {
  const [first, ...rest] = TRAEFIK_SERVICE_TYPES;
  const last = rest.pop()!;
  return `{{ if eq .Values.traefik.serviceType "${first}" }}${render(first)}`
    + rest.map((type) => `{{ else if eq .Values.traefik.serviceType "${type}" }}${render(type)}`).join('')
    + `{{ else }}${render(last)}{{ end }}`;
}

// ---------------------------------------------------------------------------------------
// Handlebars: NOTES.txt and README.md, from templates/ of this repository, compiled once.

type Template = (context: unknown) => string;
let compiled: { tenantNotes: Template; platformNotes: Template; readme: Template } | undefined;

/** Folder of the Handlebars templates, beside src/ (and lib/ once built). */

function hbs(): NonNullable<typeof compiled> {
  if (!compiled) {
    const compile = (file: string): Template =>
      Handlebars.compile(fs.readFileSync(path.join(DEFAULT_TEMPLATES_DIR, file), 'utf8'), { strict: true, noEscape: true });
    compiled = {
      tenantNotes: compile('tenant-NOTES.txt.hbs'),
      platformNotes: compile('platform-NOTES.txt.hbs'),
      readme: compile('chart-README.md.hbs'),
    };
  }
  return compiled;
}

/** A Handlebars context for text Helm renders: every string in it with `{{` escaped. */
function helmLiteral<T>(value: T): T {
  if (typeof value === 'string') return escapeForHelm(value) as T;
  if (Array.isArray(value)) return value.map(helmLiteral) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, helmLiteral(v)])) as T;
  }
  return value;
}

function readme(
  chart: string,
  release: string,
  description: string,
  options: HelmOptions,
  platform: PlatformModel,
  tenant: TenantModel | undefined,
  values: ReadonlyArray<{ key: string; description: string; default: string | undefined }>,
): string {
  return hbs().readme({
    chart,
    release,
    description,
    generatorVersion: options.generatorVersion,
    regenerate: options.regenerate,
    version: options.chartVersion,
    tenant: tenant !== undefined,
    platformChart: PLATFORM_CHART,
    platformNamespace: platform.namespace,
    requirements: clusterRequirements(platform, tenant),
    hasValues: values.length > 0,
    values,
  });
}

/** What must run in the cluster before a chart (a tenant's, or the platform's) installs, as one phrase. */
function clusterRequirements(platform: PlatformModel, tenantModel: TenantModel | undefined): string {
  const tenant = tenantModel !== undefined;
  const needs = ['cert-manager', 'the Traefik v3 CRDs'];
  if (platform.routing?.api === 'gateway') needs.push('the Gateway API CRDs v1.5.1 (Standard channel)', 'cert-manager\'s Gateway API support (`--enable-gateway-api`)');
  if (tenantModel?.traefik.serviceMonitor) needs.push('the Prometheus Operator CRDs (monitoring.coreos.com/v1)');
  // Tenant charts hold the SecretStores; Kyverno refuses the platform's ExternalSecret policy without the CRDs.
  const mode = platform.admission ?? DEFAULTS.platform.admission;
  const engine = admissionEngine(mode);
  if (platform.externalSecrets && (tenant || (engine && mode !== 'native'))) needs.push('the External Secrets Operator (external-secrets.io/v1)');
  if (!tenant && engine) needs.push(engine.requirement);
  if (!tenant && platform.wildcard?.syncTo) needs.push(platform.wildcard.syncTo.via);
  if (platform.gitops && 'argocd' in platform.gitops) needs.push('Argo CD (each chart holds its Application)');
  return `${needs.slice(0, -1).join(', ')} and ${needs[needs.length - 1]}`;
}

/** What NOTES.txt says of the tenant's SecretStore, read from the rendered object; null without one. */
function secretStoreNotes(store: KubeObject | undefined) {
  if (!store) return null;
  const vault = (store.spec as any).provider.vault;
  return { name: store.metadata.name, server: vault.server, role: vault.auth.kubernetes.role, path: vault.path };
}

/** What NOTES.txt says of the tenant's virtual cluster: its release, kubeconfig Secret, chart, and what installs it. */
function virtualClusterNotes(tenant: string, objects: readonly KubeObject[]) {
  const names = virtualClusterNames(tenant);
  const installer = objects.find((o) => o.metadata.name === names.delivery && (o.kind === 'Application' || o.kind === 'HelmRelease'));
  return {
    release: names.release,
    kubeconfigSecret: names.kubeconfigSecret,
    version: DEFAULTS.vcluster.version,
    delivery: installer ? `installed by the ${installer.kind} ${installer.metadata.namespace}/${installer.metadata.name}` : 'install it with `vcluster create --values vcluster.yaml` from this chart\'s folder',
  };
}

/** What signs the tenant's certificates, read from its rendered Issuer (none: the platform CA). */
function issuerKind(issuer: KubeObject | undefined): string {
  if (!issuer) return 'the platform CA, for this tenant\'s domains only (approver-policy)';
  const spec = issuer.spec as { acme?: { server: string }; ca?: { secretName: string } };
  if (spec.acme) return `ACME, ${spec.acme.server}`;
  if (spec.ca) return `CA, key pair in Secret ${spec.ca.secretName}`;
  return 'self-signed';
}

// ---------------------------------------------------------------------------------------
// Packaging

/** Fixed modification time of every archive entry, so equal charts make equal archives. */
const ARCHIVE_MTIME = new Date(0);

/**
 * The chart as Helm packages it: a gzip'd tar of regular files under one folder named after
 * the chart. Deterministic: entries sorted, mode 0644, fixed mtime, no owner names or ids
 * (`portable`), and a gzip header with mtime 0 and the OS byte set to "unknown" (255), as
 * tar's own portable gzip writes it. Compressed in one call at level 6, the default of the
 * Go gzip that `helm package` uses: a zlib stream per chart costs a third more at scale.
 */
export function packageChart(chart: string, files: ReadonlyMap<string, FileContent>): Buffer {
  const pack = new PackSync({ portable: true, mtime: ARCHIVE_MTIME });
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  for (const rel of [...files.keys()].sort()) {
    const data = Buffer.from(files.get(rel)!);
    const entry = new ReadEntry(new Header({ path: `${chart}/${rel}`, type: 'File', mode: 0o644, size: data.length, mtime: ARCHIVE_MTIME }));
    pack.add(entry);
    entry.end(data);
  }
  pack.end();
  const archive = gzipSync(Buffer.concat(chunks), { level: 6 });
  archive[GZIP_OS_BYTE] = 255;
  return archive;
}

/** Offset of the OS byte in a gzip header (RFC 1952); Node writes the build platform's code there. */
const GZIP_OS_BYTE = 9;
