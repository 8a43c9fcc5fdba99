import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../imports/cert-manager-certificate';
import { Issuer } from '../imports/cert-manager-issuer';
import { z } from 'zod';
import { DEFAULTS } from '../defaults';
import { IssuerModel } from '../model/tenancy-model';
import { certificateName, certificateSecretName, PLATFORM_NAMES, tenantNames } from '../model/names';
import * as fields from '../spec/schema';
import { tenantLabels } from './labels';
import { PropChecks } from './refuse';

/** The key of every Certificate this tool renders: ECDSA P-256, a new one on each renewal. */
export const CERTIFICATE_PRIVATE_KEY = {
  algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
  size: 256,
  rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
};

export interface TenantIssuerProps {
  /** The tenant; the Issuer and Certificates go into its namespace. */
  readonly tenant: string;
  /**
   * How certificates are signed. ACME uses an HTTP-01 solver whose Ingress carries the
   * tenant Traefik's class in `kubernetes.io/ingress.class` (the form a namespaced Traefik matches).
   * A `clusterIssuer` is refused: any namespace could use it.
   */
  readonly issuer: IssuerModel;
  /** Hosts the tenant serves: one Certificate each, naming only that host. Wildcards are refused. */
  readonly domains: readonly string[];
  /** Ingress class of the tenant's Traefik. @default `traefik-<tenant>` */
  readonly ingressClass?: string;
}

/** A namespaced cert-manager Issuer for one tenant (never a ClusterIssuer) and one Certificate per domain. */
export class TenantIssuer extends Construct {
  /** Name of the issuer the tenant's own Certificates should reference. */
  public readonly issuerName: string;
  /** Its kind: `Issuer`, or `ClusterIssuer` for the platform CA. */
  public readonly issuerKind: 'Issuer' | 'ClusterIssuer';

  constructor(scope: Construct, id: string, props: TenantIssuerProps) {
    super(scope, id);
    const refusals = new PropChecks('TenantIssuer');
    refusals.parse('issuer', fields.issuer, props.issuer);
    const domains = refusals.parse('domains', z.array(fields.domain), props.domains);
    refusals.done();

    const names = tenantNames(props.tenant);
    const platformCA = 'platformCA' in props.issuer;
    // The platform CA's ClusterIssuer is the platform's; any other issuer is the tenant's own.
    this.issuerName = platformCA ? PLATFORM_NAMES.caIssuer : names.issuer;
    this.issuerKind = platformCA ? 'ClusterIssuer' : 'Issuer';
    const labels = tenantLabels(props.tenant);
    const namespace = names.namespace;

    if (!platformCA) {
      new Issuer(this, 'Issuer', {
        metadata: { name: names.issuer, namespace, labels },
        spec: issuerSpec(props.issuer, props.ingressClass ?? names.ingressClass, names.acmeAccountKey),
      });
    }

    for (const domain of domains) {
      new Certificate(this, `Certificate-${domain}`, {
        metadata: { name: certificateName(domain), namespace, labels },
        spec: {
          secretName: certificateSecretName(domain),
          dnsNames: [domain],
          issuerRef: { group: 'cert-manager.io', kind: this.issuerKind, name: this.issuerName },
          privateKey: CERTIFICATE_PRIVATE_KEY,
        },
      });
    }
  }
}

function issuerSpec(issuer: IssuerModel, ingressClass: string, accountKey: string) {
  if ('acme' in issuer) {
    return {
      acme: {
        email: issuer.acme.email,
        server: issuer.acme.server ?? DEFAULTS.platform.acmeServer,
        privateKeySecretRef: { name: accountKey },
        // `class` (not `ingressClassName`): a Traefik with namespaced RBAC cannot read
        // IngressClass objects and only matches the annotation. ClusterIP, because the
        // tenant's quota allows no NodePort Service.
        solvers: [{ http01: { ingress: { class: ingressClass, serviceType: 'ClusterIP' } } }],
      },
    };
  }
  if ('ca' in issuer) return { ca: { secretName: issuer.ca.secretName } };
  return { selfSigned: {} };
}
