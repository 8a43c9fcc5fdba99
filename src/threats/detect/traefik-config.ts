/**
 * Recognizing Traefik (and cert-manager) among workloads and reading Traefik's static
 * configuration from a container's command line and `TRAEFIK_*` environment variables.
 * A static configuration file mounted into the pod is not read (see docs/audit.md).
 */
import { asArray, asRecord, asString, FieldPath } from './values';

/** Kinds whose pod template runs a long-lived controller. Pods and ReplicaSets repeat their owners. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** The Kubernetes providers of Traefik that route by namespace (CRDs, Ingresses, the Gateway API). */
export const TRAEFIK_PROVIDERS = ['kubernetescrd', 'kubernetesingress', 'kubernetesgateway'] as const;
export type TraefikProvider = (typeof TRAEFIK_PROVIDERS)[number];

/** One option of Traefik's static configuration, with where it was set. */
export interface TraefikFlag {
  /** Lower-cased option name without dashes, e.g. `providers.kubernetescrd.namespaces`. */
  readonly name: string;
  readonly value: string;
  /** Path of the argument (or environment variable) inside the workload. */
  readonly path: FieldPath;
}

/** A container that runs Traefik, and its static configuration. */
export interface TraefikContainer {
  readonly index: number;
  readonly name: string;
  readonly path: FieldPath;
  /** Options by lower-cased name; the last one given wins, as in Traefik. */
  readonly flags: ReadonlyMap<string, TraefikFlag>;
}

/** The repository part of an image reference, without registry path, tag or digest: `traefik` for `docker.io/library/traefik:v3.1`. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  return last.split(':')[0].toLowerCase();
}

/** Images whose names contain `traefik` but that are no Traefik: demo backends and auth helpers. */
const NOT_TRAEFIK = /whoami|forward-auth/;

/**
 * Traefik images: the image name contains `traefik` (`traefik`, `mirrored-library-traefik`,
 * `traefik-hub`…). `traefik/whoami` (named `whoami`) and `traefik-forward-auth` are not Traefik.
 */
export function isTraefikImage(image: string): boolean {
  const name = imageName(image);
  return name.includes('traefik') && !NOT_TRAEFIK.test(name);
}

/** cert-manager's own images (`cert-manager-controller`, `cert-manager-webhook`…). */
export function isCertManagerImage(image: string): boolean {
  return imageName(image).startsWith('cert-manager');
}

/** The pod spec of a workload, or undefined when the object is not a workload. */
export function podSpecOf(o: { kind: string; [k: string]: unknown }): Record<string, unknown> | undefined {
  if (!WORKLOAD_KINDS.has(o.kind)) return undefined;
  return asRecord(asRecord(asRecord(o.spec).template).spec);
}

const POD_SPEC_PATH: FieldPath = ['spec', 'template', 'spec'];

/**
 * The containers of a workload that run Traefik: the image is a Traefik image, or the
 * command line configures a Kubernetes provider.
 */
export function traefikContainers(o: { kind: string; [k: string]: unknown }): TraefikContainer[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const found: TraefikContainer[] = [];
  asArray(pod.containers).forEach((raw, index) => {
    const c = asRecord(raw);
    const path: FieldPath = [...POD_SPEC_PATH, 'containers', index];
    const flags = readFlags(c, path);
    const configuresKubernetes = [...flags.keys()].some((name) => name.startsWith('providers.kubernetes'));
    if (isTraefikImage(asString(c.image) ?? '') || configuresKubernetes) {
      found.push({ index, name: asString(c.name) ?? `#${index}`, path, flags });
    }
  });
  return found;
}

/** Whether any container of the workload runs cert-manager. */
export function runsCertManager(o: { kind: string; [k: string]: unknown }): boolean {
  const pod = podSpecOf(o);
  return !!pod && asArray(pod.containers).some((c) => isCertManagerImage(asString(asRecord(c).image) ?? ''));
}

/**
 * Traefik options from `command`, `args` and `TRAEFIK_*` environment variables. Arguments may
 * be `--name=value`, `--name value` or a bare `--name` (true); names are case-insensitive.
 */
function readFlags(c: Record<string, unknown>, containerPath: FieldPath): Map<string, TraefikFlag> {
  const flags = new Map<string, TraefikFlag>();
  const set = (name: string, value: string, path: FieldPath) => {
    const key = name.toLowerCase();
    flags.set(key, { name: key, value, path });
  };
  asArray(c.env).forEach((raw, index) => {
    const e = asRecord(raw);
    const envName = asString(e.name);
    const value = asString(e.value);
    if (envName?.startsWith('TRAEFIK_') && value !== undefined) {
      set(envName.slice('TRAEFIK_'.length).replace(/_/g, '.'), value, [...containerPath, 'env', index]);
    }
  });
  for (const field of ['command', 'args'] as const) {
    const tokens = asArray(c[field]).map((t) => (typeof t === 'string' ? t : String(t)));
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (!token.startsWith('--') || token.length <= 2) continue;
      const path: FieldPath = [...containerPath, field, i];
      const eq = token.indexOf('=');
      if (eq > 0) {
        set(token.slice(2, eq), token.slice(eq + 1), path);
      } else if (i + 1 < tokens.length && !tokens[i + 1].startsWith('-')) {
        set(token.slice(2), tokens[i + 1], path);
        i++;
      } else {
        set(token.slice(2), 'true', path);
      }
    }
  }
  return flags;
}

/** Whether a provider is switched on: by its own flag, or by setting any of its options. */
export function providerEnabled(flags: ReadonlyMap<string, TraefikFlag>, provider: TraefikProvider): boolean {
  const own = flags.get(`providers.${provider}`);
  if (own) return own.value.toLowerCase() !== 'false';
  for (const name of flags.keys()) if (name.startsWith(`providers.${provider}.`)) return true;
  return false;
}

/** The namespaces a provider watches; empty means every namespace. */
export function watchedNamespaces(flags: ReadonlyMap<string, TraefikFlag>, provider: TraefikProvider): string[] {
  return (flags.get(`providers.${provider}.namespaces`)?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Whether any provider at all is configured on the command line. */
export function hasProviderFlags(flags: ReadonlyMap<string, TraefikFlag>): boolean {
  for (const name of flags.keys()) if (name === 'providers' || name.startsWith('providers.')) return true;
  return false;
}

/** The ServiceAccount a workload's pods run as. */
export function serviceAccountOf(o: { kind: string; [k: string]: unknown }): string {
  const pod = podSpecOf(o) ?? {};
  return asString(pod.serviceAccountName) ?? asString(pod.serviceAccount) ?? 'default';
}
