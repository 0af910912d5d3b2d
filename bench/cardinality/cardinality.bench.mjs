// Benchmark (not a test): memory and series count under a cardinality attack, 1,000,000 distinct
// values pushed through instrumented paths of a process started with
//   node --expose-gc --require @va/otel-register cardinality/attack.cjs <scenario>
//   - gen-ai: the real openai client (in-memory fetch, canned response with usage), 64 calls at a
//     time, `model: 'model-' + i` → gen_ai.request.model;
//   - http-route: a node:http server that marks each raw path as its http.route, loaded by autocannon
//     from this process with a distinct path per request;
//   - control: @opentelemetry/sdk-metrics alone (no register, no guard) recording the same values, with
//     collect() in place of each scrape: what the bench shows when nothing bounds the series.
// Prometheus is played by this process: it scrapes the exposition every 50k values, as a real scrape
// interval would between bursts. sdk-metrics 2.12 applies the cardinality limit per collection, so
// without a guard of our own the series count grows by up to the limit with every scrape. Every 100k
// values the child runs two full GCs and reports RSS and heapUsed.
//
//   node cardinality/cardinality.bench.mjs           # 1,000,000 values per scenario; writes last-run.md
//   node cardinality/cardinality.bench.mjs --quick   # 20,000 values (CI smoke)
//   options: --values N (every scenario) --gen-ai-values N --http-values N --control-values N
//            --scenarios gen-ai,http-route,control --out FILE
//            --limit N (VA_METRICS_CARDINALITY_LIMIT for the register; default: unset, i.e. 2000)
//
// Runs against the built workspace packages (dist/): `npm run build` at the root first.

import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from '@va/test-metrics/free-port';
import autocannon from 'autocannon';
import { startNode } from '../lib/child-process.mjs';
import { samples, scrape, sumOfSamples } from '../lib/exposition.mjs';
import { machineLines } from '../lib/machine.mjs';
import { table } from '../lib/markdown.mjs';
import { formatFixed, formatInteger, mebibytes } from '../lib/stats.mjs';

const HERE = new URL('..', import.meta.url);
const OVERFLOW = 'otel_metric_overflow="true"';

const SCENARIOS = {
  'gen-ai': {
    title: '`gen_ai.request.model`: openai `chat.completions.create`',
    attribute: 'gen_ai_request_model',
    metric: 'voice_agent_gen_ai_client_operation_duration_seconds_count',
    script: ['--require', '@va/otel-register', 'cardinality/attack.cjs', 'gen-ai'],
    unit: 'calls',
  },
  'http-route': {
    title: '`http.route`: node:http, every raw path marked as the route',
    attribute: 'http_route',
    metric: 'voice_agent_http_server_request_duration_seconds_count',
    script: ['--require', '@va/otel-register', 'cardinality/attack.cjs', 'http-route'],
    unit: 'answered requests',
  },
  control: {
    title: 'control: `@opentelemetry/sdk-metrics` alone, no guard (`collect()` in place of a scrape)',
    attribute: 'gen_ai.request.model',
    metric: 'gen_ai.client.operation.duration',
    script: ['cardinality/control.cjs'],
    unit: 'records',
  },
};

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    values: { type: 'string' },
    'gen-ai-values': { type: 'string' },
    'http-values': { type: 'string' },
    'control-values': { type: 'string' },
    scenarios: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = options.quick;
const defaultValues = Number(options.values ?? (quick ? 20_000 : 1_000_000));
const config = {
  scenarios: (options.scenarios ?? Object.keys(SCENARIOS).join(',')).split(','),
  values: {
    'gen-ai': Number(options['gen-ai-values'] ?? defaultValues),
    'http-route': Number(options['http-values'] ?? defaultValues),
    control: Number(options['control-values'] ?? defaultValues),
  },
  limit: options.limit,
};
for (const name of config.scenarios) if (!(name in SCENARIOS)) throw new Error(`unknown scenario "${name}"`);

/** Scrape every 1/20 of the run (50k of 1M), sample memory every 1/10 (100k of 1M); --quick: 1/5 each. */
const SCRAPES = quick ? 5 : 20;
const MEMORY_SAMPLES = quick ? 5 : 10;

