import { diag } from '@opentelemetry/api';
import { VOICE_STAGE_DURATION, VOICE_TURN_RESPONSE_LATENCY, VOICE_TURNS } from '@va/semconv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVoiceTracker, type VoiceTracker, type VoiceTurn } from '../src/index.js';
import { captureDiag, type DiagLines } from './support/diag-lines.js';
import { FakeClock } from './support/fake-clock.js';
import { TestMetrics } from './support/metrics.js';

let metrics: TestMetrics;
let clock: FakeClock;
let tracker: VoiceTracker;
let logs: DiagLines;

beforeEach(() => {
  logs = captureDiag();
  metrics = new TestMetrics();
  clock = new FakeClock();
  tracker = createVoiceTracker({ meterProvider: metrics.meterProvider, clock: clock.read });
});

afterEach(async () => {
  diag.disable();
  await metrics.shutdown();
});

function markAt(turn: VoiceTurn, mark: string, at: number): void {
  clock.now = at;
  turn.mark(mark);
}

async function stageSums(): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const point of await metrics.points(VOICE_STAGE_DURATION.name)) {
    sums[String(point.attributes['voice.stage'])] = point.sum!;
  }
  return sums;
}

describe('marks out of order', () => {
  it('skips the stage that would be negative; the next one starts at the last mark in order', async () => {
    // The final transcript often lands before the turn detector decides the user is done.
    const turn = tracker.startTurn();
    markAt(turn, 'user_speech_end', 0);
    markAt(turn, 'stt_final', 125);
    markAt(turn, 'end_of_utterance', 500);
    markAt(turn, 'llm_first_token', 750);
    markAt(turn, 'tts_first_byte', 875);
    markAt(turn, 'first_audio_out', 1000);
    turn.end();

    const sums = await stageSums();
    expect(sums).toEqual({
      end_of_utterance: 0.5,
      llm_first_token: 0.25,
      tts_first_byte: 0.125,
      audio_out: 0.125,
    });
    expect(Object.values(sums).every((seconds) => seconds >= 0)).toBe(true);
    const latency = await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name);
    expect(latency).toMatchObject({ count: 1, sum: 1 });
    expect(Object.values(sums).reduce((a, b) => a + b, 0)).toBe(latency!.sum);
  });

  it('logs a skipped stage once, at debug level', async () => {
    for (let index = 0; index < 3; index++) {
      const turn = tracker.startTurn();
      turn.mark('user_speech_end', 0);
      turn.mark('llm_first_token', 500);
      turn.mark('tts_first_byte', 400);
      turn.end();
    }
    // Once per stage for the whole process (this stage appears in no other test of this file).
    expect(logs.debug.filter((line) => line.includes('stage tts_first_byte skipped'))).toEqual([
      '@va/instrumentation-voice: mark tts_first_byte came before llm_first_token; stage tts_first_byte skipped (reported once)',
    ]);
    expect(logs.warn).toEqual([]);
    expect(await stageSums()).toEqual({ llm_first_token: 1.5 });
  });

  it('records no latency when the first audio is marked before the end of speech', async () => {
    const turn = tracker.startTurn();
    turn.mark('first_audio_out', 100);
    turn.mark('user_speech_end', 200);
    turn.end();
    expect(await metrics.points(VOICE_TURN_RESPONSE_LATENCY.name)).toEqual([]);
    expect(await metrics.points(VOICE_STAGE_DURATION.name)).toEqual([]);
    expect(await metrics.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'completed' })).toBe(1);
  });
});

describe('marks the tracker ignores', () => {
  it('keeps the first of a repeated mark (an LLM called again after a tool call)', async () => {
    const turn = tracker.startTurn();
    markAt(turn, 'user_speech_end', 0);
    markAt(turn, 'llm_first_token', 300);
    markAt(turn, 'llm_first_token', 900);
    markAt(turn, 'user_speech_end', 250);
    markAt(turn, 'first_audio_out', 1000);
    turn.end();
    expect(await stageSums()).toEqual({ llm_first_token: 0.3, audio_out: 0.7 });
  });

  it('ignores marks after the end, without throwing', async () => {
    const turn = tracker.startTurn();
    markAt(turn, 'user_speech_end', 0);
    turn.end();
    expect(turn.ended).toBe(true);
    expect(() => markAt(turn, 'first_audio_out', 500)).not.toThrow();
    turn.end();
    turn.end('error');
    expect(await metrics.points(VOICE_TURN_RESPONSE_LATENCY.name)).toEqual([]);
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(1);
    expect(await metrics.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'completed' })).toBe(1);
  });

  it('ignores a mark outside the pipeline and says so once, at debug level', async () => {
    const turn = tracker.startTurn();
    turn.mark('user_speech_end', 0);
    turn.mark('rag_done', 100);
    turn.mark('rag_done', 200);
    turn.mark('first_audio_out', 300);
    turn.end();
    expect(logs.debug.filter((line) => line.includes('rag_done'))).toHaveLength(1);
    expect(await stageSums()).toEqual({ audio_out: 0.3 });
  });

  it('ignores a mark whose time is not a finite number', async () => {
    const turn = tracker.startTurn();
    turn.mark('user_speech_end', Number.NaN);
    turn.mark('user_speech_end', '5' as unknown as number);
    turn.mark('user_speech_end', 0);
    turn.mark('first_audio_out', 400);
    turn.end();
    expect(await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name)).toMatchObject({ count: 1, sum: 0.4 });
  });

  it('replaces an end reason outside the conventions with the default', async () => {
    tracker.startTurn().end('hung_up' as never);
    const interrupted = tracker.startTurn();
    interrupted.interrupted();
    interrupted.end('abandoned' as never);
    expect(await metrics.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'completed' })).toBe(1);
    expect(await metrics.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'interrupted' })).toBe(1);
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(2);
  });
});

describe('options', () => {
  it('falls back to the defaults for options that are not valid, with a warning', async () => {
    const lenient = createVoiceTracker({
      meterProvider: metrics.meterProvider,
      agentName: '',
      clock: 'now' as never,
      turnTimeoutMs: -5,
      maxOpenTurns: 1.5,
    });
    expect(logs.warn.filter((line) => line.includes('option'))).toHaveLength(4);
    const turn = lenient.startTurn();
    turn.mark('user_speech_end');
    turn.end();
    expect(await metrics.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'completed' })).toBe(1);
  });

  it('ends the session twice without recording it twice', async () => {
    const session = tracker.startSession();
    session.end();
    session.end();
    expect(session.ended).toBe(true);
    const { keys } = await metrics.allAttributes();
    expect(keys.size).toBe(0);
  });
});
