/** docs/audit.md stays true: its sample is what the command prints today (its rule table is generated: test/threats/docs.test.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { formatReport } from '../../src/audit/report';
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
