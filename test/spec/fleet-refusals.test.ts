/** A fleet's spec refusals: every problem at its file, line, column and field, with the fix; nothing written. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refusals, runCli } from '../helpers';
import { parseSpec } from '../../src/spec/read-spec';

/** Two clusters reached by Argo CD and two tenants; `tenants` replaces the tenants, `platform` adds to the platform. */
function fleetSpec(tenants?: string, platform = '', clusters?: string): string {
  return `platform:
  allowedDomains: [example.com]
  defaults: { issuer: { acme: { email: ops@example.com } } }
  gitops: { argocd: { repoURL: "https://git.example.com/fleet.git" } }
${platform}clusters:
${clusters ?? `  - name: eu-west
    server: https://eu-west.example.com
  - name: us-east
    destinationName: us-east-prod
`}tenants:
${tenants ?? `  - name: payments
    domains: [pay.example.com]
    owners: { groups: [payments] }
  - name: search
    cluster: us-east
    domains: [search.example.com]
    owners: { groups: [search] }
`}`;
}

describe('a fleet spec', () => {
  test('is accepted, each tenant on the cluster it names or the first', () => {
    const { spec } = parseSpec(fleetSpec());
    expect(spec.clusters!.map((c) => c.name)).toEqual(['eu-west', 'us-east']);
  });

  test('refuses a tenant on a cluster the fleet does not declare, with the clusters it does and the likely one', () => {
    expect(refusals(fleetSpec().replace('cluster: us-east', 'cluster: us-eats'))).toEqual([
      'tenancy.yaml:15:14: tenants[1].cluster: `us-eats` is not a cluster of this fleet — use one of `eu-west`, `us-east` (did you mean `us-east`?), or add it under `clusters`',
    ]);
  });

  test('refuses a domain claimed on two clusters, naming the tenant and cluster that claim it first', () => {
    expect(refusals(fleetSpec().replace('[search.example.com]', '[search.example.com, PAY.example.com]'))).toEqual([
      'tenancy.yaml:16:35: tenants[1].domains[1]: `pay.example.com` is claimed on two clusters: tenant `payments` on cluster `eu-west` already claims it, and this tenant is on `us-east` — a host belongs to one tenant on one cluster of the fleet; remove one entry',
    ]);
  });

  test('refuses a domain claimed twice on one cluster with the single-cluster words', () => {
    expect(refusals(fleetSpec().replace('cluster: us-east', 'cluster: eu-west').replace('[search.example.com]', '[pay.example.com]'))).toEqual([
      'tenancy.yaml:16:15: tenants[1].domains[0]: `pay.example.com` is claimed twice: tenant `payments` already claims it — a host belongs to one tenant only; remove one entry',
    ]);
  });

  test('refuses a cluster tenant whose ClusterClass and version nobody names, at the tenant, saying where to name them', () => {
    const tenants = `  - name: ledger
    isolation: cluster
    domains: [ledger.example.com]
    owners: { groups: [ledger] }
`;
    expect(refusals(fleetSpec(tenants))).toEqual([
      'tenancy.yaml:11:5: tenants[0].clusterApi.clusterClass: tenant `ledger` has a cluster of its own (`isolation: cluster`), and no ClusterClass is named for it — set `platform.clusterApi.clusterClass` (or this tenant\'s `clusterApi.clusterClass`) to a ClusterClass in the management namespace `tenancy-clusters`',
      'tenancy.yaml:11:5: tenants[0].clusterApi.version: tenant `ledger` has a cluster of its own (`isolation: cluster`), and no Kubernetes version is named for it — set `platform.clusterApi.version` (or this tenant\'s `clusterApi.version`), e.g. `v1.33.1`',
    ]);
    // Named by the platform, or by the tenant itself: accepted.
    expect(() => parseSpec(fleetSpec(tenants, '  clusterApi: { clusterClass: tenant-cluster, version: v1.33.1 }\n'))).not.toThrow();
    expect(() => parseSpec(fleetSpec(`${tenants}    clusterApi: { clusterClass: regulated, version: v1.32.4 }\n`))).not.toThrow();
  });

  test('refuses a management namespace chosen by a tenant, and Cluster API settings for a tenant without a cluster of its own', () => {
    const platform = '  clusterApi: { clusterClass: tenant-cluster, version: v1.33.1 }\n';
    const tenants = `  - name: ledger
    isolation: cluster
    clusterApi: { namespace: ledger-clusters }
    domains: [ledger.example.com]
    owners: { groups: [ledger] }
  - name: shop
    clusterApi: { version: v1.33.1 }
    domains: [shop.example.com]
    owners: { groups: [shop] }
`;
    expect(refusals(fleetSpec(tenants, platform))).toEqual([
      'tenancy.yaml:14:30: tenants[0].clusterApi.namespace: the management namespace is the platform\'s: every Cluster API cluster of the fleet lives in `platform.clusterApi.namespace`, where tenants have no rights — remove it here',
      'tenancy.yaml:18:17: tenants[1].clusterApi: only a tenant with a cluster of its own (`isolation: cluster`) has a Cluster API cluster — remove `clusterApi`, or set `isolation: cluster`',
    ]);
  });

  test('refuses a cluster tenant whose own cluster would be reached the way another cluster is', () => {
    const platform = '  clusterApi: { clusterClass: tenant-cluster, version: v1.33.1 }\n';
    const tenants = (name: string) => `  - name: ${name}
    isolation: cluster
    domains: [ledger.example.com]
    owners: { groups: [ledger] }
`;
    expect(refusals(fleetSpec(tenants('in-cluster'), platform))).toEqual([
      'tenancy.yaml:12:11: tenants[0].name: `in-cluster` is the name Argo CD gives the cluster it runs in (the management cluster), and a cluster tenant\'s own cluster is registered in Argo CD under the tenant\'s name, so its baseline and its owners\' AppProject would reach the management cluster — rename the tenant',
    ]);
    expect(refusals(fleetSpec(tenants('us-east-prod'), platform))).toEqual([
      'tenancy.yaml:12:11: tenants[0].name: cluster `us-east` (clusters[1]) is reached with `destinationName: us-east-prod`, the way to this tenant\'s own cluster, so both would deploy to one cluster — rename the tenant, or reach `us-east` another way',
    ]);
    const flux = (clusterApi: string) => fleetSpec(tenants('ledger'), clusterApi, '  - name: eu-west\n    kubeConfigSecret: ledger-kubeconfig\n').replace('gitops: { argocd: { repoURL: "https://git.example.com/fleet.git" } }', 'gitops: { flux: { url: "https://git.example.com/fleet.git" } }');
    // In another namespace than Flux's, Cluster API's Secret of that name is another Secret.
    expect(() => parseSpec(flux(platform))).not.toThrow();
    expect(refusals(flux('  clusterApi: { namespace: flux-system, clusterClass: tenant-cluster, version: v1.33.1 }\n'))).toEqual([
      expect.stringMatching(/^tenancy\.yaml:\d+:11: tenants\[0\]\.name: cluster `eu-west` \(clusters\[0\]\) is reached with `kubeConfigSecret: ledger-kubeconfig`, the way to this tenant's own cluster/),
    ]);
  });

  test('refuses a cluster tenant placed on a shared cluster, or named like a cluster of the fleet', () => {
    const platform = '  clusterApi: { clusterClass: tenant-cluster, version: v1.33.1 }\n';
    const tenants = `  - name: us-east
    isolation: cluster
    cluster: eu-west
    domains: [ledger.example.com]
    owners: { groups: [ledger] }
`;
    expect(refusals(fleetSpec(tenants, platform))).toEqual([
      'tenancy.yaml:12:11: tenants[0].name: `us-east` is also the name of a cluster of the fleet (clusters[1]), and a cluster tenant\'s own cluster is named after the tenant — rename the tenant or the cluster',
      'tenancy.yaml:14:14: tenants[0].cluster: this tenant has a cluster of its own (`isolation: cluster`), so it is placed on no shared cluster — remove `cluster`',
    ]);
  });

  test('refuses a cluster tenant whose name is too long for the GitOps objects of its cluster', () => {
    const platform = '  clusterApi: { clusterClass: tenant-cluster, version: v1.33.1 }\n';
    const name = 'l'.repeat(47);
    expect(refusals(fleetSpec(`  - name: ${name}\n    isolation: cluster\n    domains: [ledger.example.com]\n    owners: { groups: [ledger] }\n`, platform))).toEqual([
      `tenancy.yaml:12:11: tenants[0].name: \`${name}\` is 47 characters; a cluster tenant's cluster is named after it, and so are its GitOps objects (\`tenancy-platform-<tenant>\`, which must fit in 63) — use at most 46 characters`,
    ]);
  });

  test('refuses a virtual-cluster tenant in a fleet, at the tenant or once at the defaults', () => {
    const refusal = 'a virtual cluster in a fleet is not rendered yet: its chart would be installed from the management cluster into the tenant\'s cluster, which this tool does not do — use `isolation: namespace` or `cluster` in a fleet, or render this tenant from a spec without `clusters`';
    expect(refusals(fleetSpec().replace('    cluster: us-east\n', '    cluster: us-east\n    isolation: vcluster\n'))).toEqual([`tenancy.yaml:16:16: tenants[1].isolation: ${refusal}`]);
    expect(refusals(fleetSpec().replace('  defaults: {', '  defaults: { isolation: vcluster,'))).toEqual([`tenancy.yaml:3:26: platform.defaults.isolation: ${refusal}`]);
  });

  test('refuses a cluster or a cluster tenant in a spec that declares no clusters', () => {
    const text = `platform:
  defaults: { issuer: { selfSigned: {} } }
tenants:
  - name: payments
    cluster: eu-west
    domains: [pay.example.com]
    owners: { groups: [payments] }
  - name: ledger
    isolation: cluster
    domains: [ledger.example.com]
    owners: { groups: [ledger] }
`;
    expect(refusals(text)).toEqual([
      'tenancy.yaml:5:14: tenants[0].cluster: names cluster `eu-west`, and the spec declares no `clusters` — list the fleet\'s clusters under `clusters` (the clusters tenants share), or remove `cluster`',
      'tenancy.yaml:9:16: tenants[1].isolation: gives this tenant a cluster of its own, and the spec declares no `clusters` — list the fleet\'s clusters under `clusters` (the clusters tenants share), or use `isolation: namespace`',
    ]);
  });

  test('refuses two clusters of one name, and two that Argo CD would reach at one destination', () => {
    const clusters = `  - name: eu-west
    server: https://eu-west.example.com
  - name: eu-west
  - name: us-east
    server: https://eu-west.example.com
  - name: ap-south
    destinationName: apac
    server: https://ap-south.example.com
`;
    expect(refusals(fleetSpec(undefined, '', clusters).replace('    cluster: us-east\n', ''))).toEqual([
      'tenancy.yaml:8:11: clusters[1].name: cluster `eu-west` is listed twice (first as clusters[0]) — rename one or merge them',
      'tenancy.yaml:10:13: clusters[2].server: clusters `eu-west` and `us-east` both reach the Argo CD destination `https://eu-west.example.com` — give each cluster its own `server` or `destinationName` (a cluster without either is the one Argo CD runs in)',
      'tenancy.yaml:12:22: clusters[3].destinationName: sets both `server` and `destinationName` — Argo CD refuses a destination with both; keep one',
    ]);
  });

  test('refuses two Flux clusters without a kubeconfig: only one can be the cluster Flux runs in', () => {
    const text = fleetSpec(undefined, '', '  - name: eu-west\n  - name: us-east\n    kubeConfigSecret: us-east-kubeconfig\n  - name: ap-south\n')
      .replace('argocd: { repoURL: "https://git.example.com/fleet.git" }', 'flux: { url: "https://git.example.com/fleet.git" }');
    expect(refusals(text)).toEqual([
      'tenancy.yaml:9:11: clusters[2].name: clusters `eu-west` and `ap-south` both reach the cluster Flux runs in (no `kubeConfigSecret`) — give each cluster its own `kubeConfigSecret` (a cluster without one is the one Flux runs in)',
    ]);
  });

  test('refuses a cluster name that is no DNS label or too long for its GitOps objects', () => {
    const clusters = `  - name: EU_West\n  - name: ${'c'.repeat(47)}\n    server: https://x.example.com\n`;
    expect(refusals(fleetSpec(undefined, '', clusters).replace('    cluster: us-east\n', ''))).toEqual([
      'tenancy.yaml:6:11: clusters[0].name: is not a DNS-1123 label starting with a letter — use lowercase letters, digits and `-`, e.g. `eu-west-1`',
      'tenancy.yaml:7:11: clusters[1].name: is longer than 46 characters — GitOps objects are named after it (`tenancy-platform-<cluster>` must fit in 63); use a shorter name',
    ]);
  });

  test('holds name rules across the fleet: no tenant is named like any cluster\'s platform namespace', () => {
    const clusters = '  - name: eu-west\n    server: https://eu-west.example.com\n  - name: us-east\n    destinationName: us-east-prod\n    platform: { traefik: { namespace: edge } }\n';
    expect(refusals(fleetSpec(undefined, '', clusters).replace('name: payments', 'name: edge'))).toEqual([
      'tenancy.yaml:12:11: tenants[0].name: `edge` is the platform namespace of cluster `us-east`, which holds every Traefik of its tenants — choose another tenant name (a tenant may move to any cluster of the fleet)',
    ]);
  });

  test('judges a cluster\'s own platform as the platform\'s: its namespace, its wildcard\'s zones and copies', () => {
    const clusters = `  - name: eu-west
    platform:
      traefik: { namespace: kube-system }
      wildcard:
        dnsNames: ["*.apps.example.org"]
        acme: { email: ops@example.com, dns01: { route53: { region: eu-west-1 } } }
        syncTo: { via: reflector, namespaces: [search] }
`;
    const lines = refusals(fleetSpec(undefined, '', clusters).replace('    cluster: us-east\n', ''));
    expect(lines).toEqual([
      'tenancy.yaml:8:29: clusters[0].platform.traefik.namespace: `kube-system` belongs to Kubernetes or a cluster add-on, and every tenant\'s Traefik may read the Secrets of the platform namespace — use a namespace of its own, e.g. `traefik`',
      'tenancy.yaml:10:20: clusters[0].platform.wildcard.dnsNames[0]: `*.apps.example.org` is outside `platform.allowedDomains` — use a zone under one of them',
      'tenancy.yaml:12:48: clusters[0].platform.wildcard.syncTo.namespaces[0]: `search` is a tenant of the fleet: it would receive a copy of the wildcard certificate\'s private key and could serve every host under it, other tenants\' included — remove it from this list',
    ]);
  });

  test('validate counts the fleet\'s clusters, a cluster tenant\'s own included', () => {
    const run = runCli(['validate', '--config', 'examples/fleet.yaml']);
    expect(run.stdout).toBe('examples/fleet.yaml: valid (4 tenants on 4 clusters, 1 file read).\n');
  });

  test('a refused fleet writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-refused-'));
    try {
      fs.writeFileSync(path.join(dir, 'fleet.yaml'), fleetSpec().replace('cluster: us-east', 'cluster: nowhere'));
      const run = runCli(['synth', '--config', 'fleet.yaml', '--out', 'out'], dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('fleet.yaml:15:14: tenants[1].cluster: `nowhere` is not a cluster of this fleet');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
