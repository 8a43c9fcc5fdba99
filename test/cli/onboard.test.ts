/** `tenancy onboard`: a new tenant in one command, validated with the others before anything is written. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { renderTenantFile, TENANT_FILE_TEMPLATE, yamlQuote } from '../../src/output/tenant-file';
import { oneTenantSpec, REPO, runCli } from '../helpers';

/** The command onboard prints outside the package: this tool's CLI by its path. */
const TENANCY = `node ${path.join(REPO, 'bin', 'tenancy.js')}`;
import { digestTree } from '../support/cli-process';

let dir: string;
let config: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-onboard-'));
  fs.cpSync(path.join(REPO, 'examples/tenancy.yaml'), path.join(dir, 'examples/tenancy.yaml'));
  config = path.join(dir, 'examples/tenancy.yaml');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file under `root`, relative path → content. */
function tree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else files.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return files;
}

const shop = ['--name', 'shop', '--domain', 'shop.example.com', '--domain', 'api.shop.example.com', '--owner-group', 'shop-leads'];
const onboard = (...args: string[]) => runCli(['onboard', '--config', config, ...args], dir);

describe('onboarding a tenant', () => {
  test('adds only the new tenant file, and synth then adds only that tenant\'s manifests, every other file byte-identical', () => {
    // GIVEN the example spec rendered once
    expect(runCli(['synth', '--config', config, '--out', path.join(dir, 'before')], dir).status).toBe(0);
    const specBefore = tree(path.join(dir, 'examples'));

    // WHEN a tenant is onboarded and the spec rendered again
    const result = onboard(...shop, '--team', 'shop', '--environment', 'production');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(runCli(['synth', '--config', config, '--out', path.join(dir, 'after')], dir).status).toBe(0);

    // THEN the spec folder gained exactly tenants/shop.yaml …
    const specAfter = tree(path.join(dir, 'examples'));
    expect([...specAfter.keys()].filter((f) => !specBefore.has(f))).toEqual([path.join('tenants', 'shop.yaml')]);
    for (const [file, content] of specBefore) expect(specAfter.get(file)).toEqual(content);
    // … and the output exactly tenants/shop.yaml, every other file unchanged
    const before = tree(path.join(dir, 'before'));
    const after = tree(path.join(dir, 'after'));
    expect([...after.keys()].filter((f) => !before.has(f))).toEqual([path.join('tenants', 'shop.yaml')]);
    expect([...before.keys()].filter((f) => !after.has(f))).toEqual([]);
    for (const [file, content] of before) expect({ file, same: after.get(file)!.equals(content) }).toEqual({ file, same: true });
    expect(after.get(path.join('tenants', 'shop.yaml'))!.toString()).toContain('name: traefik-shop');
  });

  test('writes the tenant file from the template, pointing editors at the tenant-file schema', () => {
    expect(onboard(...shop, '--owner-user', 'alice@example.com', '--team', 'shop').status).toBe(0);
    const schema = path.relative(path.join(dir, 'examples/tenants'), path.join(REPO, 'tenancy.tenant.schema.json')).split(path.sep).join('/');
    expect(fs.readFileSync(path.join(dir, 'examples/tenants/shop.yaml'), 'utf8')).toBe(`# yaml-language-server: $schema=${schema}
# Tenant "shop", onboarded with \`npm run onboard\`. Edit freely; check it with its spec,
# \`../tenancy.yaml\` from this file: \`tenancy validate --config <that spec>\`.
name: "shop"
team: "shop"
domains:
  - "shop.example.com"
  - "api.shop.example.com"
owners:
  groups:
    - "shop-leads"
  users:
    - "alice@example.com"
`);
    expect(fs.existsSync(path.resolve(path.join(dir, 'examples/tenants'), schema))).toBe(true);
  });

  test('prints the next steps: the synth command, the new files, the DNS records', () => {
    const result = onboard(...shop);
    expect(result.stdout).toBe(`Wrote ${path.join(dir, 'examples/tenants/shop.yaml')}: tenant \`shop\`, checked together with every other tenant of ${config}.

Next steps:
  1. Review ${path.join(dir, 'examples/tenants/shop.yaml')} and commit it.
  2. Render the manifests:

       ${TENANCY} synth --config examples/tenancy.yaml --out dist

     New files:
       dist/tenants/shop.yaml
     (every other file stays as it was).
  3. Apply them (or let Argo CD / Flux do it), then point DNS at the tenant's Traefik,
     Service \`traefik-shop\` in namespace \`traefik\`:

       kubectl -n traefik get service traefik-shop -o jsonpath='{.status.loadBalancer.ingress[0]}'

     For each domain below, create a CNAME record to the host name it shows, or A/AAAA
     records to its IP:
       shop.example.com
       api.shop.example.com
`);
  });

  test('on a shared Traefik (Gateway API): adds the tenant\'s file with its Gateway, changes the platform\'s only in the namespaces the shared Traefik watches, and says so', () => {
    fs.cpSync(path.join(REPO, 'examples/gateway-shared.yaml'), config);
    expect(runCli(['synth', '--config', config, '--out', path.join(dir, 'before')], dir).status).toBe(0);
    const result = onboard(...shop);
    expect(result.stderr).toBe('');
    // `before` is the spec's output folder (its marker says so).
    expect(result.stdout).toContain(`     New files:
       before/tenants/shop.yaml
     Changed (the shared Traefik watches the new namespace):
       before/platform.yaml
     (every other file stays as it was).
  3. Apply them (or let Argo CD / Flux do it), then point DNS at the shared Traefik,
     Service \`traefik-shared\` in namespace \`traefik\`:`);
    expect(runCli(['synth', '--config', config, '--out', path.join(dir, 'after')], dir).status).toBe(0);
    const before = tree(path.join(dir, 'before'));
    const after = tree(path.join(dir, 'after'));
    expect([...after.keys()].filter((f) => !before.has(f))).toEqual([path.join('tenants', 'shop.yaml')]);
    const changed = [...before].filter(([file, content]) => !after.get(file)!.equals(content)).map(([file]) => file);
    expect(changed).toEqual(['platform.yaml']);
    const lines = (file: Map<string, Buffer>) => file.get('platform.yaml')!.toString().split('\n');
    expect(lines(after).filter((line, i) => line !== lines(before)[i])).toEqual(['            - --providers.kubernetesgateway.namespaces=traefik,payments,search,shop']);
    expect(after.get(path.join('tenants', 'shop.yaml'))!.toString()).toContain('kind: Gateway\nmetadata:\n  labels:\n    app.kubernetes.io/managed-by: cdk8s-tenancy\n    tenancy.cdk8s.io/tenant: shop\n  name: shop\n  namespace: traefik\n');
  });

  test('a platform whose tenants default to NodePort is told where the node ports are', () => {
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('  defaults:\n', '  defaults:\n    traefik: { serviceType: NodePort }\n'));
    const result = onboard(...shop);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain("It is of type NodePort: point your load balancer (or DNS) at the nodes, port 80 at the node\n     port of `web` and 443 at that of `websecure`:\n\n       kubectl -n traefik get service traefik-shop -o jsonpath='{.spec.ports[*].nodePort}'\n");
  });

  test('names the output folder of $CDK8S_OUTDIR, as synth uses it', () => {
    const result = runCli(['onboard', '--config', config, ...shop], dir, { CDK8S_OUTDIR: 'manifests' });
    expect(result.stdout).toContain(`${TENANCY} synth --config examples/tenancy.yaml --out manifests\n`);
    expect(result.stdout).toContain('       manifests/tenants/shop.yaml\n');
  });

  test('finds the folder the spec was rendered to by its marker, and its command renders there (not into synth\'s default)', () => {
    // GIVEN the spec rendered into `manifests`, and `dist` holding another spec's output (the example's, say)
    const other = path.join(dir, 'other.yaml');
    fs.writeFileSync(other, oneTenantSpec());
    expect(runCli(['synth', '--config', 'other.yaml', '--out', 'dist'], dir).status).toBe(0);
    expect(runCli(['synth', '--config', 'examples/tenancy.yaml', '--out', 'manifests'], dir).status).toBe(0);
    const distBefore = digestTree(path.join(dir, 'dist'));

    // WHEN a tenant is onboarded without --out
    const result = runCli(['onboard', '--config', 'examples/tenancy.yaml', ...shop], dir);
    expect(result.stderr).toBe('');
    // (`npm run` runs in the package's folder: paths outside it are printed absolute)
    expect(result.stdout).toContain(`       ${TENANCY} synth --config examples/tenancy.yaml --out manifests\n\n     New files:\n       manifests/tenants/shop.yaml\n`);

    // THEN the printed command, run as printed (by npm, in the package's folder), adds the tenant there and leaves dist alone
    const command = / synth (--config .*)\n/.exec(result.stdout)![1].split(' ');
    expect(runCli(['synth', ...command], dir).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'manifests/tenants/shop.yaml'))).toBe(true);
    expect(digestTree(path.join(dir, 'dist'))).toBe(distBefore);
  });

  test('a Helm output folder gets its format, version and packaging flags, and the chart files', () => {
    expect(runCli(['synth', '--config', 'examples/tenancy.yaml', '--out', 'charts', '--format', 'helm', '--chart-version', '2.0.0', '--no-package'], dir).status).toBe(0);
    const result = runCli(['onboard', '--config', 'examples/tenancy.yaml', ...shop], dir);
    expect(result.stdout).toContain(`       ${TENANCY} synth --config examples/tenancy.yaml --out charts --format helm --chart-version 2.0.0 --no-package\n\n     New files:\n       charts/tenant-shop/\n`);
  });

  test('--out names the output folder: the command uses it as given', () => {
    const out = path.join(dir, 'rendered');
    const result = onboard(...shop, '--out', out);
    expect(result.stdout).toContain(`       ${TENANCY} synth --config examples/tenancy.yaml --out rendered\n\n     New files:\n       ${out}/tenants/shop.yaml\n`);
  });

  test('--out naming another spec\'s output folder is refused (exit 2) before anything is written', () => {
    fs.writeFileSync(path.join(dir, 'other.yaml'), oneTenantSpec());
    expect(runCli(['synth', '--config', 'other.yaml', '--out', 'dist'], dir).status).toBe(0);
    const before = tree(dir);
    const result = runCli(['onboard', '--config', 'examples/tenancy.yaml', ...shop, '--out', 'dist'], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('error: `dist` holds the output of `other.yaml`, not of `examples/tenancy.yaml` — rendering this spec there would replace it');
    expect(tree(dir)).toEqual(before);
  });

  test('prints no command when it cannot tell the output folder, and says why', () => {
    // `dist` holds another spec's output, and no folder says it holds this spec's
    fs.writeFileSync(path.join(dir, 'other.yaml'), oneTenantSpec());
    expect(runCli(['synth', '--config', 'other.yaml', '--out', 'dist'], dir).status).toBe(0);
    const result = runCli(['onboard', '--config', 'examples/tenancy.yaml', ...shop], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/ synth --config examples\/tenancy\.yaml --out [^<]/);
    expect(result.stdout.replace(/\n {5}/g, ' ')).toContain(`onboard found no output folder of examples/tenancy.yaml (a folder whose .cdk8s-tenancy file names it), and \`dist\`, where synth writes without --out, holds the output of \`other.yaml\`: render into this spec's own folder, \`${TENANCY} synth --config examples/tenancy.yaml --out <folder>\`, or run onboard with --out <folder> to have the exact command printed.`);
  });

  test('an output folder from before markers named their spec is not guessed at either', () => {
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist/.cdk8s-tenancy'), 'This folder is written by cdk8s-tenancy; `npm run synth` replaces its whole content.\n');
    fs.writeFileSync(path.join(dir, 'dist/platform.yaml'), '# old\n');
    const result = runCli(['onboard', '--config', 'examples/tenancy.yaml', ...shop], dir);
    expect(result.stdout.replace(/\n {5}/g, ' ')).toContain('and `dist`, where synth writes without --out, holds output that does not say which spec it came from (written before markers named their spec)');
  });

  test('writes into the spec\'s tenantsDir, creating it', () => {
    fs.appendFileSync(config, 'tenantsDir: teams\n');
    expect(onboard(...shop).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'examples/teams/shop.yaml'))).toBe(true);
    expect(runCli(['validate', '--config', config], dir).stdout).toContain('valid (3 tenants, 2 files read)');
  });
});

