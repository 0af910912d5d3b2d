// node:http and node:https outgoing requests, from the channels Node publishes itself (Node ≥ 20):
// no patched `http.request`, no listener on the request or the response, no header added.
// https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html#http
//
// Node publishes `http.client.request.start` from ClientRequest's `_finish`: once the app has ended
// the request and an Agent has given it a socket. So the clock starts after the body was handed to
// Node and after any wait for a free socket (an Agent at maxSockets); upstream's starts at
// `http.request()` and includes both. A request destroyed before `end()` is never started, so not
// counted. `http.client.response.finish`, despite its name, is published as the response headers
// are parsed, before the app's `response` listener runs, and never for a 1xx interim response or
// for an upgrade (101, CONNECT). `http.client.request.error` came later than the other two
// (nodejs/node#54054, 2024): on a Node 20 release from before its backport, a node:http request
// that fails is not counted.
import type { ChannelHandler } from './guarded-subscriptions.js';
import type { ClientRequestRecorder } from './request-recorder.js';
import { type OutgoingRequestTarget, targetOfClientRequest } from './server-target.js';
import { isTelemetryTraffic } from './telemetry-traffic.js';

interface ClientRequestLike extends OutgoingRequestTarget {
  readonly method?: string;
  readonly agent?: unknown;
}

interface RequestMessage {
  readonly request: ClientRequestLike;
}

interface ResponseMessage {
  readonly request: object;
  readonly response: { readonly statusCode?: number; readonly httpVersion?: string };
}

interface ErrorMessage {
  readonly request: object;
  readonly error: unknown;
}

export function nodeHttpHandlers(recorder: ClientRequestRecorder): ChannelHandler[] {
  return [
    [
      'http.client.request.start',
      (message) => {
        const { request } = message as RequestMessage;
        if (isTelemetryTraffic(request)) return;
        recorder.start(request, request.method, targetOfClientRequest(request));
      },
    ],
    [
      'http.client.response.finish',
      (message) => {
        const { request, response } = message as ResponseMessage;
        if (typeof response.statusCode !== 'number') return;
        recorder.respond(request, response.statusCode, response.httpVersion);
      },
    ],
    [
      'http.client.request.error',
      (message) => {
        const { request, error } = message as ErrorMessage;
        recorder.fail(request, error);
      },
    ],
  ];
}
