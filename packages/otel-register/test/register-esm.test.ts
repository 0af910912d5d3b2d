import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import type { Sample } from './support/exposition.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';
import { scrape, seriesOf, sortSeries } from './support/scrape.js';

interface Started {
  postgres: TestPostgres;
  app: ChildApp;
  appUrl: string;
  metricsPort: number;
}

/** http-pg-app.mjs under the register loaded with `flag`, beside a real Postgres, for one describe block. */
function esmAppUnder(flag: '--import' | '--require'): () => Started {
  const started = {} as Started;
  beforeAll(async () => {
    started.postgres = await startPostgres();
    Object.assign(
      started,
      await startRegisteredApp('http-pg-app.mjs', { DATABASE_URL: started.postgres.url }, flag),
    );
  });
  afterAll(async () => {
    await started.app?.stop('SIGKILL');
    await started.postgres?.stop();
  });
  return () => started;
}

/** Three good queries and one failing one, then a scrape. */
async function trafficThenScrape({ appUrl, metricsPort }: Started): Promise<Sample[]> {
  for (let index = 0; index < 3; index++) expect((await httpGet(`${appUrl}/query`)).status).toBe(200);
  expect((await httpGet(`${appUrl}/fail`)).status).toBe(500);
  return scrape(metricsPort);
}

/** The server side of that traffic: three 200s and one 500. */
function expectServerCounts(samples: Sample[]): void {
  const base = { http_request_method: 'GET', network_protocol_version: '1.1', url_scheme: 'http' };
  expect(seriesOf(samples, 'voice_agent_http_server_request_duration_seconds_count')).toEqual(
    sortSeries([
      { labels: { ...base, http_response_status_code: '200' }, value: 3 },
      { labels: { ...base, error_type: '500', http_response_status_code: '500' }, value: 1 },
    ]),
  );
}

describe('node --import @va/otel-register: an ES module app', () => {
  const started = esmAppUnder('--import');

  it('records node:http (named ESM import) and pg exactly', async () => {
    const { postgres } = started();
    const samples = await trafficThenScrape(started());
    expectServerCounts(samples);
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
    const ended = await started().app.stop('SIGTERM');
    expect(ended.signal).toBe('SIGTERM');
    expect(ended.millis).toBeLessThan(2_000);
  });
});

// Our HTTP server path listens on Node's diagnostics channels, not on a patched `node:http`, so it
// does not care how the app loads its modules; pg is patched on import, which `--require` cannot see.
describe('node --require @va/otel-register: an ES module app', () => {
  const started = esmAppUnder('--require');

  it('records node:http exactly, and no pg', async () => {
    const samples = await trafficThenScrape(started());
    expectServerCounts(samples);
    expect(seriesOf(samples, 'voice_agent_db_client_operation_duration_seconds_count')).toEqual([]);
  });
});
