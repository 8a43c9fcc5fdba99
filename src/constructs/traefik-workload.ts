/**
 * What every Traefik this tool runs has in common — a tenant's own (`ScopedTraefik`) and the one
 * tenants share (`SharedTraefik`): its static configuration as flags, a hardened Deployment, the
 * Service of its entry points, a NetworkPolicy that lets it send only where it routes, its roles.
 * Internal: the constructs expose the objects these make.
 */
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { LABELS } from '../model/names';
import { ClusterNetwork } from '../threats/network';
import { apiServerEgressRule, dnsEgressRule } from './network-rules';
import { copyRules, PolicyRule } from './rbac-rules';

/** Ports of the Traefik container. */
export const TRAEFIK_PORTS = { web: 8000, websecure: 8443, traefik: 8080 } as const;

/** Labels that select the pods of the Traefik named `instance`. */
export function traefikPodLabels(instance: string): Record<string, string> {
  return { [LABELS.name]: 'traefik', [LABELS.instance]: instance };
}

/** The flags every Traefik gets: entry points, ping, no phoning home, its log level, strict TLS options. */
export function baseArgs(logLevel: string): string[] {
  return [
    `--entryPoints.web.address=:${TRAEFIK_PORTS.web}/tcp`,
    `--entryPoints.websecure.address=:${TRAEFIK_PORTS.websecure}/tcp`,
    '--entryPoints.websecure.http.tls=true',
    `--entryPoints.traefik.address=:${TRAEFIK_PORTS.traefik}/tcp`,
    '--ping=true',
    '--ping.entryPoint=traefik',
    '--global.checkNewVersion=false',
    '--global.sendAnonymousUsage=false',
    `--log.level=${logLevel}`,
    '--core.strictTLSOptions=true',
  ];
}

/** The CRD provider, watching `namespaces` only, resolving TLS defaults and cross-provider names in the platform namespace. */
export function crdProviderArgs(namespaces: readonly string[], platformNamespace: string): string[] {
  return [
    '--providers.kubernetescrd=true',
    `--providers.kubernetescrd.namespaces=${namespaces.join(',')}`,
    '--providers.kubernetescrd.allowCrossNamespace=false',
    '--providers.kubernetescrd.allowExternalNameServices=false',
    `--providers.kubernetescrd.crossProviderNamespaces=${platformNamespace}`,
    `--providers.kubernetescrd.defaultTLSResourcesNamespace=${platformNamespace}`,
    '--providers.kubernetescrd.disableClusterScopeResources=true',
  ];
}

/**
 * The Gateway API provider: Gateways, routes, ReferenceGrants and Secrets of `namespaces` only,
 * for the GatewayClass labelled for this Traefik only (every Traefik shares the controller name,
 * so the label is what keeps one from taking another's Gateways), and the address of `service`
 * in its Gateways' status.
 */
export function gatewayProviderArgs(namespaces: readonly string[], traefik: string, platformNamespace: string): string[] {
  return [
    '--providers.kubernetesgateway=true',
    `--providers.kubernetesgateway.namespaces=${namespaces.join(',')}`,
    `--providers.kubernetesgateway.labelSelector=${LABELS.traefik}=${traefik}`,
    `--providers.kubernetesgateway.statusAddress.service.name=${traefik}`,
    `--providers.kubernetesgateway.statusAddress.service.namespace=${platformNamespace}`,
  ];
}

/** How one Traefik workload runs. */
export interface TraefikWorkload {
  readonly name: string;
  readonly namespace: string;
  /** Labels of every object (the pods' included). */
  readonly labels: Record<string, string>;
  readonly podLabels: Record<string, string>;
  readonly image: string;
  readonly args: string[];
  readonly replicas: number;
  readonly serviceType: string;
  readonly resources: { readonly requests: { readonly cpu: string; readonly memory: string }; readonly limits: { readonly cpu: string; readonly memory: string } };
  /** Where its pods run (fields of the pod spec: spread, node selector, tolerations, PriorityClass). @default - anywhere */
  readonly scheduling?: Pick<k8s.PodSpec, 'topologySpreadConstraints' | 'nodeSelector' | 'tolerations' | 'priorityClassName'>;
  /** Container ports beyond the entry points (the metrics'). @default - none */
  readonly extraPorts?: ReadonlyArray<{ readonly name: string; readonly containerPort: number }>;
  /** The Service's spec and annotations. @default - `serviceType` with the two entry points, no annotations */
  readonly service?: { readonly spec: k8s.ServiceSpec; readonly annotations?: Record<string, string> };
}

