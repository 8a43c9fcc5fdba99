/** What a YAML mistake in a spec says: one problem for one mistake, at its line, with the key and its path. */
import * as fs from 'fs';
import * as path from 'path';
import { parseSpec } from '../../src/spec/read-spec';
import * as errors from '../../src/spec/errors';
import { SpecError } from '../../src/spec/errors';
import { REPO, refusals } from '../helpers';

const EXAMPLE = fs.readFileSync(path.join(REPO, 'examples/tenancy.yaml'), 'utf8');
const TAB_MESSAGE = 'this line is indented with a tab, and YAML indents with spaces only — replace the tab with spaces';

describe('a tab in an indentation', () => {
  test('is one problem at its line, not the dozen syntax errors that follow from it', () => {
    const lines = EXAMPLE.split('\n');
    const at = lines.findIndex((l) => l === '    team: payments');
    lines[at] = '\tteam: payments';
    expect(refusals(lines.join('\n'))).toEqual([`tenancy.yaml:${at + 1}:1: (root): ${TAB_MESSAGE}`]);
  });

  test('on several lines: one problem per line; a mistake above the first tab is still reported', () => {
    const text = 'platform:\n  traefik: [\ntenants:\n\t- name: a\n\t  domains: [a.example.com]\n';
    const problems = refusals(text);
    expect(problems.filter((p) => p.includes(TAB_MESSAGE))).toEqual([`tenancy.yaml:4:1: (root): ${TAB_MESSAGE}`, `tenancy.yaml:5:1: (root): ${TAB_MESSAGE}`]);
    expect(problems.filter((p) => !p.includes(TAB_MESSAGE))).toEqual([expect.stringMatching(/^tenancy\.yaml:[23]:\d+: \(root\): invalid YAML: /)]);
  });

  test('a tab that is not indentation (between a key and its value) is fine', () => {
    expect(() => parseSpec('tenants:\t[]\n')).not.toThrow();
  });
});

describe('a key written twice', () => {
  test('names the key and the path of the mapping that holds it, and the line of the first', () => {
    const text = 'platform:\n  allowedDomains: [a.example.com]\n  defaults:\n    quota: { pods: 1, pods: 2 }\n  allowedDomains: [b.example.com]\ntenants: []\n';
    expect(refusals(text)).toEqual([
      'tenancy.yaml:4:23: platform.defaults.quota.pods: `pods` is set twice in `platform.defaults.quota` (first on line 4) — keep one of the two entries',
      'tenancy.yaml:5:3: platform.allowedDomains: `allowedDomains` is set twice in `platform` (first on line 2) — keep one of the two entries',
    ]);
  });

  test('at the top level, and inside a list item', () => {
    const text = 'tenantsDir: a\ntenants:\n  - name: x\n    name: y\ntenantsDir: b\n';
    expect(refusals(text)).toEqual([
      'tenancy.yaml:4:5: tenants[0].name: `name` is set twice in `tenants[0]` (first on line 3) — keep one of the two entries',
      'tenancy.yaml:5:1: tenantsDir: `tenantsDir` is set twice at the top level (first on line 1) — keep one of the two entries',
    ]);
  });
});

describe('a file with thousands of mistakes', () => {
  test('describes the first 100 in file order and counts the rest, without working out a "did you mean" for each', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const suggestions = jest.spyOn(errors, 'closest');
    let error: SpecError | undefined;
    try {
      parseSpec(text);
    } catch (err) {
      error = err as SpecError;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect(error!.count).toBe(20_001); // 20,000 unknown keys, and `tenants` missing
    expect(error!.problems).toHaveLength(100);
    expect(error!.problems.slice(0, 2).map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(['1:1 k0', '1:1 tenants']);
    expect(error!.message.split('\n')).toHaveLength(101);
    expect(error!.message.split('\n').pop()).toBe('… and 19901 more');
    // A "did you mean" was looked for only for the problems described.
    expect(suggestions.mock.calls.length).toBeLessThanOrEqual(100);
    suggestions.mockRestore();
  });
});
