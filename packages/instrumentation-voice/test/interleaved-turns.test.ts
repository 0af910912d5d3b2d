import {
  VOICE_SESSION_ACTIVE,
  VOICE_SESSION_TOKENS,
  VOICE_SESSION_TURNS,
  VOICE_STAGE_DURATION,
  VOICE_STT_AUDIO_DURATION,
  VOICE_TTS_CHARACTERS,
  VOICE_TURN_INTERRUPTIONS,
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_TURNS,
} from '@va/semconv';
import { until } from '@va/test-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createVoiceTracker, type VoiceSession, type VoiceTracker, type VoiceTurn } from '../src/index.js';
import { TestMetrics } from './support/metrics.js';

const AGENT = { 'gen_ai.agent.name': 'support-agent' };
const SESSIONS = 20;
const TURNS_PER_SESSION = 5;
/** Long against the gaps between marks (≤ 10 ms), short enough for a test: only left turns reach it. */
const TURN_TIMEOUT_MS = 400;

type Outcome = 'completed' | 'interrupted' | 'error' | 'abandoned by its session' | 'abandoned by timeout';

/**
 * Each session's turns, by position: every outcome the tracker knows. Per 4 sessions: 2 errors, and
 * the last turn left open once until its session ends and once until the tracker's timeout.
 */
function outcomeOf(session: number, position: number): Outcome {
  if (position === 1) return 'interrupted';
  if (position === 3 && session % 2 === 0) return 'error';
  if (position === 4 && session % 4 === 0) return 'abandoned by its session';
  if (position === 4 && session % 4 === 1) return 'abandoned by timeout';
  return 'completed';
}

/** The marks each outcome reaches before it ends (or is left). */
const MARKS: Record<Outcome, readonly string[]> = {
  completed: [
    'user_speech_end',
    'end_of_utterance',
    'stt_final',
    'llm_first_token',
    'tts_first_byte',
    'first_audio_out',
  ],
  interrupted: ['user_speech_end', 'end_of_utterance', 'stt_final', 'llm_first_token'],
  error: ['user_speech_end', 'stt_final'],
  'abandoned by its session': ['user_speech_end', 'end_of_utterance'],
  'abandoned by timeout': ['user_speech_end', 'end_of_utterance'],
};
const USAGE = { sttAudioSeconds: 1.5, ttsCharacters: 40, inputTokens: 10, outputTokens: 5 };

/** A few milliseconds, different for every session, turn and step, so the sessions interleave. */
const pause = (session: number, position: number, step: number) =>
  new Promise((resolve) => setTimeout(resolve, (session * 7 + position * 13 + step * 5) % 11));

async function runTurn(turn: VoiceTurn, session: number, position: number, outcome: Outcome): Promise<void> {
  for (const [step, mark] of MARKS[outcome].entries()) {
    await pause(session, position, step);
    turn.mark(mark);
  }
  if (outcome === 'completed' || outcome === 'interrupted') turn.addUsage(USAGE);
  if (outcome === 'interrupted') turn.interrupted();
  if (outcome === 'abandoned by timeout')
    await until(() => turn.ended, 'the tracker to close an idle turn', 10_000);
  if (outcome === 'abandoned by its session' || outcome === 'abandoned by timeout') return;
  turn.end(outcome === 'error' ? 'error' : undefined);
}

async function runSession(session: VoiceSession, index: number): Promise<void> {
  for (let position = 0; position < TURNS_PER_SESSION; position++) {
    await runTurn(session.startTurn(), index, position, outcomeOf(index, position));
  }
  session.end();
}

let metrics: TestMetrics;
afterEach(async () => {
  await metrics.shutdown();
});

describe(`${SESSIONS * TURNS_PER_SESSION} voice turns of ${SESSIONS} sessions, interleaved`, () => {
  it('every counter and histogram count is exact, and the active sessions return to 0', async () => {
    metrics = new TestMetrics();
    const tracker: VoiceTracker = createVoiceTracker({
      agentName: 'support-agent',
      meterProvider: metrics.meterProvider,
      turnTimeoutMs: TURN_TIMEOUT_MS,
    });
    const sessions = Array.from({ length: SESSIONS }, () => tracker.startSession());
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(SESSIONS);

    await Promise.all(sessions.map((session, index) => runSession(session, index)));
    expect(tracker.openTurns).toBe(0);

    const outcomes = Array.from({ length: SESSIONS }, (_, session) =>
      Array.from({ length: TURNS_PER_SESSION }, (_, position) => outcomeOf(session, position)),
    ).flat();
    const count = (...wanted: Outcome[]) => outcomes.filter((outcome) => wanted.includes(outcome)).length;
    // The plan itself, so a change to it cannot quietly make the expectations below trivial.
    expect([
      count('completed'),
      count('interrupted'),
      count('error'),
      count('abandoned by its session'),
      count('abandoned by timeout'),
    ]).toEqual([60, 20, 10, 5, 5]);

    const turns = await metrics.points(VOICE_TURNS.name);
    expect(
      Object.fromEntries(turns.map((point) => [point.attributes['voice.turn.end_reason'], point.value])),
    ).toEqual({
      completed: count('completed'),
      interrupted: count('interrupted'),
      error: count('error'),
      abandoned: count('abandoned by its session', 'abandoned by timeout'),
    });
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(count('interrupted'));

    // A stage is recorded for each mark a turn reached after the end of speech, whatever its end.
    const reached = (mark: string) => outcomes.filter((outcome) => MARKS[outcome].includes(mark)).length;
    const stages = await metrics.points(VOICE_STAGE_DURATION.name);
    expect(Object.fromEntries(stages.map((point) => [point.attributes['voice.stage'], point.count]))).toEqual(
      {
        end_of_utterance: reached('end_of_utterance'),
        stt: reached('stt_final'),
        llm_first_token: reached('llm_first_token'),
        tts_first_byte: reached('tts_first_byte'),
        audio_out: reached('first_audio_out'),
      },
    );
    expect(reached('end_of_utterance')).toBe(90);
    const latency = await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT);
    expect(latency!.count).toBe(count('completed'));
    expect(latency!.sum).toBeGreaterThan(0);

    const billed = count('completed', 'interrupted');
    expect(await metrics.value(VOICE_STT_AUDIO_DURATION.name, AGENT)).toBe(billed * USAGE.sttAudioSeconds);
    expect(await metrics.value(VOICE_TTS_CHARACTERS.name, AGENT)).toBe(billed * USAGE.ttsCharacters);
    expect(await metrics.point(VOICE_SESSION_TURNS.name, AGENT)).toMatchObject({
      count: SESSIONS,
      sum: SESSIONS * TURNS_PER_SESSION,
    });
    expect(await metrics.point(VOICE_SESSION_TOKENS.name, AGENT)).toMatchObject({
      count: SESSIONS,
      sum: billed * (USAGE.inputTokens + USAGE.outputTokens),
    });
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(0);
  });
});
