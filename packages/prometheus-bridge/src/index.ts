export { PROMETHEUS_CONTENT_TYPE } from './http-response.js';
export { isBridgeServer } from './metrics-server.js';
export {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  type MetricNameInput,
  type PrometheusMetricType,
  prometheusMetricName,
  prometheusUnit,
  sanitizeLabelName,
  sanitizeMetricName,
} from './naming.js';
export {
  PrometheusBridge,
  type PrometheusBridgeHealth,
  type PrometheusBridgeOptions,
} from './prometheus-bridge.js';
export { type SerializeOptions, serialize } from './serializer.js';
