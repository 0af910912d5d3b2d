import {
  VOICE_LATENCY_BUCKETS,
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
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVoiceTracker, type VoiceTracker } from '../src/index.js';
import { FakeClock } from './support/fake-clock.js';
import { TestMetrics } from './support/metrics.js';

const AGENT = { 'gen_ai.agent.name': 'support-agent' };

function stage(name: string) {
  return { ...AGENT, 'voice.stage': name };
}

function reason(name: string) {
  return { ...AGENT, 'voice.turn.end_reason': name };
}

/** The bucket counts of one value, for a histogram with the voice latency boundaries. */
function bucketsOf(...seconds: number[]): number[] {
  const counts = new Array<number>(VOICE_LATENCY_BUCKETS.length + 1).fill(0);
  for (const value of seconds) {
    const index = VOICE_LATENCY_BUCKETS.findIndex((boundary) => value <= boundary);
    counts[index === -1 ? VOICE_LATENCY_BUCKETS.length : index]! += 1;
  }
  return counts;
}

let metrics: TestMetrics;
let clock: FakeClock;
let tracker: VoiceTracker;

beforeEach(() => {
  metrics = new TestMetrics();
  clock = new FakeClock();
  tracker = createVoiceTracker({
    agentName: 'support-agent',
    meterProvider: metrics.meterProvider,
    clock: clock.read,
  });
});

afterEach(async () => {
  await metrics.shutdown();
});

/** Marks the standard pipeline at the given offsets (ms) from the end of the user's speech. */
function markAll(turn: ReturnType<VoiceTracker['startTurn']>, offsets: Record<string, number>): void {
  const start = clock.now;
  for (const [mark, offset] of Object.entries(offsets).sort(([, a], [, b]) => a - b)) {
    clock.now = start + offset;
    turn.mark(mark);
  }
}

describe('a turn with every standard mark', () => {
  it('records each stage, and the stages add up to the response latency', async () => {
    const turn = tracker.startTurn();
    markAll(turn, {
      user_speech_end: 0,
      end_of_utterance: 250,
      stt_final: 375,
      llm_first_token: 875,
      tts_first_byte: 1000,
      first_audio_out: 1125,
    });
    turn.end();

    const expected: Record<string, number> = {
      end_of_utterance: 0.25,
      stt: 0.125,
      llm_first_token: 0.5,
      tts_first_byte: 0.125,
      audio_out: 0.125,
    };
    const stages = await metrics.points(VOICE_STAGE_DURATION.name);
    expect(stages).toHaveLength(5);
    for (const [name, seconds] of Object.entries(expected)) {
      const point = stages.find((candidate) => candidate.attributes['voice.stage'] === name)!;
      expect(point.attributes).toEqual(stage(name));
      expect(point.count).toBe(1);
      expect(point.sum).toBe(seconds);
      expect(point.bucketCounts).toEqual(bucketsOf(seconds));
    }
    const stageTotal = stages.reduce((total, point) => total + point.sum!, 0);

    const latency = await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT);
    expect(latency).toMatchObject({ count: 1, sum: 1.125 });
    expect(latency!.bucketCounts).toEqual(bucketsOf(1.125));
    expect(stageTotal).toBe(1.125);

    expect(await metrics.value(VOICE_TURNS.name, reason('completed'))).toBe(1);
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(1);
  });

  it('puts several turns in the right latency buckets', async () => {
    const latencies = [40, 100, 101, 450, 800, 999, 2500, 12_000];
    for (const ms of latencies) {
      const turn = tracker.startTurn();
      markAll(turn, { user_speech_end: 0, first_audio_out: ms });
      turn.end();
    }
    const seconds = latencies.map((ms) => ms / 1000);
    const latency = await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT);
    expect(latency!.count).toBe(latencies.length);
    expect(latency!.sum).toBeCloseTo(
      seconds.reduce((a, b) => a + b, 0),
      12,
    );
    expect(latency!.bucketCounts).toEqual(bucketsOf(...seconds));
    expect(latency!.bucketCounts).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1]);
    // Without marks in between, the whole latency is the one stage before the first audio.
    const audioOut = await metrics.point(VOICE_STAGE_DURATION.name, stage('audio_out'));
    expect(audioOut!.count).toBe(latencies.length);
    expect(audioOut!.sum).toBeCloseTo(latency!.sum!, 12);
  });
});

