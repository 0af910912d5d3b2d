import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  type DataPoint,
  DataPointType,
  type Histogram,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { BUFFER_SIZE } from '../src/exposition-writer.js';
import { type SerializeOptions, serialize } from '../src/index.js';
import { type CapturedLog, captureDiag, type Setup, setup } from './helpers.js';

const BARE: SerializeOptions = { prefix: 'voice_agent', withTargetInfo: false, withScopeLabels: false };

/** A collection of one histogram metric, as a producer other than the SDK could hand it over. */
function oneHistogram(name: string, unit: string, dataPoints: DataPoint<Histogram>[]): ResourceMetrics {
  return {
    resource: resourceFromAttributes({}),
    scopeMetrics: [
      {
        scope: { name: 'test' },
        metrics: [
          {
            descriptor: { name, description: '', unit, valueType: 1 },
            aggregationTemporality: 1,
            dataPointType: DataPointType.HISTOGRAM,
            dataPoints,
          },
        ],
      },
    ],
  };
}

async function collect({ bridge }: Setup): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await bridge.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;
afterEach(() => {
  diagCapture?.restore();
  diagCapture = undefined;
});

describe('serialize', () => {
  it('renders a monotonic counter with _total, HELP and TYPE', async () => {
    const s = setup();
    const counter = s.provider.getMeter('test').createCounter('voice.turn.interruptions', {
      description: 'Times the user interrupted the agent.',
    });
    counter.add(2, { 'gen_ai.agent.name': 'support' });
    counter.add(3, { 'gen_ai.agent.name': 'support' });
    counter.add(1, { 'gen_ai.agent.name': 'sales' });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# HELP voice_agent_voice_turn_interruptions_total Times the user interrupted the agent.',
        '# TYPE voice_agent_voice_turn_interruptions_total counter',
        'voice_agent_voice_turn_interruptions_total{gen_ai_agent_name="support"} 5',
        'voice_agent_voice_turn_interruptions_total{gen_ai_agent_name="sales"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders an up-down counter and an observable gauge as gauges', async () => {
    const s = setup();
    const meter = s.provider.getMeter('test');
    const sessions = meter.createUpDownCounter('voice.session.active', { description: 'Open sessions.' });
    sessions.add(3);
    sessions.add(-5);
    meter
      .createObservableGauge('process.cpu.utilization', { unit: '1', description: 'CPU share.' })
      .addCallback((result) => {
        result.observe(0.25, { 'cpu.mode': 'user' });
        result.observe(0.125, { 'cpu.mode': 'system' });
      });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# HELP voice_agent_voice_session_active Open sessions.',
        '# TYPE voice_agent_voice_session_active gauge',
        'voice_agent_voice_session_active -2',
        '# HELP voice_agent_process_cpu_utilization_ratio CPU share.',
        '# TYPE voice_agent_process_cpu_utilization_ratio gauge',
        'voice_agent_process_cpu_utilization_ratio{cpu_mode="user"} 0.25',
        'voice_agent_process_cpu_utilization_ratio{cpu_mode="system"} 0.125',
        '',
      ].join('\n'),
    );
  });

  it('renders a histogram with cumulative buckets, +Inf, _sum and _count', async () => {
    const s = setup();
    const histogram = s.provider.getMeter('test').createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP server requests.',
      advice: { explicitBucketBoundaries: [0.005, 0.1, 1, 10] },
    });
    for (const value of [0.001, 0.05, 0.07, 0.5, 2, 30])
      histogram.record(value, { 'http.request.method': 'GET' });
    histogram.record(0.1, { 'http.request.method': 'POST' });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# HELP voice_agent_http_server_request_duration_seconds Duration of HTTP server requests.',
        '# TYPE voice_agent_http_server_request_duration_seconds histogram',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="GET",le="0.005"} 1',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="GET",le="0.1"} 3',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="GET",le="1"} 4',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="GET",le="10"} 5',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="GET",le="+Inf"} 6',
        'voice_agent_http_server_request_duration_seconds_sum{http_request_method="GET"} 32.621',
        'voice_agent_http_server_request_duration_seconds_count{http_request_method="GET"} 6',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="POST",le="0.005"} 0',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="POST",le="0.1"} 1',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="POST",le="1"} 1',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="POST",le="10"} 1',
        'voice_agent_http_server_request_duration_seconds_bucket{http_request_method="POST",le="+Inf"} 1',
        'voice_agent_http_server_request_duration_seconds_sum{http_request_method="POST"} 0.1',
        'voice_agent_http_server_request_duration_seconds_count{http_request_method="POST"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders a histogram series without labels', async () => {
    const s = setup();
    const histogram = s.provider
      .getMeter('test')
      .createHistogram('queue.wait', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
    histogram.record(5);
    histogram.record(500);
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_queue_wait_milliseconds histogram',
        'voice_agent_queue_wait_milliseconds_bucket{le="10"} 1',
        'voice_agent_queue_wait_milliseconds_bucket{le="100"} 1',
        'voice_agent_queue_wait_milliseconds_bucket{le="+Inf"} 2',
        'voice_agent_queue_wait_milliseconds_sum 505',
        'voice_agent_queue_wait_milliseconds_count 2',
        '',
      ].join('\n'),
    );
  });

  it('leaves out _sum when the SDK leaves the sum unset (instruments that may record negatives)', () => {
    const resourceMetrics = oneHistogram('temperature.spread', 'Cel', [
      {
        startTime: [0, 0],
        endTime: [1, 0],
        attributes: {},
        value: { buckets: { boundaries: [0], counts: [2, 1] }, count: 3, sum: undefined },
      },
    ]);
    expect(serialize(resourceMetrics, BARE)).toBe(
      [
        '# TYPE voice_agent_temperature_spread_celsius histogram',
        'voice_agent_temperature_spread_celsius_bucket{le="0"} 2',
        'voice_agent_temperature_spread_celsius_bucket{le="+Inf"} 3',
        'voice_agent_temperature_spread_celsius_count 3',
        '',
      ].join('\n'),
    );
  });

  it('skips an exponential histogram and warns once per name', async () => {
    diagCapture = captureDiag();
    const s = setup(
      {},
      {
        views: [
          { instrumentName: 'stt.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
        ],
      },
    );
    const meter = s.provider.getMeter('test');
    meter.createHistogram('stt.latency', { unit: 's' }).record(0.3);
    meter.createCounter('turns').add(1);
    expect(serialize(await collect(s), BARE)).toBe(
      ['# TYPE voice_agent_turns_total counter', 'voice_agent_turns_total 1', ''].join('\n'),
    );
    serialize(await collect(s), BARE);
    const warnings = diagCapture.logs.filter((log) => log.message.includes('stt.latency'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe('warn');
    expect(warnings[0]?.message).toContain('exponential histogram');
  });

  it('renders target_info first, with the resource attributes, and scope labels on every series', async () => {
    const s = setup(
      {},
      {
        resource: resourceFromAttributes({
          'service.name': 'voice-agent',
          'service.instance.id': 'pod-1',
          'deployment.environment.name': 'prod',
          'process.pid': 4242,
          'host.arch': ['amd64', 'x86'],
        }),
      },
    );
    s.provider.getMeter('@va/instrumentation-voice', '0.1.0').createCounter('voice.turns').add(7);
    s.provider.getMeter('no-version').createCounter('voice.turns.other').add(1);
    expect(serialize(await collect(s), { prefix: 'voice_agent' })).toBe(
      [
        '# HELP target_info Target metadata',
        '# TYPE target_info gauge',
        'target_info{service_name="voice-agent",service_instance_id="pod-1",deployment_environment_name="prod",process_pid="4242",host_arch="[\\"amd64\\",\\"x86\\"]"} 1',
        '# TYPE voice_agent_voice_turns_total counter',
        'voice_agent_voice_turns_total{otel_scope_name="@va/instrumentation-voice",otel_scope_version="0.1.0"} 7',
        '# TYPE voice_agent_voice_turns_other_total counter',
        'voice_agent_voice_turns_other_total{otel_scope_name="no-version"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders a frozen attribute set shared by two scopes with each scope, scrape after scrape', async () => {
    // The label text of a frozen set is kept between scrapes; it must follow the scope it is rendered in.
    const s = setup();
    const shared = Object.freeze({ 'http.route': '/a "b"', 'http.response.status_code': 200 });
    const first = s.provider.getMeter('first', '1.0.0').createCounter('calls');
    const second = s.provider.getMeter('second').createCounter('calls.other');
    const expected = (n: number) =>
      [
        '# TYPE voice_agent_calls_total counter',
        `voice_agent_calls_total{http_route="/a \\"b\\"",http_response_status_code="200",otel_scope_name="first",otel_scope_version="1.0.0"} ${n}`,
        '# TYPE voice_agent_calls_other_total counter',
        `voice_agent_calls_other_total{http_route="/a \\"b\\"",http_response_status_code="200",otel_scope_name="second"} ${2 * n}`,
        '',
      ].join('\n');
    for (const n of [1, 2, 3]) {
      first.add(1, shared);
      second.add(2, shared);
      expect(serialize(await collect(s), { prefix: 'voice_agent', withTargetInfo: false })).toBe(expected(n));
    }
    expect(serialize(await collect(s), { ...BARE, withScopeLabels: false })).toBe(
      [
        '# TYPE voice_agent_calls_total counter',
        'voice_agent_calls_total{http_route="/a \\"b\\"",http_response_status_code="200"} 3',
        '# TYPE voice_agent_calls_other_total counter',
        'voice_agent_calls_other_total{http_route="/a \\"b\\"",http_response_status_code="200"} 6',
        '',
      ].join('\n'),
    );
  });

  it('renders the same labels scrape after scrape for mutable attribute objects, and leaves points it was given as they were', async () => {
    // The bridge keeps what it rendered about its own series in its render cache (render-cache.ts), never in
    // the points; serialize() only reads the points it is given (here: the same data copied into plain objects).
    const s = setup();
    const counter = s.provider.getMeter('m').createCounter('calls');
    const attributes = { 'http.route': '/a', 'http.request.method': 'GET' };
    const line = (n: number) => `voice_agent_calls_total{http_route="/a",http_request_method="GET"} ${n}`;
    for (const n of [1, 2, 3]) {
      counter.add(1, attributes);
      const collected = await collect(s);
      const own = collected.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((metric): DataPoint<unknown>[] => metric.dataPoints),
      );
      expect(serialize(collected, { ...BARE, withScopeLabels: false }).split('\n')[1]).toBe(line(n));
      await s.bridge.render(); // the same points, rendered by the bridge
      for (const point of own)
        expect(Reflect.ownKeys(point)).toEqual(['attributes', 'startTime', 'endTime', 'value']);
      const copied: ResourceMetrics = JSON.parse(JSON.stringify(collected));
      const points = copied.scopeMetrics.flatMap((scope) =>
        scope.metrics.flatMap((metric): DataPoint<unknown>[] => metric.dataPoints),
      );
      const before = points.map((point) => Reflect.ownKeys(point));
      expect(serialize(copied, { ...BARE, withScopeLabels: false }).split('\n')[1]).toBe(line(n));
      expect(points.map((point) => Reflect.ownKeys(point))).toEqual(before);
    }
  });

  it('omits target_info for an empty resource', async () => {
    const s = setup();
    s.provider.getMeter('m').createCounter('c').add(1);
    expect(serialize(await collect(s), { prefix: '' })).toBe(
      ['# TYPE c_total counter', 'c_total{otel_scope_name="m"} 1', ''].join('\n'),
    );
  });

  it('appends unit suffixes from the OTel unit', async () => {
    const s = setup();
    const meter = s.provider.getMeter('test');
    meter.createCounter('work.time', { unit: 's' }).add(1.5);
    meter.createCounter('payload.size', { unit: 'By' }).add(1024);
    meter.createCounter('retries', { unit: '1' }).add(2);
    meter.createCounter('http.requests', { unit: '{request}' }).add(3);
    meter.createObservableGauge('network.throughput', { unit: 'By/s' }).addCallback((r) => r.observe(2048));
    meter.createObservableGauge('pool.usage', { unit: '1' }).addCallback((r) => r.observe(0.5));
    meter.createObservableGauge('tts.first_byte', { unit: 'ms' }).addCallback((r) => r.observe(120));
    meter.createObservableGauge('llm.latency_seconds', { unit: 's' }).addCallback((r) => r.observe(1.25));
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_work_time_seconds_total counter',
        'voice_agent_work_time_seconds_total 1.5',
        '# TYPE voice_agent_payload_size_bytes_total counter',
        'voice_agent_payload_size_bytes_total 1024',
        '# TYPE voice_agent_retries_total counter',
        'voice_agent_retries_total 2',
        '# TYPE voice_agent_http_requests_total counter',
        'voice_agent_http_requests_total 3',
        '# TYPE voice_agent_network_throughput_bytes_per_second gauge',
        'voice_agent_network_throughput_bytes_per_second 2048',
        '# TYPE voice_agent_pool_usage_ratio gauge',
        'voice_agent_pool_usage_ratio 0.5',
        '# TYPE voice_agent_tts_first_byte_milliseconds gauge',
        'voice_agent_tts_first_byte_milliseconds 120',
        '# TYPE voice_agent_llm_latency_seconds gauge',
        'voice_agent_llm_latency_seconds 1.25',
        '',
      ].join('\n'),
    );
  });

  it('sanitizes metric names: dots, dashes, leading digits', async () => {
    diagCapture = captureDiag(); // the SDK warns about the invalid instrument names
    const s = setup();
    const meter = s.provider.getMeter('test');
    meter.createCounter('my-app.db..queries').add(1);
    meter.createCounter('5xx.errors').add(2);
    const noPrefix = { ...BARE, prefix: '' };
    expect(serialize(await collect(s), noPrefix)).toBe(
      [
        '# TYPE my_app_db_queries_total counter',
        'my_app_db_queries_total 1',
        '# TYPE _5xx_errors_total counter',
        '_5xx_errors_total 2',
        '',
      ].join('\n'),
    );
  });

  it('sanitizes label names and joins colliding keys with ; in key order', async () => {
    const s = setup();
    s.provider.getMeter('test').createCounter('events').add(1, {
      'a.b': 'dot',
      a_b: 'underscore',
      'a-b': 'dash',
      '2fa': true,
      _hidden: 3,
      'http.route': '/x',
    });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_events_total counter',
        // Keys in lexicographic order: "a-b" < "a.b" < "a_b".
        'voice_agent_events_total{a_b="dash;dot;underscore",key_2fa="true",key_hidden="3",http_route="/x"} 1',
        '',
      ].join('\n'),
    );
  });

  it('escapes ", \\ and newline in label values, keeps non-ASCII as UTF-8, escapes HELP', async () => {
    const s = setup();
    s.provider
      .getMeter('test')
      .createCounter('quotes', { description: 'Line one\nline "two" with a \\ backslash' })
      .add(1, { text: 'say "hi"\\\nbye', name: 'Zoë 语音 🎙' });
    const text = serialize(await collect(s), BARE);
    expect(text).toBe(
      [
        '# HELP voice_agent_quotes_total Line one\\nline "two" with a \\\\ backslash',
        '# TYPE voice_agent_quotes_total counter',
        'voice_agent_quotes_total{text="say \\"hi\\"\\\\\\nbye",name="Zoë 语音 🎙"} 1',
        '',
      ].join('\n'),
    );
    expect(Buffer.from(text, 'utf8').includes(Buffer.from('Zoë 语音 🎙', 'utf8'))).toBe(true);
  });

  it('renders non-ASCII label values in histograms too (bytes copied per bucket line)', async () => {
    const s = setup();
    const histogram = s.provider
      .getMeter('test')
      .createHistogram('h', { advice: { explicitBucketBoundaries: [1] } });
    histogram.record(0.5, { who: 'Zoë "语"' });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_h histogram',
        'voice_agent_h_bucket{who="Zoë \\"语\\"",le="1"} 1',
        'voice_agent_h_bucket{who="Zoë \\"语\\"",le="+Inf"} 1',
        'voice_agent_h_sum{who="Zoë \\"语\\""} 0.5',
        'voice_agent_h_count{who="Zoë \\"语\\""} 1',
        '',
      ].join('\n'),
    );
  });

  it('writes one HELP and one TYPE when two scopes emit the same metric', async () => {
    const s = setup();
    s.provider.getMeter('scope-a', '1.0.0').createCounter('shared.calls', { description: 'From A.' }).add(1);
    s.provider.getMeter('scope-b', '2.0.0').createCounter('shared.calls', { description: 'From B.' }).add(2);
    expect(serialize(await collect(s), { prefix: 'voice_agent' })).toBe(
      [
        '# HELP voice_agent_shared_calls_total From A.',
        '# TYPE voice_agent_shared_calls_total counter',
        'voice_agent_shared_calls_total{otel_scope_name="scope-a",otel_scope_version="1.0.0"} 1',
        'voice_agent_shared_calls_total{otel_scope_name="scope-b",otel_scope_version="2.0.0"} 2',
        '',
      ].join('\n'),
    );
  });

  it('keeps the first of two metrics that map to one name with different types, and warns once', async () => {
    diagCapture = captureDiag();
    const s = setup();
    s.provider
      .getMeter('scope-a')
      .createObservableGauge('clash')
      .addCallback((r) => r.observe(1));
    s.provider.getMeter('scope-b').createUpDownCounter('clash').add(5);
    // A histogram named `clash` has the same Prometheus name and another type.
    s.provider.getMeter('scope-c').createHistogram('clash').record(1);
    const text = serialize(await collect(s), BARE);
    // The SDK lists the up-down counter's scope first; both are gauges and share the family. Without scope
    // labels their series are one Prometheus series, which Prometheus would keep one sample of: only the
    // first is written.
    expect(text).toBe(['# TYPE voice_agent_clash gauge', 'voice_agent_clash 5', ''].join('\n'));
    serialize(await collect(s), BARE);
    const warnings = diagCapture.logs.filter((log) => log.message.includes('"voice_agent_clash"'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.message).toContain('already used by a gauge');
    expect(warnings[1]?.message).toContain('one Prometheus series of "voice_agent_clash"');
  });

  it('finds series that become one Prometheus series when the second arrives scrapes later', async () => {
    // A metric of the bridge's store whose series did not change since a check found no duplicate is not
    // checked again (the bridge's render cache remembers the check); a new series must be checked against
    // the old ones.
    diagCapture = captureDiag();
    const s = setup(BARE);
    const counter = s.provider.getMeter('m').createCounter('calls');
    counter.add(1, { 'http.route': '/a' });
    const first = [
      '# TYPE voice_agent_calls_total counter',
      'voice_agent_calls_total{http_route="/a"} 1',
      '',
    ];
    expect(await s.bridge.render()).toBe(first.join('\n'));
    expect(await s.bridge.render()).toBe(first.join('\n'));
    counter.add(5, { http_route: '/a' }); // `http.route` and `http_route`: one label name
    counter.add(2, { 'http.route': '/b' });
    const second = [
      '# TYPE voice_agent_calls_total counter',
      'voice_agent_calls_total{http_route="/a"} 1',
      'voice_agent_calls_total{http_route="/b"} 2',
      '',
    ];
    for (let scrape = 0; scrape < 3; scrape++) expect(await s.bridge.render()).toBe(second.join('\n'));
    expect(serialize(await collect(s), BARE)).toBe(second.join('\n'));
    expect(diagCapture.logs.filter((log) => log.message.includes('one Prometheus series'))).toHaveLength(1);
  });

  it('renders nothing for a collection without data', async () => {
    const s = setup();
    s.provider.getMeter('test').createCounter('never.used');
    expect(serialize(await collect(s), BARE)).toBe('');
  });

  it('renders +Inf, -Inf and NaN values', async () => {
    const s = setup();
    s.provider
      .getMeter('test')
      .createObservableGauge('odd')
      .addCallback((r) => {
        r.observe(Number.POSITIVE_INFINITY, { v: 'pos' });
        r.observe(Number.NEGATIVE_INFINITY, { v: 'neg' });
        r.observe(Number.NaN, { v: 'nan' });
      });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_odd gauge',
        'voice_agent_odd{v="pos"} +Inf',
        'voice_agent_odd{v="neg"} -Inf',
        'voice_agent_odd{v="nan"} NaN',
        '',
      ].join('\n'),
    );
  });

  it('is the same text on a second call (reused buffer)', async () => {
    const s = setup();
    const histogram = s.provider.getMeter('test').createHistogram('repeat', { unit: 's' });
    for (let i = 0; i < 500; i++) histogram.record(i / 100, { 'series.id': `series-${i}` });
    const resourceMetrics = await collect(s);
    const first = serialize(resourceMetrics, BARE);
    expect(first.length).toBeGreaterThan(300_000); // larger than serialize()'s first buffer (256 KiB at least)
    expect(serialize(resourceMetrics, BARE)).toBe(first);
    const small = setup();
    small.provider.getMeter('test').createCounter('small').add(1);
    expect(serialize(await collect(small), BARE)).toBe(
      '# TYPE voice_agent_small_total counter\nvoice_agent_small_total 1\n',
    );
    expect(serialize(resourceMetrics, BARE)).toBe(first);
  });
});

