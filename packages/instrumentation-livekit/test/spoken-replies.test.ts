import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import {
  GEN_AI_CLIENT_COST,
  VOICE_STAGE_DURATION,
  VOICE_TTS_AUDIO_DURATION,
  VOICE_TTS_CHARACTERS,
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_TURNS,
} from '@va/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentLiveKitSession } from '../src/index.js';
import { createAudioSink } from './support/audio-sink.js';
import { type LiveKit, livekitRequire, loadLiveKit } from './support/livekit.js';
import { TestMetrics } from './support/metrics.js';

// Long enough (150 characters or more) for the bundled server's speech, 32 bytes a character of 24 kHz
// 16-bit PCM, to fill one 100 ms frame: LiveKit's OpenAI TTS drops a shorter remainder.
const GREETING =
  'Hello, this is a greeting that is long enough to make at least one whole frame of audio from the bundled server, which sends thirty-two bytes a character.';

interface ReportedTTS {
  readonly type: string;
  readonly speechId: string;
  readonly charactersCount: number;
  readonly audioDurationMs: number;
  readonly streamed: boolean;
}

/**
 * Spoken replies through LiveKit's own TTS path, without a room: the OpenAI plugin's LLM and TTS against
 * the bundled server, an audio output of LiveKit's `AudioOutput` class, a reply to a text input and a
 * `say()`. OpenAI's TTS cannot stream, so LiveKit runs it behind its `StreamAdapter`, which reports the
 * same characters twice (each sentence's synthesis, then the adapter's stream): counted once here.
 */
describe('spoken replies through the OpenAI plugin’s TTS', () => {
  const metrics = new TestMetrics();
  const reported: ReportedTTS[] = [];
  let server: StartedServer;
  let frames = 0;

  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
    const { agents, openai }: { agents: LiveKit; openai: LiveKit } = loadLiveKit();
    const { OpenAI } = livekitRequire()('openai');
    // A reply of 40 words, so the spoken reply spans several sentences.
    const client = new OpenAI({
      baseURL: server.baseURL,
      apiKey: 'test-key',
      maxRetries: 0,
      defaultHeaders: { 'x-test-scenario': 'chunks:40' },
    });
    const session = new agents.voice.AgentSession({
      llm: new openai.LLM({ model: 'gpt-4o-mini', client }),
      tts: new openai.TTS({ model: 'tts-1', client }),
    });
    instrumentLiveKitSession(session, { agentName: 'spoken-agent', meterProvider: metrics.meterProvider });
    session.on('metrics_collected', (event: { metrics: ReportedTTS }) => {
      if (event.metrics.type === 'tts_metrics') reported.push(event.metrics);
    });
    const sink = createAudioSink(agents);
    session.output.audio = sink;
    await session.start({ agent: new agents.voice.Agent({ instructions: 'You are terse.' }) });
    await session.generateReply({ userInput: 'Hello there' }).waitForPlayout();
    await session.say(GREETING).waitForPlayout();
    frames = sink.frames;
    await session.close();
  });

  afterAll(async () => {
    await server?.close();
    await metrics.shutdown();
  });

  it('played audio, and LiveKit reported the characters twice behind its StreamAdapter', () => {
    expect(frames).toBeGreaterThan(0);
    const greeting = reported.filter((tts) => tts.charactersCount === GREETING.length);
    expect(greeting.map((tts) => tts.streamed).sort()).toEqual([false, true]);
  });

  it('counts each reply as a completed turn', async () => {
    const agent = { 'gen_ai.agent.name': 'spoken-agent' };
    expect(await metrics.value(VOICE_TURNS.name, { ...agent, 'voice.turn.end_reason': 'completed' })).toBe(2);
    // Neither reply followed a user's speech: no end of utterance, so no latency and no stage.
    expect(await metrics.points(VOICE_TURN_RESPONSE_LATENCY.name)).toHaveLength(0);
    expect(await metrics.points(VOICE_STAGE_DURATION.name)).toHaveLength(0);
  });

  it('counts the characters sent to TTS, the audio it made and their spend once', async () => {
    const sentences = reported.filter((tts) => !tts.streamed);
    const once = sentences.reduce((total, tts) => total + tts.charactersCount, 0);
    expect(once).toBeGreaterThan(GREETING.length);
    const agent = { 'gen_ai.agent.name': 'spoken-agent' };
    expect(await metrics.value(VOICE_TTS_CHARACTERS.name, agent)).toBe(once);
    const audioMs = sentences.reduce((total, tts) => total + tts.audioDurationMs, 0);
    expect(audioMs).toBeGreaterThan(0);
    expect(await metrics.value(VOICE_TTS_AUDIO_DURATION.name, agent)).toBeCloseTo(audioMs / 1000, 9);
    // tts-1 at its built-in $15 per million characters.
    expect(
      await metrics.value(GEN_AI_CLIENT_COST.name, {
        'gen_ai.operation.name': 'speech',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'tts-1',
      }),
    ).toBeCloseTo((once * 15) / 1e6, 15);
  });
});
