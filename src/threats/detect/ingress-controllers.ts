/**
 * Recognizing ingress controllers among workloads — Traefik, ingress-nginx, NGINX's
 * nginx-ingress, Kong's controller, HAProxy's, Contour, Emissary — and reading where a
 * controller takes the certificate it serves for every host without one of its own.
 */
import { asArray, asRecord, asString, asStringMap, FieldPath } from './values';
import { providerEnabled, TRAEFIK_PROVIDERS, traefikContainers, WORKLOAD_KINDS } from './traefik-config';

/** The repository of an image, lower-cased, with its registry but without tag or digest: `registry.k8s.io/ingress-nginx/controller`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const colon = noDigest.lastIndexOf(':');
  return (colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

/**
 * Image repositories of ingress controllers (controllers watch Ingresses or routes through the
 * Kubernetes API; a plain proxy image such as `nginx` or `kong` is none).
 */
const CONTROLLER_IMAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\/)ingress-nginx\/controller(-chroot)?$|(^|\/)nginx-ingress-controller$/, 'ingress-nginx'],
  [/(^|\/)nginx-(plus-)?ingress$/, 'NGINX Ingress Controller'],
  [/(^|\/)kubernetes-ingress-controller$/, 'Kong Ingress Controller'],
  [/(^|\/)haproxytech\/kubernetes-ingress$|(^|\/)haproxy-ingress$/, 'HAProxy Ingress'],
  [/(^|\/)projectcontour\/contour$/, 'Contour'],
  [/(^|\/)(emissary|emissary-ingress|ambassador)$/, 'Emissary-ingress'],
];

/** One container of a workload that runs an ingress controller. */
export interface ControllerContainer {
  /** The controller, as people call it: `Traefik`, `ingress-nginx`, … */
  readonly controller: string;
  readonly container: string;
  readonly path: FieldPath;
}

const POD_SPEC_PATH: FieldPath = ['spec', 'template', 'spec'];

/** The pod spec of a Deployment, DaemonSet or StatefulSet (the owners of long-lived controllers). */
function workloadPod(o: { kind: string; [k: string]: unknown }): Record<string, unknown> | undefined {
  return WORKLOAD_KINDS.has(o.kind) ? asRecord(asRecord(asRecord(o.spec).template).spec) : undefined;
}

/**
 * The containers of a workload that run an ingress controller: a Traefik with a Kubernetes
 * provider switched on, or a container whose image (or `nginx-ingress-controller` command) is
 * one of the controllers above.
 */
export function ingressControllers(o: { kind: string; [k: string]: unknown }): ControllerContainer[] {
  const pod = workloadPod(o);
  if (!pod) return [];
  const found: ControllerContainer[] = [];
  const traefik = new Set<number>();
  for (const c of traefikContainers(o)) {
    if (TRAEFIK_PROVIDERS.some((p) => providerEnabled(c.flags, p))) {
      traefik.add(c.index);
      found.push({ controller: 'Traefik', container: c.name, path: c.path });
    }
  }
  asArray(pod.containers).forEach((raw, k) => {
    if (traefik.has(k)) return;
    const c = asRecord(raw);
    const repository = imageRepository(asString(c.image) ?? '');
    const byImage = CONTROLLER_IMAGES.find(([re]) => re.test(repository))?.[1];
    const byCommand = [...asArray(c.command), ...asArray(c.args)].some((t) => typeof t === 'string' && /(^|\/)nginx-ingress-controller$/.test(t)) ? 'ingress-nginx' : undefined;
    const controller = byImage ?? byCommand;
    if (controller) found.push({ controller, container: asString(c.name) ?? `#${k}`, path: [...POD_SPEC_PATH, 'containers', k] });
  });
  return found;
}

/** A command-line option of a container: `-name=value`, `--name=value` or `--name value`. */
interface Option {
  readonly name: string;
  /** As written: `-name` or `--name`. */
  readonly flag: string;
  readonly value: string;
  readonly path: FieldPath;
}

function options(c: Record<string, unknown>, containerPath: FieldPath): Option[] {
  const out: Option[] = [];
  for (const field of ['command', 'args'] as const) {
    const tokens = asArray(c[field]).map((t) => (typeof t === 'string' ? t : String(t)));
    for (let i = 0; i < tokens.length; i++) {
      const m = tokens[i].match(/^(--?([A-Za-z][\w.-]*))(?:=(.*))?$/);
      if (!m) continue;
      const path: FieldPath = [...containerPath, field, i];
      if (m[3] !== undefined) out.push({ name: m[2], flag: m[1], value: m[3], path });
      else if (i + 1 < tokens.length && !tokens[i + 1].startsWith('-')) out.push({ name: m[2], flag: m[1], value: tokens[++i], path });
    }
  }
  return out;
}