describe('turns with some marks', () => {
  it('measures stt from the end of speech when no turn detector marked the end of utterance', async () => {
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, stt_final: 500, llm_first_token: 750 });
    turn.end();
    const stages = await metrics.points(VOICE_STAGE_DURATION.name);
    expect(stages.map((point) => [point.attributes['voice.stage'], point.sum])).toEqual([
      ['stt', 0.5],
      ['llm_first_token', 0.25],
    ]);
    // No first audio: no response latency.
    expect(await metrics.points(VOICE_TURN_RESPONSE_LATENCY.name)).toEqual([]);
  });

  it('merges a missing middle mark into the next stage (a speech-to-speech model has no transcript)', async () => {
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, end_of_utterance: 125, llm_first_token: 500, first_audio_out: 750 });
    turn.end();
    const stages = await metrics.points(VOICE_STAGE_DURATION.name);
    expect(stages.map((point) => [point.attributes['voice.stage'], point.sum])).toEqual([
      ['end_of_utterance', 0.125],
      ['llm_first_token', 0.375],
      ['audio_out', 0.25],
    ]);
    expect(await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT)).toMatchObject({
      count: 1,
      sum: 0.75,
    });
  });

  it('records no stage and no latency without the end of speech (an agent-initiated greeting)', async () => {
    const turn = tracker.startTurn();
    markAll(turn, { llm_first_token: 0, tts_first_byte: 100, first_audio_out: 200 });
    turn.end();
    expect(await metrics.points(VOICE_STAGE_DURATION.name)).toEqual([]);
    expect(await metrics.points(VOICE_TURN_RESPONSE_LATENCY.name)).toEqual([]);
    expect(await metrics.value(VOICE_TURNS.name, reason('completed'))).toBe(1);
  });

  it('takes explicit times for moments known after the fact', async () => {
    clock.now = 10_000;
    const turn = tracker.startTurn();
    // The VAD reports the end of speech once 500 ms of silence have passed.
    turn.mark('user_speech_end', clock.now - 500);
    clock.advance(300);
    turn.mark('first_audio_out');
    turn.end();
    expect(await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT)).toMatchObject({
      count: 1,
      sum: 0.8,
    });
  });

  it('records zero-length stages (two marks at the same moment)', async () => {
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, end_of_utterance: 0, first_audio_out: 500 });
    turn.end();
    expect(await metrics.point(VOICE_STAGE_DURATION.name, stage('end_of_utterance'))).toMatchObject({
      count: 1,
      sum: 0,
    });
  });
});

describe('interruptions and end reasons', () => {
  it('counts a barge-in at once, and the turn then ends as interrupted', async () => {
    const turn = tracker.startTurn();
    turn.interrupted();
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(1);
    expect(await metrics.points(VOICE_TURNS.name)).toEqual([]);
    turn.end();
    expect(await metrics.value(VOICE_TURNS.name, reason('interrupted'))).toBe(1);
  });

  it('counts one interruption per turn, however many times it is reported', async () => {
    const turn = tracker.startTurn();
    turn.interrupted();
    turn.interrupted();
    turn.end();
    turn.interrupted();
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(1);
  });

  it('counts an interruption that comes after the turn ended, keeping how it ended', async () => {
    const turn = tracker.startTurn();
    turn.end();
    turn.interrupted();
    turn.interrupted();
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(1);
    expect(await metrics.value(VOICE_TURNS.name, reason('completed'))).toBe(1);
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(1);
  });

  it('lets an explicit reason win over the interruption', async () => {
    const first = tracker.startTurn();
    first.interrupted();
    first.end('error');
    const second = tracker.startTurn();
    second.interrupted();
    second.end('completed');
    tracker.startTurn().end('interrupted');
    expect(await metrics.value(VOICE_TURNS.name, reason('error'))).toBe(1);
    expect(await metrics.value(VOICE_TURNS.name, reason('completed'))).toBe(1);
    expect(await metrics.value(VOICE_TURNS.name, reason('interrupted'))).toBe(1);
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(2);
  });

  it('records the stages of an interrupted turn as far as it got', async () => {
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, stt_final: 250, llm_first_token: 500 });
    turn.interrupted();
    turn.end();
    expect((await metrics.points(VOICE_STAGE_DURATION.name)).map((point) => point.sum)).toEqual([0.25, 0.25]);
  });
});

