// The server side of HTTP metrics, from Node's own diagnostics channels instead of a patched
// `Server.prototype.emit`: no span, no context, no closure per request. Node publishes every
// incoming request on `http.server.request.start` (Node ≥ 18.7) before any user handler runs; the
// response's `close` event then fires exactly once, after `finish` or when the client went away,
// so `http.server.active_requests` always returns to zero and each request is measured once.
// Attribute sets are prepared (server-attribute-sets.ts), so a record() skips the SDK's attribute hash
// (its cost: docs/benchmarks.md, record hot path).
// https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html#http
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  diag,
  type Histogram,
  type Meter,
  type ObservableResult,
  type ObservableUpDownCounter,
} from '@opentelemetry/api';
import { isBridgeServer } from '@va/prometheus-bridge';
import { createHistogramFor, HTTP_SERVER_ACTIVE_REQUESTS, HTTP_SERVER_REQUEST_DURATION } from '@va/semconv';
import { IN_FLIGHT, type RouteHolder, readFastifyRoutes, routeOf } from './http-route.js';
import { normalizeMethod, ServerAttributeSets } from './server-attribute-sets.js';

const REQUEST_START = 'http.server.request.start';

export interface HttpServerMetricsOptions {
  /** Record the server request duration histogram (false: upstream instrumentation-http records it). */
  duration: boolean;
  /** Take `http.route` from Express's `req.route`. */
  expressRoutes: boolean;
  /** Take `http.route` from Fastify's diagnostics channel. */
  fastifyRoutes: boolean;
}

export interface HttpServerMetrics {
  stop(): void;
}

interface RequestStartMessage {
  request: IncomingMessage;
  response: ServerResponse;
  server: unknown;
}

/** What a request carries from its start to its response's `close`; one small object per request. */
interface InFlight extends RouteHolder {
  readonly request: IncomingMessage;
  readonly startedAt: number;
  readonly method: string;
  readonly scheme: 'http' | 'https';
}

type TrackedResponse = ServerResponse & { [IN_FLIGHT]?: InFlight };
type TrackedRequest = IncomingMessage & { [IN_FLIGHT]?: InFlight };

/** Requests in flight per (method, scheme): at most 10 × 2 entries, methods being normalized. */
class InFlightCounts {
  private readonly _counts = new Map<string, { method: string; scheme: string; count: number }>();

  add(method: string, scheme: string, delta: number): void {
    const key = `${method} ${scheme}`;
    const entry = this._counts.get(key);
    if (entry === undefined) this._counts.set(key, { method, scheme, count: delta });
    else entry.count += delta;
  }

  /** Zeros too: a series that drops to 0 must say 0, not disappear. */
  observe(result: ObservableResult, sets: ServerAttributeSets): void {
    for (const { method, scheme, count } of this._counts.values()) {
      result.observe(count, sets.active(method, scheme));
    }
  }
}

const logger = diag.createComponentLogger({ namespace: '@va/otel-register/http-server' });

export function recordHttpServerMetrics(meter: Meter, options: HttpServerMetricsOptions): HttpServerMetrics {
  // In-flight requests are plain integers, read when a reader collects: two SDK calls per request
  // saved, and the value is exactly what is in flight at collection time.
  const inFlightCounts = new InFlightCounts();
  const active: ObservableUpDownCounter = meter.createObservableUpDownCounter(
    HTTP_SERVER_ACTIVE_REQUESTS.name,
    { unit: HTTP_SERVER_ACTIVE_REQUESTS.unit, description: HTTP_SERVER_ACTIVE_REQUESTS.description },
  );
  const observeActive = (result: ObservableResult): void => inFlightCounts.observe(result, sets);
  active.addCallback(observeActive);
  const duration: Histogram | undefined = options.duration
    ? createHistogramFor(meter, HTTP_SERVER_REQUEST_DURATION)
    : undefined;
  const sets = new ServerAttributeSets();
  const { expressRoutes } = options;

  // One function for every response: `this` is the response (EventEmitter calls listeners so).
  function onResponseClose(this: TrackedResponse): void {
    try {
      const inFlight = this[IN_FLIGHT];
      if (inFlight === undefined) return;
      this[IN_FLIGHT] = undefined;
      inFlightCounts.add(inFlight.method, inFlight.scheme, -1);
      if (duration === undefined) return;
      const seconds = (performance.now() - inFlight.startedAt) / 1000;
      const finished = this.writableFinished;
      const statusCode = finished || this.headersSent ? this.statusCode : undefined;
      duration.record(
        seconds,
        sets.duration({
          method: inFlight.method,
          scheme: inFlight.scheme,
          protocolVersion: inFlight.request.httpVersion,
          statusCode,
          route: routeOf(inFlight.request, expressRoutes),
          errorType: !finished
            ? 'aborted'
            : statusCode !== undefined && statusCode >= 500 && statusCode <= 599
              ? String(statusCode)
              : undefined,
        }),
      );
    } catch (error) {
      logger.debug('could not record a server request', error);
    }
  }

  const onRequestStart = (message: unknown): void => {
    try {
      const { request, response, server } = message as RequestStartMessage;
      // Scrapes of our own metrics server are not the application's traffic.
      if (isBridgeServer(server)) return;
      const encrypted = (request.socket as { encrypted?: boolean } | null)?.encrypted === true;
      const inFlight: InFlight = {
        request,
        startedAt: performance.now(),
        method: normalizeMethod(request.method),
        scheme: encrypted ? 'https' : 'http',
        route: undefined,
        expressRoute: undefined,
      };
      (response as TrackedResponse)[IN_FLIGHT] = inFlight;
      (request as TrackedRequest)[IN_FLIGHT] = inFlight;
      inFlightCounts.add(inFlight.method, inFlight.scheme, 1);
      response.on('close', onResponseClose);
    } catch (error) {
      // A malformed message must never reach the app's request handling.
      logger.debug('could not track a server request', error);
    }
  };

  subscribe(REQUEST_START, onRequestStart);
  const stopFastify = options.fastifyRoutes ? readFastifyRoutes() : undefined;
  return {
    stop() {
      unsubscribe(REQUEST_START, onRequestStart);
      active.removeCallback(observeActive);
      stopFastify?.();
    },
  };
}
