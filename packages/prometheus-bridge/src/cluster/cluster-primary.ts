// The primary side of cluster metrics: on every scrape, asks each worker that runs the bridge
// (cluster-worker.ts) for a snapshot of its collection and hands them to the bridge to merge with its own
// (../merge-metrics.ts). It also keeps what exited workers reported last, so that merged counters and
// histograms never go back when a worker dies or is replaced.

import { diag } from '@opentelemetry/api';
import type { ScopeMetrics } from '@opentelemetry/sdk-metrics';
import { type MetricsSource, mergeMetricsSteps } from '../merge-metrics.js';
import { runSliced, runToEnd, sliceMillisOption } from '../sliced-work.js';
import { isMetricsMessage, MESSAGE_KEY, type MetricsMessage, metricsMessage } from './cluster-messages.js';
import { fromMetricsSnapshotSteps } from './metrics-snapshot.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** What the primary needs of a node:cluster Worker. */
export interface ClusterWorkerHandle {
  readonly id: number;
  /** What log lines call it; default `cluster worker <id>`. */
  readonly name?: string;
  readonly process: { readonly pid?: number | undefined };
  send(message: MetricsMessage, callback: (error: Error | null) => void): boolean;
  isConnected(): boolean;
}

/** What the primary needs of node:cluster. */
export interface ClusterEvents {
  on(event: 'message', listener: (worker: ClusterWorkerHandle, message: unknown) => void): unknown;
  on(event: 'exit', listener: (worker: ClusterWorkerHandle) => void): unknown;
  off(event: 'message', listener: (worker: ClusterWorkerHandle, message: unknown) => void): unknown;
  off(event: 'exit', listener: (worker: ClusterWorkerHandle) => void): unknown;
}

export interface ClusterPrimaryOptions {
  /**
   * How long a scrape waits for each worker's answer (ms). A worker that does not answer in time is named
   * in a warning, and that scrape goes on without its fresh data (see {@link ClusterMetricsPrimary.collect}).
   * Default 2000.
   */
  timeoutMillis?: number;
  /** How long reading and folding the workers' answers may run before letting other work in (ms). Default 5. */
  sliceMillis?: number;
}

const DEFAULT_TIMEOUT_MS = 2_000;

function nameOf(worker: ClusterWorkerHandle): string {
  return worker.name ?? `cluster worker ${worker.id}`;
}

interface WorkerState {
  readonly worker: ClusterWorkerHandle;
  readonly pid: number;
  /** Its last answer: what is kept of it when it does not answer, or exits. */
  last: ScopeMetrics[] | undefined;
}

type Answer =
  | { kind: 'snapshot'; snapshot: unknown }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string }
  | { kind: 'gone' };

interface Pending {
  readonly workerId: number;
  settle(answer: Answer): void;
}

/**
 * In a cluster primary: gathers the workers' metrics for the bridge to merge into each scrape. Pass
 * `() => primary.collect()` as the bridge's `mergeSource`, then call {@link start}.
 */
export class ClusterMetricsPrimary {
  private readonly _sources: ClusterEvents[];
  private readonly _timeoutMillis: number;
  private readonly _sliceMillis: number;
  /** The workers that said hello, by worker id, until they exit. */
  private readonly _workers = new Map<number, WorkerState>();
  private readonly _pending = new Map<number, Pending>();
  /**
   * The last answers of the exited workers (only their monotonic sums and histograms count). Folded into
   * one entry by each scrape, so memory follows the number of series, not the number of exits.
   */
  private _retired: ScopeMetrics[][] = [];
  private _folding = false;
  private _nextId = 1;
  private _started = false;

  /** `cluster`: node:cluster, and any other source of workers (a ChildProcessHub), each on its own. */
  constructor(cluster: ClusterEvents | readonly ClusterEvents[], options: ClusterPrimaryOptions = {}) {
    this._sources = Array.isArray(cluster) ? [...cluster] : [cluster as ClusterEvents];
    const timeout = options.timeoutMillis;
    this._timeoutMillis =
      timeout !== undefined && Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
    this._sliceMillis = sliceMillisOption(options.sliceMillis);
  }

