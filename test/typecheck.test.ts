/** The whole project type-checks (ts-jest runs with diagnostics off for speed, so this is where type errors fail). */
import { spawnSync } from 'child_process';
import * as path from 'path';

test('tsc --noEmit reports no error', () => {
  const root = path.resolve(__dirname, '..');
  const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', path.join(root, 'tsconfig.json')], { encoding: 'utf8' });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
