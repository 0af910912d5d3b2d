export * from './attributes.js';
export {
  DB_DURATION_BUCKETS,
  defineBuckets,
  GC_DURATION_BUCKETS,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_TOKEN_BUCKETS,
  HTTP_DURATION_BUCKETS,
  VOICE_LATENCY_BUCKETS,
  VOICE_SESSION_TURN_BUCKETS,
} from './buckets.js';
export { createCounterFor, createHistogramFor, createUpDownCounterFor } from './instruments.js';
export { exportedNameOf, prometheusTypeOf } from './kinds.js';
export { VA_METER_NAMES } from './meter-names.js';
export { setVaMeterProvider, vaMeterProvider } from './meter-provider.js';
export * from './metrics/agent.js';
export * from './metrics/db.js';
export * from './metrics/gen-ai.js';
export * from './metrics/http.js';
export * from './metrics/runtime.js';
export * from './metrics/voice.js';
export { ALL_METRICS, findMetric, METRIC_GROUPS, type MetricGroup } from './registry.js';
export type {
  AttributeDefinition,
  InstrumentKind,
  MetricDefinition,
  PrometheusType,
  Stability,
} from './types.js';
