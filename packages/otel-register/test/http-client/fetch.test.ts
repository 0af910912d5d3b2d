import type { Attributes } from '@opentelemetry/api';
import { TestMetrics } from '@va/test-metrics';
import { freePort } from '@va/test-metrics/free-port';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpClientMetrics, recordHttpClientMetrics } from '../../src/http-client/index.js';
import { clientCounts, clientPoints, sortedByAttributes } from './support/client-points.js';
import {
  type LocalServer,
  SLOW_BODY_MS,
  SLOW_HEADERS_MS,
  selfSignedIdentity,
  startServer,
} from './support/local-server.js';

const HOST = '127.0.0.1';

function attributes(port: number, extra: Attributes, scheme = 'http'): Attributes {
  return {
    'http.request.method': 'GET',
    'server.address': HOST,
    'server.port': port,
    'url.scheme': scheme,
    ...extra,
  };
}

const ok = (port: number): Attributes =>
  attributes(port, { 'http.response.status_code': 200, 'network.protocol.version': '1.1' });

/** What fetch rejected with: its own TypeError, and the cause undici gave it. */
async function rejection(promise: Promise<unknown>): Promise<{ name: string; cause: unknown }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, cause: (error as { cause?: unknown }).cause };
  }
  throw new Error('fetch resolved');
}

