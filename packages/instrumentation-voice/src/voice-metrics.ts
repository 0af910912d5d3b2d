import type { Attributes, UpDownCounter } from '@opentelemetry/api';
import { GEN_AI_AGENT_NAME, VOICE_STAGE, VOICE_TURN_END_REASON } from '@va/semconv';
import { instrumentsOf } from './instruments.js';
import type { TrackerSettings } from './options.js';
import { reportFault } from './report-fault.js';
import type { TurnTimings } from './turn-timings.js';

/**
 * Every recording the tracker makes, with the only attributes it ever sets: the agent name, the
 * stage and the end reason. Each method catches its own faults, so a broken meter costs metrics,
 * never a turn of the conversation.
 */
export class VoiceMetrics {
  private readonly _settings: TrackerSettings;
  private readonly _attributes: Attributes;
  /**
   * The set of each end reason and stage, frozen and kept: a tracker records the same few sets for every
   * turn, and @va/otel-sdk resolves a frozen set to its series once. Bounded: four reasons, the pipeline's
   * stages.
   */
  private readonly _sets = new Map<string, Attributes>();

  constructor(settings: TrackerSettings) {
    this._settings = settings;
    this._attributes = Object.freeze(
      settings.agentName === undefined ? {} : { [GEN_AI_AGENT_NAME.key]: settings.agentName },
    );
  }

  private _with(key: string, value: string): Attributes {
    const name = `${key}=${value}`;
    let set = this._sets.get(name);
    if (set === undefined) {
      set = Object.freeze({ ...this._attributes, [key]: value });
      this._sets.set(name, set);
    }
    return set;
  }

  private _instruments() {
    return instrumentsOf(this._settings.meterProvider);
  }

  turnEnded(reason: string, timings: TurnTimings): void {
    try {
      const instruments = this._instruments();
      instruments.turns.add(1, this._with(VOICE_TURN_END_REASON.key, reason));
      for (const { stage, seconds } of timings.stages) {
        instruments.stageDuration.record(seconds, this._with(VOICE_STAGE.key, stage));
      }
      if (timings.responseLatency !== undefined) {
        instruments.responseLatency.record(timings.responseLatency, this._attributes);
      }
    } catch (error) {
      reportFault('recording a turn', error);
    }
  }

  interruption(): void {
    try {
      this._instruments().interruptions.add(1, this._attributes);
    } catch (error) {
      reportFault('counting an interruption', error);
    }
  }

  usage(sttAudioSeconds: number, ttsCharacters: number, ttsAudioSeconds: number): void {
    try {
      const instruments = this._instruments();
      if (sttAudioSeconds > 0) instruments.sttAudioDuration.add(sttAudioSeconds, this._attributes);
      if (ttsCharacters > 0) instruments.ttsCharacters.add(ttsCharacters, this._attributes);
      if (ttsAudioSeconds > 0) instruments.ttsAudioDuration.add(ttsAudioSeconds, this._attributes);
    } catch (error) {
      reportFault('counting usage', error);
    }
  }

  /**
   * Counts a session in and returns the instrument it went to, for `sessionEnded` to count it out
   * of the same one: if the global provider changes in between, the gauge still returns to zero.
   * Undefined when counting failed, so the session is not counted out either.
   */
  sessionStarted(): UpDownCounter | undefined {
    try {
      const active = this._instruments().sessionsActive;
      active.add(1, this._attributes);
      return active;
    } catch (error) {
      reportFault('counting a session', error);
      return undefined;
    }
  }

  sessionEnded(active: UpDownCounter | undefined, turns: number, tokens: number | undefined): void {
    try {
      active?.add(-1, this._attributes);
    } catch (error) {
      reportFault('counting a session out', error);
    }
    try {
      const instruments = this._instruments();
      instruments.sessionTurns.record(turns, this._attributes);
      if (tokens !== undefined) instruments.sessionTokens.record(tokens, this._attributes);
    } catch (error) {
      reportFault('recording a session', error);
    }
  }
}
