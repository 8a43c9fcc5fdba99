/**
 * The production knobs of a tenant's Traefik (issue 17): its Service (type NodePort, annotations,
 * traffic policy, load balancer class and source ranges, fixed node ports unique across
 * tenants), its scheduling (spread by default, node selector, tolerations, PriorityClass), its
 * observability (metrics reachable from the monitoring namespace only, a ServiceMonitor, access
 * logs) and the HTTPS redirect. Each setting: the objects it emits (valid upstream), and what is
 * refused, in the spec's words.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { allObjects, find, modelOf, oneTenantSpec, REPO, refusals, render } from '../helpers';
import { resolveTenancy } from '../../src/model/tenancy-model';
import { readSpec } from '../../src/spec/read-spec';
import { chartRender, writeFiles } from './chart-render';
import { toCharts, toHelmFiles } from '../../src/output/helm';
import { renderGroups } from '../../src/output/render';
import { Platform } from '../../src/constructs/platform';
import { RefusedPropError } from '../../src/constructs/refuse';
import { ACCESS_LOG_ARGS, METRICS_ARGS, REDIRECT_ARGS, ScopedTraefik } from '../../src/constructs/scoped-traefik';
import { TenantNamespace } from '../../src/constructs/tenant-namespace';
import { TraefikServiceType } from '../../src/constructs/traefik-service';
import { toYamlFiles } from '../../src/output/yaml';
import { expectValidManifests } from '../support/schemas';

/** A second tenant, `shop`, with extra YAML for its entry. */
const shop = (extra = '') => `  - name: shop
    domains: [shop.example.com]
    owners: { users: [bob] }
    issuer: { selfSigned: {} }
${extra}`;
const objectsOf = (text: string) => allObjects(render(text));
const traefikOf = (text: string, kind: string, name = 'traefik-payments') => find(objectsOf(text), kind, name, 'traefik');
const podSpecOf = (text: string) => traefikOf(text, 'Deployment').spec.template.spec;

