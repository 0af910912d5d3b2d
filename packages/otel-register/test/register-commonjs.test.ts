import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import { parseExposition, type Sample, samplesOf, withoutScope } from './support/exposition.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';

const SERVER_DURATION = 'voice_agent_http_server_request_duration_seconds';
const DB_DURATION = 'voice_agent_db_client_operation_duration_seconds';

async function scrape(metricsPort: number): Promise<Sample[]> {
  const { status, body } = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(status).toBe(200);
  return parseExposition(body);
}

describe('node --require @va/otel-register: node:http + pg app', () => {
  let postgres: TestPostgres;
  let app: ChildApp;
  let appUrl: string;
  let metricsPort: number;

  beforeAll(async () => {
    postgres = await startPostgres();
    ({ app, appUrl, metricsPort } = await startRegisteredApp('http-pg-app.cjs', {
      DATABASE_URL: postgres.url,
      OTEL_SERVICE_NAME: 'register-test',
    }));
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await postgres?.stop();
  });

  it('counts every request and query exactly, failures with error.type', async () => {
    for (let index = 0; index < 4; index++) expect((await httpGet(`${appUrl}/hello`)).status).toBe(200);
    for (let index = 0; index < 3; index++) expect((await httpGet(`${appUrl}/query`)).status).toBe(200);
    expect(await httpGet(`${appUrl}/fail`)).toEqual({ status: 500, body: 'failed: 42P01' });
    expect((await httpGet(`${appUrl}/missing`)).status).toBe(404);

    const samples = await scrape(metricsPort);
    const requests = samplesOf(samples, `${SERVER_DURATION}_count`).map((sample) => ({
      labels: withoutScope(sample.labels),
      value: sample.value,
    }));
    const base = { http_request_method: 'GET', network_protocol_version: '1.1', url_scheme: 'http' };
    expect(requests).toHaveLength(3);
    expect(requests).toEqual(
      expect.arrayContaining([
        { labels: { ...base, http_response_status_code: '200' }, value: 7 },
        { labels: { ...base, http_response_status_code: '500', error_type: '500' }, value: 1 },
        { labels: { ...base, http_response_status_code: '404' }, value: 1 },
      ]),
    );

    const queries = samplesOf(samples, `${DB_DURATION}_count`).map((sample) => ({
      labels: withoutScope(sample.labels),
      value: sample.value,
    }));
    const port = new URL(postgres.url).port;
    const database = {
      db_namespace: 'postgres',
      db_operation_name: 'SELECT',
      db_system_name: 'postgresql',
      server_address: '127.0.0.1',
      server_port: port,
    };
    expect(queries).toHaveLength(2);
    expect(queries).toEqual(
      expect.arrayContaining([
        { labels: database, value: 3 },
        { labels: { ...database, error_type: '42P01' }, value: 1 },
      ]),
    );
    // Histogram consistency: the +Inf bucket equals the count, for every series.
    const sameSeries = (a: Record<string, string>, b: Record<string, string>): boolean =>
      JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    for (const count of samplesOf(samples, `${DB_DURATION}_count`)) {
      const infinity = samplesOf(samples, `${DB_DURATION}_bucket`).filter((bucket) =>
        sameSeries(bucket.labels, { ...count.labels, le: '+Inf' }),
      );
      expect(infinity.map((sample) => sample.value)).toEqual([count.value]);
    }
  });

  it('does not count its own scrapes as application traffic', async () => {
    const before = await scrape(metricsPort);
    await scrape(metricsPort);
    await scrape(metricsPort);
    const after = await scrape(metricsPort);
    const total = (samples: Sample[]): number =>
      samplesOf(samples, `${SERVER_DURATION}_count`).reduce((sum, sample) => sum + sample.value, 0);
    expect(total(after)).toBe(total(before));
    expect(
      samplesOf(after, 'voice_agent_http_server_active_requests').every((sample) => sample.value === 0),
    ).toBe(true);
  });

  it('reports in-flight requests and returns to zero', async () => {
    const pending = [fetch(`${appUrl}/slow`), fetch(`${appUrl}/slow`)];
    const deadline = Date.now() + 5_000;
    let inFlight: Sample[] = [];
    while (Date.now() < deadline) {
      inFlight = samplesOf(await scrape(metricsPort), 'voice_agent_http_server_active_requests');
      if (inFlight.some((sample) => sample.value === 2)) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    expect(inFlight.map((sample) => ({ labels: withoutScope(sample.labels), value: sample.value }))).toEqual([
      { labels: { http_request_method: 'GET', url_scheme: 'http' }, value: 2 },
    ]);
    expect(await httpGet(`${appUrl}/release`)).toEqual({ status: 200, body: 'released 2' });
    await Promise.all(pending);
    const after = samplesOf(await scrape(metricsPort), 'voice_agent_http_server_active_requests');
    expect(after.map((sample) => sample.value)).toEqual([0]);
  });

  it('records outbound fetch as http.client.request.duration', async () => {
    expect(await httpGet(`${appUrl}/outbound`)).toEqual({ status: 200, body: 'outbound: hello' });
    const samples = await scrape(metricsPort);
    const client = samplesOf(samples, 'voice_agent_http_client_request_duration_seconds_count').map(
      (sample) => withoutScope(sample.labels),
    );
    expect(client).toEqual([
      {
        http_request_method: 'GET',
        http_response_status_code: '200',
        network_protocol_version: '1.1',
        server_address: '127.0.0.1',
        server_port: new URL(appUrl).port,
        url_scheme: 'http',
      },
    ]);
    expect(samplesOf(samples, 'voice_agent_http_client_request_duration_seconds_count')[0]!.value).toBe(1);
  });

  it('serves runtime metrics and target_info', async () => {
    const samples = await scrape(metricsPort);
    const names = new Set(samples.map((sample) => sample.name));
    for (const name of [
      'voice_agent_process_cpu_time_seconds_total',
      'voice_agent_process_memory_usage_bytes',
      'voice_agent_v8js_memory_heap_used_bytes',
      'voice_agent_v8js_memory_heap_space_size_bytes',
      'voice_agent_nodejs_eventloop_utilization_ratio',
      'voice_agent_nodejs_eventloop_time_seconds_total',
      'voice_agent_v8js_resource_active',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(
      samplesOf(samples, 'voice_agent_process_cpu_time_seconds_total')
        .map((s) => s.labels.cpu_mode)
        .sort(),
    ).toEqual(['system', 'user']);
    const [target] = samplesOf(samples, 'target_info');
    expect(target?.labels.service_name).toBe('register-test');
    expect(target?.value).toBe(1);
  });

  it('exits promptly on SIGTERM, by the signal, as it would without us', async () => {
    const ended = await app.stop('SIGTERM');
    expect(ended.signal).toBe('SIGTERM');
    expect(ended.millis).toBeLessThan(2_000);
    expect(app.stderr()).toBe('');
  });
});
