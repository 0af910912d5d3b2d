import * as http from 'node:http';
import * as https from 'node:https';
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
  type TlsIdentity,
} from './support/local-server.js';
import { send } from './support/node-request.js';

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

describe('http.client.request.duration for node:http and node:https', () => {
  let tls: TlsIdentity;
  let server: LocalServer;
  let secureServer: LocalServer;
  let metrics: TestMetrics;
  let recorder: HttpClientMetrics;

  beforeAll(async () => {
    tls = selfSignedIdentity();
    server = await startServer();
    secureServer = await startServer(tls);
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

  it('http.get and http.request: one point each, with the response status and HTTP version', async () => {
    const got = await new Promise<number | undefined>((resolve) => {
      http.get(`${server.origin}/`, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      });
    });
    const posted = await send({ host: HOST, port: server.port, path: '/', method: 'POST', body: 'x' });
    expect([got, posted.status]).toEqual([200, 200]);
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 200,
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
        {
          attributes: attributes(server.port, {
            'http.request.method': 'POST',
            'http.response.status_code': 200,
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
      ]),
    );
  });

  it('https with a trusted certificate: url.scheme https', async () => {
    const outcome = await send({ host: HOST, port: secureServer.port, path: '/', ca: tls.cert }, https);
    expect(outcome.status).toBe(200);
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(
            secureServer.port,
            { 'http.response.status_code': 200, 'network.protocol.version': '1.1' },
            'https',
          ),
          count: 1,
        },
      ]),
    );
  });

  it('https with an untrusted certificate: the TLS verification code as error.type', async () => {
    const outcome = await send({ host: HOST, port: secureServer.port, path: '/' }, https);
    expect((outcome.error as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(secureServer.port, { 'error.type': 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'https'),
          count: 1,
        },
      ]),
    );
  });

  it('4xx and 5xx responses: the status code as error.type (a client error is an error on the client side)', async () => {
    await send({ host: HOST, port: server.port, path: '/status/500' });
    await send({ host: HOST, port: server.port, path: '/status/404' });
    await send({ host: HOST, port: server.port, path: '/status/302' });
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 302,
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
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

  it('a refused connection: counted once, error.type ECONNREFUSED, no status, no version', async () => {
    const port = await freePort();
    const outcome = await send({ host: HOST, port, path: '/' });
    expect((outcome.error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([{ attributes: attributes(port, { 'error.type': 'ECONNREFUSED' }), count: 1 }]),
    );
  });

  it('aborted before the headers: req.destroy() is ECONNRESET (Node: socket hang up), an AbortSignal AbortError', async () => {
    await new Promise<void>((resolve) => {
      const request = http.get({ host: HOST, port: server.port, path: '/hang' });
      request.on('error', () => resolve());
      setTimeout(() => request.destroy(), 50);
    });
    const controller = new AbortController();
    const aborted = new Promise<Error>((resolve) => {
      http
        .get({ host: HOST, port: server.port, path: '/hang', signal: controller.signal })
        .on('error', resolve);
    });
    setTimeout(() => controller.abort(), 50);
    expect((await aborted).name).toBe('AbortError');
    const points = await clientPoints(metrics);
    expect(points.map(({ attributes, count }) => ({ attributes, count }))).toEqual(
      sortedByAttributes([
        { attributes: attributes(server.port, { 'error.type': 'AbortError' }), count: 1 },
        { attributes: attributes(server.port, { 'error.type': 'ECONNRESET' }), count: 1 },
      ]),
    );
    // Timed from the start to the failure, not to some later event.
    for (const point of points) expect(point.sum).toBeGreaterThanOrEqual(0.04);
  });

  it('a request destroyed before the app ends it is not counted: Node publishes its start only at end()', async () => {
    await new Promise<void>((resolve) => {
      const request = http.request({ host: HOST, port: server.port, path: '/', method: 'POST' });
      request.on('error', () => resolve());
      request.write('part of a body');
      request.destroy();
    });
    expect(await clientPoints(metrics)).toEqual([]);
  });

  it('a body the app never reads: counted once, at the headers, before the body was even sent', async () => {
    const response = await new Promise<http.IncomingMessage>((resolve) => {
      http.get({ host: HOST, port: server.port, path: '/slow-body' }, resolve);
    });
    const [atHeaders] = await clientPoints(metrics);
    expect(atHeaders?.count).toBe(1);
    expect(atHeaders?.sum).toBeLessThan(SLOW_BODY_MS / 1000);
    // The body arrives, is never read, and the response is dropped: still one point.
    await new Promise((resolve) => setTimeout(resolve, SLOW_BODY_MS + 100));
    response.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 200,
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
      ]),
    );
  });

  it('the duration runs from the start to the response headers', async () => {
    await send({ host: HOST, port: server.port, path: '/slow-headers' });
    const [point] = await clientPoints(metrics);
    expect(point?.count).toBe(1);
    expect(point?.sum).toBeGreaterThanOrEqual((SLOW_HEADERS_MS - 5) / 1000);
    expect(point?.sum).toBeLessThan(SLOW_HEADERS_MS / 1000 + 1);
  });

  it('a request waiting for a free socket (Agent maxSockets 1) is timed from when it gets one, as Node starts it then', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await Promise.all(
        ['/slow-headers', '/slow-headers'].map((path) =>
          send({ host: HOST, port: server.port, path, agent }),
        ),
      );
    } finally {
      agent.destroy();
    }
    const [point] = await clientPoints(metrics);
    expect(point?.count).toBe(2);
    // Each waited about SLOW_HEADERS_MS for its own headers; the second's queueing behind the first
    // (another SLOW_HEADERS_MS) is not in its duration.
    expect(point?.sum).toBeGreaterThanOrEqual((2 * (SLOW_HEADERS_MS - 5)) / 1000);
    expect(point?.sum).toBeLessThan((3 * SLOW_HEADERS_MS) / 1000);
  });

  it('interim responses (102, 103) are not the response: one point, for the 200', async () => {
    const outcome = await send({ host: HOST, port: server.port, path: '/early-hints' });
    expect(outcome.body).toBe('after hints');
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 200,
            'network.protocol.version': '1.1',
          }),
          count: 1,
        },
      ]),
    );
  });

  it('methods: known ones as sent (Node upper-cases them), others _OTHER', async () => {
    await send({ host: HOST, port: server.port, path: '/', method: 'PURGE' });
    await send({ host: HOST, port: server.port, path: '/', method: 'delete' });
    expect(server.received.slice(-2).map((request) => request.method)).toEqual(['PURGE', 'DELETE']);
    expect(
      (await clientCounts(metrics)).map((point) => point.attributes['http.request.method']).sort(),
    ).toEqual(['DELETE', '_OTHER']);
  });

  it('server.address and server.port: from the Host header, or from an absolute-form target (a proxy request)', async () => {
    await send({ host: HOST, port: server.port, path: '/', headers: { host: 'API.Example.test' } });
    await send({ host: HOST, port: server.port, path: 'http://user:secret@Example.test:8080/x' });
    await send({ host: HOST, port: server.port, path: '/', headers: { host: '[::1]:9' } });
    const points = await clientCounts(metrics);
    const targets = points.map(({ attributes: { 'server.address': address, 'server.port': port } }) =>
      String([address, port]),
    );
    expect(targets.sort()).toEqual(['::1,9', 'api.example.test,80', 'example.test,8080']);
    expect(JSON.stringify(points)).not.toMatch(/user|secret/);
  });

  it('concurrent requests: each counted once, under its own status', async () => {
    const paths = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? '/' : '/status/503'));
    const outcomes = await Promise.all(paths.map((path) => send({ host: HOST, port: server.port, path })));
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([
      ...Array<number>(10).fill(200),
      ...Array<number>(10).fill(503),
    ]);
    expect(await clientCounts(metrics)).toEqual(
      sortedByAttributes([
        {
          attributes: attributes(server.port, {
            'http.response.status_code': 200,
            'network.protocol.version': '1.1',
          }),
          count: 10,
        },
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
