// Benchmark (not a test): what HTTP server metrics cost in requests/s, server CPU per request,
// latency and memory.
// Two apps, a hello-world node:http server and an Express 5 app (GET /users/:id behind express.json()
// and a middleware), each started as a child process per variant and loaded by autocannon from this
// process: two cores, one for the load generator and one for the server.
//   - bare: no metrics;
//   - ours: node --require @va/otel-register, as shipped;
//   - ours, upstream HTTP path: the same with VA_HTTP_SERVER_INSTRUMENTATION=upstream (a register that
//     does not know the variable ignores it, and this variant then measures the same as "ours");
//   - upstream: instrumentation-http (+ instrumentation-express) and exporter-prometheus on a
//     MeterProvider, no tracing SDK (preload/upstream.cjs);
//   - auto-instrumentations-node/register, metrics only (OTEL_METRICS_EXPORTER=prometheus, traces and
//     logs off);
//   - prom-client: a hand-written http_request_duration_seconds histogram in the handler or a middleware.
// Variants are interleaved round by round (their order rotating), so drift hits each alike. The
// server's CPU time per request is reported beside requests/s: on a shared machine it is the steadier
// of the two. Before a variant counts, its own exposition must show the requests: after the load we
// scrape it and compare the HTTP server duration histogram's count with what autocannon sent.
//
//   node http/http.bench.mjs            # full run (3 rounds × 10 s); writes http/last-run.md
//   node http/http.bench.mjs --quick    # smoke: 1 round × 2 s, node:http, bare and ours only
//   options: --rounds N --duration S --warmup S --connections N --apps node-http,express
//            --variants bare,ours,... --out FILE
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
import { formatFixed, formatInteger, mebibytes, median } from '../lib/stats.mjs';

const HERE = new URL('.', import.meta.url);

const APPS = {
  'node-http': {
    title: 'hello-world `node:http`',
    script: 'apps/node-http.cjs',
    path: '/',
    route: undefined,
  },
  express: {
    title: 'Express 5, `GET /users/:id`',
    script: 'apps/express.cjs',
    path: '/users/42',
    route: '/users/:id',
  },
};

/** The environment every instrumented variant's exporter gets: loopback only, quiet. */
const exporterEnvironment = (metricsPort) => ({
  OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
  OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
  OTEL_LOG_LEVEL: 'error',
});

const VARIANTS = [
  { name: 'bare', title: 'bare', preload: [], environment: () => ({}), histogram: undefined },
  {
    name: 'ours',
    title: 'ours: `--require @va/otel-register`',
    preload: ['--require', '@va/otel-register'],
    environment: exporterEnvironment,
    histogram: 'voice_agent_http_server_request_duration_seconds_count',
    mustHaveRoute: true,
  },
  {
    name: 'ours-upstream-http',
    title: 'ours, `VA_HTTP_SERVER_INSTRUMENTATION=upstream`',
    preload: ['--require', '@va/otel-register'],
    environment: (port) => ({ ...exporterEnvironment(port), VA_HTTP_SERVER_INSTRUMENTATION: 'upstream' }),
    histogram: 'voice_agent_http_server_request_duration_seconds_count',
    mustHaveRoute: true,
  },
  {
    name: 'upstream',
    title: 'upstream instrumentation-http + exporter-prometheus',
    preload: ['--require', './preload/upstream.cjs'],
    environment: exporterEnvironment,
    histogram: 'http_server_request_duration_count',
  },
  {
    name: 'auto-instrumentations',
    title: 'auto-instrumentations-node/register, metrics only',
    preload: ['--require', '@opentelemetry/auto-instrumentations-node/register'],
    environment: (port) => ({
      ...exporterEnvironment(port),
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      // The cloud detectors (GCP, AWS, Azure …) query metadata addresses off this machine: not here.
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
    }),
    histogram: 'http_server_request_duration_count',
  },
  {
    name: 'prom-client',
    title: 'prom-client, hand-written histogram',
    preload: [],
    environment: (port) => ({ BENCH_PROM_CLIENT_PORT: String(port) }),
    histogram: 'http_request_duration_seconds_count',
  },
];

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    apps: { type: 'string' },
    variants: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = options.quick;
const config = {
  rounds: Number(options.rounds ?? (quick ? 1 : 3)),
  durationSeconds: Number(options.duration ?? (quick ? 2 : 10)),
  warmupSeconds: Number(options.warmup ?? (quick ? 1 : 3)),
  connections: Number(options.connections ?? 50),
  apps: (options.apps ?? (quick ? 'node-http' : Object.keys(APPS).join(','))).split(','),
  variants: (
    options.variants ?? (quick ? 'bare,ours' : VARIANTS.map((variant) => variant.name).join(','))
  ).split(','),
};
for (const app of config.apps) if (!(app in APPS)) throw new Error(`unknown app "${app}"`);
const variants = config.variants.map((name) => {
  const variant = VARIANTS.find((candidate) => candidate.name === name);
  if (variant === undefined) throw new Error(`unknown variant "${name}"`);
  return variant;
});

