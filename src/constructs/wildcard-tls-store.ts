import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import { Certificate } from '../imports/cert-manager-certificate';
import { Issuer } from '../imports/cert-manager-issuer';
import { TlsStore } from '../imports/traefik-tlsstore';
import { DEFAULTS } from '../defaults';
import { Dns01Model, SecretSyncModel } from '../model/tenancy-model';
import { PLATFORM_NAMES } from '../model/names';
import * as fields from '../spec/schema';
import { checkWildcardSecret, checkWildcardZone, DOMAIN_WITHIN_ALLOWED_ZONES, WILDCARD_DNS01, WILDCARD_NEEDS_DNS01, WILDCARD_TOKEN_SECRET } from '../threats/certificates';
import { checkObjectName } from '../threats/formats';
import { checkSyncNamespace, duplicateSyncNamespaceRefusal, SECRET_SYNC_INTO_TENANTS, tenantInSyncToRefusal } from '../threats/secrets';
import { isA } from './brand';
import { platformLabels } from './labels';
import type { Platform } from './platform';
import { PropChecks } from './refuse';
import { CERTIFICATE_PRIVATE_KEY } from './tenant-issuer';

/** A key of a Secret. */
export interface SecretKeyReference {
  /** The Secret's name. */
  readonly name: string;
  /** The key in the Secret. */
  readonly key: string;
}

/** Cloudflare DNS-01, for `Dns01Solver.cloudflare`. */
export interface CloudflareDns01Options {
  /** The API token, in a Secret of the platform namespace (every tenant's Traefik can read it there: prefer Route 53 with ambient credentials). */
  readonly apiTokenSecretRef: SecretKeyReference;
}

/**
 * Route 53 DNS-01 with ambient credentials (IRSA or EKS Pod Identity of cert-manager's pod), for
 * `Dns01Solver.route53`. The wildcard's Issuer is namespaced: cert-manager lets it use ambient
 * credentials only when it runs with `--issuer-ambient-credentials` (see the README, "Route 53
 * with ambient credentials", for the alternatives).
 */
export interface Route53Dns01Options {
  /** The AWS region. */
  readonly region: string;
  /**
   * The hosted zone.
   * @default - cert-manager looks the zone up
   */
  readonly hostedZoneId?: string;
}

/** The DNS provider that proves control of a wildcard's zone: a wildcard cannot be validated over HTTP-01. */
export class Dns01Solver {
  /** Cloudflare, with an API token from a Secret. */
  public static cloudflare(options: CloudflareDns01Options): Dns01Solver {
    const refusals = new PropChecks('Dns01Solver');
    refusals.parse('cloudflare', z.strictObject({ apiTokenSecretRef: z.strictObject({ name: z.string().min(1), key: z.string().min(1) }) }), options);
    refusals.done();
    const ref = options.apiTokenSecretRef;
    return new Dns01Solver({ cloudflare: { apiTokenSecretRef: { name: ref.name, key: ref.key } } });
  }

  /** Route 53, with ambient credentials: no DNS credential is kept in the platform namespace (cert-manager needs `--issuer-ambient-credentials`). */
  public static route53(options: Route53Dns01Options): Dns01Solver {
    const refusals = new PropChecks('Dns01Solver');
    refusals.parse('route53', z.strictObject({ region: z.string().min(1), hostedZoneId: z.string().min(1).optional() }), options);
    refusals.done();
    return new Dns01Solver({ route53: { region: options.region, ...(options.hostedZoneId !== undefined ? { hostedZoneID: options.hostedZoneId } : {}) } });
  }

  /** The provider as the spec writes it. @internal */
  public readonly _spec: Dns01Model;

  private constructor(spec: Dns01Model) {
    this._spec = spec;
  }
}

/** The ACME account of the wildcard certificate. */
export interface WildcardAcmeOptions {
  /** Where the ACME server sends expiry notices. */
  readonly email: string;
  /**
   * The ACME directory, an https URL.
   * @default - Let's Encrypt production
   */
  readonly server?: string;
  /** The DNS provider of the challenge. */
  readonly dns01: Dns01Solver;
}

/** A tool that copies a Secret into other namespaces. kubed is not offered: it is retired. */
export enum SecretSyncTool {
  /** emberstack's reflector. */
  REFLECTOR = 'reflector',
  /** mittwald's kubernetes-replicator. */
  REPLICATOR = 'replicator',
}

/** Copies of the wildcard Secret for other platform namespaces. */
export interface SecretSync {
  /** The tool that makes the copies. */
  readonly via: SecretSyncTool;
  /** The namespaces, by exact name (both tools read each entry as a regular expression). Never a tenant's. */
  readonly namespaces: string[];
}

/** The wildcard certificate of a platform (the `wildcard` of `PlatformProps`). */
export interface WildcardTlsStoreOptions {
  /** Names on the certificate, e.g. `*.apps.example.com` (one leading `*.` at most). */
  readonly dnsNames: string[];
  /** ACME account and DNS provider. */
  readonly acme: WildcardAcmeOptions;
  /**
   * Secret that receives the certificate, beside the TLSStore.
   * @default 'platform-wildcard-tls'
   */
  readonly secretName?: string;
  /**
   * Copies of the Secret for other platform namespaces, through annotations on
   * `spec.secretTemplate`. Tenant namespaces, patterns and the platform namespace are refused.
   * @default - the Secret stays in the platform namespace only
   */
  readonly syncTo?: SecretSync;
}

