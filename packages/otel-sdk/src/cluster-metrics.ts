// Which part of a multi-process (or multi-thread) application this one is, and what that means for the
// Prometheus bridge. `node --require @va/otel-register app.js` runs again in every forked cluster worker
// and child process (they inherit execArgv) and in every worker thread (threads inherit it too), so
// without this each of them would try to serve the same port. docs/scaling.md is the user's side of this file.

import cluster from 'node:cluster';
import { connect } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import { diag } from '@opentelemetry/api';
import type { Environment } from '@va/instrumentation-base/environment';
import type { PrometheusBridge, PrometheusBridgeOptions } from '@va/prometheus-bridge';
import {
  answerClusterScrapes,
  ChildProcessHub,
  type ClusterEvents,
  ClusterMetricsPrimary,
  type ClusterWorkerResponder,
  childProcessHubAddress,
  MessageSocket,
  socketPathOf,
} from '@va/prometheus-bridge/cluster';
import { readVariable } from './config/read-variable.js';
import { VA_CLUSTER_METRICS, VA_CLUSTER_METRICS_TIMEOUT } from './config/variables.js';

const logger = diag.createComponentLogger({ namespace: '@va/otel-sdk' });

/**
 * Where a process's child processes find its metrics hub: set by the register in its own environment, so
 * every process started under it inherits it (through `child_process.fork()`'s execArgv the register runs
 * there too). Not a setting: never set it yourself.
 */
export const METRICS_HUB_VARIABLE = 'VA_METRICS_HUB';

export type ProcessRole =
  /** A process of its own (also: VA_CLUSTER_METRICS=false). */
  | { readonly kind: 'standalone' }
  /** A main process that may fork cluster workers: it merges theirs into its scrape once they say hello. */
  | { readonly kind: 'cluster-primary' }
  /** A node:cluster worker with our primary: it answers over IPC and serves nothing itself. */
  | { readonly kind: 'cluster-worker'; readonly workerId: number | undefined }
  /** A process started by one that runs the register: it answers over its parent's hub and serves nothing. */
  | { readonly kind: 'child-process'; readonly hubAddress: string }
  /** An instance started by PM2, whose primary is PM2's own: it serves on the port plus its instance number. */
  | { readonly kind: 'pm2'; readonly instance: number }
  /** A worker_threads thread: the main thread's server is the process's server. */
  | { readonly kind: 'worker-thread' };

/** What the runtime says about this process; a parameter so tests can describe other processes. */
export interface ProcessFacts {
  readonly isMainThread: boolean;
  readonly isClusterWorker: boolean;
  readonly hasIpcChannel: boolean;
  readonly clusterWorkerId: number | undefined;
}

function currentFacts(): ProcessFacts {
  return {
    isMainThread,
    isClusterWorker: cluster.isWorker,
    hasIpcChannel: typeof process.send === 'function',
    clusterWorkerId: cluster.worker?.id,
  };
}

/**
 * This process's role. PM2 is recognised by the `pm_id` variable it sets in every process it starts; in
 * cluster mode its instances are node:cluster workers of PM2's own primary, which runs none of our code, so
 * they must not wait for one. PM2's `instance_var` option renames NODE_APP_INSTANCE; we read the default
 * name only.
 */
export function processRole(environment: Environment, facts: ProcessFacts = currentFacts()): ProcessRole {
  if (!readVariable(VA_CLUSTER_METRICS, environment)) return { kind: 'standalone' };
  if (!facts.isMainThread) return { kind: 'worker-thread' };
  if (environment.pm_id !== undefined) {
    const instance = Number(environment.NODE_APP_INSTANCE ?? '0');
    return { kind: 'pm2', instance: Number.isSafeInteger(instance) && instance >= 0 ? instance : 0 };
  }
  if (facts.isClusterWorker && facts.hasIpcChannel) {
    return { kind: 'cluster-worker', workerId: facts.clusterWorkerId };
  }
  // Forked (it has an IPC channel, as LiveKit's job processes do) by a process that runs the register.
  const hubAddress = environment[METRICS_HUB_VARIABLE];
  if (facts.hasIpcChannel && typeof hubAddress === 'string' && hubAddress !== '') {
    return { kind: 'child-process', hubAddress };
  }
  // Every main process: workers can be forked at any time after start(), and until one says hello the
  // primary's scrape is exactly a lone process's.
  return { kind: 'cluster-primary' };
}

/**
 * The port this process's metrics server asks for, given the configured one: a PM2 instance adds its
 * instance number, since the same code runs in every instance; port 0 (any free port) needs no offset.
 */
export function metricsPortOf(role: ProcessRole, configuredPort: number): number {
  return role.kind === 'pm2' && configuredPort !== 0 ? configuredPort + role.instance : configuredPort;
}

