import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as OtlpJsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import {
  ConsoleMetricExporter,
  type MetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { PrometheusBridge, type PrometheusBridgeOptions } from '@va/prometheus-bridge';
import type { Configuration } from './config/configuration.js';
import type { TemporalityPreference } from './config/variables.js';
import { telemetryAgent } from './telemetry-agents.js';

export interface Readers {
  readonly readers: MetricReader[];
  /** The Prometheus pull reader, when `prometheus` is among the exporters. */
  readonly prometheus: PrometheusBridge | undefined;
}

const TEMPORALITY: Record<TemporalityPreference, AggregationTemporalityPreference> = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  lowmemory: AggregationTemporalityPreference.LOWMEMORY,
};

/** One reader per configured exporter, each with the same cardinality limit per metric. */
export function createReaders(
  configuration: Configuration,
  prometheusOptions: Partial<PrometheusBridgeOptions> = {},
): Readers {
  const readers: MetricReader[] = [];
  let prometheus: PrometheusBridge | undefined;
  for (const exporter of configuration.exporters) {
    switch (exporter) {
      case 'prometheus':
        prometheus = createPrometheusBridge(configuration, prometheusOptions);
        readers.push(prometheus);
        break;
      case 'otlp':
        readers.push(periodicReader(otlpExporter(configuration), configuration));
        break;
      case 'console':
        readers.push(periodicReader(new ConsoleMetricExporter(), configuration));
        break;
    }
  }
  return { readers, prometheus };
}

/** The Prometheus pull reader as the configuration says: address, prefix, credentials, series limit. */
export function createPrometheusBridge(
  configuration: Configuration,
  overrides: Partial<PrometheusBridgeOptions> = {},
): PrometheusBridge {
  const limit = configuration.cardinalityLimit;
  return new PrometheusBridge({
    host: configuration.prometheus.host,
    port: configuration.prometheus.port,
    prefix: configuration.prometheus.prefix,
    auth: configuration.prometheus.auth,
    cardinalitySelector: () => limit,
    ...overrides,
  });
}

function otlpExporter(configuration: Configuration): PushMetricExporter {
  const options = {
    url: configuration.otlp.url,
    temporalityPreference: TEMPORALITY[configuration.otlp.temporality],
    timeoutMillis: configuration.otlp.timeoutMillis,
    httpAgentOptions: telemetryAgent,
  };
  return configuration.otlp.protocol === 'http/json'
    ? new OtlpJsonMetricExporter(options)
    : new OtlpProtobufMetricExporter(options);
}

function periodicReader(exporter: PushMetricExporter, configuration: Configuration): MetricReader {
  // The reader's interval timer is unref'd by the SDK: a push exporter never holds the process open.
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: configuration.exportIntervalMillis,
    exportTimeoutMillis: configuration.exportTimeoutMillis,
    cardinalityLimits: { default: configuration.cardinalityLimit },
  });
}
