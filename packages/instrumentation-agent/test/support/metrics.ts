import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  MeterProvider,
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
  /** Counters: the sum. Histograms: count and sum. */
  readonly value: number;
  readonly count?: number;
  readonly sum?: number;
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
            });
          } else points.push({ attributes: point.attributes, value: point.value as number });
        }
      }
    }
    return points;
  }

  /** Every attribute value recorded on any metric, for the no-content checks. */
  async allAttributeValues(): Promise<string[]> {
    const { resourceMetrics } = await this.reader.collect();
    const values: string[] = [];
    for (const scope of resourceMetrics.scopeMetrics)
      for (const metric of scope.metrics)
        for (const point of metric.dataPoints as DataPoint<unknown>[])
          for (const value of Object.values(point.attributes)) values.push(String(value));
    return values;
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
  }
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

export function totalCount(points: readonly Point[]): number {
  return points.reduce((total, point) => total + (point.count ?? 0), 0);
}
