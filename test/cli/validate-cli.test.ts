/** `tenancy validate`: checks a spec, with its tenant files, and writes nothing. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { oneTenantSpec, REPO, runCli } from '../helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-validate-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('with no --config, checks examples/tenancy.yaml', () => {
  const result = runCli(['validate'], REPO);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^examples\/tenancy\.yaml: valid \(2 tenants, 1 file read\)\.\n$/);
});

test('counts the tenant files under tenantsDir, and reports every problem in them, writing nothing', () => {
  const spec = path.join(dir, 'tenancy.yaml');
  fs.writeFileSync(spec, `${oneTenantSpec()}tenantsDir: teams\n`);
  fs.mkdirSync(path.join(dir, 'teams'));
  fs.writeFileSync(path.join(dir, 'teams', 'shop.yaml'), 'name: shop\ndomains: [shop.example.com]\nowners: { users: [bob] }\nissuer: { selfSigned: {} }\n');
  expect(runCli(['validate', '--config', spec], dir).stdout).toBe(`${spec}: valid (2 tenants, 2 files read).\n`);

  fs.writeFileSync(path.join(dir, 'teams', 'bad.yaml'), 'name: bad\ndomains: [pay.example.com]\nowners: { users: [bob] }\nisuer: { selfSigned: {} }\n');
  const before = fs.readdirSync(dir, { recursive: true }).sort();
  const refused = runCli(['validate', '--config', spec], dir);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toBe([
    `${path.join(dir, 'teams', 'bad.yaml')}:1:1: issuer: no issuer for this tenant's certificates — set \`issuer\` here or in \`platform.defaults.issuer\``,
    `${path.join(dir, 'teams', 'bad.yaml')}:2:11: domains[0]: \`pay.example.com\` is claimed twice: tenant \`payments\` already claims it — a host belongs to one tenant only; remove one entry`,
    `${path.join(dir, 'teams', 'bad.yaml')}:4:1: isuer: unknown field \`isuer\` — a misspelt field would be ignored, so it is refused; did you mean \`issuer\`?`,
    '3 problems found; nothing was written.',
    '',
  ].join('\n'));
  expect(fs.readdirSync(dir, { recursive: true }).sort()).toEqual(before);
});

test('an unexpected argument is a usage error', () => {
  const result = runCli(['validate', 'tenancy.yaml'], dir);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('unexpected argument `tenancy.yaml` — pass the spec with --config FILE');
});
