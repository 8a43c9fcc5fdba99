/**
 * Strict schema validation of rendered Kubernetes objects, for tests.
 *
 * It aims to reject what `kubectl apply --validate=strict` would reject:
 * wrong types, missing required fields, bad enum values and formats, and
 * unknown fields anywhere in the object.
 *
 * - Built-in kinds (Deployment, Role, NetworkPolicy, ...) are checked with the
 *   validators that `kubernetes-models` generated from the upstream Kubernetes
 *   OpenAPI spec. Those validators accept unknown fields, and the package ships
 *   them as precompiled code only (no JSON schemas to patch). So we find unknown
 *   fields by watching which properties the validator reads: see
 *   `read-tracking.js`.
 * - Custom resources (cert-manager, Traefik, Kyverno) are checked against the
 *   CRDs in `shared/crds/` (beside this repository), whose
 *   `openAPIV3Schema` we make strict (`closeStructuralSchema`) and compile with
 *   ajv. Their `metadata` is checked as an ObjectMeta, like built-in kinds.
 * - Custom resources whose CRDs are not in `shared/crds/` (external-secrets,
 *   Argo CD, Flux, the Prometheus Operator's ServiceMonitor) are checked with the validators that kubernetes-models'
 *   packages generated from those projects' upstream CRDs, the same way as
 *   built-in kinds: see `CRD_MODEL_PACKAGES` (and why external-secrets.io/v1 is
 *   checked with the v1beta1 schema).
 *
 * Not checked: CEL rules (`x-kubernetes-validations`), list-map key uniqueness,
 * and anything only an admission webhook or controller enforces (e.g. that an
 * Issuer names exactly one of acme/ca/selfSigned/vault/venafi).
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { escapePointer, Problem, SchemaError, validateTracked } from './read-tracking';

/** Where the upstream CRDs live: `shared/` sits beside the repository folder. */
export const CRD_DIR = path.resolve(__dirname, '../../../shared/crds');

/** Checks one (JSON-cloned) object and returns its problems. */
type Check = (obj: any) => Problem[];

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** Validates one rendered Kubernetes object against its upstream schema. Returns human-readable problems ([] when valid). */
export function validateManifest(obj: any): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return ['(root): must be an object with apiVersion and kind'];
  }
  // Validate what would be written to YAML: drops `undefined`, turns class instances into plain data.
  const data = JSON.parse(JSON.stringify(obj));
  const { apiVersion, kind } = data;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['(root): apiVersion and kind must both be strings'];
  }
  const check = checkFor(apiVersion, kind);
  if (!check) return [`(root): no schema for ${apiVersion} ${kind}`];
  return [...check(data), ...nameProblems(data)].map(describe);
}

