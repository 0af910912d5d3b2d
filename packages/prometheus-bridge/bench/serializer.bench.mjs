// Benchmark (not a test): the cost of one scrape of N histogram series (14 buckets, 4 http-like
// attributes), side by side in one run, in interleaved rounds:
//
//   - ours: PrometheusBridge.render() over a real MeterProvider (collect + serialize + one flat string),
//     GET /metrics over loopback (streamed), with and without gzip, in text 0.0.4 and in OpenMetrics (as
//     Prometheus asks for it), and the pure serialize() of a collected ResourceMetrics;
//   - upstream: @opentelemetry/exporter-prometheus' PrometheusSerializer fed that same ResourceMetrics;
//   - prom-client: a Histogram with the same label sets, registry.metrics(), in text 0.0.4 and in OpenMetrics.
//
// Before every scrape one observation is recorded into every series (OTel and prom-client alike), so each
// collection has real work: the busy case of a live service, not an idle one.
//
// Per variant: wall time (median, p95 over rounds), main-thread time, the LONGEST single event-loop block
// during the scrape, the SDK's collect time, bytes, ratio to ours. The block probe is a setTimeout(0) chain:
// the gap between two consecutive ticks is time in which no timer could run. The scraper is a worker
// thread, so the main thread's figures are the server side's alone.
//
//   npm run bench --workspace @va/prometheus-bridge                # 1k, 10k, 50k; writes bench/last-run.md
//   npm run bench --workspace @va/prometheus-bridge -- --quick     # small sizes, a few seconds (CI smoke)
//   node bench/serializer.bench.mjs [--quick] [--out <file.md>]    # --out: where the table goes
//       [--sizes 10000,50000]    # only these series counts
//       [--shape compact]        # 3 short attributes: the shape DESIGN.md's reference figures were taken with
//       [--interned]             # one frozen attribute object per series, as @va/otel-sdk's views hand them
//                                # to the SDK (default: a fresh object per record, as a bare SDK gets them)
//       [--sdk]                  # ours as shipped: the MeterProvider and bridge of @va/otel-sdk's start()
//                                # (semconv views interning the attribute sets, memoised attribute hashes),
//                                # fed fresh attribute objects; needs @va/otel-sdk built (`npm run build`)
//
// Quick runs print only, unless --out is given. Runs against the built package: `npm run build` first.
// `npm run bench` gives node an 8 GiB heap: at 50,000 series the process holds the data of every renderer
// and expositions of over 200 MB each (prom-client's OpenMetrics among them), past node's default limit.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Histogram, Registry } from 'prom-client';
import { PrometheusBridge, serialize } from '../dist/esm/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
// Each scrape starts from a collected heap, so no variant pays for another's garbage. Scraped at once after
// gc(), the SDK's synchronous pass (which allocates a point per series) ran far longer and more erratically
// than after a pause, with no collection reported in the gap (docs/benchmarks.md, scrape cost). Our reading,
// not measured: V8 finishes the full collection's sweeping for a while after gc() returns. So the heap is
// given time to settle before the scrape is timed.
const SETTLE_MS = 100;
async function cleanHeap() {
  gc();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

const benchDir = dirname(fileURLToPath(import.meta.url));
const packageDir = join(benchDir, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const outIndex = argv.indexOf('--out');
const out = outIndex >= 0 ? argv[outIndex + 1] : quick ? undefined : join(benchDir, 'last-run.md');

const option = (name) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const shape = option('--shape') ?? 'http';
if (shape !== 'http' && shape !== 'compact') throw new Error(`--shape: http or compact, not ${shape}`);
const sizes = option('--sizes')?.split(',').map(Number);
const interned = argv.includes('--interned');
const viaSdk = argv.includes('--sdk');
if (viaSdk && interned) throw new Error('--sdk interns the attribute sets itself: leave out --interned');
// @va/otel-sdk depends on this package, so it cannot be a dependency of it: resolved from the workspace.
const otelSdk = viaSdk
  ? await import(createRequire(join(packageDir, 'package.json')).resolve('@va/otel-sdk')).catch((error) => {
      throw new Error(
        `--sdk needs @va/otel-sdk built (npm run build at the repository root): ${error.message}`,
      );
    })
  : undefined;

// Rounds per size: the slow renderers take seconds per round at 50k.
const FULL_PLAN = quick
  ? [
      { n: 200, rounds: 2, warmups: 1 },
      { n: 1_000, rounds: 2, warmups: 1 },
    ]
  : [
      { n: 1_000, rounds: 15, warmups: 2 },
      { n: 10_000, rounds: 9, warmups: 1 },
      { n: 50_000, rounds: 5, warmups: 1 },
    ];
const PLAN =
  sizes === undefined
    ? FULL_PLAN
    : sizes.map((n) => FULL_PLAN.find((size) => size.n === n) ?? { n, rounds: 5, warmups: 1 });

// The HTTP server duration buckets the semantic conventions recommend: 14 boundaries.
const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const PREFIX = 'voice_agent';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = [200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 503];
const RESOURCES = ['agents', 'sessions', 'calls', 'transcripts', 'tools', 'voices', 'tenants', 'webhooks'];
const ACTIONS = ['', '/messages', '/events', '/turns/{turn_id}', '/recordings', '/settings'];

/** Distinct attribute sets: (method, status, route) is unique per index. */
function seriesAttributes(i) {
  if (shape === 'compact') {
    return {
      'http.request.method': METHODS[i % METHODS.length],
      'http.route': `/r${Math.floor(i / (METHODS.length * STATUSES.length))}`,
      'http.response.status_code': STATUSES[Math.floor(i / METHODS.length) % STATUSES.length],
    };
  }
  const route = Math.floor(i / (METHODS.length * STATUSES.length));
  const resource = RESOURCES[route % RESOURCES.length];
  const action = ACTIONS[Math.floor(route / RESOURCES.length) % ACTIONS.length];
  const version = Math.floor(route / (RESOURCES.length * ACTIONS.length)) + 1;
  return {
    'http.request.method': METHODS[i % METHODS.length],
    'http.route': `/api/v${version}/${resource}/{${resource.slice(0, -1)}_id}${action}`,
    'http.response.status_code': STATUSES[Math.floor(i / METHODS.length) % STATUSES.length],
    'network.protocol.version': i % 3 === 0 ? '2' : '1.1',
  };
}

const LABEL_NAMES = [
  'http_request_method',
  'http_route',
  'http_response_status_code',
  'network_protocol_version',
];

function promLabels(attributes) {
  if (shape === 'compact') {
    return {
      http_request_method: attributes['http.request.method'],
      http_route: attributes['http.route'],
      http_response_status_code: attributes['http.response.status_code'],
    };
  }
  return {
    http_request_method: attributes['http.request.method'],
    http_route: attributes['http.route'],
    http_response_status_code: attributes['http.response.status_code'],
    network_protocol_version: attributes['network.protocol.version'],
  };
}

// A spread of values over the buckets, different per series and per round.
const value = (i, k) => ((i * 7 + k * 13) % 97) / 9;

function setup(n) {
  // The SDK's default cardinality limit (2000 series per metric) would fold the rest into one overflow series.
  let bridge;
  let provider;
  let shutdown;
  if (otelSdk !== undefined) {
    const sdk = otelSdk.start({
      exporters: ['prometheus'],
      prometheus: { preventServerStart: true, host: '127.0.0.1', port: 0, prefix: PREFIX },
      cardinalityLimit: n + 1,
      registerGlobal: false,
      logLevel: false,
      environment: {},
    });
    bridge = sdk.prometheus;
    provider = sdk.meterProvider;
    shutdown = () => sdk.shutdown();
  } else {
    bridge = new PrometheusBridge({
      preventServerStart: true,
      prefix: PREFIX,
      host: '127.0.0.1',
      port: 0,
      cardinalitySelector: () => n + 1,
    });
    provider = new MeterProvider({ readers: [bridge] });
    shutdown = () => provider.shutdown();
  }
  // Times the SDK's collection inside render() and scrapes too.
  const timing = { collect: 0 };
  const collect = bridge.collect.bind(bridge);
  bridge.collect = async (options) => {
    const start = performance.now();
    try {
      return await collect(options);
    } finally {
      timing.collect = performance.now() - start;
    }
  };
  const otel = provider.getMeter('voice-agent', '1.4.2').createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: BOUNDARIES },
  });
  const registry = new Registry();
  // The same histogram in a registry that writes OpenMetrics.
  const openMetricsRegistry = new Registry(Registry.OPENMETRICS_CONTENT_TYPE);
  const prom = new Histogram({
    name: `${PREFIX}_http_server_request_duration_seconds`,
    help: 'Duration of HTTP server requests.',
    labelNames: shape === 'compact' ? LABEL_NAMES.slice(0, 3) : LABEL_NAMES,
    buckets: BOUNDARIES,
    registers: [registry, openMetricsRegistry],
  });
  const attributes = Array.from({ length: n }, (_, i) => seriesAttributes(i));
  const labels = attributes.map(promLabels);
  let round = 0;
  // Fresh attribute objects per call, as instrumentation creates them; or, with --interned, the one frozen
  // object per set that @va/otel-sdk's views pass on to the SDK.
  const frozen = attributes.map((set) => Object.freeze({ ...set }));
  const recordOtel = () => {
    round++;
    if (interned) for (let i = 0; i < n; i++) otel.record(value(i, round), frozen[i]);
    else for (let i = 0; i < n; i++) otel.record(value(i, round), { ...attributes[i] });
  };
  const recordProm = () => {
    round++;
    for (let i = 0; i < n; i++) prom.observe(labels[i], value(i, round));
  };
  for (let k = 0; k < 3; k++) {
    recordOtel();
    recordProm();
  }
  return { bridge, shutdown, registry, openMetricsRegistry, recordOtel, recordProm, timing };
}