describe('the speech-to-speech pipeline', () => {
  it('records response_created and first_audio, adding up to the response latency', async () => {
    const s2s = createVoiceTracker({
      agentName: 'support-agent',
      meterProvider: metrics.meterProvider,
      clock: clock.read,
      pipeline: 'speech_to_speech',
    });
    const turn = s2s.startTurn();
    markAll(turn, { user_speech_end: 0, response_created: 120, first_audio_out: 400 });
    turn.mark('stt_final');
    turn.end();
    expect(await metrics.point(VOICE_STAGE_DURATION.name, stage('response_created'))).toMatchObject({
      count: 1,
      sum: 0.12,
    });
    expect(await metrics.point(VOICE_STAGE_DURATION.name, stage('first_audio'))).toMatchObject({
      count: 1,
      sum: 0.28,
    });
    expect(await metrics.points(VOICE_STAGE_DURATION.name)).toHaveLength(2);
    expect(await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT)).toMatchObject({
      count: 1,
      sum: 0.4,
    });
  });
});

describe('usage', () => {
  it('counts billed audio and characters at once, and sums tokens into the session', async () => {
    const session = tracker.startSession();
    const first = session.startTurn();
    first.addUsage({
      sttAudioSeconds: 2.5,
      ttsCharacters: 120,
      ttsAudioSeconds: 7.5,
      inputTokens: 800,
      outputTokens: 40,
    });
    first.end();
    const second = session.startTurn();
    second.addUsage({ sttAudioSeconds: 1.5, inputTokens: 900 });
    second.addUsage({ ttsCharacters: 80, ttsAudioSeconds: 5.25, outputTokens: 60 });
    second.addUsage({ ttsAudioSeconds: -1 });
    second.end();

    expect(await metrics.value(VOICE_STT_AUDIO_DURATION.name, AGENT)).toBe(4);
    expect(await metrics.value(VOICE_TTS_CHARACTERS.name, AGENT)).toBe(200);
    expect(await metrics.value(VOICE_TTS_AUDIO_DURATION.name, AGENT)).toBe(12.75);
    expect(await metrics.points(VOICE_SESSION_TOKENS.name)).toEqual([]);
    session.end();
    const tokens = await metrics.point(VOICE_SESSION_TOKENS.name, AGENT);
    expect(tokens).toMatchObject({ count: 1, sum: 1800 });
  });

  it('accepts usage reported after the turn ended, as providers often report it late', async () => {
    const session = tracker.startSession();
    const turn = session.startTurn();
    turn.end();
    turn.addUsage({ ttsCharacters: 42, outputTokens: 7 });
    session.end();
    // After the session was recorded, tokens have nowhere to go, but billed characters still count.
    turn.addUsage({ ttsCharacters: 8, outputTokens: 1000 });
    expect(await metrics.value(VOICE_TTS_CHARACTERS.name, AGENT)).toBe(50);
    expect(await metrics.point(VOICE_SESSION_TOKENS.name, AGENT)).toMatchObject({ count: 1, sum: 7 });
  });

  it('ignores amounts that are not finite, non-negative numbers', async () => {
    const turn = tracker.startTurn();
    turn.addUsage({ sttAudioSeconds: -1, ttsCharacters: Number.NaN });
    turn.addUsage({ sttAudioSeconds: Number.POSITIVE_INFINITY, ttsCharacters: '12' as unknown as number });
    turn.addUsage(null as never);
    turn.addUsage({ sttAudioSeconds: 0.5 });
    expect(await metrics.value(VOICE_STT_AUDIO_DURATION.name, AGENT)).toBe(0.5);
    expect(await metrics.points(VOICE_TTS_CHARACTERS.name)).toEqual([]);
  });

  it('records no token count for a session whose app reported none', async () => {
    const session = tracker.startSession();
    session.startTurn().addUsage({ sttAudioSeconds: 1 });
    session.end();
    expect(await metrics.points(VOICE_SESSION_TOKENS.name)).toEqual([]);
    expect(await metrics.point(VOICE_SESSION_TURNS.name, AGENT)).toMatchObject({ count: 1, sum: 1 });
  });
});

