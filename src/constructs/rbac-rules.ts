/**
 * Who may do what: the RBAC rules of a tenant's owners and of a tenant's Traefik.
 * This is the one place that decides permissions; the constructs only bind them.
 * No rule here uses a wildcard, grants RBAC writes, or lets a tenant touch its
 * own guard rails (quota, limits, network policies, issuers, TLS stores and options, Gateways
 * and ReferenceGrants).
 */

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  /** Only these objects, by name. @default - every object of the resources */
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/** Mutable copies of `rules`, as the generated Kubernetes types want them. */
export function copyRules(rules: readonly PolicyRule[]): Array<{ apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }> {
  return rules.map((r) => ({
    apiGroups: [...r.apiGroups], resources: [...r.resources], ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}), verbs: [...r.verbs],
  }));
}

/** The Gateway API's group. */
export const GATEWAY_API = 'gateway.networking.k8s.io';

export const READ = ['get', 'list', 'watch'] as const;
export const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;
/** What `secrets: manage` grants on Secrets (no delete: a deleted TLS Secret takes a site down). */
export const SECRETS_MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch'] as const;

/** What else the owners' Role covers, beside the tenant's own workloads. */
export interface OwnerRuleOptions {
  /**
   * How the tenant routes: `ingressroute` (Ingresses, IngressRoutes, Middlewares), or
   * `gateway` (HTTPRoutes and GRPCRoutes; Gateways and ReferenceGrants read only — the platform owns them).
   * @default 'ingressroute'
   */
  readonly routing?: 'ingressroute' | 'gateway';
  /**
   * The tenant has a SecretStore (External Secrets Operator): owners may write ExternalSecrets
   * that read through it, and read the SecretStore itself — never change it, since it holds
   * the tenant's scope in the secret manager. Secrets keep the `secrets` setting.
   * @default false
   */
  readonly externalSecrets?: boolean;
}

/** Permissions of a tenant's owners inside their own namespace. */
export function ownerRules(secrets: string, options: OwnerRuleOptions = {}): PolicyRule[] {
  const externalSecrets: PolicyRule[] = options.externalSecrets
    ? [
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: WRITE },
      { apiGroups: ['external-secrets.io'], resources: ['secretstores'], verbs: READ },
    ]
    : [];
  return [
    { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'serviceaccounts', 'services'], verbs: WRITE },
    { apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
    { apiGroups: [''], resources: ['endpoints', 'events', 'limitranges', 'pods/log', 'pods/status', 'resourcequotas'], verbs: READ },
    { apiGroups: [''], resources: ['secrets'], verbs: secrets === 'manage' ? SECRETS_MANAGE : READ },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
    { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
    ...(options.routing === 'gateway' ? gatewayOwnerRules() : ingressOwnerRules()),
    { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: WRITE },
    { apiGroups: ['cert-manager.io'], resources: ['certificaterequests', 'issuers'], verbs: READ },
    { apiGroups: ['acme.cert-manager.io'], resources: ['challenges', 'orders'], verbs: READ },
    ...externalSecrets,
  ];
}

/** Routing through Ingresses and Traefik's CRDs: the tenant writes its routes and Middlewares, reads the TLS settings. */
function ingressOwnerRules(): PolicyRule[] {
  return [
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
    {
      apiGroups: ['traefik.io'],
      resources: ['ingressroutes', 'ingressroutetcps', 'ingressrouteudps', 'middlewares', 'middlewaretcps', 'traefikservices'],
      verbs: WRITE,
    },
    { apiGroups: ['traefik.io'], resources: ['serverstransports', 'serverstransporttcps', 'tlsoptions', 'tlsstores'], verbs: READ },
  ];
}

/**
 * Routing through the Gateway API: the tenant writes HTTPRoutes and GRPCRoutes (the kinds its
 * listeners admit) and reads Gateways and ReferenceGrants — never writes them, nor GatewayClasses:
 * the platform's Gateway decides which hosts and namespaces its listeners admit.
 */
function gatewayOwnerRules(): PolicyRule[] {
  return [
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
    { apiGroups: [GATEWAY_API], resources: ['grpcroutes', 'httproutes'], verbs: WRITE },
    { apiGroups: [GATEWAY_API], resources: ['gateways', 'referencegrants'], verbs: READ },
  ];
}

/** What the owners of a tenant with a virtual cluster reach on the host: its kubeconfig Secret and control plane pod, by name. */
export interface VirtualClusterAccess {
  /** The Secret holding the virtual cluster's admin kubeconfig. */
  readonly kubeconfigSecret: string;
  /** The control plane's pod, which `vcluster connect` port-forwards to. */
  readonly controlPlanePod: string;
}

