// The client side of HTTP metrics (HTTP_CLIENT_REQUEST_DURATION), for node:http, node:https and
// fetch, from the diagnostics channels Node and undici publish. Metrics only: no span, no context,
// no propagation header, no listener on any object of the app, no upstream InstrumentationBase
// (whose constructor creates @opentelemetry/instrumentation's shared require hook). Upstream's
// instrumentation-http and instrumentation-undici are tracing instrumentations: beside a user's own
// tracing they add CLIENT spans to the user's TracerProvider, and undici's a second `traceparent`.
import type { Meter } from '@opentelemetry/api';
import { createFaultReporter } from '@va/instrumentation-base/diagnostics';
import { createHistogramFor, HTTP_CLIENT_REQUEST_DURATION } from '@va/semconv';
import { type ChannelHandler, subscribeGuarded } from './guarded-subscriptions.js';
import { nodeHttpHandlers } from './node-http-channels.js';
import { ClientRequestRecorder } from './request-recorder.js';
import { undiciHandlers } from './undici-channels.js';

export interface HttpClientMetricsOptions {
  /** Requests sent with node:http and node:https. */
  http: boolean;
  /** Requests sent with fetch (Node's bundled undici) or the `undici` package. */
  undici: boolean;
}

export interface HttpClientMetrics {
  /** Unsubscribes from every channel; requests in flight are then not recorded. */
  stop(): void;
}

/** Never throws: a fault while setting up is logged and leaves the app's requests unmeasured. */
export function recordHttpClientMetrics(meter: Meter, options: HttpClientMetricsOptions): HttpClientMetrics {
  const report = createFaultReporter('@va/otel-register/http-client');
  try {
    const recorder = new ClientRequestRecorder(createHistogramFor(meter, HTTP_CLIENT_REQUEST_DURATION));
    const handlers: ChannelHandler[] = [
      ...(options.http ? nodeHttpHandlers(recorder) : []),
      ...(options.undici ? undiciHandlers(recorder) : []),
    ];
    const unsubscribe = subscribeGuarded(handlers, report);
    return {
      stop() {
        try {
          unsubscribe();
        } catch (fault) {
          report('stopping', fault);
        }
      },
    };
  } catch (fault) {
    report('starting', fault);
    return { stop() {} };
  }
}
