// Simulated callers. They use the API over HTTP with fetch, like any client would, so the demo
// shows both sides of HTTP (server and outbound client metrics). First a quick warm-up that
// touches every code path, then a gentle steady load until stopped. A share of the calls
// (`realtimeShare`) asks for a speech-to-speech agent, which talks over the Realtime API.

const { between, chance, integerBetween, pick, sleep } = require('./random');

const SCRIPT = {
  order: [
    'Hi, where is my order number 2?',
    'Can you check on order 4 for me?',
    'Has my package shipped yet? It is order 1.',
    'When will order 6 be delivered?',
  ],
  weather: [
    'What will the weather be like in Berlin tomorrow?',
    'Do I need an umbrella in Paris tomorrow?',
    "What's the forecast for Lisbon?",
  ],
  chat: [
    'Thanks, that is helpful.',
    'Sorry, can you repeat that please?',
    'And what are your opening hours?',
    'Great, that is all for today.',
  ],
};

const CONTEXTS = [
  'returning customer with two open orders',
  'new caller who found us on the website',
  'business customer on the priority support plan',
];

const WARMUP_SESSIONS = 6;
const WARMUP_CONCURRENCY = 3;
const STEADY_CONCURRENCY = 2;
const BYTES_PER_SECOND = 32_000; // 16 kHz, 16-bit mono
const LATENCY_WINDOW = 200;

/** A turn as the client sends it: about 10 % barge in on the reply, about 5 % are typed. */
function turnStep(kind, { bargeIn = chance(0.1) } = {}) {
  const body = { text: pick(SCRIPT[kind]) };
  if (!chance(0.05)) body.audioBytes = 44 + Math.round(between(1, 4) * BYTES_PER_SECOND);
  if (bargeIn) body.bargeInAfterWords = integerBetween(2, 5);
  return body;
}

function randomPlan(minTurns = 3, maxTurns = 8) {
  const turns = integerBetween(minTurns, maxTurns);
  return Array.from({ length: turns }, (_, index) =>
    turnStep(index === 0 ? pick(['order', 'weather']) : pick(['order', 'weather', 'chat', 'chat'])),
  );
}

/**
 * The first warm-up call is scripted: both tools, a barge-in and a short call, all early. The barge-in is
 * on a turn without a tool: the first weather lookup is the slow one that overruns the tool budget
 * (tools.js), and a turn that fails there never reaches the reply it would interrupt.
 */
const FIRST_PLAN = () => [
  turnStep('order', { bargeIn: false }),
  turnStep('chat', { bargeIn: true }),
  turnStep('weather', { bargeIn: false }),
];

/**
 * About one call in eight, the caller hangs up while the agent is still answering: the session
 * ends under a turn in progress, which the voice tracker closes as `abandoned`. The second
 * warm-up call always does, so that series shows up early.
 */
function withHangUp(plan, hangUp = chance(0.125)) {
  if (hangUp) plan[plan.length - 1] = { ...plan[plan.length - 1], hangUp: true };
  return plan;
}

/**
 * The warm-up's speech-to-speech calls (when there are any): the third to fifth, each on the
 * scripted plan (a tool call, a barge-in). The agent scripts their first responses (realtime-call.js).
 */
const WARMUP_SPEECH_TO_SPEECH = new Set([2, 3, 4]);