/**
 * Runs `task` while a timer probe (a setTimeout(0) chain: node runs it every ~1 ms while the loop is free)
 * stamps the event loop's turns. Returns the wall time, the longest gap between two ticks (the longest
 * block, ~1 ms over the true figure) and the main thread's busy time (event-loop utilization; work on the
 * thread pool, such as gzip, does not count). A timer rather than a setImmediate chain: that one would keep
 * a core busy spinning, and this 2-core machine also runs the scraper thread and gzip.
 * On Linux also the main thread's time on a core and its time waiting for one (see `mainThreadTimes`).
 */
async function probe(task) {
  let done = false;
  let longest = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    if (now - last > longest) longest = now - last;
    last = now;
    if (!done) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  const utilization = performance.eventLoopUtilization();
  const times = mainThreadTimes();
  const start = performance.now();
  const result = await task();
  const wall = performance.now() - start;
  // One more tick: a task that never yielded shows up as one gap here.
  await new Promise((resolve) => setTimeout(resolve, 0));
  done = true;
  const busy = performance.eventLoopUtilization(utilization).active;
  const after = mainThreadTimes();
  const onCore = times === undefined || after === undefined ? undefined : after.onCore - times.onCore;
  const waiting = times === undefined || after === undefined ? undefined : after.waiting - times.waiting;
  return { wall, longest, busy, onCore, waiting, result };
}

