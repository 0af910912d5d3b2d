import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  answerClusterScrapes,
  ClusterMetricsPrimary,
  type ClusterWorkerResponder,
} from '../../src/exports/cluster.js';
import { PrometheusBridge } from '../../src/index.js';
import { type CapturedLog, captureDiag } from '../helpers.js';
import { deliver, FakeCluster, type FakeWorker } from './fake-cluster.js';

// The primary and its workers wired through FakeCluster, each with its own MeterProvider and bridge, as
// in separate processes. Every worker records the same instruments; values differ per worker.

interface WorkerApp {
  worker: FakeWorker;
  provider: MeterProvider;
  responder: ClusterWorkerResponder;
  requests: (count: number) => void;
  active: (delta: number) => void;
  duration: (seconds: number) => void;
}

const BOUNDARIES = [1];

function startWorker(cluster: FakeCluster, pid: number): WorkerApp {
  const worker = cluster.fork(pid);
  const bridge = new PrometheusBridge({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [bridge], resource: resourceFromAttributes({}) });
  const meter = provider.getMeter('app');
  const requests = meter.createCounter('requests');
  const active = meter.createUpDownCounter('active');
  const duration = meter.createHistogram('duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: BOUNDARIES },
  });
  // A gauge whose value tells the workers apart.
  meter.createObservableGauge('heap', { unit: 'By' }).addCallback((result) => result.observe(pid * 10));
  const responder = answerClusterScrapes(bridge, { endpoint: worker.endpoint });
  return {
    worker,
    provider,
    responder,
    requests: (count) => requests.add(count, { route: '/a' }),
    active: (delta) => active.add(delta),
    duration: (seconds) => duration.record(seconds, { route: '/a' }),
  };
}

function startPrimary(cluster: FakeCluster, timeoutMillis = 2_000) {
  const primary = new ClusterMetricsPrimary(cluster, { timeoutMillis });
  primary.start();
  const bridge = new PrometheusBridge({
    preventServerStart: true,
    prefix: '',
    withTargetInfo: false,
    withScopeLabels: false,
    mergeSource: () => primary.collect(),
  });
  const provider = new MeterProvider({ readers: [bridge], resource: resourceFromAttributes({}) });
  // The primary's own gauge: it is labelled with the primary's pid once workers are merged in.
  provider
    .getMeter('app')
    .createObservableGauge('heap', { unit: 'By' })
    .addCallback((result) => result.observe(1));
  return { primary, bridge, provider };
}

const lines = (text: string, prefix: string): string[] =>
  text.split('\n').filter((line) => line.startsWith(prefix));

let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  diagCapture?.restore();
  diagCapture = undefined;
});

/** A primary and workers 101 and 102 on one fake cluster, all stopped after the test. */
function startPrimaryWithTwoWorkers(timeoutMillis?: number) {
  const fake = cluster();
  const { bridge, primary, provider } = startPrimary(fake, timeoutMillis);
  const one = startWorker(fake, 101);
  const two = startWorker(fake, 102);
  cleanups.push(
    () => provider.shutdown(),
    () => primary.stop(),
    () => one.provider.shutdown(),
    () => two.provider.shutdown(),
  );
  return { fake, bridge, primary, one, two };
}

function cluster(): FakeCluster {
  return new FakeCluster();
}

