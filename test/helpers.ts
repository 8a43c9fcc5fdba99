/** Shared test helpers: render a spec held in memory, find objects, run the CLI (in process, or in a child process). */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CliIo, main } from '../src/cli/main';
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

/** What a run of the CLI printed, and its exit status. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process, as a user would run it from `cwd`: `main()` with the output
 * captured. An exception `main` does not handle ends the run as it ends the process: exit
 * status 1 and the stack trace on stderr (tests check that users never see one).
 */
export function runCli(args: readonly string[], cwd = REPO, env: NodeJS.ProcessEnv = {}, stdin = ''): CliRun {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdin: () => stdin };
  const previous = process.cwd();
  process.chdir(cwd);
  let status: number;
  try {
    status = main([...args], { ...process.env, ...env }, io);
  } catch (err) {
    status = 1;
    stderr += `${(err as Error)?.stack ?? String(err)}\n`;
  } finally {
    process.chdir(previous);
  }
  return { status, stdout, stderr };
}

/**
 * How the tests start the CLI in a child process: the compiled build in lib/ (kept fresh by
 * test/support/global-setup.js), for what needs a real process: exit statuses, signals, pipes,
 * time zones.
 */
export function cliInvocation(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return {
    argv: [path.join(REPO, 'lib/cli/main.js'), ...args],
    env: { ...process.env, ...env },
  };
}

/** Runs the CLI in a child process, as a user would. */
export function runCliProcess(args: readonly string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): CliRun {
  const cli = cliInvocation(args, env);
  const result = spawnSync(process.execPath, cli.argv, { cwd, encoding: 'utf8', env: cli.env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