/**
 * The main thread's time on a core and its time runnable but waiting for one, in ms, from Linux's
 * /proc/thread-self/schedstat (undefined elsewhere). Event-loop utilization counts both as busy: on this
 * 2-core machine the scraper thread and gzip on the thread pool compete with the main thread, and a scrape
 * that waited for a core looks as costly as one that worked. The time on a core is what the scrape took
 * from the app; the wait is what the machine added.
 */
function mainThreadTimes() {
  try {
    const [onCore, waiting] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    if (!Number.isFinite(onCore) || !Number.isFinite(waiting)) return undefined;
    return { onCore: onCore / 1e6, waiting: waiting / 1e6 };
  } catch {
    return undefined;
  }
}

// The scraper runs in a worker thread, as Prometheus runs elsewhere: the main thread's event loop (and
// the probe) then sees the server side of a scrape only.
const SCRAPER = `
const { parentPort } = require('node:worker_threads');
const { request } = require('node:http');
parentPort.on('message', ({ id, port, gzip, accept, keep }) => {
  const headers = {};
  if (gzip) headers['accept-encoding'] = 'gzip';
  if (accept !== undefined) headers.accept = accept;
  const req = request(
    { host: '127.0.0.1', port, path: '/metrics', headers },
    (res) => {
      let bytes = 0;
      const parts = [];
      res.on('data', (part) => {
        bytes += part.length;
        if (keep) parts.push(part);
      });
      res.on('end', () => parentPort.postMessage({ id, bytes, body: keep ? Buffer.concat(parts) : undefined }));
      res.on('error', (error) => parentPort.postMessage({ id, error: String(error) }));
    },
  );
  req.on('error', (error) => parentPort.postMessage({ id, error: String(error) }));
  req.setTimeout(60_000, () => req.destroy(new Error('scrape timed out')));
  req.end();
});
`;
const scraper = new Worker(SCRAPER, { eval: true });
const pending = new Map();
let nextId = 0;
scraper.on('message', ({ id, bytes, body, error }) => {
  const settle = pending.get(id);
  pending.delete(id);
  if (error !== undefined) settle.reject(new Error(error));
  else settle.resolve({ bytes, body: body === undefined ? undefined : Buffer.from(body) });
});

