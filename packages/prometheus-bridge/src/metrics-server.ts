// The standalone node:http server: routes the metrics endpoint and /health, and keeps the promises of
// "never break the host": it never holds the process open, never throws or rejects when its port is
// taken (it warns once and the application goes on), and marks itself so HTTP instrumentation can
// leave scrapes out of the application's own request metrics. It is also hardened against hostile
// clients (see MetricsServerLimits): bounded time to send a request, bounded idle time, a bounded number of
// connections and of scrapes in flight, so the metrics port cannot be used to starve the application.

import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { diag } from '@opentelemetry/api';
import { sendText } from './http-response.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

// Stored on globalThis under a registered symbol, so the CommonJS and the ES module copies of this
// package (both can be loaded in one process) share one registry.
const SERVERS_KEY = Symbol.for('@va/prometheus-bridge.servers');

function serverRegistry(): WeakSet<object> {
  const holder = globalThis as unknown as Record<symbol, WeakSet<object> | undefined>;
  let servers = holder[SERVERS_KEY];
  if (servers === undefined) {
    servers = new WeakSet<object>();
    holder[SERVERS_KEY] = servers;
  }
  return servers;
}

/**
 * Whether `server` is a metrics server started by a PrometheusBridge (from any copy of this package).
 * HTTP instrumentation uses it to skip scrapes, e.g. in `ignoreIncomingRequestHook`.
 */
export function isBridgeServer(server: unknown): boolean {
  return typeof server === 'object' && server !== null && serverRegistry().has(server);
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * What one client may take from the metrics server. Prometheus sends a GET of a few hundred bytes at once
 * and reads the answer at network speed, so every bound is far above what a scraper needs.
 */
export interface MetricsServerLimits {
  /** Time to send the request headers (slowloris). Node's default is 60 s. */
  headersTimeoutMs: number;
  /** Time to send the whole request; a scrape has no body. Node's default is 300 s. */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above; its default, 30 s, would let them overrun by as much. */
  timeoutCheckIntervalMs: number;
  /** A connection with no traffic either way for this long is closed: a client that stops reading the answer. */
  idleTimeoutMs: number;
  /** Idle keep-alive connections are closed after this (Prometheus reconnects at the next scrape if needed). */
  keepAliveTimeoutMs: number;
  /** Open connections at once; more are closed as they arrive. Every one holds a file descriptor of the app. */
  maxConnections: number;
  /** Metrics requests being answered at once; more get 503 with Retry-After. Each holds its own rendering. */
  maxConcurrentScrapes: number;
}

// Scrapers: one or two Prometheus servers (an HA pair), an agent, someone with curl. 32 connections and 8
// scrapes in flight are several times that, and cap what a flood costs: at most 8 renderings of the
// exposition at once (each keeps at most ~1 MiB queued for its client, http-response.ts), and 32 file
// descriptors of the application's.
export const DEFAULT_LIMITS: MetricsServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  timeoutCheckIntervalMs: 1_000,
  // Above Prometheus' default scrape_timeout (10 s): a scrape that is still waiting for its collection is not
  // cut off, since the collection itself gives up after 10 s (prometheus-bridge.ts).
  idleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 32,
  maxConcurrentScrapes: 8,
};

export interface MetricsServerOptions {
  host: string;
  port: number;
  endpoint: string;
  onMetrics: Handler;
  onHealth: Handler;
  /** Tests shorten the timeouts; the bridge uses the defaults. */
  limits?: Partial<MetricsServerLimits>;
}

const HEALTH_PATH = '/health';
const ALLOWED_METHODS = 'GET, HEAD';
const RETRY_AFTER_SECONDS = '1';

/** The default host: every interface. */
const ALL_INTERFACES = '0.0.0.0';

/** Internal: one node:http server with start/stop that never throw. */
export class MetricsServer {
  readonly server: Server;
  private readonly _options: MetricsServerOptions;
  readonly limits: MetricsServerLimits;
  private _starting: Promise<void> | undefined;
  private _scrapesInFlight = 0;

