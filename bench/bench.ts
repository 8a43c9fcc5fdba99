/**
 * `npm run bench`: how long and how much memory rendering takes, at 10 to 10,000 tenants,
 * and how long `npm run synth` takes on the embedded example from a cold process (as package.json
 * runs it, the compiled CLI; and through ts-node, as the CLI tests run it: there, transpiling
 * ~17,000 lines of TypeScript on each start is most of the time).
 *
 * Each size runs in a child process of its own, so its peak memory (the RSS high-water mark,
 * `process.resourceUsage().maxRSS`) is not mixed with another size's. The child builds the spec
 * text in memory (a realistic tenant each: two domains, owners, quota) and goes through the
 * real pipeline: parseSpec → resolveTenancy → renderGroups → assertIsolated → toYamlFiles, then
 * writes the files to a temporary folder with writeOutput.
 *
 * The floor: the same objects, already rendered, as plain JSON, serialized by the `yaml`
 * package alone (`stringify`, one document per object). Our time over the floor says how much
 * the pipeline costs beyond what any YAML output must pay.
 *
 * Prints a Markdown table and writes it to bench/results.md. Targets are reported, never asserted.
 *
 *   npm run bench                      all sizes (10, 100, 1000, 10000), and the routing modes at 1000
 *   npm run bench -- --sizes 10,100    some sizes
 *   npm run bench -- --routing-sizes 100,1000   the routing comparison (IngressRoutes, Gateway API with a
 *                                               Traefik per tenant or one shared) at these sizes; `''` skips it
 *   npm run bench -- --no-write-results
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { resolveTenancy } from '../src/model/tenancy-model';
import { ObjectGroup, renderGroups } from '../src/output/render';
import { assertIsolated } from '../src/output/self-check';
import { writeOutput } from '../src/output/write';
import { toYamlFiles } from '../src/output/yaml';
import { parseSpec } from '../src/spec/read-spec';

const REPO = path.resolve(__dirname, '..');
const DEFAULT_SIZES = [10, 100, 1000, 10000];
/** Sizes of the routing comparison (`--routing-sizes`; an empty list skips it). */
const DEFAULT_ROUTING_SIZES = [1000];
const SYNTH_RUNS = 3;
const MiB = 1024 * 1024;

/** What one child reports for one size. Times in milliseconds, memory in bytes. */
interface SizeResult {
  tenants: number;
  objects: number;
  files: number;
  yamlBytes: number;
  specBytes: number;
  stages: { parse: number; resolve: number; render: number; selfCheck: number; yaml: number; write: number };
  /** parse + resolve + render + selfCheck + yaml: the in-memory pipeline. */
  pipelineMs: number;
  /** CPU time (user + system) of the pipeline: less sensitive than wall time to a busy machine. */
  pipelineCpuMs: number;
  /** `yaml.stringify` alone over the same objects as plain JSON. */
  floorMs: number;
  /** RSS high-water mark after the pipeline and the write (before the floor runs). */
  peakRss: number;
  /** RSS of the child before it built anything (Node + ts-node + modules). */
  baselineRss: number;
  helm?: { ms: number; writeMs: number; peakRss: number; files: number } | { skipped: string };
  /** Traefik Deployments and Services of type LoadBalancer (each one a cloud load balancer) in the output. */
  traefiks: number;
  loadBalancers: number;
  /** The routing mode of the spec, for the routing comparison. */
  routing?: RoutingMode;
}

// ---------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------

/** How a benchmarked spec routes: the default, or the Gateway API with one Traefik per tenant or one shared. */
export type RoutingMode = 'ingressroute' | 'gateway-per-tenant' | 'gateway-shared';
export const ROUTING_MODES: readonly RoutingMode[] = ['ingressroute', 'gateway-per-tenant', 'gateway-shared'];

const ROUTING_LINES: Record<RoutingMode, string[]> = {
  ingressroute: [],
  'gateway-per-tenant': ['  routing: { api: gateway, traefik: per-tenant }'],
  'gateway-shared': ['  routing: { api: gateway, traefik: shared }'],
};

/**
 * A spec of `n` tenants, each with two domains, owners (a group and a user) and a quota.
 * `routing` set: the routing comparison's spec — the same tenants whatever the mode, none with
 * Traefik settings of its own (a shared Traefik refuses them), so each tenant's Traefik is a
 * LoadBalancer in the per-tenant modes.
 */
