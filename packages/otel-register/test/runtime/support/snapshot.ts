import type { Attributes } from '@opentelemetry/api';
import { type DataPoint, DataPointType, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import type { InstrumentKind } from '@va/semconv';
import type { TestMetrics } from '@va/test-metrics';

export interface SnapshotPoint {
  readonly attributes: Attributes;
  /** Gauges and sums: the value. Histograms: the number of recordings. */
  readonly value: number;
  /** Histograms only. */
  readonly histogram?: Histogram;
}

export interface MetricSnapshot {
  readonly kind: InstrumentKind;
  readonly unit: string;
  readonly description: string;
  /** How the data reads to an exporter: gauge, monotonic sum (counter), other sum, histogram. */
  readonly shape: 'gauge' | 'counter' | 'updowncounter' | 'histogram';
  readonly points: readonly SnapshotPoint[];
}

/**
 * The SDK's instrument types in @va/semconv's words. The SDK keeps the type on the descriptor it
 * hands the exporters (its InstrumentDescriptor), which is where the instrument kind is visible.
 */
const KIND_OF_TYPE: Readonly<Record<string, InstrumentKind>> = {
  COUNTER: 'counter',
  UP_DOWN_COUNTER: 'updowncounter',
  HISTOGRAM: 'histogram',
  GAUGE: 'gauge',
  OBSERVABLE_COUNTER: 'observable_counter',
  OBSERVABLE_UP_DOWN_COUNTER: 'observable_updowncounter',
  OBSERVABLE_GAUGE: 'observable_gauge',
};

/** One collection, every metric in it by name: a single run of every callback. */
export async function snapshot(metrics: TestMetrics): Promise<Map<string, MetricSnapshot>> {
  const { resourceMetrics, errors } = await metrics.reader.collect();
  if (errors.length > 0) throw errors[0];
  const byName = new Map<string, MetricSnapshot>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) byName.set(metric.descriptor.name, snapshotOf(metric));
  }
  return byName;
}

function snapshotOf(metric: MetricData): MetricSnapshot {
  const type = (metric.descriptor as { type?: string }).type ?? '';
  const kind = KIND_OF_TYPE[type];
  if (kind === undefined) throw new Error(`${metric.descriptor.name}: unknown instrument type ${type}`);
  const points = (metric.dataPoints as DataPoint<unknown>[]).map((point): SnapshotPoint => {
    if (metric.dataPointType !== DataPointType.HISTOGRAM) {
      return { attributes: point.attributes, value: point.value as number };
    }
    const histogram = point.value as Histogram;
    return { attributes: point.attributes, value: histogram.count, histogram };
  });
  return {
    kind,
    unit: metric.descriptor.unit,
    description: metric.descriptor.description,
    shape: shapeOf(metric),
    points,
  };
}

function shapeOf(metric: MetricData): MetricSnapshot['shape'] {
  switch (metric.dataPointType) {
    case DataPointType.HISTOGRAM:
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return 'histogram';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'updowncounter';
  }
}

/** The metric of that name, which the collection must hold. */
export function metricOf(collected: ReadonlyMap<string, MetricSnapshot>, name: string): MetricSnapshot {
  const metric = collected.get(name);
  if (metric === undefined)
    throw new Error(`${name} was not collected; got ${[...collected.keys()].join(', ')}`);
  return metric;
}

/** The one point of a metric with exactly these attributes. */
export function pointOf(metric: MetricSnapshot, attributes: Attributes = {}): SnapshotPoint {
  const found = metric.points.filter((point) => sameAttributes(point.attributes, attributes));
  if (found.length !== 1) {
    throw new Error(`expected one point with ${JSON.stringify(attributes)}, found ${found.length}`);
  }
  return found[0]!;
}

function sameAttributes(actual: Attributes, expected: Attributes): boolean {
  const keys = Object.keys(actual);
  return keys.length === Object.keys(expected).length && keys.every((key) => actual[key] === expected[key]);
}
