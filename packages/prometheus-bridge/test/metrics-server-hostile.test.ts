// Hostile clients against the standalone metrics server, over raw TCP where node:http's client would be
// too polite: odd methods, huge headers, slowloris, a client that never reads, a flood of scrapes. The
// application's own server in the same process must answer every one of its requests meanwhile.

import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrometheusBridgeOptions } from '../src/index.js';
import { type DEFAULT_LIMITS, MetricsServer } from '../src/metrics-server.js';
import { close, listen, request, setup } from './helpers.js';

const cleanups: Array<() => unknown> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EXPOSITION = '# TYPE jobs_total counter\njobs_total 3\n';

/** A bridge on 127.0.0.1:0 with one counter at 3. */
async function serving(options: PrometheusBridgeOptions = {}) {
  const s = setup({ host: '127.0.0.1', port: 0, withScopeLabels: false, ...options });
  cleanups.push(() => s.provider.shutdown());
  s.provider.getMeter('m').createCounter('jobs').add(3);
  await s.bridge.startServer();
  const port = s.bridge.port;
  if (port === undefined) throw new Error('the bridge did not start listening');
  return { ...s, port };
}

/** A MetricsServer with short limits (the defaults are tens of seconds), serving `body` at /metrics. */
async function limitedServer(limits: Partial<typeof DEFAULT_LIMITS>, body = Buffer.from(EXPOSITION)) {
  const responses: ServerResponse[] = [];
  const server = new MetricsServer({
    host: '127.0.0.1',
    port: 0,
    endpoint: '/metrics',
    onMetrics: (_request, response) => {
      responses.push(response);
      response.writeHead(200, { 'content-length': body.length });
      response.end(body);
    },
    onHealth: (_request, response) => response.end('{}'),
    limits,
  });
  cleanups.push(() => server.stop());
  await server.start();
  const port = server.address?.port;
  if (port === undefined) throw new Error('the metrics server did not start listening');
  return { server, port, responses };
}

interface RawExchange {
  /** Everything the server sent. */
  received: string;
  /** How the connection ended: closed by the server, or reset. */
  ended: 'closed' | 'reset';
}

