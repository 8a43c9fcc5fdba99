/**
 * Runs the CEL of a ValidatingAdmissionPolicy, of a Kyverno `validate.cel` rule, or of a
 * Gatekeeper ConstraintTemplate (K8sNativeValidation) on an admission request, the way the API
 * server does, for tests:
 * - the request must match `matchConstraints` (resource rules, operations, namespaceSelector);
 * - `variables` are evaluated in order and bound as `variables.<name>`;
 * - each validation must evaluate to `true`; `false` denies with its message (from
 *   `messageExpression` when that evaluates to a string); an evaluation error denies too
 *   (`failurePolicy: Fail`) and is reported as such, so a test can tell a refusal from a bug.
 *
 * CEL is evaluated with `@bufbuild/cel` and its strings extension. Numbers that are whole are
 * passed as CEL `int`, as Kubernetes does for integer fields. Bindings: `object`, `oldObject`,
 * `request`, `namespaceObject`, `variables` (no `params`, no `authorizer`: the policies use neither).
 */

/** The CEL evaluator (`@bufbuild/cel`, a devDependency) with its strings extension. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const celCore = require('@bufbuild/cel');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const celExt = require('@bufbuild/cel/ext');
export const cel: { run: Function; isCelError: (v: unknown) => boolean; strings: unknown[] } = {
  run: celCore.run, isCelError: celCore.isCelError, strings: celExt.strings,
};

export interface AdmissionRequest {
  readonly operation?: 'CREATE' | 'UPDATE';
  /** The object; its apiVersion and kind pick the resource. */
  readonly object: any;
  readonly oldObject?: any;
  /** The Namespace the object is in. */
  readonly namespaceObject: any;
  /** A subresource, e.g. `ephemeralcontainers`. */
  readonly subResource?: string;
}

export interface AdmissionResult {
  /** The request matched the policy (else it is admitted without evaluation). */
  readonly matched: boolean;
  readonly allowed: boolean;
  /** Messages of the validations that failed. */
  readonly denials: string[];
  /** Evaluation errors (a policy bug, or a missing `has()` guard): each also denies. */
  readonly errors: string[];
}

/** Plural resource names of the kinds the tests use. */
const RESOURCES: Record<string, string> = {
  Pod: 'pods', Service: 'services', ReplicationController: 'replicationcontrollers', Deployment: 'deployments', ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs', Ingress: 'ingresses', Certificate: 'certificates',
  CertificateRequest: 'certificaterequests', IngressRoute: 'ingressroutes', IngressRouteTCP: 'ingressroutetcps', ExternalSecret: 'externalsecrets',
  ConfigMap: 'configmaps', Secret: 'secrets', Middleware: 'middlewares', PodDisruptionBudget: 'poddisruptionbudgets',
  HTTPRoute: 'httproutes', GRPCRoute: 'grpcroutes', TLSRoute: 'tlsroutes',
};

/** Evaluates a ValidatingAdmissionPolicy on a request. */
export function admitVap(policy: any, request: AdmissionRequest): AdmissionResult {
  const spec = policy.spec;
  const matched = matchesVap(spec.matchConstraints, request);
  if (!matched) return { matched, allowed: true, denials: [], errors: [] };
  return evaluate(spec.variables ?? [], spec.validations ?? [], request);
}

/** Evaluates the `validate.cel` rule(s) of a Kyverno ClusterPolicy on a request. */
export function admitKyverno(policy: any, request: AdmissionRequest): AdmissionResult {
  const denials: string[] = [];
  const errors: string[] = [];
  let matched = false;
  for (const rule of policy.spec.rules) {
    if (!matchesKyverno(rule.match, request)) continue;
    matched = true;
    const result = evaluate(rule.validate.cel.variables ?? [], rule.validate.cel.expressions ?? [], request);
    denials.push(...result.denials);
    errors.push(...result.errors);
  }
  return { matched, allowed: denials.length === 0 && errors.length === 0, denials, errors };
}

/**
 * Evaluates a Gatekeeper ConstraintTemplate's `K8sNativeValidation` code through its Constraint:
 * the Constraint's `match` (kinds by API group, namespaceSelector) picks the request, then the
 * template's variables and validations run as Gatekeeper runs them (its webhook sends CREATE and
 * UPDATE, subresources included; `namespaceObject` is bound since Gatekeeper 3.22).
 */
