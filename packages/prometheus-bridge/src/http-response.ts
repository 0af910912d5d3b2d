// Writing a rendered exposition (or a JSON document) to a node:http response: content type, gzip,
// HEAD. Shared by the standalone server and the handler users mount in their own server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, createGzip } from 'node:zlib';

/** The content type of Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// Metrics text is repetitive: level 1 already shrinks it ~20×, at a fraction of the CPU of the default.
const GZIP_OPTIONS = { level: constants.Z_BEST_SPEED };

/** Whether the client accepts a gzip body (Prometheus always sends `Accept-Encoding: gzip`). */
export function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  if (header === undefined) return false;
  return /\bgzip\b/i.test(Array.isArray(header) ? header.join(',') : header);
}

/**
 * Sends the exposition (UTF-8 bytes in order), gzipped on the libuv thread pool when the client accepts
 * it, without a body for HEAD.
 */
export async function sendExposition(
  request: IncomingMessage,
  response: ServerResponse,
  buffers: readonly Buffer[],
  length: number,
): Promise<void> {
  const gzipped = acceptsGzip(request) ? await gzipAll(buffers) : undefined;
  if (response.destroyed) return;
  response.writeHead(200, {
    'content-type': PROMETHEUS_CONTENT_TYPE,
    'content-length': gzipped === undefined ? length : gzipped.length,
    vary: 'Accept-Encoding',
    ...(gzipped === undefined ? {} : { 'content-encoding': 'gzip' }),
  });
  if (request.method === 'HEAD') {
    response.end();
  } else if (gzipped !== undefined) {
    response.end(gzipped);
  } else {
    response.cork();
    for (const buffer of buffers) response.write(buffer);
    response.end();
    response.uncork();
  }
}

// A gzip stream rather than zlib.gzip(): the parts need not be concatenated into one Buffer first.
function gzipAll(buffers: readonly Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip(GZIP_OPTIONS);
    const output: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => output.push(chunk));
    gzip.on('end', () => resolve(output.length === 1 ? (output[0] as Buffer) : Buffer.concat(output)));
    gzip.on('error', reject);
    for (const buffer of buffers) gzip.write(buffer);
    gzip.end();
  });
}

/** Sends a small JSON document (no body for HEAD). */
export function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  value: unknown,
): void {
  const body = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Sends a short plain-text answer (errors, 404, 405). */
export function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const body = Buffer.from(`${text}\n`, 'utf8');
  response.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
  });
  response.end(body);
}