function childEnvironment(extra) {
  const environment = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && !key.startsWith('VA_')) environment[key] = value;
  }
  return { ...environment, ...extra };
}

/** The distinct path counter lives here, across autocannon runs: no path is ever sent twice. */
let nextPath = 0;

async function sendRequests(port, amount) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    pipelining: 1,
    amount,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          request.path = `/items/${nextPath++}`;
          return request;
        },
      },
    ],
  });
  return {
    sent: result.requests.sent,
    answered: result.requests.total,
    failed: result.errors + result.non2xx,
  };
}

function seriesIn(text, scenario) {
  const lines = samples(text, scenario.metric);
  return {
    series: lines.length,
    overflow: lines.some((line) => line.includes(OVERFLOW)),
    recorded: sumOfSamples(lines),
  };
}

/** What Prometheus would see now: the attacked metric's series, or (control) what collect() returns. */
async function observe(name, child, metricsPort) {
  if (name === 'control') {
    const collected = await child.request({ type: 'collect' }, 'collected');
    return { ...collected, bytes: undefined, scrapeMillis: collected.millis };
  }
  const exposition = await scrape(metricsPort);
  return {
    bytes: exposition.bytes,
    scrapeMillis: exposition.millis,
    ...seriesIn(exposition.text, SCENARIOS[name]),
  };
}

async function runScenario(name) {
  const scenario = SCENARIOS[name];
  const total = config.values[name];
  const scrapeEvery = Math.max(1, Math.floor(total / SCRAPES));
  const memoryEvery = Math.max(1, Math.floor(total / MEMORY_SAMPLES));
  const metricsPort = await freePort();
  const port = await freePort();
  const child = startNode({
    args: ['--expose-gc', ...scenario.script],
    cwd: HERE,
    env: childEnvironment({
      PORT: String(port),
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_LOG_LEVEL: 'error',
      ...(config.limit !== undefined && { VA_METRICS_CARDINALITY_LIMIT: config.limit }),
    }),
  });
  try {
    const ready = await child.ready;
    const started = performance.now();
    const points = [];
    let sent = 0;
    let answered = 0;
    let failed = 0;
    const sample = async (done, withMemory) => {
      const observed = await observe(name, child, metricsPort);
      const memory = withMemory ? await child.request({ type: 'memory' }, 'memory') : undefined;
      const point = {
        values: done,
        seconds: (performance.now() - started) / 1000,
        rss: memory?.rss,
        heapUsed: memory?.heapUsed,
        ...observed,
      };
      points.push(point);
      console.error(
        `${name} ${formatInteger(done)}: ${point.series} series${point.overflow ? ' (overflow)' : ''}, scrape ${formatFixed(point.scrapeMillis, 0)} ms${memory ? `, RSS ${mebibytes(memory.rss)} MiB, heap ${mebibytes(memory.heapUsed)} MiB` : ''}`,
      );
    };

    await sample(0, true);
    for (let done = 0; done < total; ) {
      const to = Math.min(done + scrapeEvery, total);
      if (name !== 'http-route') {
        await child.request({ type: 'calls', from: done, to }, 'done');
        sent += to - done;
        answered += to - done;
      } else {
        const batch = await sendRequests(ready.listening, to - done);
        sent += batch.sent;
        answered += batch.answered;
        failed += batch.failed;
        // Responses still in flight when autocannon returned are recorded when they end.
        await delay(50);
      }
      done = to;
      await sample(done, done % memoryEvery === 0 || done === total);
    }
    const seconds = (performance.now() - started) / 1000;
    const stopped = await child.stop();
    return {
      name,
      total,
      sent,
      answered,
      failed,
      seconds,
      points,
      routeMarker: ready.routeMarker,
      exitedOnSigterm: stopped.exitedOnSigterm,
    };
  } catch (error) {
    await child.stop(500);
    error.message += `\n--- output of the attacked process (tail) ---\n${child.output()}`;
    throw error;
  }
}

const runs = [];
for (const name of config.scenarios) runs.push(await runScenario(name));

