// Benchmark (not a test): rendering N histogram series (14 buckets, 3 attributes) as Prometheus text.
// Compares our serialize() with upstream @opentelemetry/exporter-prometheus' PrometheusSerializer on the
// same collected ResourceMetrics, and with prom-client rendering an equivalent registry. Then measures
// one full bridge.render() and one gzipped HTTP scrape, with the longest event-loop block during each.
//
//   npm run bench            # N = 1,000 and 10,000
//   npm run bench -- --quick # one small iteration (CI smoke)
//
// Runs against the built package (dist/): `npm run build` first.

import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Histogram, Registry } from 'prom-client';
import { PrometheusBridge, serialize } from '../dist/esm/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const quick = process.argv.includes('--quick');
const sizes = quick ? [1_000] : [1_000, 10_000];
const warmups = quick ? 0 : 3;
const iterations = quick ? 1 : 9;

// The HTTP server duration buckets the semantic conventions recommend: 14 boundaries.
const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 201, 400, 404, 500];
const PREFIX = 'voice_agent';

function seriesAttributes(i) {
  return {
    'http.request.method': METHODS[i % METHODS.length],
    'http.route': `/api/v1/agents/{id}/route${i}`,
    'http.response.status_code': STATUSES[i % STATUSES.length],
  };
}

function observations(i) {
  return [0.003 + (i % 7) * 0.01, 0.2 + (i % 11) * 0.05, 1.5 + (i % 3)];
}

async function buildOtel(n) {
  // The SDK's default cardinality limit (2000 series per metric) would fold the rest into one overflow series.
  const bridge = new PrometheusBridge({
    preventServerStart: true,
    host: '127.0.0.1',
    port: 0,
    cardinalitySelector: () => n + 1,
  });
  const provider = new MeterProvider({ readers: [bridge] });
  const histogram = provider.getMeter('bench', '1.0.0').createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: BOUNDARIES },
  });
  for (let i = 0; i < n; i++) {
    const attributes = seriesAttributes(i);
    for (const value of observations(i)) histogram.record(value, attributes);
  }
  const { resourceMetrics, errors } = await bridge.collect();
  if (errors.length > 0) throw new Error(`collection errors: ${errors}`);
  return { bridge, provider, resourceMetrics };
}

function buildPromClient(n) {
  const registry = new Registry();
  const histogram = new Histogram({
    name: `${PREFIX}_http_server_request_duration_seconds`,
    help: 'Duration of HTTP server requests.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: BOUNDARIES,
    registers: [registry],
  });
  for (let i = 0; i < n; i++) {
    const a = seriesAttributes(i);
    const labels = {
      http_request_method: a['http.request.method'],
      http_route: a['http.route'],
      http_response_status_code: a['http.response.status_code'],
    };
    for (const value of observations(i)) histogram.observe(labels, value);
  }
  return registry;
}

/** Median wall time, output bytes and memory growth (V8 heap + Buffers) of one run of `render`. */
async function measure(render) {
  for (let i = 0; i < warmups; i++) await render();
  const times = [];
  let bytes = 0;
  let heapDelta = 0;
  for (let i = 0; i < iterations; i++) {
    gc();
    const before = process.memoryUsage();
    const start = performance.now();
    const text = await render();
    // Flatten the result, as writing it to a socket would first: string concatenation builds a tree of
    // pieces whose cost is only paid here.
    Number(text);
    const elapsed = performance.now() - start;
    const after = process.memoryUsage();
    heapDelta = Math.max(heapDelta, after.heapUsed + after.external - before.heapUsed - before.external);
    times.push(elapsed);
    bytes = Buffer.byteLength(text);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], bytes, heapMB: heapDelta / 2 ** 20 };
}

/**
 * Runs `task` once while a setImmediate ticker records the longest gap between ticks (the longest
 * event-loop block), and once more without the ticker to read how long the main thread was busy.
 */
async function longestBlock(task) {
  const elu = performance.eventLoopUtilization();
  await task();
  // Event-loop utilization is only updated when the loop turns.
  await new Promise((resolve) => setImmediate(resolve));
  const busy = performance.eventLoopUtilization(elu).active;
  return { ...(await tickerRun(task)), busy };
}

