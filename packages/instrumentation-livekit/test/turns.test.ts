import {
  GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS,
  GEN_AI_CLIENT_COST,
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_TOKEN_USAGE,
  VOICE_SESSION_ACTIVE,
  VOICE_SESSION_TOKENS,
  VOICE_SESSION_TURNS,
  VOICE_STAGE_DURATION,
  VOICE_STT_AUDIO_DURATION,
  VOICE_TTS_AUDIO_DURATION,
  VOICE_TTS_CHARACTERS,
  VOICE_TURN_INTERRUPTIONS,
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_TURNS,
} from '@va/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentLiveKitSession } from '../src/index.js';
import { type LiveKit, loadLiveKit } from './support/livekit.js';
import { TestMetrics } from './support/metrics.js';

const AGENT = { 'gen_ai.agent.name': 'support-agent' };
const LLM = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};
const REALTIME = {
  'gen_ai.operation.name': 'realtime_inference',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-realtime',
};

/** An LLM call's metrics, with the fields and values LiveKit's OpenAI plugin reports. */
function llmMetrics(speechId: string, ttftMs: number, promptTokens: number, cached: number) {
  return {
    type: 'llm_metrics',
    label: 'openai.LLM',
    requestId: `chatcmpl-${speechId}`,
    timestamp: Date.now(),
    durationMs: ttftMs + 400,
    ttftMs,
    cancelled: false,
    completionTokens: 20,
    promptTokens,
    promptCachedTokens: cached,
    cacheCreationTokens: 0,
    totalTokens: promptTokens + 20,
    tokensPerSecond: 50,
    metadata: { modelProvider: 'api.openai.com', modelName: 'gpt-4o-mini' },
    speechId,
  };
}

function eouMetrics(speechId: string, endOfUtteranceDelayMs: number, transcriptionDelayMs: number) {
  return {
    type: 'eou_metrics',
    timestamp: Date.now(),
    endOfUtteranceDelayMs,
    transcriptionDelayMs,
    onUserTurnCompletedDelayMs: 1,
    lastSpeakingTimeMs: Date.now() - 1000,
    speechId,
  };
}

function ttsMetrics(speechId: string, ttfbMs: number, charactersCount: number) {
  return {
    type: 'tts_metrics',
    label: 'openai.TTS',
    requestId: `tts-${speechId}`,
    timestamp: Date.now(),
    ttfbMs,
    durationMs: ttfbMs + 300,
    // 60 ms of speech a character.
    audioDurationMs: charactersCount * 60,
    cancelled: false,
    charactersCount,
    streamed: true,
    speechId,
    metadata: { modelProvider: 'api.openai.com', modelName: 'tts-1' },
  };
}

function sttMetrics(audioDurationMs: number) {
  return {
    type: 'stt_metrics',
    label: 'openai.STT',
    requestId: 'stt',
    timestamp: Date.now(),
    durationMs: 0,
    audioDurationMs,
    streamed: true,
    metadata: { modelProvider: 'api.openai.com', modelName: 'whisper-1' },
  };
}

/** Emits a metrics object on the session as its activity does, through LiveKit's own event factory. */
function emitMetricsOn(agents: LiveKit, session: LiveKit, payload: object): void {
  session.emit('metrics_collected', agents.voice.createMetricsCollectedEvent({ metrics: payload }));
}