describe('serialize across buffer boundaries', () => {
  // Bucket lines are assembled by copying the first line's bytes, each series claimed whole in one buffer.
  // A naive renderer checks every series of an input spanning several buffers, odd on purpose: long
  // non-ASCII labels, fractional counts, sums of 300 digits.
  it('matches a naive renderer line for line', () => {
    const boundaries = [0.5, 1, 2.5];
    const dataPoints = Array.from({ length: Math.ceil((3.5 * BUFFER_SIZE) / 1000) }, (_, i) => ({
      startTime: [0, 0] as [number, number],
      endTime: [1, 0] as [number, number],
      attributes: { route: `/路由/${'x'.repeat(i % 200)}/${i}`, n: i },
      value: {
        buckets: { boundaries, counts: i % 7 === 0 ? [0.5, 1, 2, 1e21] : [1, 0, 2, i] },
        count: i % 7 === 0 ? 1e21 + 3.5 : 3 + i,
        sum: i % 5 === 0 ? 1e300 : i / 4,
        min: 0,
        max: 0,
        hasMinMax: false,
      },
    }));
    const resourceMetrics = oneHistogram('odd', '', dataPoints);
    const fmt = (value: number) =>
      Number.isInteger(value) && Math.abs(value) >= 1e21 ? BigInt(value).toString() : String(value);
    let expected = '# TYPE odd histogram\n';
    for (const point of dataPoints) {
      const labels = `route="${point.attributes.route}",n="${point.attributes.n}"`;
      let cumulative = 0;
      point.value.buckets.counts.forEach((count, i) => {
        cumulative += count;
        const le = i < boundaries.length ? String(boundaries[i]) : '+Inf';
        expected += `odd_bucket{${labels},le="${le}"} ${fmt(cumulative)}\n`;
      });
      expected += `odd_sum{${labels}} ${fmt(point.value.sum)}\n`;
      expected += `odd_count{${labels}} ${fmt(point.value.count)}\n`;
    }
    const actual = serialize(resourceMetrics, { withScopeLabels: false });
    expect(Buffer.byteLength(actual)).toBeGreaterThan(3 * BUFFER_SIZE);
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  });
});

