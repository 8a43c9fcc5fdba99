/**
 * `npm run bench`: how long `npm run synth` takes, end to end and cold, and how much memory it
 * needs, at 1,000 to 20,000 tenants (one file each under `tenantsDir`, as teams onboard them),
 * for YAML and Helm output; against two floors; with a breakdown by stage.
 *
 * - Cold synth: `npm run synth -- --config … --out …` in a fresh process per run; wall time, and
 *   the synth process's CPU time and peak RSS (`process.resourceUsage().maxRSS`, its threads
 *   included), reported by bench/peak-rss.js, which NODE_OPTIONS preloads.
 * - Floors: node start (a cold `node -e 0`) plus the serialization alone of the same objects,
 *   with the fastest YAML writer tried, and with `JSON.stringify` (no YAML writer can beat it).
 *   The writers tried (on each tenant's objects, rendered but not timed): our writer (js-yaml 5
 *   with the quoting tag of src/output/yaml.ts), js-yaml 4 (`js-yaml-4`, a devDependency kept
 *   for this comparison), `yaml.stringify`, and `JSON.stringify`.
 * - Breakdown: the same pipeline in process, stage by stage, on one thread (synth overlaps
 *   serializing and writing with rendering in a writer thread, so its wall time is less than
 *   the sum), and how long reading the tenant files alone takes (one synchronous call each).
 *
 * Prints Markdown and writes it to bench/results.md. Targets are reported, never asserted.
 *
 * - Routing modes: the same tenants routed three ways (`platform.routing`: IngressRoutes with a
 *   Traefik per tenant, the Gateway API with a Traefik per tenant, or one shared Traefik): objects,
 *   Traefik Deployments and load balancers in the output, and the cold synth's cost.
 *
 * - Fleets: the same tenants across clusters (`clusters:`, one `cluster:` each, round robin) with
 *   Argo CD delivery, so that every tenant also gets its management file: `npm run synth` cold,
 *   YAML, at 1,000 to 10,000 tenants on 50 clusters; CPU time per tenant says whether the cost is
 *   linear, peak RSS whether memory grows with the fleet.
 *
 *   npm run bench                         sizes 1000, 10000, 20000; routing modes at 1000; fleets 1000x50, 5000x50, 10000x50
 *   npm run bench -- --sizes 1000,10000   some sizes
 *   npm run bench -- --fleets 1000x50     some fleets (tenants x clusters); `--fleets none` for none
 *   npm run bench -- --routing-sizes 100,1000   the routing comparison at these sizes (`''` skips it)
 *   npm run bench -- --no-write-results
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const DEFAULT_SIZES = [1000, 10000, 20000];
const DEFAULT_FLEETS = ['1000x50', '5000x50', '10000x50'];
/** Sizes of the routing comparison (`--routing-sizes`; an empty list skips it). */
const DEFAULT_ROUTING_SIZES = [1000];
const MiB = 1024 * 1024;

/**
 * Where the bench writes specs and outputs: one folder (its path in this variable, for the child
 * processes too), removed when the whole run ends, not between runs. On a disk that discards
 * freed blocks as they are freed (ext4 mounted with `discard`, as on this project's machine),
 * removing one run's 100,000 files slows the next run's file creation for minutes.
 */
const SCRATCH_ENV = 'TENANCY_BENCH_SCRATCH';
function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env[SCRATCH_ENV] ?? os.tmpdir(), prefix));
}
/** Sizes up to this one run `yaml.stringify` too (it takes about 2.5 s per 1,000 tenants). */
const SLOW_WRITER_MAX = 10000;

// ---------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------

/** How a benchmarked spec routes: the default, or the Gateway API with one Traefik per tenant or one shared. */
export type RoutingMode = 'ingressroute' | 'gateway-per-tenant' | 'gateway-shared';
export const ROUTING_MODES: readonly RoutingMode[] = ['ingressroute', 'gateway-per-tenant', 'gateway-shared'];
const ROUTING_LINES: Record<RoutingMode, string[]> = {
  'ingressroute': [],
  'gateway-per-tenant': ['  routing: { api: gateway, traefik: per-tenant }'],
  'gateway-shared': ['  routing: { api: gateway, traefik: shared }'],
};