/** Where a controller reads the certificate it serves for hosts without one of their own. */
export interface DefaultCertificate {
  /** The namespace of the Secret. */
  readonly namespace: string;
  /** `namespace/name` of the Secret, as far as the input says. */
  readonly secret: string;
  /** The option that says so, e.g. `--default-ssl-certificate`. */
  readonly option: string;
  readonly path: FieldPath;
}

/**
 * Options naming a default (or wildcard) certificate as `namespace/name`: ingress-nginx's and
 * HAProxy's `--default-ssl-certificate`, NGINX's `-default-server-tls-secret` and
 * `-wildcard-tls-secret`.
 */
const NAMESPACED_SECRET_OPTIONS = new Set(['default-ssl-certificate', 'default-server-tls-secret', 'wildcard-tls-secret']);
/** Cilium's ingress controller names the namespace and the Secret apart (operator options, or keys of the `cilium-config` ConfigMap). */
const CILIUM_NAMESPACE = 'ingress-default-secret-namespace';
const CILIUM_NAME = 'ingress-default-secret-name';
/** Kong reads its default certificate from a file (`ssl_cert`), in Kubernetes mounted from a Secret of its own namespace. */
const KONG_CERT_ENV = 'KONG_SSL_CERT';

/**
 * The default certificates an object configures: the options above on any container of a
 * workload, a Kong whose `KONG_SSL_CERT` file comes from a Secret volume (a Secret of the
 * workload's own namespace), and Cilium's `cilium-config` ConfigMap.
 */
export function defaultCertificates(o: { kind: string; metadata: { namespace?: string }; [k: string]: unknown }): DefaultCertificate[] {
  const own = asString(o.metadata?.namespace) ?? '';
  if (o.kind === 'ConfigMap') {
    const data = asStringMap(o.data);
    const ns = data[CILIUM_NAMESPACE]?.trim();
    return ns ? [{ namespace: ns, secret: `${ns}/${data[CILIUM_NAME]?.trim() || '?'}`, option: CILIUM_NAMESPACE, path: ['data', CILIUM_NAMESPACE] }] : [];
  }
  const pod = workloadPod(o);
  if (!pod) return [];
  const found: DefaultCertificate[] = [];
  const secretVolumes = new Map<string, string>();
  for (const v of asArray(pod.volumes)) {
    const secretName = asString(asRecord(asRecord(v).secret).secretName);
    if (secretName) secretVolumes.set(asString(asRecord(v).name) ?? '', secretName);
  }
  asArray(pod.containers).forEach((raw, k) => {
    const c = asRecord(raw);
    const path: FieldPath = [...POD_SPEC_PATH, 'containers', k];
    const opts = options(c, path);
    for (const opt of opts) {
      const slash = opt.value.indexOf('/');
      if (NAMESPACED_SECRET_OPTIONS.has(opt.name) && slash > 0) {
        found.push({ namespace: opt.value.slice(0, slash), secret: opt.value, option: opt.flag, path: opt.path });
      }
      if (opt.name === CILIUM_NAMESPACE && opt.value) {
        const name = opts.find((n) => n.name === CILIUM_NAME)?.value ?? '?';
        found.push({ namespace: opt.value, secret: `${opt.value}/${name}`, option: opt.flag, path: opt.path });
      }
    }
    asArray(c.env).forEach((rawEnv, e) => {
      const env = asRecord(rawEnv);
      const file = asString(env.value);
      if (asString(env.name) !== KONG_CERT_ENV || !file) return;
      for (const m of asArray(c.volumeMounts)) {
        const mount = asRecord(m);
        const mountPath = asString(mount.mountPath)?.replace(/\/+$/, '');
        const secretName = secretVolumes.get(asString(mount.name) ?? '');
        if (mountPath && secretName && (file === mountPath || file.startsWith(`${mountPath}/`))) {
          found.push({ namespace: own, secret: `${own}/${secretName}`, option: KONG_CERT_ENV, path: [...path, 'env', e] });
          return;
        }
      }
    });
  });
  return found;
}
