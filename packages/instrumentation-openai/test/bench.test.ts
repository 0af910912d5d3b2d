// The openai benchmark's smoke run for CI: it still runs every variant, and every instrumented variant
// recorded every call it made (the benchmark exits 1 otherwise). No figure is checked here: timings
// belong to the benchmark, not to a test.
import { describe, expect, it } from 'vitest';
import { runQuickBench } from './support/quick-bench.js';

describe('openai benchmark', () => {
  it('runs with --quick, prints every variant and records every call', async () => {
    const { code, stdout, stderr } = await runQuickBench('openai.bench.mjs');
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
