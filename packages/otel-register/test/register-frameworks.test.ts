import { afterEach, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import { scrape, seriesOf, sortSeries } from './support/scrape.js';

const SERVER_COUNT = 'voice_agent_http_server_request_duration_seconds_count';
const base = { http_request_method: 'GET', network_protocol_version: '1.1', url_scheme: 'http' };

describe('route templates from framework instrumentations', () => {
  let app: ChildApp | undefined;

  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
  });

  async function start(fixture: string): Promise<{ appUrl: string; metricsPort: number }> {
    const started = await startRegisteredApp(fixture);
    app = started.app;
    return started;
  }

  it('Express: http_route is the template, never the raw path', async () => {
    const { appUrl, metricsPort } = await start('express-app.cjs');
    for (const id of ['1', '2', '3']) expect((await httpGet(`${appUrl}/users/${id}`)).status).toBe(200);
    expect((await httpGet(`${appUrl}/users/7/orders/99`)).status).toBe(201);

    expect(seriesOf(await scrape(metricsPort), SERVER_COUNT)).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200', http_route: '/users/:userId' }, value: 3 },
        {
          labels: { ...base, http_response_status_code: '201', http_route: '/users/:userId/orders/:orderId' },
          value: 1,
        },
      ]),
    );
  });

  it('Fastify: http_route is the template', async () => {
    const { appUrl, metricsPort } = await start('fastify-app.cjs');
    for (const id of ['a', 'b']) expect((await httpGet(`${appUrl}/items/${id}`)).status).toBe(200);

    expect(seriesOf(await scrape(metricsPort), SERVER_COUNT)).toEqual(
      sortSeries([
        { labels: { ...base, http_response_status_code: '200', http_route: '/items/:itemId' }, value: 2 },
      ]),
    );
  });
});
