import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  MeterProvider,
  type MetricDescriptor,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface Point {
  readonly attributes: Attributes;
  /** Counters and up-down counters: the sum. Histograms: the sum of the recorded values. */
  readonly value: number;
  readonly count?: number;
  readonly sum?: number;
  /** Histograms: the count per bucket, one more than the boundaries (the last is +Inf). */
  readonly bucketCounts?: readonly number[];
}

/** A real SDK meter provider with a reader the test collects from on demand. */
export class TestMetrics {
  readonly reader = new CollectingReader();
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  async points(name: string): Promise<Point[]> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) throw errors[0];
    const points: Point[] = [];
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints as DataPoint<unknown>[]) {
          if (metric.dataPointType === DataPointType.HISTOGRAM) {
            const histogram = point.value as Histogram;
            points.push({
              attributes: point.attributes,
              value: histogram.sum ?? 0,
              count: histogram.count,
              sum: histogram.sum,
              bucketCounts: histogram.buckets.counts,
            });
          } else points.push({ attributes: point.attributes, value: point.value as number });
        }
      }
    }
    return points;
  }

  /** The one point of a metric with these attributes (exactly), or undefined. */
  async point(name: string, attributes: Attributes = {}): Promise<Point | undefined> {
    const points = await this.points(name);
    return points.find((point) => sameAttributes(point.attributes, attributes));
  }

  /** Counters: the value of the point with these attributes, 0 when there is none. */
  async value(name: string, attributes: Attributes = {}): Promise<number> {
    return (await this.point(name, attributes))?.value ?? 0;
  }

  async descriptors(): Promise<MetricDescriptor[]> {
    const { resourceMetrics } = await this.reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.descriptor));
  }

  /** Every attribute key and value recorded on any metric, for the cardinality checks. */
  async allAttributes(): Promise<{ keys: Set<string>; values: Set<string> }> {
    const { resourceMetrics } = await this.reader.collect();
    const keys = new Set<string>();
    const values = new Set<string>();
    for (const scope of resourceMetrics.scopeMetrics)
      for (const metric of scope.metrics)
        for (const point of metric.dataPoints as DataPoint<unknown>[])
          for (const [key, value] of Object.entries(point.attributes)) {
            keys.add(key);
            values.add(String(value));
          }
    return { keys, values };
  }

  /** Every attribute value recorded on any metric, for the no-content checks. */
  async allAttributeValues(): Promise<string[]> {
    return [...(await this.allAttributes()).values];
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
  }
}

function sameAttributes(actual: Attributes, expected: Attributes): boolean {
  const keys = Object.keys(actual);
  return keys.length === Object.keys(expected).length && keys.every((key) => actual[key] === expected[key]);
}

/** Histogram count and sum per token type. */
export function byTokenType(points: readonly Point[]): Record<string, { count: number; sum: number }> {
  const result: Record<string, { count: number; sum: number }> = {};
  for (const point of points) {
    const type = String(point.attributes['gen_ai.token.type']);
    result[type] ??= { count: 0, sum: 0 };
    const entry = result[type];
    entry.count += point.count ?? 0;
    entry.sum += point.sum ?? 0;
  }
  return result;
}

/** The number of recordings over histogram points. */
export function totalCount(points: readonly Point[]): number {
  return points.reduce((total, point) => total + (point.count ?? 0), 0);
}

export { seededRandom } from './seeded-random.js';
export { until } from './until.js';
export { runWithAndWithout, type WithAndWithout } from './with-and-without.js';