/** The hardened Deployment of a Traefik: non-root, read-only root, no capabilities, seccomp, rolling one pod at a time. */
export function traefikDeployment(scope: Construct, w: TraefikWorkload): k8s.KubeDeployment {
  return new k8s.KubeDeployment(scope, 'Deployment', {
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: w.podLabels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
      template: {
        metadata: { labels: w.labels },
        spec: {
          serviceAccountName: w.name,
          automountServiceAccountToken: true,
          terminationGracePeriodSeconds: 60,
          ...w.scheduling,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: 'traefik',
            image: w.image,
            imagePullPolicy: 'IfNotPresent',
            args: w.args,
            ports: [...Object.entries(TRAEFIK_PORTS).map(([name, containerPort]) => ({ name, containerPort })), ...(w.extraPorts ?? [])]
              .map(({ name, containerPort }) => ({ name, containerPort, protocol: 'TCP' })),
            resources: {
              requests: { cpu: k8s.Quantity.fromString(w.resources.requests.cpu), memory: k8s.Quantity.fromString(w.resources.requests.memory) },
              limits: { cpu: k8s.Quantity.fromString(w.resources.limits.cpu), memory: k8s.Quantity.fromString(w.resources.limits.memory) },
            },
            readinessProbe: pingProbe(1),
            livenessProbe: pingProbe(3),
            securityContext: {
              allowPrivilegeEscalation: false,
              privileged: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'data', emptyDir: {} }, { name: 'tmp', emptyDir: {} }],
        },
      },
    },
  });
}

/** The Service of the entry points `web` (80) and `websecure` (443). */
export function traefikService(scope: Construct, w: TraefikWorkload): k8s.KubeService {
  const annotations = w.service?.annotations ?? {};
  return new k8s.KubeService(scope, 'Service', {
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels, ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}) },
    spec: w.service?.spec ?? {
      type: w.serviceType,
      selector: w.podLabels,
      ports: [
        { name: 'web', port: 80, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' },
        { name: 'websecure', port: 443, targetPort: k8s.IntOrString.fromString('websecure'), protocol: 'TCP' },
      ],
    },
  });
}

/** With more than one replica, a PodDisruptionBudget that lets one pod go at a time. */
export function traefikDisruptionBudget(scope: Construct, w: TraefikWorkload): k8s.KubePodDisruptionBudget | undefined {
  if (w.replicas <= 1) return undefined;
  return new k8s.KubePodDisruptionBudget(scope, 'PodDisruptionBudget', {
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: w.podLabels } },
  });
}

/**
 * A Traefik's own NetworkPolicy: its entry points and the probe port from anywhere; out, only to
 * the namespaces it routes to (`routesTo`), DNS and the API server — so no route, Middleware or
 * plugin can make it call the metadata endpoint, other namespaces or the platform's other
 * services. The API server is `apiServerCIDRs` when known, else any address on its usual ports
 * but the metadata services' and the cluster's own ranges.
 */
export function traefikNetworkPolicySpec(
  podLabels: Record<string, string>, routesTo: k8s.NetworkPolicyPeer[], network: ClusterNetwork, metrics?: { readonly from: k8s.NetworkPolicyPeer; readonly port: number },
): k8s.NetworkPolicySpec {
  const ports = (...numbers: number[]) => numbers.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
  const apiServer = apiServerEgressRule(network);
  return {
    podSelector: { matchLabels: podLabels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      { ports: ports(...Object.values(TRAEFIK_PORTS)) },
      // The metrics, from the monitoring namespace only.
      ...(metrics ? [{ from: [metrics.from], ports: ports(metrics.port) }] : []),
    ],
    egress: [{ to: routesTo }, dnsEgressRule(), apiServer],
  };
}

/** The ServiceAccount a role is bound to: its name, namespace and labels (the role takes its name and labels). */
export interface RoleSubject {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** A Role in `roleNamespace` with `rules`, bound to the ServiceAccount `subject` (`<id>Role`, `<id>RoleBinding`). */
export function grantRole(scope: Construct, id: string, roleNamespace: string, rules: readonly PolicyRule[], subject: RoleSubject): { role: k8s.KubeRole; binding: k8s.KubeRoleBinding } {
  const roleMeta = { name: subject.name, namespace: roleNamespace, labels: subject.labels };
  const role = new k8s.KubeRole(scope, `${id}Role`, { metadata: roleMeta, rules: copyRules(rules) });
  const binding = new k8s.KubeRoleBinding(scope, `${id}RoleBinding`, {
    metadata: roleMeta,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: subject.name },
    subjects: [{ kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace }],
  });
  return { role, binding };
}

/** A ClusterRole with `rules`, bound to the ServiceAccount `subject` (both named after it). */
export function grantClusterRole(scope: Construct, rules: readonly PolicyRule[], subject: RoleSubject): { role: k8s.KubeClusterRole; binding: k8s.KubeClusterRoleBinding } {
  const meta = { name: subject.name, labels: subject.labels };
  const role = new k8s.KubeClusterRole(scope, 'ClusterRole', { metadata: meta, rules: copyRules(rules) });
  const binding = new k8s.KubeClusterRoleBinding(scope, 'ClusterRoleBinding', {
    metadata: meta,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: subject.name },
    subjects: [{ kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace }],
  });
  return { role, binding };
}

function pingProbe(failureThreshold: number): k8s.Probe {
  return {
    httpGet: { path: '/ping', port: k8s.IntOrString.fromString('traefik'), scheme: 'HTTP' },
    initialDelaySeconds: 2,
    periodSeconds: 10,
    timeoutSeconds: 2,
    successThreshold: 1,
    failureThreshold,
  };
}
