// A Datadog tracer's requests to its agent are left out of http.client.request.duration, the
// application's are all counted (src/http-client/datadog-tracer-traffic.ts). The requests below
// carry the headers dd-trace sends, endpoint by endpoint, as test/host-sdk/dd-trace.test.ts sees
// them on the wire, through a keep-alive Agent of one socket as dd-trace's own.
import * as http from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { TestMetrics } from '@va/test-metrics';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpClientMetrics, recordHttpClientMetrics } from '../../src/http-client/index.js';
import { clientCounts } from './support/client-points.js';
import { type LocalServer, startServer } from './support/local-server.js';
import { send } from './support/node-request.js';

const HOST = '127.0.0.1';

const TRACE_INTAKE_HEADERS = {
  'Content-Type': 'application/msgpack',
  'Datadog-Meta-Tracer-Version': '6.21.0',
  'X-Datadog-Trace-Count': '1',
  'Datadog-Meta-Lang': 'nodejs',
  'Datadog-Meta-Lang-Version': 'v24.21.0',
  'Datadog-Meta-Lang-Interpreter': 'v8',
};
const TELEMETRY_HEADERS = {
  'DD-Client-Library-Language': 'nodejs',
  'DD-Client-Library-Version': '6.21.0',
  'content-type': 'application/json',
  'dd-telemetry-api-version': 'v2',
  'dd-telemetry-request-type': 'app-started',
};
const ORIGIN_DETECTION_HEADERS = { 'Datadog-Entity-ID': 'in-1234' };
const REMOTE_CONFIG_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

/** An Agent made as dd-trace makes its own (exporters/common/agents.js). */
const tracerLikeAgent = (): http.Agent => new http.Agent({ keepAlive: true, maxSockets: 1 });

describe('a Datadog tracer’s own requests are not application traffic', () => {
  let server: LocalServer;
  let metrics: TestMetrics;
  let recorder: HttpClientMetrics;
  const agents: http.Agent[] = [];

  const agent = (): http.Agent => {
    const made = tracerLikeAgent();
    agents.push(made);
    return made;
  };
  const post = (path: string, headers: Record<string, string>, through: http.Agent | false | undefined) =>
    send({ host: HOST, port: server.port, path, method: 'POST', headers, agent: through, body: '{}' });
  const counted = (count: number, method = 'POST'): { attributes: Attributes; count: number }[] =>
    count === 0
      ? []
      : [
          {
            attributes: {
              'http.request.method': method,
              'server.address': HOST,
              'server.port': server.port,
              'url.scheme': 'http',
              'http.response.status_code': 200,
              'network.protocol.version': '1.1',
            },
            count,
          },
        ];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    metrics = new TestMetrics();
    recorder = recordHttpClientMetrics(metrics.meterProvider.getMeter('test'), { http: true, undici: true });
  });
  afterEach(async () => {
    recorder.stop();
    await metrics.shutdown();
    for (const made of agents.splice(0)) made.destroy();
    server.received.length = 0;
  });

  it('trace intake, telemetry and origin-detection headers: each request is left out', async () => {
    await post('/v0.4/traces', TRACE_INTAKE_HEADERS, agent());
    await post('/telemetry/proxy/api/v2/apmtelemetry', TELEMETRY_HEADERS, agent());
    await post('/v0.7/config', { ...REMOTE_CONFIG_HEADERS, ...ORIGIN_DETECTION_HEADERS }, agent());
    expect(server.received).toHaveLength(3);
    expect(await clientCounts(metrics)).toEqual([]);
  });

  it('the unmarked requests that follow on the tracer’s Agent (remote config, DogStatsD proxy) are left out too', async () => {
    const tracers = agent();
    await post('/telemetry/proxy/api/v2/apmtelemetry', TELEMETRY_HEADERS, tracers);
    await post('/v0.7/config', REMOTE_CONFIG_HEADERS, tracers);
    await post('/dogstatsd/v2/proxy', {}, tracers);
    await post('/v0.4/traces', TRACE_INTAKE_HEADERS, tracers);
    await post('/v0.7/config', REMOTE_CONFIG_HEADERS, tracers);
    expect(server.received).toHaveLength(5);
    expect(await clientCounts(metrics)).toEqual([]);
  });

  it('the same unmarked requests on an Agent that never carried a marked one are counted', async () => {
    const tracers = agent();
    const other = agent();
    await post('/v0.4/traces', TRACE_INTAKE_HEADERS, tracers);
    await post('/v0.7/config', REMOTE_CONFIG_HEADERS, other);
    await post('/dogstatsd/v2/proxy', {}, other);
    expect(await clientCounts(metrics)).toEqual(counted(2));
  });

  it('the application’s requests are all counted: global Agent, agent: false, an Agent of its own', async () => {
    await post('/orders', { 'content-type': 'application/json' }, undefined);
    await post('/orders', { 'content-type': 'application/json' }, false);
    const own = agent();
    await post('/orders', { 'content-type': 'application/json' }, own);
    await post(
      '/orders',
      { 'x-datadog-trace-id': '1', traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` },
      own,
    );
    expect(await clientCounts(metrics)).toEqual(counted(4));
  });

  it('a marked request through the global Agent is left out, and the global Agent is not remembered', async () => {
    await post('/v0.4/traces', TRACE_INTAKE_HEADERS, undefined);
    await post('/orders', { 'content-type': 'application/json' }, undefined);
    expect(await clientCounts(metrics)).toEqual(counted(1));
  });

  it('headers are read, never changed: the server receives exactly what was sent', async () => {
    await post('/v0.4/traces', TRACE_INTAKE_HEADERS, agent());
    expect(server.received.map((request) => request.rawHeaders)).toEqual([
      [
        ...Object.entries(TRACE_INTAKE_HEADERS).flat(),
        'Host',
        `${HOST}:${server.port}`,
        'Connection',
        'keep-alive',
        'Content-Length',
        '2',
      ],
    ]);
  });
});
