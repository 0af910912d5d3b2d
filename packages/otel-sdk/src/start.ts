import { type Attributes, diag } from '@opentelemetry/api';
import { MeterProvider, type MetricReader, type ViewOptions } from '@opentelemetry/sdk-metrics';
import type { Environment } from '@va/instrumentation-base/environment';
import type { PrometheusBridge, PrometheusBridgeOptions } from '@va/prometheus-bridge';
import { setVaMeterProvider, vaMeterProvider } from '@va/semconv';
import { type ProcessRole, setupClusterMetrics } from './cluster-metrics.js';
import { type Configuration, readConfiguration } from './config/configuration.js';
import { LOG_LEVELS, type LogLevel, type MetricsExporterName, OTEL_LOG_LEVEL } from './config/variables.js';
import { useConsoleDiagLogger } from './diag-logger.js';
import { claimGlobalMeterProvider, type GlobalMeterProviderClaim } from './global-meter-provider.js';
import { memoiseAttributeHashes } from './hot-path/attribute-hash-memo.js';
import { createReaders } from './readers.js';
import { buildResource } from './resource.js';
import { unboundedMeterViews } from './unbounded-meters.js';
import { semconvViews } from './views.js';

export interface StartOptions {
  /** `service.name`. Default: OTEL_SERVICE_NAME, else `unknown_service:node`. */
  serviceName?: string;
  /** Extra resource attributes, merged over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Attributes;
  /** Where metrics go. Default: OTEL_METRICS_EXPORTER, else `['prometheus']`. `[]` exports nothing. */
  exporters?: readonly Exclude<MetricsExporterName, 'none'>[];
  /** Overrides for the Prometheus bridge (host, port, prefix, preventServerStart …). Default: from the environment. */
  prometheus?: Partial<PrometheusBridgeOptions>;
  /** The most series one metric keeps per reader. Default: VA_METRICS_CARDINALITY_LIMIT, else 2000. */
  cardinalityLimit?: number;
  /** More views, after the semconv ones. */
  views?: ViewOptions[];
  /** More readers, e.g. an in-memory reader in tests. */
  readers?: MetricReader[];
  /** Console `diag` logging. Default: OTEL_LOG_LEVEL, else `info`. `false` leaves the app's logger alone. */
  logLevel?: LogLevel | false;
  /**
   * Become the global MeterProvider (what `metrics.getMeter()` returns) when no other is registered.
   * Default: true. Beside an application's own SDK the global one stays theirs.
   */
  registerGlobal?: boolean;
  /** Read configuration from this instead of `process.env` (tests). */
  environment?: Environment;
}

export interface MetricsSdk {
  readonly meterProvider: MeterProvider;
  /** The Prometheus pull reader, when `prometheus` is an exporter: mount its handler or read its port. */
  readonly prometheus: PrometheusBridge | undefined;
  readonly configuration: Configuration;
  /** What part of a multi-process app this process is, which decides where its metrics are served (docs/scaling.md). */
  readonly processRole: ProcessRole;
  /** Pushes what the push exporters hold. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the readers and the metrics server. Safe to call more than once. */
  shutdown(): Promise<void>;
}

/** Shared by the CommonJS and the ES module copy of this package, so one process has one SDK. */
const RUNNING = Symbol.for('@va/otel-sdk.running');
type GlobalWithSdk = typeof globalThis & { [RUNNING]?: MetricsSdk };

/**
 * Starts the metrics SDK: resource, semconv views, cardinality limit and the readers the
 * environment (or the options) ask for. Never throws on configuration: a bad value is warned
 * about once and replaced by its default. A second call returns the SDK already running.
 */
export function start(options: StartOptions = {}): MetricsSdk {
  const global = globalThis as GlobalWithSdk;
  const running = global[RUNNING];
  if (running !== undefined) {
    diag.debug('@va/otel-sdk: start() called while the SDK is running; returning the running SDK.');
    return running;
  }

  const environment = options.environment ?? process.env;
  if (options.logLevel !== false) useConsoleDiagLogger(options.logLevel ?? logLevelOf(environment));
  const fromEnvironment = readConfiguration(environment);
  const configuration: Configuration = {
    ...fromEnvironment,
    exporters: options.exporters ?? fromEnvironment.exporters,
    cardinalityLimit: options.cardinalityLimit ?? fromEnvironment.cardinalityLimit,
  };

  // Before the MeterProvider exists: the SDK picks up the hash function as it creates its maps.
  if (configuration.attributeHashMemo) memoiseAttributeHashes();

  // A cluster worker serves no port of its own, its primary merges the workers' metrics into its scrape,
  // PM2 instances get a port each (cluster-metrics.ts).
  const clusterMetrics = setupClusterMetrics(environment, configuration.prometheus.port, options.prometheus);
  const { readers, prometheus } = createReaders(configuration, clusterMetrics.prometheusOptions);
  const meterProvider = new MeterProvider({
    resource: buildResource({
      environmentAttributes: configuration.resourceAttributes,
      environmentServiceName: configuration.serviceName,
      ...(options.resourceAttributes !== undefined && { attributes: options.resourceAttributes }),
      ...(options.serviceName !== undefined && { serviceName: options.serviceName }),
    }),
    views: [
      ...semconvViews(undefined, configuration.cardinalityLimit),
      ...unboundedMeterViews(),
      ...(options.views ?? []),
    ],
    readers: [...readers, ...(options.readers ?? [])],
  });
  // The global MeterProvider only if no other SDK registered one (registerGlobal). Whatever the global
  // one is, @va's own helpers and instrumentations record into this one (vaMeterProvider()).
  const globalClaim: GlobalMeterProviderClaim | undefined =
    options.registerGlobal !== false ? claimGlobalMeterProvider(meterProvider) : undefined;
  setVaMeterProvider(meterProvider);
  // Once the bridge is bound to the MeterProvider: a worker's bridge can collect from the first request on.
  clusterMetrics.attach(prometheus);

  let stopping: Promise<void> | undefined;
  const sdk: MetricsSdk = {
    meterProvider,
    prometheus,
    configuration,
    processRole: clusterMetrics.role,
    forceFlush: () => meterProvider.forceFlush(),
    shutdown() {
      stopping ??= (async () => {
        if (global[RUNNING] === sdk) delete global[RUNNING];
        globalClaim?.release();
        if (vaMeterProvider() === meterProvider) setVaMeterProvider(undefined);
        clusterMetrics.stop();
        try {
          await meterProvider.shutdown();
        } catch (error) {
          diag.warn('@va/otel-sdk: shutdown did not complete cleanly', error);
        }
      })();
      return stopping;
    },
  };
  global[RUNNING] = sdk;
  return sdk;
}

/**
 * OTEL_LOG_LEVEL, read without warning: it decides where warnings go, so it is read before the
 * logger exists; readConfiguration() warns about a bad value once the logger is set.
 */
export function logLevelOf(environment: Environment): LogLevel {
  const raw = environment[OTEL_LOG_LEVEL.name]?.trim().toLowerCase();
  return LOG_LEVELS.find((level) => level === raw) ?? OTEL_LOG_LEVEL.defaultValue;
}