const platformLines = (routing?: RoutingMode) => [
  'platform:',
  '  traefik: { namespace: traefik, image: "traefik:v3.7.11" }',
  ...(routing ? ROUTING_LINES[routing] : []),
  '  allowedDomains: [example.com]',
  '  wildcard:',
  '    dnsNames: ["*.apps.example.com"]',
  '    acme:',
  '      email: platform@example.com',
  '      dns01: { cloudflare: { apiTokenSecretRef: { name: cloudflare-api-token, key: api-token } } }',
  '  defaults:',
  '    issuer: { acme: { email: platform@example.com } }',
];

/**
 * Tenant `i`: two domains, owners (a group and a user), a quota; every 4th manages Secrets with
 * egress, every 5th is self-signed with one ClusterIP replica — but with `routing` set (the routing
 * comparison) no tenant sizes its own Traefik (a shared one refuses it), so every per-tenant
 * Traefik is a LoadBalancer.
 */
function tenantLines(i: number, routing?: RoutingMode): string[] {
  const name = `tenant-${String(i).padStart(5, '0')}`;
  return [
    `name: ${name}`,
    `team: team-${i % 97}`,
    `environment: ${i % 3 === 0 ? 'staging' : 'production'}`,
    `domains: [${name}.example.com, api.${name}.example.com]`,
    'owners:',
    `  groups: [${name}-admins]`,
    `  users: [owner-${i}@example.com]`,
    'quota:',
    '  requests: { cpu: "2", memory: 4Gi }',
    '  limits: { cpu: "4", memory: 8Gi }',
    '  pods: 30',
    ...(i % 4 === 0 ? ['secrets: manage', 'egress: { cidrs: [10.0.0.0/8], ports: [5432] }'] : []),
    ...(i % 5 === 0 ? ['issuer: { selfSigned: {} }', ...(routing ? [] : ['traefik: { replicas: 1, serviceType: ClusterIP }'])] : []),
  ];
}

/** A spec of `n` inline tenants (one text): for tests that want a large spec in memory. */
export function generateSpec(n: number, routing?: RoutingMode): string {
  const lines = [...platformLines(routing), 'tenants:'];
  for (let i = 0; i < n; i++) lines.push(...tenantLines(i, routing).map((l, k) => `${k === 0 ? '  - ' : '    '}${l}`));
  return `${lines.join('\n')}\n`;
}

/** `dir/tenancy.yaml` and `n` tenant files under `dir/tenants/`, as `npm run onboard` lays them out. */
export function generateSpecDir(dir: string, n: number, routing?: RoutingMode): string {
  fs.mkdirSync(path.join(dir, 'tenants'), { recursive: true });
  const config = path.join(dir, 'tenancy.yaml');
  fs.writeFileSync(config, `${[...platformLines(routing), 'tenantsDir: tenants'].join('\n')}\n`);
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, 'tenants', `tenant-${String(i).padStart(5, '0')}.yaml`), `${tenantLines(i, routing).join('\n')}\n`);
  return config;
}

/** The platform of a fleet: the single cluster's, with Argo CD delivery. */
const FLEET_PLATFORM = [...platformLines(), '  gitops: { argocd: { repoURL: "https://git.example.com/platform/fleet.git", path: out } }'];

/**
 * A fleet: `dir/tenancy.yaml` declaring `clusters` clusters (each reached by its API server), and
 * `n` tenant files, tenant `i` on cluster `i % clusters`.
 */
export function generateFleetDir(dir: string, n: number, clusters: number): string {
  fs.mkdirSync(path.join(dir, 'tenants'), { recursive: true });
  const config = path.join(dir, 'tenancy.yaml');
  const clusterName = (c: number) => `cluster-${String(c).padStart(2, '0')}`;
  const declared = Array.from({ length: clusters }, (_, c) => [`  - name: ${clusterName(c)}`, `    server: https://${clusterName(c)}.k8s.example.com`]).flat();
  fs.writeFileSync(config, `${[...FLEET_PLATFORM, 'clusters:', ...declared, 'tenantsDir: tenants'].join('\n')}\n`);
  for (let i = 0; i < n; i++) {
    fs.writeFileSync(path.join(dir, 'tenants', `tenant-${String(i).padStart(5, '0')}.yaml`), `${[...tenantLines(i), `cluster: ${clusterName(i % clusters)}`].join('\n')}\n`);
  }
  return config;
}

