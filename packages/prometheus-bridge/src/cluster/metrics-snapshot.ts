// A collection as plain JSON, for the trip from a cluster worker to its primary over the IPC channel.
// Node's IPC serializes messages as JSON by default, which turns NaN and ±Infinity into null and drops
// nothing else we need; so non-finite numbers travel as strings. The primary checks what arrives: it is
// another process's output, and a malformed part is left out instead of breaking the scrape.

import { type Attributes, type AttributeValue, type HrTime, ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { POINTS_PER_STEP, runToEnd } from '../sliced-work.js';

export const SNAPSHOT_VERSION = 1;

/** A number as JSON can carry it. */
export type JsonNumber = number | 'NaN' | '+Inf' | '-Inf';

/** One process's collection in plain JSON (no resource: the primary renders its own). */
export interface MetricsSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly scopeMetrics: ScopeMetricsSnapshot[];
}

export interface ScopeMetricsSnapshot {
  readonly scope: { readonly name: string; readonly version?: string; readonly schemaUrl?: string };
  readonly metrics: MetricSnapshot[];
}

export interface MetricSnapshot {
  readonly descriptor: {
    readonly name: string;
    readonly description: string;
    readonly unit: string;
    readonly valueType: 'int' | 'double';
    /**
     * The instrument type (`COUNTER`, `OBSERVABLE_GAUGE` …) when the SDK provides it: sdk-metrics 2 keeps it
     * on its descriptors without declaring it. The serializer reads the kind from `dataPointType` and
     * `isMonotonic` instead.
     */
    readonly type?: string;
  };
  readonly dataPointType: 'sum' | 'gauge' | 'histogram';
  readonly temporality: 'cumulative' | 'delta';
  /** Sums only. */
  readonly isMonotonic?: boolean;
  readonly dataPoints: PointSnapshot[];
}

export interface PointSnapshot {
  readonly attributes: Attributes;
  readonly startTime: [number, number];
  readonly endTime: [number, number];
  /** Sums and gauges. */
  readonly value?: JsonNumber;
  /** Histograms. */
  readonly histogram?: HistogramSnapshot;
}

export interface HistogramSnapshot {
  readonly buckets: { readonly boundaries: JsonNumber[]; readonly counts: number[] };
  readonly sum?: JsonNumber;
  readonly count: number;
  readonly min?: JsonNumber;
  readonly max?: JsonNumber;
}

/**
 * The JSON form of a collection. Exponential histograms are left out: the Prometheus text format cannot
 * express them (the serializer would drop them too).
 */
export function toMetricsSnapshot(scopeMetrics: readonly ScopeMetrics[]): MetricsSnapshot {
  return runToEnd(toMetricsSnapshotSteps(scopeMetrics));
}

/** {@link toMetricsSnapshot}, pausing every few hundred points (see sliced-work.ts). */
export function* toMetricsSnapshotSteps(
  scopeMetrics: readonly ScopeMetrics[],
): Generator<void, MetricsSnapshot, undefined> {
  const scopes: ScopeMetricsSnapshot[] = [];
  for (const { scope, metrics } of scopeMetrics) {
    const snapshots: MetricSnapshot[] = [];
    for (const metric of metrics) {
      const snapshot = yield* metricSnapshot(metric);
      if (snapshot !== undefined) snapshots.push(snapshot);
    }
    if (snapshots.length === 0) continue;
    scopes.push({
      scope: {
        name: scope.name,
        ...(scope.version !== undefined && { version: scope.version }),
        ...(scope.schemaUrl !== undefined && { schemaUrl: scope.schemaUrl }),
      },
      metrics: snapshots,
    });
  }
  return { version: SNAPSHOT_VERSION, scopeMetrics: scopes };
}

