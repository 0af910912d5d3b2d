import type { VoiceTurn, VoiceUsage } from '@va/instrumentation-voice';

/** Usage summed while it has no turn to go on yet. */
export class PendingUsage {
  private _sttAudioSeconds = 0;
  private _ttsCharacters = 0;
  private _inputTokens = 0;
  private _outputTokens = 0;
  private _any = false;

  add(usage: VoiceUsage): void {
    this._sttAudioSeconds += usage.sttAudioSeconds ?? 0;
    this._ttsCharacters += usage.ttsCharacters ?? 0;
    this._inputTokens += usage.inputTokens ?? 0;
    this._outputTokens += usage.outputTokens ?? 0;
    this._any = true;
  }

  /** Moves what was summed onto `turn`, each field only if something was reported. */
  flushTo(turn: VoiceTurn): void {
    if (!this._any) return;
    turn.addUsage({
      sttAudioSeconds: this._sttAudioSeconds || undefined,
      ttsCharacters: this._ttsCharacters || undefined,
      inputTokens: this._inputTokens || undefined,
      outputTokens: this._outputTokens || undefined,
    });
    this._sttAudioSeconds = 0;
    this._ttsCharacters = 0;
    this._inputTokens = 0;
    this._outputTokens = 0;
    this._any = false;
  }
}
