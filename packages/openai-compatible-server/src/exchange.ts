/**
 * One request and its response: the scenario it carries, its delays, and the ways to answer it
 * (JSON, plain bytes, an error, a cut connection). Every way of answering records the response
 * before the last byte leaves, so a test that has read the whole response always finds it in
 * `server.responses`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicErrorBody } from './anthropic-errors.js';
import { type ErrorDetails, errorBody, RequestError, retryHeaders } from './errors.js';
import { geminiErrorBody } from './gemini-errors.js';
import { parseGeminiPath } from './gemini-path.js';
import { alphanumericId } from './ids.js';
import type { Scenario } from './scenarios.js';
import type { RecordedResponse, RecordedUsage } from './types.js';

/**
 * Whose API a path belongs to: `/v1/messages…` is Anthropic's Messages API, `…/models/{model}:{method}`
 * Google's Gemini API (or Vertex AI's), each answered with its own headers and error bodies;
 * everything else is OpenAI's.
 */
export type ApiFamily = 'openai' | 'anthropic' | 'gemini';

export function apiFamilyOf(path: string): ApiFamily {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  return parseGeminiPath(path) === undefined ? 'openai' : 'gemini';
}

/** Request ids per API: OpenAI's `req_` and 32 hex digits, Anthropic's `req_` and 24 alphanumerics, Gemini's `responseId`. */
function requestIdFor(api: ApiFamily): string {
  switch (api) {
    case 'anthropic':
      return alphanumericId('req_', 24);
    case 'gemini':
      return alphanumericId('', 22);
    default:
      return `req_${randomBytes(16).toString('hex')}`;
  }
}

/** The delays one request gets, from its directives or else from the server's latency profile. */
export interface Timing {
  firstChunkMs(): number;
  perChunkMs(): number;
  nonStreamingMs(): number;
}

/**
 * Thrown to unwind a handler once the exchange is over without a normal ending: the connection was
 * cut on purpose, the client went away, or the server is closing. The server swallows it.
 */
export class ExchangeEnded extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ExchangeEnded';
  }
}

export interface ExchangeInit {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  api: ApiFamily;
  scenario: Scenario;
  timing: Timing;
  signal: AbortSignal;
  requestedModel: string | undefined;
  record: (response: RecordedResponse) => void;
}

/** Fixed, like one account's organization would be. */
const ANTHROPIC_ORGANIZATION_ID = '00000000-0000-4000-8000-000000000a1c';

