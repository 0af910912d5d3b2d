// The bridge asks the SDK for deltas and keeps the totals itself (src/cumulative-store.ts). Whatever is
// recorded, a scrape must read exactly as it would from the SDK's own cumulative state: these tests record
// the same things through one MeterProvider with two readers, the bridge and a plain cumulative reader,
// and compare the bridge's exposition with the serialization of the plain reader's collection.

import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InstrumentType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { seededRandom } from '@va/test-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusBridge, serialize } from '../src/index.js';

class CumulativeReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let provider: MeterProvider | undefined;

afterEach(async () => {
  await provider?.shutdown().catch(() => {});
  provider = undefined;
});

function twoReaders(): { bridge: PrometheusBridge; reference: CumulativeReader } {
  const bridge = new PrometheusBridge({
    preventServerStart: true,
    prefix: 'voice_agent',
    renderSliceMillis: 0,
  });
  const reference = new CumulativeReader();
  provider = new MeterProvider({
    readers: [bridge, reference],
    resource: resourceFromAttributes({ 'service.name': 'store-test' }),
    views: [
      {
        instrumentName: 'custom.buckets',
        aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [1, 10] } },
      },
    ],
  });
  return { bridge, reference };
}

async function expected(reference: CumulativeReader): Promise<string> {
  const { resourceMetrics } = await reference.collect();
  return serialize(resourceMetrics, { prefix: 'voice_agent' });
}

