/**
 * What the vcluster chart (0.36.1, in ../shared) creates when installed with the values the spec
 * generates, rendered by ../shared/tools/chart-render as `helm template` would (values checked
 * against the chart's values.schema.json as `helm install -f` checks them): the pods pass the
 * tenant namespace's Pod Security level, nothing lands outside the tenant's namespace but a
 * ClusterRole that reads CRDs, and the containers fit the tenant's LimitRange.
 */
import * as fs from 'fs';
import { parse } from 'yaml';
import { tenantJsonSchema } from '../../src/spec/json-schema';
import { runChecks } from '../../src/threats';
import { compareQuantities } from '../../src/threats/quantity';
import { podSpecOf, violations } from '../support/pod-security';
import { renderVcluster, valuesFileOf, vclusterSpec, VCLUSTER_CHART } from './helpers';

const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding']);
const rendered = renderVcluster(valuesFileOf(vclusterSpec()));
const podsOf = (objects: any[]) => objects.filter((o) => podSpecOf(o) !== undefined);

describe('the chart rendered with the generated values', () => {
  test('the values pass the chart\'s values.schema.json, and the chart lints and renders', () => {
    expect({ status: rendered.status, stderr: rendered.stderr }).toEqual({ status: 0, stderr: '' });
    expect(rendered.objects.map((o) => o.kind).sort()).toEqual([
      'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Secret', 'Service', 'Service', 'ServiceAccount', 'ServiceAccount', 'StatefulSet',
    ]);
  });

  test('every namespaced object is in the tenant\'s namespace', () => {
    const elsewhere = rendered.objects.filter((o) => !CLUSTER_SCOPED.has(o.kind) && o.metadata.namespace !== 'labs');
    expect(elsewhere.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
  });

  test('its only cluster-wide right is reading CustomResourceDefinitions (to sync Certificates), bound to the control plane alone', () => {
    const role = rendered.objects.find((o) => o.kind === 'ClusterRole');
    expect(role.rules).toEqual([{ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] }]);
    const binding = rendered.objects.find((o) => o.kind === 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'vc-labs', namespace: 'labs' }]);
    expect(binding.roleRef).toEqual({ kind: 'ClusterRole', name: role.metadata.name, apiGroup: 'rbac.authorization.k8s.io' });
  });

  test('its Role writes in the namespace what is synced (Certificates included), and never RBAC', () => {
    const role = rendered.objects.find((o) => o.kind === 'Role');
    expect(role.metadata.namespace).toBe('labs');
    const groups = new Set(role.rules.flatMap((r: any) => r.apiGroups));
    expect(groups.has('rbac.authorization.k8s.io')).toBe(false);
    expect(role.rules).toContainEqual({ resources: ['certificates'], apiGroups: ['cert-manager.io'], verbs: ['create', 'delete', 'patch', 'update', 'get', 'list', 'watch'] });
    expect(role.rules).toContainEqual({ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['create', 'delete', 'patch', 'update', 'get', 'list', 'watch'] });
    expect(role.rules.some((r: any) => r.resources.includes('networkpolicies'))).toBe(false);
  });

  test('its pods pass Pod Security `restricted`, the tenant\'s level (and so `baseline`)', () => {
    const pods = podsOf(rendered.objects);
    expect(pods.map((o) => o.kind)).toEqual(['StatefulSet']);
    for (const o of pods) {
      expect(violations(podSpecOf(o), 'restricted')).toEqual([]);
      expect(violations(podSpecOf(o), 'baseline')).toEqual([]);
    }
  });

  test('the control plane runs as a non-root user, never 0', () => {
    const spec = podSpecOf(podsOf(rendered.objects)[0]);
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect({ name: c.name, user: c.securityContext.runAsUser, nonRoot: c.securityContext.runAsNonRoot }).toEqual({ name: c.name, user: 12345, nonRoot: true });
    }
    expect(spec.securityContext.fsGroup).toBe(12345);
  });

  test('the chart\'s own defaults would not pass: it runs the control plane as root (what the check above would catch)', () => {
    const defaults = renderVcluster(undefined);
    expect(defaults.status).toBe(0);
    const problems = violations(podSpecOf(podsOf(defaults.objects)[0]), 'restricted');
    expect(problems).toEqual(expect.arrayContaining(['container syncer: runAsUser: 0', 'container syncer: runAsNonRoot is not true']));
  });

  test('every container fits the tenant\'s LimitRange and asks for no more than its limits', () => {
    const max = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '4Gi' };
    for (const o of podsOf(rendered.objects)) {
      const spec = podSpecOf(o);
      for (const c of [...spec.containers, ...spec.initContainers]) {
        for (const [res, most] of Object.entries(max)) {
          const limit = c.resources?.limits?.[res];
          const request = c.resources?.requests?.[res];
          if (limit !== undefined) expect({ c: c.name, res, fits: compareQuantities(String(limit), most) <= 0 }).toEqual({ c: c.name, res, fits: true });
          if (limit !== undefined && request !== undefined) expect({ c: c.name, res, ordered: compareQuantities(String(request), String(limit)) <= 0 }).toEqual({ c: c.name, res, ordered: true });
        }
      }
    }
  });

  test('a tenant with a smaller LimitRange gets a control plane capped to it', () => {
    const small = renderVcluster(valuesFileOf(vclusterSpec('    limits: { max: { cpu: 500m, memory: 1Gi } }\n')));
    expect(small.status).toBe(0);
    const syncer = podSpecOf(podsOf(small.objects)[0]).containers.find((c: any) => c.name === 'syncer');
    expect(syncer.resources.limits).toEqual({ cpu: '500m', memory: '1Gi', 'ephemeral-storage': '4Gi' });
    expect(syncer.resources.requests).toEqual({ cpu: '200m', memory: '256Mi', 'ephemeral-storage': '1Gi' });
  });

  test('its config Secret holds the values, which the audit reads and finds nothing wrong in', () => {
    const ns = parse('apiVersion: v1\nkind: Namespace\nmetadata: { name: labs, labels: { pod-security.kubernetes.io/enforce: restricted } }\n');
    const guardRails = [
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'labs' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'd', namespace: 'labs' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    ];
    const result = runChecks([ns, ...guardRails, ...rendered.objects], { tenantNamespaces: new Set(['labs']), profile: 'audit' });
    expect(result.findings.filter((f) => f.rule.startsWith('vcluster-'))).toEqual([]);
  });

  test('a value the spec refuses would have given the control plane every Secret of the cluster: the audit finds it in the rendered chart', () => {
    const risky = renderVcluster(`${valuesFileOf(vclusterSpec())}\n# appended\n`.replace('telemetry:', 'sync:\n  fromHost:\n    secrets:\n      enabled: true\n      mappings:\n        byName:\n          "other-tenant/*": "default/*"\ntelemetry:'));
    expect(risky.status).toBe(0);
    const rules = risky.objects.find((o) => o.kind === 'ClusterRole').rules;
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] });
    const findings = runChecks(risky.objects, { tenantNamespaces: new Set(['labs']), profile: 'audit' }).findings.map((f) => f.rule);
    expect(findings).toEqual(expect.arrayContaining(['vcluster-syncs-all-secrets', 'vcluster-cluster-wide-rights']));
  });
});

