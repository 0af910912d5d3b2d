import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsSdk, start } from '../src/start.js';

const NO_ENVIRONMENT = {};

/** Sample lines of one metric family, without HELP/TYPE lines and without scope labels. */
function linesOf(exposition: string, family: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `))
    .map((line) =>
      line
        .replace(/,?otel_scope_name="[^"]*"/, '')
        .replace(/,?otel_scope_version="[^"]*"/, '')
        .replace('{,', '{'),
    );
}

describe('start()', () => {
  let sdk: MetricsSdk | undefined;
  afterEach(async () => {
    await sdk?.shutdown();
    sdk = undefined;
  });

  function startQuietly(options: Parameters<typeof start>[0] = {}): MetricsSdk {
    sdk = start({
      environment: NO_ENVIRONMENT,
      logLevel: false,
      prometheus: { preventServerStart: true },
      ...options,
    });
    return sdk;
  }

  it("drops the metrics of LiveKit Agents' own meter, whose series carry room and job ids", async () => {
    const running = startQuietly();
    metrics
      .getMeter('livekit-agents')
      .createHistogram('lk.agents.event_loop.blocked_duration', { unit: 's' })
      .record(0.25, { room_id: 'RM_1', job_id: 'AJ_1' });
    metrics.getMeter('app').createCounter('app.calls').add(1, { route: '/a' });
    const text = await running.prometheus!.render();
    expect(text).not.toMatch(/lk_agents|room_id|job_id/);
    expect(linesOf(text, 'voice_agent_app_calls_total')).toEqual([
      'voice_agent_app_calls_total{route="/a"} 1',
    ]);
  });

  it('applies the semconv buckets and drops attributes the definition does not list', async () => {
    const running = startQuietly({ serviceName: 'sdk-test' });
    const histogram = metrics.getMeter('test').createHistogram('http.server.request.duration', { unit: 's' });
    histogram.record(0.003, {
      'http.request.method': 'GET',
      'user.id': 'u-42',
      'http.response.status_code': 200,
    });
    histogram.record(0.3, {
      'http.request.method': 'GET',
      'user.id': 'u-43',
      'http.response.status_code': 200,
    });
    const text = await running.prometheus!.render();
    expect(linesOf(text, 'voice_agent_http_server_request_duration_seconds_bucket')).toEqual(
      [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, '+Inf'].map(
        (le) =>
          `voice_agent_http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",le="${le}"} ${
            typeof le === 'number' && le < 0.3 ? 1 : 2
          }`,
      ),
    );
    expect(linesOf(text, 'voice_agent_http_server_request_duration_seconds_count')).toEqual([
      'voice_agent_http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="200"} 2',
    ]);
    expect(text).not.toContain('u-42');
    expect(text).toContain('target_info{service_name="sdk-test"');
  });

  it('exports db.client.connection.count under a name promtool accepts', async () => {
    const running = startQuietly();
    metrics
      .getMeter('test')
      .createUpDownCounter('db.client.connection.count', { unit: '{connection}' })
      .add(3, { 'db.client.connection.state': 'idle', 'db.client.connection.pool.name': 'db:5432/app' });
    const text = await running.prometheus!.render();
    expect(linesOf(text, 'voice_agent_db_client_connections_usage')).toEqual([
      'voice_agent_db_client_connections_usage{db_client_connection_state="idle",db_client_connection_pool_name="db:5432/app"} 3',
    ]);
    expect(text).not.toContain('voice_agent_db_client_connection_count');
  });

  it('caps every metric at the cardinality limit and adds up the rest in the overflow series', async () => {
    const running = startQuietly({ cardinalityLimit: 3 });
    const counter = metrics.getMeter('test').createCounter('demo.requests');
    for (const route of ['/a', '/b', '/c', '/d', '/e']) counter.add(1, { route });
    const lines = linesOf(await running.prometheus!.render(), 'voice_agent_demo_requests_total');
    expect(lines).toEqual([
      'voice_agent_demo_requests_total{route="/a"} 1',
      'voice_agent_demo_requests_total{route="/b"} 1',
      'voice_agent_demo_requests_total{otel_metric_overflow="true"} 3',
    ]);
  });

  it('caps the metrics our views describe too: VA_METRICS_CARDINALITY_LIMIT reaches every semconv metric', async () => {
    const running = startQuietly({ cardinalityLimit: 3 });
    const tools = metrics.getMeter('test').createHistogram('gen_ai.execute_tool.duration', { unit: 's' });
    for (const tool of ['a', 'b', 'c', 'd', 'e']) tools.record(0.1, { 'gen_ai.tool.name': tool });
    const counts = linesOf(
      await running.prometheus!.render(),
      'voice_agent_gen_ai_execute_tool_duration_seconds_count',
    );
    expect(counts).toEqual([
      'voice_agent_gen_ai_execute_tool_duration_seconds_count{gen_ai_tool_name="a"} 1',
      'voice_agent_gen_ai_execute_tool_duration_seconds_count{gen_ai_tool_name="b"} 1',
      'voice_agent_gen_ai_execute_tool_duration_seconds_count{otel_metric_overflow="true"} 3',
    ]);
  });

  it('returns the running SDK on a second call, and shuts down once', async () => {
    const first = startQuietly();
    expect(start({ environment: NO_ENVIRONMENT, logLevel: false })).toBe(first);
    await Promise.all([first.shutdown(), first.shutdown()]);
    sdk = startQuietly();
    expect(sdk).not.toBe(first);
  });

  it('exports nothing with exporters: []', () => {
    const running = startQuietly({ exporters: [] });
    expect(running.prometheus).toBeUndefined();
  });

  it('layers the resource: defaults, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, then options', async () => {
    const running = startQuietly({
      environment: {
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,service.version=1.2.3,team=voice',
        OTEL_SERVICE_NAME: 'from-service-name',
      },
      resourceAttributes: { team: 'agents' },
    });
    const target = (await running.prometheus!.render())
      .split('\n')
      .find((line) => line.startsWith('target_info{'))!;
    const labels = Object.fromEntries(
      [...target.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]),
    );
    expect(labels).toEqual({
      service_name: 'from-service-name',
      service_version: '1.2.3',
      team: 'agents',
      telemetry_sdk_language: 'nodejs',
      telemetry_sdk_name: 'opentelemetry',
      telemetry_sdk_version: expect.stringMatching(/^2\.\d+\.\d+$/),
    });
    expect(target.endsWith('} 1')).toBe(true);
  });
});

describe('start() and an app that already traces', () => {
  it('keeps the context manager the app registered, and logs no API error', async () => {
    const { context, DiagLogLevel, diag } = await import('@opentelemetry/api');
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    context.disable();
    const existing = new AsyncLocalStorageContextManager().enable();
    expect(context.setGlobalContextManager(existing)).toBe(true);
    const errors: string[] = [];
    const record = (...parts: unknown[]): void => void errors.push(parts.join(' '));
    diag.setLogger(
      { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    const running = start({ environment: {}, logLevel: false, exporters: [] });
    try {
      expect(errors).toEqual([]);
      const key = Symbol('still propagates');
      expect(context.with(context.active().setValue(key, 'yes'), () => context.active().getValue(key))).toBe(
        'yes',
      );
    } finally {
      await running.shutdown();
      diag.disable();
    }
  });
});
