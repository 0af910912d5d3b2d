// v8js.memory.heap.*: one point per V8 heap space, as v8.getHeapSpaceStatistics() names them.

import { getHeapSpaceStatistics } from 'node:v8';
import { V8JS_MEMORY_HEAP_USED } from '@va/semconv';
import { TestMetrics } from '@va/test-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import type { RuntimeMetrics } from '../../src/runtime/types.js';
import { type MetricSnapshot, metricOf, snapshot } from './support/snapshot.js';

const HEAP_METRICS = [
  'v8js.memory.heap.used',
  'v8js.memory.heap.space.size',
  'v8js.memory.heap.space.available_size',
  'v8js.memory.heap.space.physical_size',
];

let metrics: TestMetrics;
let runtime: RuntimeMetrics;
let collected: Map<string, MetricSnapshot>;

beforeAll(async () => {
  metrics = new TestMetrics();
  runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
  collected = await snapshot(metrics);
});

afterAll(async () => {
  runtime.stop();
  await metrics.shutdown();
});

describe('v8js.memory.heap.*', () => {
  it.each(HEAP_METRICS)(
    '%s has one point per heap space of this V8, labelled with its name alone',
    (name) => {
      const spaces = getHeapSpaceStatistics().map((space) => space.space_name);
      const labels = metricOf(collected, name).points.map((point) => point.attributes);
      expect(labels).toEqual(spaces.map((space) => ({ 'v8js.heap.space.name': space })));
    },
  );

  it.each(HEAP_METRICS)('%s reports whole, non-negative byte counts', (name) => {
    for (const point of metricOf(collected, name).points) {
      expect(Number.isSafeInteger(point.value) && point.value >= 0).toBe(true);
    }
  });

  it('reports only space names @va/semconv documents', () => {
    const documented = V8JS_MEMORY_HEAP_USED.attributes[0]?.values ?? [];
    const names = getHeapSpaceStatistics().map((space) => space.space_name);
    expect(names.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('reports space.size as an up-down counter and the others as gauges', () => {
    expect(HEAP_METRICS.map((name) => [name, metricOf(collected, name).kind])).toEqual([
      ['v8js.memory.heap.used', 'observable_gauge'],
      ['v8js.memory.heap.space.size', 'observable_updowncounter'],
      ['v8js.memory.heap.space.available_size', 'observable_gauge'],
      ['v8js.memory.heap.space.physical_size', 'observable_gauge'],
    ]);
  });
});