// ---------------------------------------------------------------------------
// Child: the pipeline in process, stage by stage, and the writers on the same objects
// ---------------------------------------------------------------------------

interface Breakdown {
  tenants: number;
  objects: number;
  yamlBytes: number;
  /** Milliseconds. `readFiles`: the tenant files read alone, one synchronous call each. */
  stages: { readFiles: number; readSpec: number; resolve: number; render: number; selfCheck: number; yaml: number; write: number };
  /** Serialization alone of every tenant's objects, in ms; absent when not run at this size. */
  writers: { ours: number; jsYaml4: number; yamlPackage?: number; json: number };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function breakdown(config: string, n: number): Breakdown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { readSpec } = require('../src/spec/read-spec') as typeof import('../src/spec/read-spec');
  const { listYamlFiles } = require('../src/spec/load') as typeof import('../src/spec/load');
  const { resolveTenancy } = require('../src/model/tenancy-model') as typeof import('../src/model/tenancy-model');
  const { eachGroup } = require('../src/output/render') as typeof import('../src/output/render');
  const { SelfCheck } = require('../src/output/self-check') as typeof import('../src/output/self-check');
  const { toYamlStream, GENERATED_HEADER } = require('../src/output/yaml') as typeof import('../src/output/yaml');
  const jsYaml4 = require('js-yaml-4') as { dump: (o: unknown, options: object) => string };
  const { stringify } = require('yaml') as typeof import('yaml');
  /* eslint-enable @typescript-eslint/no-require-imports */

  let t = now();
  for (const file of listYamlFiles(path.join(path.dirname(config), 'tenants')).files) fs.readFileSync(file, 'utf8');
  const readFiles = now() - t;
  t = now();
  const spec = readSpec(config).spec;
  const readSpecMs = now() - t;
  t = now();
  const model = resolveTenancy(spec);
  const resolve = now() - t;

  const out = scratch('breakdown-out-');
  const stages = { readFiles, readSpec: readSpecMs, resolve, render: 0, selfCheck: 0, yaml: 0, write: 0 };
  const writers = { ours: 0, jsYaml4: 0, yamlPackage: n <= SLOW_WRITER_MAX ? 0 : undefined as number | undefined, json: 0 };
  let objects = 0;
  let yamlBytes = 0;
  try {
    const check = new SelfCheck(model);
    const groups = eachGroup(model);
    fs.mkdirSync(path.join(out, 'tenants'));
    for (;;) {
      t = now();
      const next = groups.next();
      stages.render += now() - t;
      if (next.done) break;
      const group = next.value;
      t = now();
      check.add(group);
      stages.selfCheck += now() - t;
      t = now();
      const text = toYamlStream(group.objects);
      stages.yaml += now() - t;
      writers.ours += now() - t;
      t = now();
      fs.writeFileSync(path.join(out, group.file), text);
      stages.write += now() - t;
      objects += group.objects.length;
      yamlBytes += text.length;
      // The other writers on the same objects, as plain JSON (what any writer is given).
      const plain = JSON.parse(JSON.stringify(group.objects)) as unknown[];
      t = now();
      let s = GENERATED_HEADER;
      for (const o of plain) s += `---\n${jsYaml4.dump(o, { lineWidth: -1, noRefs: true, quotingType: '"' })}`;
      writers.jsYaml4 += now() - t;
      if (writers.yamlPackage !== undefined) {
        t = now();
        s = GENERATED_HEADER;
        for (const o of plain) s += `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`;
        writers.yamlPackage += now() - t;
      }
      t = now();
      s = GENERATED_HEADER;
      for (const o of plain) s += `---\n${JSON.stringify(o)}\n`;
      writers.json += now() - t;
      if (s.length === 0) throw new Error('empty');
    }
    check.finish();
  } finally {
    if (process.env[SCRATCH_ENV] === undefined) fs.rmSync(out, { recursive: true, force: true });
  }
  return { tenants: n, objects, yamlBytes, stages, writers };
}

// ---------------------------------------------------------------------------
// Parent: specs, cold synth runs, report
// ---------------------------------------------------------------------------

interface SynthRun {
  /** Wall time of `npm run synth`, ms. */
  wall: number;
  /** CPU time (user + system, all threads) of the synth process, ms. */
  cpu: number;
  /** Peak RSS of the synth process, bytes. */
  peakRss: number;
  files: string;
}

