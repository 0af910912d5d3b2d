import type { VoiceSession, VoiceTurn, VoiceUsage } from '@va/instrumentation-voice';
import type { SpeechHandle, TTSMetrics } from './livekit-events.js';
import { nonNegative } from './non-negative.js';
import { PendingUsage } from './pending-usage.js';
import { type SpeechSpend, ttsUsageOf } from './tts-usage.js';

/**
 * One reply of the agent (one `speechId`): what its metrics reported, and its voice turn once it is known
 * to be one. The turn starts only when the reply ends (or the session closes under it): a preemptive
 * generation that LiveKit drops before scheduling it was never heard, and must not count as a turn.
 *
 * The marks are placed from the reported durations on a time line of the turn's own (0 = the end of the
 * user's speech), never from when an event arrived, so the stages add up to LiveKit's end-to-end figure:
 * end-of-utterance delay + LLM time to first token + TTS time to first byte.
 */
export class SpeechTurn {
  /** Its handle, when `speech_created` announced it: it says when the reply ends and how. */
  handle: SpeechHandle | undefined;
  private _turn: VoiceTurn | undefined;
  private readonly _usage = new PendingUsage();
  private _endOfUtteranceMs: number | undefined;
  private _transcriptionMs: number | undefined;
  private _ttftMs: number | undefined;
  /** The first time to first byte of the stream the reply was spoken through, and of a sentence's synthesis. */
  private _streamTtfbMs: number | undefined;
  private _sentenceTtfbMs: number | undefined;
  /**
   * TTS reports not counted yet, by how they were reported: behind a `StreamAdapter` the same text comes
   * twice, in a report per sentence and in one for the stream around them, and only one kind may count.
   */
  private _sentenceReports: TTSMetrics[] = [];
  private _streamReports: TTSMetrics[] = [];
  private _sentencesSeen = false;
  /** The turn its TTS usage counts on once that is known: its own, or the turn a reply that never played bills to. */
  private _ttsTurn: VoiceTurn | undefined;
  private _llmSeen = false;
  /** A realtime model's reply: its first output is its first audio, and no TTS speaks it. */
  private _realtime = false;
  private readonly _spend: SpeechSpend;

  constructor(spend: SpeechSpend) {
    this._spend = spend;
  }

  get turn(): VoiceTurn | undefined {
    return this._turn;
  }

  endOfUtterance(endOfUtteranceMs: unknown, transcriptionMs: unknown): void {
    if (this._endOfUtteranceMs !== undefined) return;
    this._endOfUtteranceMs = nonNegative(endOfUtteranceMs);
    this._transcriptionMs = nonNegative(transcriptionMs);
    this._markIfOpen();
  }

  /** The first LLM call of the reply is the one the user waited for; a tool call's follow-up is not. */
  llm(ttftMs: unknown): void {
    if (this._llmSeen) return;
    this._llmSeen = true;
    this._ttftMs = nonNegative(ttftMs);
    this._markIfOpen();
  }

  /** Whether nothing has reported the reply's model output yet: a realtime model's metrics may be its. */
  get awaitsModelOutput(): boolean {
    return !this._llmSeen && !this._realtime && this._ttfbMs === undefined;
  }

  /**
   * A realtime model's response, which carries no `speechId` and is matched to the reply by the session.
   * Its time to first audio is the reply's latency, LiveKit's own end-to-end figure for a realtime model
   * (after the end of utterance, when LiveKit's turn detection reported one): recorded as the
   * `llm_first_token` stage, the model's first output being its first audio.
   */
  realtime(ttftMs: unknown): void {
    if (!this.awaitsModelOutput) return;
    this._realtime = true;
    this._llmSeen = true;
    this._ttftMs = nonNegative(ttftMs);
    this._markIfOpen();
  }

