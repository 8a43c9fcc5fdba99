/**
 * Every command the README and docs/ show runs as written from the repository root. The shell
 * blocks of each document are run in order, in a copy of the repository's examples, output and
 * fixtures (so the real dist/ is never touched): each `npm run synth|onboard|tenancy -- …` runs
 * the CLI (in process) and must succeed — `audit` may report findings (exit 1), nothing may be a
 * usage error (2) — and each `helm install|upgrade` must name a chart that an earlier command wrote.
 *
 * Not run: `npm ci`, `npm test`, `npm install`, and `kubectl` (commands on files they write are
 * left out too), and commands whose paths are the reader's own, written `path/to/…`. Optional
 * flags in `[…]` are run with the flags.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO, runCli } from '../helpers';

const DOCUMENTS = ['README.md', ...fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The commands of a document's shell blocks, in order: continuations joined, comments dropped. */
function commands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block.replace(/\\\n\s*/g, ' ').split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
      .filter(Boolean)
      .flatMap((line) => line.split(/\s+&&\s+/)),
  );
}

/** Splits a command line into words (no quoting in the docs' commands beyond plain words). */
const words = (line: string) => line.replace(/\[([^\]]*)\]/g, '$1').split(/\s+/).filter(Boolean);

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tenancy-docs-'));
  for (const dir of ['examples', 'dist', 'test/fixtures']) fs.cpSync(path.join(REPO, dir), path.join(root, dir), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('the documents have shell blocks with commands to run', () => {
  expect(DOCUMENTS).toEqual(expect.arrayContaining(['README.md', 'docs/helm.md', 'docs/onboarding.md', 'docs/audit.md']));
  expect(commands(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')).filter((c) => c.startsWith('npm run')).length).toBeGreaterThan(2);
});

test.each(DOCUMENTS)('%s: every command runs as written from the repository root', (document) => {
  const ran: string[] = [];
  const unavailable = new Set<string>();
  for (const line of commands(fs.readFileSync(path.join(REPO, document), 'utf8'))) {
    const argv = words(line);
    const redirect = argv.indexOf('>');
    const stdoutTo = redirect >= 0 ? argv[redirect + 1] : undefined;
    const args = redirect >= 0 ? argv.slice(0, redirect) : argv;
    if (args[0] === 'kubectl') {
      if (stdoutTo) unavailable.add(stdoutTo);
      continue;
    }
    if (args[0] === 'helm') {
      if (args[1] === 'install' || args[1] === 'upgrade') {
        expect({ line, chartExists: fs.existsSync(path.join(root, args[3])) }).toEqual({ line, chartExists: true });
        ran.push(line);
      }
      continue;
    }
    if (args[0] !== 'npm' || args[1] !== 'run') continue; // npm ci, npm test, npm install
    if (line.includes('path/to/') || line.includes('|') || args.some((a) => unavailable.has(a))) continue;
    const script = args[2] === '-s' ? args[3] : args[2];
    const rest = args.slice(args.indexOf('--') >= 0 ? args.indexOf('--') + 1 : args.length);
    const cli = script === 'tenancy' ? rest : [script, ...rest];
    const result = runCli(cli, root);
    const allowed = cli[0] === 'audit' ? [0, 1] : [0];
    expect({ line, status: allowed.includes(result.status!) ? 'ok' : result.status, stderr: result.stderr }).toEqual({ line, status: 'ok', stderr: '' });
    if (stdoutTo) fs.writeFileSync(path.join(root, stdoutTo), result.stdout);
    ran.push(line);
  }
  // A document with shell blocks has at least one command this test ran.
  if (commands(fs.readFileSync(path.join(REPO, document), 'utf8')).some((c) => c.startsWith('npm run') && !c.includes('path/to/') && !c.includes('|'))) {
    expect(ran.length).toBeGreaterThan(0);
  }
});