let allRecorded = true;
const sections = runs.map((run) => {
  const scenario = SCENARIOS[run.name];
  const last = run.points.at(-1);
  const recordedAll = last.recorded >= run.answered && run.answered > 0;
  if (!recordedAll) allRecorded = false;
  const peakSeries = Math.max(...run.points.map((point) => point.series));
  const rows = run.points
    .filter((point) => point.rss !== undefined)
    .map((point) => [
      formatInteger(point.values),
      formatFixed(point.seconds, 1),
      mebibytes(point.rss),
      mebibytes(point.heapUsed),
      formatInteger(point.series),
      point.overflow ? 'yes' : 'no',
      point.bytes === undefined ? '—' : formatFixed(point.bytes / 1024, 0),
      formatFixed(point.scrapeMillis, 0),
    ]);
  const facts = [
    `- ${formatInteger(run.total)} distinct values in ${formatFixed(run.seconds, 1)} s (${formatInteger(run.total / run.seconds)} per second, scrapes and GCs included); ${run.name === 'control' ? 'collected' : 'scraped'} every ${formatInteger(Math.floor(run.total / SCRAPES))}`,
    `- **final series of \`${scenario.metric.replace(/_count$/, '')}\`: ${formatInteger(last.series)}** (peak ${formatInteger(peakSeries)}); overflow series${run.name === 'control' ? ' (`otel.metric.overflow: true`)' : ` \`${OVERFLOW}\``} present: **${last.overflow ? 'yes' : 'no'}**`,
    `- recorded: the series' counts sum to ${formatInteger(last.recorded)} for ${formatInteger(run.answered)} ${scenario.unit}${run.name === 'http-route' ? ` (${formatInteger(run.sent)} sent${run.failed > 0 ? `, ${formatInteger(run.failed)} errors or non-2xx` : ''})` : ''}${recordedAll ? '' : ' — **fewer than were made**'}`,
    ...(run.routeMarker === undefined ? [] : [`- routes marked with: ${run.routeMarker}`]),
    `- exited on SIGTERM: ${run.exitedOnSigterm ? 'yes' : '**no** (killed)'}`,
  ];
  return `### ${scenario.title}\n\n${facts.join('\n')}\n\n${table(
    [
      'values',
      'elapsed s',
      'RSS MiB',
      'heapUsed MiB (after GC)',
      `series (\`${scenario.attribute}\` metric)`,
      'overflow series',
      'exposition KiB',
      run.name === 'control' ? 'collect ms' : 'scrape ms',
    ],
    rows,
    ['r', 'r', 'r', 'r', 'r', 'l', 'r', 'r'],
  )}`;
});

const command = `cd bench && node cardinality/cardinality.bench.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const markdown = `# Memory under a cardinality attack

${machineLines({
  packages: ['@opentelemetry/sdk-metrics', '@opentelemetry/instrumentation-http', 'openai', 'autocannon'],
  command,
}).join('\n')}
- the attacked process: \`node --expose-gc --require @va/otel-register cardinality/attack.cjs <scenario>\`, register as shipped, VA_METRICS_CARDINALITY_LIMIT ${config.limit ?? 'unset (default 2000)'}, Prometheus exposition on 127.0.0.1
- this process scrapes \`/metrics\` every 1/${SCRAPES} of the run and asks for memory (after two full GCs) every 1/${MEMORY_SAMPLES}; the table shows the memory samples, each with the scrape taken at the same point
- "series" counts the \`_count\` lines of the metric the attacked attribute lands on (one per label set, overflow series included)
- the control is \`node --expose-gc cardinality/control.cjs\`: a \`MeterProvider\` of @opentelemetry/sdk-metrics with its default limit (2000) and a cumulative reader, recording the gen-ai scenario's attributes straight into a histogram; "series" there counts the data points \`collect()\` returns

${sections.join('\n\n')}
`;

console.log(markdown);
const out = options.out ?? (quick ? undefined : new URL('./last-run.md', import.meta.url));
if (out !== undefined) writeFileSync(out, markdown);
if (!allRecorded) {
  console.error('The instrumentation recorded fewer values than were sent: see "recorded".');
  process.exitCode = 1;
}
