import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { FastifyInstrumentation } from '@opentelemetry/instrumentation-fastify';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OpenAIInstrumentation } from '@va/instrumentation-openai';
import type { HttpServerInstrumentation } from '@va/otel-sdk';
import { isBridgeServer } from '@va/prometheus-bridge';
import { ExpressRouteInstrumentation } from './http-server/express-routes.js';
import { PgMetricsInstrumentation } from './pg/index.js';

/**
 * The instrumentations the register can load, by the names OTEL_NODE_ENABLED_INSTRUMENTATIONS and
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS use (the same short names as auto-instrumentations-node).
 * `process` is ours: CPU time and resident memory. The HTTP in-flight gauge belongs to `http`, and
 * so, by default, does our server-side path; `express` and `fastify` then name its routes.
 * `pg` is ours too (src/pg/), and so is `openai` (@va/instrumentation-openai).
 */
export const INSTRUMENTATION_NAMES = [
  'http',
  'undici',
  'pg',
  'express',
  'fastify',
  'openai',
  'runtime-node',
  'process',
] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/**
 * Instrumentation objects by name; undefined where our own code does the work: `process`, and
 * under the `va` HTTP server path (VA_HTTP_SERVER_INSTRUMENTATION) the server side of `http` and
 * the route readers: `express` is a small accessor (src/http-server/express-routes.ts), `fastify` a
 * diagnostics-channel subscriber.
 */
export function createUpstreamInstrumentation(
  name: InstrumentationName,
  httpServer: HttpServerInstrumentation,
): Instrumentation | undefined {
  switch (name) {
    case 'http':
      return httpServer === 'va'
        ? // Outgoing requests only: incoming ones are measured on the diagnostics channels.
          new HttpInstrumentation({ disableIncomingRequestInstrumentation: true })
        : new HttpInstrumentation({
            // Prometheus scraping /metrics is not the application's traffic.
            ignoreIncomingRequestHook: (request) =>
              isBridgeServer((request.socket as { server?: unknown } | null)?.server),
          });
    case 'undici':
      return new UndiciInstrumentation();
    case 'pg':
      // Ours, not upstream's: instrumentation-pg 0.76 drops error.type on the promise path and
      // miscounts pool connections (see src/pg/). The two must not both be loaded: each would
      // unpatch the other's Client.prototype.query.
      return new PgMetricsInstrumentation();
    // On the upstream path they hand http.route to instrumentation-http through the active context.
    case 'express':
      return httpServer === 'upstream' ? new ExpressInstrumentation() : new ExpressRouteInstrumentation();
    case 'fastify':
      return httpServer === 'upstream' ? new FastifyInstrumentation() : undefined;
    case 'openai':
      // Its options come from the environment through setDefaultOptions (see register.ts).
      return new OpenAIInstrumentation();
    case 'runtime-node':
      return new RuntimeNodeInstrumentation();
    case 'process':
      return undefined;
  }
}