describe('ClusterMetricsPrimary with ClusterWorker responders', () => {
  it('merges nothing, and labels nothing, while no worker has said hello', async () => {
    const { bridge, primary, provider } = startPrimary(cluster());
    cleanups.push(
      () => provider.shutdown(),
      () => primary.stop(),
    );
    expect(await primary.collect()).toBeUndefined();
    expect(await bridge.render()).toBe('# TYPE heap_bytes gauge\nheap_bytes 1\n');
  });

  it('welcomes each worker and merges their metrics into one exposition', async () => {
    const { bridge, one, two } = startPrimaryWithTwoWorkers();
    await deliver();
    expect(one.worker.received).toEqual([{ 'va.metrics': 'welcome' }]);
    expect(two.worker.received).toEqual([{ 'va.metrics': 'welcome' }]);

    one.requests(3);
    two.requests(4);
    one.active(2);
    two.active(1);
    one.duration(0.5);
    two.duration(2);
    two.duration(0.25);

    expect(await bridge.render()).toBe(
      [
        '# TYPE heap_bytes gauge',
        `heap_bytes{process_pid="${process.pid}"} 1`,
        'heap_bytes{process_pid="101"} 1010',
        'heap_bytes{process_pid="102"} 1020',
        '# TYPE requests_total counter',
        'requests_total{route="/a"} 7',
        '# TYPE active gauge',
        'active 3',
        '# TYPE duration_seconds histogram',
        'duration_seconds_bucket{route="/a",le="1"} 2',
        'duration_seconds_bucket{route="/a",le="+Inf"} 3',
        'duration_seconds_sum{route="/a"} 2.75',
        'duration_seconds_count{route="/a"} 3',
        '',
      ].join('\n'),
    );
  });

  it('keeps what an exited worker reported last, so counters and histograms never go back; its gauges and up-down counters go', async () => {
    const { fake, bridge, one, two } = startPrimaryWithTwoWorkers();
    await deliver();
    one.requests(3);
    two.requests(4);
    one.active(2);
    two.active(1);
    one.duration(0.5);
    two.duration(2);
    expect(lines(await bridge.render(), 'requests_total')).toEqual(['requests_total{route="/a"} 7']);

    one.worker.exit();
    const three = startWorker(fake, 103);
    cleanups.push(() => three.provider.shutdown());
    await deliver();
    three.requests(5);
    three.duration(0.75);

    const text = await bridge.render();
    expect(lines(text, 'requests_total')).toEqual(['requests_total{route="/a"} 12']);
    expect(lines(text, 'duration_seconds')).toEqual([
      'duration_seconds_bucket{route="/a",le="1"} 2',
      'duration_seconds_bucket{route="/a",le="+Inf"} 3',
      'duration_seconds_sum{route="/a"} 3.25',
      'duration_seconds_count{route="/a"} 3',
    ]);
    expect(lines(text, 'active')).toEqual(['active 1']);
    expect(lines(text, 'heap_bytes{')).toEqual([
      `heap_bytes{process_pid="${process.pid}"} 1`,
      'heap_bytes{process_pid="102"} 1020',
      'heap_bytes{process_pid="103"} 1030',
    ]);

    // A second exit adds to the retired totals, which keep counting.
    two.worker.exit();
    expect(lines(await bridge.render(), 'requests_total')).toEqual(['requests_total{route="/a"} 12']);
  });

  it('names a worker that does not answer in time, and keeps its counters at their last answered values', async () => {
    diagCapture = captureDiag();
    const { bridge, one, two } = startPrimaryWithTwoWorkers(50);
    await deliver();
    one.requests(3);
    two.requests(4);
    two.active(6);
    expect(lines(await bridge.render(), 'requests_total')).toEqual(['requests_total{route="/a"} 7']);

    two.worker.unresponsive = true;
    one.requests(1);
    two.requests(100); // recorded, but the hung worker cannot report it
    const text = await bridge.render();
    expect(lines(text, 'requests_total')).toEqual(['requests_total{route="/a"} 8']);
    expect(lines(text, 'heap_bytes{')).toEqual([
      `heap_bytes{process_pid="${process.pid}"} 1`,
      'heap_bytes{process_pid="101"} 1010',
    ]);
    expect(lines(text, 'active')).toEqual([]);
    expect(diagCapture.logs).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining(
          'cluster worker 2 (pid 102) did not answer the metrics request within 50 ms',
        ),
      },
    ]);

    two.worker.unresponsive = false;
    expect(lines(await bridge.render(), 'requests_total')).toEqual(['requests_total{route="/a"} 108']);
  });

  it('warns when a worker cannot collect, and renders the rest', async () => {
    diagCapture = captureDiag();
    const fake = cluster();
    const { bridge, primary, provider } = startPrimary(fake);
    const one = startWorker(fake, 101);
    cleanups.push(
      () => provider.shutdown(),
      () => primary.stop(),
    );
    await deliver();
    await one.provider.shutdown(); // its reader can no longer collect
    expect(await bridge.render()).toBe(
      `# TYPE heap_bytes gauge\nheap_bytes{process_pid="${process.pid}"} 1\n`,
    );
    expect(diagCapture.logs.map((log) => log.message)).toEqual([
      expect.stringContaining('cluster worker 1 (pid 101) could not collect its metrics'),
    ]);
  });

  it('ignores messages that are not its own or answer nothing it asked, and warns about an answer it cannot read', async () => {
    diagCapture = captureDiag();
    const fake = cluster();
    const { bridge, primary, provider } = startPrimary(fake);
    cleanups.push(
      () => provider.shutdown(),
      () => primary.stop(),
    );
    // A worker driven by hand: it says hello, then answers every request with something unreadable.
    const worker = fake.fork(101);
    worker.endpoint.on('message', (message) => {
      const request = message as { 'va.metrics'?: string; id?: number };
      if (request['va.metrics'] === 'collect') {
        worker.endpoint.send?.(
          { 'va.metrics': 'snapshot', id: request.id, snapshot: { version: 99 } },
          () => {},
        );
      }
    });
    for (const message of [
      null,
      'hello',
      { app: 'mine' },
      { 'va.metrics': 'snapshot', id: 'x' },
      { 'va.metrics': 'snapshot', id: 12345, snapshot: {} },
      { 'va.metrics': 'error', id: 12345 },
      { 'va.metrics': 'hello' },
    ]) {
      worker.endpoint.send?.(message, () => {});
    }
    await deliver();
    expect(await bridge.render()).toBe(
      `# TYPE heap_bytes gauge\nheap_bytes{process_pid="${process.pid}"} 1\n`,
    );
    expect(diagCapture.logs.map((log) => log.message)).toEqual([
      expect.stringContaining(
        'cluster worker 1 (pid 101) could not collect its metrics (its answer could not be read)',
      ),
    ]);
  });

  it('stops listening to the cluster on stop()', async () => {
    const fake = cluster();
    const { primary, provider } = startPrimary(fake);
    cleanups.push(() => provider.shutdown());
    expect([fake.listenerCount('message'), fake.listenerCount('exit')]).toEqual([1, 1]);
    primary.stop();
    expect([fake.listenerCount('message'), fake.listenerCount('exit')]).toEqual([0, 0]);
  });
});

