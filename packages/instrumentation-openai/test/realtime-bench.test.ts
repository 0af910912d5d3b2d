// The Realtime benchmark's smoke run for CI: it still runs every variant, the app saw every replayed
// event, and every instrumented variant recorded every response it was sent (the benchmark exits 1
// otherwise). No figure is checked here: timings belong to the benchmark, not to a test.
import { describe, expect, it } from 'vitest';
import { runQuickBench } from './support/quick-bench.js';

describe('Realtime benchmark', () => {
  it('runs with --quick, prints every variant and records every response', async () => {
    const { code, stdout, stderr } = await runQuickBench('realtime.bench.mjs');
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
