import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { findPromtool, prometheusRequired } from '@va/test-metrics/prometheus-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startChildApp } from './support/child-app.js';
import { parseExposition, type Sample, samplesOf } from './support/exposition.js';
import { freePort } from './support/free-port.js';

// A real node:cluster app (test/fixtures/cluster-app.cjs) under `node --require @va/otel-register`: the
// primary serves /metrics, its two workers serve the app on a shared port. Scrapes of the primary must
// carry every worker's metrics, merged, and keep counting across a worker's death and replacement.

const REGISTER = ['--require', '@va/otel-register'];
const HISTOGRAM = 'voice_agent_http_server_request_duration_seconds';
const SERVED = 'voice_agent_app_requests_served';
const WORKER_ID = 'voice_agent_app_worker_id';

/** One request on a connection of its own: the cluster hands out connections, not requests, round-robin. */
function request(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}`));
        else resolve(Number(response.headers['x-worker-pid']));
      });
    });
    outgoing.on('error', reject);
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('request timed out')));
  });
}

/** Sends `count` requests, a few at a time; returns how many each worker pid served. */
async function sendRequests(url: string, count: number, served: Map<number, number>): Promise<void> {
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent < count) {
      sent++;
      const pid = await request(url);
      served.set(pid, (served.get(pid) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
}

async function scrapeText(metricsPort: number): Promise<string> {
  const { status, body } = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(status).toBe(200);
  return body;
}

const total = (samples: readonly Sample[]): number => samples.reduce((sum, sample) => sum + sample.value, 0);

/** Every family has one TYPE line, and every series (name and label set) appears once. */
function expectNoDuplicates(text: string): void {
  const types = text.split('\n').filter((line) => line.startsWith('# TYPE '));
  expect(new Set(types).size).toBe(types.length);
  const series = parseExposition(text).map(
    (sample) => `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`,
  );
  expect(new Set(series).size).toBe(series.length);
}

/** Per histogram series: buckets never decrease, and the +Inf bucket is the count. */
function expectConsistentHistograms(samples: readonly Sample[], name: string): void {
  const counts = samplesOf(samples, `${name}_count`);
  expect(counts.length).toBeGreaterThan(0);
  for (const count of counts) {
    const buckets = samplesOf(samples, `${name}_bucket`, count.labels);
    const values = buckets.map((bucket) => bucket.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: count.value });
  }
}

const promtool = findPromtool();
if (promtool === undefined && prometheusRequired) {
  throw new Error('CI is set but promtool was not found (apt-get install -y prometheus)');
}

/**
 * The pids that still run. A process that has exited but was not reaped yet (a zombie: an orphaned
 * worker waits for the container's init to collect it, which can take a second) has ended: on Linux its
 * state in /proc says so, where signal 0 would still find it.
 */
function liveProcesses(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // `pid (comm) state …`; comm may contain spaces and parentheses, the state follows the last `)`.
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/stat')) return false;
    }
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

describe('a node:cluster app under the register', () => {
  let app: ChildApp;
  let appUrl: string;
  let metricsPort: number;
  const workerPids = new Set<number>();

  /** Waits (bounded) for the primary to report a worker listening that is not in `known`: its pid and id. */
  async function nextWorker(known: ReadonlySet<number>): Promise<{ pid: number; id: number }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const workers = [...app.stdout().matchAll(/^worker (\d+) pid (\d+) listening$/gm)].map((match) => ({
        id: Number(match[1]),
        pid: Number(match[2]),
      }));
      const fresh = workers.find((worker) => !known.has(worker.pid));
      if (fresh !== undefined) return fresh;
      if (Date.now() > deadline) throw new Error(`no new worker: ${app.stdout()}\n${app.stderr()}`);
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  beforeAll(async () => {
    metricsPort = await freePort();
    const appPort = await freePort();
    app = await startChildApp('cluster-app.cjs', REGISTER, {
      APP_PORT: String(appPort),
      CLUSTER_WORKERS: '2',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    appUrl = `http://127.0.0.1:${appPort}/`;
    for (const match of app.stdout().matchAll(/^worker \d+ pid (\d+) listening$/gm)) {
      workerPids.add(Number(match[1]));
    }
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    // The workers end with the primary's IPC channel; make sure of it.
    for (const pid of liveProcesses([...workerPids])) process.kill(pid, 'SIGKILL');
  });

  const served = new Map<number, number>();

  it('serves the merged metrics of both workers from one scrape of the primary', async () => {
    expect(workerPids.size).toBe(2);
    await sendRequests(appUrl, 200, served);
    // Both workers took a share (the primary deals connections out round-robin).
    expect([...served.keys()].sort()).toEqual([...workerPids].sort());

    const text = await scrapeText(metricsPort);
    const samples = parseExposition(text);
    expectNoDuplicates(text);
    expect(total(samplesOf(samples, `${HISTOGRAM}_count`))).toBe(200);
    expect(total(samplesOf(samples, `${HISTOGRAM}_bucket`, { le: '+Inf' }))).toBe(200);
    expectConsistentHistograms(samples, HISTOGRAM);
    // The up-down counter: one series, the sum over the workers.
    expect(samplesOf(samples, SERVED).map((sample) => sample.value)).toEqual([200]);
    // The gauge: one series per worker, told apart by process_pid.
    const ids = samplesOf(samples, WORKER_ID);
    expect(ids.map((sample) => Number(sample.labels.process_pid)).sort()).toEqual([...workerPids].sort());
    expect(ids.map((sample) => sample.value).sort()).toEqual([1, 2]);
    // The primary's own gauges carry its pid beside the workers'.
    const utilization = samplesOf(samples, 'voice_agent_nodejs_eventloop_utilization_ratio');
    expect(utilization.map((sample) => Number(sample.labels.process_pid)).sort()).toEqual(
      [app.process.pid!, ...workerPids].sort(),
    );

    if (promtool !== undefined) {
      // Exits non-zero, and so throws, on any problem with the exposition.
      execFileSync(promtool, ['check', 'metrics'], { input: text });
    }
  });

  it('loses nothing already scraped when a worker dies and is replaced', async () => {
    const [killed, survivor] = [...workerPids] as [number, number];
    process.kill(killed, 'SIGKILL');
    const { pid: replacement, id: replacementId } = await nextWorker(workerPids);
    workerPids.add(replacement);

    const more = new Map<number, number>();
    await sendRequests(appUrl, 50, more);
    expect([...more.keys()].every((pid) => pid === survivor || pid === replacement)).toBe(true);

    const text = await scrapeText(metricsPort);
    const samples = parseExposition(text);
    expectNoDuplicates(text);
    expectConsistentHistograms(samples, HISTOGRAM);
    // The dead worker's requests stay counted: the total never goes back.
    expect(total(samplesOf(samples, `${HISTOGRAM}_count`))).toBe(250);
    // The up-down counter and the gauges are the live workers' only.
    const live = (served.get(survivor) ?? 0) + (more.get(survivor) ?? 0) + (more.get(replacement) ?? 0);
    expect(samplesOf(samples, SERVED).map((sample) => sample.value)).toEqual([live]);
    expect(
      samplesOf(samples, WORKER_ID)
        .map((sample) => Number(sample.labels.process_pid))
        .sort(),
    ).toEqual([survivor, replacement].sort());
    const replacementGauge = samplesOf(samples, WORKER_ID, { process_pid: String(replacement) });
    expect(
      replacementGauge.map((sample) => sample.value),
      app.stdout(),
    ).toEqual([replacementId]);
  });

  it('logs no port conflict and no warning from any process', () => {
    const stderr = app.stderr();
    expect(stderr).not.toContain('EADDRINUSE');
    expect(stderr).not.toContain('could not start the Prometheus metrics server');
    expect(stderr).not.toContain('did not answer');
  });

  it('exits, workers included, within 2 s of a SIGTERM to the primary', async () => {
    const pids = [app.process.pid!, ...workerPids];
    const primaryExit = new Promise<NodeJS.Signals | null>((resolve) => {
      if (app.process.exitCode !== null || app.process.signalCode !== null) resolve(app.process.signalCode);
      else app.process.once('exit', (_code, signal) => resolve(signal));
    });
    app.process.kill('SIGTERM');
    // A bounded wait, not a measurement: every process must be gone by the deadline.
    const deadline = Date.now() + 2_000;
    while (liveProcesses(pids).length > 0 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 25));
    }
    expect(liveProcesses(pids)).toEqual([]);
    // The primary ends by the signal, as it would without the register (which re-raises it after its flush).
    expect(await primaryExit).toBe('SIGTERM');
  });
});

