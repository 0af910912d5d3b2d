// The record benchmark's smoke run for CI: it still runs every variant and prints its table. No
// figure is checked here (timings belong to the benchmark, not to a test).
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('record benchmark', () => {
  it('runs with --quick and prints every variant for both attribute sets', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(packageRoot, 'bench/record.bench.mjs'), '--quick'],
        { cwd: packageRoot, timeout: 60_000 },
        (error, stdout) => resolve({ code: error === null ? 0 : (error.code as number | null), stdout }),
      );
    });
    expect(code).toBe(0);
    for (const set of ['## http attributes', '## genai attributes']) expect(stdout).toContain(set);
    for (const variant of [
      '| sdk, no attributes |',
      '| sdk default |',
      '| sdk default, reused object |',
      '| ours, fresh object |',
      '| ours, prepared set |',
      '| ours, prepared set, no hash memo |',
    ]) {
      expect(stdout.split(variant).length - 1).toBe(2);
    }
  }, 70_000);
});
