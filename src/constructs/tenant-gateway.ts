import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import {
  Gateway, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsCertificateRefs, GatewaySpecListenersTlsMode, ReferenceGrant,
} from '../imports/gateway-api';
import { DEFAULTS } from '../defaults';
import { certificateSecretName, LABELS, listenerNames, referenceGrantName, tenantNames } from '../model/names';
import { NAMESPACE_NAME_LABEL } from '../threats/detect/gateway-api';
import { checkGatewayHosts, GATEWAY_LISTENER_LIMIT } from '../threats/gateway';
import { brand, isA } from './brand';
import { tenantLabels } from './labels';
import { GATEWAY_API } from './rbac-rules';
import { PropChecks } from './refuse';
import type { ScopedTraefik } from './scoped-traefik';
import type { SharedTraefik } from './shared-traefik';
import type { TenantNamespace } from './tenant-namespace';
import { grantRole, TRAEFIK_PORTS } from './traefik-workload';

/** Props of `TenantGateway`. */
export interface TenantGatewayProps {
  /**
   * The tenant: its Gateway admits routes from this namespace only, for its domains only (now
   * and as `addDomain` adds more). Its platform must route through the Gateway API.
   */
  readonly tenantNamespace: TenantNamespace;
  /**
   * The tenant's own Traefik, which serves the Gateway through the GatewayClass it selects.
   * @default - the platform's SharedTraefik (`routing.traefik` is `TraefikTopology.SHARED`)
   */
  readonly traefik?: ScopedTraefik;
}

/**
 * The Gateway of one tenant, owned by the platform: in the platform namespace (tenants can read
 * Gateways, never write them), of the GatewayClass of the tenant's Traefik — its own
 * `ScopedTraefik`, or the platform's `SharedTraefik`.
 *
 * One HTTP and one HTTPS listener per domain of the tenant, on the ports of Traefik's entry
 * points. Each admits HTTPRoutes and GRPCRoutes from the tenant's namespace only, selected by
 * `kubernetes.io/metadata.name` (the label Kubernetes sets, which no one can change). The HTTPS
 * listener serves the domain's certificate from the tenant's namespace — a ReferenceGrant there
 * names that one Secret — or, with `routing.wildcardCertificate`, the platform wildcard's.
 *
 * With a shared Traefik it also holds that Traefik's Role in the tenant's namespace, and the
 * tenant's NetworkPolicy that lets that Traefik's pods in.
 */
export class TenantGateway extends Construct {
  /** Whether `x` is a TenantGateway. */
  public static isTenantGateway(x: any): x is TenantGateway {
    return isA(x, 'TenantGateway');
  }

  /** The tenant it routes to. */
  public readonly tenantNamespace: TenantNamespace;
  /** The Gateway's name: the tenant's. */
  public readonly gatewayName: string;
  /** The Gateway's namespace: the platform's. */
  public readonly namespaceName: string;
  /** The GatewayClass it names. */
  public readonly gatewayClassName: string;
  /**
   * The tenant's own Traefik, which serves the Gateway.
   * @default - none: the platform's shared Traefik serves it
   */
  public readonly traefik?: ScopedTraefik;
  /**
   * The platform's shared Traefik, which serves the Gateway.
   * @default - none: the tenant's own Traefik serves it
   */
  public readonly sharedTraefik?: SharedTraefik;
  /** The Gateway: add listeners' options here (`addJsonPatch`). */
  public readonly gateway: ApiObject;
  /**
   * The shared Traefik's Role in the tenant's namespace: its routes, Services and Secrets.
   * @default - none with the tenant's own Traefik (its ScopedTraefik holds its roles)
   */
  public readonly sharedTraefikRole?: k8s.KubeRole;
  private readonly _referenceGrants: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: TenantGatewayProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantGateway');
    const tenantNamespace = props.tenantNamespace;
    if (!isA(tenantNamespace, 'TenantNamespace')) {
      refusals.check('tenantNamespace', 'is not a TenantNamespace — pass the TenantNamespace of the tenant this Gateway routes to');
      refusals.done();
    }
    const platform = tenantNamespace.platform;
    const shared = platform.sharedTraefik;
    const traefik = props.traefik;
    refusals.check('tenantNamespace', platform.routingApi !== 'gateway'
      ? 'belongs to a platform that routes with IngressRoutes — pass `routing: { api: RoutingApi.GATEWAY }` to the Platform'
      : tenantNamespace.gateway
        ? `tenant \`${tenantNamespace.tenantName}\` already has a TenantGateway (\`${tenantNamespace.gateway.node.path}\`) — use that one: both would be the Gateway \`${tenantNamespace.tenantName}\``
        : undefined);
    refusals.check('tenantNamespace', checkGatewayHosts(tenantNamespace.domains.length), GATEWAY_LISTENER_LIMIT);
    if (shared && !shared._watches(tenantNamespace.tenantName)) {
      refusals.check('tenantNamespace', `the platform's SharedTraefik was synthesized before tenant \`${tenantNamespace.tenantName}\` joined, so it does not watch its namespace — list the tenant in the SharedTraefik's \`tenants\`, or synthesize the platform after its tenants`);
    }
    if (traefik !== undefined) {
      refusals.check('traefik', !isA(traefik, 'ScopedTraefik')
        ? 'is not a ScopedTraefik — pass the tenant\'s own ScopedTraefik, or leave it out where the platform shares one Traefik'
        : shared
          ? 'every tenant of this platform shares its Traefik — leave `traefik` out: the SharedTraefik serves this Gateway'
          : traefik.tenantNamespace !== tenantNamespace
            ? `is the Traefik of tenant \`${traefik.tenantNamespace.tenantName}\` — pass this tenant's own ScopedTraefik`
            : undefined);
    } else if (!shared) {
      refusals.check('traefik', 'is missing — pass the tenant\'s own ScopedTraefik (or give the Platform `routing.traefik: TraefikTopology.SHARED`)');
    }
    refusals.done();
    brand(this, 'TenantGateway');

