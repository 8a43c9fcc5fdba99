/**
 * The admission policies as each engine renders them for one spec (two tenants, External
 * Secrets on; and the same through the Gateway API, for the policy only it has), and `admit`,
 * which runs a policy through all three renderings and requires them to agree: the CEL tests
 * and the catalogue's table test judge requests with it.
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

/** The same tenants, routing through the Gateway API (one Traefik each): the Gateway API routes' policy is rendered only there. */
const gatewaySpec = (admission: string) => spec(admission).replace('platform:\n', 'platform:\n  routing: { api: gateway }\n');

export const nativeObjects = allObjects(render(spec('native')));
export const kyvernoObjects = allObjects(render(spec('kyverno')));
export const gatekeeperObjects = allObjects(render(spec('gatekeeper')));
/** The tenants' Namespaces (as `namespaceObject`) and the platform's. */
export const paymentsNs = find(nativeObjects, 'Namespace', 'payments');
export const searchNs = find(nativeObjects, 'Namespace', 'search');
export const platformNs = find(nativeObjects, 'Namespace', 'traefik');

/** The objects of the Gateway API spec, by engine (rendered on first use). */
const gatewayObjects = (() => {
  let rendered: Record<'native' | 'kyverno' | 'gatekeeper', ReturnType<typeof allObjects>> | undefined;
  return () => (rendered ??= {
    native: allObjects(render(gatewaySpec('native'))),
    kyverno: allObjects(render(gatewaySpec('kyverno'))),
    gatekeeper: allObjects(render(gatewaySpec('gatekeeper'))),
  });
})();
/** The tenants' Namespaces where they route through the Gateway API: they name the tenant's Gateway. */
export const gatewayPaymentsNs = () => find(gatewayObjects().native, 'Namespace', 'payments');
export const gatewaySearchNs = () => find(gatewayObjects().native, 'Namespace', 'search');
/** The Gateways of the Gateway API spec. */
export const gatewayApiObjects = () => gatewayObjects().native;

/** Runs `policy` as each engine renders it on the request; the three must agree. */
export function admit(policy: string, request: AdmissionRequest): AdmissionResult {
  const onlyGateway = !nativeObjects.some((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === policy);
  const { native: nativeSet, kyverno: kyvernoSet, gatekeeper: gatekeeperSet } = onlyGateway
    ? gatewayObjects()
    : { native: nativeObjects, kyverno: kyvernoObjects, gatekeeper: gatekeeperObjects };
  const native = admitVap(find(nativeSet, 'ValidatingAdmissionPolicy', policy), request);
  const kyverno = admitKyverno(find(kyvernoSet, 'ClusterPolicy', policy), request);
  const constraint = gatekeeperSet.find((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1' && o.metadata.name === policy);
  if (!constraint) throw new Error(`no Gatekeeper Constraint named ${policy}`);
  const template = find(gatekeeperSet, 'ConstraintTemplate', constraint.kind.toLowerCase());
  const gatekeeper = admitGatekeeper(template, constraint, request);
  expect(kyverno).toEqual(native);
  expect(gatekeeper).toEqual(native);
  return native;
}
