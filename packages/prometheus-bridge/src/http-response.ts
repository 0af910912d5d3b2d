// Writing an exposition (or a JSON document) to a node:http response: content type, gzip, HEAD,
// streaming. Shared by the standalone server and the handler users mount in their own server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Writable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';
import type { BufferPool } from './buffer-pool.js';

// Metrics text is repetitive: level 1 already shrinks it many times over, at a fraction of the CPU of the
// default level (sizes plain and gzipped: docs/benchmarks.md, scrape cost).
// Output in 64 KiB chunks rather than 16: a 1 MiB input buffer then comes out in one chunk, which is one
// hop back to the main thread and one write to the socket, not two or three.
const GZIP_OPTIONS = { level: constants.Z_BEST_SPEED, chunkSize: 1 << 16 };

/** Whether the client accepts a gzip body (Prometheus always sends `Accept-Encoding: gzip`). */
export function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  if (header === undefined) return false;
  return /\bgzip\b/i.test(Array.isArray(header) ? header.join(',') : header);
}

// Above this size an exposition is streamed (chunked) while it is rendered, rather than held whole to be
// sent with a Content-Length: memory stays bounded (buffers go back to the pool as the client reads them),
// and the first bytes leave early. Below it, the usual Content-Length response.
const STREAM_THRESHOLD = 1 << 20;
// Rendering pauses while more than this is queued for the client (or for gzip), so a slow client holds
// up its own scrape, not memory.
const HIGH_WATER = 1 << 20;

/**
 * Sends an exposition to a node:http response as the serializer hands over its buffers: gzipped (on the
 * libuv thread pool) when the client accepts it, without a body for HEAD. Each buffer goes back to the pool
 * once written to the socket or consumed by gzip; never earlier.
 */
export class ExpositionResponse {
  /** Whether the client went away before the answer was complete (nothing to answer, nothing wrong). */
  aborted = false;
  private readonly _request: IncomingMessage;
  private readonly _response: ServerResponse;
  private readonly _pool: BufferPool;
  private readonly _gzip: boolean;
  private readonly _contentType: string;
  private _held: Buffer[] = [];
  private _heldBytes = 0;
  /** Where body bytes go once streaming: the response, or a gzip stream piped into it. */
  private _target: Writable | undefined;
  private _streaming = false;

  /** `contentType`: the negotiated format's (exposition-format.ts). */
  constructor(request: IncomingMessage, response: ServerResponse, pool: BufferPool, contentType: string) {
    this._request = request;
    this._response = response;
    this._pool = pool;
    this._gzip = acceptsGzip(request);
    this._contentType = contentType;
  }

  /**
   * Takes the next buffers of the exposition. Returns a promise when rendering should wait for the client
   * (it rejects when the client went away), else `undefined`.
   */
  write(buffers: Buffer[]): Promise<void> | undefined {
    if (this._response.destroyed) return this._abort(buffers);
    if (!this._streaming) {
      for (const buffer of buffers) {
        this._held.push(buffer);
        this._heldBytes += buffer.length;
      }
      if (this._heldBytes < STREAM_THRESHOLD) return undefined;
      this._startStreaming();
      buffers = this._held;
      this._held = [];
    }
    const target = this._target;
    if (target === undefined) {
      // HEAD: the headers are out, there is no body.
      for (const buffer of buffers) this._pool.release(buffer);
      return undefined;
    }
    let flowing = true;
    for (const buffer of buffers) {
      flowing = target.write(buffer, (error) => {
        if (error == null) this._pool.release(buffer);
      });
    }
    if (flowing || target.writableLength < HIGH_WATER) return undefined;
    return this._drained(target);
  }

  /** Completes the answer once the serializer has handed over every buffer. */
  async end(): Promise<void> {
    if (this._streaming) {
      this._target?.end();
      return;
    }
    const buffers = this._held;
    this._held = [];
    if (this._response.destroyed) {
      this._abort(buffers).catch(() => {});
      return;
    }
    const gzipped = this._gzip ? await gzipAll(buffers) : undefined;
    const response = this._response;
    if (gzipped !== undefined) for (const buffer of buffers) this._pool.release(buffer); // gzip consumed them
    if (response.destroyed) return;
    response.writeHead(200, {
      'content-type': this._contentType,
      'content-length': gzipped === undefined ? this._heldBytes : gzipped.length,
      vary: 'Accept, Accept-Encoding',
      ...(gzipped === undefined ? {} : { 'content-encoding': 'gzip' }),
    });
    if (this._request.method === 'HEAD') {
      response.end();
      if (gzipped === undefined) for (const buffer of buffers) this._pool.release(buffer);
    } else if (gzipped !== undefined) {
      response.end(gzipped);
    } else {
      response.cork();
      for (const buffer of buffers) {
        response.write(buffer, (error) => {
          if (error == null) this._pool.release(buffer);
        });
      }
      response.end();
      response.uncork();
    }
  }

  private _startStreaming(): void {
    this._streaming = true;
    const response = this._response;
    // No Content-Length: node:http sends the body with chunked transfer encoding.
    response.writeHead(200, {
      'content-type': this._contentType,
      vary: 'Accept, Accept-Encoding',
      ...(this._gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    if (this._request.method === 'HEAD') {
      response.end();
    } else if (this._gzip) {
      const gzip = createGzip(GZIP_OPTIONS);
      // pipeline() destroys gzip if the response closes early, and the response if gzip fails.
      pipeline(gzip, response, () => {});
      this._target = gzip;
    } else {
      this._target = response;
    }
  }

  /** Resolves once `target` has drained; rejects if the client goes away first. */
  private _drained(target: Writable): Promise<void> {
    const response = this._response;
    return new Promise((resolve, reject) => {
      const settle = () => {
        target.off('drain', settle);
        target.off('close', settle);
        response.off('close', settle);
        if (response.destroyed && !response.writableFinished) {
          this.aborted = true;
          reject(new Error('the client closed the connection'));
        } else {
          resolve();
        }
      };
      target.on('drain', settle);
      target.on('close', settle);
      response.on('close', settle);
    });
  }

  /** The client went away: the buffers not written anywhere go back to the pool, rendering stops. */
  private _abort(buffers: Buffer[]): Promise<void> {
    this.aborted = true;
    for (const buffer of buffers) this._pool.release(buffer);
    for (const buffer of this._held) this._pool.release(buffer);
    this._held = [];
    return Promise.reject(new Error('the client closed the connection'));
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
