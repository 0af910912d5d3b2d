import { diag, type MeterProvider, metrics as otelMetrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createVoiceTracker, type VoiceTracker } from '../src/index.js';
import { captureDiag } from './support/diag-lines.js';
import { FakeClock } from './support/fake-clock.js';

function boom(): never {
  throw new Error('boom');
}

/** A provider that cannot even give a meter. */
const noMeter = { getMeter: boom } as unknown as MeterProvider;

/** A provider whose instruments throw on every recording. */
const throwingInstruments = {
  getMeter: () => {
    const instrument = { add: boom, record: boom };
    return {
      createHistogram: () => instrument,
      createCounter: () => instrument,
      createUpDownCounter: () => instrument,
    };
  },
} as unknown as MeterProvider;

/** Every public method, with a turn of every kind. */
function exercise(tracker: VoiceTracker, clock: FakeClock): void {
  const session = tracker.startSession();
  for (const reason of ['completed', 'interrupted', 'error', undefined] as const) {
    const turn = session.startTurn();
    turn.mark('user_speech_end');
    clock.advance(100);
    turn.mark('stt_final');
    turn.mark('first_audio_out');
    turn.interrupted();
    turn.addUsage({ sttAudioSeconds: 1, ttsCharacters: 2, inputTokens: 3, outputTokens: 4 });
    turn.end(reason);
    turn.addUsage({ ttsCharacters: 1 });
  }
  session.startTurn();
  tracker.startTurn();
  clock.advance(120_000);
  tracker.sweep();
  session.end();
  session.startTurn().end();
}

afterEach(() => {
  diag.disable();
  otelMetrics.disable();
});

describe('a meter that throws', () => {
  const warnings: string[] = [];

  it.each([
    ['getMeter throws', noMeter],
    ['every instrument throws', throwingInstruments],
  ])('%s: no call throws, no turn stays open, each fault is logged once', (_, meterProvider) => {
    const logs = captureDiag();
    const clock = new FakeClock();
    const tracker = createVoiceTracker({ meterProvider, clock: clock.read });
    expect(() => exercise(tracker, clock)).not.toThrow();
    expect(() => exercise(tracker, clock)).not.toThrow();
    expect(tracker.openTurns).toBe(0);
    warnings.push(...logs.warn);
  });

  it('logs each kind of fault once for the whole process, through diag', () => {
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(warnings.every((line) => line.startsWith('@va/instrumentation-voice:'))).toBe(true);
    expect(warnings.some((line) => line.includes('recording a turn failed'))).toBe(true);
  });

  it('the global provider throwing is no different', () => {
    captureDiag();
    otelMetrics.setGlobalMeterProvider(throwingInstruments);
    const clock = new FakeClock();
    const tracker = createVoiceTracker({ clock: clock.read });
    expect(() => exercise(tracker, clock)).not.toThrow();
    expect(tracker.openTurns).toBe(0);
  });
});

describe('other faults around the tracker', () => {
  it('a clock that throws loses marks, never the call', () => {
    const tracker = createVoiceTracker({ meterProvider: throwingInstruments, clock: boom });
    const clock = new FakeClock();
    expect(() => exercise(tracker, clock)).not.toThrow();
    expect(tracker.openTurns).toBe(0);
  });

  it('a diag logger that throws changes nothing', () => {
    diag.setLogger({ error: boom, warn: boom, info: boom, debug: boom, verbose: boom } as never, {
      suppressOverrideMessage: true,
    });
    const clock = new FakeClock();
    const tracker = createVoiceTracker({
      meterProvider: noMeter,
      clock: clock.read,
      stages: [{ name: 'stt', from: 'stt_final', to: 'x' }],
      turnTimeoutMs: -1,
    });
    expect(() => exercise(tracker, clock)).not.toThrow();
    const turn = tracker.startTurn();
    expect(() => turn.mark('not_a_mark')).not.toThrow();
    expect(() => turn.end('nonsense' as never)).not.toThrow();
  });
});