describe('histograms from other producers', () => {
  it('counts a missing bucket count as 0', () => {
    const resourceMetrics = oneHistogram('short', '', [
      {
        startTime: [0, 0],
        endTime: [1, 0],
        attributes: { a: 'x' },
        value: { buckets: { boundaries: [1, 2], counts: [3] }, count: 3, sum: 1.5 },
      },
    ]);
    expect(serialize(resourceMetrics, { withScopeLabels: false })).toBe(
      [
        '# TYPE short histogram',
        'short_bucket{a="x",le="1"} 3',
        'short_bucket{a="x",le="2"} 3',
        'short_bucket{a="x",le="+Inf"} 3',
        'short_sum{a="x"} 1.5',
        'short_count{a="x"} 3',
        '',
      ].join('\n'),
    );
  });
});

describe('cardinality limit (sdk-metrics 2.12)', () => {
  it('keeps limit − 1 series and folds the rest into one otel_metric_overflow="true" series', async () => {
    const s = setup({ cardinalitySelector: () => 3 });
    const counter = s.provider.getMeter('test').createCounter('tool.calls');
    for (const [i, tool] of ['a', 'b', 'c', 'd', 'e'].entries())
      counter.add(i + 1, { 'gen_ai.tool.name': tool });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_tool_calls_total counter',
        'voice_agent_tool_calls_total{gen_ai_tool_name="a"} 1',
        'voice_agent_tool_calls_total{gen_ai_tool_name="b"} 2',
        'voice_agent_tool_calls_total{otel_metric_overflow="true"} 12',
        '',
      ].join('\n'),
    );
  });

  // Regression canary for upstream behaviour the lead must know: for synchronous instruments the SDK
  // counts the limit per collection interval, not over the cumulative stream. After a scrape, new
  // attribute sets get series again (the exposition grows past the limit), and while an interval is
  // full, even series that already exist have their increments moved to the overflow series.
  it('applies the limit per collection interval, not to the cumulative series (upstream behaviour)', async () => {
    const s = setup({ cardinalitySelector: () => 3 });
    const counter = s.provider.getMeter('test').createCounter('tool.calls');
    for (const [i, tool] of ['a', 'b', 'c'].entries()) counter.add(i + 1, { 'gen_ai.tool.name': tool });
    await collect(s);
    counter.add(10, { 'gen_ai.tool.name': 'f' });
    counter.add(20, { 'gen_ai.tool.name': 'g' });
    counter.add(100, { 'gen_ai.tool.name': 'a' });
    expect(serialize(await collect(s), BARE)).toBe(
      [
        '# TYPE voice_agent_tool_calls_total counter',
        'voice_agent_tool_calls_total{gen_ai_tool_name="a"} 1',
        'voice_agent_tool_calls_total{gen_ai_tool_name="b"} 2',
        'voice_agent_tool_calls_total{otel_metric_overflow="true"} 103',
        'voice_agent_tool_calls_total{gen_ai_tool_name="f"} 10',
        'voice_agent_tool_calls_total{gen_ai_tool_name="g"} 20',
        '',
      ].join('\n'),
    );
  });
});

