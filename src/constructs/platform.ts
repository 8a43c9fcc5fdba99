import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { TlsOption } from '../imports/traefik-tlsoption';
import { PlatformModel } from '../model/tenancy-model';
import { PLATFORM_NAMES } from '../model/names';
import { DEFAULTS } from '../spec/defaults';
import { platformLabels } from './labels';
import { WildcardTLSStore } from './wildcard-tls-store';

export interface PlatformProps {
  /** The platform namespace, home of every tenant's Traefik. @default 'traefik' */
  readonly namespace?: string;
  /** Minimum TLS version of the `default` TLSOption every tenant's Traefik applies. @default 'VersionTLS12' */
  readonly tlsMinVersion?: string;
  /** The platform wildcard certificate on the default TLSStore. @default - no wildcard, no TLSStore */
  readonly wildcard?: PlatformModel['wildcard'];
}

/**
 * What all tenants share: the platform namespace (Pod Security `restricted`), the `default`
 * TLSOption every tenant's Traefik reads from it, and the wildcard TLSStore when configured.
 */
export class Platform extends Construct {
  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id);
    const namespace = props.namespace ?? DEFAULTS.platform.traefikNamespace;
    const labels = platformLabels();
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
      },
    });
    new TlsOption(this, 'TLSOption', {
      metadata: { name: PLATFORM_NAMES.tlsOption, namespace, labels },
      spec: { minVersion: props.tlsMinVersion ?? DEFAULTS.platform.tlsMinVersion },
    });
    if (props.wildcard) {
      new WildcardTLSStore(this, 'Wildcard', { namespace, ...props.wildcard });
    }
  }
}