// Prometheus' Accept header (2.42, measured): OpenMetrics first.
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/**
 * One GET /metrics from the worker: the bytes received (and the body, with `keep`). Without `accept`, no
 * Accept header: text 0.0.4.
 */
function scrape(port, gzip, keep = false, accept = undefined) {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    scraper.postMessage({ id, port, gzip, accept, keep });
  });
}

// A string built by concatenation is a tree of pieces until something flattens it (writing it to a
// socket does, first thing); Number() flattens, so every renderer pays for a usable string.
const flatten = (text) => {
  Number(text);
  return text;
};

const VARIANTS = [
  { key: 'render', name: 'ours: bridge.render() (collect + serialize + string)' },
  { key: 'http', name: 'ours: GET /metrics (collect + serialize, streamed)' },
  { key: 'gzip', name: 'ours: GET /metrics, gzip' },
  { key: 'openMetrics', name: 'ours: GET /metrics as Prometheus asks (OpenMetrics, streamed)' },
  { key: 'openMetricsGzip', name: 'ours: GET /metrics as Prometheus asks (OpenMetrics), gzip' },
  { key: 'serialize', name: 'ours: serialize(ResourceMetrics) (collect + serialize)' },
  { key: 'upstream', name: 'upstream: PrometheusSerializer (collect + serialize)' },
  { key: 'promClient', name: 'prom-client: registry.metrics()' },
  { key: 'promClientOpenMetrics', name: 'prom-client: registry.metrics() in OpenMetrics' },
];

async function runSize({ n, rounds, warmups }) {
  const s = setup(n);
  await s.bridge.startServer();
  const upstream = new PrometheusSerializer(PREFIX);
  const samples = Object.fromEntries(VARIANTS.map(({ key }) => [key, []]));

  // Each entry: one scrape, recorded into afresh before it; returns { bytes, collect? }.
  const tasks = {
    render: async () => {
      const text = await s.bridge.render();
      return { bytes: Buffer.byteLength(text) };
    },
    http: async () => ({ bytes: (await scrape(s.bridge.port, false)).bytes }),
    gzip: async () => ({ bytes: (await scrape(s.bridge.port, true)).bytes }),
    openMetrics: async () => ({
      bytes: (await scrape(s.bridge.port, false, false, PROMETHEUS_ACCEPT)).bytes,
    }),
    openMetricsGzip: async () => ({
      bytes: (await scrape(s.bridge.port, true, false, PROMETHEUS_ACCEPT)).bytes,
    }),
  };
  // serialize and upstream render the same collection; the collection is timed and probed on its own.
  const collected = async (render) => {
    s.recordOtel();
    await cleanHeap();
    const collection = await probe(() => s.bridge.collect());
    const { resourceMetrics } = collection.result;
    await cleanHeap();
    const rendered = await probe(async () => flatten(render(resourceMetrics)));
    return {
      wall: collection.wall + rendered.wall,
      busy: collection.busy + rendered.busy,
      onCore: sum(collection.onCore, rendered.onCore),
      waiting: sum(collection.waiting, rendered.waiting),
      longest: Math.max(collection.longest, rendered.longest),
      collect: collection.wall,
      bytes: Buffer.byteLength(rendered.result),
    };
  };

  for (let round = -warmups; round < rounds; round++) {
    // Interleaved, in an order that rotates from round to round.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + Math.max(round, 0)) % VARIANTS.length].key);
    for (const key of order) {
      let sample;
      if (key === 'serialize') {
        sample = await collected((resourceMetrics) => serialize(resourceMetrics, { prefix: PREFIX }));
      } else if (key === 'upstream') {
        sample = await collected((resourceMetrics) => upstream.serialize(resourceMetrics));
      } else if (key === 'promClient' || key === 'promClientOpenMetrics') {
        const registry = key === 'promClient' ? s.registry : s.openMetricsRegistry;
        s.recordProm();
        await cleanHeap();
        const measured = await probe(async () => flatten(await registry.metrics()));
        sample = { ...measured, bytes: Buffer.byteLength(measured.result) };
      } else {
        s.recordOtel();
        await cleanHeap();
        const measured = await probe(tasks[key]);
        sample = { ...measured, bytes: measured.result.bytes, collect: s.timing.collect };
      }
      if (round >= 0) samples[key].push(sample);
    }
  }

  // The SDK's collection when nothing was recorded since the last one: its cost without merging.
  const idle = [];
  await s.bridge.collect();
  for (let i = 0; i < 3; i++) idle.push((await probe(() => s.bridge.collect())).wall);

  const checks = await check(n, s, upstream);
  await s.bridge.stopServer();
  await s.shutdown();
  return { n, rounds, samples, checks, idleCollect: median(idle) };
}

