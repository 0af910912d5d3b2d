// Benchmark (not a test): what measuring a Realtime session costs the app, per server event.
// A real openai 6 `OpenAIRealtimeWS` is connected to the bundled server over TLS; three real sessions
// (a plain turn, a barge-in the app truncates, a tool call the app answers) record the server's event
// messages. Those messages are then replayed, as the Buffers the socket delivers, into each client's own
// message path (`socket.emit('message')`: the client's listener parses them and emits `event` and the
// event's type to the app's listeners), every replayed response with fresh ids so each one opens,
// marks and ends a turn and records its response, tokens and cost into @va/otel-sdk's MeterProvider.
// Variants, interleaved round by round (their order rotating) to cancel machine drift:
//   - unpatched: the client as shipped;
//   - module patch: `new OpenAIInstrumentation({ meterProvider })`'s `openai/realtime/ws` ModulePatch
//     applied to the loaded module for its batch, and unpatched (checked restored) after it;
//   - listener: `instrumentOpenAI(rt, { meterProvider })`, the in-place `event` listener.
// Measured: ns per server event over the recorded mix, and over an audio-delta-only stream (the hot
// path); then the heap over a long session, to show the observer's bounded maps keep it flat.
//
//   npm run bench            # both benchmarks of this package; writes bench/realtime-last-run.md
//   npm run bench -- --quick # a few seconds each (CI smoke)
//
// Runs against the built package (dist/): `npm run build` first.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { instrumentOpenAI, OpenAIInstrumentation } from '../dist/esm/index.js';
import { CollectingReader, startVaMeterProvider } from './bench-metrics.mjs';
import { median } from './statistics.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const require = createRequire(import.meta.url);

const quick = process.argv.includes('--quick');
const scale = (full, short) => (quick ? short : full);
const AUDIO_DELTAS_PER_RESPONSE = 40; // each with a transcript delta: most of a session's events
const HOT_DELTAS = 200; // audio deltas per response of the audio-only stream
const config = {
  // [rounds, session cycles (plain + barge-in + tool call) per batch, warm-up cycles per variant]
  mixed: scale([21, 30, 80], [3, 3, 6]),
  // [rounds, audio-only responses per batch, warm-up responses per variant]
  hot: scale([21, 30, 80], [3, 3, 6]),
  // [responses (turns) per variant, heap sampled every this many]
  memory: scale([10_000, 1_000], [500, 100]),
};

const MODEL = 'gpt-realtime-1.5';
// Fast timings, so recording takes milliseconds; the replay has no timers at all.
const TIMINGS = `audio-deltas:${AUDIO_DELTAS_PER_RESPONSE},audio-delta-ms:1,first-audio-ms:1,response-ms:1,silence-ms:20`;
const DURATION = 'gen_ai.client.operation.duration';
const TURNS = 'voice.turns';

/** Histogram counts recorded under `name`, summed by the value of `attribute` (every scope). */
async function histogramCounts(reader, name, attribute) {
  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw errors[0];
  const counts = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints) {
        const key = String(point.attributes[attribute]);
        const value = metric.dataPointType === DataPointType.HISTOGRAM ? point.value.count : point.value;
        counts[key] = (counts[key] ?? 0) + value;
      }
    }
  }
  return counts;
}

// --- the server, the client and the meter provider ------------------------------------------------

const server = await startOpenAICompatibleServer({ tls: true });
const { OpenAI } = require('openai6');
const realtimeModule = require('openai6/realtime/ws');
const { OpenAIRealtimeWS } = realtimeModule;
const OPENAI_VERSION = require('openai6/version').VERSION;
const client = new OpenAI({ apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 });

const reader = new CollectingReader();
// The MeterProvider users get under @va/otel-register, as the openai benchmark's "ours" uses.
const meterProvider = startVaMeterProvider(reader);

/**
 * A connection with the app's listeners as a typical app has them: every event (its type counted), the
 * reply's audio (its length taken, where an app would hand it to its player), and errors handled.
 */
async function connect(scenario, setup = (rt) => rt) {
  const rt = setup(
    new OpenAIRealtimeWS(
      { model: scenario === '' ? MODEL : `${MODEL}@${scenario}`, options: { ca: server.certificate } },
      client,
    ),
  );
  const app = { rt, events: 0, audioChars: 0, types: [] };
  rt.on('event', (event) => {
    app.events++;
    if (app.recording) app.types.push(event.type);
  });
  rt.on('response.output_audio.delta', (event) => {
    app.audioChars += event.delta.length;
  });
  rt.on('error', () => {});
  app.recording = true;
  await until(() => app.types.includes('session.created'), 'session.created');
  app.recording = false;
  return app;
}

