/**
 * Finding vcluster installs in manifests: the chart's values where they are written (a Flux
 * HelmRelease, an Argo CD Application, or the `vc-config-<release>` Secret the rendered chart
 * holds its merged values in), and the objects the rendered chart makes (its control plane's
 * StatefulSet or Deployment, its ClusterRole).
 */
import { parse } from 'yaml';
import { KubeObjectLike } from './engine';
import { asArray, asRecord, asString, asStringMap, FieldPath } from './values';

/** The chart, as Flux and Argo CD name it. */
export const VCLUSTER_CHART = 'vcluster';

/** The top-level keys of the chart's values (0.36.1): a YAML document of these only is a values file. */
export const VCLUSTER_VALUES_KEYS: ReadonlySet<string> = new Set([
  'global', 'exportKubeConfig', 'sync', 'integrations', 'deploy', 'networking', 'policies', 'controlPlane', 'privateNodes', 'rbac', 'plugins',
  'experimental', 'telemetry', 'serviceCIDR', 'pro', 'plugin', 'logging', 'sleep', 'snapshots', 'deletion', 'platform',
]);

/**
 * The audit reads a values file of the chart (no `apiVersion`, no `kind`) as an object of this
 * kind, its values under `values`, named after the file.
 */
export const VALUES_FILE_API_VERSION = 'audit.tenancy.cdk8s.io/v1';
export const VALUES_FILE_KIND = 'VclusterValuesFile';

/** Where one install's values are, and what they are. */
export interface VclusterValues {
  /** The object that carries them. */
  readonly index: number;
  /** The namespace the virtual cluster runs in (undefined when the object does not say). */
  readonly namespace?: string;
  readonly values: Record<string, unknown>;
  /** Path of the values inside the object; a finding inside them is reported here plus its own path. */
  readonly at: FieldPath;
  /**
   * `overrides`: values over the chart's defaults (a HelmRelease, an Application); `merged`: every
   * value in force (the rendered chart's config Secret).
   */
  readonly kind: 'overrides' | 'merged';
  /** Set when values come from elsewhere too (`valuesFrom`, value files): those were not read. */
  readonly unread?: string;
}

/** The values of a vcluster install held by `o`, if it is one; undefined otherwise. */
export function vclusterValuesOf(o: KubeObjectLike, index: number): VclusterValues | undefined {
  const group = (o.apiVersion ?? '').split('/')[0];
  if (o.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io') return helmReleaseValues(o, index);
  if (o.kind === 'Application' && group === 'argoproj.io') return applicationValues(o, index);
  if (o.kind === VALUES_FILE_KIND && o.apiVersion === VALUES_FILE_API_VERSION) return { index, values: asRecord(o.values), at: ['values'], kind: 'overrides' };
  if (o.kind === 'Secret' && /^vc-config-/.test(o.metadata?.name ?? '') && asStringMap(o.metadata?.labels).app === 'vcluster') return configSecretValues(o, index);
  return undefined;
}

function helmReleaseValues(o: KubeObjectLike, index: number): VclusterValues | undefined {
  const spec = asRecord(o.spec);
  if (asString(asRecord(asRecord(spec.chart).spec).chart) !== VCLUSTER_CHART) return undefined;
  return {
    index,
    namespace: asString(spec.targetNamespace) ?? asString(o.metadata?.namespace),
    values: asRecord(spec.values),
    at: ['spec', 'values'],
    kind: 'overrides',
    ...(asArray(spec.valuesFrom).length > 0 ? { unread: '`valuesFrom`' } : {}),
  };
}

function applicationValues(o: KubeObjectLike, index: number): VclusterValues | undefined {
  const spec = asRecord(o.spec);
  const sources: Array<[Record<string, unknown>, FieldPath]> = spec.source !== undefined
    ? [[asRecord(spec.source), ['spec', 'source']]]
    : asArray(spec.sources).map((s, k) => [asRecord(s), ['spec', 'sources', k]]);
  const found = sources.find(([s]) => asString(s.chart) === VCLUSTER_CHART);
  if (!found) return undefined;
  const [source, at] = found;
  const helm = asRecord(source.helm);
  const namespace = asString(asRecord(spec.destination).namespace);
  const unread = asArray(helm.valueFiles).length > 0 ? '`helm.valueFiles`' : undefined;
  if (helm.valuesObject !== undefined) {
    return { index, namespace, values: asRecord(helm.valuesObject), at: [...at, 'helm', 'valuesObject'], kind: 'overrides', ...(unread ? { unread } : {}) };
  }
  return { index, namespace, values: parsedYaml(helm.values), at: [...at, 'helm', 'values'], kind: 'overrides', ...(unread ? { unread } : {}) };
}

function configSecretValues(o: KubeObjectLike, index: number): VclusterValues | undefined {
  const data = asString(asRecord(o.data)['config.yaml']);
  const stringData = asString(asRecord(o.stringData)['config.yaml']);
  const text = stringData ?? (data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8'));
  if (text === undefined) return undefined;
  return { index, namespace: asString(o.metadata?.namespace), values: parsedYaml(text), at: [stringData !== undefined ? 'stringData' : 'data', 'config.yaml'], kind: 'merged' };
}

/** YAML text as a mapping; anything else (or text that does not parse) as an empty one. */
function parsedYaml(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    return asRecord(parse(text));
  } catch {
    return {};
  }
}

/** Whether a rendered object is one the vcluster chart made (it labels everything `app: vcluster`). */
export function isVclusterObject(o: KubeObjectLike): boolean {
  return asStringMap(o.metadata?.labels).app === 'vcluster';
}

/** The value at a dotted path of a values tree (undefined when a step is missing). */
export function valueAt(values: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = values;
  for (const key of path) node = asRecord(node)[key];
  return node;
}
