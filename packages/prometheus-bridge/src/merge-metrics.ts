// Merges the collections of several processes (a cluster primary and its workers) into one, which the
// serializer then renders as if one process had recorded everything: each family once, each series once.
// Pure: no I/O, no clock, no logging. Problems come back as warnings, for the caller to log once.
//
// Rules (README, "Cluster"):
// - monotonic sums and histograms with the same name and attribute set are added up, over every source,
//   live or not: what an exited worker reported last stays in the total, so merged counters never go back;
// - non-monotonic sums (up-down counters: requests in flight, open connections) are added up over live
//   sources only: an exited worker holds nothing open any more;
// - gauges are not added (the sum of two event-loop delays means nothing): each live source keeps its own
//   series, told apart by a `process.pid` attribute; an exited worker's gauges disappear;
// - histogram buckets must line up: points whose boundaries differ from the first ones seen for the metric
//   are left out, with one warning per metric and source;
// - a merged point starts at the earliest start and ends at the latest end of the points it adds up.

import type { Attributes, HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import {
  type AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  type MetricData,
  type MetricDescriptor,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { AttributeSetIndex } from './attribute-set-index.js';
import { sameBoundaries } from './histogram-boundaries.js';
import { POINTS_PER_STEP, runToEnd } from './sliced-work.js';

/**
 * The attribute that tells the gauges of the processes apart; rendered `process_pid`. The resource
 * attribute of the same name in the semantic conventions:
 * https://opentelemetry.io/docs/specs/semconv/registry/attributes/process/
 */
export const PROCESS_PID_ATTRIBUTE = 'process.pid';

/** One process's collection, as input of {@link mergeMetrics}. */
export interface MetricsSource {
  /** The process the metrics come from; its gauges get it as `process.pid`. */
  readonly pid: number;
  /**
   * `false` for a process that has exited (or did not answer this time): only its monotonic sums and
   * histograms count; its gauges and up-down counters are left out.
   */
  readonly live: boolean;
  readonly scopeMetrics: readonly ScopeMetrics[];
}

/** A problem found while merging; `key` identifies it, so the caller can log each one once. */
export interface MergeWarning {
  readonly key: string;
  readonly message: string;
}

export interface MergeResult {
  readonly scopeMetrics: ScopeMetrics[];
  readonly warnings: MergeWarning[];
}

type Kind = 'counter' | 'updown' | 'gauge' | 'histogram';

interface MergedPoint {
  attributes: Attributes;
  startTime: HrTime;
  endTime: HrTime;
  value: number | Histogram;
}

interface MergedMetric {
  kind: Kind;
  descriptor: MetricDescriptor;
  temporality: AggregationTemporality;
  /** The boundaries of the first histogram point seen: the ones every other point must match. */
  boundaries: readonly number[] | undefined;
  /** The merged points by attribute set (the SDK's rule: attribute-set-index.ts). */
  points: AttributeSetIndex<MergedPoint>;
  /** The same points, in order of first appearance. */
  order: MergedPoint[];
}

interface MergedScope {
  scope: InstrumentationScope;
  /** By metric name; an exponential histogram is kept as it came (the serializer drops it with a warning). */
  metrics: Map<string, MergedMetric | MetricData>;
}

/**
 * Merges the collections of several processes by the rules above. Sources are visited in order: the first
 * one seen of a metric gives its descriptor, its histogram boundaries and the order of its series. The
 * inputs are not modified.
 */
export function mergeMetrics(sources: readonly MetricsSource[]): MergeResult {
  return runToEnd(mergeMetricsSteps(sources));
}

/** {@link mergeMetrics}, pausing every few hundred points (see sliced-work.ts). */
export function* mergeMetricsSteps(
  sources: readonly MetricsSource[],
): Generator<void, MergeResult, undefined> {
  const scopes = new Map<string, MergedScope>();
  const warnings: MergeWarning[] = [];
  for (const source of sources) {
    for (const { scope, metrics } of source.scopeMetrics) {
      const scopeKey = `${scope.name}\0${scope.version ?? ''}\0${scope.schemaUrl ?? ''}`;
      let merged = scopes.get(scopeKey);
      if (merged === undefined) {
        merged = { scope, metrics: new Map() };
        scopes.set(scopeKey, merged);
      }
      for (const metric of metrics) yield* addMetric(merged, metric, source, warnings);
    }
  }
  const scopeMetrics: ScopeMetrics[] = [];
  for (const { scope, metrics } of scopes.values()) {
    const result: MetricData[] = [];
    for (const metric of metrics.values()) {
      if ('kind' in metric) {
        if (metric.order.length > 0) result.push(toMetricData(metric));
      } else {
        result.push(metric);
      }
    }
    if (result.length > 0) scopeMetrics.push({ scope, metrics: result });
  }
  return { scopeMetrics, warnings };
}

function kindOf(metric: MetricData): Kind | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'updown';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}

/** Adds one metric of one source; pauses every {@link POINTS_PER_STEP} points. */
function* addMetric(
  scope: MergedScope,
  metric: MetricData,
  source: MetricsSource,
  warnings: MergeWarning[],
): Generator<void, void, undefined> {
  const name = metric.descriptor.name;
  const kind = kindOf(metric);
  const existing = scope.metrics.get(name);
  if (kind === undefined) {
    // Exponential histograms cannot be written in text format 0.0.4 (the serializer drops them with a
    // warning), so adding them up is not worth the code: the first one seen goes through as it came.
    if (existing === undefined && source.live) scope.metrics.set(name, metric);
    return;
  }
  // An exited process holds nothing open and has no current value to show.
  if (!source.live && (kind === 'updown' || kind === 'gauge')) return;
  let merged: MergedMetric;
  if (existing === undefined) {
    merged = {
      kind,
      descriptor: metric.descriptor,
      temporality: metric.aggregationTemporality,
      boundaries: undefined,
      points: new AttributeSetIndex(),
      order: [],
    };
    scope.metrics.set(name, merged);
  } else if (!('kind' in existing) || existing.kind !== kind) {
    warnings.push({
      key: `kind:${scope.scope.name}:${name}:${source.pid}`,
      message: `metric "${name}" of process ${source.pid} is a ${kind}, but another process reported it as a ${'kind' in existing ? existing.kind : 'exponential histogram'}; its points are left out of the merged scrape.`,
    });
    return;
  } else {
    merged = existing;
  }

  if (kind === 'histogram') {
    let mismatched: readonly number[] | undefined;
    let count = 0;
    for (const point of metric.dataPoints as DataPoint<Histogram>[]) {
      const { boundaries } = point.value.buckets;
      merged.boundaries ??= boundaries;
      if (sameBoundaries(merged.boundaries, boundaries)) addHistogramPoint(merged, point, merged.boundaries);
      else mismatched = boundaries;
      if (++count % POINTS_PER_STEP === 0) yield;
    }
    if (mismatched !== undefined) {
      warnings.push({
        key: `boundaries:${scope.scope.name}:${name}:${source.pid}`,
        message: `histogram "${name}" of process ${source.pid} has bucket boundaries [${mismatched.join(', ')}], the merged one [${merged.boundaries?.join(', ')}]: its points are left out. Give every process the same view.`,
      });
    }
    return;
  }

  let count = 0;
  for (const point of metric.dataPoints as DataPoint<number>[]) {
    if (++count % POINTS_PER_STEP === 0) yield;
    if (kind === 'gauge') {
      const attributes = { ...point.attributes, [PROCESS_PID_ATTRIBUTE]: source.pid };
      // One process reports each of its series once; should it not, the first value stays.
      if (merged.points.get(attributes) === undefined) {
        addPoint(merged, {
          attributes,
          startTime: point.startTime,
          endTime: point.endTime,
          value: point.value,
        });
      }
      continue;
    }
    const current = merged.points.get(point.attributes);
    if (current === undefined) {
      addPoint(merged, {
        attributes: point.attributes,
        startTime: point.startTime,
        endTime: point.endTime,
        value: point.value,
      });
    } else {
      current.value = (current.value as number) + point.value;
      widenTimes(current, point);
    }
  }
}

function addHistogramPoint(
  merged: MergedMetric,
  point: DataPoint<Histogram>,
  boundaries: readonly number[],
): void {
  const current = merged.points.get(point.attributes);
  const value = point.value;
  if (current === undefined) {
    addPoint(merged, {
      attributes: point.attributes,
      startTime: point.startTime,
      endTime: point.endTime,
      // A copy: the totals are added into it, and the inputs must stay as they are. Every point shares one
      // boundaries array, which lets the serializer reuse its encoded `le` labels from point to point.
      value: {
        buckets: { boundaries: boundaries as number[], counts: value.buckets.counts.slice() },
        sum: value.sum,
        count: value.count,
        min: value.min,
        max: value.max,
      },
    });
    return;
  }
  const total = current.value as Histogram;
  const counts = total.buckets.counts;
  for (let index = 0; index < value.buckets.counts.length; index++) {
    counts[index] = (counts[index] ?? 0) + (value.buckets.counts[index] ?? 0);
  }
  total.count += value.count;
  // The SDK leaves `sum` out when the instrument may record negative values; one such process makes the
  // total unknown.
  total.sum = total.sum === undefined || value.sum === undefined ? undefined : total.sum + value.sum;
  total.min = extreme(total.min, value.min, Math.min);
  total.max = extreme(total.max, value.max, Math.max);
  widenTimes(current, point);
}

/** `min`/`max` are unset on a histogram that recorded nothing. */
function extreme(
  a: number | undefined,
  b: number | undefined,
  pick: (x: number, y: number) => number,
): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return pick(a, b);
}