/** `npm run synth` in a fresh process, cold; its peak RSS and CPU from bench/peak-rss.js. */
function coldSynth(config: string, format: 'yaml' | 'helm', inspect?: (out: string) => void): SynthRun {
  const tmp = scratch('synth-');
  const report = path.join(tmp, 'usage.jsonl');
  const args = ['run', '--silent', 'synth', '--', '--config', config, '--out', path.join(tmp, 'out'), ...(format === 'helm' ? ['--format', 'helm'] : [])];
  const start = now();
  const result = spawnSync('npm', args, {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'peak-rss.js')}`, BENCH_USAGE_FILE: report },
  });
  const wall = now() - start;
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (status ${result.status}): ${result.stderr}`);
  const usage = fs.readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; maxRss: number; cpuMs: number })
    .find((u) => u.argv.some((a) => a.endsWith('tenancy.js')));
  if (!usage) throw new Error('bench/peak-rss.js did not report the synth process');
  inspect?.(path.join(tmp, 'out'));
  return { wall, cpu: usage.cpuMs, peakRss: usage.maxRss, files: result.stdout.trim() };
}

/** Median wall time of `node -e 0`, cold processes. */
function nodeStart(): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(now() - start);
  }
  return median(times);
}

function child(args: string[]): string {
  const result = spawnSync(process.execPath, ['--max-old-space-size=4096', '-r', require.resolve('ts-node/register/transpile-only'), __filename, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
  });
  if (result.status !== 0) throw new Error(`child ${args.join(' ')} failed (status ${result.status}):\n${result.stderr}`);
  return result.stdout.trim();
}

const s = (ms: number) => (ms / 1000).toFixed(ms < 1000 ? 3 : 2);
const mib = (bytes: number) => (bytes / MiB).toFixed(0);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface FleetResult {
  tenants: number;
  clusters: number;
  yaml: SynthRun;
}

interface SizeResult {
  tenants: number;
  /** Cold `node -e 0`, ms. */
  nodeStart: number;
  yaml: SynthRun;
  helm: SynthRun;
  breakdown: Breakdown;
}

/** The fleet section of the report. */
function fleetReport(fleets: readonly FleetResult[]): string[] {
  const lines = ['## Fleets: `npm run synth`, cold', ''];
  if (fleets.length === 0) return [...lines, 'Not run (`--fleets none`).', ''];
  lines.push('The tenants above, on clusters declared under `clusters` (tenant `i` on cluster `i mod clusters`), Argo CD delivering them: per cluster a folder with its platform and its tenants\' files, and on the management cluster the fleet\'s ApplicationSet and each tenant\'s AppProject. YAML output, one cold run each. Groups are rendered, self-checked (against their cluster\'s) and written one at a time, so what grows with the fleet is the spec and its model, not the output held.', '');
  lines.push('| tenants | clusters | files | wall (s) | CPU (s) | CPU per tenant (ms) | peak RSS (MiB) | peak per 1,000 tenants above the smallest fleet (MiB) |', '|---:|---:|---:|---:|---:|---:|---:|---:|');
  const smallest = fleets[0];
  for (const f of fleets) {
    const files = /Wrote (\d+) files/.exec(f.yaml.files)?.[1] ?? '?';
    const growth = f === smallest ? '—' : ((f.yaml.peakRss - smallest.yaml.peakRss) / MiB / ((f.tenants - smallest.tenants) / 1000)).toFixed(1);
    lines.push(`| ${int(f.tenants)} | ${f.clusters} | ${files} | ${s(f.yaml.wall)} | ${s(f.yaml.cpu)} | ${(f.yaml.cpu / f.tenants).toFixed(2)} | ${mib(f.yaml.peakRss)} | ${growth} |`);
  }
  lines.push('');
  return lines;
}

/** The same tenants routed one way: what the output holds, and what the cold synth cost. */
interface RoutingResult {
  tenants: number;
  mode: RoutingMode;
  synth: SynthRun;
  objects: number;
  /** Traefik Deployments, and Services of type LoadBalancer (each one a cloud load balancer). */
  traefiks: number;
  loadBalancers: number;
}

