export { metricsPortOf, type ProcessRole } from './cluster-metrics.js';
export { type Configuration, readConfiguration } from './config/configuration.js';
export {
  type LogLevel,
  type MetricsExporterName,
  OTEL_SDK_VARIABLES,
  type OtlpProtocol,
  type TemporalityPreference,
  VA_PROMETHEUS_PREFIX,
} from './config/variables.js';
export { useConsoleDiagLogger } from './diag-logger.js';
export {
  claimGlobalMeterProvider,
  type GlobalMeterProviderClaim,
  globalMeterProviderIsTaken,
} from './global-meter-provider.js';
export { createPrometheusBridge } from './readers.js';
export { buildResource } from './resource.js';
export { logLevelOf, type MetricsSdk, type StartOptions, start } from './start.js';
export { isTelemetryAgent } from './telemetry-agents.js';
export { UNBOUNDED_METER_NAMES } from './unbounded-meters.js';
export { semconvViews } from './views.js';