async function until(condition, what) {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function close(app) {
  const closed = new Promise((resolve) => app.rt.socket.once('close', resolve));
  app.rt.close();
  await closed;
}

// --- 1. record the server's messages over real turns ----------------------------------------------

/** Streams 480 ms of audio in 20 ms appends, as an app forwards a microphone; server VAD ends the turn. */
function speak(rt) {
  const audio = Buffer.alloc(20 * 48, 1).toString('base64');
  for (let i = 0; i < 24; i++) rt.send({ type: 'input_audio_buffer.append', audio });
}

/** One real session of `scenario`: the messages the server sent after `session.created`, as sent. */
async function record(scenario, responses, drive = () => {}) {
  const app = await connect(`${TIMINGS}${scenario === '' ? '' : `,${scenario}`}`);
  app.recording = true;
  drive(app.rt);
  speak(app.rt);
  await until(() => app.types.filter((type) => type === 'response.done').length >= responses, scenario);
  await close(app);
  const sent = server.realtimeSessions.at(-1).sent;
  if (sent[0].type !== 'session.created') throw new Error('a session starts with session.created');
  return sent.slice(1).map((event) => JSON.stringify(event));
}

const plain = await record('', 1);
const bargeIn = await record(`barge-in,barge-in-after:${AUDIO_DELTAS_PER_RESPONSE / 2}`, 2, (rt) => {
  // The app stops its player where the user cut in and truncates the reply there, as agents-realtime does.
  let replyItem;
  rt.on('response.output_item.added', (event) => {
    replyItem = event.item.id;
  });
  rt.on('input_audio_buffer.speech_started', () => {
    if (replyItem !== undefined)
      rt.send({
        type: 'conversation.item.truncate',
        item_id: replyItem,
        content_index: 0,
        audio_end_ms: 200,
      });
    replyItem = undefined;
  });
});
const toolCall = await record('tool-call', 2, (rt) => {
  rt.on('response.function_call_arguments.done', (event) => {
    rt.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: event.call_id, output: '{"temperature":21}' },
    });
    rt.send({ type: 'response.create' });
  });
});
const recordings = server.realtimeSessions.map((session) => session.responses.map((r) => r.status));
server.reset();

const CYCLE = [...plain, ...bargeIn, ...toolCall];
const typeOf = (message) => JSON.parse(message).type;
const CYCLE_TYPES = CYCLE.map(typeOf);
const countOf = (types, wanted) => types.filter((type) => wanted.includes(type)).length;
const RESPONSES_PER_CYCLE = countOf(CYCLE_TYPES, ['response.done']);
const EXPECTED_TURNS = { completed: 0, interrupted: 0, error: 0 };
for (const message of CYCLE) {
  const event = JSON.parse(message);
  if (event.type !== 'response.done') continue;
  const status = event.response.status;
  EXPECTED_TURNS[status === 'cancelled' ? 'interrupted' : status === 'failed' ? 'error' : 'completed']++;
}
for (const type of [
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'response.function_call_arguments.done',
  'conversation.item.truncated',
  'rate_limits.updated',
]) {
  if (!CYCLE_TYPES.includes(type)) throw new Error(`the recorded mix lacks ${type}`);
}

// Audio-only stream: one response's created, many audio deltas, done, from the plain recording.
const pick = (type) => plain.find((message) => typeOf(message) === type);
const HOT = {
  created: pick('response.created'),
  delta: pick('response.output_audio.delta'),
  done: pick('response.done'),
};

// Every replayed copy gets fresh response, item and call ids (the same within a copy, so a function
// call's output still names its call, a truncation its item): each copy is new responses and turns.
const ID = /\b(?:resp|item|call)_[A-Za-z0-9]+/g;
let copies = 0;
function fresh(templates) {
  const suffix = `_${(copies++).toString(36)}`;
  return templates.map((text) => Buffer.from(text.replace(ID, (id) => id + suffix)));
}
function mixedBatch(cycles) {
  const buffers = [];
  for (let i = 0; i < cycles; i++) buffers.push(...fresh(CYCLE));
  return buffers;
}
/** Per response: [created, deltas…, done]. */
function hotBatch(responses) {
  const batch = [];
  for (let i = 0; i < responses; i++) {
    const [created, delta, done] = fresh([HOT.created, HOT.delta, HOT.done]);
    batch.push({ created, deltas: new Array(HOT_DELTAS).fill(delta), done });
  }
  return batch;
}

