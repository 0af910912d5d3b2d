import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';
import { scrape, seriesOf, sortSeries } from './support/scrape.js';

describe('node --import @va/otel-register: an ES module app', () => {
  let postgres: TestPostgres;
  let app: ChildApp;
  let appUrl: string;
  let metricsPort: number;

  beforeAll(async () => {
    postgres = await startPostgres();
    ({ app, appUrl, metricsPort } = await startRegisteredApp(
      'http-pg-app.mjs',
      { DATABASE_URL: postgres.url },
      '--import',
    ));
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await postgres?.stop();
  });

  it('records node:http (named ESM import) and pg exactly', async () => {
    for (let index = 0; index < 3; index++) expect((await httpGet(`${appUrl}/query`)).status).toBe(200);
    expect((await httpGet(`${appUrl}/fail`)).status).toBe(500);

    const samples = await scrape(metricsPort);
    const base = { http_request_method: 'GET', network_protocol_version: '1.1', url_scheme: 'http' };
    expect(seriesOf(samples, 'voice_agent_http_server_request_duration_seconds_count')).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200' }, value: 3 },
        { labels: { ...base, error_type: '500', http_response_status_code: '500' }, value: 1 },
      ]),
    );
    const database = {
      db_namespace: 'postgres',
      db_operation_name: 'SELECT',
      db_system_name: 'postgresql',
      server_address: '127.0.0.1',
      server_port: new URL(postgres.url).port,
    };
    expect(seriesOf(samples, 'voice_agent_db_client_operation_duration_seconds_count')).toEqual(
      sortSeries([
        { labels: database, value: 3 },
        { labels: { ...database, error_type: '42P01' }, value: 1 },
      ]),
    );
  });

  it('exits promptly on SIGTERM', async () => {
    const ended = await app.stop('SIGTERM');
    expect(ended.signal).toBe('SIGTERM');
    expect(ended.millis).toBeLessThan(2_000);
  });
});

// Our HTTP server path listens on Node's diagnostics channels, not on a patched `node:http`, so it
// does not care how the app loads its modules; pg is patched on import, which `--require` cannot see.
describe('node --require @va/otel-register: an ES module app', () => {
  let postgres: TestPostgres;
  let app: ChildApp;
  let appUrl: string;
  let metricsPort: number;

  beforeAll(async () => {
    postgres = await startPostgres();
    ({ app, appUrl, metricsPort } = await startRegisteredApp(
      'http-pg-app.mjs',
      { DATABASE_URL: postgres.url },
      '--require',
    ));
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await postgres?.stop();
  });

  it('records node:http exactly, and no pg', async () => {
    for (let index = 0; index < 3; index++) expect((await httpGet(`${appUrl}/query`)).status).toBe(200);
    expect((await httpGet(`${appUrl}/fail`)).status).toBe(500);

    const samples = await scrape(metricsPort);
    const base = { http_request_method: 'GET', network_protocol_version: '1.1', url_scheme: 'http' };
    expect(seriesOf(samples, 'voice_agent_http_server_request_duration_seconds_count')).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200' }, value: 3 },
        { labels: { ...base, error_type: '500', http_response_status_code: '500' }, value: 1 },
      ]),
    );
    expect(seriesOf(samples, 'voice_agent_db_client_operation_duration_seconds_count')).toEqual([]);
  });
});
