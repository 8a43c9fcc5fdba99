/** Shared test helpers: render a spec held in memory, find objects, run the CLI. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { resolveTenancy, TenancyModel } from '../src/model/tenancy-model';
import { KubeObject, ObjectGroup, renderGroups } from '../src/output/render';
import { parseSpec } from '../src/spec/read-spec';

export const REPO = path.resolve(__dirname, '..');

/** A minimal valid spec with one tenant; extra YAML for the tenant is appended to its entry. */
export function oneTenantSpec(tenantExtra = '', platformExtra = ''): string {
  return `platform:
  allowedDomains: [example.com]
${platformExtra}tenants:
  - name: payments
    domains: [pay.example.com]
    owners: { groups: [payments-leads] }
    issuer: { acme: { email: ops@example.com } }
${tenantExtra}`;
}

export function modelOf(specText: string): TenancyModel {
  return resolveTenancy(parseSpec(specText).spec);
}

export function render(specText: string): ObjectGroup[] {
  return renderGroups(modelOf(specText));
}

export function allObjects(groups: readonly ObjectGroup[]): KubeObject[] {
  return groups.flatMap((g) => g.objects);
}

/** The one object of `kind` named `name` (and in `namespace`, when given); fails when not exactly one. */
export function find(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): any {
  const hits = objects.filter((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${namespace ?? '*'}/${name}, found ${hits.length}`);
  return hits[0];
}

/** The problems of a refused spec, as the CLI prints them (one line each). */
export function refusals(specText: string, file = 'tenancy.yaml'): string[] {
  try {
    parseSpec(specText, file);
  } catch (err) {
    return (err as Error).message.split('\n');
  }
  throw new Error('the spec was accepted');
}

/** How the tests start the CLI: Node's arguments (through ts-node) and environment. */
export function cliInvocation(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return {
    argv: ['-r', require.resolve('ts-node/register/transpile-only'), path.join(REPO, 'src/cli/main.ts'), ...args],
    env: { ...process.env, ...env, TS_NODE_PROJECT: path.join(REPO, 'tsconfig.json') },
  };
}

/** Runs the CLI in a child process, as a user would (through ts-node). */
export function runCli(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}) {
  const cli = cliInvocation(args, env);
  const result = spawnSync(process.execPath, cli.argv, { cwd, encoding: 'utf8', env: cli.env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
