/**
 * The audit over the Gateway API risks of foreign manifests (issue 14, item 6):
 * `insecure-cluster-gateway.yaml` plants each — listeners open to every namespace or chosen by
 * labels, ReferenceGrants without a name, a Gateway in a tenant namespace, GatewayClasses any
 * Traefik or namespace may use, routes without hostnames on shared listeners, a gateway provider
 * without namespaces — and every one must be reported by its rule, at its file and line, and
 * nothing else (the fine objects beside each mistake are not).
 */
import * as path from 'path';
import { auditFiles, FIXTURES, lineOf, summarize } from './helpers';

const GATEWAY = path.join(FIXTURES, 'insecure-cluster-gateway.yaml');
const at = (...markers: string[]) => `${path.basename(GATEWAY)}:${lineOf(GATEWAY, ...markers)}`;

test('reports every planted Gateway API risk by rule, object, file and line, and nothing else', () => {
  expect(summarize(auditFiles([GATEWAY])).sort()).toEqual([
    // The gateway provider without namespaces, and without a label selector beside another Traefik's class.
    `traefik-scoped-providers Deployment edge/traefik-public ${at('- --providers.kubernetesgateway=true')}`,
    `gateway-class-scope Deployment edge/traefik-public ${at('- --providers.kubernetesgateway=true')}`,
    // Both classes are served by the Traefik that watches every namespace.
    `gateway-class-scope GatewayClass public ${at('kind: GatewayClass', 'name: public')}`,
    `gateway-class-scope GatewayClass traefik-alpha ${at('kind: GatewayClass', 'name: traefik-alpha')}`,
    // Listeners: every namespace, a label anyone labelling namespaces sets, two tenants.
    `gateway-listener-one-tenant Gateway edge/public ${at('name: all', 'allowedRoutes')}`,
    `gateway-listener-one-tenant Gateway edge/public ${at('name: team', 'allowedRoutes')}`,
    `gateway-listener-one-tenant Gateway edge/public ${at('name: both', 'namespaces:')}`,
    `gateway-in-tenant-namespace Gateway beta/own ${at('metadata: { name: own, namespace: beta }')}`,
    `reference-grant-names-one ReferenceGrant alpha/all-secrets ${at('name: all-secrets', 'to: [{ group: "", kind: Secret }]')}`,
    `gateway-route-hostnames HTTPRoute alpha/no-hosts ${at('name: no-hosts', 'spec:')}`,
    `gateway-route-hostnames HTTPRoute beta/wild ${at('name: wild', 'hostnames: ["*.example.com"]')}`,
    `gateway-parent-refs GRPCRoute beta/on-alpha ${at('name: on-alpha', 'parentRefs')}`,
  ].sort());
});

test('the messages say what the risk reaches', () => {
  const messages = auditFiles([GATEWAY]).findings.map((f) => `${f.rule}: ${f.message}`);
  expect(messages).toEqual(expect.arrayContaining([
    'gateway-listener-one-tenant: listener `all` admits routes from every namespace',
    'gateway-listener-one-tenant: listener `team` admits routes from namespaces chosen by labels (team) that whoever labels namespaces can set',
    'gateway-listener-one-tenant: listener `both` admits routes from `alpha`, `beta`',
    'gateway-route-hostnames: has no hostnames, so it answers for every host of listener `all` of Gateway edge/public, which admits routes from every namespace',
    'gateway-parent-refs: attaches to Gateway `alpha/gw`, of tenant `alpha`',
    'reference-grant-names-one: lets Gateways of `edge` use every Secret of namespace `alpha`',
    'gateway-class-scope: Gateways of any namespace may use it: Deployment edge/traefik-public serves it and watches every namespace',
  ]));
});
