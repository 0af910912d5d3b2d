import type { VoiceTurn, VoiceUsage } from '@va/instrumentation-voice';

const FIELDS = [
  'sttAudioSeconds',
  'ttsCharacters',
  'ttsAudioSeconds',
  'inputTokens',
  'outputTokens',
] as const;

/** Usage summed while it has no turn to go on yet. */
export class PendingUsage {
  private _sums: Record<(typeof FIELDS)[number], number> = PendingUsage._empty();
  private _any = false;

  private static _empty() {
    return { sttAudioSeconds: 0, ttsCharacters: 0, ttsAudioSeconds: 0, inputTokens: 0, outputTokens: 0 };
  }

  add(usage: VoiceUsage): void {
    for (const field of FIELDS) this._sums[field] += usage[field] ?? 0;
    this._any = true;
  }

  /** Moves what was summed onto `turn`, each field only if something was reported. */
  flushTo(turn: VoiceTurn): void {
    if (!this._any) return;
    const usage: Partial<Record<(typeof FIELDS)[number], number>> = {};
    for (const field of FIELDS) usage[field] = this._sums[field] || undefined;
    turn.addUsage(usage);
    this._sums = PendingUsage._empty();
    this._any = false;
  }
}
