// The mount examples of the README, run for real: each framework serves the bridge's exposition.

import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROMETHEUS_CONTENT_TYPE } from '../src/index.js';
import { close, listen, request, type Setup, setup } from './helpers.js';

const EXPOSITION = [
  '# HELP http_server_request_duration_seconds Duration of HTTP server requests.',
  '# TYPE http_server_request_duration_seconds histogram',
  'http_server_request_duration_seconds_bucket{http_route="/chat",le="0.5"} 1',
  'http_server_request_duration_seconds_bucket{http_route="/chat",le="+Inf"} 2',
  'http_server_request_duration_seconds_sum{http_route="/chat"} 2.25',
  'http_server_request_duration_seconds_count{http_route="/chat"} 2',
  '',
].join('\n');

let s: Setup;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(() => {
  s = setup({ withScopeLabels: false });
  const histogram = s.provider.getMeter('m').createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.5] },
  });
  histogram.record(0.25, { 'http.route': '/chat' });
  histogram.record(2, { 'http.route': '/chat' });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await s.provider.shutdown();
});

async function serve(server: Server): Promise<number> {
  cleanups.push(() => close(server));
  return listen(server);
}

async function expectExposition(port: number, path: string): Promise<void> {
  const response = await request(port, path);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']?.toLowerCase()).toBe(PROMETHEUS_CONTENT_TYPE);
  expect(response.body.toString('utf8')).toBe(EXPOSITION);
}

describe('mounting in frameworks', () => {
  it('Express: app.get(path, bridge.getMetricsRequestHandler())', async () => {
    const app = express();
    app.get('/metrics', s.bridge.getMetricsRequestHandler());
    const port = await serve(createServer(app));
    await expectExposition(port, '/metrics');
    const gzipped = await request(port, '/metrics', { headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(EXPOSITION);
  });

  it('Fastify: reply.type(PROMETHEUS_CONTENT_TYPE).send(await bridge.render())', async () => {
    const app = Fastify();
    app.get('/metrics', async (_request, reply) =>
      reply.type(PROMETHEUS_CONTENT_TYPE).send(await s.bridge.render()),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    const port = (app.server.address() as { port: number }).port;
    await expectExposition(port, '/metrics');
  });

  it('Fastify: reply.hijack() and the node:http handler', async () => {
    const app = Fastify();
    const handler = s.bridge.getMetricsRequestHandler();
    app.get('/metrics', (request, reply) => {
      reply.hijack();
      handler(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    const port = (app.server.address() as { port: number }).port;
    await expectExposition(port, '/metrics');
  });

  it("Hono: c.body(await bridge.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE })", async () => {
    const app = new Hono();
    app.get('/metrics', async (c) =>
      c.body(await s.bridge.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE }),
    );
    const port = await serve(createAdaptorServer({ fetch: app.fetch }) as Server);
    await expectExposition(port, '/metrics');
  });
});