/** Counts the objects of a YAML output folder: all, Traefik Deployments, LoadBalancer Services. */
function countOutput(out: string): Pick<RoutingResult, 'objects' | 'traefiks' | 'loadBalancers'> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  const counts = { objects: 0, traefiks: 0, loadBalancers: 0 };
  const files = [path.join(out, 'platform.yaml'), ...fs.readdirSync(path.join(out, 'tenants')).filter((f) => /^[^.]+\.yaml$/.test(f)).map((f) => path.join(out, 'tenants', f))];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8')) as Array<{ toJS(): any }>) {
      const o = doc.toJS();
      if (!o) continue;
      counts.objects++;
      if (o.kind === 'Deployment' && o.metadata?.labels?.['app.kubernetes.io/name'] === 'traefik') counts.traefiks++;
      if (o.kind === 'Service' && o.spec?.type === 'LoadBalancer') counts.loadBalancers++;
    }
  }
  return counts;
}

function routingSection(routing: RoutingResult[]): string[] {
  if (routing.length === 0) return [];
  const names: Record<RoutingMode, string> = { 'ingressroute': 'IngressRoutes, Traefik per tenant', 'gateway-per-tenant': 'Gateway API, Traefik per tenant', 'gateway-shared': 'Gateway API, one shared Traefik' };
  const lines = ['## Routing modes', ''];
  lines.push('The same tenants (`generateSpecDir(dir, n, mode)`: no tenant sizes its own Traefik, so every per-tenant Traefik is a LoadBalancer), routed three ways (`platform.routing`); one cold `npm run synth` each. Load balancers = Services of type LoadBalancer in the output: what the cloud bills.', '');
  lines.push('| tenants | routing | objects | Traefik Deployments | load balancers | synth (s) | CPU (s) | peak RSS (MiB) |', '|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of routing) {
    lines.push(`| ${int(r.tenants)} | ${names[r.mode]} | ${int(r.objects)} | ${int(r.traefiks)} | ${int(r.loadBalancers)} | ${s(r.synth.wall)} | ${s(r.synth.cpu)} | ${mib(r.synth.peakRss)} |`);
  }
  lines.push('');
  return lines;
}