function* metricSnapshot(metric: MetricData): Generator<void, MetricSnapshot | undefined, undefined> {
  if (metric.dataPoints.length === 0) return undefined;
  const base = {
    descriptor: {
      name: metric.descriptor.name,
      description: metric.descriptor.description,
      unit: metric.descriptor.unit,
      valueType: metric.descriptor.valueType === ValueType.INT ? ('int' as const) : ('double' as const),
      ...instrumentType(metric),
    },
    temporality:
      metric.aggregationTemporality === AggregationTemporality.DELTA
        ? ('delta' as const)
        : ('cumulative' as const),
  };
  const dataPoints: PointSnapshot[] = [];
  switch (metric.dataPointType) {
    case DataPointType.SUM:
    case DataPointType.GAUGE:
      for (const point of metric.dataPoints) {
        dataPoints.push({ ...pointTimes(point), value: toJson(point.value) });
        if (dataPoints.length % POINTS_PER_STEP === 0) yield;
      }
      return metric.dataPointType === DataPointType.SUM
        ? { ...base, dataPointType: 'sum', isMonotonic: metric.isMonotonic, dataPoints }
        : { ...base, dataPointType: 'gauge', dataPoints };
    case DataPointType.HISTOGRAM:
      for (const point of metric.dataPoints) {
        dataPoints.push({ ...pointTimes(point), histogram: histogramSnapshot(point.value) });
        if (dataPoints.length % POINTS_PER_STEP === 0) yield;
      }
      return { ...base, dataPointType: 'histogram', dataPoints };
    default:
      return undefined;
  }
}

function instrumentType(metric: MetricData): { type?: string } {
  const type = (metric.descriptor as { type?: unknown }).type;
  return typeof type === 'string' ? { type } : {};
}

function pointTimes(point: DataPoint<unknown>): Pick<PointSnapshot, 'attributes' | 'startTime' | 'endTime'> {
  return {
    attributes: point.attributes,
    startTime: [point.startTime[0], point.startTime[1]],
    endTime: [point.endTime[0], point.endTime[1]],
  };
}

function histogramSnapshot(histogram: Histogram): HistogramSnapshot {
  return {
    buckets: {
      boundaries: histogram.buckets.boundaries.map(toJson),
      counts: [...histogram.buckets.counts],
    },
    ...(histogram.sum !== undefined && { sum: toJson(histogram.sum) }),
    count: histogram.count,
    ...(histogram.min !== undefined && { min: toJson(histogram.min) }),
    ...(histogram.max !== undefined && { max: toJson(histogram.max) }),
  };
}