function createTraffic({ baseURL, onProblem, realtimeShare = 0 }) {
  const stats = {
    phase: 'warm-up',
    warmupDone: 0,
    warmupTotal: WARMUP_SESSIONS,
    openSessions: 0,
    sessions: 0,
    speechToSpeech: 0,
    turns: 0,
    interrupted: 0,
    failed: 0,
    latencies: [],
  };
  // `wake` ends the callers' pauses at once on stop; `abort` cancels requests still in flight
  // once the grace period is over.
  const wake = new AbortController();
  const abort = new AbortController();
  let stopping = false;
  let running;

  async function call(method, path, body, signal = abort.signal) {
    const response = await fetch(`${baseURL}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
      signal,
    });
    const payload = await response.json().catch(() => ({}));
    return { status: response.status, payload };
  }

  function problem(what, error) {
    if (!stopping) onProblem(`${what}: ${error?.cause?.code ?? error?.message ?? error}`);
  }

  function recordTurn({ status, payload }) {
    stats.turns += 1;
    if (status !== 200) {
      stats.failed += 1;
      // 502/504 are the agent's dependencies failing, part of the show; anything else is a bug.
      if (status !== 502 && status !== 504) problem('turn', `HTTP ${status} ${payload.error ?? ''}`);
      return;
    }
    if (payload.endReason === 'interrupted') stats.interrupted += 1;
    if (typeof payload.latencyMs === 'number') {
      stats.latencies.push(payload.latencyMs);
      if (stats.latencies.length > LATENCY_WINDOW) stats.latencies.shift();
    }
  }

  async function runSession(plan, thinkMs, speechToSpeech) {
    let id;
    try {
      const started = await call('POST', '/sessions', { context: pick(CONTEXTS), speechToSpeech });
      if (started.status !== 201) throw new Error(`HTTP ${started.status} ${started.payload.error ?? ''}`);
      id = started.payload.id;
    } catch (error) {
      return problem('starting a session', error);
    }
    stats.sessions += 1;
    if (speechToSpeech) stats.speechToSpeech += 1;
    stats.openSessions += 1;
    try {
      for (const { hangUp, ...step } of plan) {
        await sleep(thinkMs(), wake.signal);
        if (stopping) break;
        const turn = call('POST', `/sessions/${encodeURIComponent(id)}/turns`, step);
        if (hangUp) {
          // Hang up mid-reply: the DELETE in `finally` lands while the turn is still running.
          turn.catch(() => {});
          await sleep(between(150, 400), wake.signal);
          break;
        }
        recordTurn(await turn);
      }
    } catch (error) {
      problem('a turn', error);
    } finally {
      // Hang up even while stopping (the abort signal may have fired): a session left open would
      // keep voice_session_active up.
      await call('DELETE', `/sessions/${encodeURIComponent(id)}`, undefined, AbortSignal.timeout(5000)).catch(
        (error) => problem('ending a session', error),
      );
      stats.openSessions -= 1;
    }
  }

  async function warmUp() {
    // Short calls, so sessions end (and their histograms fill) early.
    const queue = [
      FIRST_PLAN(),
      withHangUp(randomPlan(3, 4), true),
      ...Array.from({ length: WARMUP_SESSIONS - 2 }, () => withHangUp(randomPlan(3, 5))),
    ].map((plan, index) =>
      realtimeShare > 0 && WARMUP_SPEECH_TO_SPEECH.has(index)
        ? { plan: FIRST_PLAN(), speechToSpeech: true }
        : { plan, speechToSpeech: false },
    );
    const worker = async () => {
      while (!stopping && queue.length > 0) {
        const { plan, speechToSpeech } = queue.shift();
        await runSession(plan, () => between(100, 300), speechToSpeech);
        if (!stopping) stats.warmupDone += 1;
      }
    };
    await Promise.all(Array.from({ length: WARMUP_CONCURRENCY }, worker));
  }

  async function steady() {
    stats.phase = 'steady';
    const caller = async () => {
      while (!stopping) {
        await runSession(withHangUp(randomPlan()), () => between(1000, 3000), chance(realtimeShare));
        await sleep(between(1000, 4000), wake.signal);
      }
    };
    await Promise.all(Array.from({ length: STEADY_CONCURRENCY }, caller));
  }

  return {
    stats,
    start() {
      running = warmUp().then(() => (stopping ? undefined : steady()));
      return running;
    },
    /** Lets in-flight turns finish (at most `graceMs`), then hangs up every call. */
    async stop(graceMs = 5000) {
      stopping = true;
      wake.abort();
      if (!running) return;
      const timer = setTimeout(() => abort.abort(), graceMs);
      await running;
      clearTimeout(timer);
      // A caller that hung up mid-reply left its turn request running unawaited; ended here, it
      // no longer keeps a connection open that the API server would wait for as it closes.
      abort.abort();
    },
  };
}

module.exports = { createTraffic };