  /**
   * A TTS report. Its characters, audio and spend count once: a reply with sentence reports (a
   * `StreamAdapter`) counts those, else its stream's. The first byte is its stream's when reported (the
   * text went in there), else the first sentence's that produced audio (−1 means none did).
   */
  tts(report: TTSMetrics): void {
    const ttfb = nonNegative(report.ttfbMs);
    if (report.streamed === false) {
      this._sentenceTtfbMs ??= ttfb;
      this._sentencesSeen = true;
      if (this._ttsTurn === undefined) this._sentenceReports.push(report);
      else this._count(report, this._ttsTurn);
    } else {
      this._streamTtfbMs ??= ttfb;
      if (this._ttsTurn === undefined) this._streamReports.push(report);
      // Once sentences are reported, they are what counts: a stream's report after them adds nothing.
      else if (!this._sentencesSeen) this._count(report, this._ttsTurn);
    }
    this._markIfOpen();
  }

  private get _ttfbMs(): number | undefined {
    return this._streamTtfbMs ?? this._sentenceTtfbMs;
  }

  addUsage(usage: VoiceUsage): void {
    if (this._turn === undefined) this._usage.add(usage);
    else this._turn.addUsage(usage);
  }

  /** Moves its usage onto another turn: a reply that never played still billed what it used. */
  flushUsageTo(turn: VoiceTurn): void {
    this._usage.flushTo(turn);
    this._countTTSOn(turn);
  }

  /** Counts the TTS reports so far on `turn`, and the later ones as they come. */
  private _countTTSOn(turn: VoiceTurn): void {
    if (this._ttsTurn !== undefined) return;
    this._ttsTurn = turn;
    for (const report of this._sentencesSeen ? this._sentenceReports : this._streamReports) {
      this._count(report, turn);
    }
    this._sentenceReports = [];
    this._streamReports = [];
  }

  private _count(report: TTSMetrics, turn: VoiceTurn): void {
    const usage = ttsUsageOf(report);
    turn.addUsage(usage);
    this._spend(report, usage.ttsCharacters ?? 0);
  }

  /** Whether the parts of the response latency have all been reported. */
  get complete(): boolean {
    if (this._realtime) return this._ttftMs !== undefined;
    return this._endOfUtteranceMs !== undefined && this._llmSeen && this._ttfbMs !== undefined;
  }

  /** Starts its voice turn with what was reported so far; it stays open (the tracker abandons it if nothing ends it). */
  open(session: VoiceSession): VoiceTurn {
    if (this._turn === undefined) {
      this._turn = session.startTurn();
      this._usage.flushTo(this._turn);
      this._countTTSOn(this._turn);
      this._mark();
    }
    return this._turn;
  }

  /** Ends its turn. A reply with no end of utterance (a greeting, `say`, a text input) records no stage. */
  end(session: VoiceSession, interrupted: boolean): VoiceTurn {
    const turn = this.open(session);
    if (interrupted) turn.interrupted();
    turn.end(interrupted ? 'interrupted' : 'completed');
    return turn;
  }

  private _markIfOpen(): void {
    if (this._turn !== undefined && !this._turn.ended) this._mark();
  }

  /** Marks what is known; marking again adds only the new marks (the tracker keeps the first of a name). */
  private _mark(): void {
    const turn = this._turn;
    if (turn === undefined) return;
    if (this._realtime) {
      this._markRealtime(turn);
      return;
    }
    const endOfUtterance = this._endOfUtteranceMs;
    if (endOfUtterance === undefined) return;
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

  private _markRealtime(turn: VoiceTurn): void {
    const firstAudio = this._ttftMs;
    if (firstAudio === undefined) return;
    const endOfUtterance = this._endOfUtteranceMs ?? 0;
    turn.mark('user_speech_end', 0);
    if (this._endOfUtteranceMs !== undefined) turn.mark('end_of_utterance', endOfUtterance);
    turn.mark('llm_first_token', endOfUtterance + firstAudio);
    turn.mark('first_audio_out', endOfUtterance + firstAudio);
  }
}
