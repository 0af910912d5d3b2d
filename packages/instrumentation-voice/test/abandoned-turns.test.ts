import { VOICE_SESSION_TURNS, VOICE_STAGE_DURATION, VOICE_TURNS } from '@va/semconv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVoiceTracker } from '../src/index.js';
import { FakeClock } from './support/fake-clock.js';
import { TestMetrics } from './support/metrics.js';

const ABANDONED = { 'voice.turn.end_reason': 'abandoned' };
const COMPLETED = { 'voice.turn.end_reason': 'completed' };

let metrics: TestMetrics;
let clock: FakeClock;

beforeEach(() => {
  metrics = new TestMetrics();
  clock = new FakeClock();
});

afterEach(async () => {
  vi.useRealTimers();
  await metrics.shutdown();
});

function trackerWith(options: { turnTimeoutMs?: number; maxOpenTurns?: number } = {}) {
  return createVoiceTracker({ meterProvider: metrics.meterProvider, clock: clock.read, ...options });
}

describe('the turn timeout', () => {
  it('closes a turn without any call for the timeout as abandoned, and frees it', async () => {
    const tracker = trackerWith({ turnTimeoutMs: 1000 });
    const turn = tracker.startTurn();
    turn.mark('user_speech_end');
    clock.advance(250);
    turn.mark('stt_final');
    clock.advance(999);
    expect(tracker.sweep()).toBe(0);
    expect(tracker.openTurns).toBe(1);
    clock.advance(1);
    expect(tracker.sweep()).toBe(1);
    expect(tracker.openTurns).toBe(0);
    expect(turn.ended).toBe(true);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(1);
    // What the turn measured before it was forgotten is recorded all the same.
    expect(await metrics.point(VOICE_STAGE_DURATION.name, { 'voice.stage': 'stt' })).toMatchObject({
      count: 1,
      sum: 0.25,
    });
    // The app ending it late changes nothing.
    turn.end();
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(1);
  });

  it('counts the time from the last call on the turn, not from its start', async () => {
    const tracker = trackerWith({ turnTimeoutMs: 1000 });
    const busy = tracker.startTurn();
    const idle = tracker.startTurn();
    for (let step = 0; step < 5; step++) {
      clock.advance(600);
      busy.addUsage({ ttsCharacters: 1 });
      tracker.sweep();
    }
    expect(idle.ended).toBe(true);
    expect(busy.ended).toBe(false);
    clock.advance(1000);
    tracker.sweep();
    expect(busy.ended).toBe(true);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(2);
  });

  it('sweeps on every startTurn, so memory stays bounded without any timer', async () => {
    const tracker = trackerWith({ turnTimeoutMs: 1000 });
    for (let index = 0; index < 50; index++) {
      tracker.startTurn().mark('user_speech_end');
      clock.advance(100);
    }
    // Only the turns of the last second are still open.
    expect(tracker.openTurns).toBe(10);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(40);
  });

  it('ends an interrupted turn nobody ended as abandoned, its interruption counted', async () => {
    const tracker = trackerWith({ turnTimeoutMs: 1000 });
    tracker.startTurn().interrupted();
    clock.advance(1000);
    tracker.sweep();
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(1);
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(1);
  });
});

describe('the open turn bound', () => {
  it('closes the least recently active turn first when maxOpenTurns is reached', async () => {
    const tracker = trackerWith({ maxOpenTurns: 3 });
    const turns = [tracker.startTurn(), tracker.startTurn(), tracker.startTurn()];
    clock.advance(10);
    turns[0]!.mark('user_speech_end');
    const fourth = tracker.startTurn();
    expect(tracker.openTurns).toBe(3);
    expect(turns.map((turn) => turn.ended)).toEqual([false, true, false]);
    tracker.startTurn();
    expect(turns.map((turn) => turn.ended)).toEqual([false, true, true]);
    expect(fourth.ended).toBe(false);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(2);
  });

  it('never holds more than maxOpenTurns turns', async () => {
    const tracker = trackerWith({ maxOpenTurns: 100 });
    for (let index = 0; index < 1000; index++) {
      tracker.startTurn();
      expect(tracker.openTurns).toBeLessThanOrEqual(100);
    }
    expect(tracker.openTurns).toBe(100);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(900);
  });
});

describe('the end of a session', () => {
  it('ends its open turns as abandoned before recording its turns', async () => {
    const tracker = trackerWith();
    const session = tracker.startSession();
    const other = tracker.startSession();
    session.startTurn().end();
    const open = session.startTurn();
    const otherTurn = other.startTurn();
    session.end();
    expect(open.ended).toBe(true);
    expect(otherTurn.ended).toBe(false);
    expect(tracker.openTurns).toBe(1);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(1);
    expect(await metrics.value(VOICE_TURNS.name, COMPLETED)).toBe(1);
    expect(await metrics.point(VOICE_SESSION_TURNS.name)).toMatchObject({ count: 1, sum: 2 });
  });

  it('counts a turn the tracker abandoned in its session', async () => {
    const tracker = trackerWith({ turnTimeoutMs: 1000 });
    const session = tracker.startSession();
    session.startTurn();
    clock.advance(1000);
    tracker.sweep();
    session.end();
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(1);
    expect(await metrics.point(VOICE_SESSION_TURNS.name)).toMatchObject({ count: 1, sum: 1 });
  });
});

describe('the sweep timer', () => {
  it('runs only while turns are open', () => {
    vi.useFakeTimers();
    const tracker = createVoiceTracker({ meterProvider: metrics.meterProvider, clock: () => Date.now() });
    expect(vi.getTimerCount()).toBe(0);
    const first = tracker.startTurn();
    const second = tracker.startTurn();
    expect(vi.getTimerCount()).toBe(1);
    first.end();
    expect(vi.getTimerCount()).toBe(1);
    second.end();
    expect(vi.getTimerCount()).toBe(0);
    tracker.startSession().startTurn();
    expect(vi.getTimerCount()).toBe(1);
  });

  it('closes idle turns by itself, between one and one and a half timeouts after their last call', async () => {
    vi.useFakeTimers();
    const tracker = createVoiceTracker({
      meterProvider: metrics.meterProvider,
      clock: () => Date.now(),
      turnTimeoutMs: 10_000,
    });
    const turn = tracker.startTurn();
    vi.advanceTimersByTime(2_000);
    turn.mark('user_speech_end');
    vi.advanceTimersByTime(9_999);
    expect(turn.ended).toBe(false);
    vi.advanceTimersByTime(5_000);
    expect(turn.ended).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(await metrics.value(VOICE_TURNS.name, ABANDONED)).toBe(1);
  });
});
