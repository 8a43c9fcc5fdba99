/**
 * What only a real process shows: its exit status, what a closed pipe does to it, and what the
 * operating system refuses (a folder it may not write; also simulated in process, for machines
 * where the real one cannot be arranged). Everything else about the CLI is tested in process
 * (`runCli`), which is many times faster. These start the compiled CLI in lib/.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSpec } from '../../bench/bench';
import { cliInvocation, oneTenantSpec, runCli, runCliProcess } from '../helpers';
import { CLUSTER, GITOPS } from '../audit/helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-process-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const STACK_TRACE = /\n\s+at .+[(:]\d+/;

describe('exit statuses: 0 done, 1 refused (or stale, or findings), 2 a usage error, including an input file that does not exist', () => {
  test('synth, validate, onboard, audit', () => {
    const spec = path.join(dir, 'tenancy.yaml');
    fs.writeFileSync(spec, oneTenantSpec());
    const refused = path.join(dir, 'refused.yaml');
    fs.writeFileSync(refused, oneTenantSpec('    podSecurity: privileged\n'));
    const missing = path.join(dir, 'missing.yaml');
    const onboard = ['onboard', '--name', 'shop', '--domain', 'shop.example.com', '--owner-group', 'g'];
    const runs: Array<[args: string[], status: number]> = [
      [['synth', '--config', spec, '--out', path.join(dir, 'out')], 0],
      [['validate', '--config', spec], 0],
      [['validate', '--config', refused], 1],
      [['synth', '--config', refused, '--out', path.join(dir, 'out2')], 1],
      [['audit', CLUSTER], 1],
      [['synth', '--confg', spec], 2],
      [['synth', '--config', missing], 2],
      [['validate', '--config', missing], 2],
      [[...onboard, '--config', missing], 2],
      [['audit', missing], 2],
    ];
    const seen = runs.map(([args]) => {
      const r = runCliProcess(args, dir);
      return { args: args.join(' '), status: r.status, stackTrace: STACK_TRACE.test(r.stderr) };
    });
    expect(seen).toEqual(runs.map(([args, status]) => ({ args: args.join(' '), status, stackTrace: false })));
  });
});

describe('a reader that closes the pipe early (`| head`) ends the run quietly, with the status the run had', () => {
  /** `tenancy ARGS | head -c 1`, through bash: the CLI's exit status and what it printed on stderr. */
  function intoHead(args: string[]): { status: number | null; stderr: string } {
    const cli = cliInvocation(args);
    const script = '"$@" | head -c 1 > /dev/null; exit "${PIPESTATUS[0]}"';
    const result = spawnSync('bash', ['-c', script, 'bash', process.execPath, ...cli.argv], { cwd: dir, env: cli.env, encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  }

  test('synth --stdout | head', () => {
    // Twenty tenants print about 390 KB, six times what a pipe holds: the CLI is still writing when head leaves.
    const spec = path.join(dir, 'tenancy.yaml');
    fs.writeFileSync(spec, generateSpec(20));
    expect(runCli(['synth', '--config', spec, '--stdout'], dir).stdout.length).toBeGreaterThan(4 * 65536);
    expect(intoHead(['synth', '--config', spec, '--stdout'])).toEqual({ status: 0, stderr: '' });
  });

  test('audit --format sarif into a pipe closed before it writes: the status of its findings (1)', async () => {
    const cli = cliInvocation(['audit', CLUSTER, GITOPS, '--format', 'sarif']);
    const child = spawn(process.execPath, cli.argv, { cwd: dir, env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect({ status, stderr }).toEqual({ status: 1, stderr: '' });
  });
});

describe('a folder the operating system will not let synth write', () => {
  // chmod does not restrain root: as root, the CLI runs as `nobody`, for whom the modes count —
  // when nobody may run it (a checkout under a private folder, or a node installed in root's
  // home, is out of its reach: then these are reported as skipped, and the in-process test
  // below still checks the message).
  const asRoot = process.getuid?.() === 0;
  const asUser = asRoot ? { uid: 65534, gid: 65534 } : {};
  const reachable = !asRoot || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(cliInvocation([]).argv[0])}, 4)`], asUser).status === 0;
  const osTest = reachable ? test : test.skip;
  const synth = (out: string) => {
    const cli = cliInvocation(['synth', '--config', 'tenancy.yaml', '--out', out]);
    return spawnSync(process.execPath, cli.argv, { cwd: dir, env: cli.env, encoding: 'utf8', ...asUser });
  };

  beforeEach(() => {
    fs.chmodSync(dir, 0o777);
    fs.writeFileSync(path.join(dir, 'tenancy.yaml'), oneTenantSpec());
    fs.mkdirSync(path.join(dir, 'locked'), { mode: 0o777 });
    fs.chmodSync(path.join(dir, 'locked'), 0o555);
  });
  afterEach(() => fs.chmodSync(path.join(dir, 'locked'), 0o755));

  osTest('a read-only parent of --out is named as the culprit, not the output folder', () => {
    const result = synth('locked/out');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('error: cannot write `locked/out`: `locked` is not writable, and the new output is staged in it before it replaces `locked/out` — make `locked` writable, or choose an --out in a folder you can write; the previous output is unchanged\nNothing was written.\n');
  });

  osTest('so is the read-only folder above missing ones', () => {
    const result = synth('locked/a/b/out');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: cannot write `locked/a/b/out`: `locked` is not writable, and synth would create `locked/a/b` in it to stage the new output');
    expect(fs.readdirSync(path.join(dir, 'locked'))).toEqual([]);
  });
});

test('in process, with the operating system\'s refusal simulated: the read-only folder is named', () => {
  fs.writeFileSync(path.join(dir, 'tenancy.yaml'), oneTenantSpec());
  fs.mkdirSync(path.join(dir, 'locked'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fsModule = require('fs') as typeof fs;
  const real = fsModule.accessSync;
  const spy = jest.spyOn(fsModule, 'accessSync').mockImplementation((file, mode) => {
    if (path.resolve(String(file)) === path.join(fs.realpathSync(dir), 'locked') && mode !== undefined && (mode & fs.constants.W_OK) !== 0) {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    }
    return real(file, mode);
  });
  try {
    const result = runCli(['synth', '--config', 'tenancy.yaml', '--out', 'locked/out'], fs.realpathSync(dir));
    expect(result).toEqual({ status: 1, stdout: '', stderr: 'error: cannot write `locked/out`: `locked` is not writable, and the new output is staged in it before it replaces `locked/out` — make `locked` writable, or choose an --out in a folder you can write; the previous output is unchanged\nNothing was written.\n' });
  } finally {
    spy.mockRestore();
  }
});
