// With a single reader, the SDK's merge of what it collected is made by copying two Maps
// (src/hot-path/single-reader-collect.ts). Whatever is recorded, every collection must be what the SDK's
// own merge gives: these tests run the same seeded workloads with the shortcut and without it.

import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type CollectionResult,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import * as processorModule from '@opentelemetry/sdk-metrics/build/src/state/TemporalMetricProcessor.js';
import { seededRandom } from '@va/test-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  restoreSingleReaderCollect,
  shortenSingleReaderCollect,
} from '../src/hot-path/single-reader-collect.js';
import { start } from '../src/start.js';

const { TemporalMetricProcessor } = processorModule as unknown as {
  TemporalMetricProcessor: { merge: (...args: unknown[]) => unknown; prototype: object };
};

class TestReader extends MetricReader {
  constructor(temporality: AggregationTemporality) {
    super({ aggregationTemporalitySelector: () => temporality });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A collection without its timestamps, which differ from run to run. */
function comparable({ resourceMetrics, errors }: CollectionResult): unknown {
  return {
    errors: errors.length,
    scopes: resourceMetrics.scopeMetrics.map(({ scope, metrics }) => ({
      scope: scope.name,
      metrics: metrics.map((metric) => ({
        name: metric.descriptor.name,
        temporality: metric.aggregationTemporality,
        points: metric.dataPoints.map(({ attributes, value }) => ({ attributes, value })),
      })),
    })),
  };
}

/** Records a seeded workload through a fresh MeterProvider with these readers; every collection of each. */
async function run(seed: number, temporalities: AggregationTemporality[]): Promise<unknown[]> {
  const next = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const readers = temporalities.map((temporality) => new TestReader(temporality));
  const provider = new MeterProvider({ readers });
  const meter = provider.getMeter('workload');
  const histogram = meter.createHistogram('latency', { unit: 's' });
  const counter = meter.createCounter('requests');
  const upDown = meter.createUpDownCounter('in.flight');
  let observed = 0;
  meter.createObservableCounter('observed').addCallback((result) => {
    result.observe(observed, { source: pick(['a', 'b']) });
  });
  const attributes = (): Attributes => ({
    'http.route': pick(['/a', '/b/{id}', '/c']),
    'http.response.status_code': pick([200, 404, 500]),
  });
  const collections: unknown[] = [];
  try {
    for (let step = 0; step < 40; step++) {
      const operations = Math.floor(next() * 30);
      for (let index = 0; index < operations; index++) {
        const value = Math.round(next() * 1000) / 100;
        const which = next();
        if (which < 0.4) histogram.record(value, attributes());
        else if (which < 0.8) counter.add(value, attributes());
        else upDown.add(next() < 0.5 ? -value : value, attributes());
      }
      observed += Math.floor(next() * 5);
      // The readers collect at different points of the workload, as Prometheus and an OTLP push would.
      for (const reader of readers) {
        if (next() < 0.5) collections.push(comparable(await reader.collect()));
      }
    }
    for (const reader of readers) collections.push(comparable(await reader.collect()));
  } finally {
    await provider.shutdown();
  }
  return collections;
}

describe('single-reader collect shortcut', () => {
  afterEach(() => {
    restoreSingleReaderCollect();
    vi.restoreAllMocks();
  });

  it('replaces the merge once, and restores the SDK’s own', () => {
    const prototype = TemporalMetricProcessor.prototype as { _getMergedUnreportedAccumulations: unknown };
    const original = prototype._getMergedUnreportedAccumulations;
    expect(shortenSingleReaderCollect()).toBe('installed');
    expect(shortenSingleReaderCollect()).toBe('already-installed');
    expect(prototype._getMergedUnreportedAccumulations).not.toBe(original);
    restoreSingleReaderCollect();
    expect(prototype._getMergedUnreportedAccumulations).toBe(original);
  });

  it('is installed by start() unless VA_METRICS_SINGLE_READER_COLLECT=false', async () => {
    const prototype = TemporalMetricProcessor.prototype as { _getMergedUnreportedAccumulations: unknown };
    const original = prototype._getMergedUnreportedAccumulations;
    for (const [value, installed] of [
      ['false', false],
      [undefined, true],
    ] as const) {
      restoreSingleReaderCollect();
      const sdk = start({
        environment: value === undefined ? {} : { VA_METRICS_SINGLE_READER_COLLECT: value },
        logLevel: false,
        prometheus: { preventServerStart: true },
      });
      try {
        expect(prototype._getMergedUnreportedAccumulations !== original).toBe(installed);
      } finally {
        await sdk.shutdown();
      }
    }
  });

  const { DELTA, CUMULATIVE } = AggregationTemporality;
  for (const [name, temporalities] of [
    ['one delta reader', [DELTA]],
    ['one cumulative reader', [CUMULATIVE]],
    ['two readers, delta and cumulative', [DELTA, CUMULATIVE]],
  ] as const) {
    it(`collects exactly what the SDK's own merge collects: ${name}`, async () => {
      for (const seed of [1, 2, 3]) {
        restoreSingleReaderCollect();
        const own = await run(seed, [...temporalities]);
        expect(shortenSingleReaderCollect()).toBe('installed');
        const merges = vi.spyOn(TemporalMetricProcessor, 'merge');
        const shortened = await run(seed, [...temporalities]);
        expect(shortened).toEqual(own);
        expect(own.length).toBeGreaterThan(10);
        // The SDK merges into a new map for every collection of every stream unless the shortcut
        // took over; a cumulative reader still merges each collection into its totals.
        if (temporalities.length === 2) expect(merges).toHaveBeenCalled();
        if (name === 'one delta reader') expect(merges).not.toHaveBeenCalled();
        merges.mockRestore();
      }
    });
  }
});