function widenTimes(target: MergedPoint, point: DataPoint<unknown>): void {
  if (compareTime(point.startTime, target.startTime) < 0) target.startTime = point.startTime;
  if (compareTime(point.endTime, target.endTime) > 0) target.endTime = point.endTime;
}

function compareTime(a: HrTime, b: HrTime): number {
  return a[0] === b[0] ? a[1] - b[1] : a[0] - b[0];
}

/** Adds the point of an attribute set the metric does not have yet. */
function addPoint(merged: MergedMetric, point: MergedPoint): void {
  merged.points.add(point.attributes, point);
  merged.order.push(point);
}

function toMetricData(metric: MergedMetric): MetricData {
  const base = { descriptor: metric.descriptor, aggregationTemporality: metric.temporality };
  const points = metric.order;
  switch (metric.kind) {
    case 'counter':
    case 'updown':
      return {
        ...base,
        dataPointType: DataPointType.SUM,
        isMonotonic: metric.kind === 'counter',
        dataPoints: points as DataPoint<number>[],
      };
    case 'gauge':
      return { ...base, dataPointType: DataPointType.GAUGE, dataPoints: points as DataPoint<number>[] };
    case 'histogram':
      return {
        ...base,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: points as DataPoint<Histogram>[],
      };
  }
}