/** Opens a TCP connection, lets `drive` write to it, and resolves when the server ends the connection. */
function raw(port: number, drive: (socket: Socket) => void, limitMs = 20_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let ended: RawExchange['ended'] = 'closed';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${limitMs} ms`));
    }, limitMs);
    socket.on('connect', () => drive(socket));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') ended = 'reset';
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ received, ended });
    });
  });
}

function statusLine(received: string): string {
  return received.slice(0, received.indexOf('\r\n'));
}

function headerOf(received: string, name: string): string | undefined {
  const head = received.slice(0, received.indexOf('\r\n\r\n'));
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

describe('the default limits', () => {
  it('are set on the node:http server the bridge starts', async () => {
    const { bridge } = await serving();
    const server = (bridge as unknown as { _server: MetricsServer })._server.server;
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(15_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect(server.timeout).toBe(30_000);
    expect(server.maxConnections).toBe(32);
  });
});

describe('odd methods', () => {
  it.each(['PROPFIND', 'TRACE', 'OPTIONS', 'PUT', 'PATCH', 'DELETE', 'POST'])(
    '%s /metrics gets 405 with Allow',
    async (method) => {
      const { port } = await serving();
      const response = await request(port, '/metrics', { method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    },
  );

  it('CONNECT gets 405 with Allow, not a silently closed connection', async () => {
    const { port } = await serving();
    const exchange = await raw(port, (socket) =>
      socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
    );
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(headerOf(exchange.received, 'allow')).toBe('GET, HEAD');
    expect(exchange.received.endsWith('\r\n\r\nMethod Not Allowed\n')).toBe(true);
  });

  it('a method HTTP does not know gets 400 from node:http', async () => {
    const { port } = await serving();
    const exchange = await raw(port, (socket) => socket.write('BREW /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 400 Bad Request');
  });
});

describe('huge headers', () => {
  it('get a clean 431 and the connection is closed; the next scrape is served', async () => {
    const { port } = await serving();
    const exchange = await raw(port, (socket) =>
      socket.write(`GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`),
    );
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(headerOf(exchange.received, 'connection')).toBe('close');
    expect((await request(port, '/metrics')).body.toString()).toBe(EXPOSITION);
  });
});

describe('slow and stuck clients', () => {
  it('closes a slowloris connection that sends its headers byte by byte, after headersTimeout', async () => {
    const { port } = await limitedServer({
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      timeoutCheckIntervalMs: 250,
    });
    const request = 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let sent = 0;
    const exchange = await raw(port, (socket) => {
      // One byte every 100 ms, forever: never idle, never done.
      const drip = setInterval(() => {
        if (socket.destroyed) {
          clearInterval(drip);
          return;
        }
        socket.write(sent < request.length ? (request[sent] as string) : 'a');
        sent++;
      }, 100);
      socket.on('close', () => clearInterval(drip));
    });
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 408 Request Timeout');
    // The drip ran for about headersTimeout before the server gave up: well under 10 s of bytes.
    expect(sent).toBeLessThan(100);
  });

  it('closes a connection whose client never reads the answer, after idleTimeout', async () => {
    // 32 MiB: far more than the socket buffers of both ends hold, so the server's write stalls.
    const big = Buffer.alloc(32 << 20, 'a');
    const { server, port, responses } = await limitedServer({ idleTimeoutMs: 1_000 }, big);
    // Watched from the server's side: a client that does not read does not see the close either.
    const serverSideClosed = new Promise<void>((resolve) => {
      server.server.once('connection', (socket) => socket.once('close', () => resolve()));
    });
    const client = connect(port, '127.0.0.1', () => {
      client.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
      client.pause(); // never read
    });
    client.on('error', () => {});
    cleanups.push(() => {
      client.destroy();
    });
    await serverSideClosed;
    expect(responses).toHaveLength(1);
    expect(await new Promise((resolve) => server.server.getConnections((_e, count) => resolve(count)))).toBe(
      0,
    );
    // Reading now gets what the kernel still held, then the end: the server dropped the rest of the answer
    // rather than keep the connection and its buffers.
    let received = 0;
    client.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    await new Promise((resolve) => {
      client.once('close', resolve);
      client.resume();
    });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(big.length);
  });

  it('closes an idle keep-alive connection after keepAliveTimeout', async () => {
    const { port } = await limitedServer({ keepAliveTimeoutMs: 500 });
    const exchange = await raw(port, (socket) => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(statusLine(exchange.received)).toBe('HTTP/1.1 200 OK');
    expect(exchange.received.endsWith(EXPOSITION)).toBe(true);
  });
});

describe('caps', () => {
  it('answers 503 with Retry-After past maxConcurrentScrapes, and serves again once they finish', async () => {
    const held: Array<() => void> = [];
    const server = new MetricsServer({
      host: '127.0.0.1',
      port: 0,
      endpoint: '/metrics',
      // Every scrape waits until the test lets it go: five are in flight at once, deterministically.
      onMetrics: (_request, response) => held.push(() => response.end(EXPOSITION)),
      onHealth: (_request, response) => response.end('{}'),
      limits: { maxConcurrentScrapes: 3 },
    });
    cleanups.push(() => server.stop());
    await server.start();
    const port = server.address?.port as number;
    const scrapes = Array.from({ length: 5 }, () => request(port, '/metrics'));
    const refused = await Promise.all(scrapes.slice(3));
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
    }
    expect(held).toHaveLength(3);
    // /health is not a scrape: it is answered while the three are in flight.
    expect((await request(port, '/health')).status).toBe(200);
    for (const release of held.splice(0)) release();
    for (const response of await Promise.all(scrapes.slice(0, 3))) {
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(EXPOSITION);
    }
    const again = request(port, '/metrics');
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (const release of held.splice(0)) release();
    expect((await again).status).toBe(200);
  });

  it('closes connections past maxConnections as they arrive, and accepts again once some close', async () => {
    const { server, port } = await limitedServer({ maxConnections: 4 });
    let dropped = 0;
    server.server.on('drop', () => dropped++);
    const holders = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server accept all four
    const fifth = await raw(port, (socket) => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(fifth.received).toBe('');
    expect(dropped).toBe(1);
    for (const socket of holders) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await request(port, '/metrics')).body.toString()).toBe(EXPOSITION);
    expect(dropped).toBe(1);
  });
});

describe('a flood of scrapes', () => {
  it('answers every one of 200 concurrent scrapes with the full exposition or refuses it cleanly, while the app server answers all of its 100 requests', async () => {
    // A real exposition of about 2 MB: 2000 histogram series, so every scrape is real rendering work.
    const { bridge, provider, port } = await serving({ cardinalitySelector: () => 5000 });
    const histogram = provider.getMeter('m').createHistogram('big', { unit: 's' });
    for (let i = 0; i < 2000; i++) histogram.record(i / 100, { route: `/route/${i}` });
    const expected = await bridge.render();
    const metricsServer = (bridge as unknown as { _server: MetricsServer })._server.server;
    let droppedByServer = 0;
    metricsServer.on('drop', () => droppedByServer++);

    const app = createServer((_request, response) => response.end('app'));
    cleanups.push(() => close(app));
    const appPort = await listen(app);

    // Raw sockets, all connected before any request is written: as many at once as the machine allows.
    const sockets = await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    // node:http's client on each connected socket, for its parser (the big answers are chunked).
    const outcomes = sockets.map(
      (socket) =>
        new Promise<string>((resolve) => {
          const req = httpRequest(
            { createConnection: () => socket, path: '/metrics', headers: { connection: 'close' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () => {
                const body = Buffer.concat(chunks).toString('utf8');
                if (res.statusCode === 200 && body === expected) resolve('ok');
                else if (res.statusCode === 503 && res.headers['retry-after'] === '1') resolve('busy');
                else resolve(`unexpected: ${res.statusCode} ${body.slice(0, 100)}`);
              });
            },
          );
          // Closed by the server before any answer: refused at accept (maxConnections).
          req.on('error', (error: NodeJS.ErrnoException) =>
            resolve(error.code === 'ECONNRESET' ? 'dropped' : `unexpected: ${error.code}`),
          );
          req.end();
        }),
    );

    // The application's traffic during the flood: 100 requests, 10 at a time.
    const appAnswers: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(
        Array.from(
          { length: 10 },
          () =>
            new Promise<string>((resolve, reject) => {
              const req = httpRequest({ host: '127.0.0.1', port: appPort, path: '/' }, (res) => {
                let body = '';
                res.on('data', (chunk: Buffer) => {
                  body += chunk.toString();
                });
                res.on('end', () => resolve(`${res.statusCode} ${body}`));
              });
              req.on('error', reject);
              req.end();
            }),
        ),
      );
      appAnswers.push(...answers);
    }
    const results = await Promise.all(outcomes);

    expect(appAnswers).toEqual(Array.from({ length: 100 }, () => '200 app'));
    const counts = { ok: 0, busy: 0, dropped: 0 };
    for (const result of results) {
      expect(result).toMatch(/^(ok|busy|dropped)$/);
      counts[result as keyof typeof counts]++;
    }
    expect(counts.ok + counts.busy + counts.dropped).toBe(200);
    expect(counts.ok).toBeGreaterThanOrEqual(1);
    // Every connection the client saw closed without a byte is one the server refused at accept.
    expect(counts.dropped).toBe(droppedByServer);
  });
});