// --- 2. the variants -------------------------------------------------------------------------------

const prototype = OpenAIRealtimeWS.prototype;
const inheritedEmit = Object.getPrototypeOf(prototype)._emit;
if (Object.hasOwn(prototype, '_emit')) throw new Error('the client must start unpatched');
const instrumentation = new OpenAIInstrumentation({ meterProvider });
const realtimePatches = instrumentation
  .getModulePatches()
  .filter((patch) => patch.module === 'openai/realtime/ws');
if (realtimePatches.length !== 1) throw new Error('expected one openai/realtime/ws patch');
const patch = () => {
  for (const modulePatch of realtimePatches) modulePatch.patch(realtimeModule, OPENAI_VERSION);
  if (!Object.hasOwn(prototype, '_emit') || prototype._emit === inheritedEmit)
    throw new Error('the module patch did not wrap _emit');
};
// Unpatching must leave the class exactly as shipped: no own `_emit` left on the prototype.
const unpatch = () => {
  for (const modulePatch of realtimePatches) modulePatch.unpatch(realtimeModule);
  if (Object.hasOwn(prototype, '_emit') || prototype._emit !== inheritedEmit)
    throw new Error('unpatch did not restore _emit');
};

const unpatchedApp = await connect('');
const listenerApp = await connect('', (rt) => instrumentOpenAI(rt, { meterProvider }));
// The patched connection opens while patched, so its observer sees the session start as under the register.
patch();
const patchedApp = await connect('');
unpatch();

const variants = [
  { name: 'unpatched', app: unpatchedApp, before() {}, after() {} },
  {
    name: 'module patch (OpenAIInstrumentation)',
    app: patchedApp,
    before: patch,
    after: unpatch,
    measured: true,
  },
  { name: 'listener (instrumentOpenAI(rt))', app: listenerApp, before() {}, after() {}, measured: true },
];
for (const variant of variants) variant.sent = { events: 0, audio: 0, responses: 0 };

/** What the instrumented variants recorded so far, by `gen_ai.operation.name`, to attribute to one batch. */
let recordedResponses = 0;
async function attributeRecorded(variant) {
  const counts = await histogramCounts(reader, DURATION, 'gen_ai.operation.name');
  const total = counts.realtime_inference ?? 0;
  variant.recorded = (variant.recorded ?? 0) + total - recordedResponses;
  recordedResponses = total;
}

const AUDIO_PER_CYCLE = countOf(CYCLE_TYPES, ['response.output_audio.delta']);

/** Emits whole cycles of the mix into the variant's client as its socket would deliver them; untimed. */
function emitCycles(variant, cycles) {
  const socket = variant.app.rt.socket;
  const buffers = mixedBatch(cycles);
  for (let i = 0; i < buffers.length; i++) socket.emit('message', buffers[i], false);
  variant.sent.events += buffers.length;
  variant.sent.responses += cycles * RESPONSES_PER_CYCLE;
  variant.sent.audio += cycles * AUDIO_PER_CYCLE;
}

/**
 * Patching or unpatching changes the class's prototype, which sends V8's optimised code for the client's
 * message listener back to the interpreter: every variant first replays a few untimed cycles (the same
 * for all), so each batch times the steady state an app that is always patched, or never, would run in.
 */
const SETTLE_CYCLES = scale(10, 2);

/**
 * Wall time, and the process's CPU time (user + system, every thread: GC helpers included), which a
 * machine shared with other work distorts far less: waiting for a core costs wall time, not CPU time.
 */
class Stopwatch {
  wall = 0;
  cpu = 0;
  start() {
    this._cpu = process.cpuUsage();
    this._wall = performance.now();
  }
  stop() {
    this.wall += (performance.now() - this._wall) * 1e6;
    const cpu = process.cpuUsage(this._cpu);
    this.cpu += (cpu.user + cpu.system) * 1e3;
  }
  /** ns per event. */
  per(events) {
    return { wall: this.wall / events, cpu: this.cpu / events };
  }
}

/** Readies the variant for a timed batch (patched or not, settled, garbage collected); returns its socket. */
function ready(variant) {
  variant.before();
  emitCycles(variant, SETTLE_CYCLES);
  gc();
  return variant.app.rt.socket;
}