  constructor(options: MetricsServerOptions) {
    this._options = options;
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.limits = limits;
    this.server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
      },
      (request, response) => this._route(request, response),
    );
    // Tracing instrumentations (upstream instrumentation-http, dd-trace) wrap http.Server.prototype.emit
    // and would turn every scrape into a SERVER span in the application's traces. Our server emits
    // through EventEmitter's own emit, which is what http.Server.prototype.emit is unpatched.
    Object.defineProperty(this.server, 'emit', {
      configurable: true,
      writable: true,
      enumerable: false,
      value: EventEmitter.prototype.emit,
    });
    this.server.maxConnections = limits.maxConnections;
    this.server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
    // Without a listener node:http closes a CONNECT request's connection without a word; answer it like
    // any other method we do not serve.
    this.server.on('connect', (_request, socket: Socket) => refuseConnect(socket));
    serverRegistry().add(this.server);
    // A metrics endpoint must never be the reason a process stays alive: neither the listening socket
    // nor a scraper's keep-alive connection.
    this.server.unref();
    this.server.on('connection', (socket) => socket.unref());
    // Errors after listen (rare: e.g. EMFILE on accept) are reported, never thrown at the host.
    this.server.on('error', (error) => {
      if (this._starting === undefined) diagLogger.error('metrics server error', error);
    });
  }

  /** The bound address once listening. */
  get address(): AddressInfo | undefined {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  /** Resolves once the start under way, if any, has listened or failed. Starts nothing. */
  started(): Promise<void> {
    return this._starting ?? Promise.resolve();
  }

  /** Starts listening; resolves in every case. A failure is warned about once, through diag. */
  start(): Promise<void> {
    if (this.server.listening) return Promise.resolve();
    if (this._starting !== undefined) return this._starting;
    const { host, port } = this._options;
    let resolveStart = () => {};
    this._starting = new Promise<void>((resolve) => {
      resolveStart = resolve;
    });
    const settle = (error?: Error) => {
      this.server.off('listening', onListening);
      this.server.off('error', settle);
      this._starting = undefined;
      if (error !== undefined) {
        const code = (error as NodeJS.ErrnoException).code;
        diagLogger.warn(
          `could not start the Prometheus metrics server on ${host}:${port} (${code ?? error.message}). ` +
            'The application keeps running, but metrics are not served on that port. ' +
            "Choose another port with the bridge's `port` option (or OTEL_EXPORTER_PROMETHEUS_PORT), " +
            'use port 0 for any free port, or mount getMetricsRequestHandler() in your own server.',
        );
      }
      resolveStart();
    };
    const onListening = () => settle();
    const starting = this._starting;
    this.server.once('listening', onListening);
    this.server.once('error', settle);
    try {
      // Node resolves any host given to listen() with dns.lookup, an IP address too, and tracers
      // trace that lookup (dd-trace: a root `dns.lookup` span). Every interface needs no lookup:
      // Node binds `::` (IPv4 too, dual-stack) or, without IPv6, 0.0.0.0.
      if (host === ALL_INTERFACES) this.server.listen(port);
      else this.server.listen(port, host);
    } catch (error) {
      // listen() throws synchronously for arguments it rejects (e.g. a port out of range).
      settle(error instanceof Error ? error : new Error(String(error)));
    }
    return starting;
  }

  /** Stops listening and drops open connections; resolves in every case. */
  async stop(): Promise<void> {
    if (this._starting !== undefined) await this._starting;
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private _route(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const handler =
      path === this._options.endpoint
        ? this._options.onMetrics
        : path === HEALTH_PATH
          ? this._options.onHealth
          : undefined;
    if (handler === undefined) {
      sendText(response, 404, 'Not Found');
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method Not Allowed', { allow: ALLOWED_METHODS });
    } else if (handler === this._options.onMetrics) {
      this._scrape(request, response);
    } else {
      handler(request, response);
    }
  }

  /** Answers a metrics request unless maxConcurrentScrapes are already being answered. */
  private _scrape(request: IncomingMessage, response: ServerResponse): void {
    if (this._scrapesInFlight >= this.limits.maxConcurrentScrapes) {
      sendText(response, 503, 'Service Unavailable: too many scrapes at once', {
        'retry-after': RETRY_AFTER_SECONDS,
      });
      return;
    }
    this._scrapesInFlight++;
    // 'close' comes once per response, whether it completed or the client went away.
    response.once('close', () => {
      this._scrapesInFlight--;
    });
    this._options.onMetrics(request, response);
  }
}

function refuseConnect(socket: Socket): void {
  const body = 'Method Not Allowed\n';
  socket.on('error', () => {}); // the client may already be gone; nothing to report
  socket.end(
    'HTTP/1.1 405 Method Not Allowed\r\n' +
      `Allow: ${ALLOWED_METHODS}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
