import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes, Meter, UpDownCounter } from '@opentelemetry/api';
import { isBridgeServer } from '@va/prometheus-bridge';
import { HTTP_REQUEST_METHOD, HTTP_SERVER_ACTIVE_REQUESTS } from '@va/semconv';

/**
 * `http.server.active_requests`, which instrumentation-http does not record. Node publishes every
 * incoming request on the `http.server.request.start` diagnostics channel (Node ≥ 18.7) before any
 * user handler runs; the response's `close` event fires exactly once whether the response finished
 * or the client went away, so the up-down counter always returns to zero.
 * https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html#http
 */
const CHANNEL = 'http.server.request.start';

const KNOWN_METHODS = new Set(HTTP_REQUEST_METHOD.values);

interface RequestStartMessage {
  request: IncomingMessage;
  response: ServerResponse;
  server: unknown;
}

/** Attribute sets are interned per method and scheme so the hot path allocates nothing. */
const attributeCache = new Map<string, Attributes>();

function attributesFor(method: string | undefined, encrypted: boolean): Attributes {
  const knownMethod = method !== undefined && KNOWN_METHODS.has(method) ? method : '_OTHER';
  const scheme = encrypted ? 'https' : 'http';
  const key = `${knownMethod} ${scheme}`;
  let attributes = attributeCache.get(key);
  if (attributes === undefined) {
    attributes = { 'http.request.method': knownMethod, 'url.scheme': scheme };
    attributeCache.set(key, attributes);
  }
  return attributes;
}

export interface ActiveRequestsRecorder {
  stop(): void;
}

export function recordActiveRequests(meter: Meter): ActiveRequestsRecorder {
  const counter: UpDownCounter = meter.createUpDownCounter(HTTP_SERVER_ACTIVE_REQUESTS.name, {
    unit: HTTP_SERVER_ACTIVE_REQUESTS.unit,
    description: HTTP_SERVER_ACTIVE_REQUESTS.description,
  });
  const onRequestStart = (message: unknown): void => {
    try {
      const { request, response, server } = message as RequestStartMessage;
      // Scrapes of our own metrics server are not the application's traffic.
      if (isBridgeServer(server)) return;
      const encrypted = (request.socket as { encrypted?: boolean } | null)?.encrypted === true;
      const attributes = attributesFor(request.method, encrypted);
      counter.add(1, attributes);
      response.once('close', () => counter.add(-1, attributes));
    } catch {
      // A malformed message must never reach the app's request handling.
    }
  };
  subscribe(CHANNEL, onRequestStart);
  return { stop: () => unsubscribe(CHANNEL, onRequestStart) };
}
