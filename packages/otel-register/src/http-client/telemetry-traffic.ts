import { context, createContextKey } from '@opentelemetry/api';
import { isTelemetryAgent } from '@va/otel-sdk';
import { isDatadogTracerRequest, type OutgoingRequestHeaders } from './datadog-tracer-traffic.js';

/** The key of @opentelemetry/core's suppressTracing(), made the way core makes it (Symbol.for). */
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * Whether a request starting now is telemetry's own traffic, which the HTTP client metrics leave out
 * as upstream's instrumentations do: an OpenTelemetry SDK's exports run under suppressTracing (an
 * application's NodeSDK pushing OTLP), our own OTLP exporters send through agents of their own, and
 * a Datadog tracer's requests to its agent are told by its headers and its agent
 * (datadog-tracer-traffic.ts). `request` is node:http's ClientRequest; fetch has none to give, and
 * dd-trace does not export through fetch.
 */
export function isTelemetryTraffic(request?: OutgoingRequestHeaders): boolean {
  if (context.active().getValue(SUPPRESS_TRACING) === true) return true;
  if (request === undefined) return false;
  return isTelemetryAgent(request.agent) || isDatadogTracerRequest(request);
}
