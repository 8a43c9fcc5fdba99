/**
 * The admission policies as each engine renders them for one spec (two tenants, External
 * Secrets on), and `admit`, which runs a policy through all three renderings and requires them
 * to agree: the CEL tests and the catalogue's table test judge requests with it.
 */
import { allObjects, find, render } from '../helpers';
import { admitGatekeeper, admitKyverno, admitVap, AdmissionRequest, AdmissionResult } from './cel-admission';

const spec = (admission: string) => `platform:
  allowedDomains: [example.com]
  admission: ${admission}
  externalSecrets: { vault: { server: "https://vault.example.com:8200" } }
tenants:
  - name: payments
    domains: [pay.example.com, api.pay.example.com]
    owners: { groups: [payments-leads] }
    issuer: { acme: { email: ops@example.com } }
  - name: search
    domains: [search.example.com]
    owners: { groups: [search-leads] }
    issuer: { selfSigned: {} }
    podSecurity: baseline
`;

export const nativeObjects = allObjects(render(spec('native')));
export const kyvernoObjects = allObjects(render(spec('kyverno')));
export const gatekeeperObjects = allObjects(render(spec('gatekeeper')));
/** The tenants' Namespaces (as `namespaceObject`) and the platform's. */
export const paymentsNs = find(nativeObjects, 'Namespace', 'payments');
export const searchNs = find(nativeObjects, 'Namespace', 'search');
export const platformNs = find(nativeObjects, 'Namespace', 'traefik');

/** Runs `policy` as each engine renders it on the request; the three must agree. */
export function admit(policy: string, request: AdmissionRequest): AdmissionResult {
  const native = admitVap(find(nativeObjects, 'ValidatingAdmissionPolicy', policy), request);
  const kyverno = admitKyverno(find(kyvernoObjects, 'ClusterPolicy', policy), request);
  const constraint = gatekeeperObjects.find((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1' && o.metadata.name === policy);
  if (!constraint) throw new Error(`no Gatekeeper Constraint named ${policy}`);
  const template = find(gatekeeperObjects, 'ConstraintTemplate', constraint.kind.toLowerCase());
  const gatekeeper = admitGatekeeper(template, constraint, request);
  expect(kyverno).toEqual(native);
  expect(gatekeeper).toEqual(native);
  return native;
}
