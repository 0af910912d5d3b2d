// v8js.gc.duration: every GC pause, in seconds, by v8js.gc.type.

import { V8JS_GC_DURATION } from '@va/semconv';
import { TestMetrics } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import type { RuntimeMetrics } from '../../src/runtime/types.js';
import { exposedGc } from './support/exposed-gc.js';
import { metricOf, type SnapshotPoint, snapshot } from './support/snapshot.js';
import { waitUntil } from './support/wait.js';

const FORCED = 5;
const DOCUMENTED_TYPES = V8JS_GC_DURATION.attributes[0]?.values ?? [];
const gc = exposedGc();

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

async function pauses(): Promise<readonly SnapshotPoint[]> {
  return (await snapshot(metrics)).get('v8js.gc.duration')?.points ?? [];
}

function countOf(points: readonly SnapshotPoint[], type: string): number {
  return points.find((point) => point.attributes['v8js.gc.type'] === type)?.value ?? 0;
}

describe('v8js.gc.duration', () => {
  it(`counts at least ${FORCED} major pauses for ${FORCED} forced full collections`, async () => {
    const before = countOf(await pauses(), 'major');
    for (let i = 0; i < FORCED; i++) gc();
    // Node hands the entries to the observer after the pause, not during the call.
    await waitUntil(
      `${FORCED} major pauses`,
      async () => countOf(await pauses(), 'major') >= before + FORCED,
    );

    const points = await pauses();
    const types = points.map((point) => point.attributes['v8js.gc.type']);
    expect(types.filter((type) => !DOCUMENTED_TYPES.includes(String(type)))).toEqual([]);
    expect(new Set(types).size).toBe(types.length);
    for (const point of points) {
      expect(Object.keys(point.attributes)).toEqual(['v8js.gc.type']);
      // Seconds: a forced full collection of a test process takes well under one.
      expect(point.histogram!.sum! / point.value).toBeLessThan(1);
      expect(point.histogram!.min).toBeGreaterThanOrEqual(0);
    }
  });

  it('records pauses into the buckets of the definition', async () => {
    gc();
    await waitUntil('a major pause', async () => countOf(await pauses(), 'major') >= 1);
    const major = (await pauses()).find((point) => point.attributes['v8js.gc.type'] === 'major')!;
    expect(major.histogram!.buckets.boundaries).toEqual([...(V8JS_GC_DURATION.buckets ?? [])]);
    expect(major.histogram!.buckets.counts.reduce((total, count) => total + count, 0)).toBe(major.value);
  });

  it('is a histogram in seconds', async () => {
    gc();
    await waitUntil('a pause', async () => (await pauses()).length > 0);
    const metric = metricOf(await snapshot(metrics), 'v8js.gc.duration');
    expect({ kind: metric.kind, unit: metric.unit }).toEqual({ kind: 'histogram', unit: 's' });
  });
});