/** Props of `WildcardTlsStore`: the platform, and the certificate. */
export interface WildcardTlsStoreProps extends WildcardTlsStoreOptions {
  /** The platform: the certificate and the `default` TLSStore go into its namespace, where every tenant's Traefik reads them. */
  readonly platform: Platform;
}

/** Props earlier versions took, and what to pass instead (for JavaScript callers). */
const MOVED = {
  namespace: 'pass `platform`: the wildcard lives in its namespace, beside the default TLSStore',
};

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
 * One per platform (`PlatformProps.wildcard` builds it).
 */
export class WildcardTlsStore extends Construct {
  /** The platform whose default certificate this is. */
  public readonly platform: Platform;
  /** The Secret that receives the certificate. */
  public readonly secretName: string;
  /** The DNS-01 Issuer `platform-wildcard`. */
  public readonly issuerObject: ApiObject;
  /** The Certificate `platform-wildcard`. */
  public readonly certificate: ApiObject;
  /** The TLSStore `default`. */
  public readonly tlsStore: ApiObject;
  private readonly _syncNamespaces: string[];
  private readonly _dnsNames: string[];

  constructor(scope: Construct, id: string, props: WildcardTlsStoreProps) {
    super(scope, id);
    const refusals = new PropChecks('WildcardTlsStore');
    refusals.moved(props, MOVED);
    const platform = props.platform;
    refusals.check('platform', !isA(platform, 'Platform')
      ? 'is not a Platform — pass the `Platform` whose default certificate this is'
      : platform.wildcard
        ? `the platform already has a wildcard (\`${platform.wildcard.node.path}\`) — a platform has one default TLSStore; pass all names in one \`dnsNames\``
        : undefined);
    refusals.done();
    const namespace = platform.namespaceName;
    const secretName = props.secretName ?? DEFAULTS.platform.wildcardSecretName;
    const dns01 = props.acme?.dns01 instanceof Dns01Solver ? props.acme.dns01._spec : undefined;
    const dnsNames = refusals.parse('dnsNames', z.array(fields.wildcardDnsName).min(1, { error: 'lists no name — add e.g. `*.apps.example.com`' }), props.dnsNames);
    const allowed = platform.allowedDomains;
    if (allowed.length > 0) (props.dnsNames ?? []).forEach((name, i) => refusals.check(`dnsNames[${i}]`, checkWildcardZone(name, allowed), DOMAIN_WITHIN_ALLOWED_ZONES));
    refusals.parse('acme', z.object({ email: fields.acmeIssuer.shape.email, server: fields.acmeIssuer.shape.server }), props.acme);
    refusals.check('acme.dns01', dns01 ? undefined : WILDCARD_NEEDS_DNS01, WILDCARD_DNS01);
    refusals.check('secretName', checkObjectName(secretName, DEFAULTS.platform.wildcardSecretName));
    refusals.check('secretName', checkWildcardSecret(secretName, dns01?.cloudflare?.apiTokenSecretRef.name), WILDCARD_TOKEN_SECRET);
    const syncTo = props.syncTo;
    if (syncTo) {
      refusals.parse('syncTo', fields.syncTo, syncTo);
      const tenants = platform.tenantNames;
      (syncTo.namespaces ?? []).forEach((ns, i) => refusals.check(`syncTo.namespaces[${i}]`,
        checkSyncNamespace(ns, namespace)
        ?? (syncTo.namespaces.indexOf(ns) < i ? duplicateSyncNamespaceRefusal(ns) : undefined)
        ?? (tenants.includes(ns) ? tenantInSyncToRefusal(ns) : undefined), SECRET_SYNC_INTO_TENANTS));
    }
    refusals.done();
    this.platform = platform;
    this.secretName = secretName;
    this._syncNamespaces = [...(syncTo?.namespaces ?? [])];
    this._dnsNames = [...dnsNames];
    const labels = platformLabels();

    this.issuerObject = new Issuer(this, 'Issuer', {
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
    this.certificate = new Certificate(this, 'Certificate', {
      metadata: { name: PLATFORM_NAMES.wildcardCertificate, namespace, labels },
      spec: {
        secretName,
        dnsNames: [...dnsNames],
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: PLATFORM_NAMES.wildcardIssuer },
        privateKey: CERTIFICATE_PRIVATE_KEY,
        ...(syncTo ? { secretTemplate: { annotations: secretSyncAnnotations({ via: syncTo.via as SecretSyncModel['via'], namespaces: syncTo.namespaces }) } } : {}),
      },
    });
    // The CRD wants `spec.defaultCertificate.secretName` (the Traefik docs' example puts a list under `spec`).
    this.tlsStore = new TlsStore(this, 'TLSStore', {
      metadata: { name: PLATFORM_NAMES.tlsStore, namespace, labels },
      spec: { defaultCertificate: { secretName } },
    });
    platform._attachWildcard(this);
  }

  /** The names on the certificate, lower-cased (a copy). */
  public get dnsNames(): string[] {
    return [...this._dnsNames];
  }

  /** The namespaces the Secret is copied into (a copy). */
  public get syncNamespaces(): string[] {
    return [...this._syncNamespaces];
  }
}

function dns01Solver(dns01: Dns01Model) {
  if (dns01.cloudflare) {
    return { cloudflare: { apiTokenSecretRef: { name: dns01.cloudflare.apiTokenSecretRef.name, key: dns01.cloudflare.apiTokenSecretRef.key } } };
  }
  const route53 = dns01.route53!;
  return { route53: { region: route53.region, ...(route53.hostedZoneID ? { hostedZoneId: route53.hostedZoneID } : {}) } };
}
