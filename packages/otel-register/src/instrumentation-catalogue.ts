import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { FastifyInstrumentation } from '@opentelemetry/instrumentation-fastify';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { AISDKInstrumentation } from '@va/instrumentation-ai-sdk';
import { AnthropicInstrumentation } from '@va/instrumentation-anthropic';
import type { MetricsInstrumentation } from '@va/instrumentation-base';
import { GoogleGenAIInstrumentation } from '@va/instrumentation-google-genai';
import { LiveKitInstrumentation } from '@va/instrumentation-livekit';
import { OpenAIInstrumentation } from '@va/instrumentation-openai';
import { isBridgeServer } from '@va/prometheus-bridge';
import { recordHttpClientMetrics } from './http-client/index.js';
import { ExpressRouteInstrumentation } from './http-server/express-routes.js';
import { recordHttpServerMetrics } from './http-server/http-server-metrics.js';
import { PgMetricsInstrumentation } from './pg/index.js';
import { recordProcessMetrics } from './process-metrics.js';
import { RecorderInstrumentation } from './recorder-instrumentation.js';
import { recordRuntimeMetrics } from './runtime/index.js';
import type { HttpServerInstrumentation } from './variables.js';

/**
 * The instrumentations the register can load, by the names OTEL_NODE_ENABLED_INSTRUMENTATIONS and
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS use (the same short names as auto-instrumentations-node).
 * All are ours and metrics only: `http` (server requests, requests in flight, outgoing requests),
 * `undici` (fetch), `pg`, `express` and `fastify` (the route of the server metrics), `openai`,
 * `anthropic` (`@anthropic-ai/sdk`), `ai` (the Vercel AI SDK), `google-genai` (`@google/genai`), `livekit` (every LiveKit Agents `voice.AgentSession`, as it starts),
 * `runtime-node` (event loop, GC, heap) and `process` (CPU, memory).
 */
export const INSTRUMENTATION_NAMES = [
  'http',
  'undici',
  'pg',
  'express',
  'fastify',
  'openai',
  'anthropic',
  'ai',
  'google-genai',
  'livekit',
  'runtime-node',
  'process',
] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/**
 * The upstream instrumentations (by instrumentation scope) that record the same metrics as ours: an
 * application's own SDK (auto-instrumentations-node) may load them, and what they record through the
 * global MeterProvider must not reach ours a second time (global-meter-provider.ts).
 */
export const UPSTREAM_SCOPES_MEASURED_BY: Readonly<Record<InstrumentationName, readonly string[]>> = {
  http: ['@opentelemetry/instrumentation-http'],
  undici: ['@opentelemetry/instrumentation-undici'],
  pg: ['@opentelemetry/instrumentation-pg'],
  express: [],
  fastify: [],
  openai: ['@opentelemetry/instrumentation-openai'],
  anthropic: [],
  // @ai-sdk/otel's `gen_ai` meter: its own inference duration of each model call, which `ai` records.
  ai: ['gen_ai'],
  'google-genai': [],
  livekit: [],
  'runtime-node': ['@opentelemetry/instrumentation-runtime-node'],
  process: [],
};

/**
 * Our instrumentations for the selected names, all metrics only: module patches (pg, the Express
 * route reader, openai, anthropic, ai, google-genai, livekit) and recorders on diagnostics channels or read at collection
 * time (the HTTP server and client, runtime, process). The register enables them on its MeterProvider; in library
 * mode a NodeSDK does, on its own. On the upstream HTTP server path, the server duration and the
 * routes are upstream's (createUpstreamServerInstrumentation); the requests in flight stay ours.
 */
export function createInstrumentations(
  names: readonly InstrumentationName[],
  httpServer: HttpServerInstrumentation,
): MetricsInstrumentation[] {
  const selected = new Set(names);
  const ourServerPath = httpServer === 'va';
  const instrumentations: MetricsInstrumentation[] = [];
  if (selected.has('http')) {
    instrumentations.push(
      new RecorderInstrumentation((meter) =>
        recordHttpServerMetrics(meter, {
          duration: ourServerPath,
          expressRoutes: ourServerPath && selected.has('express'),
          fastifyRoutes: ourServerPath && selected.has('fastify'),
        }),
      ),
    );
  }
  if (selected.has('http') || selected.has('undici')) {
    instrumentations.push(
      new RecorderInstrumentation((meter) =>
        recordHttpClientMetrics(meter, { http: selected.has('http'), undici: selected.has('undici') }),
      ),
    );
  }
  // Ours, not upstream's: instrumentation-pg 0.76 drops error.type on the promise path and miscounts
  // pool connections (see src/pg/).
  if (selected.has('pg')) instrumentations.push(new PgMetricsInstrumentation());
  if (selected.has('express') && ourServerPath) instrumentations.push(new ExpressRouteInstrumentation());
  // Its options come from the VA_GENAI_* variables, which the package reads itself.
  if (selected.has('openai')) instrumentations.push(new OpenAIInstrumentation());
  if (selected.has('anthropic')) instrumentations.push(new AnthropicInstrumentation());
  // Each model call of the AI SDK (`ai`) once; a provider over a client measured above is counted here only.
  if (selected.has('ai')) instrumentations.push(new AISDKInstrumentation());
  if (selected.has('google-genai')) instrumentations.push(new GoogleGenAIInstrumentation());
  // The OpenAI plugin's LLMs call through the `openai` client: when that is measured, their calls are
  // counted there only.
  if (selected.has('livekit'))
    instrumentations.push(new LiveKitInstrumentation({ openAIClientMeasured: selected.has('openai') }));
  if (selected.has('runtime-node')) instrumentations.push(new RecorderInstrumentation(recordRuntimeMetrics));
  if (selected.has('process')) instrumentations.push(new RecorderInstrumentation(recordProcessMetrics));
  return instrumentations;
}

/**
 * VA_HTTP_SERVER_INSTRUMENTATION=upstream (and `http/dup`, whose old-convention histograms only
 * upstream records): upstream's server side of instrumentation-http and its express and fastify
 * instrumentations, which hand http.route over through the active context. They are tracing
 * instrumentations built on @opentelemetry/instrumentation; the register gives them a no-op tracer.
 */
export function createUpstreamServerInstrumentation(name: InstrumentationName): Instrumentation | undefined {
  switch (name) {
    case 'http':
      return new HttpInstrumentation({
        // Outgoing requests are ours (src/http-client/), on every path.
        disableOutgoingRequestInstrumentation: true,
        // Prometheus scraping /metrics is not the application's traffic.
        ignoreIncomingRequestHook: (request) =>
          isBridgeServer((request.socket as { server?: unknown } | null)?.server),
      });
    case 'express':
      return new ExpressInstrumentation();
    case 'fastify':
      return new FastifyInstrumentation();
    default:
      return undefined;
  }
}