    const tenant = tenantNamespace.tenantName;
    const names = tenantNames(tenant);
    this.tenantNamespace = tenantNamespace;
    this.gatewayName = names.gateway;
    this.namespaceName = platform.namespaceName;
    this.traefik = traefik;
    this.sharedTraefik = traefik ? undefined : shared;
    this.gatewayClassName = traefik ? traefik.gatewayClassName! : shared!.gatewayClassName;

    if (this.sharedTraefik) {
      const subject = { ...this.sharedTraefik._subject, labels: { ...tenantLabels(tenant), [LABELS.component]: 'ingress-controller' } };
      this.sharedTraefikRole = grantRole(this, 'SharedTraefik', tenantNamespace.namespaceName, this.sharedTraefik._tenantRules, subject).role;
    }
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: this.gatewayName, namespace: this.namespaceName, labels: tenantLabels(tenant) },
      spec: {
        gatewayClassName: this.gatewayClassName,
        listeners: Lazy.any({ produce: () => this.tenantNamespace.domains.flatMap((d) => this.listeners(d)) }) as unknown as GatewaySpecListeners[],
      },
    });
    tenantNamespace._attachGateway(this, this.sharedTraefik);
    for (const domain of tenantNamespace.domains) this._addHost(domain);
  }

  /** The name of the HTTP listener of `domain`, for a route's `parentRefs[].sectionName`. */
  public httpListenerName(domain: string): string {
    return listenerNames(domain.toLowerCase()).http;
  }

  /** The name of the HTTPS listener of `domain`, for a route's `parentRefs[].sectionName`. */
  public httpsListenerName(domain: string): string {
    return listenerNames(domain.toLowerCase()).https;
  }

  /** The ReferenceGrants, one per Secret of the tenant a listener serves (a copy). */
  public get referenceGrants(): ApiObject[] {
    return [...this._referenceGrants];
  }

  /**
   * Grants the Gateway the certificate Secret of one more domain, unless the platform wildcard
   * serves it (the TenantNamespace judged the domain; the listeners follow its domains). @internal
   */
  public _addHost(domain: string): void {
    if (this.tenantNamespace.platform._servedByWildcard(domain)) return;
    const secret = certificateSecretName(domain);
    this._referenceGrants.push(new ReferenceGrant(this, `ReferenceGrant-${domain}`, {
      metadata: { name: referenceGrantName(secret), namespace: this.tenantNamespace.namespaceName, labels: tenantLabels(this.tenantNamespace.tenantName) },
      spec: {
        from: [{ group: GATEWAY_API, kind: 'Gateway', namespace: this.namespaceName }],
        to: [{ group: '', kind: 'Secret', name: secret }],
      },
    }));
  }

  /** The two listeners of one domain: HTTP, and HTTPS with its certificate. */
  private listeners(domain: string): GatewaySpecListeners[] {
    const names = listenerNames(domain);
    const allowedRoutes = {
      namespaces: {
        from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchLabels: { [NAMESPACE_NAME_LABEL]: this.tenantNamespace.namespaceName } },
      },
      kinds: [{ group: GATEWAY_API, kind: 'HTTPRoute' }, { group: GATEWAY_API, kind: 'GRPCRoute' }],
    };
    const platform = this.tenantNamespace.platform;
    const certificate: GatewaySpecListenersTlsCertificateRefs = platform._servedByWildcard(domain)
      ? { group: '', kind: 'Secret', name: platform.wildcard?.secretName ?? DEFAULTS.platform.wildcardSecretName }
      : { group: '', kind: 'Secret', name: certificateSecretName(domain), namespace: this.tenantNamespace.namespaceName };
    return [
      { name: names.http, hostname: domain, port: TRAEFIK_PORTS.web, protocol: 'HTTP', allowedRoutes },
      {
        name: names.https,
        hostname: domain,
        port: TRAEFIK_PORTS.websecure,
        protocol: 'HTTPS',
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [certificate] },
        allowedRoutes,
      },
    ];
  }
}
