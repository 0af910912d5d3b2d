import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Meter, MeterProvider } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedMeterProvider } from '../src/guarded-meter-provider.js';
import { recordHttpServerMetrics } from '../src/http-server/http-server-metrics.js';

/** How many recordings were attempted (each threw): proof the fault was hit, not skipped. */
let attempts = 0;
function boom(): never {
  attempts++;
  throw new Error('instrument exploded');
}

/** A meter whose instruments exist but throw on every record, add and observation. */
const throwingMeter = {
  createHistogram: () => ({ record: boom }),
  createCounter: () => ({ add: boom }),
  createUpDownCounter: () => ({ add: boom }),
  createObservableUpDownCounter: () => ({ addCallback: () => {}, removeCallback: () => {} }),
  createObservableGauge: () => ({ addCallback: () => {}, removeCallback: () => {} }),
  createObservableCounter: () => ({ addCallback: () => {}, removeCallback: () => {} }),
  createGauge: () => ({ record: boom }),
  addBatchObservableCallback: () => {},
  removeBatchObservableCallback: () => {},
} as unknown as Meter;
const throwingProvider = { getMeter: () => throwingMeter } as unknown as MeterProvider;

/** A server that answers 200 `hello`, 503 `busy`, or keeps the request until the client leaves. */
async function startApp(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/busy') response.writeHead(503).end('busy');
    else if (request.url === '/hold') response.flushHeaders();
    else response.end('hello');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What the caller sees of three requests: a 200, a 503 and one it aborts mid-response. */
async function traffic(url: string): Promise<unknown[]> {
  const seen: unknown[] = [];
  for (const path of ['/hello', '/busy']) {
    const response = await fetch(`${url}${path}`);
    seen.push([response.status, await response.text()]);
  }
  const controller = new AbortController();
  const held = await fetch(`${url}/hold`, { signal: controller.signal });
  controller.abort();
  seen.push(await held.text().catch((error: Error) => error.name));
  return seen;
}

const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => {
  uncaught.push(error);
};

describe('a meter that throws on every recording', () => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  afterEach(async () => {
    app?.server.closeAllConnections();
    await new Promise((done) => (app ? app.server.close(done) : done(undefined)));
    app = undefined;
    process.off('uncaughtException', onUncaught);
  });

  it('our HTTP server path: every response and every abort as without us, nothing thrown anywhere', async () => {
    app = await startApp();
    const without = await traffic(app.url);
    process.on('uncaughtException', onUncaught);
    attempts = 0;
    const metrics = recordHttpServerMetrics(throwingMeter, {
      duration: true,
      expressRoutes: false,
      fastifyRoutes: false,
    });
    try {
      expect(await traffic(app.url)).toEqual(without);
      expect(without).toEqual([[200, 'hello'], [503, 'busy'], 'AbortError']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(uncaught).toEqual([]);
      // One duration per request, the aborted one included.
      expect(attempts).toBe(3);
    } finally {
      metrics.stop();
    }
  });
  // Our fetch and node:http client path with a throwing meter: test/http-client/host-safety.test.ts.

  it('the provider the register hands its instrumentations: each record() and add() fault is reported, none thrown', () => {
    const reported: unknown[] = [];
    const meter = guardedMeterProvider(throwingProvider, (error) => reported.push(error)).getMeter('test');
    attempts = 0;
    expect(() => meter.createHistogram('h').record(1)).not.toThrow();
    expect(() => meter.createCounter('c').add(1)).not.toThrow();
    expect(() => meter.createUpDownCounter('u').add(-1)).not.toThrow();
    expect(attempts).toBe(3);
    expect(reported.map((error) => (error as Error).message)).toEqual([
      'instrument exploded',
      'instrument exploded',
      'instrument exploded',
    ]);
  });
});
