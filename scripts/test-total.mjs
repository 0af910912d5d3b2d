// `npm test`: runs every package's tests (turbo, one at a time) and ends with one total line,
// "tests: N passed, N failed", summed from vitest's "Tests  3 failed | 124 passed (127)" lines.
// The exit code is turbo's. `node scripts/test-total.mjs --sum < log` only sums a saved log
// (.ci/run sums its two Node versions' runs this way).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Sums vitest's summary lines in `text` (colours allowed). */
export function sumVitestTotals(text) {
  let passed = 0;
  let failed = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
  for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    if (!/^\s*(?:\S+:\s+)?Tests\s{2}/.test(line)) continue;
    for (const [, count, kind] of line.matchAll(/(\d+) (passed|failed)/g)) {
      if (kind === 'passed') passed += Number(count);
      else failed += Number(count);
    }
  }
  return { passed, failed };
}

export const totalLine = ({ passed, failed }) => `tests: ${passed} passed, ${failed} failed`;

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--sum') {
    console.log(totalLine(sumVitestTotals(readFileSync(0, 'utf8'))));
  } else {
    let log = '';
    const turbo = spawn(
      'npx',
      ['--no-install', 'turbo', 'run', 'test', '--concurrency=1', ...process.argv.slice(2)],
      {
        stdio: ['inherit', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
      },
    );
    for (const [from, to] of [
      [turbo.stdout, process.stdout],
      [turbo.stderr, process.stderr],
    ]) {
      from.on('data', (chunk) => {
        log += chunk;
        to.write(chunk);
      });
    }
    turbo.on('exit', (code, signal) => {
      console.log(`\n${totalLine(sumVitestTotals(log))}`);
      process.exit(code ?? (signal ? 1 : 0));
    });
  }
}
