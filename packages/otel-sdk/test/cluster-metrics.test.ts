import { EventEmitter } from 'node:events';
import type { ClusterEvents } from '@va/prometheus-bridge/cluster';
import { describe, expect, it } from 'vitest';
import {
  metricsPortOf,
  type ProcessFacts,
  processRole,
  setupClusterMetrics,
} from '../src/cluster-metrics.js';

const MAIN: ProcessFacts = {
  isMainThread: true,
  isClusterWorker: false,
  hasIpcChannel: false,
  clusterWorkerId: undefined,
};
const WORKER: ProcessFacts = { ...MAIN, isClusterWorker: true, hasIpcChannel: true, clusterWorkerId: 3 };
const THREAD: ProcessFacts = { ...MAIN, isMainThread: false };

describe('processRole', () => {
  it('tells the primary, a cluster worker, a worker thread and a PM2 instance apart', () => {
    expect(processRole({}, MAIN)).toEqual({ kind: 'cluster-primary' });
    expect(processRole({}, WORKER)).toEqual({ kind: 'cluster-worker', workerId: 3 });
    expect(processRole({}, THREAD)).toEqual({ kind: 'worker-thread' });
    // A thread of a cluster worker inherits NODE_UNIQUE_ID, so node:cluster calls it a worker; it has no IPC.
    expect(processRole({}, { ...THREAD, isClusterWorker: true })).toEqual({ kind: 'worker-thread' });
    // A process forked by child_process.fork() has IPC but is no cluster worker.
    expect(processRole({}, { ...MAIN, hasIpcChannel: true })).toEqual({ kind: 'cluster-primary' });
  });

  it('takes a forked process whose parent runs the register (it inherited VA_METRICS_HUB) for a child process', () => {
    const hub = { VA_METRICS_HUB: '@va-metrics-1-abc' };
    const FORKED = { ...MAIN, hasIpcChannel: true };
    expect(processRole(hub, FORKED)).toEqual({ kind: 'child-process', hubAddress: '@va-metrics-1-abc' });
    // Spawned without an IPC channel, a cluster worker, a thread, a PM2 instance or with the feature off: not one.
    expect(processRole(hub, MAIN)).toEqual({ kind: 'cluster-primary' });
    expect(processRole(hub, WORKER)).toEqual({ kind: 'cluster-worker', workerId: 3 });
    expect(processRole(hub, THREAD)).toEqual({ kind: 'worker-thread' });
    expect(processRole({ ...hub, pm_id: '1' }, FORKED)).toEqual({ kind: 'pm2', instance: 0 });
    expect(processRole({ ...hub, VA_CLUSTER_METRICS: 'false' }, FORKED)).toEqual({ kind: 'standalone' });
    expect(processRole({ VA_METRICS_HUB: '' }, FORKED)).toEqual({ kind: 'cluster-primary' });
  });

  it('recognises PM2 by pm_id, in cluster mode too, and reads NODE_APP_INSTANCE', () => {
    expect(processRole({ pm_id: '4', NODE_APP_INSTANCE: '2' }, WORKER)).toEqual({ kind: 'pm2', instance: 2 });
    expect(processRole({ pm_id: '0' }, MAIN)).toEqual({ kind: 'pm2', instance: 0 });
    expect(processRole({ pm_id: '0', NODE_APP_INSTANCE: 'x' }, MAIN)).toEqual({ kind: 'pm2', instance: 0 });
  });

  it('is standalone everywhere with VA_CLUSTER_METRICS=false', () => {
    for (const facts of [MAIN, WORKER, THREAD]) {
      expect(processRole({ VA_CLUSTER_METRICS: 'false' }, facts)).toEqual({ kind: 'standalone' });
    }
    expect(processRole({ VA_CLUSTER_METRICS: 'false', pm_id: '1' }, MAIN)).toEqual({ kind: 'standalone' });
  });
});

describe('setupClusterMetrics', () => {
  const cluster = new EventEmitter() as unknown as ClusterEvents;

  it('serves each PM2 instance on the port plus its instance number, from the environment or from code', () => {
    expect(setupClusterMetrics({}, 9464, {}, { kind: 'pm2', instance: 3 }).prometheusOptions).toEqual({
      port: 9467,
    });
    expect(
      setupClusterMetrics({}, 9464, { port: 9000, prefix: 'x' }, { kind: 'pm2', instance: 3 })
        .prometheusOptions,
    ).toEqual({ port: 9003, prefix: 'x' });
    expect(setupClusterMetrics({}, 0, {}, { kind: 'pm2', instance: 3 }).prometheusOptions).toEqual({
      port: 0,
    });
  });

  it('offsets the port of a PM2 instance only: the register names the same port in its start line', () => {
    expect(metricsPortOf({ kind: 'pm2', instance: 3 }, 9464)).toBe(9467);
    expect(metricsPortOf({ kind: 'pm2', instance: 3 }, 0)).toBe(0);
    for (const role of [
      { kind: 'standalone' },
      { kind: 'cluster-primary' },
      { kind: 'worker-thread' },
    ] as const) {
      expect(metricsPortOf(role, 9464)).toBe(9464);
    }
  });

  it('starts no server in a cluster worker, a child process or a worker thread, unless the code asks for one', () => {
    expect(setupClusterMetrics({}, 9464, {}, { kind: 'worker-thread' }).prometheusOptions).toEqual({
      preventServerStart: true,
    });
    // A worker and a child process send their metrics when flushed, before they may exit.
    const flushing = { preventServerStart: true, flush: expect.any(Function) };
    expect(
      setupClusterMetrics({}, 9464, {}, { kind: 'cluster-worker', workerId: 1 }).prometheusOptions,
    ).toEqual(flushing);
    expect(
      setupClusterMetrics({}, 9464, {}, { kind: 'child-process', hubAddress: '@va-metrics-1-abc' })
        .prometheusOptions,
    ).toEqual(flushing);
    for (const role of [
      { kind: 'cluster-worker', workerId: 1 },
      { kind: 'child-process', hubAddress: '@va-metrics-1-abc' },
      { kind: 'worker-thread' },
    ] as const) {
      expect(
        setupClusterMetrics({}, 9464, { preventServerStart: false }, role).prometheusOptions
          .preventServerStart,
      ).toBe(false);
    }
  });

  it('gives the primary a merge source, which merges nothing until a worker says hello, and stops listening on stop()', async () => {
    const setup = setupClusterMetrics({}, 9464, {}, { kind: 'cluster-primary' }, cluster);
    const { mergeSource, ...rest } = setup.prometheusOptions;
    expect(rest).toEqual({});
    expect(await mergeSource!()).toBeUndefined();
    expect(process.env.VA_METRICS_HUB).toBeUndefined();
    setup.attach({} as never);
    const emitter = cluster as unknown as EventEmitter;
    expect([emitter.listenerCount('message'), emitter.listenerCount('exit')]).toEqual([1, 1]);
    // Its child processes' hub: its address in the environment the processes it starts inherit.
    const hub = process.env.VA_METRICS_HUB;
    expect(hub).toMatch(process.platform === 'linux' ? /^@va-metrics-\d+-[0-9a-f]{12}$/ : /va-metrics-/);
    setup.stop();
    expect([emitter.listenerCount('message'), emitter.listenerCount('exit')]).toEqual([0, 0]);
    expect(process.env.VA_METRICS_HUB).toBeUndefined();
  });

  it('changes nothing for a standalone process', () => {
    expect(setupClusterMetrics({}, 9464, { port: 1 }, { kind: 'standalone' }).prometheusOptions).toEqual({
      port: 1,
    });
  });
});