/** Replays `buffers` into the variant's client as its socket would deliver them; ns per event. */
function replayMixed(variant, buffers) {
  const socket = ready(variant);
  const watch = new Stopwatch();
  watch.start();
  for (let i = 0; i < buffers.length; i++) socket.emit('message', buffers[i], false);
  watch.stop();
  variant.after();
  variant.sent.events += buffers.length;
  variant.sent.responses += (buffers.length / CYCLE.length) * RESPONSES_PER_CYCLE;
  variant.sent.audio += (buffers.length / CYCLE.length) * AUDIO_PER_CYCLE;
  return watch.per(buffers.length);
}

/** Replays audio-only responses; times the deltas alone (created and done untimed); ns per delta. */
function replayHot(variant, batch) {
  const socket = ready(variant);
  const watch = new Stopwatch();
  for (const { created, deltas, done } of batch) {
    socket.emit('message', created, false);
    watch.start();
    for (let i = 0; i < deltas.length; i++) socket.emit('message', deltas[i], false);
    watch.stop();
    socket.emit('message', done, false);
  }
  variant.after();
  variant.sent.events += batch.length * (HOT_DELTAS + 2);
  variant.sent.responses += batch.length;
  variant.sent.audio += batch.length * HOT_DELTAS;
  return watch.per(batch.length * HOT_DELTAS);
}

/** Every variant `rounds` times, order rotating; each batch's messages built (untimed) just before it. */
async function interleaved(replay, build, [rounds, n, warmN]) {
  for (const variant of variants) {
    replay(variant, build(warmN));
    await attributeRecorded(variant);
  }
  const results = new Map(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length];
      results.get(variant.name).push(replay(variant, build(n)));
      await attributeRecorded(variant);
    }
  }
  return results;
}

const mixedResults = await interleaved(replayMixed, mixedBatch, config.mixed);
const hotResults = await interleaved(replayHot, hotBatch, config.hot);

// --- 3. heap over a long session --------------------------------------------------------------------

/** One long session per variant (fresh connections): heap after GC every `every` responses. */
async function longSession(variant, [responses, every]) {
  const cyclesPerSample = Math.max(1, Math.round(every / RESPONSES_PER_CYCLE));
  const samples = [];
  let done = 0;
  variant.before();
  try {
    while (done < responses) {
      // In a function of its own, so no reference to the replayed messages survives into the sample.
      emitCycles(variant, cyclesPerSample);
      done += cyclesPerSample * RESPONSES_PER_CYCLE;
      gc();
      gc();
      samples.push({ responses: done, heap: process.memoryUsage().heapUsed });
    }
  } finally {
    variant.after();
  }
  await attributeRecorded(variant);
  return samples;
}
const memoryResults = new Map();
for (const variant of variants) memoryResults.set(variant.name, await longSession(variant, config.memory));

// --- verification: the app saw every event; every instrumented variant recorded every response -----

for (const variant of variants) await close(variant.app);
const turns = await histogramCounts(reader, TURNS, 'voice.turn.end_reason');
await server.close();
await meterProvider.shutdown();

const problems = [];
for (const variant of variants) {
  const { app, sent } = variant;
  // connect() counted session.created once per connection.
  if (app.events - 1 !== sent.events)
    problems.push(`${variant.name}: the app saw ${app.events - 1} of ${sent.events} events`);
  const deltaChars = JSON.parse(HOT.delta).delta.length;
  if (app.audioChars !== sent.audio * deltaChars)
    problems.push(`${variant.name}: the app's audio listener missed deltas`);
  if (variant.measured && variant.recorded !== sent.responses)
    problems.push(`${variant.name}: recorded ${variant.recorded} responses of ${sent.responses}`);
  if (!variant.measured && (variant.recorded ?? 0) !== 0)
    problems.push(`${variant.name}: recorded ${variant.recorded} responses, none expected`);
}
const measuredResponses = variants
  .filter((v) => v.measured)
  .reduce((total, v) => total + v.sent.responses, 0);
const totalTurns = Object.values(turns).reduce((a, b) => a + b, 0);
if (totalTurns !== measuredResponses) problems.push(`${totalTurns} turns for ${measuredResponses} responses`);

// --- report -----------------------------------------------------------------------------------------

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const signed = (x, digits = 0) => (x >= 0 ? '+' : '') + fmt(x, digits);

const lines = [];
const out = (line = '') => lines.push(line);
const cpu = cpus();
const typeShare = (wanted) => (100 * countOf(CYCLE_TYPES, wanted)) / CYCLE.length;

