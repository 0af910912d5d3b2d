import type { StandardMark } from './marks.js';
import type { TrackerSettings } from './options.js';
import { reportFault } from './report-fault.js';
import { reportMisuse } from './report-misuse.js';
import { timingsOf } from './turn-timings.js';
import type { VoiceMetrics } from './voice-metrics.js';

/** How the app ends a turn. The tracker itself closes forgotten turns as `abandoned`. */
export type TurnEndReason = 'completed' | 'interrupted' | 'error';

const END_REASONS: ReadonlySet<string> = new Set<TurnEndReason>(['completed', 'interrupted', 'error']);
const ABANDONED = 'abandoned';

/** What the app's STT, LLM and TTS providers billed for a turn. Every field is optional. */
export interface VoiceUsage {
  /** Seconds of audio sent to speech to text. */
  readonly sttAudioSeconds?: number;
  /** Characters sent to text to speech. */
  readonly ttsCharacters?: number;
  /** Seconds of audio text to speech produced. */
  readonly ttsAudioSeconds?: number;
  /** LLM input tokens; summed into the session's tokens. */
  readonly inputTokens?: number;
  /** LLM output tokens; summed into the session's tokens. */
  readonly outputTokens?: number;
}

/** One exchange: the user speaks, the agent answers. No method ever throws. */
export interface VoiceTurn {
  /**
   * Marks a moment of the turn, now or at `at` (in the clock's milliseconds, for moments known after
   * the fact, such as the end of speech a VAD reports once the silence has lasted). The first mark
   * of a name wins; marks outside the pipeline and marks after the turn ended are ignored.
   */
  mark(name: StandardMark | (string & Record<never, never>), at?: number): void;
  /**
   * The user barged in: counts one interruption (once per turn), and the turn ends as `interrupted` unless
   * told otherwise. After the turn ended it still counts, without changing how the turn ended: a reply
   * generated in full (a speech-to-speech model's `response.done`) may be interrupted while it still plays.
   */
  interrupted(): void;
  /** Counts billed usage. Accepted after the turn ended too, since providers often report usage late. */
  addUsage(usage: VoiceUsage): void;
  /** Ends the turn and records it. Default reason: `interrupted` after `interrupted()`, else `completed`. Ending twice does nothing. */
  end(reason?: TurnEndReason): void;
  /** Whether the turn has ended, by the app or by the tracker (timeout, bound, end of its session). */
  readonly ended: boolean;
}

/** What a turn needs from its tracker. */
export interface TurnHost {
  readonly settings: TrackerSettings;
  readonly metrics: VoiceMetrics;
  /** The turn was used: it is not idle. */
  touch(turn: TrackedTurn, now: number): void;
  /** The turn has closed: forget it. */
  release(turn: TrackedTurn): void;
}

/** What a turn tells its session. */
export interface TurnSession {
  turnClosed(turn: TrackedTurn): void;
  addTokens(tokens: number): void;
}

/** A usage amount the counters accept: finite and not negative. Anything else is ignored. */
function amountOf(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  reportMisuse(
    `usage:${field}`,
    `usage ${field} ${String(value)} ignored: not a finite, non-negative number`,
  );
  return undefined;
}

export class TrackedTurn implements VoiceTurn {
  private readonly _host: TurnHost;
  private readonly _session: TurnSession | undefined;
  /** The time of each pipeline mark, in the clock's milliseconds. */
  private readonly _marks = new Map<string, number>();
  private _interrupted = false;
  private _closed: boolean;
  /** Handed out closed (its session had ended): it never ran, so nothing of it is counted but usage. */
  private readonly _neverOpened: boolean;

  /** A turn created `closed` records nothing but usage: what a session that ended hands out. */
  constructor(host: TurnHost, session: TurnSession | undefined, closed = false) {
    this._host = host;
    this._session = session;
    this._closed = closed;
    this._neverOpened = closed;
  }

  get ended(): boolean {
    return this._closed;
  }

  mark(name: string, at?: number): void {
    try {
      if (this._closed) return;
      const now = this._host.settings.clock();
      this._host.touch(this, now);
      if (!this._host.settings.pipeline.has(name)) {
        // One kind for every name: apps that build mark names dynamically must not grow our memory.
        reportMisuse(
          'unknown-mark',
          `mark ${name} ignored: not a standard mark, nor the end of a stage declared in the stages option (reported once, for the first such mark)`,
        );
        return;
      }
      if (this._marks.has(name)) return;
      if (at !== undefined && !(typeof at === 'number' && Number.isFinite(at))) {
        reportMisuse('mark-time', `mark ${name} ignored: its time ${String(at)} is not a finite number`);
        return;
      }
      this._marks.set(name, at ?? now);
    } catch (error) {
      reportFault('mark', error);
    }
  }

  interrupted(): void {
    try {
      if (this._neverOpened || this._interrupted) return;
      this._interrupted = true;
      this._host.metrics.interruption();
      if (!this._closed) this._host.touch(this, this._host.settings.clock());
    } catch (error) {
      reportFault('interrupted', error);
    }
  }

  addUsage(usage: VoiceUsage): void {
    try {
      if (usage === null || typeof usage !== 'object') {
        reportMisuse('usage', `usage ${String(usage)} ignored: not an object`);
        return;
      }
      const sttAudioSeconds = amountOf('sttAudioSeconds', usage.sttAudioSeconds);
      const ttsCharacters = amountOf('ttsCharacters', usage.ttsCharacters);
      const ttsAudioSeconds = amountOf('ttsAudioSeconds', usage.ttsAudioSeconds);
      const inputTokens = amountOf('inputTokens', usage.inputTokens);
      const outputTokens = amountOf('outputTokens', usage.outputTokens);
      if (!this._closed) this._host.touch(this, this._host.settings.clock());
      this._host.metrics.usage(sttAudioSeconds ?? 0, ttsCharacters ?? 0, ttsAudioSeconds ?? 0);
      if (inputTokens !== undefined || outputTokens !== undefined) {
        this._session?.addTokens((inputTokens ?? 0) + (outputTokens ?? 0));
      }
    } catch (error) {
      reportFault('addUsage', error);
    }
  }

  end(reason?: TurnEndReason): void {
    try {
      if (this._closed) return;
      if (reason !== undefined && !END_REASONS.has(reason)) {
        reportMisuse(
          'end-reason',
          `end reason ${String(reason)} replaced by the default: not one of ${[...END_REASONS]}`,
        );
        reason = undefined;
      }
      this._close(reason ?? (this._interrupted ? 'interrupted' : 'completed'));
    } catch (error) {
      reportFault('end', error);
    }
  }

  /** The tracker closes a turn nobody ended (timeout, bound, end of its session). */
  abandon(): void {
    if (!this._closed) this._close(ABANDONED);
  }

  /** Forgets the turn first, so that even a failing recording leaves no turn open. */
  private _close(reason: string): void {
    this._closed = true;
    this._host.release(this);
    this._session?.turnClosed(this);
    const timings = timingsOf(this._host.settings.pipeline, this._marks);
    this._marks.clear();
    this._host.metrics.turnEnded(reason, timings);
  }
}
