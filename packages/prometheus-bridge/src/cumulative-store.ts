// Turns the SDK's delta collections into the cumulative series Prometheus scrapes, in slices.
//
// Why not let the SDK keep the cumulative state: sdk-metrics 2.x merges every delta into its cumulative
// state and converts every series inside one synchronous collect() pass, one block of the event loop we
// cannot cut, which grows with the series count. Asked for delta temporality, the SDK converts only what
// changed, a much shorter block (figures: docs/benchmarks.md, scrape cost), and the merging happens here,
// a few hundred points at a time, between turns of the event loop.
//
// What is stored, per metric of each scope:
// - sums and histograms that come as deltas are added up into one point per attribute set, which is then
//   rendered from scrape to scrape whether or not it changed (as the SDK's cumulative state would be);
// - everything that comes cumulative already (gauges, observable instruments: the bridge asks for delta
//   only for synchronous counters, up-down counters and histograms) goes through as the collection gave it,
//   exactly as before;
// - order: scopes and metrics keep the SDK's order (its registration order), and series their order of
//   first appearance, so the exposition reads as it did with cumulative temporality.
//
// Stored points are updated in place: a scrape still streaming an earlier collection may render some
// series with a later value. Each series is written in one synchronous step, so its lines stay consistent
// with each other, and counters only ever go up.