/** Only what the variant sets: OTEL_* and VA_* from the caller's shell must not leak into a variant. */
function childEnvironment(extra) {
  const environment = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_') && !key.startsWith('VA_') && !key.startsWith('BENCH_'))
      environment[key] = value;
  }
  return { ...environment, ...extra };
}

function load(url, seconds) {
  return autocannon({
    url,
    connections: config.connections,
    pipelining: 1,
    duration: seconds,
  });
}

async function measure(appName, variant) {
  const app = APPS[appName];
  const port = await freePort();
  const metricsPort = await freePort();
  const server = startNode({
    args: [...variant.preload, app.script],
    cwd: HERE,
    env: childEnvironment({ PORT: String(port), ...variant.environment(metricsPort) }),
  });
  try {
    await server.ready;
    const url = `http://127.0.0.1:${port}${app.path}`;
    const warmup = await load(url, config.warmupSeconds);
    const before = await server.request({ type: 'usage' }, 'usage', 10_000);
    const result = await load(url, config.durationSeconds);
    const after = await server.request({ type: 'usage' }, 'usage', 10_000);
    // The server's own CPU per request hardly depends on what else the machine runs, unlike requests/s.
    const cpuMicros = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
    const sent = warmup.requests.sent + result.requests.sent;
    const answered = warmup.requests.total + result.requests.total;
    const failed = warmup.errors + warmup.non2xx + result.errors + result.non2xx;
    // Responses still in flight when autocannon stopped are recorded when they end.
    await delay(200);
    const { memory } = await server.request({ type: 'usage' }, 'usage', 10_000);

    let recorded;
    let hasRoute;
    let scrapeError;
    if (variant.histogram !== undefined) {
      try {
        const { text } = await scrape(metricsPort);
        const lines = samples(text, variant.histogram);
        recorded = sumOfSamples(lines);
        if (app.route !== undefined) {
          hasRoute = lines.some(
            (line) => line.includes(`http_route="${app.route}"`) || line.includes(`route="${app.route}"`),
          );
        }
      } catch (error) {
        // A variant whose exposition cannot be read has not shown that it records: it fails its check.
        scrapeError = `${error.message}${error.cause ? ` (${error.cause.message ?? error.cause})` : ''}`;
        console.error(`${appName} ${variant.name}: scrape failed: ${scrapeError}\n${server.output()}`);
      }
    }
    const stopped = await server.stop();
    return {
      requestsPerSecond: result.requests.average,
      p99: result.latency.p99,
      cpuPerRequest: cpuMicros / result.requests.total,
      rss: memory.rss,
      sent,
      answered,
      failed,
      recorded,
      hasRoute,
      scrapeError,
      exitedOnSigterm: stopped.exitedOnSigterm,
    };
  } catch (error) {
    await server.stop(500);
    throw error;
  }
}

/**
 * One retry after a pause: on a shared machine a workspace package's dist/ can be mid-rebuild for a
 * moment. A second failure is kept as the round's result (and fails the bench), the other variants go on.
 */
async function measureOrRetry(appName, variant) {
  try {
    return await measure(appName, variant);
  } catch (error) {
    console.error(`${appName} ${variant.name}: ${error.message}\nretrying in 5 s`);
    await delay(5_000);
    try {
      return await measure(appName, variant);
    } catch (again) {
      console.error(`${appName} ${variant.name}: failed again: ${again.message}`);
      const failure = again.message.split('\n')[0];
      return {
        failure,
        requestsPerSecond: Number.NaN,
        p99: Number.NaN,
        cpuPerRequest: Number.NaN,
        rss: Number.NaN,
        failed: 0,
        exitedOnSigterm: true,
      };
    }
  }
}

/** Whether the variant's own exposition shows every answered request (and the route where it must). */
function checkOf(variant, app, run) {
  if (run.failure !== undefined) return { ok: false, text: `**not measured**: ${run.failure}` };
  if (variant.histogram === undefined) return { ok: true, text: '—' };
  if (run.scrapeError !== undefined) return { ok: false, text: `**scrape failed**: ${run.scrapeError}` };
  const countOk = run.recorded >= run.answered && run.recorded > 0;
  const routeOk = app.route === undefined || run.hasRoute || !variant.mustHaveRoute;
  const route =
    app.route === undefined ? '' : run.hasRoute ? `; route ${app.route}` : `; **no http_route ${app.route}**`;
  return {
    ok: countOk && routeOk,
    text: `${countOk ? '' : '**'}recorded ${formatInteger(run.recorded)} of ${formatInteger(run.sent)}${countOk ? '' : '**'}${route}`,
  };
}

const results = new Map(); // app → variant name → runs (one per round)
for (const app of config.apps) results.set(app, new Map(variants.map((variant) => [variant.name, []])));

