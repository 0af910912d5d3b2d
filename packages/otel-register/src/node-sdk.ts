// `@va/otel-register/node-sdk`: @va inside an application's own NodeSDK, for teams that want one
// OpenTelemetry setup rather than a second `--require`. No side effect: importing it registers nothing.
import { AggregationType, type MetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import type { MetricsInstrumentation } from '@va/instrumentation-base';
import type { Environment } from '@va/instrumentation-base/environment';
import { createPrometheusBridge, readConfiguration, semconvViews } from '@va/otel-sdk';
import type { PrometheusBridge } from '@va/prometheus-bridge';
import { VA_METER_NAMES } from '@va/semconv';
import {
  createInstrumentations,
  type InstrumentationName,
  UPSTREAM_SCOPES_MEASURED_BY,
} from './instrumentation-catalogue.js';
import { readRegisterConfiguration } from './register-configuration.js';

export interface VaNodeSdkOptions {
  /** Our Prometheus reader (`/metrics` on OTEL_EXPORTER_PROMETHEUS_HOST:PORT), unless no `prometheus` exporter is configured. */
  readonly metricReaders: MetricReader[];
  readonly views: ViewOptions[];
  /** Ours, metrics only: beside the application's own (auto-instrumentations) in `instrumentations`. */
  readonly instrumentations: MetricsInstrumentation[];
  /** The reader as a bridge: mount its handler in your own server, or read its port. */
  readonly prometheus: PrometheusBridge | undefined;
}

export interface VaNodeSdkOptionsInput {
  /**
   * Read configuration from this instead of `process.env`. The `VA_GENAI_*` variables are the openai
   * instrumentation's, which reads them from `process.env` for every client.
   */
  readonly environment?: Environment;
}

/**
 * What to pass into `new NodeSDK({ ... })` so that the application's one MeterProvider serves @va's
 * metrics on /metrics beside its own pipeline:
 *
 * ```js
 * const va = vaNodeSdkOptions();
 * new NodeSDK({
 *   metricReaders: [...va.metricReaders, myOtlpReader],
 *   views: va.views,
 *   instrumentations: [getNodeAutoInstrumentations(), ...va.instrumentations],
 * }).start();
 * ```
 *
 * The same environment as the register configures it (VA_METRICS_EXPORTER or
 * OTEL_METRICS_EXPORTER for whether `/metrics` is served, OTEL_EXPORTER_PROMETHEUS_*,
 * VA_PROMETHEUS_PREFIX, VA_METRICS_CARDINALITY_LIMIT, OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS,
 * VA_GENAI_*). Views are MeterProvider-wide, so they apply to every reader of that MeterProvider:
 * @va's views shape @va's meters alone, and the upstream instrumentations whose metrics ours record
 * (http, undici, pg, runtime-node, openai, as selected) are dropped, so each request, query or GC is
 * counted once in every pipeline, under @va's scope. Their spans are untouched.
 */
export function vaNodeSdkOptions(input: VaNodeSdkOptionsInput = {}): VaNodeSdkOptions {
  const environment = input.environment ?? process.env;
  const configuration = readConfiguration(environment);
  const { instrumentations: names } = readRegisterConfiguration(environment);
  const prometheus = configuration.exporters.includes('prometheus')
    ? createPrometheusBridge(configuration)
    : undefined;
  return {
    metricReaders: prometheus === undefined ? [] : [prometheus],
    views: [
      ...semconvViews(undefined, configuration.cardinalityLimit, VA_METER_NAMES),
      ...upstreamDuplicatesDropped(names),
    ],
    // Our own server path: upstream's (VA_HTTP_SERVER_INSTRUMENTATION=upstream) is the application's to load.
    instrumentations: createInstrumentations(names, 'va'),
    prometheus,
  };
}

function upstreamDuplicatesDropped(names: readonly InstrumentationName[]): ViewOptions[] {
  return names
    .flatMap((name) => UPSTREAM_SCOPES_MEASURED_BY[name])
    .map((meterName) => ({ meterName, instrumentName: '*', aggregation: { type: AggregationType.DROP } }));
}