/**
 * Outside the timings: all renderers agree on the series, and ours agree byte for byte. At 50,000 series
 * each exposition is over 200 MB, so each is compared (or counted) and let go before the next is made.
 */
async function check(n, s, upstream) {
  const countLines = (text) => {
    let count = 0;
    for (let at = text.indexOf('_count{'); at !== -1; at = text.indexOf('_count{', at + 1)) count++;
    return count;
  };
  const port = s.bridge.port;
  // No recording in between: every read below sees the same cumulative data.
  const text = await s.bridge.render();
  const { resourceMetrics } = await s.bridge.collect();
  if (
    (await scrape(port, false, true)).body.toString('utf8') !== text ||
    gunzipSync((await scrape(port, true, true)).body).toString('utf8') !== text ||
    serialize(resourceMetrics, { prefix: PREFIX }) !== text
  ) {
    throw new Error('render(), GET /metrics (plain, gzip) and serialize() disagree');
  }
  const openMetrics = await s.bridge.render('openmetrics');
  if (
    (await scrape(port, false, true, PROMETHEUS_ACCEPT)).body.toString('utf8') !== openMetrics ||
    gunzipSync((await scrape(port, true, true, PROMETHEUS_ACCEPT)).body).toString('utf8') !== openMetrics
  ) {
    throw new Error("GET /metrics as Prometheus asks (plain, gzip) and render('openmetrics') disagree");
  }
  if (!openMetrics.endsWith('\n# EOF\n'))
    throw new Error('the OpenMetrics exposition does not end with # EOF');
  const counts = [
    countLines(text),
    countLines(openMetrics),
    countLines(upstream.serialize(resourceMetrics)),
    countLines(await s.registry.metrics()),
    countLines(await s.openMetricsRegistry.metrics()),
  ];
  if (counts.some((count) => count !== n)) {
    throw new Error(`series count mismatch: ${counts.join(' / ')} (want ${n})`);
  }
  return { text: n === PLAN.at(-1).n && !quick ? text : undefined };
}

/** `promtool check metrics` on an exposition, if promtool is installed. */
function promtool(text) {
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    return 'accepted';
  } catch (error) {
    if (error.code === 'ENOENT') return 'not installed';
    return `rejected: ${String(error.stdout ?? '')}${String(error.stderr ?? '')}`.trim().slice(0, 500);
  }
}