export interface ClusterMetrics {
  readonly role: ProcessRole;
  /** The bridge options for this role; explicit options passed to start() win, except PM2's port offset. */
  readonly prometheusOptions: Partial<PrometheusBridgeOptions>;
  /** Connects the bridge (when `prometheus` is an exporter) to the primary or the workers. */
  attach(bridge: PrometheusBridge | undefined): void;
  /** Stops listening to the IPC channel or the cluster. */
  stop(): void;
}

/**
 * The cluster side of start(): bridge options for this process's role, and what to connect once the bridge
 * exists. `configuredPort` is the port from the environment; `requested` the options passed in code.
 */
export function setupClusterMetrics(
  environment: Environment,
  configuredPort: number,
  requested: Partial<PrometheusBridgeOptions> = {},
  role: ProcessRole = processRole(environment),
  clusterEvents: ClusterEvents = cluster as unknown as ClusterEvents,
): ClusterMetrics {
  switch (role.kind) {
    case 'standalone':
      return { role, prometheusOptions: requested, attach() {}, stop() {} };

    case 'worker-thread':
      return {
        role,
        prometheusOptions: { preventServerStart: true, ...requested },
        attach(bridge) {
          if (bridge !== undefined && requested.preventServerStart !== false) {
            logger.debug(
              'worker thread: no metrics server here (the main thread serves the process); metrics recorded in this thread are not served to Prometheus. Export them with OTLP, or record them in the main thread.',
            );
          }
        },
        stop() {},
      };

    case 'pm2': {
      // A port given in code needs the offset as much as one from the environment.
      const base = requested.port ?? configuredPort;
      const port = metricsPortOf(role, base);
      return {
        role,
        prometheusOptions: { ...requested, port },
        attach(bridge) {
          if (bridge !== undefined && requested.preventServerStart !== true) {
            logger.info(
              `PM2 instance ${role.instance}: metrics on port ${port} (port ${base} + NODE_APP_INSTANCE); scrape each instance, see docs/scaling.md.`,
            );
          }
        },
        stop() {},
      };
    }

    case 'cluster-worker':
      return answeringProcess(
        role,
        requested,
        (bridge) => answerClusterScrapes(bridge),
        `cluster worker ${role.workerId ?? '?'}: no metrics server here; the primary merges this worker's metrics into its scrape.`,
      );

    case 'child-process':
      return answeringProcess(
        role,
        requested,
        (bridge) =>
          answerClusterScrapes(bridge, {
            endpoint: new MessageSocket(connect(socketPathOf(role.hubAddress))),
            unwelcomedWarning:
              "this process's metrics are not served: the process that started it, whose metrics hub it inherited, did not answer. Set VA_CLUSTER_METRICS=false for every process to serve its own, or export with OTLP.",
          }),
        'child process: no metrics server here; the process that started it merges its metrics into its scrape.',
      );

    case 'cluster-primary': {
      const hub = new ChildProcessHub();
      const primary = new ClusterMetricsPrimary([clusterEvents, hub], {
        timeoutMillis: readVariable(VA_CLUSTER_METRICS_TIMEOUT, environment),
      });
      let hubAddress: string | undefined;
      return {
        role,
        prometheusOptions: { mergeSource: () => primary.collect(), ...requested },
        attach(bridge) {
          if (bridge === undefined) return;
          primary.start();
          // A merge source of the app's own replaces ours: nothing would read the children's answers.
          if (requested.mergeSource !== undefined) return;
          hubAddress = childProcessHubAddress();
          // Set before the app runs a line: every process it starts from now on inherits it.
          process.env[METRICS_HUB_VARIABLE] = hubAddress;
          hub.start(hubAddress).catch((error: unknown) => {
            if (process.env[METRICS_HUB_VARIABLE] === hubAddress) delete process.env[METRICS_HUB_VARIABLE];
            logger.warn(
              `no metrics hub for child processes (${String(error)}): processes started from this one serve their own metrics.`,
            );
          });
        },
        stop() {
          primary.stop();
          hub.stop();
          if (hubAddress !== undefined && process.env[METRICS_HUB_VARIABLE] === hubAddress) {
            delete process.env[METRICS_HUB_VARIABLE];
          }
        },
      };
    }
  }
}

/**
 * A process whose metrics another one serves (a cluster worker, a child process): no server of its own; it
 * answers that process's requests, and sends its metrics when flushed, before it may exit.
 */
function answeringProcess(
  role: ProcessRole,
  requested: Partial<PrometheusBridgeOptions>,
  answer: (bridge: PrometheusBridge) => ClusterWorkerResponder,
  startedLine: string,
): ClusterMetrics {
  let responder: ClusterWorkerResponder | undefined;
  return {
    role,
    prometheusOptions: {
      preventServerStart: true,
      flush: () => responder?.push() ?? Promise.resolve(),
      ...requested,
    },
    attach(bridge) {
      if (bridge === undefined) return;
      responder = answer(bridge);
      logger.info(startedLine);
    },
    stop() {
      responder?.stop();
    },
  };
}