function report(results: SizeResult[], start: number, command: string, loadAtStart: number[], rebuildMs: number | undefined, routing: RoutingResult[], fleets: readonly FleetResult[]): string {
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`- Date: ${new Date().toISOString()}; the run took ${s(now() - start)} s.`);
  lines.push(`- Machine: ${os.cpus().length} CPUs (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}; Node ${process.version}.`);
  lines.push(`- Load average at the start (1, 5, 15 min): ${loadAtStart.map((x) => x.toFixed(2)).join(', ')}; at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}. On a shared machine wall times grow with the load; CPU times less so.`);
  lines.push(`- Command: \`${command}\`. One cold run per size and format: \`npm run synth -- --config SPEC --out NEW_FOLDER [--format helm]\`, the spec's tenants one file each under \`tenantsDir\`.`);
  lines.push(`- Specs and outputs written under \`${os.tmpdir()}\` (\`TMPDIR\`), all removed when the run ends, not between runs.`);
  lines.push(`- Peak = RSS high-water mark of the synth process (its writer thread included); CPU = its user + system time, all threads. ${rebuildMs === undefined ? 'lib/ was up to date.' : `lib/ was recompiled first (${s(rebuildMs)} s, not counted).`}`);
  lines.push('- Floors: node start (cold `node -e 0`) plus serializing the same objects, alone, in one process: with the fastest YAML writer tried, and with `JSON.stringify`. Ratios are `npm run synth` wall time over each floor.', '');

  lines.push('## `npm run synth`, cold', '');
  lines.push('| tenants | objects | YAML (s) | CPU (s) | peak RSS (MiB) | Helm (s) | Helm CPU (s) | Helm peak (MiB) | Helm / YAML | floor: node + fastest YAML writer (s) | YAML / floor | floor: node + JSON.stringify (s) | YAML / JSON floor |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const w = r.breakdown.writers;
    const fastest = Math.min(w.ours, w.jsYaml4, w.yamlPackage ?? Infinity);
    const floor = r.nodeStart + fastest;
    const jsonFloor = r.nodeStart + w.json;
    lines.push(`| ${int(r.tenants)} | ${int(r.breakdown.objects)} | ${s(r.yaml.wall)} | ${s(r.yaml.cpu)} | ${mib(r.yaml.peakRss)} | ${s(r.helm.wall)} | ${s(r.helm.cpu)} | ${mib(r.helm.peakRss)} | ${(r.helm.wall / r.yaml.wall).toFixed(2)}× | ${s(floor)} | ${(r.yaml.wall / floor).toFixed(2)}× | ${s(jsonFloor)} | ${(r.yaml.wall / jsonFloor).toFixed(2)}× |`);
  }
  lines.push('');

  lines.push('## The YAML writers, on the same objects', '');
  lines.push('Each tenant\'s objects serialized alone (one document per object, as the output has them), summed; seconds. Node start (cold `node -e 0`): ' +
    `${s(results[0]?.nodeStart ?? 0)} s.`, '');
  lines.push('| tenants | ours: js-yaml 5.5 + quoting tag | js-yaml 4.3 | `yaml` 2.9 `stringify` | `JSON.stringify` |', '|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const w = r.breakdown.writers;
    lines.push(`| ${int(r.tenants)} | ${s(w.ours)} | ${s(w.jsYaml4)} | ${w.yamlPackage === undefined ? 'not run' : s(w.yamlPackage)} | ${s(w.json)} |`);
  }
  lines.push('');

  lines.push('## Where the time goes (in process, one thread)', '');
  lines.push('The pipeline stage by stage, serializing and writing on the main thread (synth does both in its writer thread, overlapping them with rendering). `read files` is reading the tenant files alone, one synchronous call each; `read spec` includes it, with parsing and validation.', '');
  lines.push('| tenants | read files | read spec | resolve | render | self-check | YAML | write | sum |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const st = r.breakdown.stages;
    const sum = st.readSpec + st.resolve + st.render + st.selfCheck + st.yaml + st.write;
    lines.push(`| ${int(r.tenants)} | ${s(st.readFiles)} | ${s(st.readSpec)} | ${s(st.resolve)} | ${s(st.render)} | ${s(st.selfCheck)} | ${s(st.yaml)} | ${s(st.write)} | ${s(sum)} |`);
  }
  lines.push('');

  lines.push(...routingSection(routing));
  lines.push(...fleetReport(fleets));

  lines.push('## Targets', '');
  const at = (n: number) => results.find((r) => r.tenants === n);
  const check = (label: string, ok: boolean | undefined, detail: string) => lines.push(`- ${ok === undefined ? 'NOT RUN' : ok ? 'met' : 'MISSED'}: ${label} (${detail})`);
  const r1 = at(1000);
  const r10 = at(10000);
  const r20 = at(20000);
  check('1,000 tenants in ≤ 2.5 s', r1 && r1.yaml.wall <= 2500, r1 ? `${s(r1.yaml.wall)} s` : 'size not run');
  check('10,000 tenants in ≤ 25 s', r10 && r10.yaml.wall <= 25000, r10 ? `${s(r10.yaml.wall)} s` : 'size not run');
  check('peak memory ≤ 512 MiB at 10,000 tenants', r10 && Math.max(r10.yaml.peakRss, r10.helm.peakRss) <= 512 * MiB, r10 ? `YAML ${mib(r10.yaml.peakRss)} MiB, Helm ${mib(r10.helm.peakRss)} MiB` : 'size not run');
  check('peak memory ≤ 512 MiB at 20,000 tenants', r20 && Math.max(r20.yaml.peakRss, r20.helm.peakRss) <= 512 * MiB, r20 ? `YAML ${mib(r20.yaml.peakRss)} MiB, Helm ${mib(r20.helm.peakRss)} MiB` : 'size not run');
  check('Helm output within 1.5× of YAML', results.length > 0 ? results.every((r) => r.helm.wall <= 1.5 * r.yaml.wall) : undefined,
    results.map((r) => `${int(r.tenants)}: ${(r.helm.wall / r.yaml.wall).toFixed(2)}×`).join(', '));
  // Linear: CPU time per tenant does not grow from the smallest fleet to the largest (by at most 1.25×, for noise).
  const first = fleets[0];
  const last = fleets[fleets.length - 1];
  const perTenant = (f: FleetResult) => f.yaml.cpu / f.tenants;
  check('a fleet renders in linear time (CPU per tenant grows at most 1.25× from the smallest fleet to the largest)', fleets.length >= 2 ? perTenant(last) <= 1.25 * perTenant(first) : undefined,
    fleets.length >= 2 ? `${fleets.map((f) => `${int(f.tenants)}x${f.clusters}: ${perTenant(f).toFixed(2)} ms`).join(', ')}` : 'needs two fleets');
  const tenK = fleets.find((f) => f.tenants === 10000 && f.clusters === 50);
  check('10,000 tenants across 50 clusters under 512 MiB', tenK && tenK.yaml.peakRss <= 512 * MiB, tenK ? `${mib(tenK.yaml.peakRss)} MiB peak, ${s(tenK.yaml.wall)} s` : 'fleet not run');
  lines.push('');
  return lines.join('\n');
}

