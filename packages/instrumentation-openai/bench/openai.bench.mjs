// Benchmark (not a test): what instrumenting an openai client costs per call and per streamed chunk.
// Runs openai 6 against the in-process OpenAI-compatible server on 127.0.0.1, sequential calls in
// batches, with the variants interleaved round by round (rotating their order) to cancel machine drift:
//   - uninstrumented client;
//   - ours: instrumentOpenAI(client, { meterProvider });
//   - upstream: @opentelemetry/instrumentation-openai, enabled before `require('openai')` as a user
//     would (its require hook patches the top-level `openai` package, also openai 6), with a real
//     SDK TracerProvider (no exporter) and MeterProvider.
// Then a CPU-only micro-benchmark of our stream observation (observeIterator) over pre-made chunks.
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
import { isWrapped } from '@opentelemetry/instrumentation';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { GenAICall } from '../dist/esm/call.js';
import { instrumentOpenAI } from '../dist/esm/index.js';
import { observeIterator } from '../dist/esm/observe-stream.js';
import { OPERATIONS } from '../dist/esm/operations.js';
import { resolveSettings } from '../dist/esm/options.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const require = createRequire(import.meta.url);

const quick = process.argv.includes('--quick');
const CHUNKS = 200; // content chunks per streamed call (one word each)
const config = quick
  ? { rounds: 3, calls: 40, warmCalls: 40, streamRounds: 3, streamCalls: 6, warmStreams: 6, microRounds: 3 }
  : {
      rounds: 9,
      calls: 300,
      warmCalls: 300,
      streamRounds: 7,
      streamCalls: 40,
      warmStreams: 40,
      microRounds: 9,
    };
config.microStreams = quick ? 100 : 1_000;
config.warmMicroStreams = quick ? 200 : 2_000;

const MODEL = 'gpt-4o-mini';
const MESSAGES = [{ role: 'user', content: 'Say something short.' }];
const STREAM_HEADERS = { headers: { 'x-test-scenario': `chunks:${CHUNKS}` } };

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

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

// --- the three clients -------------------------------------------------------------------------

const server = await startOpenAICompatibleServer({ host: '127.0.0.1', port: 0 });
const clientOptions = { apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 };

// Baseline and ours: openai 6 through the `openai6` alias (a module upstream's hook does not match).
const OpenAI6 = require('openai6').OpenAI;
const oursReader = new CollectingReader();
const oursMeterProvider = new MeterProvider({ readers: [oursReader] });

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
const upstreamOpenAI = require('openai');
if (!isWrapped(upstreamOpenAI.OpenAI.Chat.Completions.prototype.create)) {
  throw new Error("upstream's require hook did not patch openai; the comparison would be meaningless");
}
if (isWrapped(OpenAI6.Chat.Completions.prototype.create)) throw new Error('openai6 must stay unpatched');

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
const OPENAI_VERSION = versionOf('openai6');
const UPSTREAM_OPENAI_VERSION = versionOf('openai');
const UPSTREAM_VERSION = versionOf('@opentelemetry/instrumentation-openai');

const baseClient = new OpenAI6(clientOptions);
const oursClient = instrumentOpenAI(new OpenAI6(clientOptions), { meterProvider: oursMeterProvider });
const upstreamClient = new upstreamOpenAI.OpenAI(clientOptions);

/** Calls made through each instrumented client, to check each was recorded exactly once. */
const issued = { ours: 0, upstream: 0 };

const nonStreaming = (client) => () => client.chat.completions.create({ model: MODEL, messages: MESSAGES });

/** Consumes the whole stream as an app would; returns the chunks it saw and whether any had `usage`. */
const streaming =
  (client, extra = {}) =>
  async () => {
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: MESSAGES, stream: true, ...extra },
      STREAM_HEADERS,
    );
    let chunks = 0;
    let text = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content?.length ?? 0;
    }
    return { chunks, text };
  };

// --- measurement helpers -----------------------------------------------------------------------

const median = (values) => quantile(values, 0.5);
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Mean wall time (µs) of `n` sequential calls of `fn`. */
async function batch(fn, n) {
  server.reset();
  gc();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const elapsed = performance.now() - start;
  server.reset();
  return (elapsed * 1000) / n;
}

/**
 * Runs every variant `rounds` times in batches of `n` calls, rotating their order each round.
 * Returns per variant the batch means (µs/call), in round order so they can be paired.
 */
async function interleaved(variants, rounds, n, warmN) {
  for (const variant of variants) await batch(variant.fn, warmN);
  const results = new Map(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length];
      results.get(variant.name).push(await batch(variant.fn, n));
    }
  }
  for (const variant of variants) if (variant.counter) issued[variant.counter] += warmN + rounds * n;
  return results;
}

/** Paired per-round differences `variant − reference`: median and interquartile range. */
function paired(values, reference) {
  const deltas = values.map((value, i) => value - reference[i]);
  return { median: median(deltas), q1: quantile(deltas, 0.25), q3: quantile(deltas, 0.75) };
}

