/**
 * Threats over the network: traffic that bypasses the tenant's Traefik, addresses a tenant
 * could intercept, and destinations no tenant pod should reach.
 */
import { DetectorRun, KubeObjectLike } from './detect/engine';
import { asArray, asRecord, asString } from './detect/values';
import { noneIn } from './cel';
import { ADMISSION_POLICY_NAMES } from '../model/names';
import { none, Threat } from './threat';


/** The cloud metadata endpoint: it hands out node credentials, so no tenant egress reaches it. */
export const METADATA_ENDPOINT = '169.254.169.254';

const SERVICES_NOT_IN_SPEC = 'tenants write their own Services: no spec field describes them';
const OWN_SERVICES = 'the constructs put no Service into tenant namespaces but cert-manager\'s ClusterIP solvers';

/** Services in tenant namespaces, for the detectors below. */
const overTenantServices = (judge: (run: DetectorRun, o: KubeObjectLike, i: number, spec: Record<string, unknown>) => void) => (run: DetectorRun) => ({
  kinds: ['Service'],
  visit: (o: KubeObjectLike, i: number) => {
    const ns = asString(o.metadata?.namespace);
    if (ns !== undefined && run.tenants.has(ns)) judge(run, o, i, asRecord(o.spec));
  },
});

export const TENANT_SERVICE_TYPES: Threat = {
  id: 'tenant-service-types',
  family: 'network',
  severity: 'high',
  title: 'A tenant Service that is not ClusterIP',
  why: 'A NodePort or LoadBalancer Service bypasses the tenant\'s Traefik and its TLS, and opens node ports shared with every tenant; an ExternalName Service can point a route at another tenant\'s Service.',
  fix: 'Keep tenant Services ClusterIP and route to them through the tenant\'s Traefik; the tenant quota caps `services.nodeports` and `services.loadbalancers` at 0.',
  spec: none(SERVICES_NOT_IN_SPEC),
  construct: none('TenantNamespace\'s ResourceQuota always caps `services.nodeports` and `services.loadbalancers` at 0'),
  values: none('Service types of tenants are not chart values'),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.serviceTypes,
      expression: "!has(object.spec.type) || object.spec.type == 'ClusterIP'",
      message: 'Services in a tenant namespace must be ClusterIP: traffic enters through the tenant\'s Traefik; NodePort, LoadBalancer and ExternalName are refused.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A Service in a tenant namespace of type `NodePort`, `LoadBalancer` or `ExternalName`.',
    detect: overTenantServices((run, o, i, spec) => {
      const type = asString(spec.type);
      if (type !== undefined && type !== 'ClusterIP') run.report(i, `is a ${type} Service in tenant namespace \`${o.metadata.namespace}\``, ['spec', 'type']);
    }),
  },
};

export const NO_EXTERNAL_IPS: Threat = {
  id: 'no-external-ips',
  family: 'network',
  severity: 'high',
  title: 'A tenant Service with externalIPs',
  why: 'spec.externalIPs lets a Service receive traffic for any address it names, other tenants\' included (CVE-2020-8554).',
  fix: 'Remove `spec.externalIPs`.',
  spec: none(SERVICES_NOT_IN_SPEC),
  construct: none(OWN_SERVICES),
  values: none('Services of tenants are not chart values'),
  admission: {
    validations: [{
      policy: ADMISSION_POLICY_NAMES.serviceTypes,
      expression: noneIn('object.spec.externalIPs'),
      message: 'spec.externalIPs can intercept traffic for any address (CVE-2020-8554) — remove it.',
    }],
  },
  audit: {
    scope: 'all',
    looksFor: 'A Service in a tenant namespace with `spec.externalIPs`.',
    detect: overTenantServices((run, o, i, spec) => {
      if (asArray(spec.externalIPs).length > 0) run.report(i, `sets externalIPs ${asArray(spec.externalIPs).join(', ')}`, ['spec', 'externalIPs']);
    }),
  },
};

export const NETWORK_THREATS: readonly Threat[] = [TENANT_SERVICE_TYPES, NO_EXTERNAL_IPS];
