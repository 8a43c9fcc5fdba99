/** The docs the catalogue renders are current: run `npm run docs` when this fails. */
import * as fs from 'fs';
import * as path from 'path';
import { auditThreats, THREATS } from '../../src/threats';
import { GENERATED_SECTIONS, spliceSection, threatsMarkdown } from '../../src/threats/docs';
import { REPO } from '../helpers';

test('docs/threats.md is rendered from the catalogue', () => {
  expect(fs.readFileSync(path.join(REPO, 'docs/threats.md'), 'utf8')).toBe(threatsMarkdown());
});

test.each(GENERATED_SECTIONS.map((s) => [s.file, s.name, s]))('%s: the %s section is rendered from the catalogue', (file, _name, section) => {
  const text = fs.readFileSync(path.join(REPO, file), 'utf8');
  expect(spliceSection(text, section.name, section.render())).toBe(text);
});

test('docs/threats.md names every threat, and docs/audit.md every rule the audit applies, with its severity', () => {
  const threats = fs.readFileSync(path.join(REPO, 'docs/threats.md'), 'utf8');
  for (const t of THREATS) expect(threats).toContain(`### \`${t.id}\`\n\n**${t.title}** (${t.severity})`);
  const audit = fs.readFileSync(path.join(REPO, 'docs/audit.md'), 'utf8');
  const rows = [...audit.matchAll(/^\| `([a-z0-9-]+)` \| (critical|high|medium|low) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  expect(rows).toEqual(auditThreats().map((t) => `${t.id} ${t.severity}`));
});