const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const signed = (x, digits = 1) => (x >= 0 ? '+' : '') + fmt(x, digits);
const range = (d, digits = 1, scale = 1) =>
  `${signed(d.q1 * scale, digits)} … ${signed(d.q3 * scale, digits)}`;

// --- sanity: every variant sees the same stream ---------------------------------------------------

const seen = {
  base: await streaming(baseClient)(),
  ours: await streaming(oursClient)(),
  upstream: await streaming(upstreamClient)(),
};
issued.ours++;
issued.upstream++;
if (new Set(Object.values(seen).map((s) => `${s.chunks}/${s.text}`)).size !== 1) {
  throw new Error(`the variants saw different streams: ${JSON.stringify(seen)}`);
}
const DELIVERED = seen.base.chunks; // role chunk + CHUNKS words + finish chunk
{
  // Ours asks for stream usage on the caller's behalf; the caller must not see that chunk or `usage` keys.
  const stream = await oursClient.chat.completions.create(
    { model: MODEL, messages: MESSAGES, stream: true },
    STREAM_HEADERS,
  );
  issued.ours++;
  for await (const chunk of stream) {
    if ('usage' in chunk) throw new Error('ours leaked a usage key to the caller');
  }
  const request = server.requests.at(-1);
  if (request?.body?.stream_options?.include_usage !== true) throw new Error('ours did not request usage');
  server.reset();
}

// --- 1. non-streaming ----------------------------------------------------------------------------

const callResults = await interleaved(
  [
    { name: 'uninstrumented', fn: nonStreaming(baseClient) },
    { name: 'ours', fn: nonStreaming(oursClient), counter: 'ours' },
    { name: 'upstream', fn: nonStreaming(upstreamClient), counter: 'upstream' },
  ],
  config.rounds,
  config.calls,
  config.warmCalls,
);

// --- 2. streaming --------------------------------------------------------------------------------

const streamResults = await interleaved(
  [
    { name: 'uninstrumented', fn: streaming(baseClient) },
    // The same bytes on the wire as ours: the caller asks for usage itself.
    {
      name: 'uninstrumented + include_usage',
      fn: streaming(baseClient, { stream_options: { include_usage: true } }),
    },
    { name: 'ours', fn: streaming(oursClient), counter: 'ours' },
    { name: 'upstream', fn: streaming(upstreamClient), counter: 'upstream' },
  ],
  config.streamRounds,
  config.streamCalls,
  config.warmStreams,
);

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
const { port } = new URL(server.baseURL);
const microAttributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': '127.0.0.1',
  'gen_ai.request.model': MODEL,
  'server.address': '127.0.0.1',
  'server.port': Number(port),
};
const microCall = (injected) =>
  new GenAICall(microSettings, OPERATIONS[0], microAttributes, MODEL, true, injected, undefined);

