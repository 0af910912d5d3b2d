import {
  VOICE_SESSION_ACTIVE,
  VOICE_SESSION_TOKENS,
  VOICE_SESSION_TURNS,
  VOICE_STAGE_DURATION,
  VOICE_TURN_INTERRUPTIONS,
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_TURNS,
} from '@va/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceTracker, type VoiceSession, type VoiceTurn } from '../src/index.js';
import { FakeClock } from './support/fake-clock.js';
import { TestMetrics } from './support/metrics.js';

const AGENT = { 'gen_ai.agent.name': 'support-agent' };
const SESSIONS = 10;
const TURNS = 100;

/**
 * 100 turns across 10 sessions, interleaved: each round opens one turn per session, marks them in
 * an order that is not their start order, and ends them in yet another. What each turn does depends
 * on its number modulo 5:
 * 0. completed, with every mark (latency 500 + i ms)
 * 1. interrupted, then ended with the default reason (interrupted)
 * 2. ended as error
 * 3. interrupted, then ended as completed (the agent resumed)
 * 4. never ended: the end of its session abandons it
 */
describe('100 interleaved turns across 10 sessions', () => {
  const metrics = new TestMetrics();
  const clock = new FakeClock();
  const tracker = createVoiceTracker({
    agentName: 'support-agent',
    meterProvider: metrics.meterProvider,
    clock: clock.read,
  });
  let openBeforeSessionsEnd = -1;

  beforeAll(() => {
    const sessions: VoiceSession[] = Array.from({ length: SESSIONS }, () => tracker.startSession());
    for (let round = 0; round < TURNS / SESSIONS; round++) {
      const turns: [number, VoiceTurn][] = sessions.map((session, index) => [
        round * SESSIONS + index,
        session.startTurn(),
      ]);
      // Mark in reverse order of start.
      for (const [number, turn] of [...turns].reverse()) {
        clock.advance(7);
        const base = number * 1000;
        turn.mark('user_speech_end', base);
        turn.addUsage({ inputTokens: number, outputTokens: 1, ttsCharacters: 10 });
        if (number % 5 === 0) {
          turn.mark('stt_final', base + 200);
          turn.mark('llm_first_token', base + 400);
          turn.mark('first_audio_out', base + 500 + number);
        }
        if (number % 5 === 1 || number % 5 === 3) turn.interrupted();
      }
      // End in an order that is neither: odd positions first, then even ones.
      const endOrder = [
        ...turns.filter((_, index) => index % 2 === 1),
        ...turns.filter((_, index) => index % 2 === 0),
      ];
      for (const [number, turn] of endOrder) {
        clock.advance(3);
        if (number % 5 === 0) turn.end();
        else if (number % 5 === 1) turn.end();
        else if (number % 5 === 2) turn.end('error');
        else if (number % 5 === 3) turn.end('completed');
      }
    }
    openBeforeSessionsEnd = tracker.openTurns;
    for (const session of [...sessions].reverse()) session.end();
  });

  afterAll(async () => {
    await metrics.shutdown();
  });

  it('leaves the never-ended turns open until their sessions end, then none', () => {
    expect(openBeforeSessionsEnd).toBe(20);
    expect(tracker.openTurns).toBe(0);
  });

  it('counts the turns per end reason exactly', async () => {
    const byReason: Record<string, number> = {};
    for (const point of await metrics.points(VOICE_TURNS.name)) {
      byReason[String(point.attributes['voice.turn.end_reason'])] = point.value;
    }
    expect(byReason).toEqual({ completed: 40, interrupted: 20, error: 20, abandoned: 20 });
  });

  it('counts every interruption', async () => {
    expect(await metrics.value(VOICE_TURN_INTERRUPTIONS.name, AGENT)).toBe(40);
  });

  it('records ten turns per session and the sessions back to zero', async () => {
    const turns = await metrics.point(VOICE_SESSION_TURNS.name, AGENT);
    expect(turns).toMatchObject({ count: SESSIONS, sum: TURNS });
    // Boundaries 1, 2, 5, 10 …: every session falls in (5, 10].
    expect(turns!.bucketCounts).toEqual([0, 0, 0, 10, 0, 0, 0, 0, 0, 0]);
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(0);
  });

  it('sums the tokens of each session', async () => {
    const tokens = await metrics.point(VOICE_SESSION_TOKENS.name, AGENT);
    // Session s holds turns s, s + 10, … s + 90: 10 s + 450 input tokens and 10 output tokens.
    expect(tokens).toMatchObject({ count: SESSIONS, sum: 4950 + TURNS });
  });

  it('records the latency and stages of the complete turns', async () => {
    const latency = await metrics.point(VOICE_TURN_RESPONSE_LATENCY.name, AGENT);
    expect(latency!.count).toBe(20);
    // Σ (500 + i) ms over i = 0, 5, … 95.
    expect(latency!.sum).toBeCloseTo(10.95, 9);
    const stages = await metrics.points(VOICE_STAGE_DURATION.name);
    const counts = Object.fromEntries(stages.map((point) => [point.attributes['voice.stage'], point.count]));
    // Every turn has its end of speech; the stt stage needs stt_final, which only complete turns have.
    expect(counts).toEqual({ stt: 20, llm_first_token: 20, audio_out: 20 });
    const stageTotal = stages.reduce((total, point) => total + point.sum!, 0);
    expect(stageTotal).toBeCloseTo(latency!.sum!, 9);
  });
});