import type { Attributes, HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type Histogram,
  type MetricData,
  type MetricDescriptor,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { AttributeSetIndex } from './attribute-set-index.js';
import { sameBoundaries } from './histogram-boundaries.js';
import type { RenderCache } from './render-cache.js';
import { POINTS_PER_STEP } from './sliced-work.js';
import { WarnOnce } from './warn-once.js';

/** A delta sum or histogram, accumulated. */
interface StoredSeries {
  readonly descriptor: MetricDescriptor;
  readonly dataPointType: DataPointType.SUM | DataPointType.HISTOGRAM;
  readonly isMonotonic: boolean;
  readonly points: SeriesPoints;
}

type StoredPoint = DataPoint<number> | DataPoint<Histogram>;

/** A metric's stored points, one per attribute set, in order of first appearance. */
class SeriesPoints {
  private readonly _points: StoredPoint[] = [];
  private readonly _byContents = new AttributeSetIndex<StoredPoint>();
  // The same points by the frozen attributes object each was created with: @va/otel-sdk's views hand the SDK
  // one frozen object per set, the same in every collection, so one lookup finds the point. Never more
  // entries than points: other objects with the same contents go by contents.
  private readonly _byObject = new Map<Attributes, StoredPoint>();

  get size(): number {
    return this._points.length;
  }

  find(attributes: Attributes): StoredPoint | undefined {
    if (Object.isFrozen(attributes)) {
      const point = this._byObject.get(attributes);
      if (point !== undefined) return point;
    }
    return this._byContents.get(attributes);
  }

  /** Adds the point of an attribute set {@link find} does not know; points are only ever appended. */
  insert(point: StoredPoint): void {
    this._points.push(point);
    this._byContents.add(point.attributes, point);
    if (Object.isFrozen(point.attributes)) this._byObject.set(point.attributes, point);
  }

  /** A copy, in order of first appearance: a later merge may add points. */
  list(): StoredPoint[] {
    return this._points.slice();
  }
}

/** One metric of a scope: accumulated here, or the latest cumulative data the SDK gave for it. */
type StoredMetric = { readonly kind: 'accumulated'; readonly series: StoredSeries } | PassedThrough;

interface PassedThrough {
  readonly kind: 'passed-through';
  /** From the latest collection; `undefined` when it had none (then nothing is rendered, as before). */
  latest: MetricData | undefined;
}

interface StoredScope {
  readonly scope: InstrumentationScope;
  readonly metrics: Map<string, StoredMetric>;
  /** Metric keys in the SDK's order. */
  readonly order: string[];
}

/**
 * The cumulative state behind the bridge's scrapes. {@link add} takes each collection once, in the order
 * the collections finished; merges must not overlap (the bridge chains them).
 */
export class CumulativeStore {
  private readonly _scopes = new Map<string, StoredScope>();
  private readonly _scopeOrder: string[] = [];
  private readonly _warnings = new WarnOnce();
  private readonly _renderCache: RenderCache | undefined;

  /** `renderCache`: where the bridge's render step keeps what it worked out about the stored series. */
  constructor(renderCache?: RenderCache) {
    this._renderCache = renderCache;
  }

  /**
   * Adds one collection, pausing every few hundred points (run it with runSliced), and returns the
   * cumulative collection to render: every series seen so far.
   */
  *add(collection: ResourceMetrics): Generator<void, ResourceMetrics, undefined> {
    const scopeKeys: string[] = [];
    for (const { scope, metrics } of collection.scopeMetrics) {
      const scopeKey = `${scope.name}\0${scope.version ?? ''}\0${scope.schemaUrl ?? ''}`;
      scopeKeys.push(scopeKey);
      let stored = this._scopes.get(scopeKey);
      if (stored === undefined) {
        stored = { scope, metrics: new Map(), order: [] };
        this._scopes.set(scopeKey, stored);
      }
      const metricKeys: string[] = [];
      for (const metric of metrics) {
        const metricKey = keyOf(metric);
        metricKeys.push(metricKey);
        yield* this._addMetric(stored, metricKey, metric);
      }
      forgetPassedThrough(stored, new Set(metricKeys));
      mergeOrder(stored.order, metricKeys);
    }
    const presentScopes = new Set(scopeKeys);
    for (const [scopeKey, stored] of this._scopes) {
      if (!presentScopes.has(scopeKey)) forgetPassedThrough(stored, new Set());
    }
    mergeOrder(this._scopeOrder, scopeKeys);
    return { resource: collection.resource, scopeMetrics: this._snapshot() };
  }

  private *_addMetric(scope: StoredScope, key: string, metric: MetricData): Generator<void, void, undefined> {
    const accumulates =
      metric.aggregationTemporality === AggregationTemporality.DELTA &&
      (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.HISTOGRAM);
    let stored = scope.metrics.get(key);
    if (stored === undefined) {
      stored = accumulates
        ? {
            kind: 'accumulated',
            series: {
              descriptor: metric.descriptor,
              dataPointType: metric.dataPointType,
              isMonotonic: metric.dataPointType === DataPointType.SUM && metric.isMonotonic,
              points: new SeriesPoints(),
            },
          }
        : { kind: 'passed-through', latest: undefined };
      scope.metrics.set(key, stored);
    }
    if (stored.kind === 'passed-through' || !accumulates) {
      if (stored.kind === 'passed-through') stored.latest = metric;
      else
        this._warnings.warn(
          `temporality:${key}`,
          `metric "${metric.descriptor.name}" changed temporality; ignoring its new data`,
        );
      return;
    }
    const points = stored.series.points;
    let count = 0;
    if (metric.dataPointType === DataPointType.SUM) {
      for (const point of metric.dataPoints) {
        addSum(points, point);
        if (++count % POINTS_PER_STEP === 0) yield;
      }
    } else if (metric.dataPointType === DataPointType.HISTOGRAM) {
      for (const point of metric.dataPoints) {
        if (!addHistogram(points, point)) {
          this._warnings.warn(
            `boundaries:${key}`,
            `histogram "${metric.descriptor.name}" changed its bucket boundaries; points with the new ones are not rendered`,
          );
        }
        if (++count % POINTS_PER_STEP === 0) yield;
      }
    }
  }

  /** The scrape's view: fresh arrays (a later merge may add series), points shared and updated in place. */
  private _snapshot(): ScopeMetrics[] {
    const scopeMetrics: ScopeMetrics[] = [];
    for (const scopeKey of this._scopeOrder) {
      const stored = this._scopes.get(scopeKey);
      if (stored === undefined) continue;
      const metrics: MetricData[] = [];
      for (const metricKey of stored.order) {
        const metric = stored.metrics.get(metricKey);
        if (metric === undefined) continue;
        if (metric.kind === 'passed-through') {
          if (metric.latest !== undefined) metrics.push(metric.latest);
          continue;
        }
        const { series } = metric;
        if (series.points.size === 0) continue;
        const base = {
          descriptor: series.descriptor,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
        };
        const data: MetricData =
          series.dataPointType === DataPointType.SUM
            ? {
                ...base,
                dataPointType: DataPointType.SUM,
                isMonotonic: series.isMonotonic,
                dataPoints: series.points.list() as DataPoint<number>[],
              }
            : {
                ...base,
                dataPointType: DataPointType.HISTOGRAM,
                dataPoints: series.points.list() as DataPoint<Histogram>[],
              };
        this._renderCache?.track(data, series.points);
        metrics.push(data);
      }
      if (metrics.length > 0) scopeMetrics.push({ scope: stored.scope, metrics });
    }
    return scopeMetrics;
  }
}

/** A passed-through metric the SDK had nothing for this time renders nothing, as it did before. */
function forgetPassedThrough(scope: StoredScope, present: ReadonlySet<string>): void {
  for (const [key, metric] of scope.metrics) {
    if (metric.kind === 'passed-through' && !present.has(key)) metric.latest = undefined;
  }
}

/**
 * Identifies one metric stream of a scope. The SDK keeps instruments whose descriptors conflict as separate
 * streams under one name (and warns); they must not be added together here.
 */
function keyOf(metric: MetricData): string {
  const { name, unit, valueType } = metric.descriptor;
  const monotonic = metric.dataPointType === DataPointType.SUM && metric.isMonotonic;
  return `${name}\0${unit}\0${valueType}\0${metric.dataPointType}\0${monotonic}`;
}

function addSum(points: SeriesPoints, point: DataPoint<number>): void {
  const stored = points.find(point.attributes) as DataPoint<number> | undefined;
  if (stored === undefined) {
    points.insert(copyPoint(point.attributes, point.startTime, point.endTime, point.value));
    return;
  }
  (stored as { value: number }).value = stored.value + point.value;
  (stored as { endTime: HrTime }).endTime = point.endTime;
}

/** Returns false if the point's buckets do not line up with the stored ones (it is then left out). */
function addHistogram(points: SeriesPoints, point: DataPoint<Histogram>): boolean {
  const stored = points.find(point.attributes) as DataPoint<Histogram> | undefined;
  const value = point.value;
  if (stored === undefined) {
    // A copy: the totals are added into it, and the SDK's point is not ours to change.
    points.insert(
      copyPoint(point.attributes, point.startTime, point.endTime, {
        buckets: { boundaries: value.buckets.boundaries, counts: value.buckets.counts.slice() },
        sum: value.sum,
        count: value.count,
        min: value.min,
        max: value.max,
      }),
    );
    return true;
  }
  const total = stored.value;
  const counts = total.buckets.counts;
  const added = value.buckets.counts;
  if (!sameBoundaries(total.buckets.boundaries, value.buckets.boundaries) || counts.length !== added.length) {
    return false;
  }
  for (let index = 0; index < counts.length; index++)
    counts[index] = (counts[index] as number) + (added[index] as number);
  total.count += value.count;
  // The SDK leaves `sum` out for instruments that may record negative values, consistently per instrument.
  if (total.sum !== undefined && value.sum !== undefined) total.sum += value.sum;
  if (value.min !== undefined && (total.min === undefined || value.min < total.min)) total.min = value.min;
  if (value.max !== undefined && (total.max === undefined || value.max > total.max)) total.max = value.max;
  (stored as { endTime: HrTime }).endTime = point.endTime;
  return true;
}

/** A point of the store's own, which it adds the later deltas into. */
function copyPoint<T>(attributes: Attributes, startTime: HrTime, endTime: HrTime, value: T): DataPoint<T> {
  return { attributes, startTime, endTime, value };
}

/**
 * Merges this collection's order of keys into the known order. The collection's own order wins (the SDK
 * lists streams in registration order, and scopes in the order their collection finished, which can change
 * from one collection to the next); a known key it left out (nothing new to report) stays right after the
 * key it followed before.
 */
function mergeOrder(order: string[], current: readonly string[]): void {
  if (current.length === 0) return;
  const present = new Set(current);
  const merged = [...current];
  for (let index = 0; index < order.length; index++) {
    const key = order[index] as string;
    if (present.has(key)) continue;
    let at = 0;
    for (let before = index - 1; before >= 0; before--) {
      const position = merged.indexOf(order[before] as string);
      if (position >= 0) {
        at = position + 1;
        break;
      }
    }
    merged.splice(at, 0, key);
  }
  order.splice(0, order.length, ...merged);
}