describe('answerClusterScrapes', () => {
  it('says hello, answers only its own messages, never throws, and removes its listener on stop()', async () => {
    const fake = cluster();
    const seen: unknown[] = [];
    fake.on('message', (_worker, message) => seen.push(message));
    const app = startWorker(fake, 101);
    cleanups.push(() => app.provider.shutdown());
    await deliver();
    expect(seen).toEqual([{ 'va.metrics': 'hello', pid: process.pid }]);
    expect(app.worker.listenerCount()).toBe(1);

    // Messages that are not ours, or are ours but malformed: ignored, or answered; never thrown at.
    for (const message of [
      null,
      'collect',
      42,
      { cmd: 'app' },
      { 'va.metrics': 'nonsense' },
      { 'va.metrics': 'collect' },
    ]) {
      app.worker.send(message as never, () => {});
    }
    await deliver(8);
    expect(seen.slice(1)).toEqual([
      { 'va.metrics': 'snapshot', snapshot: { version: 1, scopeMetrics: expect.any(Array) } },
    ]);

    app.responder.stop();
    expect(app.worker.listenerCount()).toBe(0);
  });

  it('warns once when no primary answers its hello', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    cleanups.push(() => vi.useRealTimers());
    diagCapture = captureDiag();
    const fake = cluster(); // no primary listening
    const app = startWorker(fake, 101);
    cleanups.push(
      () => app.provider.shutdown(),
      () => app.responder.stop(),
    );
    vi.advanceTimersByTime(5_000);
    expect(diagCapture.logs.map((log) => log.message)).toEqual([
      expect.stringContaining(
        "this cluster worker's metrics are not served: its primary process did not answer",
      ),
    ]);
  });
});
