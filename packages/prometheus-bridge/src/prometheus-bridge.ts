// The pull MetricReader: collects on demand (a scrape, or render()), serializes with serializer.ts and
// serves the result standalone (metrics-server.ts) or through a handler mounted in the user's server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type CollectionResult,
  InstrumentType,
  MetricReader,
  type MetricReaderOptions,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { BufferPool } from './buffer-pool.js';
import { collectMerged, type MergeSource } from './collect-merged.js';
import { CumulativeStore } from './cumulative-store.js';
import { type ExpositionFormat, negotiateFormat } from './exposition-format.js';
import { BUFFER_SIZE, ExpositionWriter } from './exposition-writer.js';
import { ExpositionResponse, sendJson, sendText } from './http-response.js';
import { createMetricsAuth, type MetricsAuth, type MetricsAuthOptions } from './metrics-auth.js';
import { MetricsServer } from './metrics-server.js';
import { RenderCache } from './render-cache.js';
import { type SerializeStats, writeExposition } from './serializer.js';
import { runSliced, SliceBudget, sliceMillisOption, yieldFullTurn } from './sliced-work.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** Options of {@link PrometheusBridge}. Every option is optional. */
export interface PrometheusBridgeOptions {
  /**
   * Prepended to every metric name with `_` (not to `target_info`). Default `''`: none, as upstream's
   * exporter; @va/otel-sdk passes its own (VA_PROMETHEUS_PREFIX).
   */
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
   * How long a render (and the adding and merging before it) may run before it lets the event loop take
   * other work (ms). Default 5, which leaves room under 15 ms for a garbage collection landing in a slice;
   * 0 yields after every step (tests use it).
   */
  renderSliceMillis?: number;
  /**
   * Collections of other processes to merge into every scrape: a cluster primary's workers
   * (`() => clusterPrimary.collect()`, see ClusterMetricsPrimary). Default: none, the scrape is this
   * process's collection alone.
   */
  mergeSource?: MergeSource;
  /**
   * What `forceFlush()` does. A pull exporter holds nothing to flush, so by default nothing; a process
   * whose metrics another process serves (a child process under the register) sends them there, before it
   * may exit.
   */
  flush?: () => Promise<void>;
  /**
   * Credentials the metrics endpoint requires (bearer token and/or basic auth), on the standalone server
   * and in getMetricsRequestHandler(); `/health` stays open for probes. Default: none, anyone may scrape.
   */
  auth?: MetricsAuthOptions;
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
    /**
     * Collection plus serialization time of the last scrape; for a streamed one, until its last buffer was
     * handed on (a client that reads slowly lengthens it).
     */
    durationMs: number;
    /** Size of the last exposition in bytes, before compression. */
    bytes: number;
    /** Errors the last collection reported. */
    errors: number;
  };
}

const DEFAULT_PREFIX = '';
const DEFAULT_HOST = '0.0.0.0';
const DEFAULT_PORT = 9464;
const DEFAULT_ENDPOINT = '/metrics';
// Observable callbacks that hang must not hang every scrape after them (scrapes are coalesced).
// Prometheus' default scrape timeout is 10 s.
const COLLECT_TIMEOUT_MS = 10_000;
// Free buffers kept for the next scrape (4 MiB): enough for the few buffers a streamed or decoded scrape
// has in flight at once, whatever its size (rendering pauses while 1 MiB waits for the client).
const POOL_LIMIT = 4;

interface Collection {
  resourceMetrics: ResourceMetrics;
  errors: number;
  /** performance.now() when collecting began. */
  started: number;
}

/**
 * Receives the exposition's buffers, in order, as they fill up; it owns them from then on (and releases
 * them to the pool once consumed). A returned promise pauses the serialization until it resolves (the
 * client is slow); a rejected one ends it (the client went away).
 */
type ExpositionSink = (buffers: Buffer[]) => Promise<void> | undefined;

/**
 * A pull MetricReader that renders OpenTelemetry metrics as Prometheus text exposition format 0.0.4,
 * following the OpenTelemetry Prometheus compatibility naming rules. Serves them on its own server
 * (`http://0.0.0.0:9464/metrics` and `/health`) or through {@link getMetricsRequestHandler} in yours.
 * What it renders is always cumulative; see {@link collect}.
 */