describe('the Traefik Service', () => {
  const knobs = `    traefik:
      service:
        annotations: { service.beta.kubernetes.io/aws-load-balancer-type: nlb }
        externalTrafficPolicy: Local
        loadBalancerClass: service.k8s.aws/nlb
        loadBalancerSourceRanges: [203.0.113.0/24, "2001:db8::/32"]
`;

  test('takes annotations, externalTrafficPolicy, loadBalancerClass and loadBalancerSourceRanges, and stays valid upstream', () => {
    const service = traefikOf(oneTenantSpec(knobs), 'Service');
    expect(service.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
    expect(service.spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerClass: 'service.k8s.aws/nlb',
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
    });
    expectValidManifests(objectsOf(oneTenantSpec(knobs)));
  });

  test('NodePort, with fixed node ports per entry point', () => {
    const text = oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080, websecure: 30443 }, externalTrafficPolicy: Local } }\n');
    const service = traefikOf(text, 'Service');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports).toEqual([
      { name: 'web', port: 80, targetPort: 'web', protocol: 'TCP', nodePort: 30080 },
      { name: 'websecure', port: 443, targetPort: 'websecure', protocol: 'TCP', nodePort: 30443 },
    ]);
    expectValidManifests(objectsOf(text));
  });

  test('the platform.defaults\' settings apply field by field; a tenant\'s own replace them', () => {
    const text = `${oneTenantSpec('    traefik: { service: { loadBalancerSourceRanges: [198.51.100.0/24] } }\n', '  defaults:\n    traefik: { service: { externalTrafficPolicy: Local, loadBalancerSourceRanges: [10.0.0.0/8] } }\n')}${shop()}`;
    expect(traefikOf(text, 'Service').spec).toMatchObject({ externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['198.51.100.0/24'] });
    expect(traefikOf(text, 'Service', 'traefik-shop').spec).toMatchObject({ externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.0.0.0/8'] });
  });

  test('refuses source ranges that are not CIDRs, node ports outside 30000-32767 and keys that are not Kubernetes keys', () => {
    expect(refusals(oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 80 } } }\n'))).toEqual([
      "tenancy.yaml:8:68: tenants[0].traefik.service.nodePorts.web: 80 is not a node port — use a whole number from 30000 to 32767 (the API server's default `--service-node-port-range`), or leave it out to have one allocated",
    ]);
    expect(refusals(oneTenantSpec('    traefik: { service: { loadBalancerSourceRanges: [203.0.113.0] } }\n'))).toEqual([
      'tenancy.yaml:8:54: tenants[0].traefik.service.loadBalancerSourceRanges[0]: `203.0.113.0` is not a CIDR — write e.g. `10.0.0.0/8` or `0.0.0.0/0`',
    ]);
    expect(refusals(oneTenantSpec('    traefik: { service: { annotations: { "bad key": x } } }\n'))[0]).toContain(
      'tenants[0].traefik.service.annotations.bad key: `bad key` is not a Kubernetes key',
    );
  });

  test('refuses settings the Service type does not take, saying where the type came from', () => {
    expect(refusals(oneTenantSpec('    traefik: { serviceType: ClusterIP, service: { loadBalancerClass: service.k8s.aws/nlb, nodePorts: { web: 30080 } } }\n'))).toEqual([
      'tenancy.yaml:8:70: tenants[0].traefik.service.loadBalancerClass: `loadBalancerClass` applies to LoadBalancer Services only, and this Traefik\'s is ClusterIP — remove it, or set `serviceType` to `LoadBalancer`',
      'tenancy.yaml:8:102: tenants[0].traefik.service.nodePorts: `nodePorts` applies to LoadBalancer and NodePort Services only, and this Traefik\'s is ClusterIP — remove it, or set `serviceType` to `LoadBalancer` or `NodePort`',
    ]);
    const fromDefaults = oneTenantSpec('    traefik: { service: { loadBalancerSourceRanges: [10.0.0.0/8] } }\n', '  defaults:\n    traefik: { serviceType: NodePort }\n');
    expect(refusals(fromDefaults)).toEqual([
      'tenancy.yaml:10:53: tenants[0].traefik.service.loadBalancerSourceRanges: `loadBalancerSourceRanges` applies to LoadBalancer Services only, and this Traefik\'s is NodePort (from `platform.defaults`) — remove it, or set `serviceType` to `LoadBalancer`',
    ]);
  });

  test('refuses a node port a tenant before claimed, at the second tenant\'s line, naming the first', () => {
    const text = `${oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080, websecure: 30443 } } }\n')}${shop('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30443 } } }\n')}`;
    expect(refusals(text)).toEqual([
      "tenancy.yaml:13:68: tenants[1].traefik.service.nodePorts.web: node port 30443 is already tenant `payments` (websecure)'s — every node opens it for one Service only: choose another port, or leave it out to have one allocated",
    ]);
  });

  test('refuses one node port for both entry points of a tenant, and fixed node ports in platform.defaults', () => {
    expect(refusals(oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080, websecure: 30080 } } }\n'))).toEqual([
      "tenancy.yaml:8:86: tenants[0].traefik.service.nodePorts.websecure: node port 30080 is already tenant `payments` (web)'s — every node opens it for one Service only: choose another port, or leave it out to have one allocated",
    ]);
    expect(refusals(oneTenantSpec('', '  defaults:\n    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080 } } }\n'))).toEqual([
      "tenancy.yaml:4:68: platform.defaults.traefik.service.nodePorts.web: a fixed node port in `platform.defaults` would be every tenant's, and a node port opens for one Service only — set node ports per tenant",
    ]);
  });

  test('the constructs refuse a node port another tenant of the platform claimed, in the same words', () => {
    const chart = new Chart(Testing.app(), 'test');
    const platform = new Platform(chart, 'p');
    const traefik = (name: string, web: number) => new ScopedTraefik(chart, `t-${name}`, {
      tenantNamespace: new TenantNamespace(chart, `n-${name}`, { platform, name, owners: { groups: ['leads'] } }),
      serviceType: TraefikServiceType.NODE_PORT,
      service: { nodePorts: { web } },
    });
    traefik('shop', 30080);
    expect(() => traefik('blog', 30080)).toThrow(new RefusedPropError('ScopedTraefik', [{
      prop: 'service.nodePorts.web',
      message: "node port 30080 is already tenant `shop` (web)'s — every node opens it for one Service only: choose another port, or leave it out to have one allocated",
      threat: 'one-node-port-one-tenant',
    }]));
  });
});

