// The pull MetricReader: collects on demand (a scrape, or render()), serializes with serializer.ts and
// serves the result standalone (metrics-server.ts) or through a handler mounted in the user's server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import {
  AggregationTemporality,
  MetricReader,
  type MetricReaderOptions,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { ExpositionWriter } from './exposition-writer.js';
import { sendExposition, sendJson, sendText } from './http-response.js';
import { MetricsServer } from './metrics-server.js';
import { type SerializeStats, writeExposition } from './serializer.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** Options of {@link PrometheusBridge}. Every option is optional. */
export interface PrometheusBridgeOptions {
  /** Prepended to every metric name with `_`; `''` for none. Default `'voice_agent'`. */
  prefix?: string;
  /** Address the standalone server listens on. Default `'0.0.0.0'`. */
  host?: string;
  /** Port of the standalone server; `0` picks a free port (read it from `bridge.port`). Default `9464`. */
  port?: number;
  /** Path of the metrics endpoint on the standalone server. Default `'/metrics'`. */
  endpoint?: string;
  /** Don't start the standalone server in the constructor (mount the handler, or call `startServer()`). Default `false`. */
  preventServerStart?: boolean;
  /** Add `otel_scope_name` / `otel_scope_version` labels to every series. Default `true`. */
  withScopeLabels?: boolean;
  /** Render the `target_info` gauge carrying the resource attributes. Default `true`. */
  withTargetInfo?: boolean;
  /** Cardinality limit per instrument type, passed to MetricReader. Default: the SDK's (2000). */
  cardinalitySelector?: MetricReaderOptions['cardinalitySelector'];
  /** Aggregation per instrument type, passed to MetricReader. Default: the SDK's defaults. */
  aggregationSelector?: MetricReaderOptions['aggregationSelector'];
  /**
   * How long a render may run before it lets the event loop take other work (ms). Default 8, which
   * keeps a large scrape's blocks well under 15 ms; 0 yields after every step (tests use it).
   */
  renderSliceMillis?: number;
}

/** What {@link PrometheusBridge.health} reports; plain JSON. */
export interface PrometheusBridgeHealth {
  /** `degraded` when the last collection reported errors (e.g. a throwing observable callback). */
  status: 'healthy' | 'degraded';
  prefix: string;
  /** Metric families rendered by the last scrape, by Prometheus type. */
  metrics: { counters: number; gauges: number; histograms: number };
  /** Series (data points) rendered by the last scrape; a histogram series counts once. */
  series: number;
  lastScrape: {
    /** When the last scrape finished (ISO 8601), `null` before the first. */
    at: string | null;
    /** Collection plus serialization time of the last scrape. */
    durationMs: number;
    /** Size of the last exposition in bytes, before compression. */
    bytes: number;
    /** Errors the last collection reported. */
    errors: number;
  };
}

const DEFAULT_PREFIX = 'voice_agent';
const DEFAULT_HOST = '0.0.0.0';
const DEFAULT_PORT = 9464;
const DEFAULT_ENDPOINT = '/metrics';
// Observable callbacks that hang must not hang every scrape after them (scrapes are coalesced).
// Prometheus' default scrape timeout is 10 s.
const COLLECT_TIMEOUT_MS = 10_000;
// Serialize at most this long before letting other work run (target: no block > 15 ms).
const DEFAULT_SLICE_MS = 8;

interface Rendered {
  /** The exposition as UTF-8, in order. */
  buffers: Buffer[];
  bytes: number;
  /** Whether all bytes are ASCII (see ExpositionWriter.ascii). */
  ascii: boolean;
  stats: SerializeStats;
  errors: number;
}

/**
 * A pull MetricReader that renders OpenTelemetry metrics as Prometheus text exposition format 0.0.4,
 * following the OpenTelemetry Prometheus compatibility naming rules. Serves them on its own server
 * (`http://0.0.0.0:9464/metrics` and `/health`) or through {@link getMetricsRequestHandler} in yours.
 * Temporality is always cumulative.
 */
export class PrometheusBridge extends MetricReader {
  private readonly _prefix: string;
  private readonly _withScopeLabels: boolean;
  private readonly _withTargetInfo: boolean;
  private readonly _sliceMillis: number;
  private readonly _server: MetricsServer;
  private _inflight: Promise<Rendered> | undefined;
  // Only the figures of the last scrape: its buffers must not outlive the responses that use them.
  private _last:
    | { stats: SerializeStats; errors: number; bytes: number; at: string; durationMs: number }
    | undefined;

  constructor(options: PrometheusBridgeOptions = {}) {
    super({
      aggregationSelector: options.aggregationSelector,
      cardinalitySelector: options.cardinalitySelector,
      // Prometheus counters and histograms are cumulative; delta data could not be rendered correctly.
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
    });
    this._prefix = options.prefix ?? DEFAULT_PREFIX;
    this._withScopeLabels = options.withScopeLabels ?? true;
    this._withTargetInfo = options.withTargetInfo ?? true;
    this._sliceMillis =
      options.renderSliceMillis !== undefined && options.renderSliceMillis >= 0
        ? options.renderSliceMillis
        : DEFAULT_SLICE_MS;
    this._server = new MetricsServer({
      host: options.host ?? DEFAULT_HOST,
      port: validPort(options.port),
      endpoint: validEndpoint(options.endpoint),
      onMetrics: this.getMetricsRequestHandler(),
      onHealth: (request, response) => sendJson(request, response, 200, this.health()),
    });
    if (options.preventServerStart !== true) void this._server.start();
  }

