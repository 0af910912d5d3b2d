// nodejs.eventloop.delay.*: the delay histogram's statistics over the interval since the previous
// collection, in seconds, as upstream instrumentation-runtime-node reports them.

import { TestMetrics } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_LOOP_DELAY_RESOLUTION_MS } from '../../src/runtime/event-loop-delay.js';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import type { RuntimeMetrics } from '../../src/runtime/types.js';
import { type MetricSnapshot, metricOf, pointOf, snapshot } from './support/snapshot.js';
import { blockEventLoop, sleep } from './support/wait.js';

const STATISTICS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;
type Delays = Record<(typeof STATISTICS)[number], number>;

function delaysOf(collected: ReadonlyMap<string, MetricSnapshot>): Delays {
  const delays = {} as Delays;
  for (const statistic of STATISTICS) {
    const metric = metricOf(collected, `nodejs.eventloop.delay.${statistic}`);
    expect(metric.points.length).toBe(1);
    delays[statistic] = pointOf(metric, {}).value;
  }
  return delays;
}

/** Long enough for the histogram to take well over the 5 samples it needs at its resolution. */
const SAMPLING_MILLIS = EVENT_LOOP_DELAY_RESOLUTION_MS * 15;
const BLOCK_MILLIS = 200;

let metrics: TestMetrics;
let runtime: RuntimeMetrics;

beforeEach(() => {
  metrics = new TestMetrics();
  runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
});

afterEach(async () => {
  runtime.stop();
  await metrics.shutdown();
});

describe('nodejs.eventloop.delay.*', () => {
  it('samples every 10 ms, as upstream does by default', () => {
    expect(EVENT_LOOP_DELAY_RESOLUTION_MS).toBe(10);
  });

  it('reports nothing before the histogram has 5 samples', async () => {
    const collected = await snapshot(metrics);
    expect(STATISTICS.filter((statistic) => collected.has(`nodejs.eventloop.delay.${statistic}`))).toEqual(
      [],
    );
  });

  it('reports ordered statistics, in seconds, that include the sampling interval', async () => {
    await sleep(SAMPLING_MILLIS);
    const delays = delaysOf(await snapshot(metrics));
    expect(delays.min).toBeGreaterThan(0);
    expect(delays.min).toBeLessThanOrEqual(delays.p50);
    expect(delays.p50).toBeLessThanOrEqual(delays.p90);
    expect(delays.p90).toBeLessThanOrEqual(delays.p99);
    expect(delays.p99).toBeLessThanOrEqual(delays.max);
    expect(delays.mean).toBeGreaterThanOrEqual(delays.min);
    expect(delays.mean).toBeLessThanOrEqual(delays.max);
    expect(delays.stddev).toBeGreaterThanOrEqual(0);
    // Node measures from one firing of its timer to the next: a loop that is never late still
    // shows the interval. Seconds, not nanoseconds or milliseconds.
    expect(delays.p50).toBeGreaterThanOrEqual((EVENT_LOOP_DELAY_RESOLUTION_MS * 0.5) / 1000);
    expect(delays.p50).toBeLessThan(1);
  });

  it('shows a blocked loop in the max, then forgets it: each collection resets the histogram', async () => {
    await sleep(SAMPLING_MILLIS);
    blockEventLoop(BLOCK_MILLIS);
    await sleep(SAMPLING_MILLIS);
    const blocked = delaysOf(await snapshot(metrics));
    expect(blocked.max).toBeGreaterThanOrEqual(BLOCK_MILLIS / 1000);

    // Straight after a collection the histogram has too few samples: the last values stand.
    expect(delaysOf(await snapshot(metrics))).toEqual(blocked);

    await sleep(SAMPLING_MILLIS);
    const after = delaysOf(await snapshot(metrics));
    expect(after.max).toBeLessThan(BLOCK_MILLIS / 1000);
  });
});