describe('scheduling', () => {
  const hostname = (labels: object) => ({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } });
  const podLabels = { 'app.kubernetes.io/instance': 'traefik-payments', 'app.kubernetes.io/name': 'traefik' };

  test('with more than one replica, prefers one per node by default; with one, no constraint', () => {
    expect(podSpecOf(oneTenantSpec()).topologySpreadConstraints).toEqual([hostname(podLabels)]);
    expect(podSpecOf(oneTenantSpec('    traefik: { replicas: 1 }\n')).topologySpreadConstraints).toBeUndefined();
  });

  test('spread: zone prefers one per zone, then one per node', () => {
    expect(podSpecOf(oneTenantSpec('    traefik: { spread: zone }\n')).topologySpreadConstraints).toEqual([
      { ...hostname(podLabels), topologyKey: 'topology.kubernetes.io/zone' },
      hostname(podLabels),
    ]);
  });

  test('nodeSelector, tolerations and priorityClassName reach the pod spec, valid upstream', () => {
    const text = oneTenantSpec(`    traefik:
      nodeSelector: { node-role.example.com/ingress: "true" }
      tolerations: [{ key: dedicated, operator: Equal, value: ingress, effect: NoSchedule }, { key: spot, operator: Exists, effect: NoExecute, tolerationSeconds: 30 }]
      priorityClassName: ingress-high
`);
    expect(podSpecOf(text)).toMatchObject({
      nodeSelector: { 'node-role.example.com/ingress': 'true' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ingress', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }],
      priorityClassName: 'ingress-high',
    });
    expectValidManifests(objectsOf(text));
  });

  test('refuses control-plane tolerations and selectors, and a toleration of every taint', () => {
    expect(refusals(oneTenantSpec(`    traefik:
      tolerations: [{ key: node-role.kubernetes.io/control-plane, operator: Exists }, { operator: Exists }]
      nodeSelector: { node-role.kubernetes.io/master: "" }
`)).map((l) => l.split(' — ')[0])).toEqual([
      "tenancy.yaml:9:21: tenants[0].traefik.tolerations[0]: `node-role.kubernetes.io/control-plane` is the control-plane nodes' taint: a Traefik there, which every tenant steers with its routes, would run beside etcd and the API server's keys",
      "tenancy.yaml:9:87: tenants[0].traefik.tolerations[1]: tolerates every taint, the control plane's included",
      "tenancy.yaml:10:55: tenants[0].traefik.nodeSelector.node-role.kubernetes.io/master: `node-role.kubernetes.io/master` selects control-plane nodes: a Traefik there, which every tenant steers with its routes, would run beside etcd and the API server's keys",
    ]);
  });

  test('refuses a system PriorityClass, and with platform.priorityClasses one it does not list', () => {
    expect(refusals(oneTenantSpec('    traefik: { priorityClassName: system-cluster-critical }\n'))).toEqual([
      "tenancy.yaml:8:35: tenants[0].traefik.priorityClassName: `system-cluster-critical` preempts every other pod, other tenants' and the platform's — use a PriorityClass of your own, e.g. `ingress-high`",
    ]);
    expect(refusals(oneTenantSpec('', '  priorityClasses: [tenant-high]\n  defaults:\n    traefik: { priorityClassName: ingress-high }\n'))).toEqual([
      'tenancy.yaml:5:35: platform.defaults.traefik.priorityClassName: `ingress-high` is not in `platform.priorityClasses` (`tenant-high`) — use one of them, or add it there',
    ]);
    expect(() => render(oneTenantSpec('    traefik: { priorityClassName: ingress-high }\n', '  priorityClasses: [ingress-high]\n'))).not.toThrow();
  });
});

