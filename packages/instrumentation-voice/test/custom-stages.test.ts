import { diag } from '@opentelemetry/api';
import { VOICE_STAGE_DURATION, VOICE_TURN_RESPONSE_LATENCY } from '@va/semconv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CustomStage, createVoiceTracker, type VoiceTurn } from '../src/index.js';
import { captureDiag, type DiagLines } from './support/diag-lines.js';
import { FakeClock } from './support/fake-clock.js';
import { TestMetrics } from './support/metrics.js';

let metrics: TestMetrics;
let clock: FakeClock;
let logs: DiagLines;

beforeEach(() => {
  logs = captureDiag();
  metrics = new TestMetrics();
  clock = new FakeClock();
});

afterEach(async () => {
  diag.disable();
  await metrics.shutdown();
});

function trackerWith(stages: readonly CustomStage[]) {
  return createVoiceTracker({ meterProvider: metrics.meterProvider, clock: clock.read, stages });
}

function markAll(turn: VoiceTurn, marks: Record<string, number>): void {
  for (const [mark, at] of Object.entries(marks)) turn.mark(mark, at);
}

async function stageSums(): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const point of await metrics.points(VOICE_STAGE_DURATION.name)) {
    sums[String(point.attributes['voice.stage'])] = point.sum!;
  }
  return sums;
}

describe('custom stages', () => {
  it('cut the standard stage they sit in, so the stages still add up to the latency', async () => {
    const tracker = trackerWith([{ name: 'rag', from: 'stt_final', to: 'rag_done' }]);
    const turn = tracker.startTurn();
    markAll(turn, {
      user_speech_end: 0,
      stt_final: 250,
      rag_done: 375,
      llm_first_token: 750,
      tts_first_byte: 875,
      first_audio_out: 1000,
    });
    turn.end();
    const sums = await stageSums();
    expect(sums).toEqual({
      stt: 0.25,
      rag: 0.125,
      llm_first_token: 0.375,
      tts_first_byte: 0.125,
      audio_out: 0.125,
    });
    expect(Object.values(sums).reduce((a, b) => a + b, 0)).toBe(1);
    expect(await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name)).toMatchObject({ sum: 1 });
  });

  it('leave the standard stage whole in a turn without their mark', async () => {
    const tracker = trackerWith([{ name: 'rag', from: 'stt_final', to: 'rag_done' }]);
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, stt_final: 250, llm_first_token: 750 });
    turn.end();
    expect(await stageSums()).toEqual({ stt: 0.25, llm_first_token: 0.5 });
  });

  it('start at the latest earlier mark the turn has, like the standard stages', async () => {
    const tracker = trackerWith([{ name: 'rag', from: 'stt_final', to: 'rag_done' }]);
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, end_of_utterance: 125, rag_done: 500, llm_first_token: 750 });
    turn.end();
    expect(await stageSums()).toEqual({ end_of_utterance: 0.125, rag: 0.375, llm_first_token: 0.25 });
  });

  it('chain after one another, and may start at the end of speech', async () => {
    const tracker = trackerWith([
      { name: 'denoise', from: 'user_speech_end', to: 'denoised' },
      { name: 'rag', from: 'stt_final', to: 'rag_done' },
      { name: 'guardrail', from: 'rag_done', to: 'guard_done' },
    ]);
    const turn = tracker.startTurn();
    markAll(turn, {
      user_speech_end: 0,
      denoised: 125,
      end_of_utterance: 250,
      stt_final: 375,
      rag_done: 500,
      guard_done: 625,
      llm_first_token: 750,
    });
    turn.end();
    expect(await stageSums()).toEqual({
      denoise: 0.125,
      end_of_utterance: 0.125,
      stt: 0.125,
      rag: 0.125,
      guardrail: 0.125,
      llm_first_token: 0.125,
    });
  });

  it('are dropped with a warning when they cannot be placed, the others kept', async () => {
    const tracker = trackerWith([
      { name: 'stt', from: 'stt_final', to: 'x_done' },
      { name: 'late', from: 'first_audio_out', to: 'after_audio' },
      { name: 'nowhere', from: 'unknown_mark', to: 'y_done' },
      { name: 'again', from: 'stt_final', to: 'llm_first_token' },
      { name: '', from: 'stt_final', to: 'z_done' },
      null as never,
      { name: 'rag', from: 'stt_final', to: 'rag_done' },
      { name: 'second_from_stt', from: 'stt_final', to: 'other_done' },
    ]);
    expect(logs.warn).toHaveLength(7);
    expect(logs.warn[0]).toContain('stages[0] dropped: the stage stt already exists');
    expect(logs.warn[6]).toContain('stages[7] dropped: another stage already starts at stt_final');
    const turn = tracker.startTurn();
    markAll(turn, { user_speech_end: 0, stt_final: 250, rag_done: 500, other_done: 600, x_done: 700 });
    turn.end();
    expect(await stageSums()).toEqual({ stt: 0.25, rag: 0.25 });
  });
});
