export type { ProcessRole } from './cluster-metrics.js';
export { type Configuration, readConfiguration } from './config/configuration.js';
export { type Environment, readVariable } from './config/read-variable.js';
export {
  ENVIRONMENT_VARIABLES,
  type EnvironmentVariable,
  type HttpServerInstrumentation,
  type LogLevel,
  type MetricsExporterName,
  OTEL_SDK_DISABLED,
  type OtlpProtocol,
  type TemporalityPreference,
  VA_GENAI_AGENT_NAME_ON_LLM_METRICS,
  VA_GENAI_NORMALIZE_MODEL_NAMES,
  VA_GENAI_PRICES_FILE,
  VA_GENAI_PROVIDER_NAME,
  VA_GENAI_REQUEST_STREAM_USAGE,
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
export { semconvViews } from './views.js';