describe('http.client.request.duration for fetch (Node’s bundled undici)', () => {
  let server: LocalServer;
  let secureServer: LocalServer;
  let metrics: TestMetrics;
  let recorder: HttpClientMetrics;

  beforeAll(async () => {
    server = await startServer();
    secureServer = await startServer(selfSignedIdentity());
  });
  afterAll(async () => {
    await server.close();
    await secureServer.close();
  });
  beforeEach(() => {
    metrics = new TestMetrics();
    recorder = recordHttpClientMetrics(metrics.meterProvider.getMeter('test'), { http: true, undici: true });
  });
  afterEach(async () => {
    recorder.stop();
    await metrics.shutdown();
  });

  it('a fetch: one point, with the status and the HTTP version the connection negotiated', async () => {
    const response = await fetch(`${server.origin}/`);
    expect(await response.text()).toBe('hello');
    const posted = await fetch(`${server.origin}/`, { method: 'POST', body: 'x' });
    expect(await posted.text()).toBe('hello');
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        { attributes: ok(server.port), count: 1 },
        {
          attributes: { ...ok(server.port), 'http.request.method': 'POST' },
          count: 1,
        },
      ]),
    );
  });

  it('4xx and 5xx responses: the status code as error.type', async () => {
    for (const status of [500, 404]) await (await fetch(`${server.origin}/status/${status}`)).text();
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 404,
            'network.protocol.version': '1.1',
            'error.type': '404',
          }),
          count: 1,
        },
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 500,
            'network.protocol.version': '1.1',
            'error.type': '500',
          }),
          count: 1,
        },
      ]),
    );
  });

  it('a refused connection: counted once with error.type ECONNREFUSED (undici creates the request before it connects)', async () => {
    const port = await freePort();
    const { cause } = await rejection(fetch(`http://${HOST}:${port}/`));
    expect((cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(await clientCounts(metrics)).toEqual([
      { attributes: attributes(port, { 'error.type': 'ECONNREFUSED' }), count: 1 },
    ]);
  });

  it('a port the Fetch standard blocks is not seen: fetch rejects before undici creates a request (0 points)', async () => {
    const { name, cause } = await rejection(fetch(`http://${HOST}:1/`));
    expect([name, (cause as Error).message]).toEqual(['TypeError', 'bad port']);
    expect(await clientPoints(metrics)).toEqual([]);
  });

  it('https to an untrusted certificate: url.scheme https, the TLS verification code as error.type', async () => {
    const { cause } = await rejection(fetch(`${secureServer.origin}/`));
    expect((cause as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(await clientCounts(metrics)).toEqual([
      {
        attributes: attributes(secureServer.port, { 'error.type': 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'https'),
        count: 1,
      },
    ]);
  });

  it('aborted before the headers: AbortError; AbortSignal.timeout(): TimeoutError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await rejection(fetch(`${server.origin}/hang`, { signal: controller.signal }))).name).toBe(
      'AbortError',
    );
    const timedOut = await rejection(fetch(`${server.origin}/hang`, { signal: AbortSignal.timeout(50) }));
    expect(timedOut.name).toBe('TimeoutError');
    const points = await clientPoints(metrics);
    expect(points.map(({ attributes, count }) => ({ attributes, count }))).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'error.type': 'AbortError',
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
        {
          attributes: attributes(server.port, {
            'error.type': 'TimeoutError',
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
      ]),
    );
    for (const point of points) expect(point.sum).toBeGreaterThanOrEqual(0.04);
  });

  it('aborted after the headers, while the body streams: still the one point of the headers', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.origin}/slow-body`, { signal: controller.signal });
    controller.abort();
    expect((await rejection(response.text())).name).toBe('AbortError');
    expect(await clientCounts(metrics)).toEqual([{ attributes: ok(server.port), count: 1 }]);
  });

  it('a body the app never reads: counted once, at the headers, before the body was even sent', async () => {
    const response = await fetch(`${server.origin}/slow-body`);
    expect(response.status).toBe(200);
    const [atHeaders] = await clientPoints(metrics);
    expect(atHeaders?.count).toBe(1);
    expect(atHeaders?.sum).toBeLessThan(SLOW_BODY_MS / 1000);
    await new Promise((resolve) => setTimeout(resolve, SLOW_BODY_MS + 100));
    await response.body?.cancel();
    expect(await clientCounts(metrics)).toEqual([{ attributes: ok(server.port), count: 1 }]);
  });

  it('the duration runs from the start to the response headers', async () => {
    await (await fetch(`${server.origin}/slow-headers`)).text();
    const [point] = await clientPoints(metrics);
    expect(point?.count).toBe(1);
    expect(point?.sum).toBeGreaterThanOrEqual((SLOW_HEADERS_MS - 5) / 1000);
    expect(point?.sum).toBeLessThan(SLOW_HEADERS_MS / 1000 + 1);
  });

  it('interim responses (102, 103), which undici publishes as headers too: one point, for the 200', async () => {
    expect(await (await fetch(`${server.origin}/early-hints`)).text()).toBe('after hints');
    expect(await clientCounts(metrics)).toEqual([{ attributes: ok(server.port), count: 1 }]);
  });

  it('methods are case-sensitive: PURGE and `patch` (sent lower-case by fetch) are _OTHER, DELETE is DELETE', async () => {
    const before = server.received.length;
    for (const method of ['PURGE', 'patch', 'delete'])
      await (await fetch(`${server.origin}/`, { method })).text();
    // Node's server answers the lower-case `patch` with 400 itself, before any handler sees it.
    expect(server.received.slice(before).map((request) => request.method)).toEqual(['PURGE', 'DELETE']);
    const methods = (await clientCounts(metrics)).map(({ attributes, count }) => [
      attributes['http.request.method'],
      attributes['http.response.status_code'],
      count,
    ]);
    expect(methods.sort()).toEqual([
      ['DELETE', 200, 1],
      ['_OTHER', 200, 1],
      ['_OTHER', 400, 1],
    ]);
  });

  it('concurrent fetches: each counted once, under its own status', async () => {
    const paths = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? '/' : '/status/503'));
    const statuses = await Promise.all(
      paths.map(async (path) => {
        const response = await fetch(`${server.origin}${path}`);
        await response.text();
        return response.status;
      }),
    );
    expect(statuses.sort()).toEqual([...Array<number>(10).fill(200), ...Array<number>(10).fill(503)]);
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        { attributes: ok(server.port), count: 10 },
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 503,
            'network.protocol.version': '1.1',
            'error.type': '503',
          }),
          count: 10,
        },
      ]),
    );
  });
});
