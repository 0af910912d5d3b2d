// nodejs.eventloop.utilization (the busy share since the previous collection) and
// nodejs.eventloop.time (cumulative seconds per state), read at collection time.

import { TestMetrics } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import type { RuntimeMetrics } from '../../src/runtime/types.js';
import { metricOf, pointOf, snapshot } from './support/snapshot.js';
import { blockEventLoop, sleep } from './support/wait.js';

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

async function read(): Promise<{ utilization: number; active: number; idle: number; labels: unknown[] }> {
  const collected = await snapshot(metrics);
  const time = metricOf(collected, 'nodejs.eventloop.time');
  const utilization = metricOf(collected, 'nodejs.eventloop.utilization');
  expect(utilization.points.length).toBe(1);
  return {
    utilization: pointOf(utilization, {}).value,
    active: pointOf(time, { 'nodejs.eventloop.state': 'active' }).value,
    idle: pointOf(time, { 'nodejs.eventloop.state': 'idle' }).value,
    labels: time.points.map((point) => point.attributes),
  };
}

describe('nodejs.eventloop.utilization and nodejs.eventloop.time', () => {
  it('splits the time into exactly the active and idle states', async () => {
    const { labels } = await read();
    expect(labels).toEqual([{ 'nodejs.eventloop.state': 'active' }, { 'nodejs.eventloop.state': 'idle' }]);
  });

  it('sees a blocked loop as busy and a waiting one as idle, between two collections', async () => {
    const start = await read();
    blockEventLoop(BLOCK_MILLIS);
    const blocked = await read();
    // Nothing but the block ran in between: no idle time at all.
    expect(blocked.utilization).toBeGreaterThan(0.9);
    expect(blocked.utilization).toBeLessThanOrEqual(1);
    expect(blocked.active - start.active).toBeGreaterThanOrEqual(BLOCK_MILLIS / 1000);

    await sleep(BLOCK_MILLIS);
    const waited = await read();
    expect(waited.utilization).toBeLessThan(0.5);
    expect(waited.idle - blocked.idle).toBeGreaterThanOrEqual((BLOCK_MILLIS * 0.5) / 1000);
    // Cumulative: neither state ever goes back.
    expect(waited.active).toBeGreaterThanOrEqual(blocked.active);
  });
});