const microVariants = [
  { name: 'raw async generator', iterator: (items) => source(items) },
  {
    name: 'observed, caller asked for usage (chunks untouched)',
    iterator: (items) => observeIterator(source(items), microCall(false)),
  },
  {
    name: 'observed, usage requested by us (default: `usage: null` deleted, usage chunk swallowed)',
    iterator: (items) => observeIterator(source(items), microCall(true)),
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

for (const variant of microVariants) {
  variant.items = await itemsSeen(variant);
  await microBatch(variant, config.warmMicroStreams, variant.items);
  variant.rounds = [];
}
for (let round = 0; round < config.microRounds; round++) {
  for (let i = 0; i < microVariants.length; i++) {
    const variant = microVariants[(round + i) % microVariants.length];
    gc();
    const { body, end } = await microBatch(variant, config.microStreams, variant.items);
    // ns per inner item (the same inner stream for every variant) and µs per stream for the final next().
    variant.rounds.push({
      bodyNs: (body * 1e6) / (config.microStreams * INNER_ITEMS),
      endUs: (end * 1000) / config.microStreams,
      totalNs: ((body + end) * 1e6) / (config.microStreams * INNER_ITEMS),
    });
  }
}

// --- verification: both instrumentations really recorded -----------------------------------------

const DURATION = 'gen_ai.client.operation.duration';
// Ours: the calls above plus one per micro-benchmark stream (they record into the same provider).
const microStreamsRecorded =
  (microVariants.length - 1) * (config.warmMicroStreams + 1 + config.microRounds * config.microStreams);
const oursRecorded = await histogramCount(oursReader, DURATION);
const upstreamRecorded = await histogramCount(upstreamReader, DURATION);
const chunkGapsRecorded = await histogramCount(oursReader, 'gen_ai.client.operation.time_per_output_chunk');

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
  '- server: @va/openai-compatible-server in this process on 127.0.0.1 (its work is part of every call); calls are sequential',
);
out(
  `- upstream set up as a user would: enabled before \`require('openai')\`, SDK TracerProvider (a span-counting processor, no exporter), SDK MeterProvider, no context manager and no LoggerProvider registered (its log events go to the no-op logger)`,
);
out();

out(
  `## 1. Non-streaming \`chat.completions.create\` (${config.rounds} rounds × ${config.calls} calls per variant, interleaved)`,
);
out();
out('| variant | median µs/call | overhead µs/call (paired median) | paired IQR µs | overhead % |');
out('|---|---:|---:|---:|---:|');
const callBase = callResults.get('uninstrumented');
const callBaseMedian = median(callBase);
for (const [name, values] of callResults) {
  if (name === 'uninstrumented') {
    out(`| ${name} | ${fmt(median(values))} | | | |`);
    continue;
  }
  const d = paired(values, callBase);
  out(
    `| ${name} | ${fmt(median(values))} | ${signed(d.median)} | ${range(d)} | ${signed((100 * d.median) / callBaseMedian, 2)} % |`,
  );
}
out();

out(
  `## 2. Streaming \`chat.completions.create({ stream: true })\`, \`chunks:${CHUNKS}\` (${config.streamRounds} rounds × ${config.streamCalls} calls per variant, interleaved)`,
);
out();
out(
  `The caller sees ${DELIVERED} chunks in every variant (role, ${CHUNKS} words, finish); per-chunk figures divide by ${DELIVERED}. ` +
    'Ours adds `stream_options.include_usage` (unless the caller set it), so the server also sends `usage: null` on ' +
    'every chunk and one extra usage chunk, which ours reads and hides from the caller; upstream does not ask for ' +
    'usage. "uninstrumented + include_usage" is the same wire traffic as ours without instrumentation.',
);
out();
out(
  '| variant | median ms/call | overhead vs uninstrumented µs/call (paired median) | paired IQR µs | µs/chunk | overhead vs + include_usage µs/chunk |',
);
out('|---|---:|---:|---:|---:|---:|');
const streamBase = streamResults.get('uninstrumented');
const streamUsageBase = streamResults.get('uninstrumented + include_usage');
for (const [name, values] of streamResults) {
  if (name === 'uninstrumented') {
    out(`| ${name} | ${fmt(median(values) / 1000, 3)} | | | | |`);
    continue;
  }
  const d = paired(values, streamBase);
  const vsUsage = name === 'ours' ? signed(paired(values, streamUsageBase).median / DELIVERED, 2) : '';
  out(
    `| ${name} | ${fmt(median(values) / 1000, 3)} | ${signed(d.median)} | ${range(d)} | ${signed(d.median / DELIVERED, 2)} | ${vsUsage} |`,
  );
}
out();

out(
  `## 3. CPU only: iterating ${INNER_ITEMS} pre-made chunks (${CHUNKS} words + role, finish, usage) per stream (${config.microRounds} rounds × ${config.microStreams} streams per variant, interleaved)`,
);
out();
out(
  'ns/chunk are per inner chunk (the same stream for every variant); "end" is the final `next()` that returns done, ' +
    'where ours finishes the call and records duration, time to first chunk, one time-per-output-chunk point per ' +
    `chunk gap (${CHUNKS + 1} points), tokens and cost. With usage requested by us, the end also reads the swallowed usage chunk.`,
);
out();
out(
  '| variant | chunks seen | body ns/chunk | end µs/stream | total ns/chunk | overhead vs raw ns/chunk (paired median) | of which end ns/chunk |',
);
out('|---|---:|---:|---:|---:|---:|---:|');
const raw = microVariants[0];
for (const variant of microVariants) {
  const body = median(variant.rounds.map((r) => r.bodyNs));
  const end = median(variant.rounds.map((r) => r.endUs));
  const total = median(variant.rounds.map((r) => r.totalNs));
  if (variant === raw) {
    out(`| ${variant.name} | ${variant.items} | ${fmt(body)} | ${fmt(end, 2)} | ${fmt(total)} | | |`);
    continue;
  }
  const over = paired(
    variant.rounds.map((r) => r.totalNs),
    raw.rounds.map((r) => r.totalNs),
  ).median;
  const endOver = paired(
    variant.rounds.map((r) => r.endUs),
    raw.rounds.map((r) => r.endUs),
  ).median;
  out(
    `| ${variant.name} | ${variant.items} | ${fmt(body)} | ${fmt(end, 2)} | ${fmt(total)} | ${signed(over)} | ${signed((endOver * 1000) / INNER_ITEMS)} |`,
  );
}
out();

out('## Verification');
out();
out(
  `- ours recorded ${oursRecorded} \`${DURATION}\` points for ${issued.ours} client calls + ${microStreamsRecorded} micro-benchmark streams (expected ${issued.ours + microStreamsRecorded}), and ${chunkGapsRecorded} time-per-output-chunk points`,
);
out(
  `- upstream recorded ${upstreamRecorded} \`${DURATION}\` points and ended ${spansEnded} spans for ${issued.upstream} calls`,
);

const markdown = `${lines.join('\n')}\n`;
process.stdout.write(`\n${markdown}`);
if (!quick) writeFileSync(new URL('./last-run.md', import.meta.url), markdown);
