import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { TlsOption } from '../imports/traefik-tlsoption';
import { DEFAULTS } from '../defaults';
import { PLATFORM_CHART, PLATFORM_GITOPS_NAME, PLATFORM_NAMES, PLATFORM_OUTPUT_FILE } from '../model/names';
import { AdmissionMode, GitOpsModel, OutputFormat, PlatformCAModel, PlatformModel } from '../model/tenancy-model';
import { PlatformCAIssuer } from './platform-ca-issuer';
import { checkPlatformNamespace, PLATFORM_NAMESPACE } from '../threats/namespaces';
import { AdmissionGuardRails } from './admission-guard-rails';
import { GitOpsApp } from './gitops-app';
import { platformLabels, podSecurityLabels } from './labels';
import { defaultDenySpec } from './network-rules';
import { PropChecks } from './refuse';
import { WildcardTLSStore } from './wildcard-tls-store';

export interface PlatformProps {
  /** The platform namespace, home of every tenant's Traefik. @default 'traefik' */
  readonly namespace?: string;
  /** Minimum TLS version of the `default` TLSOption every tenant's Traefik applies. @default 'VersionTLS12' */
  readonly tlsMinVersion?: string;
  /** The platform wildcard certificate on the default TLSStore. @default - no wildcard, no TLSStore */
  readonly wildcard?: PlatformModel['wildcard'];
  /** A CA shared by the tenants that opt in (`PlatformCAIssuer`). @default - none */
  readonly ca?: PlatformCAModel;
  /** Admission guard rails of every tenant namespace (see `AdmissionGuardRails`). @default 'native' */
  readonly admission?: AdmissionMode;
  /** Tenants have SecretStores: adds the rule that keeps their ExternalSecrets on them. @default false */
  readonly externalSecrets?: boolean;
  /** An Argo CD Application, or Flux GitRepository and Kustomization, that applies the platform's file. @default - none */
  readonly gitops?: GitOpsModel;
  /** The output the GitOps app points at: the platform's YAML file, or (Argo CD only) its Helm chart. @default 'yaml' */
  readonly outputFormat?: OutputFormat;
}

/**
 * What all tenants share: the platform namespace (Pod Security `restricted`), the `default`
 * TLSOption every tenant's Traefik reads from it, the wildcard TLSStore when configured, and
 * the admission policies of every tenant namespace.
 */
export class Platform extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULTS.platform.traefikNamespace;
    const refusals = new PropChecks('Platform');
    refusals.check('namespace', checkPlatformNamespace(namespace), PLATFORM_NAMESPACE);
    refusals.done();
    const labels = platformLabels();
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          ...podSecurityLabels('restricted'),
        },
      },
    });
    // Every tenant's Traefik runs here: nothing enters or leaves but what each Traefik's own policy allows.
    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: PLATFORM_NAMES.defaultDeny, namespace, labels },
      spec: defaultDenySpec(),
    });
    new TlsOption(this, 'TLSOption', {
      metadata: { name: PLATFORM_NAMES.tlsOption, namespace, labels },
      spec: { minVersion: props.tlsMinVersion ?? DEFAULTS.platform.tlsMinVersion },
    });
    if (props.ca) new PlatformCAIssuer(this, 'CA', { secretName: props.ca.secretName });
    if (props.wildcard) {
      new WildcardTLSStore(this, 'Wildcard', { namespace, ...props.wildcard });
    }
    new AdmissionGuardRails(this, 'Admission', { mode: props.admission, externalSecrets: props.externalSecrets });
    if (props.gitops) {
      new GitOpsApp(this, 'GitOps', {
        name: PLATFORM_GITOPS_NAME,
        file: PLATFORM_OUTPUT_FILE,
        ...(props.outputFormat === 'helm' ? { chart: PLATFORM_CHART } : {}),
        gitops: props.gitops,
        labels,
      });
    }
  }
}

/** The props of the platform of a resolved Tenancy (the CLI and the `Tenancy` construct build it alike). */
export function platformPropsOf(p: PlatformModel, outputFormat: OutputFormat = 'yaml'): PlatformProps {
  return {
    namespace: p.namespace,
    wildcard: p.wildcard,
    ca: p.ca,
    admission: p.admission,
    externalSecrets: p.externalSecrets !== undefined,
    gitops: p.gitops,
    outputFormat,
  };
}
