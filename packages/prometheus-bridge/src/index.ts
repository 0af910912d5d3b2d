// The reader, its options and health, and what its users serve or serialize with it. The cluster wiring is
// `@va/prometheus-bridge/cluster`; the naming rules, `@va/prometheus-bridge/naming`.
export {
  type ExpositionFormat,
  type NegotiatedFormat,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from './exposition-format.js';
export type { MetricsAuthOptions } from './metrics-auth.js';
export { isBridgeServer } from './metrics-server.js';
export {
  PrometheusBridge,
  type PrometheusBridgeHealth,
  type PrometheusBridgeOptions,
} from './prometheus-bridge.js';
export { type SerializeOptions, serialize } from './serializer.js';
