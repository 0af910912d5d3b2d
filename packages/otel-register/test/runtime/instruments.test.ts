// The metric contract: every runtime instrument as @va/semconv defines it (name, kind, unit,
// description, buckets), with exactly the attribute keys the definition lists, and nothing else.

import { type MetricDefinition, prometheusTypeOf, RUNTIME_METRICS } from '@va/semconv';
import { TestMetrics } from '@va/test-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import type { RuntimeMetrics } from '../../src/runtime/types.js';
import { exposedGc } from './support/exposed-gc.js';
import { type MetricSnapshot, metricOf, snapshot } from './support/snapshot.js';
import { sleep, waitUntil } from './support/wait.js';

/** Recorded elsewhere in the register (src/process-metrics.ts). */
const PROCESS_METRICS = new Set(['process.cpu.time', 'process.memory.usage']);
const RECORDED: readonly MetricDefinition[] = RUNTIME_METRICS.filter(
  (definition) => !PROCESS_METRICS.has(definition.name),
);

let metrics: TestMetrics;
let runtime: RuntimeMetrics;
let collected: Map<string, MetricSnapshot>;

beforeAll(async () => {
  metrics = new TestMetrics();
  runtime = recordRuntimeMetrics(metrics.meterProvider.getMeter('runtime-test'));
  const gc = exposedGc();
  // Enough delay samples to be reported (5 at 10 ms), and a GC pause to give the histogram a point.
  await sleep(100);
  gc();
  await waitUntil('a GC pause to be recorded', async () => {
    collected = await snapshot(metrics);
    return (collected.get('v8js.gc.duration')?.points.length ?? 0) > 0;
  });
});

afterAll(async () => {
  runtime.stop();
  await metrics.shutdown();
});

describe('runtime metrics: the instruments', () => {
  it('records every runtime metric of @va/semconv but the process ones, and nothing else', () => {
    expect([...collected.keys()].sort()).toEqual(RECORDED.map((definition) => definition.name).sort());
    expect(RECORDED.length).toBe(15);
  });

  it('names @va/otel-register as the recorder of each', () => {
    expect(RECORDED.filter((definition) => definition.recordedBy !== '@va/otel-register')).toEqual([]);
  });

  it.each(RECORDED.map((definition) => [definition.name, definition] as const))(
    '%s has the kind, unit and description of its definition',
    (name, definition) => {
      const metric = metricOf(collected, name);
      expect({ kind: metric.kind, unit: metric.unit, description: metric.description }).toEqual({
        kind: definition.kind,
        unit: definition.unit,
        description: definition.description,
      });
      // What an exporter sees agrees with the kind: Prometheus's type follows from both.
      const exported =
        metric.shape === 'histogram' ? 'histogram' : metric.shape === 'counter' ? 'counter' : 'gauge';
      expect(exported).toBe(prometheusTypeOf(definition.kind));
    },
  );

  it.each(RECORDED.map((definition) => [definition.name, definition] as const))(
    '%s carries exactly the attribute keys of its definition on every point',
    (name, definition) => {
      const expected = definition.attributes.map((attribute) => attribute.key).sort();
      const keySets = new Set(
        metricOf(collected, name).points.map((point) => JSON.stringify(Object.keys(point.attributes).sort())),
      );
      expect([...keySets]).toEqual([JSON.stringify(expected)]);
    },
  );

  it('gives v8js.gc.duration the buckets of its definition', () => {
    const definition = RECORDED.find((candidate) => candidate.name === 'v8js.gc.duration')!;
    for (const point of metricOf(collected, 'v8js.gc.duration').points) {
      expect(point.histogram?.buckets.boundaries).toEqual([...(definition.buckets ?? [])]);
      expect(point.histogram?.buckets.counts.length).toBe((definition.buckets ?? []).length + 1);
    }
  });

  it('uses only the documented values of the attributes that have a closed set', () => {
    for (const definition of RECORDED) {
      for (const attribute of definition.attributes) {
        if (attribute.values === undefined) continue;
        const values = metricOf(collected, definition.name).points.map((point) =>
          String(point.attributes[attribute.key]),
        );
        expect(values.filter((value) => !attribute.values!.includes(value))).toEqual([]);
      }
    }
  });
});
