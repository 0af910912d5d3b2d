export { createLogOnce, type DiagLevel, type LogOnce } from './diagnostics/log-once.js';
export { createFaultReporter, type ReportFault } from './diagnostics/report-fault.js';
export { errorTypeOf, OTHER_ERROR_TYPE, type WellKnownErrorType } from './error-type.js';
export { isWrappedByVa, unwrapMethod, wrapMethod } from './method-wrapper.js';
export {
  MetricsInstrumentation,
  type MetricsInstrumentationConfig,
  type ModulePatch,
} from './metrics-instrumentation.js';
export { hookImportsThrough, hookModule, type LoadedModule, type ModuleHook } from './module-hook.js';
export { sharedClaims } from './shared-claims.js';
export { type VersionRange, versionInRange } from './version-range.js';