/** Announces a reply with a real `SpeechHandle`, as the session's activity does, and returns the handle. */
function createSpeechOn(agents: LiveKit, session: LiveKit): LiveKit {
  const handle = agents.voice.SpeechHandle.create();
  session.emit(
    'speech_created',
    agents.voice.createSpeechCreatedEvent({
      userInitiated: false,
      source: 'generate_reply',
      speechHandle: handle,
    }),
  );
  return handle;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A real `voice.AgentSession` (built without a room, as the package allows) emitting, through its own
 * emitter and LiveKit's event factories, what its activity emits for four replies: each speech created
 * with a real `SpeechHandle`, its end-of-utterance, LLM and TTS metrics, then its handle done.
 * 1. completed: EOU 300 ms (transcript at 200 ms), LLM first token 250 ms, TTS first byte 150 ms.
 * 2. interrupted after its first audio: EOU 500 ms, transcript after the decision at 600 ms, 400 + 100 ms.
 * 3. completed, announced by no `speech_created` (instrumented late): ends once its three metrics are in.
 * 4. a greeting (`say`): no end of utterance, so no stage; completed.
 * 5. a preemptive generation dropped before it was scheduled: no turn, no interruption; its call and tokens count.
 * 6. still open when the session closes: abandoned.
 */
describe('a LiveKit AgentSession, reply by reply', () => {
  const metrics = new TestMetrics();
  let agents: LiveKit;
  let session: LiveKit;
  let activeBeforeClose = -1;

  const emitMetrics = (payload: object) => emitMetricsOn(agents, session, payload);
  const createSpeech = () => createSpeechOn(agents, session);

  beforeAll(async () => {
    ({ agents } = loadLiveKit());
    session = new agents.voice.AgentSession({ vad: null, turnHandling: { turnDetection: null } });
    instrumentLiveKitSession(session, { agentName: 'support-agent', meterProvider: metrics.meterProvider });
    // A second call on the same session is ignored.
    instrumentLiveKitSession(session, { agentName: 'other-agent', meterProvider: metrics.meterProvider });

    emitMetrics(sttMetrics(1500));
    const first = createSpeech();
    emitMetrics(eouMetrics(first.id, 300, 200));
    emitMetrics(llmMetrics(first.id, 250, 100, 40));
    emitMetrics(ttsMetrics(first.id, 150, 42));
    first._markScheduled();
    first._markDone();
    await tick();

    emitMetrics(sttMetrics(2500));
    const second = createSpeech();
    emitMetrics(eouMetrics(second.id, 500, 600));
    emitMetrics(llmMetrics(second.id, 400, 200, 0));
    emitMetrics(ttsMetrics(second.id, 100, 58));
    second._markScheduled();
    second.interrupt();
    second._markDone();
    await tick();

    emitMetrics(eouMetrics('speech_late', 200, 100));
    emitMetrics(llmMetrics('speech_late', 300, 50, 0));
    emitMetrics(ttsMetrics('speech_late', 200, 10));

    const greeting = createSpeech();
    emitMetrics(ttsMetrics(greeting.id, 120, 25));
    greeting._markScheduled();
    greeting._markDone();
    await tick();

    // A preemptive generation LiveKit drops before scheduling it: its LLM call ran, but no one heard it.
    const preemptive = createSpeech();
    emitMetrics(llmMetrics(preemptive.id, 200, 30, 0));
    preemptive._cancel();
    preemptive._markDone();
    await tick();

    const open = createSpeech();
    open._markScheduled();
    emitMetrics(eouMetrics(open.id, 100, 50));
    activeBeforeClose = await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT);
    session.emit('close', agents.voice.createCloseEvent('user_initiated'));
  });

  afterAll(async () => {
    await metrics.shutdown();
  });

  it('counts the turns by how they ended, and one interruption', async () => {
    expect(await metrics.value(VOICE_TURNS.name, { ...AGENT, 'voice.turn.end_reason': 'completed' })).toBe(3);
    expect(await metrics.value(VOICE_TURNS.name, { ...AGENT, 'voice.turn.end_reason': 'interrupted' })).toBe(
      1,
    );
    expect(await metrics.value(VOICE_TURNS.name, { ...AGENT, 'voice.turn.end_reason': 'abandoned' })).toBe(1);
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(1);
  });

  it('records the response latency as end of utterance + LLM first token + TTS first byte', async () => {
    const latency = await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT);
    // 300+250+150, then the transcript's 600 (after the 500 ms decision) + 400 + 100, then 200+300+200.
    expect(latency?.count).toBe(3);
    expect(latency?.sum).toBeCloseTo(0.7 + 1.1 + 0.7, 9);
  });

  it('cuts the latency into stages that add up to it', async () => {
    const stage = async (name: string) =>
      metrics.point(VOICE_STAGE_DURATION.name, { ...AGENT, 'voice.stage': name });
    // The reply still open at the close had its end of utterance: its abandoned turn records that stage.
    expect((await stage('end_of_utterance'))?.sum).toBeCloseTo(0.3 + 0.5 + 0.2 + 0.1, 9);
    expect((await stage('end_of_utterance'))?.count).toBe(4);
    expect((await stage('stt'))?.count).toBe(1);
    expect((await stage('stt'))?.sum).toBeCloseTo(0.1, 9);
    expect((await stage('llm_first_token'))?.sum).toBeCloseTo(0.25 + 0.4 + 0.3, 9);
    expect((await stage('tts_first_byte'))?.sum).toBeCloseTo(0.15 + 0.1 + 0.2, 9);
    expect((await stage('audio_out'))?.sum).toBe(0);
    const stages = await metrics.points(VOICE_STAGE_DURATION.name);
    const total = stages.reduce((sum, point) => sum + (point.sum ?? 0), 0);
    expect(total).toBeCloseTo(0.7 + 1.1 + 0.7 + 0.1, 9);
  });

  it('counts STT audio, TTS characters and TTS audio', async () => {
    expect(await metrics.value(VOICE_STT_AUDIO_DURATION.name, AGENT)).toBeCloseTo(4, 9);
    expect(await metrics.value(VOICE_TTS_CHARACTERS.name, AGENT)).toBe(42 + 58 + 10 + 25);
    expect(await metrics.value(VOICE_TTS_AUDIO_DURATION.name, AGENT)).toBeCloseTo((135 * 60) / 1000, 9);
  });

  it('prices the LLM calls by the token, STT by the minute and TTS by the character, from the built-in table', async () => {
    const cost = (attributes: Record<string, string>) => metrics.value(GEN_AI_CLIENT_COST.name, attributes);
    // gpt-4o-mini: $0.15 per million input tokens, $0.075 cached, $0.60 output.
    expect(await cost({ ...LLM, 'gen_ai.token.type': 'input' })).toBeCloseTo(
      (60 * 0.15 + 40 * 0.075 + (200 + 50 + 30) * 0.15) / 1e6,
      15,
    );
    expect(await cost({ ...LLM, 'gen_ai.token.type': 'output' })).toBeCloseTo((80 * 0.6) / 1e6, 15);
    // whisper-1: $0.006 a minute of the 4 s transcribed; tts-1: $15 per million of the 135 characters spoken.
    const provider = { 'gen_ai.provider.name': 'openai' };
    expect(
      await cost({
        ...provider,
        'gen_ai.operation.name': 'transcription',
        'gen_ai.request.model': 'whisper-1',
      }),
    ).toBeCloseTo((4 / 60) * 0.006, 15);
    expect(
      await cost({ ...provider, 'gen_ai.operation.name': 'speech', 'gen_ai.request.model': 'tts-1' }),
    ).toBeCloseTo((135 * 15) / 1e6, 15);
    expect(await metrics.points(GEN_AI_CLIENT_COST.name)).toHaveLength(4);
  });

  it('records every LLM call once (the dropped preemptive one too), with cached input on its own counter', async () => {
    expect((await metrics.point(GEN_AI_CLIENT_OPERATION_DURATION.name, LLM))?.count).toBe(4);
    const firstChunk = await metrics.point(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK.name, LLM);
    expect(firstChunk?.count).toBe(4);
    expect(firstChunk?.sum).toBeCloseTo(0.25 + 0.4 + 0.3 + 0.2, 9);
    const input = await metrics.point(GEN_AI_CLIENT_TOKEN_USAGE.name, {
      ...LLM,
      'gen_ai.token.type': 'input',
    });
    expect(input?.sum).toBe(100 + 200 + 50 + 30);
    const output = await metrics.point(GEN_AI_CLIENT_TOKEN_USAGE.name, {
      ...LLM,
      'gen_ai.token.type': 'output',
    });
    expect(output?.sum).toBe(4 * 20);
    expect(await metrics.value(GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS.name, LLM)).toBe(40);
  });

  it('closes the session: its open turn ends, it leaves the active sessions, its turns and tokens are counted', async () => {
    expect(activeBeforeClose).toBe(1);
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(0);
    const turns = await metrics.point(VOICE_SESSION_TURNS.name, AGENT);
    expect(turns?.count).toBe(1);
    expect(turns?.sum).toBe(5);
    // The dropped reply's tokens were billed: they count on the session too.
    expect((await metrics.point(VOICE_SESSION_TOKENS.name, AGENT))?.sum).toBe(380 + 80);
  });

  it('puts the agent name on every voice metric and no identifier or text on any', async () => {
    const { keys, values } = await metrics.allAttributes();
    expect(values.has('other-agent')).toBe(false);
    expect([...values].some((value) => value.startsWith('speech_') || value.startsWith('chatcmpl'))).toBe(
      false,
    );
    expect(keys.has('gen_ai.agent.name')).toBe(true);
  });
});

