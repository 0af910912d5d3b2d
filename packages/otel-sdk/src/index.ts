export type { ProcessRole } from './cluster-metrics.js';
export { type Configuration, readConfiguration } from './config/configuration.js';
export { type Environment, readVariable } from './config/read-variable.js';
export * from './config/variables.js';
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
