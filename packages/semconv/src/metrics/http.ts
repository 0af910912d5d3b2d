import {
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_ROUTE,
  NETWORK_PROTOCOL_NAME,
  NETWORK_PROTOCOL_VERSION,
  SERVER_ADDRESS,
  SERVER_PORT,
  URL_SCHEME,
} from '../attributes.js';
import { HTTP_DURATION_BUCKETS } from '../buckets.js';
import type { MetricDefinition } from '../types.js';

/** https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpserverrequestduration */
export const HTTP_SERVER_REQUEST_DURATION: MetricDefinition = {
  name: 'http.server.request.duration',
  kind: 'histogram',
  unit: 's',
  description: 'Duration of HTTP server requests, from the first byte received to the last byte sent.',
  buckets: HTTP_DURATION_BUCKETS,
  attributes: [
    HTTP_REQUEST_METHOD,
    URL_SCHEME,
    HTTP_ROUTE,
    HTTP_RESPONSE_STATUS_CODE,
    NETWORK_PROTOCOL_NAME,
    NETWORK_PROTOCOL_VERSION,
    ERROR_TYPE,
  ],
  recordedBy:
    '@va/otel-register (diagnostics channels); @opentelemetry/instrumentation-http with VA_HTTP_SERVER_INSTRUMENTATION=upstream',
  stability: 'stable',
};

/** https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpserveractive_requests */
export const HTTP_SERVER_ACTIVE_REQUESTS: MetricDefinition = {
  name: 'http.server.active_requests',
  kind: 'updowncounter',
  unit: '{request}',
  description: 'Number of HTTP server requests in flight: received and not yet answered or aborted.',
  attributes: [HTTP_REQUEST_METHOD, URL_SCHEME],
  recordedBy: '@va/otel-register',
  stability: 'development',
};

/** https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpclientrequestduration */
export const HTTP_CLIENT_REQUEST_DURATION: MetricDefinition = {
  name: 'http.client.request.duration',
  kind: 'histogram',
  unit: 's',
  description:
    'Duration of outbound HTTP requests (node:http, node:https and fetch), until the response headers arrive or the request fails.',
  buckets: HTTP_DURATION_BUCKETS,
  attributes: [
    HTTP_REQUEST_METHOD,
    SERVER_ADDRESS,
    SERVER_PORT,
    URL_SCHEME,
    HTTP_RESPONSE_STATUS_CODE,
    NETWORK_PROTOCOL_NAME,
    NETWORK_PROTOCOL_VERSION,
    ERROR_TYPE,
  ],
  recordedBy: '@opentelemetry/instrumentation-http, @opentelemetry/instrumentation-undici',
  stability: 'stable',
};

export const HTTP_METRICS: readonly MetricDefinition[] = [
  HTTP_SERVER_REQUEST_DURATION,
  HTTP_SERVER_ACTIVE_REQUESTS,
  HTTP_CLIENT_REQUEST_DURATION,
];
