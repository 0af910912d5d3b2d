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
  readonly #settings: TrackerSettings;
  readonly #attributes: Attributes;

  constructor(settings: TrackerSettings) {
    this.#settings = settings;
    this.#attributes =
      settings.agentName === undefined ? {} : { [GEN_AI_AGENT_NAME.key]: settings.agentName };
  }

  #instruments() {
    return instrumentsOf(this.#settings.meterProvider);
  }

  turnEnded(reason: string, timings: TurnTimings): void {
    try {
      const instruments = this.#instruments();
      instruments.turns.add(1, { ...this.#attributes, [VOICE_TURN_END_REASON.key]: reason });
      for (const { stage, seconds } of timings.stages) {
        instruments.stageDuration.record(seconds, { ...this.#attributes, [VOICE_STAGE.key]: stage });
      }
      if (timings.responseLatency !== undefined) {
        instruments.responseLatency.record(timings.responseLatency, this.#attributes);
      }
    } catch (error) {
      reportFault('recording a turn', error);
    }
  }

  interruption(): void {
    try {
      this.#instruments().interruptions.add(1, this.#attributes);
    } catch (error) {
      reportFault('counting an interruption', error);
    }
  }

  usage(sttAudioSeconds: number, ttsCharacters: number): void {
    try {
      const instruments = this.#instruments();
      if (sttAudioSeconds > 0) instruments.sttAudioDuration.add(sttAudioSeconds, this.#attributes);
      if (ttsCharacters > 0) instruments.ttsCharacters.add(ttsCharacters, this.#attributes);
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
      const active = this.#instruments().sessionsActive;
      active.add(1, this.#attributes);
      return active;
    } catch (error) {
      reportFault('counting a session', error);
      return undefined;
    }
  }

  sessionEnded(active: UpDownCounter | undefined, turns: number, tokens: number | undefined): void {
    try {
      active?.add(-1, this.#attributes);
    } catch (error) {
      reportFault('counting a session out', error);
    }
    try {
      const instruments = this.#instruments();
      instruments.sessionTurns.record(turns, this.#attributes);
      if (tokens !== undefined) instruments.sessionTokens.record(tokens, this.#attributes);
    } catch (error) {
      reportFault('recording a session', error);
    }
  }
}