function main(argv: string[]): void {
  const childAt = argv.indexOf('--breakdown');
  if (childAt >= 0) {
    process.stdout.write(`${JSON.stringify(breakdown(argv[childAt + 1], Number(argv[childAt + 2])))}\n`);
    return;
  }
  const start = now();
  const listOf = (flag: string, fallback: number[]) => {
    const at = argv.indexOf(flag);
    return at < 0 ? fallback : argv[at + 1].split(',').filter(Boolean).map(Number);
  };
  const sizes = listOf('--sizes', DEFAULT_SIZES);
  const routingSizes = listOf('--routing-sizes', DEFAULT_ROUTING_SIZES);
  const loadAtStart = os.loadavg();
  // bin/tenancy.js recompiles lib/ when src/ is newer: do that once, so that every timed run is a cold start of an up-to-date CLI.
  const main = path.join(REPO, 'lib/cli/main.js');
  const before = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const t = now();
  spawnSync(process.execPath, ['bin/tenancy.js', '--help'], { cwd: REPO });
  const rebuildMs = fs.existsSync(main) && fs.statSync(main).mtimeMs !== before ? now() - t : undefined;

  const fleetsAt = argv.indexOf('--fleets');
  const fleetSizes = fleetsAt < 0 ? DEFAULT_FLEETS : argv[fleetsAt + 1] === 'none' ? [] : argv[fleetsAt + 1].split(',');
  const results: SizeResult[] = [];
  const fleets: FleetResult[] = [];
  const routing: RoutingResult[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-bench-'));
  process.env[SCRATCH_ENV] = work;
  try {
    for (const size of fleetSizes) {
      const [n, clusters] = size.split('x').map(Number);
      process.stderr.write(`bench: fleet of ${n} tenants on ${clusters} clusters: npm run synth…\n`);
      const dir = path.join(work, `fleet-${size}`);
      const yaml = coldSynth(generateFleetDir(dir, n, clusters), 'yaml');
      fleets.push({ tenants: n, clusters, yaml });
    }
    for (const n of sizes) {
      process.stderr.write(`bench: ${n} tenants: writing the spec…\n`);
      const config = generateSpecDir(path.join(work, String(n)), n);
      process.stderr.write(`bench: ${n} tenants: npm run synth (YAML, Helm)…\n`);
      const yaml = coldSynth(config, 'yaml');
      const helm = coldSynth(config, 'helm');
      process.stderr.write(`bench: ${n} tenants: breakdown and writers…\n`);
      const b = JSON.parse(child(['--breakdown', config, String(n)])) as Breakdown;
      results.push({ tenants: n, nodeStart: nodeStart(), yaml, helm, breakdown: b });
    }
    for (const n of routingSizes) {
      for (const mode of ROUTING_MODES) {
        process.stderr.write(`bench: ${n} tenants, routing ${mode}…\n`);
        const dir = path.join(work, `${n}-${mode}`);
        let counts = { objects: 0, traefiks: 0, loadBalancers: 0 };
        const synth = coldSynth(generateSpecDir(dir, n, mode), 'yaml', (out) => (counts = countOutput(out)));
        routing.push({ tenants: n, mode, synth, ...counts });
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const text = report(results, start, command, loadAtStart, rebuildMs, routing, fleets);
  process.stdout.write(text);
  if (!argv.includes('--no-write-results')) fs.writeFileSync(path.join(__dirname, 'results.md'), text);
}

if (require.main === module) main(process.argv.slice(2));
