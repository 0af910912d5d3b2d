// `@va/prometheus-bridge/cluster`: one scrape of a node:cluster primary (or of a parent process) that
// returns every worker's (every child process's) metrics, merged. @va/otel-sdk wires these up; the merge itself and the IPC snapshot form stay inside.

export { childProcessHubAddress, socketPathOf } from '../cluster/child-process-address.js';
export { ChildProcessHub } from '../cluster/child-process-hub.js';
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
export { MessageSocket } from '../cluster/message-socket.js';
export type { MergeSource } from '../collect-merged.js';
export type { MetricsSource } from '../merge-metrics.js';
