// The root scripts a new user runs first: `npm start -- <flags>` must hand the flags to the demo,
// and `npm test` ends with one total line summed from vitest's summaries.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { sumVitestTotals, totalLine } from '../../../scripts/test-total.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

test('npm start -- --help reaches the demo: its usage, exit 0', () => {
  // VA_SKIP_BUILD: the packages are built already; a build here would rebuild them under other tests.
  const run = spawnSync('npm', ['start', '--', '--help'], {
    cwd: root,
    env: { ...process.env, VA_SKIP_BUILD: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('\nUsage: npm start -- [options]\n');
});

test('npm start -- --duration with a bad value reaches the demo, which rejects it (exit 2)', () => {
  const run = spawnSync('npm', ['start', '--', '--duration', 'soon'], {
    cwd: root,
    env: { ...process.env, VA_SKIP_BUILD: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('--duration expects a positive number of seconds, got "soon"');
});

test('the npm test total sums every vitest summary, coloured or not, under turbo prefixes', () => {
  const log = [
    '@va/a:test:       Tests  3 failed | 124 passed (127)',
    '@va/b:test: \x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m12 passed\x1b[39m\x1b[22m\x1b[90m (12)\x1b[39m',
    '@va/b:test:  Test Files  1 passed (1)',
    '      Tests  2 skipped | 5 passed (7)',
  ].join('\n');
  expect(sumVitestTotals(log)).toEqual({ passed: 141, failed: 3 });
  expect(totalLine(sumVitestTotals(log))).toBe('tests: 141 passed, 3 failed');
});