/** Throws if any object in the list is invalid, listing every problem with kind/namespace/name. */
export function expectValidManifests(objs: any[]): void {
  const report: string[] = [];
  for (const obj of objs) {
    const problems = validateManifest(obj);
    if (problems.length === 0) continue;
    report.push(`${identify(obj)}:`, ...problems.map((p) => `  - ${p}`));
  }
  if (report.length > 0) {
    throw new Error(`Invalid Kubernetes manifests:\n${report.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------
// Finding the check for an apiVersion/kind (compiled once, then cached)
// ---------------------------------------------------------------------------

/** apiVersion + kind -> check; `null` remembers that there is no schema. */
const checks = new Map<string, Check | null>();

function checkFor(apiVersion: string, kind: string): Check | undefined {
  const key = `${apiVersion} ${kind}`;
  if (!checks.has(key)) {
    checks.set(
      key,
      builtInCheck(apiVersion, kind) ?? customResourceCheck(apiVersion, kind) ?? modelPackageCheck(apiVersion, kind)
        ?? gatekeeperConstraintCheck(apiVersion) ?? null,
    );
  }
  return checks.get(key) ?? undefined;
}

/** Rendered objects must be addressable; the schemas leave name optional because of generateName. */
function nameProblems(data: any): Problem[] {
  const name = data.metadata?.name;
  if (typeof name === 'string' && name.length > 0) return [];
  return [{ pointer: '/metadata/name', message: 'is required (a rendered object needs a name)' }];
}

// ---------------------------------------------------------------------------
// Gatekeeper Constraints: their CRD is generated from each ConstraintTemplate
// ---------------------------------------------------------------------------

const LABEL_SELECTOR = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: { type: 'string' }, operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

/**
 * The schema Gatekeeper gives every Constraint kind it generates from a template without
 * parameters: `spec.match` (pkg/mutation/match/match_types.go in open-policy-agent/gatekeeper
 * v3.23), `spec.enforcementAction` and `spec.scopedEnforcementActions`. No CRD file exists for
 * it (Gatekeeper makes one per template), so it is written out here from those fields.
 */
const GATEKEEPER_CONSTRAINT_SCHEMA = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    spec: {
      type: 'object',
      properties: {
        enforcementAction: { type: 'string', enum: ['deny', 'dryrun', 'warn', 'scoped'] },
        scopedEnforcementActions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        match: {
          type: 'object',
          properties: {
            kinds: { type: 'array', items: { type: 'object', properties: { apiGroups: { type: 'array', items: { type: 'string' } }, kinds: { type: 'array', items: { type: 'string' } } } } },
            scope: { type: 'string', enum: ['*', 'Cluster', 'Namespaced'] },
            namespaces: { type: 'array', items: { type: 'string' } },
            excludedNamespaces: { type: 'array', items: { type: 'string' } },
            labelSelector: LABEL_SELECTOR,
            namespaceSelector: LABEL_SELECTOR,
            name: { type: 'string' },
            source: { type: 'string', enum: ['All', 'Generated', 'Original'] },
          },
        },
      },
    },
  },
};

function gatekeeperConstraintCheck(apiVersion: string): Check | undefined {
  if (apiVersion !== 'constraints.gatekeeper.sh/v1beta1') return undefined;
  const validate = ajv().compile(strictRootSchema(GATEKEEPER_CONSTRAINT_SCHEMA));
  return (data) => (validate(data) ? [] : summarize(validate.errors ?? []));
}

// ---------------------------------------------------------------------------
// Built-in kinds: kubernetes-models validators + unknown-field detection
// ---------------------------------------------------------------------------

/** A model class from kubernetes-models, e.g. `Deployment` from `kubernetes-models/apps/v1/Deployment`. */
interface ModelClass {
  apiVersion?: string;
  kind?: string;
  prototype: { validate(): void };
}

/**
 * kubernetes-models lays its classes out as `<apiVersion>/<Kind>`
 * (`v1/Namespace`, `apps/v1/Deployment`, `networking.k8s.io/v1/NetworkPolicy`).
 */
function builtInCheck(apiVersion: string, kind: string): Check | undefined {
  if (!isWellFormedType(apiVersion, kind)) return undefined;
  return modelCheck(`kubernetes-models/${apiVersion}/${kind}`, apiVersion, kind);
}

/** The check of the model class at `modulePath`, if it is the top-level kind `apiVersion`/`kind`. */
function modelCheck(modulePath: string, apiVersion: string, kind: string): Check | undefined {
  const model = loadModel(modulePath, kind);
  // Sub-types such as `v1/PodSpec` are classes too, but without a top-level apiVersion/kind.
  if (!model || model.apiVersion !== apiVersion || model.kind !== kind) return undefined;
  return (data) => validateBuiltIn(model, data);
}

/** Only well-formed names become module paths, so input can never name another file. */
function isWellFormedType(apiVersion: string, kind: string): boolean {
  return /^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind);
}

function loadModel(modulePath: string, exportName: string): ModelClass | undefined {
  try {
    return require(modulePath)[exportName];
  } catch (err: any) {
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw err;
  }
}

/**
 * Runs a kubernetes-models validator on `data`, and also reports unknown fields
 * (see read-tracking.js). `pointerPrefix` places sub-objects (CR metadata) in the output.
 */
function validateBuiltIn(model: ModelClass, data: unknown, pointerPrefix = ''): Problem[] {
  const { errors, unknownFields } = validateTracked(model.prototype.validate, data);
  return [...summarize(errors), ...unknownFields].map((p) => ({ ...p, pointer: pointerPrefix + p.pointer }));
}

// ---------------------------------------------------------------------------
// Custom resources: CRD schemas made strict, compiled with ajv
// ---------------------------------------------------------------------------

interface CrdVersion {
  file: string;
  schema: any;
}

function customResourceCheck(apiVersion: string, kind: string): Check | undefined {
  const crd = crdIndex().get(`${apiVersion} ${kind}`);
  if (!crd) return undefined;
  const validate = ajv().compile(strictRootSchema(crd.schema));
  const objectMeta = objectMetaModel();
  return (data) => {
    const problems = validate(data) ? [] : summarize(validate.errors ?? []);
    if (data.metadata !== undefined) problems.push(...validateBuiltIn(objectMeta, data.metadata, '/metadata'));
    return problems;
  };
}

let crdsByType: Map<string, CrdVersion> | undefined;

/** `group/version kind` -> schema, for every served version of every CRD under CRD_DIR. Read once. */
function crdIndex(): Map<string, CrdVersion> {
  if (crdsByType) return crdsByType;
  crdsByType = new Map();
  for (const file of yamlFilesUnder(CRD_DIR)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions ?? []) {
        if (version.served === false || !version.schema?.openAPIV3Schema) continue;
        const type = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
        crdsByType.set(type, { file, schema: version.schema.openAPIV3Schema });
      }
    }
  }
  return crdsByType;
}

function yamlFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** The CRD schema, strict, with metadata left to the ObjectMeta check. */
function strictRootSchema(schema: any): any {
  const root = closeStructuralSchema(schema);
  root.properties = {
    ...root.properties,
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
  };
  return root;
}

/**
 * Copies a structural (CRD) schema so that ajv enforces what the API server does:
 * - an object schema without `additionalProperties` or
 *   `x-kubernetes-preserve-unknown-fields: true` admits only its `properties`
 *   (the server would prune the rest; strict validation reports it);
 * - `x-kubernetes-int-or-string: true` means integer or string;
 * - `nullable: true` admits null.
 * `allOf`/`anyOf`/`oneOf`/`not` branches are left alone: in a structural
 * schema they only add value checks (e.g. `required`) to fields declared
 * outside them, and closing them would reject those fields.
 */
function closeStructuralSchema(schema: any): any {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = { ...schema };
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf ??= [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([name, sub]) => [name, closeStructuralSchema(sub)]),
    );
  }
  if (out.items) out.items = closeStructuralSchema(out.items);
  if (typeof out.additionalProperties === 'object') {
    out.additionalProperties = closeStructuralSchema(out.additionalProperties);
  } else if (
    out.additionalProperties === undefined &&
    out['x-kubernetes-preserve-unknown-fields'] !== true &&
    (out.type === 'object' || out.properties)
  ) {
    out.additionalProperties = false;
  }
  return out;
}

let sharedAjv: Ajv | undefined;

function ajv(): Ajv {
  // strict: false lets ajv skip the x-kubernetes-* keywords; formats cover int32/int64/byte/date-time.
  // unicodeRegExp: false because CRD patterns are Go regexps, which allow escapes the `u` flag rejects.
  sharedAjv ??= addFormats(new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }));
  return sharedAjv;
}

let objectMeta: ModelClass | undefined;

/** ObjectMeta comes from @kubernetes-models/apimachinery, a dependency of kubernetes-models: resolve it from there. */
function objectMetaModel(): ModelClass {
  if (!objectMeta) {
    const fromKubernetesModels = createRequire(require.resolve('kubernetes-models'));
    objectMeta = fromKubernetesModels('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta').ObjectMeta;
  }
  return objectMeta!;
}

// ---------------------------------------------------------------------------
// Custom resources without a CRD here: kubernetes-models' CRD packages
// ---------------------------------------------------------------------------

/**
 * API group -> the kubernetes-models package generated from that project's
 * upstream CRDs. Laid out like kubernetes-models: `<package>/<apiVersion>/<Kind>`.
 *
 * `checkedAs`: a version checked with the schema of another. The releases of
 * @kubernetes-models/external-secrets that have external-secrets.io/v1 (2.x) need
 * Node 22 (npm ci warns EBADENGINE on Node 20); the last one for Node 20 (0.5.2)
 * has v1beta1. external-secrets 0.16 promoted v1beta1 to v1, keeping the fields
 * the generator writes (the SecretStore's Vault server, path, version and
 * Kubernetes auth: role, mountPath, serviceAccountRef), so a v1 object is checked
 * with the v1beta1 schema under the v1beta1 apiVersion. This is weaker than a v1
 * schema: a field that v1 renamed or dropped would pass, and fields added since
 * 0.5.2 are unknown to it (the generator writes none of them).
 */
/** Per API group: the package of its schemas, and the schema version an API version (or `apiVersion/Kind`) is checked with when the package lacks it. */
const CRD_MODEL_PACKAGES: Record<string, { name: string; checkedAs?: Record<string, string> }> = {
  'argoproj.io': { name: '@kubernetes-models/argo-cd' },
  // The same for the v1 HelmRepository (v1beta2 in the package); the v1 GitRepository is there.
  'source.toolkit.fluxcd.io': { name: '@kubernetes-models/flux-cd', checkedAs: { 'source.toolkit.fluxcd.io/v1/HelmRepository': 'source.toolkit.fluxcd.io/v1beta2' } },
  'kustomize.toolkit.fluxcd.io': { name: '@kubernetes-models/flux-cd' },
  // The package (2.3.4, the last for Node 20) has HelmRelease v2beta2, not v2, whose spec is v2beta2's
  // without its deprecated fields: the v2 HelmRelease is checked with the v2beta2 schema.
  'helm.toolkit.fluxcd.io': { name: '@kubernetes-models/flux-cd', checkedAs: { 'helm.toolkit.fluxcd.io/v2': 'helm.toolkit.fluxcd.io/v2beta2' } },
  'external-secrets.io': { name: '@kubernetes-models/external-secrets', checkedAs: { 'external-secrets.io/v1': 'external-secrets.io/v1beta1' } },
  // No monitoring.coreos.com CRD in shared/crds: 4.4.4 is the last release for Node 20 (and kubernetes-models' base 5).
  'monitoring.coreos.com': { name: '@kubernetes-models/prometheus-operator' },
};

function modelPackageCheck(apiVersion: string, kind: string): Check | undefined {
  const modelPackage = CRD_MODEL_PACKAGES[apiVersion.split('/')[0]];
  if (!modelPackage || !isWellFormedType(apiVersion, kind)) return undefined;
  const schemaVersion = modelPackage.checkedAs?.[`${apiVersion}/${kind}`] ?? modelPackage.checkedAs?.[apiVersion];
  if (schemaVersion === undefined) return modelCheck(`${modelPackage.name}/${apiVersion}/${kind}`, apiVersion, kind);
  const check = modelCheck(`${modelPackage.name}/${schemaVersion}/${kind}`, schemaVersion, kind);
  return check && ((data) => check({ ...data, apiVersion: schemaVersion }));
}

// ---------------------------------------------------------------------------
// Turning schema errors into sentences
// ---------------------------------------------------------------------------

/**
 * One problem per schema error, except that a failed `anyOf`/`oneOf` (int-or-string,
 * Quantity, Kyverno's "exactly one of") becomes one problem instead of one per branch.
 */
function summarize(errors: SchemaError[]): Problem[] {
  const failedChoices = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const isBranchOf = (e: SchemaError, choice: SchemaError) =>
    e !== choice &&
    e.instancePath === choice.instancePath &&
    // ajv marks branch errors by schema path; kubernetes-models' shared sub-validators only say #/type or #/format.
    (e.schemaPath.includes(`/${choice.keyword}/`) || e.keyword === 'type' || e.keyword === 'format');

  const problems: Problem[] = [];
  for (const error of errors) {
    if (failedChoices.some((choice) => isBranchOf(error, choice))) continue;
    const branches = failedChoices.includes(error) ? errors.filter((e) => isBranchOf(e, error)) : [];
    problems.push({ pointer: pointerOf(error), message: branches.length ? choiceMessage(branches) : messageOf(error) });
  }
  return problems;
}

function choiceMessage(branches: SchemaError[]): string {
  if (branches.every((b) => b.keyword === 'type')) {
    return `must be ${branches.map((b) => b.params.type).join(' or ')}`;
  }
  return `must satisfy one of: ${[...new Set(branches.map(messageOf))].join('; ')}`;
}

/** Where the error is: unknown and missing fields point at the field itself. */
function pointerOf(error: SchemaError): string {
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${escapePointer(error.params.additionalProperty)}`;
  }
  return error.instancePath;
}

function messageOf(error: SchemaError): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'unknown field';
    case 'required':
      return `must have required field "${error.params.missingProperty}"`;
    case 'enum':
      return `must be one of ${error.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${error.params.type}`;
    default:
      return error.message ?? `fails ${error.keyword} ${JSON.stringify(error.params)}`;
  }
}

/** "/spec/containers/0/image" -> "spec.containers[0].image: must be string" */
function describe({ pointer, message }: Problem): string {
  return `${fieldPath(pointer)}: ${message}`;
}

function fieldPath(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
}

function identify(obj: any): string {
  const meta = obj?.metadata ?? {};
  const where = meta.namespace ? `${meta.namespace}/` : '';
  return `${obj?.kind ?? '(no kind)'} ${where}${meta.name ?? '(no name)'}`;
}
