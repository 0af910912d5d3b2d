import type { VoiceTurn } from '@va/instrumentation-voice';

/** A finite, non-negative amount, else undefined (LiveKit reports a duration of -1 for "nothing came"). */
export function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * One reply of the agent (one `speechId`): what its metrics reported, turned into the voice turn's marks
 * when it ends. The marks are placed from the reported durations on a time line of the turn's own
 * (0 = the end of the user's speech), never from when an event arrived, so the stages add up to
 * LiveKit's end-to-end figure: end-of-utterance delay + LLM time to first token + TTS time to first byte.
 */
export class SpeechTurn {
  readonly turn: VoiceTurn;
  /** Whether `speech_created` announced it: then its handle says when it ends and whether it was interrupted. */
  hasHandle = false;
  private _endOfUtteranceMs: number | undefined;
  private _transcriptionMs: number | undefined;
  private _ttftMs: number | undefined;
  private _ttfbMs: number | undefined;
  private _llmSeen = false;
  private _ttsSeen = false;

  constructor(turn: VoiceTurn) {
    this.turn = turn;
  }

  endOfUtterance(endOfUtteranceMs: unknown, transcriptionMs: unknown): void {
    if (this._endOfUtteranceMs !== undefined) return;
    this._endOfUtteranceMs = nonNegative(endOfUtteranceMs);
    this._transcriptionMs = nonNegative(transcriptionMs);
  }

  /** The first LLM call of the reply is the one the user waited for; a tool call's follow-up is not. */
  llm(ttftMs: unknown): void {
    if (this._llmSeen) return;
    this._llmSeen = true;
    this._ttftMs = nonNegative(ttftMs);
  }

  /** The first segment's first byte is the one the user heard first. */
  tts(ttfbMs: unknown): void {
    if (this._ttsSeen) return;
    this._ttsSeen = true;
    this._ttfbMs = nonNegative(ttfbMs);
  }

  /** Whether the three parts of the response latency have all been reported. */
  get complete(): boolean {
    return this._endOfUtteranceMs !== undefined && this._llmSeen && this._ttsSeen;
  }

  /** Marks what was reported and ends the turn. A reply with no end of utterance (a greeting, `say`, a text input) records no stage. */
  end(interrupted: boolean): void {
    this._mark();
    if (interrupted) this.turn.interrupted();
    this.turn.end(interrupted ? 'interrupted' : 'completed');
  }

  private _mark(): void {
    const endOfUtterance = this._endOfUtteranceMs;
    if (endOfUtterance === undefined) return;
    const { turn } = this;
    turn.mark('user_speech_end', 0);
    turn.mark('end_of_utterance', endOfUtterance);
    // The transcript is its own stage only when it came after the turn was decided: the reply waited for it.
    const transcription = this._transcriptionMs;
    let llmStart = endOfUtterance;
    if (transcription !== undefined && transcription > endOfUtterance) {
      turn.mark('stt_final', transcription);
      llmStart = transcription;
    }
    if (this._ttftMs === undefined) return;
    const firstToken = llmStart + this._ttftMs;
    turn.mark('llm_first_token', firstToken);
    if (this._ttfbMs === undefined) return;
    const firstByte = firstToken + this._ttfbMs;
    turn.mark('tts_first_byte', firstByte);
    // LiveKit's latency ends at the first TTS byte: its playout is not in the metrics, so `audio_out` is 0.
    turn.mark('first_audio_out', firstByte);
  }
}