describe('sessions', () => {
  it('counts active sessions up and down, and records turns per session', async () => {
    const first = tracker.startSession();
    const second = tracker.startSession();
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(2);
    for (let index = 0; index < 3; index++) first.startTurn().end();
    second.startTurn().end();
    first.end();
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(1);
    second.end();
    second.end();
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(0);
    const turns = await metrics.point(VOICE_SESSION_TURNS.name, AGENT);
    expect(turns).toMatchObject({ count: 2, sum: 4 });
    // Boundaries 1, 2, 5 …: one session of 1 turn, one of 3.
    expect(turns!.bucketCounts).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(first.ended).toBe(true);
  });

  it('records a session without turns as zero turns', async () => {
    tracker.startSession().end();
    expect(await metrics.point(VOICE_SESSION_TURNS.name, AGENT)).toMatchObject({ count: 1, sum: 0 });
  });

  it('hands out an ended turn after the session ended, which records nothing but usage', async () => {
    const session = tracker.startSession();
    session.end();
    const late = session.startTurn();
    expect(late.ended).toBe(true);
    late.mark('user_speech_end');
    late.interrupted();
    late.end();
    late.addUsage({ sttAudioSeconds: 1 });
    expect(tracker.openTurns).toBe(0);
    expect(await metrics.points(VOICE_TURNS.name)).toEqual([]);
    expect(await metrics.points(VOICE_TURN_INTERRUPTIONS.name)).toEqual([]);
    expect(await metrics.value(VOICE_STT_AUDIO_DURATION.name, AGENT)).toBe(1);
    expect(await metrics.point(VOICE_SESSION_TURNS.name, AGENT)).toMatchObject({ count: 1, sum: 0 });
  });
});

describe('attributes', () => {
  it('sets only the agent name, the stage and the end reason', async () => {
    const session = tracker.startSession();
    const turn = session.startTurn();
    markAll(turn, { user_speech_end: 0, end_of_utterance: 1, stt_final: 2, first_audio_out: 3 });
    turn.interrupted();
    turn.addUsage({ sttAudioSeconds: 1, ttsCharacters: 1, inputTokens: 1 });
    turn.end();
    session.end();
    const { keys } = await metrics.allAttributes();
    expect([...keys].sort()).toEqual(['gen_ai.agent.name', 'voice.stage', 'voice.turn.end_reason']);
  });

  it('sets no attribute but the stage and end reason without an agent name', async () => {
    const bare = new TestMetrics();
    const anonymous = createVoiceTracker({ meterProvider: bare.meterProvider, clock: clock.read });
    const turn = anonymous.startSession().startTurn();
    turn.mark('user_speech_end');
    turn.mark('first_audio_out');
    turn.end();
    expect(await bare.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'completed' })).toBe(1);
    expect(await bare.value(VOICE_SESSION_ACTIVE.name)).toBe(1);
    expect(await bare.point(VOICE_TURN_RESPONSE_LATENCY.name)).toMatchObject({ count: 1, sum: 0 });
    await bare.shutdown();
  });
});
