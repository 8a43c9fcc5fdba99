/**
 * The spec's `isolation` and `vcluster:` block: a bad value is refused at its file, line and
 * column with its field and what to do, every problem at once, and nothing is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO, refusals, runCli } from '../helpers';
import { vclusterSpec } from './helpers';

const block = (values: string) => vclusterSpec(`    vcluster:\n${values}`);

describe('the vcluster block is refused at its line, with the field and the fix', () => {
  test('a misspelt key and syncing every Secret, both at once', () => {
    expect(refusals(block('      sync:\n        toHost:\n          ingress: { enabled: true }\n          secrets: { all: true }\n'))).toEqual([
      'tenancy.yaml:16:11: tenants[1].vcluster.sync.toHost.ingress: unknown field `ingress` — a misspelt field would be ignored, so it is refused; did you mean `ingresses`?',
      'tenancy.yaml:17:27: tenants[1].vcluster.sync.toHost.secrets.all: syncs every Secret of the virtual cluster into the host namespace, its service-account tokens and credentials included, not only those its pods use — leave `all` false',
    ]);
  });

  test('a key of the chart the platform sets is refused with why', () => {
    expect(refusals(block('      controlPlane:\n        statefulSet:\n          image: { repository: loft-sh/vcluster-pro }\n'))).toEqual([
      'tenancy.yaml:16:18: tenants[1].vcluster.controlPlane.statefulSet.image: is set by the platform: the open-source image `loft-sh/vcluster-oss`, pinned to the chart\'s 0.36.1 — remove it',
    ]);
  });

  test('syncing from the host, cluster-scoped kinds and guard rails is refused, each with its threat', () => {
    const lines = refusals(block([
      '      sync:',
      '        toHost:',
      '          priorityClasses: { enabled: true }',
      '          customResources:',
      '            issuers.cert-manager.io: { enabled: true }',
      '            ingressroutes.traefik.io: { enabled: true }',
      '        fromHost:',
      '          secrets: { enabled: true }',
      '      rbac: { role: { extraRules: [] } }',
      '',
    ].join('\n')));
    expect(lines.map((l) => l.split(': ').slice(0, 2).join(': '))).toEqual([
      'tenancy.yaml:16:39: tenants[1].vcluster.sync.toHost.priorityClasses.enabled',
      'tenancy.yaml:18:38: tenants[1].vcluster.sync.toHost.customResources.issuers.cert-manager.io',
      'tenancy.yaml:21:31: tenants[1].vcluster.sync.fromHost.secrets.enabled',
      'tenancy.yaml:22:13: tenants[1].vcluster.rbac',
    ]);
    expect(lines[2]).toContain('a ClusterRole that lists and watches every Secret of the cluster');
  });

  test('the control plane\'s resources must fit the tenant\'s LimitRange and stay within their limits', () => {
    expect(refusals(block('      controlPlane:\n        statefulSet:\n          resources: { requests: { cpu: "3" }, limits: { cpu: "2", memory: 5Gi } }\n'))).toEqual([
      'tenancy.yaml:16:41: tenants[1].vcluster.controlPlane.statefulSet.resources.requests.cpu: `3` is above its limit (`2`): the API server refuses a container that requests more than its limit — lower the request, or raise the limit',
      'tenancy.yaml:16:76: tenants[1].vcluster.controlPlane.statefulSet.resources.limits.memory: `5Gi` is above this tenant\'s `limits.max.memory` (`4Gi`): its LimitRange refuses a bigger container, and the virtual cluster would never start — lower it, or raise `limits.max.memory`',
    ]);
  });

  test('a vcluster block on a namespace tenant, and an unknown isolation', () => {
    const spec = vclusterSpec().replace('    isolation: vcluster\n', '    isolation: vm\n    vcluster: {}\n');
    expect(refusals(spec)).toEqual([
      'tenancy.yaml:9:16: tenants[1].isolation: `vm` is not allowed — use one of `namespace`, `vcluster`, `cluster`',
      'tenancy.yaml:10:15: tenants[1].vcluster: applies to a tenant with `isolation: vcluster` only, and this one\'s isolation is `vm` — set `isolation: vcluster`, or remove the block',
    ]);
  });

  test('in a tenant file, the problem is reported in that file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-spec-'));
    try {
      fs.writeFileSync(path.join(dir, 'tenancy.yaml'), 'platform:\n  defaults: { issuer: { selfSigned: {} } }\n');
      fs.mkdirSync(path.join(dir, 'tenants'));
      fs.writeFileSync(path.join(dir, 'tenants', 'labs.yaml'), 'name: labs\nisolation: vcluster\ndomains: [labs.example.com]\nowners: { groups: [g] }\nvcluster:\n  sync: { toHost: { configMaps: { all: true } } }\n');
      const run = runCli(['validate', '--config', path.join(dir, 'tenancy.yaml')]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${path.join(dir, 'tenants', 'labs.yaml')}:6:40: vcluster.sync.toHost.configMaps.all: syncs every ConfigMap of the virtual cluster`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('synth refuses a bad vcluster value and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-synth-'));
  try {
    const config = path.join(dir, 'tenancy.yaml');
    fs.writeFileSync(config, block('      sync: { toHost: { secrets: { all: true } } }\n'));
    const run = runCli(['synth', '--config', config, '--out', path.join(dir, 'out')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('tenants[1].vcluster.sync.toHost.secrets.all: syncs every Secret');
    expect(run.stderr).toContain('nothing was written');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('onboarding with --isolation vcluster', () => {
  test('writes `isolation: vcluster` into the tenant file, names the values file among the new outputs and says how to connect', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-onboard-'));
    try {
      const config = path.join(dir, 'tenancy.yaml');
      fs.writeFileSync(config, 'platform:\n  defaults: { issuer: { selfSigned: {} } }\n');
      const run = runCli(['onboard', '--name', 'labs', '--domain', 'labs.example.com', '--owner-group', 'labs-admins', '--isolation', 'vcluster', '--config', config, '--out', path.join(dir, 'out')]);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      const file = fs.readFileSync(path.join(dir, 'tenants', 'labs.yaml'), 'utf8');
      expect(file).toContain('\nisolation: "vcluster"\n');
      expect(run.stdout).toContain(`${path.join(dir, 'out', 'tenants', 'labs.vcluster.yaml')}\n`);
      expect(run.stdout).toContain('vcluster connect labs -n labs');
      expect(runCli(['synth', '--config', config, '--out', path.join(dir, 'out')]).status).toBe(0);
      expect(fs.existsSync(path.join(dir, 'out', 'tenants', 'labs.vcluster.yaml'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown tier is a usage error; a template that drops `isolation` is refused before anything is written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcluster-onboard-'));
    try {
      const config = path.join(dir, 'tenancy.yaml');
      fs.writeFileSync(config, 'platform:\n  defaults: { issuer: { selfSigned: {} } }\n');
      const args = ['onboard', '--name', 'labs', '--domain', 'labs.example.com', '--owner-group', 'g', '--config', config];
      const usage = runCli([...args, '--isolation', 'vm']);
      expect({ status: usage.status, stderr: usage.stderr.split('\n')[0] }).toEqual({ status: 2, stderr: 'error: --isolation `vm` is not an isolation tier — use `namespace`, `vcluster` or `cluster`' });
      const templates = path.join(dir, 'templates');
      fs.mkdirSync(templates);
      fs.writeFileSync(path.join(templates, 'tenant-file.yaml.hbs'), 'name: {{json name}}\ndomains: {{json domains}}\nowners: { groups: {{json owners.groups}} }\n');
      fs.copyFileSync(path.join(REPO, 'templates', 'onboard-next-steps.txt.hbs'), path.join(templates, 'onboard-next-steps.txt.hbs'));
      const dropped = runCli([...args, '--isolation', 'vcluster', '--templates', templates]);
      expect(dropped.status).toBe(1);
      expect(dropped.stderr).toContain('tenant-file.yaml.hbs: it writes no `isolation: vcluster`, so the tenant would be a `namespace` tenant although --isolation vcluster was given');
      expect(fs.existsSync(path.join(dir, 'tenants', 'labs.yaml'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a value of `platform.defaults.vcluster` too big for the tenants is reported once, at the defaults', () => {
  const spec = vclusterSpec('', '  defaults: { vcluster: { controlPlane: { statefulSet: { resources: { limits: { cpu: "3" } } } } } }\n')
    .replace('  - name: payments\n', '  - name: payments\n    isolation: vcluster\n');
  expect(refusals(spec)).toEqual([
    'tenancy.yaml:3:86: platform.defaults.vcluster.controlPlane.statefulSet.resources.limits.cpu: `3` is above this tenant\'s `limits.max.cpu` (`2`): its LimitRange refuses a bigger container, and the virtual cluster would never start — lower it, or raise `limits.max.cpu`',
  ]);
});