export function admitGatekeeper(template: any, constraint: any, request: AdmissionRequest): AdmissionResult {
  if (constraint.kind !== template.spec.crd.spec.names.kind) throw new Error(`Constraint ${constraint.kind} is not of template ${template.metadata.name}`);
  if (!matchesGatekeeper(constraint.spec.match, request)) return { matched: false, allowed: true, denials: [], errors: [] };
  const code = template.spec.targets[0].code.find((c: any) => c.engine === 'K8sNativeValidation');
  return evaluate(code.source.variables ?? [], code.source.validations ?? [], request);
}

function matchesGatekeeper(match: any, request: AdmissionRequest): boolean {
  const group = groupOf(request.object.apiVersion);
  const kindMatches = (match.kinds ?? []).some((k: any) =>
    (k.apiGroups.includes('*') || k.apiGroups.includes(group)) && (k.kinds.includes('*') || k.kinds.includes(request.object.kind)));
  return kindMatches && selects(match.namespaceSelector, request.namespaceObject?.metadata?.labels ?? {});
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function resourceOf(request: AdmissionRequest): string {
  const plural = RESOURCES[request.object.kind];
  if (!plural) throw new Error(`add the plural of ${request.object.kind} to RESOURCES`);
  return request.subResource ? `${plural}/${request.subResource}` : plural;
}

function matchesVap(constraints: any, request: AdmissionRequest): boolean {
  const operation = request.operation ?? 'CREATE';
  const group = groupOf(request.object.apiVersion);
  const resource = resourceOf(request);
  const ruleMatches = (constraints.resourceRules ?? []).some((r: any) =>
    r.apiGroups.some((g: string) => g === '*' || g === group) &&
    r.operations.some((o: string) => o === '*' || o === operation) &&
    r.resources.some((x: string) => x === '*' || x === resource));
  return ruleMatches && selects(constraints.namespaceSelector, request.namespaceObject?.metadata?.labels ?? {});
}

function matchesKyverno(match: any, request: AdmissionRequest): boolean {
  const operation = request.operation ?? 'CREATE';
  const [group, version] = request.object.apiVersion.includes('/') ? request.object.apiVersion.split('/') : ['', request.object.apiVersion];
  const kind = request.subResource ? `${request.object.kind}/${request.subResource}` : request.object.kind;
  return (match.any ?? []).some(({ resources }: any) =>
    (resources.operations ?? ['CREATE', 'UPDATE']).includes(operation) &&
    resources.kinds.some((k: string) => {
      const parts = k.split('/');
      // `Kind`, `Kind/subresource`, `group/version/Kind`, `version/Kind`.
      if (parts.length === 1 || (parts.length === 2 && /^[A-Z]/.test(parts[0]))) return k === kind && group === '';
      const [g, v, K] = parts.length === 3 ? parts : ['', parts[0], parts[1]];
      return g === group && (v === '*' || v === version) && K === kind;
    }) &&
    selects(resources.namespaceSelector, request.namespaceObject?.metadata?.labels ?? {}));
}

/** A label selector (matchLabels and matchExpressions) over `labels`. */
function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
  }
  return true;
}

function evaluate(variables: any[], validations: any[], request: AdmissionRequest): AdmissionResult {
  const bindings: Record<string, unknown> = {
    object: toCel(request.object),
    oldObject: toCel(request.oldObject ?? null),
    namespaceObject: toCel(request.namespaceObject),
    request: toCel({ operation: request.operation ?? 'CREATE', namespace: request.object.metadata?.namespace, name: request.object.metadata?.name }),
  };
  const vars: Record<string, unknown> = {};
  const broken = new Map<string, string>();
  const run = (expression: string) => cel.run(expression, { ...bindings, variables: vars }, { funcs: cel.strings });
  for (const v of variables) {
    const value = run(v.expression);
    if (cel.isCelError(value)) broken.set(v.name, (value as Error).message);
    else vars[v.name] = value;
  }
  const denials: string[] = [];
  const errors: string[] = [];
  for (const v of validations) {
    const uses = [...broken.keys()].find((name) => v.expression.includes(`variables.${name}`));
    if (uses) {
      errors.push(`variable ${uses}: ${broken.get(uses)} (in \`${v.expression}\`)`);
      continue;
    }
    const value = run(v.expression);
    if (cel.isCelError(value)) errors.push(`${(value as Error).message} (in \`${v.expression}\`)`);
    else if (value === false) {
      const text = v.messageExpression ? run(v.messageExpression) : undefined;
      denials.push(typeof text === 'string' ? text : v.message);
    } else if (value !== true) errors.push(`evaluates to ${String(value)}, not a bool (in \`${v.expression}\`)`);
  }
  return { matched: true, allowed: denials.length === 0 && errors.length === 0, denials, errors };
}

/** JSON as Kubernetes gives it to CEL: whole numbers are `int`. */
function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}