function findOnPath(command: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, command);
    if (directory !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const promtool = findOnPath('promtool');
const mustRunPromtool = promtool !== undefined || process.env.CI !== undefined;
if (!mustRunPromtool) {
  console.warn(
    'SKIPPED: promtool is not on PATH (Debian package `prometheus`); the exposition is not linted.',
  );
}

describe('promtool check metrics', () => {
  it.runIf(mustRunPromtool)(
    'accepts the exposition of every instrument kind with escaped labels',
    async () => {
      if (promtool === undefined) {
        throw new Error(
          'promtool is not on PATH, and CI must not skip this test: apt-get install prometheus',
        );
      }
      const s = setup(
        { cardinalitySelector: () => 4 },
        { resource: resourceFromAttributes({ 'service.name': 'voice-agent', 'service.version': '1.0.0' }) },
      );
      const meter = s.provider.getMeter('@va/test', '0.1.0');
      const labels = {
        'http.route': '/say/"hi"\\now\nnext',
        'gen_ai.request.model': 'gpt-4o-mini',
        'user.locale': 'zh-语',
      };
      meter.createCounter('http.server.requests', { description: 'Requests served.' }).add(3, labels);
      meter
        .createCounter('gen_ai.client.cost.usd', { unit: '{USD}', description: 'Spend.' })
        .add(0.25, labels);
      meter.createUpDownCounter('voice.session.active', { description: 'Open sessions.' }).add(2, labels);
      meter
        .createObservableGauge('process.cpu.utilization', { unit: '1', description: 'CPU share.' })
        .addCallback((r) => r.observe(0.3, labels));
      meter.createGauge('pool.connections', { unit: '{connection}', description: 'Connections.' }).record(4);
      const histogram = meter.createHistogram('http.server.request.duration', {
        unit: 's',
        description: 'Duration of HTTP server requests.',
        advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
      });
      for (const value of [0.002, 0.2, 3, 20]) histogram.record(value, labels);
      const tokens = meter.createHistogram('gen_ai.client.token.usage', {
        unit: '{token}',
        description: 'Tokens per call.',
        advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024] },
      });
      for (const model of ['a', 'b', 'c', 'd', 'e']) tokens.record(100, { 'gen_ai.request.model': model });
      const text = serialize(await collect(s), { prefix: 'voice_agent' });
      expect(text).toContain('otel_metric_overflow="true"');
      const result = spawnSync(promtool, ['check', 'metrics'], {
        input: text,
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
        status: 0,
        stdout: '',
        stderr: '',
      });
    },
  );
});