out(`# @va/instrumentation-openai Realtime benchmark${quick ? ' (quick)' : ''}`);
out();
out(`- date: ${new Date().toISOString()}`);
out(
  `- machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, ${platform()} ${release()}`,
);
out(
  `- node ${process.version}; openai ${OPENAI_VERSION} \`openai/realtime/ws\` (\`OpenAIRealtimeWS\`), model ${MODEL}`,
);
out(
  `- the mix: one cycle is the server's messages of three real sessions after \`session.created\` (a plain turn, a barge-in the app truncates, a tool call the app answers; statuses ${JSON.stringify(recordings)}): ` +
    `${CYCLE.length} events, ${RESPONSES_PER_CYCLE} responses, ${fmt(typeShare(['response.output_audio.delta']))} % audio deltas, ` +
    `${fmt(typeShare(['response.output_audio_transcript.delta']))} % transcript deltas, ${fmt(CYCLE.reduce((n, m) => n + m.length, 0) / CYCLE.length)} bytes per message on average`,
);
out(
  "- replayed as Buffers into the client's own `message` listener (`socket.emit('message')`: toString, JSON.parse, `_emit('event')`, `_emit(type)`), " +
    'every copy with fresh response, item and call ids; the app listens to `event` and `response.output_audio.delta`',
);
out(
  '- variants interleaved round by round, order rotating; ns per event = median over rounds of the batch time per event, range = min … max over rounds; ' +
    "ratio = median over rounds of the variant / unpatched in the same round; CPU = the process's user + system time (every thread), which waiting for a core on a shared machine does not inflate",
);
out();

function table(title, results, [rounds, n]) {
  out(`## ${title}`);
  out();
  out(`${rounds} rounds × ${n} per variant.`);
  out();
  out(
    '| variant | wall ns/event: median (range) | ratio to unpatched (range) | overhead ns/event | CPU ns/event: median (range) | CPU ratio to unpatched (range) | CPU overhead ns/event |',
  );
  out('|---|---:|---:|---:|---:|---:|---:|');
  const base = results.get('unpatched');
  const spread = (values, digits) =>
    `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)} … ${fmt(Math.max(...values), digits)})`;
  const columns = (name, values, key) => {
    const own = values.map((value) => value[key]);
    if (name === 'unpatched') return [spread(own, 0), '', ''];
    const reference = base.map((value) => value[key]);
    const ratios = own.map((value, i) => value / reference[i]);
    const deltas = own.map((value, i) => value - reference[i]);
    return [spread(own, 0), spread(ratios, 3), signed(median(deltas))];
  };
  for (const [name, values] of results) {
    out(`| ${name} | ${[...columns(name, values, 'wall'), ...columns(name, values, 'cpu')].join(' | ')} |`);
  }
  out();
}
table('1. The recorded mix (cycles of a plain turn, a barge-in and a tool call)', mixedResults, config.mixed);
table(
  `2. Audio deltas only, the hot path (responses of ${HOT_DELTAS} \`response.output_audio.delta\`; only the deltas timed)`,
  hotResults,
  config.hot,
);

const [memoryResponses, every] = config.memory;
out(`## 3. Heap over a long session (${memoryResponses} responses per variant, each its own turn)`);
out();
out(
  `heapUsed after two forced GCs every ${every} responses, on the variant's same connection after sections 1 and 2. ` +
    'The observer keeps at most 64 responses, items and tool calls per session.',
);
out();
const first = memoryResults.get('unpatched');
out(`| variant | ${first.map((sample) => `${sample.responses}`).join(' | ')} | growth first → last |`);
out(`|---|${first.map(() => '---:').join('|')}|---:|`);
for (const [name, samples] of memoryResults) {
  const mib = (bytes) => fmt(bytes / 2 ** 20, 2);
  const growth = samples.at(-1).heap - samples[0].heap;
  out(
    `| ${name}, MiB | ${samples.map((sample) => mib(sample.heap)).join(' | ')} | ${signed(growth / 2 ** 10)} KiB |`,
  );
}
out();

out('## Verification');
out();
for (const variant of variants) {
  out(
    `- ${variant.name}: the app saw ${variant.app.events - 1} events of ${variant.sent.events} replayed; recorded ${variant.recorded ?? 0} responses of ${variant.measured ? variant.sent.responses : 0} expected`,
  );
}
out(
  `- turns by end reason (both instrumented variants): ${JSON.stringify(turns)}; per cycle ${JSON.stringify(EXPECTED_TURNS)}`,
);

const markdown = `${lines.join('\n')}\n`;
process.stdout.write(`\n${markdown}`);
if (problems.length > 0) {
  process.stderr.write(`verification failed:\n${problems.join('\n')}\n`);
  process.exit(1);
}
if (!quick) writeFileSync(new URL('./realtime-last-run.md', import.meta.url), markdown);
