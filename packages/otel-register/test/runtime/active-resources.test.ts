// v8js.resource.active: resources keeping the event loop alive, counted by type.

import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { TestMetrics } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import type { RuntimeMetrics } from '../../src/runtime/types.js';
import { metricOf, type SnapshotPoint, snapshot } from './support/snapshot.js';
import { waitUntil } from './support/wait.js';

let metrics: TestMetrics;
let runtime: RuntimeMetrics;
const servers: Server[] = [];

beforeEach(() => {
  metrics = new TestMetrics();
  runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
});

afterEach(async () => {
  runtime.stop();
  for (const server of servers.splice(0)) if (server.listening) server.close();
  await metrics.shutdown();
});

async function listen(): Promise<Server> {
  const server = createServer();
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function resources(): Promise<readonly SnapshotPoint[]> {
  return metricOf(await snapshot(metrics), 'v8js.resource.active').points;
}

function countOf(points: readonly SnapshotPoint[], type: string): number | undefined {
  return points.find((point) => point.attributes['v8js.resource.type'] === type)?.value;
}

describe('v8js.resource.active', () => {
  it('counts two listening servers as two more TCPServerWrap, then reports 0 once they are closed', async () => {
    const before = countOf(await resources(), 'TCPServerWrap') ?? 0;
    const first = await listen();
    const second = await listen();
    expect(countOf(await resources(), 'TCPServerWrap')).toBe(before + 2);

    first.close();
    second.close();
    await Promise.all([once(first, 'close'), once(second, 'close')]);
    // Node lists a closed handle until its cleanup has run, a turn or two after 'close'. The type
    // stays, at its new count, rather than vanishing with its last value standing.
    await waitUntil(
      'the closed servers to go',
      async () => countOf(await resources(), 'TCPServerWrap') === before,
    );
  });

  it('labels every point with its resource type alone, one point per type', async () => {
    await listen();
    const points = await resources();
    for (const point of points) {
      expect(Object.keys(point.attributes)).toEqual(['v8js.resource.type']);
      expect(Number.isInteger(point.value) && point.value >= 0).toBe(true);
    }
    const types = points.map((point) => point.attributes['v8js.resource.type']);
    expect(new Set(types).size).toBe(types.length);
  });
});
