export { PgMetricsInstrumentation } from './instrumentation.js';
export type { PgMetricsInstrumentationConfig } from './types.js';
