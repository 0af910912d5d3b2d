// Benchmark (not a test): what instrumenting an openai client costs per call and per streamed chunk.
// Sequential calls of openai 6, in batches, the variants interleaved round by round (their order
// rotating) to cancel machine drift:
//   - uninstrumented client;
//   - ours: instrumentOpenAI(client, { meterProvider }), the provider from @va/otel-sdk start();
//   - upstream: @opentelemetry/instrumentation-openai, enabled before `require('openai')` as a user
//     would (its require hook patches the top-level `openai` package, also openai 6), with a real SDK
//     TracerProvider (no exporter) and MeterProvider.
// Each scenario runs twice: against the OpenAI-compatible server in this process on 127.0.0.1, and with
// an in-memory `fetch` replaying that server's recorded responses (no sockets, no server work: the
// client's own CPU, where an instrumentation's cost is easiest to see). Then a CPU-only micro-benchmark
// of our stream observation (observeIterator) over pre-made chunks.
//
//   npm run bench            # full run; also writes bench/last-run.md
//   npm run bench -- --quick # a few seconds (CI smoke)
//
// Runs against the built package (dist/): `npm run build` first.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createNoopMeter } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { observeIterator } from '@va/instrumentation-genai';
import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { instrumentOpenAI } from '../dist/esm/index.js';
import { OpenAICall } from '../dist/esm/openai-call.js';
import { OPERATIONS } from '../dist/esm/operations.js';
import { resolveSettings } from '../dist/esm/options.js';
import { observeStreamItem } from '../dist/esm/read-result.js';
import { RECORDER } from '../dist/esm/recorder.js';
import { CollectingReader, startVaMeterProvider } from './bench-metrics.mjs';
import { median, quantile } from './statistics.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const require = createRequire(import.meta.url);

const quick = process.argv.includes('--quick');
const CHUNKS = 200; // content chunks per streamed call (one word each)
const scale = (full, short) => (quick ? short : full);
const config = {
  // [rounds, calls per batch, warm-up calls per variant]
  calls: scale([9, 300, 600], [3, 30, 60]),
  memoryCalls: scale([9, 1_000, 2_000], [3, 100, 200]),
  streams: scale([9, 30, 60], [3, 4, 8]),
  memoryStreams: scale([9, 100, 200], [3, 10, 20]),
  micro: scale([9, 500, 2_000], [3, 100, 200]),
};

const MODEL = 'gpt-4o-mini';
const MESSAGES = [{ role: 'user', content: 'Say something short.' }];
const SCENARIO = { 'x-test-scenario': `chunks:${CHUNKS}` };

/** Count of histogram points recorded under `name`, over every scope of the provider. */
async function histogramCount(reader, name) {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  let count = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name || metric.dataPointType !== DataPointType.HISTOGRAM) continue;
      for (const point of metric.dataPoints) count += point.value.count;
    }
  }
  return count;
}