describe('a refused onboarding leaves every file as it was', () => {
  /** Runs `onboard` and checks that it exits 1 and changes nothing under `dir`; answers with stderr. */
  function refused(...args: string[]): string {
    const before = tree(dir);
    const result = onboard(...args);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(tree(dir)).toEqual(before);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    return result.stderr;
  }
  const newFile = () => path.join(dir, 'examples/tenants/payments.yaml');

  test('a name another tenant has, reported in the new file', () => {
    expect(refused('--name', 'payments', '--domain', 'shop.example.com', '--owner-group', 'g')).toBe(
      `${newFile()}:4:7: name: tenant \`payments\` is defined twice (first as tenants[0]) — rename one or merge them\n1 problem found; nothing was written.\n`,
    );
  });

  test('a domain another tenant serves, reported in the new file', () => {
    expect(refused('--name', 'shop', '--domain', 'shop.example.com', '--domain', 'Search.Example.com', '--owner-group', 'g')).toBe(
      `${path.join(dir, 'examples/tenants/shop.yaml')}:7:5: domains[1]: \`search.example.com\` is claimed twice: tenant \`search\` already claims it — a host belongs to one tenant only; remove one entry\n1 problem found; nothing was written.\n`,
    );
  });

  test('a domain outside the allowed zones, and an invalid name, all at once', () => {
    const stderr = refused('--name', 'Shop', '--domain', 'shop.example.org', '--owner-group', 'g');
    expect(stderr).toContain('Shop.yaml:4:7: name: `Shop` is not a DNS-1123 label');
    expect(stderr).toContain('Shop.yaml:6:5: domains[0]: `shop.example.org` is outside `platform.allowedDomains` (example.com)');
    expect(stderr).toContain('2 problems found; nothing was written.');
  });

  test('an existing tenant file is never overwritten', () => {
    expect(onboard(...shop).status).toBe(0);
    const stderr = refused('--name', 'shop', '--domain', 'other.example.com', '--owner-group', 'g');
    expect(stderr).toBe(`error: \`${path.join(dir, 'examples/tenants/shop.yaml')}\` already exists — onboarding never overwrites a tenant; edit that file, or choose another --name\nNothing was written.\n`);
  });

  test('a name with a path in it writes nothing anywhere', () => {
    expect(refused('--name', '../tenancy', '--domain', 'shop.example.com', '--owner-group', 'g')).toContain('name: `../tenancy` is not a DNS-1123 label');
    expect(refused('--name', '/tmp/evil', '--domain', 'shop.example.com', '--owner-group', 'g')).toContain('name: `/tmp/evil` is not a DNS-1123 label');
  });

  test('a template edited to add an insecure option is refused, pointing at the line', () => {
    const templates = path.join(dir, 'templates');
    fs.cpSync(path.join(REPO, 'templates'), templates, { recursive: true });
    fs.appendFileSync(path.join(templates, TENANT_FILE_TEMPLATE), 'podSecurity: privileged\ntraefik:\n  allowCrossNamespace: true\n');
    const stderr = refused(...shop, '--templates', templates);
    const file = path.join(dir, 'examples/tenants/shop.yaml');
    expect(stderr).toContain(`${file}:11:14: podSecurity: \`privileged\` lets a tenant's pods take over the node`);
    expect(stderr).toContain(`${file}:13:24: traefik.allowCrossNamespace: cross-namespace references`);
  });

  test('a template naming a field that does not exist is refused, naming the template', () => {
    const templates = path.join(dir, 'templates');
    fs.cpSync(path.join(REPO, 'templates'), templates, { recursive: true });
    fs.appendFileSync(path.join(templates, TENANT_FILE_TEMPLATE), 'secrets: {{json secrets}}\n');
    expect(refused(...shop, '--templates', templates)).toMatch(new RegExp(`^error: ${path.join(templates, TENANT_FILE_TEMPLATE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \`json\` got a field that is not defined \\(misspelt\\?\\) — the fields are name, team, environment, isolation, domains, owners, schema, config — fix the template\nNothing was written.\n$`));
  });
});

