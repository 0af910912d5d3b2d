// The standalone node:http server: routes the metrics endpoint and /health, and keeps the promises of
// "never break the host": it never holds the process open, never throws or rejects when its port is
// taken (it warns once and the application goes on), and marks itself so HTTP instrumentation can
// leave scrapes out of the application's own request metrics.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface MetricsServerOptions {
  host: string;
  port: number;
  endpoint: string;
  onMetrics: Handler;
  onHealth: Handler;
}

const HEALTH_PATH = '/health';
const ALLOWED_METHODS = 'GET, HEAD';

/** Internal: one node:http server with start/stop that never throw. */
export class MetricsServer {
  readonly server: Server;
  private readonly _options: MetricsServerOptions;
  private _starting: Promise<void> | undefined;

  constructor(options: MetricsServerOptions) {
    this._options = options;
    this.server = createServer((request, response) => this._route(request, response));
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
      this.server.listen(port, host);
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
    } else {
      handler(request, response);
    }
  }
}
