import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import * as http from 'node:http';
import {
  type Context,
  type DiagLogger,
  DiagLogLevel,
  diag,
  type Meter,
  propagation,
  type TextMapSetter,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { TestMetrics } from '@va/test-metrics';
import { freePort } from '@va/test-metrics/free-port';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordHttpClientMetrics } from '../../src/http-client/index.js';
import { clientCounts } from './support/client-points.js';
import { type LocalServer, startServer } from './support/local-server.js';
import { send } from './support/node-request.js';

const HOST = '127.0.0.1';
const NODE_CHANNELS = [
  'http.client.request.start',
  'http.client.response.finish',
  'http.client.request.error',
];
const UNDICI_CHANNELS = [
  'undici:request:create',
  'undici:client:sendHeaders',
  'undici:request:headers',
  'undici:request:error',
];

/** Which of our channels have a subscriber now. */
function subscribedChannels(): string[] {
  return [...NODE_CHANNELS, ...UNDICI_CHANNELS].filter((name) => channel(name).hasSubscribers);
}

/** Every event an emitter has listeners for, with how many. */
function listeners(emitter: NodeJS.EventEmitter | null | undefined): [string, number][] {
  if (emitter == null) return [];
  return emitter.eventNames().map((name) => [String(name), emitter.listenerCount(name)]);
}

/** The listeners on the request, its response and its socket, as the app's response callback sees them and at the end. */
function observedListeners(server: LocalServer): Promise<Record<string, [string, number][]>> {
  return new Promise((resolve) => {
    // A fresh connection each time, so both runs start from the same socket state.
    const request = http.get({ host: HOST, port: server.port, path: '/', agent: false }, (response) => {
      const atResponse = {
        request: listeners(request),
        response: listeners(response),
        socket: listeners(response.socket),
      };
      response.resume();
      response.on('end', () => resolve({ ...atResponse, requestAtEnd: listeners(request) }));
    });
  });
}

