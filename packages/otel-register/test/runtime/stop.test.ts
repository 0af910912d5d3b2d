// stop(): the collection callbacks are detached and the GC observer disconnected; what was
// recorded before stays with the SDK. (That the delay sampling stops too, and that nothing keeps
// the process alive, is checked in a child process: process-exit.test.ts.)

import { TestMetrics } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import { exposedGc } from './support/exposed-gc.js';
import { type MetricSnapshot, snapshot } from './support/snapshot.js';
import { blockEventLoop, sleep, waitUntil } from './support/wait.js';

const gc = exposedGc();

let metrics: TestMetrics;

beforeEach(() => {
  metrics = new TestMetrics();
});

afterEach(async () => {
  await metrics.shutdown();
});

function valuesOf(collected: ReadonlyMap<string, MetricSnapshot>): Record<string, unknown> {
  return Object.fromEntries(
    [...collected].map(([name, metric]) => [
      name,
      metric.points.map((point) => [point.attributes, point.value]),
    ]),
  );
}

describe('runtime metrics: stop()', () => {
  it('leaves no callback behind: stopped before any collection, nothing is ever reported', async () => {
    const runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
    runtime.stop();
    await sleep(100);
    gc();
    await sleep(50);
    expect([...(await snapshot(metrics)).keys()]).toEqual([]);
  });

  it('freezes what was reported: a blocked loop and forced GCs after stop() change nothing', async () => {
    const runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
    await sleep(100);
    gc();
    await waitUntil('a GC pause', async () => (await snapshot(metrics)).has('v8js.gc.duration'));
    const before = await snapshot(metrics);
    runtime.stop();

    blockEventLoop(100);
    for (let i = 0; i < 3; i++) gc();
    await sleep(100);
    // The SDK goes on exporting the last values of a detached callback; they must be the same.
    expect(valuesOf(await snapshot(metrics))).toEqual(valuesOf(before));
  });

  it('can be called twice', () => {
    const runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
    runtime.stop();
    expect(() => runtime.stop()).not.toThrow();
  });
});
