export { recordRuntimeMetrics } from './record-runtime-metrics.js';
export type { RuntimeMetrics } from './types.js';
