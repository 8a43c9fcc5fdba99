import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../imports/cert-manager-certificate';
import { Issuer } from '../imports/cert-manager-issuer';
import { DEFAULTS } from '../defaults';
import { IssuerModel } from '../model/tenancy-model';
import { certificateName, certificateSecretName, PLATFORM_NAMES, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { brand, isA } from './brand';
import { tenantLabels } from './labels';
import { checkTenantCaSecret, SHARED_CA_KEY } from '../threats/certificates';
import { PropChecks } from './refuse';
import { NO_PLATFORM_CA, TenantCertificatePolicy } from './tenant-certificate-policy';
import type { ScopedTraefik } from './scoped-traefik';
import type { TenantGateway } from './tenant-gateway';
import type { TenantNamespace } from './tenant-namespace';

/** The key of every Certificate this tool renders: ECDSA P-256, a new one on each renewal. */
export const CERTIFICATE_PRIVATE_KEY = {
  algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
  size: 256,
  rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
};

/** An ACME account, for `TenantIssuerSource.acme`. */
export interface AcmeIssuerOptions {
  /** Where the ACME server sends expiry notices. */
  readonly email: string;
  /**
   * The ACME directory, an https URL.
   * @default - Let's Encrypt production
   */
  readonly server?: string;
}

/** A CA key pair, for `TenantIssuerSource.ca`. */
export interface CaIssuerOptions {
  /** The Secret in the tenant's namespace that holds the CA's `tls.crt` and `tls.key`. */
  readonly secretName: string;
}

/**
 * How a tenant's certificates are signed: by a namespaced Issuer of the tenant's own (a
 * ClusterIssuer would let any namespace obtain certificates for the tenant's hosts), or by the
 * platform's CA, which signs only the tenant's own domains.
 */
export class TenantIssuerSource {
  /**
   * An ACME account (Let's Encrypt by default), solving HTTP-01 through the tenant's Traefik:
   * the solver's Ingress carries its class in `kubernetes.io/ingress.class`, the form a
   * namespaced Traefik matches, and a ClusterIP Service (the quota allows no NodePort).
   */
  public static acme(options: AcmeIssuerOptions): TenantIssuerSource {
    const refusals = new PropChecks('TenantIssuerSource');
    refusals.parse('acme', fields.acmeIssuer, options);
    refusals.done();
    return new TenantIssuerSource({ acme: { email: options.email, ...(options.server !== undefined ? { server: options.server } : {}) } });
  }

  /** A CA whose key pair is a Secret in the tenant's namespace. */
  public static ca(options: CaIssuerOptions): TenantIssuerSource {
    const refusals = new PropChecks('TenantIssuerSource');
    refusals.parse('ca', z.strictObject({ secretName: fields.objectName('tenant-ca') }), options);
    refusals.done();
    return new TenantIssuerSource({ ca: { secretName: options.secretName } });
  }

  /**
   * The platform's shared CA (`Platform.ca`), through its ClusterIssuer: an approver-policy
   * `TenantCertificatePolicy` lets it sign the tenant's own domains and nothing else.
   */
  public static platformCa(): TenantIssuerSource {
    return new TenantIssuerSource({ platformCA: {} });
  }

  /** Self-signed certificates (for tests and internal hosts). */
  public static selfSigned(): TenantIssuerSource {
    return new TenantIssuerSource({ selfSigned: {} });
  }

  /** The issuer as the spec writes it. @internal */
  public readonly _spec: IssuerModel;

  private constructor(spec: IssuerModel) {
    this._spec = spec;
  }
}

/** Props of `TenantIssuer`: the tenant's Traefik or Gateway, and how its certificates are signed. */
export interface TenantIssuerProps {
  /**
   * The Traefik of a tenant that routes with IngressRoutes: the Issuer goes into its tenant's
   * namespace, and ACME solves HTTP-01 through its ingress class.
   * @default - none: give `gateway` instead
   */
  readonly traefik?: ScopedTraefik;
  /**
   * The Gateway of a tenant that routes through the Gateway API: the Issuer goes into its
   * tenant's namespace, and ACME solves HTTP-01 with an HTTPRoute on it (cert-manager's
   * `gatewayHTTPRoute` solver). Takes precedence over `traefik`.
   * @default - none: give `traefik` instead
   */
  readonly gateway?: TenantGateway;
  /** How the tenant's certificates are signed. */
  readonly issuer: TenantIssuerSource;
}

/** Props earlier versions took, and what to pass instead (for JavaScript callers). */
const MOVED = {
  tenant: 'pass the tenant\'s `traefik`: the Issuer goes into the namespace it serves',
  domains: 'the certificates follow the domains of the TenantNamespace (`domains`, `addDomain`)',
  ingressClass: 'the ingress class is the `traefik`\'s',
};

/**
 * A namespaced cert-manager Issuer for one tenant (never a ClusterIssuer) and one Certificate
 * per domain of the tenant's namespace, each naming only that host: the domains the Namespace
 * lists for the admission policies, so its own Certificates are always admitted. A domain
 * added to the namespace later gets its Certificate too.
 *
 * A namespace with a `TenantVirtualCluster` gets the Issuer only: its Ingresses live in the
 * virtual cluster and name Secrets there, so its Certificates are written there too, naming this
 * Issuer, and are synced to the host and signed here (the admission policies judge them as any).
 */
export class TenantIssuer extends Construct {
  /**
   * The Traefik it solves HTTP-01 challenges through (IngressRoutes).
   * @default - none: it solves them through `gateway`
   */
  public readonly traefik?: ScopedTraefik;
  /**
   * The Gateway it solves HTTP-01 challenges through (Gateway API).
   * @default - none: it solves them through `traefik`
   */
  public readonly gateway?: TenantGateway;
  /** The tenant's namespace, where the Issuer and its Certificates live. */
  public readonly tenantNamespace: TenantNamespace;
  /** Name of the issuer the tenant's own Certificates should reference. */
  public readonly issuerName: string;
  /** Its kind: `Issuer`, or `ClusterIssuer` for the platform CA. */
  public readonly issuerKind: string;
  /**
   * The tenant's cert-manager Issuer.
   * @default - none with the platform CA, whose ClusterIssuer is the platform's
   */
  public readonly issuerObject?: ApiObject;
  /**
   * What lets the platform CA sign the tenant's domains.
   * @default - none unless the source is `TenantIssuerSource.platformCa()`
   */
  public readonly certificatePolicy?: TenantCertificatePolicy;
  private readonly _certificates: ApiObject[] = [];
  /** Whether it issues a Certificate per domain (not with a virtual cluster, whose own Certificates it signs). */
  private readonly perDomain: boolean;

  constructor(scope: Construct, id: string, props: TenantIssuerProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantIssuer');
    refusals.moved(props, MOVED);
    const traefik = props.traefik;
    const gateway = props.gateway;
    const via: { tenantNamespace: TenantNamespace } | undefined = isA(gateway, 'TenantGateway') ? gateway : isA(traefik, 'ScopedTraefik') ? traefik : undefined;
    if (gateway !== undefined && !isA(gateway, 'TenantGateway')) {
      refusals.check('gateway', 'is not a TenantGateway — pass the TenantGateway of the tenant (`tenant.gateway`)');
    } else if (gateway === undefined) {
      refusals.check('traefik', !isA(traefik, 'ScopedTraefik')
        ? 'is not a ScopedTraefik — pass the ScopedTraefik of the tenant (`tenant.traefik`)'
        : (traefik as ScopedTraefik).tenantNamespace.platform.routingApi === 'gateway'
          ? 'cannot solve HTTP-01 through an ingress class: the platform routes through the Gateway API — pass the tenant\'s `gateway` (a TenantGateway)'
          : undefined);
    }
    refusals.check(gateway !== undefined ? 'gateway' : 'traefik', via?.tenantNamespace.issuer
      ? `tenant \`${via.tenantNamespace.tenantName}\` already has a TenantIssuer (\`${via.tenantNamespace.issuer.node.path}\`) — use that one: both would be the Issuer \`tenant-issuer\``
      : undefined);
    const issuer = props.issuer instanceof TenantIssuerSource ? props.issuer._spec : undefined;
    if (issuer === undefined) {
      // A caller that bypassed the types: the spec's words for what it passed, else how to pass one.
      const before = refusals.count;
      refusals.parse('issuer', fields.issuer, props.issuer);
      if (refusals.count === before) refusals.check('issuer', 'is not a TenantIssuerSource — pass `TenantIssuerSource.acme({ email })`, `.ca({ secretName })`, `.platformCa()` or `.selfSigned()`');
    }
    if (issuer !== undefined && 'platformCA' in issuer && via !== undefined && via.tenantNamespace.platform.caIssuer === undefined) {
      refusals.check('issuer', NO_PLATFORM_CA);
    }
    if (issuer !== undefined && 'ca' in issuer) {
      refusals.check('issuer', checkTenantCaSecret(issuer.ca.secretName, via?.tenantNamespace.platform.caIssuer?.secretName), SHARED_CA_KEY);
    }
    refusals.done();
    brand(this, 'TenantIssuer');

    const tenantNamespace = via!.tenantNamespace;
    const names = tenantNames(tenantNamespace.tenantName);
    this.traefik = traefik;
    this.gateway = gateway;
    this.tenantNamespace = tenantNamespace;
    const platformCA = 'platformCA' in issuer!;
    // The platform CA's ClusterIssuer is the platform's; any other issuer is the tenant's own.
    this.issuerName = platformCA ? PLATFORM_NAMES.caIssuer : names.issuer;
    this.issuerKind = platformCA ? 'ClusterIssuer' : 'Issuer';

    if (!platformCA) {
      this.issuerObject = new Issuer(this, 'Issuer', {
        metadata: { name: names.issuer, namespace: tenantNamespace.namespaceName, labels: tenantLabels(tenantNamespace.tenantName) },
        spec: issuerSpec(issuer!, gateway ? gatewaySolver(gateway) : ingressSolver(traefik!.ingressClass), names.acmeAccountKey),
      });
    }
    tenantNamespace._attachIssuer(this);
    this.perDomain = tenantNamespace.virtualCluster === undefined;
    for (const domain of tenantNamespace.domains) this._addCertificate(domain);
    if (platformCA) this.certificatePolicy = new TenantCertificatePolicy(this, 'CertificatePolicy', { tenantNamespace });
  }

  /**
   * The Secret that receives the certificate of `domain` (`<domain>-tls`): what an Ingress's
   * `tls[].secretName` or an IngressRoute's `tls.secretName` names.
   */
  public certificateSecretName(domain: string): string {
    const refusals = new PropChecks('TenantIssuer');
    refusals.check('domain', !this.perDomain
      ? `tenant \`${this.tenantNamespace.tenantName}\` has a virtual cluster, whose Ingresses name Secrets inside it: write a Certificate there naming \`issuerRef: { kind: ${this.issuerKind}, name: ${this.issuerName} }\` and use its \`secretName\``
      : !this.tenantNamespace.domains.includes(domain.toLowerCase())
        ? `\`${domain}\` is not a domain of tenant \`${this.tenantNamespace.tenantName}\`, so it has no Certificate — add it with \`addDomain\` first`
        : this.gateway && this.tenantNamespace.platform._servedByWildcard(domain.toLowerCase())
          ? `\`${domain}\` is served with the platform wildcard's certificate on the tenant's Gateway (\`routing.wildcardCertificate\`), so it has no Certificate of its own — its HTTPS listener needs no Secret from you`
          : undefined);
    refusals.done();
    return certificateSecretName(domain.toLowerCase());
  }

  /** The Certificates, one per domain of the tenant (a copy). */
  public get certificates(): ApiObject[] {
    return [...this._certificates];
  }

  /**
   * Issues the Certificate of one more domain of the tenant's namespace (which judged it), unless
   * the platform wildcard's certificate serves it on the tenant's Gateway. @internal
   */
  public _addCertificate(domain: string): void {
    if (!this.perDomain) return;
    if (this.gateway && this.tenantNamespace.platform._servedByWildcard(domain)) return;
    this._certificates.push(new Certificate(this, `Certificate-${domain}`, {
      metadata: { name: certificateName(domain), namespace: this.tenantNamespace.namespaceName, labels: tenantLabels(this.tenantNamespace.tenantName) },
      spec: {
        secretName: certificateSecretName(domain),
        dnsNames: [domain],
        issuerRef: { group: 'cert-manager.io', kind: this.issuerKind, name: this.issuerName },
        privateKey: CERTIFICATE_PRIVATE_KEY,
      },
    }));
  }
}

/**
 * HTTP-01 through the tenant's Traefik: the solver's Ingress names its class in `class` (not
 * `ingressClassName`) — a Traefik with namespaced RBAC cannot read IngressClass objects and only
 * matches the annotation. ClusterIP, because the tenant's quota allows no NodePort Service.
 */
function ingressSolver(ingressClass: string) {
  return { http01: { ingress: { class: ingressClass, serviceType: 'ClusterIP' } } };
}

/**
 * HTTP-01 through the tenant's Gateway: cert-manager (with its Gateway API support on) puts an
 * HTTPRoute for the host in the tenant's namespace, attached to the tenant's own Gateway — the
 * listener of that host admits it, and the admission policies do. ClusterIP, as above.
 */
function gatewaySolver(gateway: TenantGateway) {
  return {
    http01: {
      gatewayHttpRoute: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.gatewayName, namespace: gateway.namespaceName }],
        serviceType: 'ClusterIP',
      },
    },
  };
}

function issuerSpec(issuer: IssuerModel, solver: object, accountKey: string) {
  if ('acme' in issuer) {
    return {
      acme: {
        email: issuer.acme.email,
        server: issuer.acme.server ?? DEFAULTS.platform.acmeServer,
        privateKeySecretRef: { name: accountKey },
        solvers: [solver],
      },
    };
  }
  if ('ca' in issuer) return { ca: { secretName: issuer.ca.secretName } };
  return { selfSigned: {} };
}