describe('observability and the HTTPS redirect', () => {
  const monitoring = '  monitoring: { namespace: monitoring, serviceMonitorLabels: { release: kube-prometheus-stack } }\n';
  const withMetrics = oneTenantSpec('    traefik: { metrics: true, serviceMonitor: true, accessLog: true, redirectToHttps: true }\n', monitoring);

  test('metrics on their own entry point, access log and redirect flags: each one Traefik v3.7 knows', () => {
    const container = podSpecOf(withMetrics).containers[0];
    expect(container.args.slice(-7)).toEqual([...ACCESS_LOG_ARGS, ...REDIRECT_ARGS, ...METRICS_ARGS]);
    expect(container.args).toContain('--entryPoints.web.http.redirections.entryPoint.to=:443');
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9100, protocol: 'TCP' });
    const reference = fs.readFileSync(path.resolve(__dirname, '../../../shared/reference/traefik-static-options.txt'), 'utf8');
    const known = new Set(reference.split('\n').filter((l) => l && !l.startsWith('#')));
    for (const arg of [...ACCESS_LOG_ARGS, ...REDIRECT_ARGS, ...METRICS_ARGS]) {
      const option = arg.replace(/^--/, '').split('=')[0].toLowerCase().replace(/^entrypoints\.[^.]+\./, 'entrypoints._name_.');
      expect({ arg, known: known.has(option) }).toEqual({ arg, known: true });
    }
  });

  test('only the monitoring namespace may reach the metrics port; the entry points stay open', () => {
    const policy = traefikOf(withMetrics, 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([
      { ports: [8000, 8443, 8080].map((port) => ({ protocol: 'TCP', port })) },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9100 }] },
    ]);
    expect(traefikOf(oneTenantSpec(), 'NetworkPolicy').spec.ingress).toEqual([{ ports: [8000, 8443, 8080].map((port) => ({ protocol: 'TCP', port })) }]);
  });

  test('platform.monitoring lets its namespace into every tenant namespace, by the name label Kubernetes sets', () => {
    const objects = objectsOf(`${oneTenantSpec('', monitoring)}${shop()}`);
    for (const tenant of ['payments', 'shop']) {
      expect(find(objects, 'NetworkPolicy', 'allow-from-monitoring', tenant).spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
      });
    }
    expect(objectsOf(oneTenantSpec()).some((o) => o.metadata.name === 'allow-from-monitoring')).toBe(false);
  });

  test('a ServiceMonitor and a ClusterIP metrics Service, valid against the Prometheus Operator\'s schema', () => {
    const objects = objectsOf(withMetrics);
    const service = find(objects, 'Service', 'traefik-payments-metrics', 'traefik');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/instance': 'traefik-payments', 'app.kubernetes.io/name': 'traefik' },
      ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' }],
    });
    const monitor = find(objects, 'ServiceMonitor', 'traefik-payments-metrics', 'traefik');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'traefik-payments', 'app.kubernetes.io/component': 'metrics' } },
      namespaceSelector: { matchNames: ['traefik'] },
      endpoints: [{ port: 'metrics', path: '/metrics' }],
    });
    // The public Service does not carry the metrics.
    expect(traefikOf(withMetrics, 'Service').spec.ports.map((p: { name: string }) => p.name)).toEqual(['web', 'websecure']);
    expectValidManifests(objects);
    expect(() => expectValidManifests([{ ...monitor, spec: { ...monitor.spec, endpoints: [{ port: 9100 }] } }])).toThrow(/ServiceMonitor/);
  });

  test('refuses metrics no namespace may scrape, a ServiceMonitor without metrics, and a monitoring namespace that is a tenant\'s or the platform\'s', () => {
    expect(refusals(oneTenantSpec('    traefik: { serviceMonitor: true }\n', '  defaults:\n    traefik: { metrics: true }\n'))).toEqual([
      "tenancy.yaml:4:25: platform.defaults.traefik.metrics: no namespace may scrape the metrics: the platform namespace denies all traffic but what is allowed — name Prometheus's namespace in `platform.monitoring.namespace`",
    ]);
    expect(refusals(oneTenantSpec('    traefik: { serviceMonitor: true }\n', monitoring))).toEqual([
      'tenancy.yaml:9:32: tenants[0].traefik.serviceMonitor: has no metrics to scrape — set `metrics: true` as well',
    ]);
    expect(refusals(`${oneTenantSpec('', '  monitoring: { namespace: shop }\n')}${shop()}`)).toEqual([
      "tenancy.yaml:9:11: tenants[1].name: `shop` is also the monitoring namespace (`platform.monitoring.namespace`), which every tenant namespace admits on every port: this tenant would reach every other tenant's pods — choose another tenant name, or another monitoring namespace",
    ]);
    expect(refusals(oneTenantSpec('', '  monitoring: { namespace: traefik }\n'))[0]).toContain('platform.monitoring.namespace: `traefik` is the platform namespace');
  });
});

test('examples/production.yaml (every knob, Route 53, monitoring) renders objects valid against their upstream schemas', () => {
  const objects = allObjects(renderGroups(resolveTenancy(readSpec(path.join(REPO, 'examples/production.yaml')).spec)));
  expect(objects.filter((o) => o.kind === 'ServiceMonitor').map((o) => o.metadata.name)).toEqual(['traefik-shop-metrics', 'traefik-lab-metrics']);
  expectValidManifests(objects);
});

