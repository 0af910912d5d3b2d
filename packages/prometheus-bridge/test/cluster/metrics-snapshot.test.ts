import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, AggregationType, DataPointType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  fromMetricsSnapshot,
  type MetricsSnapshot,
  toMetricsSnapshot,
} from '../../src/cluster/metrics-snapshot.js';
import { setup } from '../helpers.js';

/** What crossing Node's default (JSON) IPC serialization does to a message. */
const overIpc = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('metrics snapshots', () => {
  it('carry a collection through JSON unchanged, non-finite numbers included', async () => {
    const { bridge, provider } = setup();
    const meter = provider.getMeter('scope-a', '1.2.3');
    meter
      .createCounter('requests', { unit: '{request}', description: 'Requests.' })
      .add(3, { method: 'GET' });
    meter.createUpDownCounter('active', { valueType: ValueType.INT }).add(-2, { kind: 'x' });
    meter.createObservableGauge('ratio', { unit: '1' }).addCallback((result) => {
      result.observe(Number.NaN, { which: 'nan' });
      result.observe(Number.POSITIVE_INFINITY, { which: 'inf' });
      result.observe(0.5, { which: 'half', list: ['a', 'b'] });
    });
    const histogram = meter.createHistogram('duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 1] },
    });
    histogram.record(0.05, { route: '/a' });
    histogram.record(2, { route: '/a' });

    const { resourceMetrics } = await bridge.collect();
    const decoded = fromMetricsSnapshot(overIpc(toMetricsSnapshot(resourceMetrics.scopeMetrics)));
    // Everything but the instruments' advice, which only matters where the instruments are.
    const expected = resourceMetrics.scopeMetrics.map(({ scope, metrics }) => ({
      scope,
      metrics: metrics.map(({ descriptor: withAdvice, ...metric }) => {
        // The SDK's descriptors carry `advice`, which its MetricDescriptor type does not declare.
        const { advice: _advice, ...descriptor } = withAdvice as typeof withAdvice & { advice?: unknown };
        return { ...metric, descriptor };
      }),
    }));
    expect(expected[0]!.metrics.map((metric) => metric.descriptor)).toContainEqual({
      name: 'ratio',
      description: '',
      unit: '1',
      valueType: ValueType.DOUBLE,
      type: 'OBSERVABLE_GAUGE',
    });
    expect(decoded).toEqual(expected);
  });

  it('are plain JSON with the fields the primary needs', async () => {
    const { bridge, provider } = setup();
    const histogram = provider
      .getMeter('scope-a')
      .createHistogram('duration', { unit: 's', advice: { explicitBucketBoundaries: [1] } });
    histogram.record(0.5, { route: '/a' });
    const { resourceMetrics } = await bridge.collect();
    const snapshot = toMetricsSnapshot(resourceMetrics.scopeMetrics);
    const point = resourceMetrics.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(snapshot).toEqual({
      version: 1,
      scopeMetrics: [
        {
          scope: { name: 'scope-a', version: '' },
          metrics: [
            {
              descriptor: {
                name: 'duration',
                description: '',
                unit: 's',
                valueType: 'double',
                type: 'HISTOGRAM',
              },
              dataPointType: 'histogram',
              temporality: 'cumulative',
              dataPoints: [
                {
                  attributes: { route: '/a' },
                  startTime: [...point.startTime],
                  endTime: [...point.endTime],
                  histogram: {
                    buckets: { boundaries: [1], counts: [1, 0] },
                    sum: 0.5,
                    count: 1,
                    min: 0.5,
                    max: 0.5,
                  },
                },
              ],
            },
          ],
        },
      ],
    } satisfies MetricsSnapshot);
  });

  it('leave out exponential histograms, which the text format cannot carry', async () => {
    const { bridge, provider } = setup(
      {},
      {
        views: [
          {
            instrumentName: 'exponential',
            aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
          },
        ],
      },
    );
    const meter = provider.getMeter('scope-a');
    meter.createHistogram('exponential').record(1);
    meter.createCounter('requests').add(1);
    const { resourceMetrics } = await bridge.collect();
    const snapshot = toMetricsSnapshot(resourceMetrics.scopeMetrics);
    expect(snapshot.scopeMetrics[0]!.metrics.map((metric) => metric.descriptor.name)).toEqual(['requests']);
  });

  it('are read defensively: malformed metrics and points are left out, anything else is not a snapshot', () => {
    const good = {
      descriptor: { name: 'requests', description: '', unit: '', valueType: 'int' },
      dataPointType: 'sum',
      temporality: 'cumulative',
      isMonotonic: true,
      dataPoints: [
        { attributes: { a: 1, bad: { nested: true } }, startTime: [1, 0], endTime: [2, 0], value: 4 },
        { attributes: {}, startTime: [1], endTime: [2, 0], value: 4 },
        { attributes: {}, startTime: [1, 0], endTime: [2, 0], value: 'four' },
      ],
    };
    const badHistogram = {
      descriptor: { name: 'duration', description: '', unit: 's', valueType: 'double' },
      dataPointType: 'histogram',
      temporality: 'cumulative',
      dataPoints: [
        {
          attributes: {},
          startTime: [1, 0],
          endTime: [2, 0],
          histogram: { buckets: { boundaries: [1, 2], counts: [1, 0] }, count: 1 },
        },
      ],
    };
    expect(
      fromMetricsSnapshot({
        version: 1,
        scopeMetrics: [
          { scope: { name: 's' }, metrics: [good, badHistogram, { descriptor: {} }, null, 'x'] },
          { scope: {}, metrics: [good] },
        ],
      }),
    ).toEqual([
      {
        scope: { name: 's' },
        metrics: [
          {
            descriptor: { name: 'requests', description: '', unit: '', valueType: ValueType.INT },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.SUM,
            isMonotonic: true,
            dataPoints: [{ attributes: { a: 1 }, startTime: [1, 0], endTime: [2, 0], value: 4 }],
          },
        ],
      },
    ]);
    for (const notSnapshot of [
      undefined,
      null,
      'x',
      42,
      {},
      { version: 2, scopeMetrics: [] },
      { version: 1 },
    ]) {
      expect(fromMetricsSnapshot(notSnapshot)).toBeUndefined();
    }
  });
});