describe('the allowlist and the chart\'s schema', () => {
  const chart = JSON.parse(fs.readFileSync(`${VCLUSTER_CHART}/values.schema.json`, 'utf8'));
  const resolve = (node: any): any => (node?.$ref ? chart.$defs[node.$ref.split('/').pop()] : node);
  /** The chart's schema of the value at `path`, or undefined when the chart has no such key. */
  const chartAt = (path: string[]): any => {
    let node: any = chart;
    for (const key of path) {
      node = resolve(node);
      // An object the chart does not describe (`resources.limits`, …) takes any key.
      if (node?.type === 'object' && node.properties === undefined && node.additionalProperties === undefined) return {};
      const next = node?.properties?.[key] ?? (typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined);
      if (next === undefined) return undefined;
      node = next;
    }
    return resolve(node);
  };
  const typesOf = (node: any): string[] => [node?.type, ...(node?.oneOf ?? node?.anyOf ?? []).map((n: any) => n.type)].flat().filter(Boolean);

  test('every key a tenant may write (or is refused with why) is a key of the chart, of a type the chart takes', () => {
    const ours = (tenantJsonSchema() as any).properties.vcluster;
    const problems: string[] = [];
    const walk = (node: any, path: string[]) => {
      for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
        const at = [...path, key];
        const theirs = chartAt(at);
        if (theirs === undefined) {
          problems.push(`${at.join('.')}: not in the chart`);
          continue;
        }
        const type = typeof child.type === 'string' ? child.type : undefined;
        const accepted = typesOf(theirs);
        const compatible = type === undefined || accepted.length === 0 || accepted.includes(type) || (type === 'integer' && accepted.includes('number'));
        if (!compatible) problems.push(`${at.join('.')}: ours is ${type}, the chart's ${accepted.join('|')}`);
        if (child.properties) walk(child, at);
      }
    };
    walk(ours, []);
    expect(problems).toEqual([]);
  });

  test('the tenant values of the example (merged over the platform\'s) pass the chart\'s schema', () => {
    const example = fs.readFileSync(`${__dirname}/../../examples/vcluster.yaml`, 'utf8');
    const labs = renderVcluster(valuesFileOf(example.replace(/^# yaml-language-server.*\n/, '')));
    expect({ status: labs.status, stderr: labs.stderr }).toEqual({ status: 0, stderr: '' });
    expect(labs.objects.find((o) => o.kind === 'StatefulSet').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(labs.objects.find((o) => o.kind === 'Role').rules).toContainEqual(expect.objectContaining({ apiGroups: ['traefik.io'], resources: ['ingressroutes'] }));
  });
});
