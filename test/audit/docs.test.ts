/** docs/audit.md stays true: its sample is what the command prints today, its table lists every rule. */
import * as fs from 'fs';
import * as path from 'path';
import { formatReport } from '../../src/audit/report';
import { auditThreats as auditRules } from '../../src/threats';
import { REPO } from '../helpers';
import { auditFiles } from './helpers';

const doc = fs.readFileSync(path.join(REPO, 'docs/audit.md'), 'utf8');

test('the sample report is the real output of the command on the fixture', () => {
  const sample = doc.match(/```console\n\$ npm run -s tenancy -- audit (.+)\n([\s\S]*?)\$ echo \$\?\n(\d)\n```/);
  expect(sample).not.toBeNull();
  const [, args, printed, status] = sample!;
  const files = args.split(' ');
  const result = auditFiles(files.map((f) => path.join(REPO, f)));
  const text = formatReport(result, 'text', { failOn: 'high' }).split(`${REPO}${path.sep}`).join('');
  expect(printed).toBe(text);
  expect(status).toBe('1');
});

test('the rules table lists every rule of the audit with its severity', () => {
  const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| (critical|high|medium|low) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  expect(rows).toEqual(auditRules().map((r) => `${r.id} ${r.severity}`));
});
