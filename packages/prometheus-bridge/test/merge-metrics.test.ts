import type { Attributes, HrTime } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type Histogram,
  type MetricData,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { serialize } from '../src/index.js';
import { type MetricsSource, mergeMetrics } from '../src/merge-metrics.js';

// Hand-built collections, so every expected value below is exact.
const SCOPE = { name: '@va/otel-register', version: '0.1.0' };
const T = (seconds: number): HrTime => [seconds, 0];

function sum(
  name: string,
  isMonotonic: boolean,
  points: Array<[Attributes, number, number?, number?]>,
): MetricData {
  return {
    descriptor: { name, description: `${name} description`, unit: '', valueType: ValueType.INT },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic,
    dataPoints: points.map(([attributes, value, start = 100, end = 200]) => ({
      attributes,
      value,
      startTime: T(start),
      endTime: T(end),
    })),
  };
}

function gauge(name: string, points: Array<[Attributes, number]>): MetricData {
  return {
    descriptor: { name, description: `${name} description`, unit: '1', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points.map(([attributes, value]) => ({ attributes, value, startTime: T(1), endTime: T(2) })),
  };
}

function histogram(name: string, points: Array<[Attributes, Histogram, number?, number?]>): MetricData {
  return {
    descriptor: { name, description: `${name} description`, unit: 's', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points.map(([attributes, value, start = 100, end = 200]) => ({
      attributes,
      value,
      startTime: T(start),
      endTime: T(end),
    })),
  };
}

function h(
  boundaries: number[],
  counts: number[],
  sum: number | undefined,
  min: number | undefined,
  max: number | undefined,
): Histogram {
  return {
    buckets: { boundaries, counts },
    count: counts.reduce((a, b) => a + b, 0),
    ...(sum !== undefined && { sum }),
    ...(min !== undefined && { min }),
    ...(max !== undefined && { max }),
  };
}

function source(pid: number, live: boolean, ...metrics: MetricData[]): MetricsSource {
  return { pid, live, scopeMetrics: [{ scope: SCOPE, metrics }] };
}

/** The merged metric of a name, in the one scope these tests use. */
function metricOf(scopeMetrics: ScopeMetrics[], name: string): MetricData | undefined {
  return scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
}

function pointsOf(
  scopeMetrics: ScopeMetrics[],
  name: string,
): Array<{ attributes: Attributes; value: unknown }> {
  return (metricOf(scopeMetrics, name)?.dataPoints ?? []).map(({ attributes, value }) => ({
    attributes,
    value,
  }));
}

describe('mergeMetrics', () => {
  it('adds up monotonic sums with the same name and attribute set, whatever the key order', () => {
    const { scopeMetrics, warnings } = mergeMetrics([
      source(10, true, sum('requests', true, [[{ method: 'GET', status: 200 }, 5]])),
      source(
        11,
        true,
        sum('requests', true, [
          [{ status: 200, method: 'GET' }, 7],
          [{ method: 'POST', status: 500 }, 1],
        ]),
      ),
      source(12, true, sum('requests', true, [[{ method: 'GET', status: 200 }, 3]])),
    ]);
    expect(warnings).toEqual([]);
    expect(pointsOf(scopeMetrics, 'requests')).toEqual([
      { attributes: { method: 'GET', status: 200 }, value: 15 },
      { attributes: { method: 'POST', status: 500 }, value: 1 },
    ]);
    expect(metricOf(scopeMetrics, 'requests')).toMatchObject({
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
    });
  });

  it('starts a merged point at the earliest start and ends it at the latest end', () => {
    const { scopeMetrics } = mergeMetrics([
      source(10, true, sum('requests', true, [[{}, 1, 150, 300]])),
      source(11, true, sum('requests', true, [[{}, 1, 120, 310]])),
      source(12, false, sum('requests', true, [[{}, 1, 130, 250]])),
    ]);
    const [point] = metricOf(scopeMetrics, 'requests')!.dataPoints;
    expect(point).toMatchObject({ startTime: [120, 0], endTime: [310, 0], value: 3 });
  });

  it('keeps the monotonic sums of exited processes in the total', () => {
    const { scopeMetrics } = mergeMetrics([
      source(10, true, sum('requests', true, [[{ route: '/a' }, 4]])),
      source(
        0,
        false,
        sum('requests', true, [
          [{ route: '/a' }, 100],
          [{ route: '/gone' }, 9],
        ]),
      ),
    ]);
    expect(pointsOf(scopeMetrics, 'requests')).toEqual([
      { attributes: { route: '/a' }, value: 104 },
      { attributes: { route: '/gone' }, value: 9 },
    ]);
  });

  it('adds up non-monotonic sums over live processes only', () => {
    const { scopeMetrics } = mergeMetrics([
      source(10, true, sum('active', false, [[{ method: 'GET' }, 2]])),
      source(
        11,
        true,
        sum('active', false, [
          [{ method: 'GET' }, 3],
          [{ method: 'PUT' }, -1],
        ]),
      ),
      source(12, false, sum('active', false, [[{ method: 'GET' }, 40]])),
    ]);
    expect(pointsOf(scopeMetrics, 'active')).toEqual([
      { attributes: { method: 'GET' }, value: 5 },
      { attributes: { method: 'PUT' }, value: -1 },
    ]);
    expect(metricOf(scopeMetrics, 'active')).toMatchObject({
      dataPointType: DataPointType.SUM,
      isMonotonic: false,
    });
  });

  it('keeps gauges per live process with a process.pid attribute, and drops those of exited ones', () => {
    const { scopeMetrics } = mergeMetrics([
      source(10, true, gauge('utilization', [[{}, 0.25]])),
      source(11, true, gauge('utilization', [[{}, 0.5]])),
      source(12, false, gauge('utilization', [[{}, 0.75]])),
      source(13, true, gauge('utilization', [[{ 'process.pid': 999, cpu: 'user' }, 0.125]])),
    ]);
    expect(pointsOf(scopeMetrics, 'utilization')).toEqual([
      { attributes: { 'process.pid': 10 }, value: 0.25 },
      { attributes: { 'process.pid': 11 }, value: 0.5 },
      { attributes: { 'process.pid': 13, cpu: 'user' }, value: 0.125 },
    ]);
  });

  it('adds up histograms: buckets, sum and count; min of the minimums, max of the maximums', () => {
    const bounds = [0.1, 1];
    const { scopeMetrics, warnings } = mergeMetrics([
      source(10, true, histogram('duration', [[{ route: '/a' }, h(bounds, [1, 2, 0], 1.5, 0.05, 0.9)]])),
      source(11, true, histogram('duration', [[{ route: '/a' }, h([0.1, 1], [3, 0, 1], 4.25, 0.01, 2.5)]])),
      source(0, false, histogram('duration', [[{ route: '/a' }, h([0.1, 1], [10, 0, 0], 0.5, 0.02, 0.08)]])),
    ]);
    expect(warnings).toEqual([]);
    expect(pointsOf(scopeMetrics, 'duration')).toEqual([
      {
        attributes: { route: '/a' },
        value: {
          buckets: { boundaries: [0.1, 1], counts: [14, 2, 1] },
          sum: 6.25,
          count: 17,
          min: 0.01,
          max: 2.5,
        },
      },
    ]);
    // One boundaries array for every merged point: the serializer reuses its `le` labels by identity.
    const [point] = metricOf(scopeMetrics, 'duration')!.dataPoints as Array<{ value: Histogram }>;
    expect(point!.value.buckets.boundaries).toBe(bounds);
  });

  it('leaves the sum of a merged histogram unset when a process left it unset, and min/max from whoever has them', () => {
    const { scopeMetrics } = mergeMetrics([
      source(10, true, histogram('delta', [[{}, h([0], [0, 0], undefined, undefined, undefined)]])),
      source(11, true, histogram('delta', [[{}, h([0], [1, 1], undefined, -2, 3)]])),
    ]);
    expect(pointsOf(scopeMetrics, 'delta')).toEqual([
      {
        attributes: {},
        value: { buckets: { boundaries: [0], counts: [1, 1] }, sum: undefined, count: 2, min: -2, max: 3 },
      },
    ]);
  });

  it('keeps the first boundaries seen and leaves out the points of a process whose boundaries differ, with one warning', () => {
    const { scopeMetrics, warnings } = mergeMetrics([
      source(10, true, histogram('duration', [[{ route: '/a' }, h([1, 2], [1, 0, 0], 0.5, 0.5, 0.5)]])),
      source(
        11,
        true,
        histogram('duration', [
          [{ route: '/a' }, h([1, 5], [0, 1, 0], 3, 3, 3)],
          [{ route: '/b' }, h([1, 5], [1, 0, 0], 0.5, 0.5, 0.5)],
        ]),
      ),
      source(12, true, histogram('duration', [[{ route: '/a' }, h([1, 2], [0, 1, 0], 1.5, 1.5, 1.5)]])),
    ]);
    expect(pointsOf(scopeMetrics, 'duration')).toEqual([
      {
        attributes: { route: '/a' },
        value: { buckets: { boundaries: [1, 2], counts: [1, 1, 0] }, sum: 2, count: 2, min: 0.5, max: 1.5 },
      },
    ]);
    expect(warnings).toEqual([
      {
        key: 'boundaries:@va/otel-register:duration:11',
        message:
          'histogram "duration" of process 11 has bucket boundaries [1, 5], the merged one [1, 2]: its points are left out. Give every process the same view.',
      },
    ]);
  });

  it('leaves out a metric whose kind differs from the first one seen, with a warning', () => {
    const { scopeMetrics, warnings } = mergeMetrics([
      source(10, true, sum('jobs', true, [[{}, 1]])),
      source(11, true, sum('jobs', false, [[{}, 5]])),
    ]);
    expect(pointsOf(scopeMetrics, 'jobs')).toEqual([{ attributes: {}, value: 1 }]);
    expect(warnings.map((warning) => warning.key)).toEqual(['kind:@va/otel-register:jobs:11']);
  });

  it('keeps scopes apart, in the order first seen', () => {
    const other = { name: 'my-app' };
    const { scopeMetrics } = mergeMetrics([
      { pid: 10, live: true, scopeMetrics: [{ scope: SCOPE, metrics: [sum('requests', true, [[{}, 1]])] }] },
      {
        pid: 11,
        live: true,
        scopeMetrics: [
          { scope: other, metrics: [sum('requests', true, [[{}, 10]])] },
          { scope: SCOPE, metrics: [sum('requests', true, [[{}, 2]])] },
        ],
      },
    ]);
    expect(scopeMetrics.map(({ scope, metrics }) => [scope.name, metrics[0]!.dataPoints[0]!.value])).toEqual([
      ['@va/otel-register', 3],
      ['my-app', 10],
    ]);
  });

  it('does not modify its inputs', () => {
    const first = source(10, true, histogram('duration', [[{}, h([1], [1, 0], 0.5, 0.5, 0.5)]]));
    const second = source(11, true, histogram('duration', [[{}, h([1], [0, 1], 2, 2, 2)]]));
    const before = structuredClone([first, second]);
    mergeMetrics([first, second]);
    mergeMetrics([first, second]);
    expect([first, second]).toEqual(before);
  });

  it('renders a merged collection with each family and each series once', () => {
    const merged = mergeMetrics([
      source(
        10,
        true,
        sum('requests', true, [[{ method: 'GET' }, 1]]),
        gauge('utilization', [[{}, 0.5]]),
        histogram('duration', [[{ method: 'GET' }, h([0.5], [1, 0], 0.25, 0.25, 0.25)]]),
      ),
      source(
        11,
        true,
        sum('requests', true, [[{ method: 'GET' }, 2]]),
        gauge('utilization', [[{}, 0.25]]),
        sum('active', false, [[{}, 3]]),
        histogram('duration', [[{ method: 'GET' }, h([0.5], [0, 2], 2, 0.75, 1.25)]]),
      ),
      source(0, false, sum('requests', true, [[{ method: 'GET' }, 40]]), sum('active', false, [[{}, 7]])),
    ]);
    const text = serialize(
      { resource: resourceFromAttributes({}), scopeMetrics: merged.scopeMetrics },
      { prefix: 'voice_agent', withScopeLabels: false },
    );
    expect(text).toBe(
      [
        '# HELP voice_agent_requests_total requests description',
        '# TYPE voice_agent_requests_total counter',
        'voice_agent_requests_total{method="GET"} 43',
        '# HELP voice_agent_utilization_ratio utilization description',
        '# TYPE voice_agent_utilization_ratio gauge',
        'voice_agent_utilization_ratio{process_pid="10"} 0.5',
        'voice_agent_utilization_ratio{process_pid="11"} 0.25',
        '# HELP voice_agent_duration_seconds duration description',
        '# TYPE voice_agent_duration_seconds histogram',
        'voice_agent_duration_seconds_bucket{method="GET",le="0.5"} 1',
        'voice_agent_duration_seconds_bucket{method="GET",le="+Inf"} 3',
        'voice_agent_duration_seconds_sum{method="GET"} 2.25',
        'voice_agent_duration_seconds_count{method="GET"} 3',
        '# HELP voice_agent_active active description',
        '# TYPE voice_agent_active gauge',
        'voice_agent_active 3',
        '',
      ].join('\n'),
    );
  });
});
