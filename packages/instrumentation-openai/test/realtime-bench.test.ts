// The Realtime benchmark's smoke run for CI: it still runs every variant, the app saw every replayed
// event, and every instrumented variant recorded every response it was sent (the benchmark exits 1
// otherwise). No figure is checked here: timings belong to the benchmark, not to a test.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('Realtime benchmark', () => {
  it('runs with --quick, prints every variant and records every response', async () => {
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      execFile(
        process.execPath,
        [join(packageRoot, 'bench/realtime.bench.mjs'), '--quick'],
        { cwd: packageRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr }),
      );
    });
    expect(stderr).not.toContain('verification failed');
    expect(code).toBe(0);
    for (const variant of [
      '| unpatched |',
      '| module patch (OpenAIInstrumentation) |',
      '| listener (instrumentOpenAI(rt)) |',
    ]) {
      // The recorded mix and the audio-only stream.
      expect(stdout.split(variant).length - 1).toBe(2);
    }
    for (const variant of ['module patch (OpenAIInstrumentation)', 'listener (instrumentOpenAI(rt))']) {
      const verification = new RegExp(
        `- ${variant.replace(/[()]/g, '\\$&')}: the app saw (\\d+) events of (\\d+) replayed; recorded (\\d+) responses of (\\d+) expected`,
      ).exec(stdout);
      expect(verification, variant).not.toBeNull();
      const [, seen, replayed, recorded, expected] = verification!.map(Number);
      expect(seen).toBe(replayed);
      expect(recorded).toBe(expected);
      expect(recorded).toBeGreaterThan(0);
    }
  }, 150_000);
});