  /** Starts listening to the workers. Adding listeners to `cluster` holds no process open. */
  start(): void {
    if (this._started) return;
    this._started = true;
    for (const source of this._sources) {
      source.on('message', this._onMessage);
      source.on('exit', this._onExit);
    }
  }

  /** Stops listening; requests in flight settle at once. */
  stop(): void {
    if (!this._started) return;
    this._started = false;
    for (const source of this._sources) {
      source.off('message', this._onMessage);
      source.off('exit', this._onExit);
    }
    for (const pending of [...this._pending.values()]) pending.settle({ kind: 'gone' });
  }

  /**
   * The workers' collections, to merge after the primary's own: `undefined` while no worker has ever
   * answered to the bridge (not a cluster, or one whose workers do not run it), so a plain process renders
   * exactly as before. Each live worker is asked, all at once, for at most `timeoutMillis`:
   * - an answer is a live source (all of its metrics count);
   * - a worker that does not answer in time, or fails to, is named in a warning; its last answer counts
   *   as an exited worker's would (counters and histograms only), so the merged counters do not drop for
   *   one scrape, which `rate()` would read as a counter reset;
   * - the exited workers' counters and histograms come last, added up.
   * Never rejects.
   */
  async collect(): Promise<MetricsSource[] | undefined> {
    if (this._workers.size === 0 && this._retired.length === 0) return undefined;
    const asked = [...this._workers.values()].map(async (state) => ({
      state,
      answer: await this._ask(state),
    }));
    const answers: Array<{ state: WorkerState; answer: Answer; scopeMetrics?: ScopeMetrics[] }> =
      await Promise.all(asked);
    for (const entry of answers) {
      if (entry.answer.kind !== 'snapshot') continue;
      entry.scopeMetrics = await runSliced(
        fromMetricsSnapshotSteps(entry.answer.snapshot),
        this._sliceMillis,
      );
    }
    await this._foldRetired();

    // From here on nothing awaits: the workers and the retired answers are read at one moment.
    const sources: MetricsSource[] = [];
    for (const { state, answer, scopeMetrics } of answers) {
      // Exited while we waited: its last answer is among the retired ones already.
      if (this._workers.get(state.worker.id) !== state) continue;
      if (scopeMetrics !== undefined) {
        state.last = scopeMetrics;
        sources.push({ pid: state.pid, live: true, scopeMetrics });
        continue;
      }
      if (answer.kind === 'timeout') {
        diagLogger.warn(
          `${nameOf(state.worker)} (pid ${state.pid}) did not answer the metrics request within ${this._timeoutMillis} ms; this scrape leaves out its gauges and up-down counters and keeps its counters and histograms at their last answered values.`,
        );
      } else if (answer.kind === 'error' || answer.kind === 'snapshot') {
        const reason = answer.kind === 'error' ? answer.message : 'its answer could not be read';
        diagLogger.warn(
          `${nameOf(state.worker)} (pid ${state.pid}) could not collect its metrics (${reason}); this scrape keeps its counters and histograms at their last answered values.`,
        );
      }
      if (state.last !== undefined) sources.push({ pid: state.pid, live: false, scopeMetrics: state.last });
    }
    for (const scopeMetrics of this._retired) sources.push({ pid: 0, live: false, scopeMetrics });
    return sources;
  }

  /** Adds up the retired answers into one, in slices; answers retired meanwhile stay as they are. */
  private async _foldRetired(): Promise<void> {
    if (this._retired.length < 2 || this._folding) return;
    this._folding = true;
    try {
      const batch = this._retired.slice();
      const { scopeMetrics } = await runSliced(
        mergeMetricsSteps(batch.map((entry) => ({ pid: 0, live: false, scopeMetrics: entry }))),
        this._sliceMillis,
      );
      this._retired = [scopeMetrics, ...this._retired.slice(batch.length)];
    } finally {
      this._folding = false;
    }
  }