function toJson(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/**
 * The collection a snapshot carries, in sdk-metrics' types, or `undefined` when `value` is not a snapshot
 * of a version we read. Malformed metrics and points are left out; nothing throws.
 */
export function fromMetricsSnapshot(value: unknown): ScopeMetrics[] | undefined {
  return runToEnd(fromMetricsSnapshotSteps(value));
}

/** {@link fromMetricsSnapshot}, pausing every few hundred points (see sliced-work.ts). */
export function* fromMetricsSnapshotSteps(
  value: unknown,
): Generator<void, ScopeMetrics[] | undefined, undefined> {
  if (!isObject(value) || value.version !== SNAPSHOT_VERSION || !Array.isArray(value.scopeMetrics)) {
    return undefined;
  }
  const result: ScopeMetrics[] = [];
  for (const scopeSnapshot of value.scopeMetrics as unknown[]) {
    if (!isObject(scopeSnapshot) || !isObject(scopeSnapshot.scope) || !Array.isArray(scopeSnapshot.metrics))
      continue;
    const { name, version, schemaUrl } = scopeSnapshot.scope;
    if (typeof name !== 'string') continue;
    const metrics: MetricData[] = [];
    for (const metricSnapshot of scopeSnapshot.metrics as unknown[]) {
      const metric = yield* readMetric(metricSnapshot);
      if (metric !== undefined) metrics.push(metric);
    }
    if (metrics.length === 0) continue;
    result.push({
      scope: {
        name,
        ...(typeof version === 'string' && { version }),
        ...(typeof schemaUrl === 'string' && { schemaUrl }),
      },
      metrics,
    });
  }
  return result;
}

function* readMetric(value: unknown): Generator<void, MetricData | undefined, undefined> {
  if (!isObject(value) || !isObject(value.descriptor) || !Array.isArray(value.dataPoints)) return undefined;
  const { name, description, unit, valueType, type } = value.descriptor;
  if (typeof name !== 'string' || typeof description !== 'string' || typeof unit !== 'string') {
    return undefined;
  }
  const base = {
    descriptor: {
      name,
      description,
      unit,
      valueType: valueType === 'int' ? ValueType.INT : ValueType.DOUBLE,
      ...(typeof type === 'string' && { type }),
    },
    aggregationTemporality:
      value.temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
  };
  const points = value.dataPoints as unknown[];
  let count = 0;
  switch (value.dataPointType) {
    case 'sum':
    case 'gauge': {
      const dataPoints: DataPoint<number>[] = [];
      for (const point of points) {
        if (++count % POINTS_PER_STEP === 0) yield;
        const times = readTimes(point);
        const number = isObject(point) ? fromJson(point.value) : undefined;
        if (times !== undefined && number !== undefined) dataPoints.push({ ...times, value: number });
      }
      if (dataPoints.length === 0) return undefined;
      return value.dataPointType === 'sum'
        ? { ...base, dataPointType: DataPointType.SUM, isMonotonic: value.isMonotonic === true, dataPoints }
        : { ...base, dataPointType: DataPointType.GAUGE, dataPoints };
    }
    case 'histogram': {
      const dataPoints: DataPoint<Histogram>[] = [];
      for (const point of points) {
        if (++count % POINTS_PER_STEP === 0) yield;
        const times = readTimes(point);
        const histogram = isObject(point) ? readHistogram(point.histogram) : undefined;
        if (times !== undefined && histogram !== undefined) dataPoints.push({ ...times, value: histogram });
      }
      if (dataPoints.length === 0) return undefined;
      return { ...base, dataPointType: DataPointType.HISTOGRAM, dataPoints };
    }
    default:
      return undefined;
  }
}

function readTimes(
  point: unknown,
): { attributes: Attributes; startTime: HrTime; endTime: HrTime } | undefined {
  if (!isObject(point) || !isObject(point.attributes)) return undefined;
  const startTime = readHrTime(point.startTime);
  const endTime = readHrTime(point.endTime);
  if (startTime === undefined || endTime === undefined) return undefined;
  return { attributes: readAttributes(point.attributes), startTime, endTime };
}

function readHrTime(value: unknown): HrTime | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [seconds, nanos] = value as unknown[];
  return typeof seconds === 'number' && typeof nanos === 'number' ? [seconds, nanos] : undefined;
}

function readAttributes(value: Record<string, unknown>): Attributes {
  const attributes: Attributes = {};
  for (const [key, attribute] of Object.entries(value)) {
    if (isAttributeValue(attribute)) attributes[key] = attribute;
  }
  return attributes;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  return Array.isArray(value) && value.every((entry) => entry === null || isAttributeValue(entry));
}

function readHistogram(value: unknown): Histogram | undefined {
  if (!isObject(value) || !isObject(value.buckets)) return undefined;
  const { boundaries, counts } = value.buckets;
  if (!Array.isArray(boundaries) || !Array.isArray(counts)) return undefined;
  const bounds = (boundaries as unknown[]).map(fromJson);
  if (bounds.some((bound) => bound === undefined)) return undefined;
  // n boundaries make n + 1 buckets (sdk-metrics' Histogram).
  if (counts.length !== bounds.length + 1 || !(counts as unknown[]).every(isCount)) return undefined;
  if (!isCount(value.count)) return undefined;
  const sum = value.sum === undefined ? undefined : fromJson(value.sum);
  const min = value.min === undefined ? undefined : fromJson(value.min);
  const max = value.max === undefined ? undefined : fromJson(value.max);
  return {
    buckets: { boundaries: bounds as number[], counts: counts as number[] },
    ...(sum !== undefined && { sum }),
    count: value.count,
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function fromJson(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === '+Inf') return Number.POSITIVE_INFINITY;
  if (value === '-Inf') return Number.NEGATIVE_INFINITY;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
