/**
 * Writes the docs that the threat catalogue renders: docs/threats.md, and the generated
 * sections of README.md and docs/audit.md. Run with `npm run docs`; test/threats/docs.test.ts
 * fails while they are stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_SECTIONS, spliceSection, threatsMarkdown } from '../src/threats/docs';

const root = path.resolve(__dirname, '..');
fs.writeFileSync(path.join(root, 'docs/threats.md'), threatsMarkdown());
for (const section of GENERATED_SECTIONS) {
  const file = path.join(root, section.file);
  fs.writeFileSync(file, spliceSection(fs.readFileSync(file, 'utf8'), section.name, section.render()));
}
console.log(`Wrote docs/threats.md and ${GENERATED_SECTIONS.map((s) => `${s.file} (${s.name})`).join(', ')}.`);
