// The openai benchmark's smoke run for CI: it still runs every variant, and every instrumented variant
// recorded every call it made (the benchmark exits 1 otherwise). No figure is checked here: timings
// belong to the benchmark, not to a test.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('openai benchmark', () => {
  it('runs with --quick, prints every variant and records every call', async () => {
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      execFile(
        process.execPath,
        [join(packageRoot, 'bench/openai.bench.mjs'), '--quick'],
        { cwd: packageRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr }),
      );
    });
    expect(stderr).not.toContain('verification failed');
    expect(code).toBe(0);
    for (const variant of [
      '| uninstrumented |',
      '| ours |',
      '| ours, no-op meter (our code alone) |',
      '| upstream |',
    ]) {
      // Non-streaming and streaming, each over the network and in memory.
      expect(stdout.split(variant).length - 1).toBe(4);
    }
    const verification =
      /ours recorded (\d+) .* points for (\d+) client calls \+ (\d+) micro-benchmark streams/.exec(stdout);
    expect(verification).not.toBeNull();
    const [, recorded, calls, streams] = verification!.map(Number);
    expect(recorded).toBe(calls! + streams!);
  }, 150_000);
});