const median = (values) => quantile(values, 0.5);
const sum = (a, b) => (a === undefined || b === undefined ? undefined : a + b);
/** The median of a figure that only Linux gives, or '' when a sample lacks it. */
const medianOf = (list, field) =>
  list.some((sample) => sample[field] === undefined) ? '' : ms(median(list.map((sample) => sample[field])));
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: with few rounds p95 is the slowest round.
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MB`;

function table(results) {
  const lines = [
    '| series | variant | wall ms (median) | wall ms (p95) | main thread ms | of which on a core ms | waiting for a core ms | longest block ms (median / max) | collect ms | bytes | wall vs ours render() |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { n, samples } of results) {
    const base = median(samples.render.map((sample) => sample.wall));
    for (const { key, name } of VARIANTS) {
      const list = samples[key];
      const wall = median(list.map((sample) => sample.wall));
      const collect = list[0]?.collect === undefined ? '' : ms(median(list.map((sample) => sample.collect)));
      const longest = list.map((sample) => sample.longest);
      lines.push(
        `| ${n.toLocaleString('en-US')} | ${name} | ${ms(wall)} | ${ms(
          quantile(
            list.map((sample) => sample.wall),
            0.95,
          ),
        )} | ${ms(median(list.map((sample) => sample.busy)))} | ${medianOf(list, 'onCore')} | ${medianOf(list, 'waiting')} | ${ms(median(longest))} / ${ms(Math.max(...longest))} | ${collect} | ${mb(list.at(-1).bytes)} | ${(wall / base).toFixed(2)}× |`,
      );
    }
  }
  return lines.join('\n');
}

function versions() {
  const require = createRequire(join(packageDir, 'package.json'));
  const version = (name) => {
    try {
      return require(`${name}/package.json`).version;
    } catch {
      return '?';
    }
  };
  const own = require('./package.json');
  return [
    `${own.name} ${own.version}`,
    ...['@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus', 'prom-client'].map(
      (name) => `${name} ${version(name)}`,
    ),
  ].join(', ');
}

const results = [];
const startedAt = new Date();
// Other work on the machine shows in every figure: say how busy it was.
const loadAtStart = loadavg();
for (const size of PLAN) {
  gc();
  results.push(await runSize(size));
  process.stderr.write(`done: ${size.n} series\n`);
}
const largest = results.at(-1);
const promtoolResult = largest.checks.text === undefined ? undefined : promtool(largest.checks.text);

const cpu = cpus();
const command =
  quick || sizes !== undefined || shape !== 'http' || interned || viaSdk
    ? `node ${relative(process.cwd(), fileURLToPath(import.meta.url)) || 'bench/serializer.bench.mjs'} ${argv.join(' ')}`.trim()
    : 'npm run build --workspace @va/prometheus-bridge && npm run bench --workspace @va/prometheus-bridge';
const report = [
  `# Scrape cost: ${PLAN.map(({ n }) => n.toLocaleString('en-US')).join(' / ')} histogram series${quick ? ' (quick)' : ''}`,
  '',
  `- date: ${startedAt.toISOString()}`,
  `- machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}`,
  `- load average (1, 5, 15 min) at start: ${loadAtStart.map((load) => load.toFixed(2)).join(', ')}; at end: ${loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')}`,
  `- node ${process.version}; ${versions()}`,
  `- command: \`${command}\``,
  shape === 'compact'
    ? '- each series (--shape compact): 14 buckets, 3 short attributes (method, route `/r<n>`, status code), scope labels on;'
    : '- each series: 14 buckets, 4 attributes (method, route template, status code, protocol version), scope labels on;',
  viaSdk
    ? "- ours through @va/otel-sdk's start() (--sdk), as shipped: semconv views intern each attribute set into one frozen object, attribute hashes memoised; a fresh attribute object per record"
    : interned
      ? '- attributes (--interned): one frozen object per series, recorded again and again, as @va/otel-sdk hands them to the SDK'
      : '- attributes: a fresh object per record, as a bare SDK gets them from instrumentation',
  '  before every scrape one observation is recorded into every series, so each collection merges real data;',
  `  then a full garbage collection, and ${SETTLE_MS} ms for the heap to settle (its sweeping) before the scrape is timed`,
  `- rounds interleaved (order rotating), ${PLAN.map(({ n, rounds, warmups }) => `${n}: ${rounds} rounds after ${warmups} warm-up`).join(', ')}; p95 is nearest-rank (with 5 rounds: the slowest)`,
  '- wall: the whole scrape as its caller waits for it (HTTP: a client in a worker thread, over loopback, until the last byte);',
  '  main thread: event-loop utilization (gzip runs on the thread pool), which counts the time the thread was',
  "  runnable but had no core as busy too; on a core / waiting for a core: those two apart (Linux's schedstat);",
  '  longest block: longest gap between two',
  '  ticks of a setTimeout(0) probe (≈ 1 ms more than the block itself); collect: the collection alone (the',
  "  SDK's synchronous pass over what changed, then the bridge adding it to its totals in slices)",
  '- strings built by concatenation are flattened inside the timing (writing them to a socket would do it first)',
  ...(promtoolResult === undefined
    ? []
    : [
        `- \`promtool check metrics\` on the ${largest.n.toLocaleString('en-US')}-series exposition (${mb(Buffer.byteLength(largest.checks.text))}): ${promtoolResult}`,
      ]),
  '',
  table(results),
  '',
  `The collection with nothing recorded since the previous one (nothing to merge): ${results
    .map(({ n, idleCollect }) => `${n.toLocaleString('en-US')}: ${ms(idleCollect)} ms`)
    .join(', ')}.`,
  '',
].join('\n');

await scraper.terminate();
process.stdout.write(`\n${report}`);
if (out !== undefined) {
  writeFileSync(out, report);
  process.stderr.write(`written to ${out}\n`);
}