export class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly api: ApiFamily;
  readonly scenario: Scenario;
  readonly timing: Timing;
  /** Aborted when the client goes away or the server closes: every wait ends with it. */
  readonly signal: AbortSignal;
  /** OpenAI's ids look like `req_` and 32 hex digits, Anthropic's like `req_` and 24 alphanumerics; Gemini's is the `responseId`. */
  readonly requestId: string;
  readonly startedAt = performance.now();
  /** The request's model without its `@directives` suffix, when it named one. */
  readonly requestedModel: string | undefined;
  /** The model to record; handlers set it once they know it. */
  model: string | undefined;
  stream = false;
  private _record: (response: RecordedResponse) => void;
  private _recorded = false;

  constructor(init: ExchangeInit) {
    this.req = init.req;
    this.res = init.res;
    this.path = init.path;
    this.api = init.api;
    this.requestId = requestIdFor(init.api);
    this.scenario = init.scenario;
    this.timing = init.timing;
    this.signal = init.signal;
    this.requestedModel = init.requestedModel;
    this.model = init.requestedModel;
    this._record = init.record;
  }

  /** Waits `ms`, or throws ExchangeEnded as soon as the client or the server goes away. */
  async wait(ms: number): Promise<void> {
    if (this.signal.aborted) throw new ExchangeEnded('aborted');
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal: this.signal });
    } catch {
      throw new ExchangeEnded('aborted');
    }
  }

  /** The requested model (suffix stripped); a request without one is answered 400, as OpenAI does. */
  requireModel(): string {
    if (this.requestedModel === undefined || this.requestedModel === '') {
      throw new RequestError(400, 'You must provide a model parameter.', 'model');
    }
    return this.requestedModel;
  }

  /** A non-streamed answer: `cut-after` destroys the socket before any byte, else the delay. */
  async beforeNonStreaming(): Promise<void> {
    if (this.scenario.cutAfter !== undefined) this.cut(undefined);
    await this.wait(this.timing.nonStreamingMs());
  }

  /** Never answers; ends (by throwing) only when the client gives up or the server closes. */
  async hang(): Promise<never> {
    if (!this.signal.aborted) {
      await new Promise<void>((resolve) =>
        this.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    throw new ExchangeEnded('aborted');
  }

  /** Headers every response of its API has (Anthropic names the request id `request-id`; Google sends none). */
  headers(contentType: string, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
    if (this.api === 'gemini') {
      return {
        'content-type': contentType === 'application/json' ? 'application/json; charset=UTF-8' : contentType,
        'server-timing': `gfet4t7; dur=${Math.round(performance.now() - this.startedAt)}`,
        ...extra,
      };
    }
    if (this.api === 'anthropic') {
      return {
        'content-type': contentType,
        'request-id': this.requestId,
        'anthropic-organization-id': ANTHROPIC_ORGANIZATION_ID,
        ...extra,
      };
    }
    return {
      'content-type': contentType,
      'x-request-id': this.requestId,
      'openai-processing-ms': String(Math.round(performance.now() - this.startedAt)),
      'openai-version': '2020-10-01',
      ...extra,
    };
  }

  record(fields: { status: number; usage?: RecordedUsage; chunks?: number; cut?: boolean }): void {
    if (this._recorded) return;
    this._recorded = true;
    const response: RecordedResponse = {
      path: this.path,
      status: fields.status,
      stream: this.stream,
      requestId: this.requestId,
    };
    if (this.model !== undefined) response.model = this.model;
    if (fields.usage !== undefined) response.usage = fields.usage;
    if (fields.chunks !== undefined) response.chunks = fields.chunks;
    if (fields.cut) response.cut = true;
    if (this.scenario.raw !== undefined) response.scenario = this.scenario.raw;
    this._record(response);
  }

  /** A complete JSON response (with content-length, as OpenAI's non-streamed responses have). */
  sendJson(
    status: number,
    body: unknown,
    usage?: RecordedUsage,
    extraHeaders: OutgoingHttpHeaders = {},
  ): void {
    this.sendBytes(status, 'application/json', Buffer.from(JSON.stringify(body)), usage, extraHeaders);
  }

  sendBytes(
    status: number,
    contentType: string,
    bytes: Buffer,
    usage?: RecordedUsage,
    extraHeaders: OutgoingHttpHeaders = {},
  ): void {
    this.record(usage === undefined ? { status } : { status, usage });
    this.res.writeHead(
      status,
      this.headers(contentType, { 'content-length': bytes.length, ...extraHeaders }),
    );
    this.res.end(bytes);
  }

  /** An error in its API's shape, with the retry headers the OpenAI and Anthropic clients honour. */
  sendError(status: number, details: ErrorDetails = {}): void {
    if (this.api === 'gemini') {
      this.sendJson(status, geminiErrorBody(status, details.message));
      return;
    }
    const body =
      this.api === 'anthropic'
        ? anthropicErrorBody(status, details.message, this.requestId)
        : errorBody(status, details);
    this.sendJson(status, body, undefined, retryHeaders(status));
  }

  /** Sends the status line and headers now, as OpenAI does before the first streamed event. */
  startStreaming(contentType: string): void {
    this.stream = true;
    this.res.writeHead(200, this.headers(contentType, { 'cache-control': 'no-cache' }));
    this.res.flushHeaders();
  }

  /** Writes and waits until the bytes are handed to the kernel, so a cut right after loses none. */
  async write(chunk: string | Buffer): Promise<void> {
    if (this.signal.aborted) throw new ExchangeEnded('aborted');
    await new Promise<void>((resolve, reject) => {
      this.res.write(chunk, (error) => (error ? reject(new ExchangeEnded('write failed')) : resolve()));
    });
  }

  /** Ends a streamed response after recording it. */
  endStream(usage: RecordedUsage | undefined, chunks: number, last?: string | Buffer): void {
    this.record(usage === undefined ? { status: 200, chunks } : { status: 200, usage, chunks });
    if (last === undefined) this.res.end();
    else this.res.end(last);
  }

  /** Destroys the connection abruptly: no more bytes, no chunked-encoding terminator. */
  cut(chunks: number | undefined): never {
    // Status 0 when the cut came before any status line (a non-streamed request).
    const status = this.res.headersSent ? this.res.statusCode : 0;
    this.record(chunks === undefined ? { status, cut: true } : { status, chunks, cut: true });
    this.res.socket?.destroy();
    this.res.destroy();
    throw new ExchangeEnded('cut');
  }
}