/** The installed version of a package whose `exports` may hide its package.json. */
function versionOf(specifier) {
  let dir = dirname(require.resolve(specifier));
  while (!existsSync(join(dir, 'package.json')) || !/node_modules[\\/](@[^\\/]+[\\/])?[^\\/]+$/.test(dir)) {
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

// --- the server and its recorded responses -------------------------------------------------------

const server = await startOpenAICompatibleServer({ host: '127.0.0.1', port: 0 });

/** The server's response to one request, for the in-memory fetch to replay. */
async function recordResponse(body) {
  const response = await fetch(`${server.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench', ...SCENARIO },
    body: JSON.stringify({ model: MODEL, messages: MESSAGES, ...body }),
  });
  if (!response.ok) throw new Error(`recording failed: ${response.status}`);
  return { contentType: response.headers.get('content-type'), text: await response.text() };
}
const encoder = new TextEncoder();
/** SSE bodies are replayed one event per read, as the server writes them (one write per event). */
const sseEvents = (text) =>
  text
    .split(/(?<=\n\n)/)
    .filter((event) => event.trim() !== '')
    .map((event) => encoder.encode(event));
const recorded = {
  json: await recordResponse({}),
  sse: sseEvents((await recordResponse({ stream: true })).text),
  sseUsage: sseEvents((await recordResponse({ stream: true, stream_options: { include_usage: true } })).text),
};
server.reset();

/** A `fetch` that answers chat completions from the recordings: no socket, no server work. */
async function memoryFetch(_url, init) {
  const body = JSON.parse(init.body);
  if (body.stream !== true) {
    return new Response(recorded.json.text, {
      status: 200,
      headers: { 'content-type': recorded.json.contentType },
    });
  }
  const events = body.stream_options?.include_usage === true ? recorded.sseUsage : recorded.sse;
  let next = 0;
  const stream = new ReadableStream({
    pull(controller) {
      if (next < events.length) controller.enqueue(events[next++]);
      else controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

// --- the clients ---------------------------------------------------------------------------------

// Uninstrumented and ours: openai 6 through the `openai6` alias, a name upstream's hook does not match.
const OpenAI6 = require('openai6').OpenAI;
const oursReader = new CollectingReader();
// The MeterProvider users get under @va/otel-register. Its attribute hash memo is process-wide, but
// upstream passes fresh attribute objects, which it never applies to.
const oursMeterProvider = startVaMeterProvider(oursReader);

// Upstream: enabled before `openai` is required, so its require-in-the-middle hook patches it.
let spansEnded = 0;
const countingProcessor = {
  onStart() {},
  onEnd() {
    spansEnded++;
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};
const tracerProvider = new TracerProvider({ spanProcessors: [countingProcessor] });
const upstreamReader = new CollectingReader();
const upstreamMeterProvider = new MeterProvider({ readers: [upstreamReader] });
const { OpenAIInstrumentation: UpstreamInstrumentation } = require('@opentelemetry/instrumentation-openai');
const upstreamInstrumentation = new UpstreamInstrumentation();
upstreamInstrumentation.setTracerProvider(tracerProvider);
upstreamInstrumentation.setMeterProvider(upstreamMeterProvider);
const UpstreamOpenAI = require('openai').OpenAI;
if (!isWrapped(UpstreamOpenAI.Chat.Completions.prototype.create)) {
  throw new Error("upstream's require hook did not patch openai; the comparison would be meaningless");
}
if (isWrapped(OpenAI6.Chat.Completions.prototype.create)) throw new Error('openai6 must stay unpatched');

const OPENAI_VERSION = versionOf('openai6');
const UPSTREAM_OPENAI_VERSION = versionOf('openai');
const UPSTREAM_VERSION = versionOf('@opentelemetry/instrumentation-openai');

/** The three clients, over the network or over the in-memory fetch. */
function clients(extra) {
  const options = { apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0, ...extra };
  return {
    base: new OpenAI6(options),
    ours: instrumentOpenAI(new OpenAI6(options), { meterProvider: oursMeterProvider }),
    // Our wrapper with a meter that records nothing: what our own code costs, without the SDK's record().
    oursNoop: instrumentOpenAI(new OpenAI6(options), {
      meterProvider: { getMeter: () => createNoopMeter() },
    }),
    upstream: new UpstreamOpenAI(options),
  };
}
const net = clients({});
const memory = clients({ fetch: memoryFetch });

/** Calls made through each instrumented client, to check each was recorded exactly once. */
const issued = { ours: 0, upstream: 0 };

const nonStreaming = (client) => () => client.chat.completions.create({ model: MODEL, messages: MESSAGES });

/** Consumes the whole stream as an app would; returns the chunks it saw and the text length. */
const streaming =
  (client, extra = {}) =>
  async () => {
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: MESSAGES, stream: true, ...extra },
      { headers: SCENARIO },
    );
    let chunks = 0;
    let text = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content?.length ?? 0;
    }
    return { chunks, text };
  };

const variantsOf = (set, call, withUsageBaseline) => [
  { name: 'uninstrumented', fn: call(set.base) },
  ...(withUsageBaseline
    ? [
        {
          name: 'uninstrumented + include_usage',
          fn: call(set.base, { stream_options: { include_usage: true } }),
        },
      ]
    : []),
  { name: 'ours', fn: call(set.ours), counter: 'ours' },
  { name: 'ours, no-op meter (our code alone)', fn: call(set.oursNoop) },
  { name: 'upstream', fn: call(set.upstream), counter: 'upstream' },
];

// --- measurement helpers -----------------------------------------------------------------------

/**
 * `n` sequential calls of `fn`, each timed. Returns the median call and the mean call (µs): the median
 * is what a call typically costs, robust to the rare call another process or a major GC stalls; the
 * mean includes those, and the garbage collection the calls cause. Also the process's CPU time per call
 * (µs, user + system, every thread: the server's work and GC included), which a busy machine distorts far
 * less than wall time: waiting for a core costs wall time, not CPU time.
 */
async function batch(fn, n) {
  server.reset();
  gc();
  const times = new Float64Array(n);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times[i] = performance.now() - t0;
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  server.reset();
  return { median: median(times) * 1000, mean: (elapsed * 1000) / n, cpu: (cpu.user + cpu.system) / n };
}

/**
 * Runs every variant `rounds` times in batches of `n` calls, rotating their order each round.
 * Returns per variant the per-batch medians and means (µs/call), in round order so rounds pair up.
 */
async function interleaved(variants, [rounds, n, warmN]) {
  for (const variant of variants) await batch(variant.fn, warmN);
  const results = new Map(variants.map((variant) => [variant.name, { median: [], mean: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length];
      const { median: m, mean, cpu } = await batch(variant.fn, n);
      results.get(variant.name).median.push(m);
      results.get(variant.name).mean.push(mean);
      results.get(variant.name).cpu.push(cpu);
    }
  }
  for (const variant of variants) if (variant.counter) issued[variant.counter] += warmN + rounds * n;
  return results;
}

/** Paired per-round differences `values − reference`: median and interquartile range. */
function paired(values, reference) {
  const deltas = values.map((value, i) => value - reference[i]);
  return { median: median(deltas), q1: quantile(deltas, 0.25), q3: quantile(deltas, 0.75) };
}

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const signed = (x, digits = 1) => (x >= 0 ? '+' : '') + fmt(x, digits);
const iqr = (d, digits = 1, divisor = 1) =>
  `${signed(d.q1 / divisor, digits)} … ${signed(d.q3 / divisor, digits)}`;

// --- sanity: every variant sees the same stream ---------------------------------------------------

const sanity = {};
for (const [transport, set] of [
  ['network', net],
  ['memory', memory],
]) {
  for (const variant of variantsOf(set, streaming, true)) {
    const { chunks, text } = await variant.fn();
    if (variant.counter) issued[variant.counter]++;
    // The caller who asked for usage sees its usage chunk too.
    const usageChunk = variant.name.endsWith('include_usage') ? 1 : 0;
    sanity[`${transport} ${variant.name}`] = `${chunks - usageChunk}/${text}`;
  }
}
if (new Set(Object.values(sanity)).size !== 1) {
  throw new Error(`the variants saw different streams: ${JSON.stringify(sanity)}`);
}
const DELIVERED = Number(Object.values(sanity)[0].split('/')[0]); // role chunk + CHUNKS words + finish chunk
{
  // Ours asks for stream usage on the caller's behalf; the caller must not see that chunk or `usage` keys.
  const stream = await net.ours.chat.completions.create(
    { model: MODEL, messages: MESSAGES, stream: true },
    { headers: SCENARIO },
  );
  issued.ours++;
  for await (const chunk of stream) {
    if ('usage' in chunk) throw new Error('ours leaked a usage key to the caller');
  }
  if (server.requests.at(-1)?.body?.stream_options?.include_usage !== true) {
    throw new Error('ours did not request usage');
  }
  server.reset();
}

// --- 1 and 2: calls ------------------------------------------------------------------------------

const callResults = await interleaved(variantsOf(net, nonStreaming, false), config.calls);
const memoryCallResults = await interleaved(variantsOf(memory, nonStreaming, false), config.memoryCalls);
const streamResults = await interleaved(variantsOf(net, streaming, true), config.streams);
const memoryStreamResults = await interleaved(variantsOf(memory, streaming, true), config.memoryStreams);

// --- 3. CPU micro-benchmark of the stream observation ------------------------------------------

// A chat.completion.chunk stream as the server sends it with include_usage: `usage: null` on every
// chunk, then a usage-only chunk with no choices. Parsed from JSON per stream (untimed), as the SDK
// does, so every stream starts with fresh objects of the SDK's shape (ours deletes `usage: null`).
function chunkTexts(n) {
  const head = {
    id: 'chatcmpl-bench0123456789abcdefghijklm',
    object: 'chat.completion.chunk',
    created: 1_763_700_000,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_5eed0pena1',
  };
  const chunk = (delta, finish) =>
    JSON.stringify({
      ...head,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
  const texts = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (let i = 0; i < n; i++) texts.push(chunk({ content: `word${i % 10} ` }, null));
  texts.push(chunk({}, 'stop'));
  const usage = { prompt_tokens: 12, completion_tokens: n, total_tokens: 12 + n };
  texts.push(JSON.stringify({ ...head, choices: [], usage }));
  return texts;
}
const TEXTS = chunkTexts(CHUNKS);
const INNER_ITEMS = TEXTS.length; // role + CHUNKS + finish + usage

async function* source(items) {
  for (const item of items) yield item;
}

const microSettings = resolveSettings({ meterProvider: oursMeterProvider });
const microAttributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': '127.0.0.1',
  'gen_ai.request.model': MODEL,
  'server.address': '127.0.0.1',
  'server.port': server.port,
};
const microCall = (injected) =>
  new OpenAICall(RECORDER, microSettings, OPERATIONS[0], microAttributes, MODEL, true, injected, undefined);

const microVariants = [
  { name: 'raw async generator', iterator: (items) => source(items) },
  {
    name: 'observed, caller asked for usage (chunks untouched)',
    iterator: (items) => observeIterator(source(items), microCall(false), observeStreamItem),
  },
  {
    name: 'observed, usage requested by us (default: `usage: null` deleted, usage chunk swallowed)',
    iterator: (items) => observeIterator(source(items), microCall(true), observeStreamItem),
  },
];

/** Items the caller sees before `done`, found once per variant. */
async function itemsSeen(variant) {
  const iterator = variant.iterator(TEXTS.map((text) => JSON.parse(text)));
  let count = 0;
  while (!(await iterator.next()).done) count++;
  return count;
}

/**
 * Per stream: time to take the `items` the caller sees (reading each as an app would), then the
 * final `next()` that returns done, where ours finishes the call and records it. Returns totals (ms).
 */
async function microBatch(variant, streams, items) {
  let body = 0;
  let end = 0;
  let sink = 0;
  for (let s = 0; s < streams; s++) {
    const chunks = TEXTS.map((text) => JSON.parse(text));
    const iterator = variant.iterator(chunks);
    const t0 = performance.now();
    for (let i = 0; i < items; i++) {
      const { value } = await iterator.next();
      sink += value.choices[0]?.delta?.content?.length ?? 0;
    }
    const t1 = performance.now();
    const last = await iterator.next();
    const t2 = performance.now();
    if (!last.done) throw new Error(`${variant.name}: stream longer than expected`);
    body += t1 - t0;
    end += t2 - t1;
  }
  if (sink === 0) throw new Error('nothing consumed');
  return { body, end };
}

const [microRounds, microStreams, warmMicroStreams] = config.micro;
for (const variant of microVariants) {
  variant.items = await itemsSeen(variant);
  await microBatch(variant, warmMicroStreams, variant.items);
  variant.rounds = [];
}
for (let round = 0; round < microRounds; round++) {
  for (let i = 0; i < microVariants.length; i++) {
    const variant = microVariants[(round + i) % microVariants.length];
    gc();
    const { body, end } = await microBatch(variant, microStreams, variant.items);
    // ns per inner chunk (the same inner stream for every variant); µs per stream for the final next().
    variant.rounds.push({
      bodyNs: (body * 1e6) / (microStreams * INNER_ITEMS),
      endUs: (end * 1000) / microStreams,
      totalNs: ((body + end) * 1e6) / (microStreams * INNER_ITEMS),
    });
  }
}

// --- verification: both instrumentations really recorded -----------------------------------------

const DURATION = 'gen_ai.client.operation.duration';
// Ours also recorded one call per micro-benchmark stream (they record into the same provider).
const microStreamsRecorded = (microVariants.length - 1) * (1 + warmMicroStreams + microRounds * microStreams);
const oursRecorded = await histogramCount(oursReader, DURATION);
const upstreamRecorded = await histogramCount(upstreamReader, DURATION);

await server.close();
upstreamInstrumentation.disable();
await Promise.all([
  oursMeterProvider.shutdown(),
  upstreamMeterProvider.shutdown(),
  tracerProvider.shutdown(),
]);

// --- report --------------------------------------------------------------------------------------

const lines = [];
const out = (line = '') => lines.push(line);
const cpu = cpus();
const shape = ([rounds, n]) => `${rounds} rounds × ${n} calls per variant`;

out(`# @va/instrumentation-openai benchmark${quick ? ' (quick)' : ''}`);
out();
out(`- date: ${new Date().toISOString()}`);
out(
  `- machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${fmt(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}`,
);
out(
  `- node ${process.version}; openai ${OPENAI_VERSION} (uninstrumented and ours), openai ${UPSTREAM_OPENAI_VERSION} (upstream); @opentelemetry/instrumentation-openai ${UPSTREAM_VERSION}`,
);
out(
  '- network: @va/openai-compatible-server in this process on 127.0.0.1 (its work is part of every call); ' +
    "memory: the client's `fetch` replays that server's recorded responses (client CPU only)",
);
out(
  "- upstream set up as a user would: enabled before `require('openai')`, SDK TracerProvider (a span-counting " +
    'processor, no exporter), SDK MeterProvider; no context manager and no LoggerProvider registered',
);
out(
  '- calls are sequential; variants interleaved round by round; "median" = median over rounds of the per-batch ' +
    'median call, "mean" = median over rounds of the per-batch mean (includes stalls and GC); overheads are ' +
    'medians of the per-round paired differences, IQR across rounds',
);
out();

function callTable(results) {
  out(
    '| variant | median µs/call | overhead µs (IQR) | overhead % | mean µs/call | mean overhead µs (IQR) | mean overhead % | CPU µs/call | CPU overhead µs (IQR) | CPU overhead, % of the uninstrumented call |',
  );
  out('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const base = results.get('uninstrumented');
  for (const [name, values] of results) {
    const m = median(values.median);
    const mean = median(values.mean);
    const cpu = median(values.cpu);
    if (name === 'uninstrumented') {
      out(`| ${name} | ${fmt(m)} | | | ${fmt(mean)} | | | ${fmt(cpu)} | | |`);
      continue;
    }
    const dm = paired(values.median, base.median);
    const dmean = paired(values.mean, base.mean);
    const dcpu = paired(values.cpu, base.cpu);
    out(
      `| ${name} | ${fmt(m)} | ${signed(dm.median)} (${iqr(dm)}) | ${signed((100 * dm.median) / median(base.median), 2)} % | ${fmt(mean)} | ${signed(dmean.median)} (${iqr(dmean)}) | ${signed((100 * dmean.median) / median(base.mean), 2)} % | ${fmt(cpu)} | ${signed(dcpu.median)} (${iqr(dcpu)}) | ${signed((100 * dcpu.median) / median(base.mean), 2)} % |`,
    );
  }
  out();
}

function streamTable(results) {
  out(
    '| variant | median ms/call | overhead µs/chunk (IQR) | mean ms/call | mean overhead µs/chunk (IQR) | ours vs + include_usage µs/chunk: median / mean |',
  );
  out('|---|---:|---:|---:|---:|---:|');
  const base = results.get('uninstrumented');
  const usageBase = results.get('uninstrumented + include_usage');
  for (const [name, values] of results) {
    const m = median(values.median) / 1000;
    const mean = median(values.mean) / 1000;
    if (name === 'uninstrumented') {
      out(`| ${name} | ${fmt(m, 3)} | | ${fmt(mean, 3)} | | |`);
      continue;
    }
    const dm = paired(values.median, base.median);
    const dmean = paired(values.mean, base.mean);
    const vsUsage =
      name === 'ours'
        ? `${signed(paired(values.median, usageBase.median).median / DELIVERED, 2)} / ${signed(paired(values.mean, usageBase.mean).median / DELIVERED, 2)}`
        : '';
    out(
      `| ${name} | ${fmt(m, 3)} | ${signed(dm.median / DELIVERED, 2)} (${iqr(dm, 2, DELIVERED)}) | ${fmt(mean, 3)} | ${signed(dmean.median / DELIVERED, 2)} (${iqr(dmean, 2, DELIVERED)}) | ${vsUsage} |`,
    );
  }
  out();
}

out('## 1. Non-streaming `chat.completions.create`');
out();
out(`### network (${shape(config.calls)})`);
out();
callTable(callResults);
out(`### memory (${shape(config.memoryCalls)})`);
out();
callTable(memoryCallResults);

out(`## 2. Streaming \`chat.completions.create({ stream: true })\`, \`chunks:${CHUNKS}\``);
out();
out(
  `The caller sees ${DELIVERED} chunks in every variant (role, ${CHUNKS} words, finish); per-chunk figures divide ` +
    `the per-call overhead by ${DELIVERED}. Ours adds \`stream_options.include_usage\` (unless the caller set it), so ` +
    'the server also sends `usage: null` on every chunk and one extra usage chunk, which ours reads and hides from ' +
    'the caller; upstream does not ask for usage (and so records no tokens for streams). ' +
    '"uninstrumented + include_usage" is the same traffic as ours without instrumentation.',
);
out();
out(`### network (${shape(config.streams)})`);
out();
streamTable(streamResults);
out(`### memory (${shape(config.memoryStreams)})`);
out();
streamTable(memoryStreamResults);

out(
  `## 3. CPU only: iterating ${INNER_ITEMS} pre-made chunks (role, ${CHUNKS} words, finish, usage) per stream (${microRounds} rounds × ${microStreams} streams per variant)`,
);
out();
out(
  'Per inner chunk (the same stream for every variant). "body" = taking the chunks the caller sees; "end" = the ' +
    'final `next()` that returns done, where ours finishes the call and records duration, time to first chunk, ' +
    `one time-per-output-chunk point per gap between chunks (${CHUNKS + 1} points), tokens and cost (with usage ` +
    'requested by us, it also reads the swallowed usage chunk).',
);
out();
out(
  '| variant | chunks seen | body ns/chunk | end µs/stream | total ns/chunk | overhead vs raw ns/chunk | of which body | of which end |',
);
out('|---|---:|---:|---:|---:|---:|---:|---:|');
const raw = microVariants[0];
for (const variant of microVariants) {
  const body = median(variant.rounds.map((r) => r.bodyNs));
  const end = median(variant.rounds.map((r) => r.endUs));
  const total = median(variant.rounds.map((r) => r.totalNs));
  if (variant === raw) {
    out(`| ${variant.name} | ${variant.items} | ${fmt(body)} | ${fmt(end, 2)} | ${fmt(total)} | | | |`);
    continue;
  }
  const over = paired(
    variant.rounds.map((r) => r.totalNs),
    raw.rounds.map((r) => r.totalNs),
  ).median;
  const bodyOver = paired(
    variant.rounds.map((r) => r.bodyNs),
    raw.rounds.map((r) => r.bodyNs),
  ).median;
  const endOver = paired(
    variant.rounds.map((r) => r.endUs),
    raw.rounds.map((r) => r.endUs),
  ).median;
  out(
    `| ${variant.name} | ${variant.items} | ${fmt(body)} | ${fmt(end, 2)} | ${fmt(total)} | ${signed(over)} | ${signed(bodyOver)} | ${signed((endOver * 1000) / INNER_ITEMS)} |`,
  );
}
out();

out('## Verification');
out();
out(
  `- ours recorded ${oursRecorded} \`${DURATION}\` points for ${issued.ours} client calls + ${microStreamsRecorded} micro-benchmark streams (expected ${issued.ours + microStreamsRecorded})`,
);
out(
  `- upstream recorded ${upstreamRecorded} \`${DURATION}\` points and ended ${spansEnded} spans for ${issued.upstream} calls`,
);

const markdown = `${lines.join('\n')}\n`;
process.stdout.write(`\n${markdown}`);
// Figures from an instrumentation that lost calls would be meaningless: fail, and write nothing.
const expectedOurs = issued.ours + microStreamsRecorded;
if (oursRecorded !== expectedOurs || upstreamRecorded !== issued.upstream || spansEnded !== issued.upstream) {
  process.stderr.write('verification failed: a variant did not record every call it made (see above)\n');
  process.exit(1);
}
if (!quick) writeFileSync(new URL('./last-run.md', import.meta.url), markdown);
