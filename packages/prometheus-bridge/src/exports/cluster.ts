// `@va/prometheus-bridge/cluster`: one scrape of a node:cluster primary that returns every worker's
// metrics, merged. @va/otel-sdk wires these up; the merge itself and the IPC snapshot form stay inside.
export {
  type ClusterEvents,
  ClusterMetricsPrimary,
  type ClusterPrimaryOptions,
  type ClusterWorkerHandle,
} from '../cluster/cluster-primary.js';
export {
  answerClusterScrapes,
  type ClusterWorkerOptions,
  type ClusterWorkerResponder,
  type IpcEndpoint,
} from '../cluster/cluster-worker.js';
export type { MergeSource } from '../collect-merged.js';
export type { MetricsSource } from '../merge-metrics.js';
