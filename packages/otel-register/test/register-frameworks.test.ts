import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import { scrape, seriesOf, sortSeries } from './support/scrape.js';

const SERVER_COUNT = 'voice_agent_http_server_request_duration_seconds_count';
const ACTIVE = 'voice_agent_http_server_active_requests';
const base = { http_request_method: 'GET', network_protocol_version: '1.1', url_scheme: 'http' };

let app: ChildApp | undefined;
afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});

async function start(
  fixture: string,
  environment: Record<string, string> = {},
): Promise<{ appUrl: string; metricsPort: number }> {
  const started = await startRegisteredApp(fixture, environment);
  app = started.app;
  return started;
}

// Both server paths must give the same series: users switch with one variable.
describe.each([
  ['our diagnostics-channel path', {}],
  ['the upstream instrumentation-http path', { VA_HTTP_SERVER_INSTRUMENTATION: 'upstream' }],
])('route templates, %s', (_name, environment) => {
  it('Express: http_route is the template, never the raw path; mounted routers include the mount path', async () => {
    const { appUrl, metricsPort } = await start('express-app.cjs', environment);
    for (const id of ['1', '2', '3']) expect((await httpGet(`${appUrl}/users/${id}`)).status).toBe(200);
    expect((await httpGet(`${appUrl}/users/7/orders/99`)).status).toBe(201);
    expect((await httpGet(`${appUrl}/api/items/5`)).status).toBe(200);
    expect((await httpGet(`${appUrl}/api/broken`)).status).toBe(500);
    expect((await httpGet(`${appUrl}/no/such/page`)).status).toBe(404);

    expect(seriesOf(await scrape(metricsPort), SERVER_COUNT)).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200', http_route: '/users/:userId' }, value: 3 },
        {
          labels: { ...base, http_response_status_code: '201', http_route: '/users/:userId/orders/:orderId' },
          value: 1,
        },
        { labels: { ...base, http_response_status_code: '200', http_route: '/api/items/:itemId' }, value: 1 },
        {
          labels: { ...base, http_response_status_code: '500', http_route: '/api/broken', error_type: '500' },
          value: 1,
        },
        { labels: { ...base, http_response_status_code: '404' }, value: 1 },
      ]),
    );
  });

  it('Fastify: http_route is the template', async () => {
    const { appUrl, metricsPort } = await start('fastify-app.cjs', environment);
    for (const id of ['a', 'b']) expect((await httpGet(`${appUrl}/items/${id}`)).status).toBe(200);

    expect(seriesOf(await scrape(metricsPort), SERVER_COUNT)).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200', http_route: '/items/:itemId' }, value: 2 },
      ]),
    );
  });
});

/** Sends a GET and destroys the connection after `millis`, the way an impatient client does. */
function abandon(url: string, millis: number): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = request(url);
    outgoing.on('error', () => resolve());
    outgoing.end();
    setTimeout(() => {
      outgoing.destroy();
      resolve();
    }, millis);
  });
}

describe('our server path in an ES module Express app (--import)', () => {
  it('names mounted routes, an error passed out of the router included', async () => {
    const started = await startRegisteredApp('express-app.mjs', {}, '--import');
    app = started.app;
    expect((await httpGet(`${started.appUrl}/api/items/5`)).status).toBe(200);
    expect((await httpGet(`${started.appUrl}/api/broken`)).status).toBe(500);
    expect(seriesOf(await scrape(started.metricsPort), SERVER_COUNT)).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200', http_route: '/api/items/:itemId' }, value: 1 },
        {
          labels: { ...base, http_response_status_code: '500', http_route: '/api/broken', error_type: '500' },
          value: 1,
        },
      ]),
    );
  });
});

describe('our server path on a plain node:http app', () => {
  it('takes routes from setHttpRoute(), marks 5xx and abandoned requests with error.type, and returns in-flight to 0', async () => {
    const { appUrl, metricsPort } = await start('routed-node-app.cjs');
    for (const id of ['a', 'b', 'c', 'd'])
      expect((await httpGet(`${appUrl}/sessions/${id}`)).status).toBe(200);
    expect((await httpGet(`${appUrl}/unavailable`)).status).toBe(503);
    expect((await httpGet(`${appUrl}/elsewhere`)).status).toBe(404);
    // The two hanging requests are in flight until their clients give up.
    const hanging = [abandon(`${appUrl}/hang`, 300), abandon(`${appUrl}/hang`, 300)];
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(seriesOf(await scrape(metricsPort), ACTIVE)).toEqual([
      { labels: { http_request_method: 'GET', url_scheme: 'http' }, value: 2 },
    ]);
    await Promise.all(hanging);
    // The server sees the hang-ups on its next turns.
    await new Promise((resolve) => setTimeout(resolve, 100));

    const samples = await scrape(metricsPort);
    expect(seriesOf(samples, SERVER_COUNT)).toEqual(
      sortSeries([
        {
          labels: { ...base, http_response_status_code: '200', http_route: '/sessions/:sessionId' },
          value: 4,
        },
        {
          labels: {
            ...base,
            http_response_status_code: '503',
            http_route: '/unavailable',
            error_type: '503',
          },
          value: 1,
        },
        { labels: { ...base, http_response_status_code: '404' }, value: 1 },
        // No status line was ever sent, so there is no status code.
        { labels: { ...base, http_route: '/hang', error_type: 'aborted' }, value: 2 },
      ]),
    );
    expect(seriesOf(samples, ACTIVE)).toEqual([
      { labels: { http_request_method: 'GET', url_scheme: 'http' }, value: 0 },
    ]);
  });
});