  /** The port the standalone server listens on, once it does (useful with `port: 0`). */
  get port(): number | undefined {
    return this._server.address?.port;
  }

  /** The address the standalone server listens on, once it does. */
  get address(): AddressInfo | undefined {
    return this._server.address;
  }

  /** Starts the standalone server. Always resolves; if the port cannot be bound, warns once through diag. */
  startServer(): Promise<void> {
    return this._server.start();
  }

  /** Stops the standalone server. Always resolves. */
  stopServer(): Promise<void> {
    return this._server.stop();
  }

  /**
   * Collects and renders the exposition text. Errors the collection reports (e.g. a throwing observable
   * callback) are logged through diag and noted in a trailing comment; what was collected is still
   * rendered. Rejects only if collecting is impossible (reader shut down, or not registered with a
   * MeterProvider).
   */
  async render(): Promise<string> {
    const { buffers, ascii } = await this._render();
    // Decoded buffer by buffer, yielding in between (each buffer holds whole characters: the writer never
    // splits a write), then joined: the join is the only step proportional to the whole exposition.
    const encoding = ascii ? 'latin1' : 'utf8';
    const parts: string[] = [];
    let sliceStart = performance.now();
    for (const buffer of buffers) {
      parts.push(buffer.toString(encoding));
      if (performance.now() - sliceStart >= this._sliceMillis) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    return parts.join('');
  }

  /**
   * A node:http handler serving the exposition, to mount in your own server at any path (Express:
   * `app.get('/metrics', handler)`). Answers GET and HEAD, gzips when the client accepts it, 405 otherwise.
   */
  getMetricsRequestHandler(): (request: IncomingMessage, response: ServerResponse) => void {
    return (request, response) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        sendText(response, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
        return;
      }
      this._render()
        .then((rendered) => sendExposition(request, response, rendered.buffers, rendered.bytes))
        .catch((error: unknown) => {
          diagLogger.error('could not render metrics', error);
          sendText(response, 500, `# could not render metrics: ${String(error)}`);
        });
    };
  }

  /** Health of the bridge with counts from the last scrape; plain JSON (served at `/health`). */
  health(): PrometheusBridgeHealth {
    const last = this._last;
    return {
      status: last !== undefined && last.errors > 0 ? 'degraded' : 'healthy',
      prefix: this._prefix,
      metrics: {
        counters: last?.stats.counters ?? 0,
        gauges: last?.stats.gauges ?? 0,
        histograms: last?.stats.histograms ?? 0,
      },
      series: last?.stats.series ?? 0,
      lastScrape: {
        at: last?.at ?? null,
        durationMs: last?.durationMs ?? 0,
        bytes: last?.bytes ?? 0,
        errors: last?.errors ?? 0,
      },
    };
  }

  protected override onShutdown(): Promise<void> {
    return this._server.stop();
  }

  protected override onForceFlush(): Promise<void> {
    // A pull exporter holds nothing to flush: the next scrape collects.
    return Promise.resolve();
  }

  // Concurrent scrapes share the collection already running instead of piling up collections.
  private _render(): Promise<Rendered> {
    if (this._inflight === undefined) {
      this._inflight = this._collectAndSerialize().finally(() => {
        this._inflight = undefined;
      });
    }
    return this._inflight;
  }

  private async _collectAndSerialize(): Promise<Rendered> {
    const started = performance.now();
    const { resourceMetrics, errors } = await this.collect({ timeoutMillis: COLLECT_TIMEOUT_MS });
    if (errors.length > 0) diagLogger.error('metrics collection reported errors', ...errors);
    const rendered = await this._serialize(resourceMetrics, errors.length);
    this._last = {
      stats: rendered.stats,
      errors: rendered.errors,
      bytes: rendered.bytes,
      at: new Date().toISOString(),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    return rendered;
  }

  // Serializes in slices of renderSliceMillis, letting the event loop run between them.
  private async _serialize(resourceMetrics: ResourceMetrics, errors: number): Promise<Rendered> {
    const stats: SerializeStats = { counters: 0, gauges: 0, histograms: 0, series: 0 };
    const writer = new ExpositionWriter();
    const options = {
      prefix: this._prefix,
      withScopeLabels: this._withScopeLabels,
      withTargetInfo: this._withTargetInfo,
    };
    let sliceStart = performance.now();
    const steps = writeExposition(writer, resourceMetrics, options, stats);
    while (steps.next().done !== true) {
      if (performance.now() - sliceStart >= this._sliceMillis) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    // A comment line: ignored by Prometheus, visible to whoever reads the page.
    if (errors > 0) writer.text(`# ${errors} collection error(s): see the diag log; the rest is complete\n`);
    return { buffers: writer.finish(), bytes: writer.length, ascii: writer.ascii, stats, errors };
  }
}

function validPort(port: number | undefined): number {
  if (port === undefined) return DEFAULT_PORT;
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  diagLogger.warn(`invalid port ${String(port)}: expected an integer 0..65535; using ${DEFAULT_PORT}`);
  return DEFAULT_PORT;
}

function validEndpoint(endpoint: string | undefined): string {
  if (endpoint === undefined || endpoint === '') return DEFAULT_ENDPOINT;
  return endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
}