describe('values cannot change the YAML around them', () => {
  test('`: `, `#`, `{{`, quotes and backslashes land verbatim in one value each', () => {
    const groups = ['leads: admins', 'a # not a comment', '{{name}}', 'x", "podSecurity": "privileged', 'back\\slash', '- item', '&anchor *alias', '!!binary', 'üñí'];
    const users = ['bob\'s', '}}{{#each domains}}'];
    const args = ['--name', 'shop', '--domain', 'shop.example.com', ...groups.map((g) => `--owner-group=${g}`), ...users.map((u) => `--owner-user=${u}`)];
    const result = onboard(...args);
    expect(result.stderr).toBe('');
    const data = parse(fs.readFileSync(path.join(dir, 'examples/tenants/shop.yaml'), 'utf8'));
    expect(data).toEqual({ name: 'shop', domains: ['shop.example.com'], owners: { groups, users } });
  });

  test.each([
    ['--owner-group', 'evil\npodSecurity: privileged', 'owners.groups[0]: "evil\\npodSecurity: privileged" has surrounding spaces or control characters'],
    ['--team', 'x\nsecrets: manage', 'team: must be a Kubernetes label value'],
    ['--environment', 'prod # comment', 'environment: must be a Kubernetes label value'],
  ])('%s with a line break or comment is refused as one value, not read as YAML', (flag, value, problem) => {
    const before = tree(dir);
    const result = onboard('--name', 'shop', '--domain', 'shop.example.com', '--owner-user', 'u', flag, value);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(problem);
    // Only the one problem: the value was not read as YAML keys (no `podSecurity` or `secrets` field refusal).
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(problem), '1 problem found; nothing was written.']);
    expect(tree(dir)).toEqual(before);
  });

  test('yamlQuote writes JSON strings, escaping what YAML may not hold raw', () => {
    expect(yamlQuote('a: b # c')).toBe('"a: b # c"');
    expect(yamlQuote('line\nbreak')).toBe('"line\\nbreak"');
    expect(yamlQuote('del\u007f nel\u0085 ls\u2028 bom\ufeff')).toBe('"del\\u007f nel\\u0085 ls\\u2028 bom\\ufeff"');
    expect(parse(`k: ${yamlQuote('del\u007f nel\u0085 ls\u2028 bom\ufeff "q" \\')}`)).toEqual({ k: 'del\u007f nel\u0085 ls\u2028 bom\ufeff "q" \\' });
    expect(yamlQuote(['a', 'b: c'])).toBe('["a","b: c"]');
  });

  test('the template is strict: `json` without a value, or a missing field, fails', () => {
    const templates = fs.mkdtempSync(path.join(dir, 't-'));
    const context = { name: 'shop', team: null, environment: null, isolation: null, domains: ['a.example.com'], owners: { groups: ['g'], users: [] }, schema: 's.json', config: 'c.yaml' };
    fs.writeFileSync(path.join(templates, TENANT_FILE_TEMPLATE), 'name: {{json}}\n');
    expect(() => renderTenantFile(context, templates)).toThrow(/`json` needs a value/);
    fs.writeFileSync(path.join(templates, TENANT_FILE_TEMPLATE), 'name: {{json nme}}\n');
    expect(() => renderTenantFile(context, templates)).toThrow(/`json` got a field that is not defined/);
    fs.writeFileSync(path.join(templates, TENANT_FILE_TEMPLATE), '# {{config}}\nname: {{json name}}\n');
    expect(renderTenantFile({ ...context, config: 'evil\nsecrets: manage' }, templates)).toBe('# evil?secrets: manage\nname: "shop"\n');
  });
});