for (let round = 0; round < config.rounds; round++) {
  for (const app of config.apps) {
    // Rotate the order each round: no variant always runs first after a cool machine, or last.
    const order = variants.map((_, index) => variants[(index + round) % variants.length]);
    for (const variant of order) {
      const run = await measureOrRetry(app, variant);
      results.get(app).get(variant.name).push(run);
      const check = checkOf(variant, APPS[app], run);
      console.error(
        `round ${round + 1}/${config.rounds} ${app} ${variant.name}: ${formatInteger(run.requestsPerSecond)} req/s, p99 ${run.p99} ms, server CPU ${formatFixed(run.cpuPerRequest, 1)} µs/request, ${check.text}`,
      );
    }
  }
}

/** The median of per-round ratios, with their range when there is more than one round. */
function withRange(values) {
  const ratios = values.filter((value) => Number.isFinite(value));
  if (ratios.length < 2) return formatFixed(median(ratios), 2);
  return `${formatFixed(median(ratios), 2)} (${formatFixed(Math.min(...ratios), 2)}–${formatFixed(Math.max(...ratios), 2)})`;
}

let allChecksPassed = true;
const sections = [];
for (const appName of config.apps) {
  const app = APPS[appName];
  const byVariant = results.get(appName);
  const bareRuns = byVariant.get('bare');
  const rows = variants.map((variant) => {
    const runs = byVariant.get(variant.name);
    const ratios =
      bareRuns === undefined
        ? []
        : runs.map((run, round) => run.requestsPerSecond / bareRuns[round].requestsPerSecond);
    const cpuRatios =
      bareRuns === undefined
        ? []
        : runs.map((run, round) => bareRuns[round].cpuPerRequest / run.cpuPerRequest);
    const checks = runs.map((run) => checkOf(variant, app, run));
    const failedChecks = checks.filter((check) => !check.ok).length;
    if (failedChecks > 0) allChecksPassed = false;
    const failedRequests = runs.reduce((sum, run) => sum + run.failed, 0);
    const lastCheck = checks.at(-1).text;
    return [
      variant.title,
      formatInteger(median(runs.map((run) => run.requestsPerSecond))),
      withRange(ratios),
      formatFixed(median(runs.map((run) => run.p99)), 1),
      formatFixed(median(runs.map((run) => run.cpuPerRequest)), 1),
      withRange(cpuRatios),
      mebibytes(median(runs.map((run) => run.rss))),
      `${lastCheck}${failedChecks > 0 ? ` (**${failedChecks} of ${runs.length} rounds failed**)` : ''}${failedRequests > 0 ? `; ${formatInteger(failedRequests)} errors or non-2xx` : ''}`,
      runs.every((run) => run.exitedOnSigterm) ? 'yes' : '**no** (killed)',
    ];
  });
  sections.push(
    `### ${app.title}\n\n${table(
      [
        'variant',
        'requests/s (median)',
        'share of bare (range over rounds)',
        'p99 ms',
        'server CPU µs/request',
        'CPU share of bare (range)',
        'RSS at end, MiB',
        'exposition check (last round)',
        'exits on SIGTERM',
      ],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    )}`,
  );
}

const command = `cd bench && node http/http.bench.mjs${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const markdown = `# HTTP overhead benchmark

${machineLines({
  packages: [
    'autocannon',
    'express',
    'prom-client',
    '@opentelemetry/sdk-metrics',
    '@opentelemetry/instrumentation-http',
    '@opentelemetry/instrumentation-express',
    '@opentelemetry/exporter-prometheus',
    '@opentelemetry/auto-instrumentations-node',
  ],
  command,
}).join('\n')}
- load: autocannon in the bench process, ${config.connections} connections, pipelining 1, keep-alive; ${config.warmupSeconds} s warm-up then ${config.durationSeconds} s measured per variant; each variant's server a child process of its own on 127.0.0.1 (two cores: one runs the load generator, the other the server)
- ${config.rounds} round(s), variants interleaved with their order rotating each round; requests/s and p99 are medians over rounds; "share of bare" is the median over rounds of requests/s ÷ bare's requests/s in the same round; RSS is the server's after the load
- server CPU µs/request: the server process's user + system CPU time during the measured load ÷ responses; it depends far less on other work on the machine than requests/s does. "CPU share of bare" is bare's CPU per request ÷ the variant's (median over rounds of same-round ratios): the share of bare's requests/s the variant would reach with a core to itself
- exposition check: after the load, the variant's own metrics endpoint is scraped and its HTTP server duration histogram's \`_count\` summed over series; it must be at least the responses autocannon received (warm-up included; "of N" is what it sent, in flight included). For Express, the route template must be a label (required for ours)

${sections.join('\n\n')}
`;

console.log(markdown);
const out = options.out ?? (quick ? undefined : new URL('./last-run.md', import.meta.url));
if (out !== undefined) writeFileSync(out, markdown);
if (!allChecksPassed) {
  console.error('A variant did not record what it was sent: see the exposition check column.');
  process.exitCode = 1;
}
