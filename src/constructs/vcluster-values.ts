/**
 * The values a tenant's virtual cluster is installed with (vcluster chart 0.36.1): the platform's,
 * from the tenant's settings, with the tenant's own `vcluster:` values merged over them as Helm
 * merges a values file. What the platform's values say:
 * - the open-source image, pinned by the chart's version;
 * - the control plane, its init container and CoreDNS run as non-root users with every setting of
 *   Pod Security `restricted` (the chart's default runs the control plane as root), so they pass
 *   the namespace's level, `restricted` or `baseline`;
 * - their resources fit the tenant's LimitRange (`limits.max`);
 * - Ingresses are synced to the host namespace and stamped with the tenant's ingress class, so
 *   the tenant's own Traefik serves them; cert-manager Certificates are synced too (their Secret
 *   names translated like the Ingresses' references), signed on the host by the tenant's
 *   namespaced Issuer, which their `issuerRef` names;
 * - vCluster's own `policies` stay off: the namespace's guard rails are the one source;
 * - no telemetry.
 */
import { DEFAULTS } from '../defaults';
import { mergeValues } from '../model/tenancy-model';
import { compareQuantities } from '../threats/quantity';

/** CPU, memory and ephemeral storage, as the spec names them. */
export interface Amounts {
  readonly cpu: string;
  readonly memory: string;
  readonly ephemeralStorage: string;
}

/** What the platform's values are made from. */
export interface PlatformValuesInput {
  /** The ingress class of the tenant's Traefik, stamped on every synced Ingress. */
  readonly ingressClass: string;
  /** The most one container of the tenant may ask for (its LimitRange's `max`). */
  readonly limitsMax: Amounts;
}

/** The settings of Pod Security `restricted` for a container running as `user`. */
function restrictedContainer(user: number) {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** `amount`, or `max` when `amount` is bigger. */
const atMost = (amount: string, max: string) => (compareQuantities(amount, max) > 0 ? max : amount);

/** Requests and limits under the chart's (Kubernetes') names, each limit at most `max` and each request at most its limit. */
function capped(wanted: { readonly requests: Amounts; readonly limits: Amounts }, max: Amounts) {
  const limits = { cpu: atMost(wanted.limits.cpu, max.cpu), memory: atMost(wanted.limits.memory, max.memory), ephemeralStorage: atMost(wanted.limits.ephemeralStorage, max.ephemeralStorage) };
  const requests = { cpu: atMost(wanted.requests.cpu, limits.cpu), memory: atMost(wanted.requests.memory, limits.memory), ephemeralStorage: atMost(wanted.requests.ephemeralStorage, limits.ephemeralStorage) };
  const chartNames = (a: Amounts) => ({ cpu: a.cpu, memory: a.memory, 'ephemeral-storage': a.ephemeralStorage });
  return { requests: chartNames(requests), limits: chartNames(limits) };
}

/**
 * A vCluster patch (JavaScript the syncer runs on each Ingress it writes to the host) that sets the
 * tenant's ingress class annotation — the form a namespaced Traefik matches — and drops
 * `spec.ingressClassName`, which the API server refuses beside the annotation.
 */
export function ingressClassPatch(ingressClass: string): { path: string; expression: string } {
  return {
    path: '',
    expression: `(value => { value.metadata ??= {}; value.metadata.annotations ??= {}; value.metadata.annotations["kubernetes.io/ingress.class"] = ${JSON.stringify(ingressClass)}; if (value.spec) { delete value.spec.ingressClassName; } return value; })(value)`,
  };
}

/** The custom resource whose sync lets the virtual cluster's Certificates be signed by the tenant's Issuer. */
export const CERTIFICATES_RESOURCE = 'certificates.cert-manager.io';

/** The platform's values for a tenant's virtual cluster. */
export function platformVclusterValues(input: PlatformValuesInput): Record<string, unknown> {
  const V = DEFAULTS.vcluster;
  const max = input.limitsMax;
  const podSecurityContext = (user: number, fsGroup: boolean) => ({
    ...(fsGroup ? { fsGroup: user } : {}), runAsNonRoot: true, runAsUser: user, runAsGroup: user, seccompProfile: { type: 'RuntimeDefault' },
  });
  return {
    controlPlane: {
      statefulSet: {
        image: { registry: V.image.registry, repository: V.image.repository },
        resources: capped(V.controlPlane, max),
        security: {
          podSecurityContext: podSecurityContext(V.user, true),
          containerSecurityContext: restrictedContainer(V.user),
        },
      },
      distro: {
        k8s: {
          // The init container that copies the Kubernetes binaries into the control plane's volume.
          securityContext: restrictedContainer(V.user),
          resources: capped(V.distroInit, max),
        },
      },
      coredns: {
        security: {
          podSecurityContext: podSecurityContext(V.corednsUser, false),
          containerSecurityContext: {
            ...restrictedContainer(V.corednsUser),
            capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
            readOnlyRootFilesystem: true,
          },
        },
        deployment: { resources: capped(V.coredns, max) },
      },
    },
    sync: {
      toHost: {
        ingresses: { enabled: true, patches: [ingressClassPatch(input.ingressClass)] },
        customResources: {
          [CERTIFICATES_RESOURCE]: { enabled: true, patches: [{ path: 'spec.secretName', reference: { apiVersion: 'v1', kind: 'Secret' } }] },
        },
      },
    },
    // The namespace's own ResourceQuota, LimitRange, NetworkPolicies and Pod Security label are the one source.
    policies: {
      resourceQuota: { enabled: false },
      limitRange: { enabled: false },
      networkPolicy: { enabled: false },
    },
    telemetry: { enabled: false },
  };
}

/** The values the virtual cluster is installed with: the tenant's merged over the platform's. */
export function vclusterValues(input: PlatformValuesInput, tenantValues: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return mergeValues(platformVclusterValues(input), tenantValues);
}