describe('usage errors exit 2 and write nothing', () => {
  test.each([
    [['--domain', 'a.example.com', '--owner-group', 'g'], '--name is required'],
    [['--name', 'shop', '--owner-group', 'g'], '--domain is required'],
    [['--name', 'shop', '--domain', 'a.example.com'], 'no owner — name who administers the tenant with --owner-group GROUP or --owner-user USER'],
    [['--name', 'shop', '--domain', 'a.example.com', '--owner-group', 'g', '--team', ''], '--team is empty'],
    [['--name', 'shop', '--domain', 'a.example.com', '--owner-group', 'g', 'extra'], 'unexpected argument `extra`'],
    [['--name', 'shop', '--domain', 'a.example.com', '--owner', 'g'], '`onboard` has no option `--owner` — its options are `--name`, `--domain`, `--owner-group`, `--owner-user`, `--team`, `--environment`, `--isolation`, `--config`, `--templates`, `--out`'],
    [['--name', 'shop', '--domain', 'a.example.com', '--owner-grop', 'g'], '`onboard` has no option `--owner-grop` — did you mean `--owner-group`?'],
  ])('onboard %j', (args, message) => {
    const before = tree(dir);
    const result = onboard(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(tree(dir)).toEqual(before);
  });

  test('--help lists the onboarding flags', () => {
    const result = runCli(['onboard', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--owner-group GROUP');
    expect(result.stdout).toContain('--templates DIR');
  });
});