describe('the constructs, built by hand', () => {
  const build = (monitoring?: { namespace: string }) => {
    const chart = new Chart(Testing.app(), 'test');
    const platform = new Platform(chart, 'p', { monitoring });
    const tenantNamespace = new TenantNamespace(chart, 'n', { platform, name: 'payments', owners: { groups: ['leads'] } });
    return { tenantNamespace, traefik: () => new ScopedTraefik(chart, 't', { tenantNamespace, metrics: true, serviceMonitor: true }) };
  };

  test('refuse metrics on a platform without monitoring', () => {
    expect(() => build().traefik()).toThrow('ScopedTraefik: metrics: no namespace may scrape the metrics: the platform namespace denies all traffic but what is allowed — give the Platform `monitoring` (Prometheus\'s namespace)');
  });

  test('expose the metrics Service, the ServiceMonitor and the monitoring allowance', () => {
    const { tenantNamespace, traefik } = build({ namespace: 'monitoring' });
    const t = traefik();
    expect(t.metricsService?.metadata.name).toBe('traefik-payments-metrics');
    expect(t.serviceMonitor?.kind).toBe('ServiceMonitor');
    expect(tenantNamespace.networkPolicies.map((p) => p.metadata.name)).toContain('allow-from-monitoring');
  });

  test('refuse a tenant named like the monitoring namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const platform = new Platform(chart, 'p', { monitoring: { namespace: 'observability' } });
    expect(() => new TenantNamespace(chart, 'n', { platform, name: 'observability', owners: { groups: ['leads'] } })).toThrow(/TenantNamespace: name: `observability` is also the monitoring namespace/);
  });
});

