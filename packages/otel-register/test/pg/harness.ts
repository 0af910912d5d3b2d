import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  MeterProvider,
  type MetricData,
  MetricReader,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  DB_CLIENT_CONNECTION_COUNT,
  DB_CLIENT_CONNECTION_MAX,
  DB_CLIENT_CONNECTION_PENDING_REQUESTS,
} from '@va/semconv';
import { expect } from 'vitest';
import { PgMetricsInstrumentation } from '../../src/pg/index.js';

/** A reader we collect from by hand: each test decides when metrics are read. */
class CollectingReader extends MetricReader {
  constructor(temporality: AggregationTemporality) {
    super({ aggregationTemporalitySelector: () => temporality });
  }

  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export type Pg = typeof import('pg');

export interface PgMetricsHarness {
  readonly instrumentation: PgMetricsInstrumentation;
  /** pg as the application gets it from require(): through require-in-the-middle. */
  readonly pg: Pg;
  collect(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

/**
 * The instrumentation on its own MeterProvider, enabled before pg is required, as the register
 * does it. The test file must not have loaded pg before (vitest gives each file a fresh process).
 */
export function startHarness(temporality = AggregationTemporality.CUMULATIVE): PgMetricsHarness {
  const reader = new CollectingReader(temporality);
  const provider = new MeterProvider({ readers: [reader] });
  const instrumentation = new PgMetricsInstrumentation();
  instrumentation.setMeterProvider(provider);
  instrumentation.enable();
  const pg = createRequire(import.meta.url)('pg') as Pg;
  return {
    instrumentation,
    pg,
    async collect() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw new AggregateError(errors, 'collection failed');
      return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    },
    async shutdown() {
      instrumentation.disable();
      await provider.shutdown();
    },
  };
}

export interface HistogramCount {
  readonly attributes: Attributes;
  readonly count: number;
}

/** Every data point of one histogram as (attributes, count), checking bucket counts add up. */
export function histogramCounts(metrics: readonly MetricData[], name: string): HistogramCount[] {
  const metric = metrics.find((candidate) => candidate.descriptor.name === name);
  if (metric === undefined) return [];
  if (metric.dataPointType !== DataPointType.HISTOGRAM) throw new Error(`${name} is not a histogram`);
  return (metric as HistogramMetricData).dataPoints.map((point) => {
    const inBuckets = point.value.buckets.counts.reduce((sum, count) => sum + count, 0);
    if (inBuckets !== point.value.count)
      throw new Error(`${name}: buckets hold ${inBuckets} of ${point.value.count}`);
    return { attributes: point.attributes, count: point.value.count };
  });
}

export interface SumValue {
  readonly attributes: Attributes;
  readonly value: number;
}

export function sumValues(metrics: readonly MetricData[], name: string): SumValue[] {
  const metric = metrics.find((candidate) => candidate.descriptor.name === name);
  if (metric === undefined) return [];
  if (metric.dataPointType !== DataPointType.SUM) throw new Error(`${name} is not a sum`);
  return (metric as SumMetricData).dataPoints.map((point) => ({
    attributes: point.attributes,
    value: point.value,
  }));
}

/** A stable key for an attribute set, whatever the order of its keys. */
export function keyOf(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([left], [right]) => left.localeCompare(right)));
}

/** Histogram counts as an array sorted by attribute set, so two of them compare with toEqual. */
export function sortedCounts(counts: readonly HistogramCount[]): HistogramCount[] {
  return [...counts].sort((left, right) => keyOf(left.attributes).localeCompare(keyOf(right.attributes)));
}

/**
 * The data points a piece of code added to one (cumulative) histogram: the count per attribute
 * set after, minus before; sets it did not touch are left out.
 */
export async function countsDuring(
  harness: PgMetricsHarness,
  name: string,
  action: () => Promise<void>,
): Promise<HistogramCount[]> {
  const before = new Map(
    histogramCounts(await harness.collect(), name).map((c) => [keyOf(c.attributes), c.count]),
  );
  await action();
  const added = histogramCounts(await harness.collect(), name)
    .map((c) => ({ attributes: c.attributes, count: c.count - (before.get(keyOf(c.attributes)) ?? 0) }))
    .filter((c) => c.count !== 0);
  return sortedCounts(added);
}

export interface PoolState {
  used: number;
  idle: number;
  max: number;
  pending: number;
}

/** The four pool series of one pool name, or undefined when none of them is reported. */
export function poolStateOf(metrics: readonly MetricData[], poolName: string): PoolState | undefined {
  const only = (metric: string, attributes: Attributes): number[] =>
    sumValues(metrics, metric)
      .filter((point) => keyOf(point.attributes) === keyOf(attributes))
      .map((point) => point.value);
  const pool = { 'db.client.connection.pool.name': poolName };
  const values = {
    used: only(DB_CLIENT_CONNECTION_COUNT.name, { ...pool, 'db.client.connection.state': 'used' }),
    idle: only(DB_CLIENT_CONNECTION_COUNT.name, { ...pool, 'db.client.connection.state': 'idle' }),
    max: only(DB_CLIENT_CONNECTION_MAX.name, pool),
    pending: only(DB_CLIENT_CONNECTION_PENDING_REQUESTS.name, pool),
  };
  const found = Object.values(values).map((list) => list.length);
  if (found.every((length) => length === 0)) return undefined;
  expect(found).toEqual([1, 1, 1, 1]);
  return { used: values.used[0]!, idle: values.idle[0]!, max: values.max[0]!, pending: values.pending[0]! };
}

/**
 * pg.Pool emits `error` when the server drops one of its idle clients; with no listener that is an
 * uncaught exception. Tests stop Postgres right after ending their pools, and a client still
 * closing then sees `57P01 terminating connection due to administrator command`.
 */
export function ignoreIdleClientErrors(): void {}