describe('the cumulative store behind the bridge', () => {
  it('asks the SDK for deltas only for synchronous sums and histograms', () => {
    const { bridge } = twoReaders();
    const temporality = Object.fromEntries(
      Object.values(InstrumentType).map((type) => [type, bridge.selectAggregationTemporality(type)]),
    );
    const { DELTA, CUMULATIVE } = AggregationTemporality;
    expect(temporality).toEqual({
      [InstrumentType.COUNTER]: DELTA,
      [InstrumentType.UP_DOWN_COUNTER]: DELTA,
      [InstrumentType.HISTOGRAM]: DELTA,
      [InstrumentType.GAUGE]: CUMULATIVE,
      [InstrumentType.OBSERVABLE_COUNTER]: CUMULATIVE,
      [InstrumentType.OBSERVABLE_UP_DOWN_COUNTER]: CUMULATIVE,
      [InstrumentType.OBSERVABLE_GAUGE]: CUMULATIVE,
    });
  });

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`scrapes exactly what the SDK's cumulative state holds, over random recordings (seed ${seed})`, async () => {
      const { bridge, reference } = twoReaders();
      const next = seededRandom(seed);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
      const routes = ['/a', '/b/{id}', '/c', '/d "quoted"'];
      // Fresh objects, names in either order, sometimes one attribute more: the store finds each series
      // by contents (attribute-set-index.ts), as the SDK does.
      const attributes = () => {
        const route = pick(routes);
        const status = pick([200, 404, 500]);
        const set: Record<string, string | number> =
          next() < 0.5
            ? { 'http.route': route, 'http.response.status_code': status }
            : { 'http.response.status_code': status, 'http.route': route };
        if (next() < 0.2) set['error.type'] = String(status);
        return set;
      };
      const observed = { total: 0, gauge: 0 };

      // Meters and instruments are created as the recording goes on, some only after a few scrapes: the
      // order of families must still be the SDK's.
      const make = [
        () => provider!.getMeter('first', '1.0.0').createCounter('requests'),
        () => provider!.getMeter('first', '1.0.0').createHistogram('latency', { unit: 's' }),
        () => provider!.getMeter('second').createUpDownCounter('in.flight'),
        () => provider!.getMeter('second').createHistogram('custom.buckets'),
        () => provider!.getMeter('second').createGauge('temperature'),
        () => provider!.getMeter('third').createCounter('bytes', { unit: 'By' }),
      ] as const;
      const instruments: ReturnType<(typeof make)[number]>[] = [];
      const observables = provider!.getMeter('observed');
      observables
        .createObservableCounter('observed.total')
        .addCallback((result) => result.observe(observed.total));
      observables
        .createObservableGauge('observed.gauge')
        .addCallback((result) => result.observe(observed.gauge));

      for (let step = 0; step < 60; step++) {
        if (instruments.length < make.length && next() < 0.25) instruments.push(make[instruments.length]!());
        const operations = Math.floor(next() * 40);
        for (let index = 0; index < operations && instruments.length > 0; index++) {
          const instrument = pick(instruments);
          const value = Math.round(next() * 2000) / 100;
          if ('add' in instrument) {
            const sign = instrument === instruments[2] && next() < 0.5 ? -1 : 1;
            instrument.add(sign * value, attributes());
          } else {
            instrument.record(value, attributes());
          }
        }
        observed.total += Math.floor(next() * 5);
        observed.gauge = Math.floor(next() * 100);
        if (next() < 0.4) {
          // Both readers collect at this point in the recording.
          const [text, reference_] = await Promise.all([bridge.render(), expected(reference)]);
          expect(text).toBe(reference_);
        }
      }
      expect(await bridge.render()).toBe(await expected(reference));
    });
  }

  it('follows the SDK when an observable stops observing, alone in its scope', async () => {
    const { bridge, reference } = twoReaders();
    const gauge = provider!.getMeter('only-observed').createObservableGauge('queue.depth');
    const callback = (result: { observe(value: number): void }) => result.observe(4);
    gauge.addCallback(callback);
    provider!.getMeter('recorded').createCounter('calls').add(1);
    expect(await bridge.render()).toBe(await expected(reference));
    gauge.removeCallback(callback);
    // The SDK keeps the gauge's last value. It lists scopes in the order their collection finished, which
    // changes once the callback is gone; with nothing new to report, the counter's scope is missing from the
    // bridge's delta collection, so the two orders of families may differ. The lines may not.
    const lines = (text: string) => text.split('\n').sort();
    for (let round = 0; round < 2; round++) {
      expect(lines(await bridge.render())).toEqual(lines(await expected(reference)));
    }
  });

  it('keeps series that were not recorded since the last scrape, and adds to them later', async () => {
    const { bridge } = twoReaders();
    const counter = provider!.getMeter('m').createCounter('calls');
    counter.add(2, { route: '/a' });
    counter.add(3, { route: '/b' });
    await bridge.render();
    counter.add(5, { route: '/a' });
    const text = await bridge.render();
    expect(text).toContain('voice_agent_calls_total{route="/a",otel_scope_name="m"} 7\n');
    expect(text).toContain('voice_agent_calls_total{route="/b",otel_scope_name="m"} 3\n');
    expect(await bridge.render()).toBe(text);
  });

  it('keeps apart the attribute sets the SDK keeps apart, and only those', async () => {
    // The store tells sets apart by the SDK's rule (attribute-set-index.ts). The SDK keeps `{ error:
    // undefined }` apart from `{}` (both render the same labels: the serializer writes the first and
    // warns), an array apart from the string of its JSON text, `1` apart from `'1'`; NaN and null are one.
    const { bridge, reference } = twoReaders();
    const counter = provider!.getMeter('m').createCounter('calls');
    const sets = [
      { route: '/a' },
      { route: '/a', error: undefined },
      { error: null, route: '/a' },
      { route: '/a', tags: ['x', 'y'] },
      { route: '/a', tags: '["x","y"]' },
      { route: '/a', status: 1 },
      { route: '/a', status: '1' },
      { route: '/a', status: Number.NaN },
      { route: '/a', status: null },
      {},
    ];
    for (let round = 0; round < 3; round++) {
      sets.forEach((attributes, at) => {
        counter.add(at + 1, { ...attributes } as never);
      });
      expect(await bridge.render()).toBe(await expected(reference));
    }
  });

  it('returns cumulative data from collect() itself, for every caller (cluster workers use it)', async () => {
    const { bridge } = twoReaders();
    const histogram = provider!.getMeter('m').createHistogram('latency');
    histogram.record(1, { route: '/a' });
    await bridge.collect();
    histogram.record(3, { route: '/a' });
    const { resourceMetrics } = await bridge.collect();
    const metric = resourceMetrics.scopeMetrics[0]!.metrics[0]!;
    expect(metric.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = metric.dataPoints[0]!;
    expect(point.value).toMatchObject({ count: 2, sum: 4, min: 1, max: 3 });
  });

  it('adds every collection once when collections overlap', async () => {
    const { bridge, reference } = twoReaders();
    const counter = provider!.getMeter('m').createCounter('calls');
    const collections: Promise<unknown>[] = [];
    for (let round = 0; round < 20; round++) {
      counter.add(1, { round: round % 3 });
      collections.push(bridge.collect());
    }
    await Promise.all(collections);
    expect(await bridge.render()).toBe(await expected(reference));
    expect(await bridge.render()).toContain('voice_agent_calls_total{round="0",otel_scope_name="m"} 7\n');
  });
});