export class PrometheusBridge extends MetricReader {
  private readonly _prefix: string;
  private readonly _withScopeLabels: boolean;
  private readonly _withTargetInfo: boolean;
  private readonly _sliceMillis: number;
  private readonly _server: MetricsServer;
  private readonly _mergeSource: MergeSource | undefined;
  private readonly _flush: (() => Promise<void>) | undefined;
  private readonly _auth: MetricsAuth | undefined;
  private readonly _pool = new BufferPool(BUFFER_SIZE, POOL_LIMIT);
  private _collecting: Promise<Collection> | undefined;
  // What rendering worked out about the store's series, kept for the next scrape.
  private readonly _renderCache = new RenderCache();
  private readonly _store = new CumulativeStore(this._renderCache);
  // Collections are added to the store one after the other, each exactly once.
  private _adding: Promise<unknown> = Promise.resolve();
  // Only the figures of the last scrape: its buffers must not outlive the responses that use them.
  private _last:
    | { stats: SerializeStats; errors: number; bytes: number; at: string; durationMs: number }
    | undefined;

  constructor(options: PrometheusBridgeOptions = {}) {
    super({
      aggregationSelector: options.aggregationSelector,
      cardinalitySelector: options.cardinalitySelector,
      aggregationTemporalitySelector: temporalityFor,
    });
    this._prefix = options.prefix ?? DEFAULT_PREFIX;
    this._withScopeLabels = options.withScopeLabels ?? true;
    this._withTargetInfo = options.withTargetInfo ?? true;
    this._sliceMillis = sliceMillisOption(options.renderSliceMillis);
    this._mergeSource = options.mergeSource;
    this._flush = options.flush;
    this._auth = createMetricsAuth(options.auth);
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

  /**
   * The standalone server's address once the start under way (the constructor's, or startServer()'s) has
   * settled: where it listens, or undefined if it does not. Unlike startServer() it starts nothing, so
   * it never binds a server the options prevented, nor tries again (a second warning) after a failure.
   */
  async listeningAddress(): Promise<AddressInfo | undefined> {
    await this._server.started();
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
   * Collects and renders the exposition text, in Prometheus text 0.0.4 or, with `format` `'openmetrics'`,
   * in OpenMetrics text 1.0.0 (serve it with the Content-Type of negotiateFormat() or
   * OPENMETRICS_CONTENT_TYPE). Errors the collection reports (e.g. a throwing observable callback) are
   * logged through diag and noted in a trailing comment (text 0.0.4 only: OpenMetrics has no comments);
   * what was collected is still rendered. Rejects only if collecting is impossible (reader shut down, or not registered with a
   * MeterProvider).
   *
   * The result is one flat string, and joining it is one step proportional to its size, a block of the event
   * loop that grows with the exposition: for large expositions mount
   * {@link getMetricsRequestHandler}, which streams and never holds the whole text.
   */
  async render(format: ExpositionFormat = 'prometheus-text'): Promise<string> {
    const collection = await this._collect();
    // Decoded buffer by buffer as they fill (each holds whole characters: the writer never splits a
    // write), so a buffer goes back to the pool at once.
    const parts: string[] = [];
    await this._serialize(collection, format, (buffers) => {
      for (const buffer of buffers) {
        parts.push(buffer.toString('utf8'));
        this._pool.release(buffer);
      }
      return undefined;
    });
    const text = parts.length === 1 ? (parts[0] as string) : parts.join('');
    // The join above is a block of its own; what the caller does with the string (encode it for a
    // socket: another pass over all of it) starts in the next turn rather than adding to it.
    if (text.length > BUFFER_SIZE) await yieldFullTurn();
    return text;
  }

  /**
   * A node:http handler serving the exposition, to mount in your own server at any path (Express:
   * `app.get('/metrics', handler)`). Answers GET and HEAD in the format the Accept header prefers
   * (OpenMetrics for Prometheus, text 0.0.4 by default: negotiateFormat()), gzips when the client accepts
   * it, 405 otherwise;
   * 401 without the credentials of the `auth` option, when given.
   * Large expositions are streamed (chunked) while they are rendered; small ones carry a Content-Length.
   */
  getMetricsRequestHandler(): (request: IncomingMessage, response: ServerResponse) => void {
    const serve = (request: IncomingMessage, response: ServerResponse): void => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        sendText(response, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
        return;
      }
      const { format, contentType } = negotiateFormat(request.headers.accept);
      const exposition = new ExpositionResponse(request, response, this._pool, contentType);
      this._collect()
        .then((collection) => this._serialize(collection, format, (buffers) => exposition.write(buffers)))
        .then(() => exposition.end())
        .catch((error: unknown) => {
          if (exposition.aborted) return; // the client went away: nothing to answer, nothing wrong here
          diagLogger.error('could not render metrics', error);
          if (response.headersSent) response.destroy();
          else sendText(response, 500, `# could not render metrics: ${String(error)}`);
        });
    };
    return this._auth === undefined ? serve : this._auth.protect(serve);
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

  /**
   * Collects, and returns every series as a cumulative total (what Prometheus expects), as a MetricReader
   * with cumulative temporality would. Internally the SDK is asked for deltas of its synchronous counters,
   * up-down counters and histograms, and the bridge adds them up itself in slices (cumulative-store.ts):
   * the SDK's own cumulative merge is one synchronous block as long as the number of series.
   */
  override async collect(options?: Parameters<MetricReader['collect']>[0]): Promise<CollectionResult> {
    const collected = await super.collect(options);
    // The SDK's pass was one block of the event loop; the first slice of adding starts in a later turn
    // rather than lengthening it.
    const added = this._adding.then(async () => {
      await yieldFullTurn();
      return runSliced(this._store.add(collected.resourceMetrics), this._sliceMillis);
    });
    this._adding = added.catch(() => {});
    return { resourceMetrics: await added, errors: collected.errors };
  }

  protected override onShutdown(): Promise<void> {
    this._pool.clear();
    return this._server.stop();
  }

  protected override onForceFlush(): Promise<void> {
    // A pull exporter holds nothing to flush: the next scrape collects, unless another process serves ours.
    return this._flush?.() ?? Promise.resolve();
  }

  // Concurrent scrapes share the collection already running instead of piling up collections (each
  // serializes it for itself: the collected data is not changed by serializing it).
  private _collect(): Promise<Collection> {
    if (this._collecting === undefined) {
      const started = performance.now();
      this._collecting = collectMerged(
        () => this.collect({ timeoutMillis: COLLECT_TIMEOUT_MS }),
        this._mergeSource,
        this._sliceMillis,
      )
        .then(({ resourceMetrics, errors }) => {
          if (errors.length > 0) diagLogger.error('metrics collection reported errors', ...errors);
          return { resourceMetrics, errors: errors.length, started };
        })
        .finally(() => {
          this._collecting = undefined;
        });
    }
    return this._collecting;
  }

  /**
   * Serializes in slices of renderSliceMillis, letting the event loop run between them, and hands the
   * buffers to `sink` as they fill up (the time the sink takes, and a wait for the client that ends within
   * the same turn of the event loop, count towards the slice). Returns the exposition's size in bytes.
   */
  private async _serialize(
    collection: Collection,
    format: ExpositionFormat,
    sink: ExpositionSink,
  ): Promise<number> {
    // The SDK's collection was one synchronous pass (it cannot be split from here); don't add the first
    // slice to that block.
    await yieldFullTurn();
    const stats: SerializeStats = { counters: 0, gauges: 0, histograms: 0, series: 0 };
    const writer = new ExpositionWriter(this._pool);
    const options = {
      prefix: this._prefix,
      withScopeLabels: this._withScopeLabels,
      withTargetInfo: this._withTargetInfo,
      format,
    };
    // Waiting for the client may end within the same turn of the event loop: the budget counts the time
    // since the loop last went round, waits included (sliced-work.ts).
    const budget = new SliceBudget(this._sliceMillis);
    const steps = writeExposition(writer, collection.resourceMetrics, options, stats, this._renderCache);
    while (steps.next().done !== true) {
      const full = writer.take();
      const paused = full.length > 0 ? sink(full) : undefined;
      if (paused !== undefined) await budget.wait(paused);
      const turn = budget.next();
      if (turn !== undefined) await turn;
    }
    // A comment line: ignored by Prometheus, visible to whoever reads the page. OpenMetrics allows no
    // comments (and nothing after its `# EOF`).
    const { errors } = collection;
    if (errors > 0 && format === 'prometheus-text')
      writer.text(`# ${errors} collection error(s): see the diag log; the rest is complete\n`);
    const bytes = writer.length;
    const rest = writer.finish();
    this._last = {
      stats,
      errors,
      bytes,
      at: new Date().toISOString(),
      durationMs: Math.round((performance.now() - collection.started) * 100) / 100,
    };
    if (rest.length > 0) await sink(rest);
    return bytes;
  }
}

/**
 * Deltas for the synchronous instruments whose totals the bridge keeps (cumulative-store.ts); cumulative for
 * the rest, which the SDK reports whole anyway (gauges, observable instruments).
 */
function temporalityFor(type: InstrumentType): AggregationTemporality {
  return type === InstrumentType.COUNTER ||
    type === InstrumentType.UP_DOWN_COUNTER ||
    type === InstrumentType.HISTOGRAM
    ? AggregationTemporality.DELTA
    : AggregationTemporality.CUMULATIVE;
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