/**
 * Permissions of the owners of a tenant with a virtual cluster, in the host namespace: they work
 * inside the virtual cluster (as its admin, through the kubeconfig), so on the host they only
 * read what runs there, get the kubeconfig Secret by name, and port-forward to the control
 * plane's pod by name (what `vcluster connect` does). No write, no other Secret, no exec, attach
 * or ephemeral container anywhere, the control plane's pod included.
 */
export function virtualClusterOwnerRules(access: VirtualClusterAccess): PolicyRule[] {
  return [
    {
      apiGroups: [''],
      resources: ['configmaps', 'endpoints', 'events', 'limitranges', 'persistentvolumeclaims', 'pods', 'pods/log', 'resourcequotas', 'serviceaccounts', 'services'],
      verbs: READ,
    },
    { apiGroups: [''], resources: ['secrets'], resourceNames: [access.kubeconfigSecret], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods/portforward'], resourceNames: [access.controlPlanePod], verbs: ['get', 'create'] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: READ },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
    { apiGroups: ['cert-manager.io'], resources: ['certificaterequests', 'certificates', 'issuers'], verbs: READ },
    { apiGroups: ['acme.cert-manager.io'], resources: ['challenges', 'orders'], verbs: READ },
  ];
}

/** Which of Traefik's providers read a namespace. */
export interface TraefikWatch {
  /** The CRD provider reads IngressRoutes, Middlewares, TLSStores… here. */
  readonly crd: boolean;
  /** The Ingress provider reads Ingresses here (and reports their status). */
  readonly ingress: boolean;
  /**
   * The Gateway API provider reads Gateways, routes, ReferenceGrants and BackendTLSPolicies here
   * (it does not start without all of them), and reports the status of `routes` (where tenants'
   * routes are) and of the Gateways named in `gateways` (every Gateway here when `'*'`).
   * @default - no Gateway API provider
   */
  readonly gateway?: { readonly routes: boolean; readonly gateways?: readonly string[] | '*' };
}

/**
 * What a tenant's Traefik needs in one namespace it watches: read access to the objects it
 * routes to and configures from, and `update` on Ingress status. Namespaced only, like the
 * official chart's `rbac.namespaced` Role.
 */
export function traefikRules(watch: TraefikWatch): PolicyRule[] {
  const rules: PolicyRule[] = [
    { apiGroups: [''], resources: ['configmaps', 'secrets', 'services'], verbs: READ },
    { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  ];
  if (watch.ingress) {
    rules.push(
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
    );
  }
  if (watch.crd) {
    rules.push({
      apiGroups: ['traefik.io'],
      resources: [
        'ingressroutes', 'ingressroutetcps', 'ingressrouteudps', 'middlewares', 'middlewaretcps',
        'serverstransports', 'serverstransporttcps', 'tlsoptions', 'tlsstores', 'traefikservices',
      ],
      verbs: READ,
    });
  }
  if (watch.gateway) {
    rules.push({ apiGroups: [GATEWAY_API], resources: ['backendtlspolicies', 'gateways', 'grpcroutes', 'httproutes', 'referencegrants', 'tlsroutes'], verbs: READ });
    if (watch.gateway.routes) {
      rules.push({ apiGroups: [GATEWAY_API], resources: ['backendtlspolicies/status', 'grpcroutes/status', 'httproutes/status', 'tlsroutes/status'], verbs: ['update'] });
    }
    const gateways = watch.gateway.gateways;
    if (gateways === '*') rules.push({ apiGroups: [GATEWAY_API], resources: ['gateways/status'], verbs: ['update'] });
    else if (gateways?.length) rules.push({ apiGroups: [GATEWAY_API], resources: ['gateways/status'], verbs: ['update'], resourceNames: [...gateways] });
  }
  return rules;
}

/**
 * What a Traefik's Gateway API provider needs beyond namespaces: to list Namespaces (it judges
 * listeners' namespace selectors by their labels), to read GatewayClasses (it filters them by
 * label itself, and RBAC cannot), and to report the status of its own class only.
 */
export function traefikGatewayClusterRules(gatewayClass: string): PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['namespaces'], verbs: READ },
    { apiGroups: [GATEWAY_API], resources: ['gatewayclasses'], verbs: READ },
    { apiGroups: [GATEWAY_API], resources: ['gatewayclasses/status'], verbs: ['update'], resourceNames: [gatewayClass] },
  ];
}