describe('the recorder changes nothing the app can see', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    propagation.disable();
    trace.disable();
    diag.disable();
  });

  it('the server receives the same headers as without it, no traceparent, and no tracer is asked for, even with a propagator and a tracer provider registered', async () => {
    // A propagator that writes a traceparent into any carrier it is given, and a tracer provider
    // that counts who asks it for a tracer: code that injected or traced would show here.
    propagation.setGlobalPropagator({
      inject(_context: Context, carrier: unknown, setter: TextMapSetter) {
        setter.set(carrier, 'traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      },
      extract: (context: Context) => context,
      fields: () => ['traceparent'],
    });
    let tracersAskedFor = 0;
    const provider: TracerProvider = {
      getTracer() {
        tracersAskedFor++;
        return trace.getTracerProvider().getTracer('never');
      },
    };
    trace.setGlobalTracerProvider(provider);

    const headersOf = async (): Promise<string[][]> => {
      const first = server.received.length;
      await send({ host: HOST, port: server.port, path: '/', headers: { 'x-app': 'mine' } });
      await (await fetch(`${server.origin}/`, { headers: { 'x-app': 'mine' } })).text();
      return server.received.slice(first).map((request) => [...request.rawHeaders]);
    };
    const without = await headersOf();
    const metrics = new TestMetrics();
    const recorder = recordHttpClientMetrics(metrics.meterProvider.getMeter('test'), {
      http: true,
      undici: true,
    });
    const withRecorder = await headersOf();
    recorder.stop();

    expect(withRecorder).toEqual(without);
    expect(withRecorder.flat().map((value) => value.toLowerCase())).not.toContain('traceparent');
    expect(tracersAskedFor).toBe(0);
    expect((await clientCounts(metrics)).map((point) => point.count)).toEqual([2]);
    await metrics.shutdown();
  });

  it('no listener is added to the request, the response or the socket', async () => {
    const without = await observedListeners(server);
    const metrics = new TestMetrics();
    const recorder = recordHttpClientMetrics(metrics.meterProvider.getMeter('test'), {
      http: true,
      undici: true,
    });
    const withRecorder = await observedListeners(server);
    recorder.stop();
    expect(withRecorder).toEqual(without);
    expect((await clientCounts(metrics)).map((point) => point.count)).toEqual([1]);
    await metrics.shutdown();
  });

  it('the error the app sees is the object Node and undici published, untouched', async () => {
    const port = await freePort();
    const failures = async (): Promise<{ http: Error; fetch: unknown; published: unknown[] }> => {
      const published: unknown[] = [];
      const observe = (message: unknown): void => {
        published.push((message as { error: unknown }).error);
      };
      subscribe('http.client.request.error', observe);
      subscribe('undici:request:error', observe);
      try {
        const { error } = await send({ host: HOST, port, path: '/' });
        const fetchError = await fetch(`http://${HOST}:${port}/`).catch((reason: unknown) => reason);
        return { http: error as Error, fetch: fetchError, published };
      } finally {
        unsubscribe('http.client.request.error', observe);
        unsubscribe('undici:request:error', observe);
      }
    };
    const shape = (error: unknown): unknown => {
      const { code, syscall, name, message } = error as NodeJS.ErrnoException;
      return { keys: Object.keys(error as object).sort(), code, syscall, name, message };
    };
    const without = await failures();
    const metrics = new TestMetrics();
    const recorder = recordHttpClientMetrics(metrics.meterProvider.getMeter('test'), {
      http: true,
      undici: true,
    });
    const withRecorder = await failures();
    recorder.stop();

    const fetchCause = (withRecorder.fetch as { cause?: unknown }).cause;
    expect(withRecorder.published).toHaveLength(2);
    expect(withRecorder.published[0]).toBe(withRecorder.http);
    expect(withRecorder.published[1]).toBe(fetchCause);
    expect([shape(withRecorder.http), shape(withRecorder.fetch), shape(fetchCause)]).toEqual([
      shape(without.http),
      shape(without.fetch),
      shape((without.fetch as { cause?: unknown }).cause),
    ]);
    expect(
      (await clientCounts(metrics)).map((point) => [point.attributes['error.type'], point.count]),
    ).toEqual([['ECONNREFUSED', 2]]);
    await metrics.shutdown();
  });

  it('a histogram that throws: every request behaves as without us, nothing is uncaught, one diag error', async () => {
    const port = await freePort();
    const traffic = async (): Promise<unknown[]> => {
      const ok = await send({ host: HOST, port: server.port, path: '/' });
      const failed = await send({ host: HOST, port: server.port, path: '/status/500' });
      const refused = await send({ host: HOST, port, path: '/' });
      const fetched = await fetch(`${server.origin}/`);
      const fetchRefused = await fetch(`http://${HOST}:${port}/`).catch(
        (error: { cause?: NodeJS.ErrnoException }) => error.cause?.code,
      );
      return [
        [ok.status, ok.body],
        [failed.status, failed.body],
        (refused.error as NodeJS.ErrnoException).code,
        [fetched.status, await fetched.text()],
        fetchRefused,
      ];
    };
    const without = await traffic();

    let attempts = 0;
    const throwingMeter = {
      createHistogram: () => ({
        record() {
          attempts++;
          throw new Error('histogram exploded');
        },
      }),
    } as unknown as Meter;
    const logged: Record<'error' | 'debug', unknown[][]> = { error: [], debug: [] };
    const logger: DiagLogger = {
      error: (...args) => logged.error.push(args),
      warn: () => {},
      info: () => {},
      debug: (...args) => logged.debug.push(args),
      verbose: () => {},
    };
    diag.setLogger(logger, DiagLogLevel.DEBUG);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    const recorder = recordHttpClientMetrics(throwingMeter, { http: true, undici: true });
    try {
      const withFaults = await traffic();
      await new Promise((resolve) => setImmediate(resolve));
      expect(withFaults).toEqual(without);
    } finally {
      recorder.stop();
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(attempts).toBe(5);
    expect(logged.error).toHaveLength(1);
    // Our message, then the fault.
    expect(logged.error[0]?.[0]).toBe(
      '@va/otel-register/http-client: observing a request failed; the application goes on, some data may be missing',
    );
    expect(String(logged.error[0]?.[1])).toBe('Error: histogram exploded');
    expect(
      logged.debug.filter(
        (args) => args[0] === '@va/otel-register/http-client: observing a request failed again',
      ),
    ).toHaveLength(4);
  });

  it('stop() unsubscribes from every channel; the options choose which clients are measured', async () => {
    expect(subscribedChannels()).toEqual([]);
    const metrics = new TestMetrics();
    const meter = metrics.meterProvider.getMeter('test');

    const httpOnly = recordHttpClientMetrics(meter, { http: true, undici: false });
    expect(subscribedChannels()).toEqual(NODE_CHANNELS);
    await send({ host: HOST, port: server.port, path: '/' });
    await (await fetch(`${server.origin}/`)).text();
    httpOnly.stop();
    httpOnly.stop();
    expect(subscribedChannels()).toEqual([]);

    const fetchOnly = recordHttpClientMetrics(meter, { http: false, undici: true });
    expect(subscribedChannels()).toEqual(UNDICI_CHANNELS);
    await send({ host: HOST, port: server.port, path: '/status/201' });
    await (await fetch(`${server.origin}/status/202`)).text();
    fetchOnly.stop();
    expect(subscribedChannels()).toEqual([]);

    // After stop(), nothing more is recorded.
    await send({ host: HOST, port: server.port, path: '/status/203' });
    await (await fetch(`${server.origin}/status/204`)).text();
    expect(
      (await clientCounts(metrics)).map((point) => [
        point.attributes['http.response.status_code'],
        point.count,
      ]),
    ).toEqual([
      [200, 1],
      [202, 1],
    ]);
    await metrics.shutdown();
  });
});