describe('cluster processes under the register never outlive their work', () => {
  let app: ChildApp | undefined;
  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
  });

  async function exitCode(running: ChildApp): Promise<number | null> {
    const deadline = Date.now() + 15_000;
    while (running.process.exitCode === null && running.process.signalCode === null) {
      if (Date.now() > deadline) throw new Error(`still running: ${running.stdout()}\n${running.stderr()}`);
      await new Promise((done) => setTimeout(done, 25));
    }
    return running.process.exitCode;
  }

  it('lets workers that disconnect exit, and then the primary', async () => {
    app = await startChildApp('cluster-idle-app.cjs', REGISTER, {
      IDLE_MODE: 'disconnect',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    });
    expect(await exitCode(app)).toBe(0);
    expect(app.stdout()).toContain('worker 1 exited 0');
    expect(app.stdout()).toContain('worker 2 exited 0');
  });

  it('keeps a worker that waits for work over IPC alive until the work is done', async () => {
    app = await startChildApp('cluster-idle-app.cjs', REGISTER, {
      IDLE_MODE: 'job',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    });
    expect(await exitCode(app)).toBe(0);
    expect(app.stdout()).toContain('job 1 done');
    expect(app.stdout()).toContain('job 2 done');
  });
});

/**
 * A port that was free a moment ago on 127.0.0.1, and so was the next one. Drawn below the kernel's
 * ephemeral range (32768–60999 by default): there, the port after the one bind(0) handed out may be a
 * client connection's (Linux gives bind(0) and connect() ports of opposite parity), and one Node 24 CI
 * run found no free pair in 20 tries.
 */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    if ((await canListen(port)) && (await canListen(port + 1))) return port;
  }
  throw new Error('no two consecutive free ports');
}

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('PM2 and worker threads under the register', () => {
  let app: ChildApp | undefined;
  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
  });

  it('serves each PM2 instance on the port plus NODE_APP_INSTANCE, with no IPC to a primary that is not ours', async () => {
    const metricsPort = await freePortPair();
    const appPort = await freePort();
    // The primary runs plain node: PM2's primary runs none of our code.
    app = await startChildApp('pm2-like-cluster.cjs', [], {
      APP_PORT: String(appPort),
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    for (const port of [metricsPort, metricsPort + 1]) {
      const samples = parseExposition(await scrapeText(port));
      expect(samples.some((sample) => sample.name === 'target_info')).toBe(true);
      // Not merged: one process per port, so no process_pid labels.
      expect(samples.some((sample) => sample.labels.process_pid !== undefined)).toBe(false);
    }
    expect(app.stderr()).not.toContain('could not start the Prometheus metrics server');
  });

  it('starts no second metrics server in a worker thread', async () => {
    const metricsPort = await freePort();
    app = await startChildApp('worker-thread-app.cjs', REGISTER, {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    expect((await httpGet(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
    expect(app.stderr()).not.toContain('EADDRINUSE');
    expect(app.stderr()).not.toContain('could not start the Prometheus metrics server');
  });
});