export function generateSpec(n: number, routing?: RoutingMode): string {
  const lines = [
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
    'tenants:',
  ];
  for (let i = 0; i < n; i++) {
    const name = `tenant-${String(i).padStart(5, '0')}`;
    lines.push(
      `  - name: ${name}`,
      `    team: team-${i % 97}`,
      `    environment: ${i % 3 === 0 ? 'staging' : 'production'}`,
      `    domains: [${name}.example.com, api.${name}.example.com]`,
      '    owners:',
      `      groups: [${name}-admins]`,
      `      users: [owner-${i}@example.com]`,
      '    quota:',
      '      requests: { cpu: "2", memory: 4Gi }',
      '      limits: { cpu: "4", memory: 8Gi }',
      '      pods: 30',
      ...(i % 4 === 0 ? ['    secrets: manage', '    egress: { cidrs: [10.0.0.0/8], ports: [5432] }'] : []),
      ...(i % 5 === 0 ? ['    issuer: { selfSigned: {} }', ...(routing ? [] : ['    traefik: { replicas: 1, serviceType: ClusterIP }'])] : []),
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// Child: one size
// ---------------------------------------------------------------------------

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

const maxRss = () => process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB

function runSize(n: number, format: 'yaml' | 'helm', routing?: RoutingMode): void {
  const baselineRss = maxRss();
  const text = generateSpec(n, routing);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-bench-'));
  try {
    if (format === 'helm') {
      process.stdout.write(`${JSON.stringify(runHelm(text, tmp))}\n`);
      return;
    }
    const cpuStart = process.cpuUsage();
    const [spec, parse] = time(() => parseSpec(text).spec);
    const [model, resolve] = time(() => resolveTenancy(spec));
    const [groups, render] = time(() => renderGroups(model));
    const [, selfCheck] = time(() => assertIsolated(groups, model));
    const [files, yaml] = time(() => toYamlFiles(groups));
    const cpu = process.cpuUsage(cpuStart);
    const [, write] = time(() => writeOutput(path.join(tmp, 'out'), files));
    const peakRss = maxRss();

    const objects = groups.flatMap((g) => g.objects);
    const plain = JSON.parse(JSON.stringify(objects)) as unknown[];
    // The same options as ours: the least any YAML output through the `yaml` package pays.
    const [floorText, floorMs] = time(() => plain.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join(''));
    let yamlBytes = 0;
    for (const t of files.values()) yamlBytes += Buffer.byteLength(t);
    const result: SizeResult = {
      tenants: n,
      objects: objects.length,
      files: files.size,
      yamlBytes,
      specBytes: Buffer.byteLength(text),
      stages: { parse, resolve, render, selfCheck, yaml, write },
      pipelineMs: parse + resolve + render + selfCheck + yaml,
      pipelineCpuMs: (cpu.user + cpu.system) / 1000,
      floorMs,
      peakRss,
      baselineRss,
      traefiks: objects.filter((o) => o.kind === 'Deployment' && (o.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/name'] === 'traefik').length,
      loadBalancers: objects.filter((o) => o.kind === 'Service' && (o.spec as { type?: string }).type === 'LoadBalancer').length,
      ...(routing ? { routing } : {}),
    };
    if (floorText.length === 0) throw new Error('empty floor');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * HOOK for the Helm format (src/output/helm.ts, built by another engineer, API still moving).
 * Timed when that module exists and exports `toHelmFiles(groups, model, options)`; otherwise,
 * or when it throws, the table says "not measured" and why.
 */
type HelmRender = (groups: ObjectGroup[], model: ReturnType<typeof resolveTenancy>, options: Record<string, unknown>) => ReadonlyMap<string, string | Buffer>;

function helmRenderer(): HelmRender | string {
  const file = path.join(REPO, 'src/output/helm.ts');
  if (!fs.existsSync(file)) return 'src/output/helm.ts does not exist yet';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../src/output/helm') as Record<string, unknown>;
  if (typeof mod.toHelmFiles !== 'function') return `src/output/helm.ts does not export toHelmFiles (it exports: ${Object.keys(mod).join(', ') || 'nothing'})`;
  return mod.toHelmFiles as HelmRender;
}

/** The Helm format: the same pipeline, then charts and their .tgz archives instead of YAML files, then the write. */
function runHelm(text: string, tmp: string): SizeResult['helm'] {
  const render = helmRenderer();
  if (typeof render === 'string') return { skipped: render };
  try {
    const start = process.hrtime.bigint();
    const model = resolveTenancy(parseSpec(text).spec);
    const groups = renderGroups(model);
    assertIsolated(groups, model);
    const files = render(groups, model, { chartVersion: '0.1.0', generatorVersion: '0.1.0', regenerate: 'npm run bench' });
    const pipelineMs = Number(process.hrtime.bigint() - start) / 1e6;
    const [, writeMs] = time(() => writeOutput(path.join(tmp, 'out'), files));
    return { ms: pipelineMs, writeMs, peakRss: maxRss(), files: files.size };
  } catch (err) {
    return { skipped: `toHelmFiles threw: ${(err as Error).message.split('\n')[0]}` };
  }
}

// ---------------------------------------------------------------------------
// Parent: every size, the cold synth, the report
// ---------------------------------------------------------------------------

function child(args: string[]): string {
  const result = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), __filename, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
    env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
  });
  if (result.status !== 0) throw new Error(`child ${args.join(' ')} failed (status ${result.status}):\n${result.stderr}`);
  return result.stdout.trim();
}

/** How `synth` was started, and the wall time of each fresh process. */
interface SynthTimes {
  /** `npm run synth` as package.json defines it (the target). */
  readonly npm: number[];
  /** `node bin/tenancy.js synth`: the same without npm's own start-up. */
  readonly bin: number[];
  /** Through ts-node, as the CLI tests run it (`runCli` in test/helpers.ts). */
  readonly tsNode: number[];
  /** When bin/tenancy.js found lib/ older than src/ and recompiled it first: how long that took. */
  readonly rebuildMs?: number;
}

/** Wall time of fresh `synth` processes on the example, started three ways. */
function coldSynth(): SynthTimes {
  const run = (command: string, args: string[]): number[] => {
    const times: number[] = [];
    for (let i = 0; i < SYNTH_RUNS; i++) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-bench-synth-'));
      try {
        const start = process.hrtime.bigint();
        const result = spawnSync(command, [...args, '--out', path.join(out, 'dist')], { cwd: REPO, encoding: 'utf8' });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    }
    return times;
  };
  // bin/tenancy.js recompiles lib/ when src/ is newer: do that once first, so the runs below are cold starts of an up-to-date CLI.
  const main = path.join(REPO, 'lib/cli/main.js');
  const before = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ['bin/tenancy.js', '--help'], { cwd: REPO, encoding: 'utf8' });
  const rebuilt = fs.existsSync(main) && fs.statSync(main).mtimeMs !== before;
  return {
    rebuildMs: rebuilt ? Number(process.hrtime.bigint() - start) / 1e6 : undefined,
    npm: run('npm', ['run', '--silent', 'synth', '--']),
    bin: run(process.execPath, ['bin/tenancy.js', 'synth']),
    tsNode: run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', 'synth']),
  };
}

const s = (ms: number) => (ms / 1000).toFixed(ms < 1000 ? 3 : 2);
const mib = (bytes: number) => (bytes / MiB).toFixed(0);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The same tenants routed three ways: what the output holds and costs, and how many load balancers the cloud bills. */
function routingSection(routing: SizeResult[]): string[] {
  if (routing.length === 0) return [];
  const lines = ['## Routing modes', ''];
  lines.push('The same tenants (`generateSpec(n, mode)`: no tenant sizes its own Traefik, so every per-tenant Traefik is a LoadBalancer), routed three ways (`platform.routing`). Load balancers = Services of type LoadBalancer, one cloud load balancer each.', '');
  lines.push('| tenants | routing | objects | Traefik Deployments | load balancers | pipeline (s) | CPU (s) | peak RSS (MiB) | YAML (MiB) |', '|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of routing) {
    const mode = { ingressroute: 'IngressRoutes, Traefik per tenant', 'gateway-per-tenant': 'Gateway API, Traefik per tenant', 'gateway-shared': 'Gateway API, one shared Traefik' }[r.routing!];
    lines.push(`| ${int(r.tenants)} | ${mode} | ${int(r.objects)} | ${int(r.traefiks)} | ${int(r.loadBalancers)} | ${s(r.pipelineMs)} | ${s(r.pipelineCpuMs)} | ${mib(r.peakRss)} | ${(r.yamlBytes / MiB).toFixed(1)} |`);
  }
  lines.push('');
  return lines;
}

function report(results: SizeResult[], synth: SynthTimes, command: string, loadAtStart: number[], routing: SizeResult[] = []): string {
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(`- Date: ${new Date().toISOString()}`);
  lines.push(`- Machine: ${os.cpus().length} CPUs (nproc), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}`);
  lines.push(`- Node: ${process.version}`);
  lines.push(`- Load average at the start (1, 5, 15 min): ${loadAtStart.map((x) => x.toFixed(2)).join(', ')}; at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}. On a shared machine, wall times grow with the load; the CPU column less so.`);
  lines.push(`- Command: \`${command}\``);
  lines.push('- Each size ran in a fresh child process; peak = RSS high-water mark of that process (`process.resourceUsage().maxRSS`), Node and ts-node included.');
  lines.push('- Pipeline = parseSpec → resolveTenancy → renderGroups → assertIsolated → toYamlFiles (in memory). Write = writeOutput to a temporary folder, reported apart.');
  lines.push('- Floor = `yaml.stringify` alone (same options as ours: `lineWidth: 0, aliasDuplicateObjects: false`) over the same objects as plain JSON, one document each. Stage columns (parse … yaml) are wall seconds.');
  lines.push('- The floor runs after the pipeline, in the same process, so it runs warm: at small sizes the ratio mostly measures the pipeline\'s cold start (JIT, first use of each module).', '');

  lines.push('## YAML output', '');
  lines.push('| tenants | objects | pipeline (s) | CPU (s) | objects/s | peak RSS (MiB) | floor (s) | ours/floor | write (s) | parse | resolve | render | self-check | yaml |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const st = r.stages;
    lines.push(`| ${int(r.tenants)} | ${int(r.objects)} | ${s(r.pipelineMs)} | ${s(r.pipelineCpuMs)} | ${int(r.objects / (r.pipelineMs / 1000))} | ${mib(r.peakRss)} | ${s(r.floorMs)} | ${(r.pipelineMs / r.floorMs).toFixed(2)}× | ${s(st.write)} | ${s(st.parse)} | ${s(st.resolve)} | ${s(st.render)} | ${s(st.selfCheck)} | ${s(st.yaml)} |`);
  }
  lines.push('', `Baseline RSS of a child before building anything: ${mib(results[0]?.baselineRss ?? 0)} MiB.`, '');

  lines.push('## Helm output', '');
  const helm = results.map((r) => r.helm);
  const skipped = helm.find((h) => h && 'skipped' in h) as { skipped: string } | undefined;
  if (skipped || helm.every((h) => h === undefined)) {
    lines.push(`Not measured: ${skipped?.skipped ?? 'no Helm run'}. The hook is \`helmRenderer()\` in bench/bench.ts.`, '');
  } else {
    lines.push('Same pipeline, then `toHelmFiles` (chart folders and .tgz archives) instead of `toYamlFiles`; own child process per size.', '');
    lines.push('| tenants | pipeline (s) | helm/yaml pipeline | write (s) | peak RSS (MiB) | files |', '|---:|---:|---:|---:|---:|---:|');
    results.forEach((r) => {
      const h = r.helm as { ms: number; writeMs: number; peakRss: number; files: number };
      lines.push(`| ${int(r.tenants)} | ${s(h.ms)} | ${(h.ms / r.pipelineMs).toFixed(2)}× | ${s(h.writeMs)} | ${mib(h.peakRss)} | ${int(h.files)} |`);
    });
    lines.push('');
  }

  lines.push(...routingSection(routing));

  lines.push('## `npm run synth` on the example, cold', '');
  const row = (how: string, times: number[]) => `| ${how} | ${s(Math.min(...times))} | ${s(median(times))} | ${times.map(s).join(', ')} |`;
  lines.push(`${SYNTH_RUNS} fresh processes each, \`--out\` a new temporary folder.`, '');
  lines.push('| started as | min (s) | median (s) | runs (s) |', '|---|---:|---:|---|');
  lines.push(row('`npm run synth` (package.json: `node bin/tenancy.js synth`, the compiled CLI in lib/)', synth.npm));
  lines.push(row('`node bin/tenancy.js synth` (without npm\'s start-up)', synth.bin));
  lines.push(row('`node -r ts-node/register/transpile-only src/cli/main.ts synth` (as the CLI tests run it)', synth.tsNode));
  lines.push('', synth.rebuildMs === undefined
    ? 'lib/ was up to date, so bin/tenancy.js did not recompile.'
    : `lib/ was older than src/: the first bin/tenancy.js run recompiled it (\`tsc -p tsconfig.build.json\`) in ${s(synth.rebuildMs)} s, before the timed runs; the first \`npm run synth\` after an edit pays that once.`, '');

  lines.push('## Targets', '');
  const at = (n: number) => results.find((r) => r.tenants === n);
  const check = (label: string, ok: boolean | undefined, detail: string) =>
    lines.push(`- ${ok === undefined ? 'NOT RUN' : ok ? 'met' : 'MISSED'}: ${label} (${detail})`);
  const r1k = at(1000);
  const r10k = at(10000);
  check('1,000 tenants in YAML under 10 s', r1k && r1k.pipelineMs + r1k.stages.write < 10000, r1k ? `${s(r1k.pipelineMs + r1k.stages.write)} s with the write` : 'size not run');
  check('1,000 tenants under 1 GiB', r1k && r1k.peakRss < 1024 * MiB, r1k ? `${mib(r1k.peakRss)} MiB peak` : 'size not run');
  check('1,000 tenants within 3× of the floor', r1k && r1k.pipelineMs / r1k.floorMs <= 3, r1k ? `${(r1k.pipelineMs / r1k.floorMs).toFixed(2)}×` : 'size not run');
  check('10,000 tenants under 100 s', r10k && r10k.pipelineMs + r10k.stages.write < 100000, r10k ? `${s(r10k.pipelineMs + r10k.stages.write)} s with the write, ${mib(r10k.peakRss)} MiB peak` : 'size not run');
  // Linear: the CPU time per object does not grow with size. Sizes under 1,000 are left out of the
  // comparison: there, start-up (JIT, first use of each module) weighs on every object.
  const perObject = results.map((r) => ({ n: r.tenants, us: (r.pipelineCpuMs / r.objects) * 1000 }));
  const large = perObject.filter((p) => p.n >= 1000);
  const growth = large.length >= 2 ? Math.max(...large.slice(1).map((p, i) => p.us / large[i].us)) : undefined;
  check('linear cost (CPU time per object grows by at most 1.25× from one size to the next, from 1,000 tenants up)', growth === undefined ? undefined : growth <= 1.25,
    `CPU per object: ${perObject.map((p) => `${int(p.n)}: ${p.us.toFixed(0)} µs`).join(', ')}${growth === undefined ? '; needs two sizes ≥ 1,000' : `; largest growth ${growth.toFixed(2)}×`}`);
  check('`npm run synth` on the example under 1.5 s cold', median(synth.npm) < 1500,
    `median ${s(median(synth.npm))} s; without npm ${s(median(synth.bin))} s; through ts-node ${s(median(synth.tsNode))} s`);
  lines.push('');
  return lines.join('\n');
}

function main(argv: string[]): void {
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) {
    const routingAt = argv.indexOf('--routing');
    runSize(Number(argv[childAt + 1]), argv.includes('--helm') ? 'helm' : 'yaml', routingAt >= 0 ? argv[routingAt + 1] as RoutingMode : undefined);
    return;
  }
  const listOf = (flag: string, fallback: number[]) => {
    const at = argv.indexOf(flag);
    return at < 0 ? fallback : argv[at + 1].split(',').filter(Boolean).map(Number);
  };
  const sizes = listOf('--sizes', DEFAULT_SIZES);
  const routingSizes = listOf('--routing-sizes', DEFAULT_ROUTING_SIZES);
  const results: SizeResult[] = [];
  const loadAtStart = os.loadavg();
  for (const n of sizes) {
    process.stderr.write(`bench: ${n} tenants…\n`);
    const r = JSON.parse(child(['--child', String(n)])) as SizeResult;
    const helm = JSON.parse(child(['--child', String(n), '--helm'])) as SizeResult['helm'];
    results.push({ ...r, helm });
  }
  const routing: SizeResult[] = [];
  for (const n of routingSizes) {
    for (const mode of ROUTING_MODES) {
      process.stderr.write(`bench: ${n} tenants, routing ${mode}…\n`);
      routing.push(JSON.parse(child(['--child', String(n), '--routing', mode])) as SizeResult);
    }
  }
  process.stderr.write('bench: cold synth…\n');
  const synth = coldSynth();
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const text = report(results, synth, command, loadAtStart, routing);
  process.stdout.write(text);
  if (!argv.includes('--no-write-results')) fs.writeFileSync(path.join(__dirname, 'results.md'), text);
}

if (require.main === module) main(process.argv.slice(2));
