export { isWrappedByVa, unwrapMethod, wrapMethod } from './method-wrapper.js';
export {
  MetricsInstrumentation,
  type MetricsInstrumentationConfig,
  type ModulePatch,
} from './metrics-instrumentation.js';
export { hookImportsThrough, hookModule, type LoadedModule, type ModuleHook } from './module-hook.js';
export { type VersionRange, versionInRange } from './version-range.js';