async function tickerRun(task) {
  let done = false;
  let longest = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const start = performance.now();
  await task();
  const total = performance.now() - start;
  // Let the ticker run once more: a task that never yielded shows up as one gap here.
  await new Promise((resolve) => setImmediate(resolve));
  done = true;
  return { total, longest };
}

function scrape(port) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/metrics', headers: { 'accept-encoding': 'gzip' } },
      (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => resolve(Buffer.concat(parts)));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('scrape timed out')));
    req.end();
  });
}

const fmt = (x, digits = 1) => x.toFixed(digits);
const rows = [];
const blocks = [];

for (const n of sizes) {
  const { bridge, provider, resourceMetrics } = await buildOtel(n);
  const upstream = new PrometheusSerializer(PREFIX);
  const registry = buildPromClient(n);

  const ours = await measure(() => serialize(resourceMetrics, { prefix: PREFIX }));
  const theirs = await measure(() => upstream.serialize(resourceMetrics));
  const promClient = await measure(() => registry.metrics());
  rows.push({ n, name: '@va serialize()', ...ours });
  rows.push({ n, name: 'upstream PrometheusSerializer', ...theirs });
  rows.push({ n, name: 'prom-client registry.metrics()', ...promClient });
  rows.push({ n, ratio: true, up: ours.ms / theirs.ms, pc: ours.ms / promClient.ms });

  // Sanity: same series count in all three (one _count line per series).
  const countLines = (text) => text.split('\n').filter((line) => line.includes('_count{')).length;
  const check = [
    serialize(resourceMetrics, { prefix: PREFIX }),
    upstream.serialize(resourceMetrics),
    await registry.metrics(),
  ].map(countLines);
  if (check.some((c) => c !== n)) throw new Error(`series count mismatch: ${check.join(' / ')} (want ${n})`);

  // The full path: collect + serialize, yielding between slices.
  await bridge.render();
  gc();
  const render = await longestBlock(() => bridge.render());
  const collect = await longestBlock(() => bridge.collect());
  // One gzipped scrape over HTTP (loopback): render + encode + gzip + send.
  await bridge.startServer();
  let body;
  const http = await longestBlock(async () => {
    body = await scrape(bridge.port);
  });
  const unzipped = gunzipSync(body).length;
  await bridge.stopServer();
  blocks.push({ n, render, collect, http, gzipBytes: body.length, unzipped });
  await provider.shutdown();
}

console.log(
  `\nserialize ${quick ? '(quick: 1 iteration)' : `(median of ${iterations}, ${warmups} warm-ups)`}`,
);
console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);
console.log('Times include flattening the result string (what writing it to a socket does first).\n');
console.log('| series | renderer | median ms | output MB | memory growth MB (heap + Buffers) |');
console.log('|---:|---|---:|---:|---:|');
for (const row of rows) {
  if (row.ratio) {
    console.log(
      `| ${row.n} | ratio ours/upstream ${fmt(row.up, 3)}, ours/prom-client ${fmt(row.pc, 3)} | | | |`,
    );
  } else {
    console.log(
      `| ${row.n} | ${row.name} | ${fmt(row.ms)} | ${fmt(row.bytes / 2 ** 20, 2)} | ${fmt(row.heapMB)} |`,
    );
  }
}
console.log(
  '\nthe bridge end to end: busy = main thread (event-loop utilization, one run without the ticker);',
);
console.log(
  'longest block = longest gap between setImmediate ticks (another run); the HTTP client is in-process\n',
);
console.log('| series | what | wall ms | main thread busy ms | longest block ms |');
console.log('|---:|---|---:|---:|---:|');
const line = (n, what, m) =>
  console.log(`| ${n} | ${what} | ${fmt(m.total)} | ${fmt(m.busy)} | ${fmt(m.longest)} |`);
for (const b of blocks) {
  line(b.n, 'bridge.collect() (SDK only)', b.collect);
  line(b.n, 'bridge.render() (collect + serialize + decode to string)', b.render);
  line(
    b.n,
    `GET /metrics with gzip (${fmt(b.unzipped / 2 ** 20, 2)} MB → ${fmt(b.gzipBytes / 2 ** 20, 2)} MB)`,
    b.http,
  );
}