describe('routing guidance in the YAML output', () => {
  test('each tenant file opens with how to route: DNS, an IngressRoute with the tenant\'s certificate, the ingress class', () => {
    const text = toYamlFiles(render(oneTenantSpec())).get('tenants/payments.yaml')!;
    const head = text.slice(0, text.indexOf('---\n'));
    expect(head.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
    expect(head).toContain("#     kubectl -n traefik get service traefik-payments -o jsonpath='{.status.loadBalancer.ingress[0]}'\n");
    expect(head).toContain('#       - match: Host(`pay.example.com`)\n');
    expect(head).toContain('#       secretName: pay.example.com-tls\n');
    expect(head).toContain('# A plain Ingress works too, annotated `kubernetes.io/ingress.class: traefik-payments`.\n');
    // Comments only: the documents are the same objects.
    expect(parse(head)).toBeNull();
  });

  test('a NodePort tenant is told its node ports', () => {
    const text = toYamlFiles(render(oneTenantSpec('    traefik: { serviceType: NodePort, service: { nodePorts: { web: 30080, websecure: 30443 } } }\n'))).get('tenants/payments.yaml')!;
    expect(text).toContain('at the node port of `web` and 443 at that of `websecure` (web 30080, websecure 30443):');
    expect(text).toContain("# DNS: point each domain at the tenant's Traefik, Service traefik/traefik-payments (NodePort).\n");
  });
});

describe('the tenant chart takes the same settings as values', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-knobs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The tenant-payments chart of `text`, written to `dir`. */
  const chartOf = (text: string) => {
    const model = modelOf(text);
    writeFiles(dir, toHelmFiles(renderGroups(model, 'helm'), model, { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth', package: false }));
    return path.join(dir, 'tenant-payments');
  };
  const yamlOf = (text: string) => parseAllDocuments(toYamlFiles(render(text)).get('tenants/payments.yaml')!).map((d) => d.toJS()).filter((o) => o !== null);
  const specWith = (traefik: object) => oneTenantSpec(`    traefik: ${JSON.stringify(traefik)}\n`);

  const nodePortKnobs = {
    serviceType: 'NodePort',
    service: { annotations: { 'metallb.universe.tf/address-pool': 'ingress' }, externalTrafficPolicy: 'Local', nodePorts: { web: 30080, websecure: 30443 } },
    spread: 'zone',
    nodeSelector: { 'node-role.example.com/ingress': 'true' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ingress', effect: 'NoSchedule' }],
    priorityClassName: 'ingress-high',
    accessLog: true,
    redirectToHttps: true,
  };
  const loadBalancerKnobs = { replicas: 1, service: { loadBalancerClass: 'service.k8s.aws/nlb', loadBalancerSourceRanges: ['203.0.113.0/24'] } };

  test.each([
    ['NodePort, scheduling, access log and redirect', nodePortKnobs],
    ['a load balancer class and source ranges, one replica', loadBalancerKnobs],
  ])('%s: a plain spec\'s chart installed with them as values renders what the spec with them renders', (_, knobs) => {
    const installed = chartRender(chartOf(oneTenantSpec()), { values: JSON.stringify({ traefik: knobs }) });
    expect({ status: installed.status, stderr: installed.stderr }).toEqual({ status: 0, stderr: '' });
    expect(installed.objects).toEqual(yamlOf(specWith(knobs)));
  });

  test('the chart of a spec with every knob, metrics included, renders its YAML with the default values', () => {
    const text = oneTenantSpec(`    traefik: ${JSON.stringify({ ...nodePortKnobs, metrics: true, serviceMonitor: true })}\n`, '  monitoring: { namespace: monitoring }\n');
    const rendered = chartRender(chartOf(text));
    expect({ status: rendered.status, stderr: rendered.stderr }).toEqual({ status: 0, stderr: '' });
    expect(rendered.objects).toEqual(yamlOf(text));
    expectValidManifests(rendered.objects);
    // The values hold the spec's settings, so that an upgrade keeps them.
    expect(parse(fs.readFileSync(path.join(dir, 'tenant-payments/values.yaml'), 'utf8')).traefik).toMatchObject(nodePortKnobs);
  });

  test.each([
    ['a load balancer class on a NodePort Service', { serviceType: 'NodePort', service: { loadBalancerClass: 'service.k8s.aws/nlb' } }, 'traefik'],
    ['node ports on a ClusterIP Service', { serviceType: 'ClusterIP', service: { nodePorts: { web: 30080 } } }, 'traefik'],
    ['a source range that is not a CIDR', { service: { loadBalancerSourceRanges: ['203.0.113.0'] } }, 'traefik.service.loadBalancerSourceRanges.0'],
    ['a node port outside 30000-32767', { serviceType: 'NodePort', service: { nodePorts: { web: 8080 } } }, 'traefik.service.nodePorts.web'],
    ['an unknown spread', { spread: 'rack' }, 'traefik.spread'],
  ])('the schema refuses %s', (_, traefik, at) => {
    const refused = chartRender(chartOf(oneTenantSpec()), { values: JSON.stringify({ traefik }) });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`values do not match values.schema.json: ${at}`);
  });

  test('NOTES.txt routes for the Service type the values choose', () => {
    const chart = chartOf(oneTenantSpec());
    fs.writeFileSync(path.join(chart, 'templates/zz-notes.yaml'), [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: notes', 'data:',
      '  notes: {{ include "tenant-payments/templates/NOTES.txt" . | toJson }}', '',
    ].join('\n'));
    const notes = (traefik: object) => chartRender(chart, { values: JSON.stringify({ traefik }) }).objects.at(-1).data.notes as string;
    expect(notes({})).toContain("kubectl -n traefik get service traefik-payments -o jsonpath='{.status.loadBalancer.ingress[0]}'");
    expect(notes({ serviceType: 'NodePort' })).toContain("kubectl -n traefik get service traefik-payments -o jsonpath='{.spec.ports[*].nodePort}'");
    expect(notes({ serviceType: 'NodePort' })).toContain('Service type NodePort');
    expect(notes({ serviceType: 'ClusterIP' })).toContain('The Service is of type ClusterIP');
  });
});

describe('Route 53 with ambient credentials', () => {
  const wildcard = (dns01: string) => oneTenantSpec('', `  wildcard:\n    dnsNames: ["*.apps.example.com"]\n    acme: { email: ops@example.com, dns01: ${dns01} }\n`);
  const platformNotes = (text: string) => toCharts(render(text), modelOf(text), { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run synth' })[0].files.get('templates/NOTES.txt')!;

  test('the platform chart\'s NOTES.txt says the namespaced Issuer needs --issuer-ambient-credentials, and what to do instead', () => {
    const notes = platformNotes(wildcard('{ route53: { region: eu-west-1 } }'));
    expect(notes).toContain('Issuer traefik/platform-wildcard is namespaced: cert-manager lets it use its\n             pod\'s cloud identity (IRSA, EKS Pod Identity) only when it runs with\n             --issuer-ambient-credentials');
    expect(notes).toContain('a ClusterIssuer of your own');
    expect(notes).toContain('an access key Secret in traefik');
    expect(platformNotes(wildcard('{ cloudflare: { apiTokenSecretRef: { name: cf, key: token } } }'))).not.toContain('--issuer-ambient-credentials');
  });

  test('the wildcard\'s issuer is indeed a namespaced Issuer with the route53 solver and no credentials', () => {
    const issuer = find(objectsOf(wildcard('{ route53: { region: eu-west-1 } }')), 'Issuer', 'platform-wildcard', 'traefik');
    expect(issuer.spec.acme.solvers).toEqual([{ dns01: { route53: { region: 'eu-west-1' } } }]);
  });
});
