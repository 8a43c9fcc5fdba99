import { Construct } from 'constructs';
import { Certificate } from '../imports/cert-manager-certificate';
import { Issuer } from '../imports/cert-manager-issuer';
import { TlsStore } from '../imports/traefik-tlsstore';
import { z } from 'zod';
import { DEFAULTS } from '../defaults';
import { Dns01Model, SecretSyncModel } from '../model/tenancy-model';
import { PLATFORM_NAMES } from '../model/names';
import * as fields from '../spec/schema';
import { checkWildcardSecret, WILDCARD_DNS01, WILDCARD_NEEDS_DNS01, WILDCARD_TOKEN_SECRET } from '../threats/certificates';
import { checkObjectName } from '../threats/formats';
import { checkSyncNamespace, duplicateSyncNamespaceRefusal, SECRET_SYNC_INTO_TENANTS } from '../threats/secrets';
import { platformLabels } from './labels';
import { PropChecks } from './refuse';
import { CERTIFICATE_PRIVATE_KEY } from './tenant-issuer';

export interface WildcardTLSStoreProps {
  /** Platform namespace: where every tenant's Traefik reads its default TLS resources. @default 'traefik' */
  readonly namespace?: string;
  /** Names on the wildcard certificate, e.g. `*.apps.example.com`. */
  readonly dnsNames: readonly string[];
  /** Secret that receives the certificate, beside the TLSStore. @default 'platform-wildcard-tls' */
  readonly secretName?: string;
  /** ACME account and the DNS-01 provider (a wildcard cannot be validated over HTTP-01). */
  readonly acme: {
    readonly email: string;
    /** @default Let's Encrypt production */
    readonly server?: string;
    readonly dns01: Dns01Model;
  };
  /**
   * Copies of the Secret for other platform namespaces, made by reflector or replicator from
   * annotations on the Secret (`spec.secretTemplate`). Namespaces are listed by name: patterns
   * and `kubed` are refused; the spec also refuses tenant namespaces.
   * @default - the Secret stays in the platform namespace only
   */
  readonly syncTo?: SecretSyncModel;
}

/** Annotations that make `via` copy a Secret into exactly `namespaces` (both tools match whole names). */
export function secretSyncAnnotations(sync: SecretSyncModel): Record<string, string> {
  const list = sync.namespaces.join(',');
  if (sync.via === 'reflector') {
    return {
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': list,
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': list,
    };
  }
  return {
    'replicator.v1.mittwald.de/replication-allowed': 'true',
    'replicator.v1.mittwald.de/replication-allowed-namespaces': list,
    'replicator.v1.mittwald.de/replicate-to': list,
  };
}

/**
 * The platform's wildcard certificate, served by every tenant's Traefik as its default:
 * a DNS-01 Issuer and the Certificate in the platform namespace, and the `TLSStore` named
 * `default` beside the Secret. No tenant identity is bound to anything in this namespace.
 */
export class WildcardTLSStore extends Construct {
  constructor(scope: Construct, id: string, props: WildcardTLSStoreProps) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULTS.platform.traefikNamespace;
    const secretName = props.secretName ?? DEFAULTS.platform.wildcardSecretName;
    const dns01 = props.acme.dns01 as Dns01Model | undefined;
    const refusals = new PropChecks('WildcardTLSStore');
    const dnsNames = refusals.parse('dnsNames', z.array(fields.wildcardDnsName).min(1, { error: 'lists no name — add e.g. `*.apps.example.com`' }), props.dnsNames);
    refusals.check('acme.dns01', dns01 && (dns01.cloudflare || dns01.route53) ? undefined : WILDCARD_NEEDS_DNS01, WILDCARD_DNS01);
    refusals.check('secretName', checkObjectName(secretName, DEFAULTS.platform.wildcardSecretName));
    refusals.check('secretName', checkWildcardSecret(secretName, dns01?.cloudflare?.apiTokenSecretRef.name), WILDCARD_TOKEN_SECRET);
    if (props.syncTo) {
      refusals.parse('syncTo', fields.syncTo, props.syncTo);
      props.syncTo.namespaces.forEach((ns, i) => refusals.check(`syncTo.namespaces[${i}]`,
        checkSyncNamespace(ns, namespace) ?? (props.syncTo!.namespaces.indexOf(ns) < i ? duplicateSyncNamespaceRefusal(ns) : undefined), SECRET_SYNC_INTO_TENANTS));
    }
    refusals.done();
    const labels = platformLabels();

    new Issuer(this, 'Issuer', {
      metadata: { name: PLATFORM_NAMES.wildcardIssuer, namespace, labels },
      spec: {
        acme: {
          email: props.acme.email,
          server: props.acme.server ?? DEFAULTS.platform.acmeServer,
          privateKeySecretRef: { name: PLATFORM_NAMES.wildcardAcmeAccountKey },
          solvers: [{ dns01: dns01Solver(dns01!) }],
        },
      },
    });
    new Certificate(this, 'Certificate', {
      metadata: { name: PLATFORM_NAMES.wildcardCertificate, namespace, labels },
      spec: {
        secretName,
        dnsNames: [...dnsNames],
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: PLATFORM_NAMES.wildcardIssuer },
        privateKey: CERTIFICATE_PRIVATE_KEY,
        ...(props.syncTo ? { secretTemplate: { annotations: secretSyncAnnotations(props.syncTo) } } : {}),
      },
    });
    // The CRD wants `spec.defaultCertificate.secretName` (the Traefik docs' example puts a list under `spec`).
    new TlsStore(this, 'TLSStore', {
      metadata: { name: PLATFORM_NAMES.tlsStore, namespace, labels },
      spec: { defaultCertificate: { secretName } },
    });
  }
}

function dns01Solver(dns01: Dns01Model) {
  if (dns01.cloudflare) {
    return { cloudflare: { apiTokenSecretRef: { name: dns01.cloudflare.apiTokenSecretRef.name, key: dns01.cloudflare.apiTokenSecretRef.key } } };
  }
  const route53 = dns01.route53!;
  return { route53: { region: route53.region, ...(route53.hostedZoneID ? { hostedZoneId: route53.hostedZoneID } : {}) } };
}
