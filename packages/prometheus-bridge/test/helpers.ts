// Shared test helpers: a MeterProvider wired to a bridge, raw HTTP requests, a capturing diag logger.

import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { PrometheusBridge, type PrometheusBridgeOptions } from '../src/index.js';

export interface Setup {
  bridge: PrometheusBridge;
  provider: MeterProvider;
}

/** A MeterProvider whose only reader is a bridge that starts no server. */
export function setup(
  options: PrometheusBridgeOptions = {},
  provider: { resource?: Resource; views?: ViewOptions[] } = {},
): Setup {
  const bridge = new PrometheusBridge({ preventServerStart: true, ...options });
  const meterProvider = new MeterProvider({
    readers: [bridge],
    resource: provider.resource ?? resourceFromAttributes({}),
    views: provider.views ?? [],
  });
  return { bridge, provider: meterProvider };
}

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request to 127.0.0.1; the body is returned raw (not decompressed). */
export function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`request to ${path} timed out`)));
    req.end();
  });
}

/** Listens on 127.0.0.1 with an ephemeral port; resolves to the port. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface CapturedLog {
  level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  message: string;
}

/** Routes diag to an array (at WARN and above) until `restore()`. */
export function captureDiag(): { logs: CapturedLog[]; restore: () => void } {
  const logs: CapturedLog[] = [];
  const record =
    (level: CapturedLog['level']) =>
    (...args: unknown[]) => {
      logs.push({ level, message: args.map(String).join(' ') });
    };
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { logs, restore: () => diag.disable() };
}