  private _ask(state: WorkerState): Promise<Answer> {
    return new Promise<Answer>((resolve) => {
      if (!state.worker.isConnected()) {
        resolve({ kind: 'gone' });
        return;
      }
      const id = this._nextId++;
      const timer = setTimeout(() => pending.settle({ kind: 'timeout' }), this._timeoutMillis);
      // The scrape that waits is what keeps the process busy, never this timer.
      timer.unref();
      const pending: Pending = {
        workerId: state.worker.id,
        settle: (answer) => {
          if (!this._pending.delete(id)) return;
          clearTimeout(timer);
          resolve(answer);
        },
      };
      this._pending.set(id, pending);
      const message = metricsMessage('collect', { id, timeoutMillis: this._timeoutMillis });
      try {
        state.worker.send(message, (error) => {
          if (error !== null) pending.settle({ kind: 'gone' });
        });
      } catch {
        pending.settle({ kind: 'gone' });
      }
    });
  }

  // Arrow functions: passed to cluster.on() and off() as they are.
  private readonly _onMessage = (worker: ClusterWorkerHandle, message: unknown): void => {
    try {
      if (!isMetricsMessage(message)) return;
      switch (message[MESSAGE_KEY]) {
        case 'hello':
          this._hello(worker);
          break;
        case 'snapshot':
          this._answered(worker, message.id, message.snapshot);
          break;
        case 'push':
          this._pushed(worker, message.snapshot);
          break;
        case 'error':
          this._pendingOf(worker, message.id)?.settle({ kind: 'error', message: String(message.message) });
          break;
      }
    } catch (error) {
      diagLogger.error('could not handle a message from a cluster worker', error);
    }
  };

  private readonly _onExit = (worker: ClusterWorkerHandle): void => {
    try {
      const state = this._workers.get(worker.id);
      if (state === undefined) return;
      this._workers.delete(worker.id);
      if (state.last !== undefined) this._retired.push(state.last);
      for (const pending of [...this._pending.values()]) {
        if (pending.workerId === worker.id) pending.settle({ kind: 'gone' });
      }
    } catch (error) {
      diagLogger.error('could not keep the metrics of an exited cluster worker', error);
    }
  };

  private _hello(worker: ClusterWorkerHandle): void {
    const pid = worker.process.pid;
    if (pid === undefined || this._workers.has(worker.id)) return;
    this._workers.set(worker.id, { worker, pid, last: undefined });
    try {
      worker.send(metricsMessage('welcome'), () => {});
    } catch {
      // The worker is gone already; its exit event cleans up.
    }
  }

  private _answered(worker: ClusterWorkerHandle, id: unknown, snapshot: unknown): void {
    // Read in collect(), in slices: a large answer is not decoded inside this IPC callback in one block.
    // Too late (no pending request) means that scrape went on without it.
    this._pendingOf(worker, id)?.settle({ kind: 'snapshot', snapshot });
  }

  /**
   * A worker's metrics sent unasked, as it may exit before the next scrape (a child process whose job
   * ended): they become its last answer, which is what counts once it exits. Read at once, not in slices:
   * its exit may follow on the same turn.
   */
  private _pushed(worker: ClusterWorkerHandle, snapshot: unknown): void {
    const state = this._workers.get(worker.id);
    if (state === undefined) return;
    try {
      state.last = runToEnd(fromMetricsSnapshotSteps(snapshot));
    } catch (error) {
      diagLogger.warn(`${nameOf(worker)} (pid ${state.pid}) sent metrics that could not be read`, error);
    }
  }

  private _pendingOf(worker: ClusterWorkerHandle, id: unknown): Pending | undefined {
    if (typeof id !== 'number') return undefined;
    const pending = this._pending.get(id);
    return pending?.workerId === worker.id ? pending : undefined;
  }
}
