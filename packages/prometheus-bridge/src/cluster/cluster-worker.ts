// The worker side of cluster metrics: a node:cluster worker serves no metrics server of its own (all workers
// share their listening sockets through the primary, so a scrape of a shared port would reach a random
// worker). Instead it answers the primary's requests over the IPC channel with a snapshot of its collection,
// which the primary merges into its own scrape (cluster-primary.ts).
//
// Keeping the process alive: Node refs the IPC channel while the process has 'message' listeners, and the
// cluster module itself keeps one on every worker, so a cluster worker lives until it disconnects or exits,
// with or without us. Our listener changes nothing about that, and we deliberately do not call
// `process.channel.unref()`: it switches the reference counting off for good, which would let a worker
// whose application relies on IPC (a job worker waiting for messages from its primary) exit under it.
// When the application disconnects, the channel closes and our listener holds nothing.

import { diag } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { DEFAULT_SLICE_MILLIS, runSliced, runToEnd } from '../sliced-work.js';
import { isMetricsMessage, MESSAGE_KEY, metricsMessage } from './cluster-messages.js';
import { toMetricsSnapshotSteps } from './metrics-snapshot.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** The IPC end of a forked process: `process` in a cluster worker. */
export interface IpcEndpoint {
  readonly connected?: boolean;
  send?(message: unknown, callback: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface ClusterWorkerOptions {
  /**
   * How long to wait for the primary to acknowledge this worker before warning that nothing will scrape
   * it (the primary does not run the bridge). Default 5000 ms.
   */
  welcomeTimeoutMillis?: number;
  /** The IPC endpoint; default `process` (tests pass their own). */
  endpoint?: IpcEndpoint;
  /** The warning when no primary acknowledges this worker; default the cluster worker's. */
  unwelcomedWarning?: string;
}

export interface ClusterWorkerResponder {
  /**
   * Sends the metrics now, unasked: for a process that may exit before the next scrape. Resolves once they
   * are handed to the channel (or could not be); never rejects. Collected and encoded in one go, with no
   * turn of the event loop in between.
   */
  push(): Promise<void>;
  /** Stops answering; removes the IPC listener. */
  stop(): void;
}

const DEFAULT_WELCOME_TIMEOUT_MS = 5_000;
// Used when a request names no timeout: as long as a primary waits by default.
const DEFAULT_COLLECT_TIMEOUT_MS = 2_000;

/**
 * In a cluster worker: answers the primary's metric requests with `reader`'s collection (usually the
 * worker's PrometheusBridge, started with `preventServerStart`). Never throws, here or later in a
 * listener; a fault is logged through diag.
 */
export function answerClusterScrapes(
  reader: MetricReader,
  options: ClusterWorkerOptions = {},
): ClusterWorkerResponder {
  const endpoint = options.endpoint ?? (process as unknown as IpcEndpoint);
  let stopped = false;

  const send = (message: unknown): Promise<void> =>
    new Promise((resolve) => {
      if (stopped || endpoint.connected === false || endpoint.send === undefined) {
        resolve();
        return;
      }
      try {
        // With a callback, a failed send (the primary went away) is reported to it instead of being
        // emitted as an 'error' event on `process`, which would crash an app that has no listener.
        endpoint.send(message, (error) => {
          if (error !== null) diagLogger.debug('could not send metrics to the cluster primary', error);
          resolve();
        });
      } catch (error) {
        diagLogger.debug('could not send metrics to the cluster primary', error);
        resolve();
      }
    });

  const collectSnapshot = async (timeoutMillis: number, sliced: boolean): Promise<unknown> => {
    const { resourceMetrics, errors } = await reader.collect({ timeoutMillis });
    if (errors.length > 0) diagLogger.error('metrics collection reported errors', ...errors);
    const steps = toMetricsSnapshotSteps(resourceMetrics.scopeMetrics);
    // In slices for a scrape: the worker's event loop serves the application meanwhile.
    return sliced ? runSliced(steps, DEFAULT_SLICE_MILLIS) : runToEnd(steps);
  };

  const answer = async (id: unknown, timeoutMillis: unknown): Promise<void> => {
    const timeout =
      typeof timeoutMillis === 'number' && timeoutMillis > 0 ? timeoutMillis : DEFAULT_COLLECT_TIMEOUT_MS;
    try {
      const snapshot = await collectSnapshot(timeout, true);
      await send(metricsMessage('snapshot', { id, snapshot }));
    } catch (error) {
      diagLogger.debug('could not collect metrics for the cluster primary', error);
      await send(metricsMessage('error', { id, message: String(error) }));
    }
  };

  let welcomed = false;
  const welcomeTimer = setTimeout(() => {
    if (welcomed || stopped) return;
    diagLogger.warn(
      options.unwelcomedWarning ??
        "this cluster worker's metrics are not served: its primary process did not answer. Start the primary " +
          'under @va/otel-register too (workers inherit its --require), or set VA_CLUSTER_METRICS=false and ' +
          'export with OTLP.',
    );
  }, options.welcomeTimeoutMillis ?? DEFAULT_WELCOME_TIMEOUT_MS);
  // A warning is never a reason to keep a process alive.
  welcomeTimer.unref();

  const onMessage = (message: unknown): void => {
    try {
      if (stopped || !isMetricsMessage(message)) return;
      const type = message[MESSAGE_KEY];
      if (type === 'welcome') {
        welcomed = true;
        clearTimeout(welcomeTimer);
      } else if (type === 'collect') {
        void answer(message.id, message.timeoutMillis);
      }
    } catch (error) {
      diagLogger.error('could not handle a message from the cluster primary', error);
    }
  };

  endpoint.on('message', onMessage);
  void send(metricsMessage('hello', { pid: process.pid }));

  return {
    async push() {
      if (stopped) return;
      try {
        await send(
          metricsMessage('push', { snapshot: await collectSnapshot(DEFAULT_COLLECT_TIMEOUT_MS, false) }),
        );
      } catch (error) {
        diagLogger.debug('could not send metrics to the cluster primary', error);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(welcomeTimer);
      endpoint.off('message', onMessage);
    },
  };
}
