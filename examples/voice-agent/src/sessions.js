// The live conversations: each one a row in `sessions`, a voice session on the tracker (or a
// speech-to-speech call over the Realtime API), and the
// lifecycle of its turns (marks at the start, end reason at the end, a row in `turns`).

const { randomUUID } = require('node:crypto');
const { createVoiceTracker } = require('@va/instrumentation-voice');
const { audioSeconds, FRAME_MS, generateUtterance } = require('./audio');
const { AGENT_NAME } = require('./agent-graph');
const { between } = require('./random');

/** A failure that is the client's to fix: its status, a stable code, and a message we wrote. */
class HttpError extends Error {
  constructor(status, code, message = code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Sessions nobody ended (a client that vanished) are closed after this long without a turn. */
const IDLE_TIMEOUT_MS = 5 * 60_000;
/** Long calls get a one-line summary for the CRM when they end. */
const SUMMARY_MIN_TURNS = 4;
/** A speech-to-speech utterance is streamed in real time: 0.2 to 1 s of it, whatever the caller's length. */
const MIN_REALTIME_FRAMES = 10;
const MAX_REALTIME_FRAMES = 50;

/** `realtimeCalls`: createRealtimeCalls(), for sessions started as speech-to-speech calls. */
function createSessions({ llm, store, agent, realtimeCalls }) {
  // One tracker per agent; the turn timeout sits above the slowest turn the demo can produce.
  const tracker = createVoiceTracker({ agentName: AGENT_NAME, turnTimeoutMs: 30_000 });
  /**
   * A pipeline session has a voice session on the tracker; a speech-to-speech one a Realtime call,
   * which the openai instrumentation measures as a voice session of its own.
   * @type {Map<string, { voice?: any, realtime?: any, turns: number, busy: boolean, lastActive: number }>}
   */
  const live = new Map();

  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, session] of live) {
      if (!session.busy && now - session.lastActive > IDLE_TIMEOUT_MS) {
        end(id, { summarise: false }).catch(() => {});
      }
    }
  }, 30_000);
  sweeper.unref();

  let startedSessions = 0;
  async function start({ context, speechToSpeech = false }) {
    const id = randomUUID();
    // Stands in for retrieval: the caller's context is embedded once per call and kept with the
    // session, where a production agent would look up related knowledge with it.
    // Every fifth call meets a provider outage on the bundled server (HTTP 500 on every retry):
    // retrieval is optional, so the call goes on without it, and the failure shows up as
    // error.type="500" on the LLM metrics. A real provider gets no such header.
    startedSessions += 1;
    const outage =
      llm.fake && startedSessions % 5 === 2 ? { headers: { 'x-test-scenario': 'error:500' } } : undefined;
    const embedding = await llm.client.embeddings
      .create({ model: llm.models.embedding, input: context || 'a caller with no known history' }, outage)
      .catch(() => undefined);
    // A speech-to-speech call connects first: a provider that refuses it fails the start, no row left.
    const realtime = speechToSpeech ? await realtimeCalls.open() : undefined;
    await store.insertSession(id, embedding?.data[0].embedding ?? null).catch((error) => {
      realtime?.close();
      throw error;
    });
    const call = realtime ? { realtime } : { voice: tracker.startSession() };
    live.set(id, { ...call, turns: 0, busy: false, lastActive: Date.now() });
    return { id };
  }

  function get(id) {
    const session = live.get(id);
    if (!session) throw new HttpError(404, 'unknown_session');
    return session;
  }

  /**
   * A turn through the pipeline (STT → LLM → TTS), marked on the session's voice tracker. The
   * request arrives once the turn detector has decided the caller is done; they actually stopped
   * speaking a VAD silence window earlier.
   */
  async function pipelineTurn(id, session, { audioBytes, text, bargeInAfterWords }) {
    const audio = audioBytes ? generateUtterance(audioBytes) : undefined;
    const turn = session.voice.startTurn();
    const speechEndedAt = performance.now() - between(180, 420);
    turn.mark('user_speech_end', speechEndedAt);
    turn.mark('end_of_utterance');
    try {
      const result = await agent.runTurn({ sessionId: id, turn, audio, text, bargeInAfterWords });
      const endReason = result.interrupted ? 'interrupted' : 'completed';
      turn.end(endReason);
      const latencyMs = result.firstAudioAt === undefined ? undefined : result.firstAudioAt - speechEndedAt;
      return { ...result, endReason, latencyMs };
    } catch (error) {
      turn.end('error');
      throw error;
    }
  }

  /**
   * A turn of a speech-to-speech call: the caller's utterance streamed to the Realtime socket (every
   * turn is spoken there, a typed one as a short utterance). The instrumentation records the turn.
   */
  async function realtimeTurn(session, { audioBytes, text, bargeInAfterWords }) {
    const seconds = audioBytes ? audioSeconds(audioBytes) : 0;
    const frames = Math.min(
      MAX_REALTIME_FRAMES,
      Math.max(MIN_REALTIME_FRAMES, Math.round((seconds * 1000) / FRAME_MS)),
    );
    const result = await session.realtime.takeTurn({ frames, bargeInAfterWords });
    const latencyMs =
      result.firstAudioAt === undefined || result.speechEndedAt === undefined
        ? undefined
        : result.firstAudioAt - result.speechEndedAt;
    return { ...result, userText: text, latencyMs };
  }

  /**
   * One turn: the caller's audio (and, from the traffic generator, their script) in, the agent's
   * reply out. `bargeInAfterWords` simulates the caller talking over the reply.
   */
  async function takeTurn(id, request) {
    const session = get(id);
    if (session.busy) throw new HttpError(409, 'turn_in_progress');
    session.busy = true;
    const index = ++session.turns;
    try {
      const result = session.realtime
        ? await realtimeTurn(session, request)
        : await pipelineTurn(id, session, request);
      const { endReason, latencyMs } = result;
      await store.insertTurn({ sessionId: id, index, ...result });
      return {
        turn: index,
        endReason,
        transcript: result.userText,
        reply: result.replyText,
        tool: result.toolName ?? null,
        audioBytes: result.audioBytes,
        latencyMs: latencyMs === undefined ? null : Math.round(latencyMs),
      };
    } catch (error) {
      await store
        .insertTurn({ sessionId: id, index, userText: request.text, endReason: 'error' })
        .catch(() => {});
      throw error;
    } finally {
      session.busy = false;
      session.lastActive = Date.now();
    }
  }

  async function summarise(id) {
    const turns = await store.recentTurns(id, 8);
    const response = await llm.client.responses.create({
      model: llm.models.chat,
      instructions: 'Summarise this support call in one sentence for the CRM.',
      input: turns.map((turn) => `Caller: ${turn.user_text}\nAgent: ${turn.reply_text}`).join('\n'),
      max_output_tokens: 40,
    });
    return response.output_text;
  }

  async function end(id, { summarise: withSummary = true } = {}) {
    const session = get(id);
    live.delete(id);
    // Ends the voice session (or hangs up the Realtime call) first: a turn still open is abandoned,
    // and the session's turns and tokens are recorded now, whatever happens to the bookkeeping below.
    session.voice?.end();
    session.realtime?.close();
    let summary;
    if (withSummary && session.turns >= SUMMARY_MIN_TURNS) {
      // A summary is nice to have: a failed call is measured by the instrumentation, not fatal.
      summary = await summarise(id).catch(() => undefined);
    }
    await store.endSession(id, { turnCount: session.turns, summary });
    return { turns: session.turns, summary: summary ?? null };
  }

  /** Ends every open session, for shutdown: no summaries, the process is going away. */
  async function endAll() {
    clearInterval(sweeper);
    await Promise.all([...live.keys()].map((id) => end(id, { summarise: false }).catch(() => {})));
  }

  return {
    start,
    takeTurn,
    end,
    endAll,
    get open() {
      return live.size;
    },
  };
}

module.exports = { createSessions, HttpError };
