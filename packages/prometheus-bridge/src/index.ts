export {
  type ClusterEvents,
  ClusterMetricsPrimary,
  type ClusterPrimaryOptions,
  type ClusterWorkerHandle,
} from './cluster/cluster-primary.js';
export {
  answerClusterScrapes,
  type ClusterWorkerOptions,
  type ClusterWorkerResponder,
  type IpcEndpoint,
} from './cluster/cluster-worker.js';
export type { MergeSource } from './cluster/collect-merged.js';
export {
  type MergeResult,
  type MergeWarning,
  type MetricsSource,
  mergeMetrics,
  PROCESS_PID_ATTRIBUTE,
} from './cluster/merge-metrics.js';
export { fromMetricsSnapshot, type MetricsSnapshot, toMetricsSnapshot } from './cluster/metrics-snapshot.js';
export { PROMETHEUS_CONTENT_TYPE } from './http-response.js';
export type { MetricsAuthOptions } from './metrics-auth.js';
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