describe('a realtime model’s responses', () => {
  const metrics = new TestMetrics();

  afterAll(async () => {
    await metrics.shutdown();
  });

  it('records tokens and cached input by modality when the details add up, priced per modality', async () => {
    const { agents } = loadLiveKit();
    const session = new agents.voice.AgentSession({ vad: null, turnHandling: { turnDetection: null } });
    // gpt-realtime is not in the built-in table: the app's own price, per million tokens.
    const price = {
      input: 4,
      cachedInput: 0.4,
      output: 16,
      audioInput: 32,
      cachedAudioInput: 0.4,
      audioOutput: 64,
    };
    instrumentLiveKitSession(session, {
      meterProvider: metrics.meterProvider,
      prices: { 'gpt-realtime': price },
    });
    emitMetricsOn(agents, session, {
      type: 'realtime_model_metrics',
      label: 'openai.realtime.RealtimeModel',
      requestId: 'resp_1',
      timestamp: Date.now(),
      durationMs: 2000,
      ttftMs: 350,
      cancelled: false,
      inputTokens: 120,
      outputTokens: 300,
      totalTokens: 420,
      tokensPerSecond: 150,
      inputTokenDetails: {
        audioTokens: 100,
        textTokens: 20,
        imageTokens: 0,
        cachedTokens: 64,
        cachedTokensDetails: { audioTokens: 64, textTokens: 0, imageTokens: 0 },
      },
      outputTokenDetails: { textTokens: 60, audioTokens: 240, imageTokens: 0 },
      metadata: { modelProvider: 'api.openai.com', modelName: 'gpt-realtime' },
    });
    const tokens = (type: string, modality: string) =>
      metrics.point(GEN_AI_CLIENT_TOKEN_USAGE.name, {
        ...REALTIME,
        'gen_ai.token.type': type,
        'gen_ai.token.modality': modality,
      });
    expect((await tokens('input', 'audio'))?.sum).toBe(100);
    expect((await tokens('input', 'text'))?.sum).toBe(20);
    expect((await tokens('output', 'audio'))?.sum).toBe(240);
    expect((await tokens('output', 'text'))?.sum).toBe(60);
    expect(await metrics.points(GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS.name)).toEqual([
      { attributes: { ...REALTIME, 'gen_ai.token.modality': 'audio' }, value: 64 },
    ]);
    const cost = (type: string, modality: string) =>
      metrics.value(GEN_AI_CLIENT_COST.name, {
        ...REALTIME,
        'gen_ai.token.type': type,
        'gen_ai.token.modality': modality,
      });
    expect(await cost('input', 'audio')).toBeCloseTo((36 * 32 + 64 * 0.4) / 1e6, 15);
    expect(await cost('input', 'text')).toBeCloseTo((20 * 4) / 1e6, 15);
    expect(await cost('output', 'audio')).toBeCloseTo((240 * 64) / 1e6, 15);
    expect(await cost('output', 'text')).toBeCloseTo((60 * 16) / 1e6, 15);
    expect((await metrics.point(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK.name, REALTIME))?.sum).toBe(0.35);
    expect((await metrics.point(GEN_AI_CLIENT_OPERATION_DURATION.name, REALTIME))?.sum).toBe(2);
  });

  it('makes a realtime reply a turn whose latency is its time to first audio, matched to the reply it answered', async () => {
    const turnMetrics = new TestMetrics();
    const { agents } = loadLiveKit();
    const session = new agents.voice.AgentSession({ vad: null, turnHandling: { turnDetection: null } });
    instrumentLiveKitSession(session, {
      agentName: 'realtime-agent',
      meterProvider: turnMetrics.meterProvider,
    });
    const emit = (metrics: object) => emitMetricsOn(agents, session, metrics);
    const createSpeech = () => createSpeechOn(agents, session);
    const response = (requestId: string, ttftMs: number) => ({
      type: 'realtime_model_metrics',
      label: 'openai.realtime.RealtimeModel',
      requestId,
      timestamp: Date.now(),
      durationMs: ttftMs + 1000,
      ttftMs,
      cancelled: false,
      inputTokens: 10,
      outputTokens: 20,
      totalTokens: 30,
      tokensPerSecond: 20,
      inputTokenDetails: { audioTokens: 10, textTokens: 0, imageTokens: 0, cachedTokens: 0 },
      outputTokenDetails: { textTokens: 0, audioTokens: 20, imageTokens: 0 },
      metadata: { modelProvider: 'api.openai.com', modelName: 'gpt-realtime' },
    });
    // Two replies running: the first response answers the older one; the second reply is interrupted.
    const first = createSpeech();
    const second = createSpeech();
    emit(response('resp_1', 400));
    first._markScheduled();
    first._markDone();
    emit(response('resp_2', 250));
    second._markScheduled();
    second.interrupt();
    second._markDone();
    // A response with no reply left to answer: its GenAI metrics only.
    emit(response('resp_3', 900));
    await tick();
    session.emit('close', agents.voice.createCloseEvent('user_initiated'));

    const agent = { 'gen_ai.agent.name': 'realtime-agent' };
    const latency = await turnMetrics.point(VOICE_TURN_RESPONSE_LATENCY.name, agent);
    expect(latency?.count).toBe(2);
    expect(latency?.sum).toBeCloseTo(0.4 + 0.25, 9);
    const stages = (await turnMetrics.points(VOICE_STAGE_DURATION.name)).map((point) => [
      point.attributes['voice.stage'],
      point.count,
      point.sum,
    ]);
    expect(stages).toEqual([
      ['llm_first_token', 2, expect.closeTo(0.65, 9)],
      ['audio_out', 2, 0],
    ]);
    expect(
      await turnMetrics.value(VOICE_TURNS.name, { ...agent, 'voice.turn.end_reason': 'completed' }),
    ).toBe(1);
    expect(
      await turnMetrics.value(VOICE_TURNS.name, { ...agent, 'voice.turn.end_reason': 'interrupted' }),
    ).toBe(1);
    expect((await turnMetrics.point(GEN_AI_CLIENT_OPERATION_DURATION.name, REALTIME))?.count).toBe(3);
    await turnMetrics.shutdown();
  });
});
