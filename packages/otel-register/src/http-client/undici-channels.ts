// fetch, from the channels undici publishes: Node's bundled copy and the `undici` package use the
// same names. No header is added to the request (upstream instrumentation-undici appends its own
// `traceparent`, and undici's `addHeader` appends, so a server saw two) and no span is started.
// https://github.com/nodejs/undici/blob/main/docs/docs/api/DiagnosticsChannel.md
//
// What these channels cannot see: a fetch that fails before undici creates its request, such as a
// URL on a port the Fetch standard blocks (fetch('http://host:1/') rejects with `bad port`) or an
// invalid request. Upstream subscribes to the same channels and is as blind. A refused connection
// is seen: undici creates the request first, then publishes its ECONNREFUSED on request:error.
import type { ChannelHandler } from './guarded-subscriptions.js';
import type { ClientRequestRecorder } from './request-recorder.js';
import { targetOfUrl } from './server-target.js';
import { isTelemetryTraffic } from './telemetry-traffic.js';

interface UndiciRequestLike {
  readonly method?: string;
  /** A string in undici 6 and 7 (`http://host:port`); a URL object is read by its string form. */
  readonly origin?: unknown;
}

interface RequestMessage {
  readonly request: UndiciRequestLike;
}

interface SendHeadersMessage {
  readonly request: object;
  readonly socket?: { readonly alpnProtocol?: unknown };
}

interface HeadersMessage {
  readonly request: object;
  readonly response: { readonly statusCode?: number };
}

interface ErrorMessage {
  readonly request: object;
  readonly error: unknown;
}

export function undiciHandlers(recorder: ClientRequestRecorder): ChannelHandler[] {
  return [
    [
      'undici:request:create',
      (message) => {
        const { request } = message as RequestMessage;
        const target = request.origin === undefined ? undefined : targetOfUrl(String(request.origin));
        if (target !== undefined && !isTelemetryTraffic()) recorder.start(request, request.method, target);
      },
    ],
    [
      // The version the connection negotiated: undici offers only `http/1.1` and, with `allowH2`,
      // `h2` over ALPN, and a connection without ALPN (plain http) is HTTP/1.1, as upstream reads it.
      'undici:client:sendHeaders',
      (message) => {
        const { request, socket } = message as SendHeadersMessage;
        recorder.protocolVersion(request, socket?.alpnProtocol === 'h2' ? '2' : '1.1');
      },
    ],
    [
      'undici:request:headers',
      (message) => {
        const { request, response } = message as HeadersMessage;
        if (typeof response.statusCode !== 'number') return;
        recorder.respond(request, response.statusCode);
      },
    ],
    [
      'undici:request:error',
      (message) => {
        const { request, error } = message as ErrorMessage;
        recorder.fail(request, error);
      },
    ],
  ];
}
