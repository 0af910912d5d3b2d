import type { UpDownCounter } from '@opentelemetry/api';
import { reportFault } from './report-fault.js';
import { reportMisuse } from './report-misuse.js';
import type { TrackedTurn, TurnSession, VoiceTurn } from './turn.js';
import type { VoiceMetrics } from './voice-metrics.js';

/** One conversation (a call, a room). No method ever throws. */
export interface VoiceSession {
  /** Starts a turn of this session. After `end()`, returns an ended turn that only counts usage. */
  startTurn(): VoiceTurn;
  /**
   * Ends the session: its open turns end as `abandoned`, then its turns and tokens are recorded and
   * it leaves the active sessions. Ending twice does nothing.
   */
  end(): void;
  /** Whether `end()` was called. */
  readonly ended: boolean;
}

/** What a session needs from its tracker. */
export interface SessionHost {
  readonly metrics: VoiceMetrics;
  openTurn(session: TurnSession): TrackedTurn;
  /** A turn that is already ended, for calls that cannot start a real one. */
  endedTurn(): TrackedTurn;
}

export class TrackedSession implements VoiceSession, TurnSession {
  private readonly _host: SessionHost;
  private readonly _openTurns = new Set<TrackedTurn>();
  private readonly _active: UpDownCounter | undefined;
  private _turns = 0;
  /** Undefined until the app reports tokens: a session without LLM usage records no token count. */
  private _tokens: number | undefined;
  private _ended = false;

  constructor(host: SessionHost) {
    this._host = host;
    this._active = host.metrics.sessionStarted();
  }

  get ended(): boolean {
    return this._ended;
  }

  startTurn(): VoiceTurn {
    try {
      if (this._ended) {
        reportMisuse('turn-after-session-end', 'a turn started after its session ended records only usage');
        return this._host.endedTurn();
      }
      const turn = this._host.openTurn(this);
      this._turns++;
      this._openTurns.add(turn);
      return turn;
    } catch (error) {
      reportFault('startTurn', error);
      return this._host.endedTurn();
    }
  }

  end(): void {
    try {
      if (this._ended) return;
      this._ended = true;
      // The session is over, so its open turns will never end; closing them now, rather than at the
      // timeout, frees them at once and makes the session's turn count final.
      for (const turn of [...this._openTurns]) turn.abandon();
      this._host.metrics.sessionEnded(this._active, this._turns, this._tokens);
    } catch (error) {
      reportFault('session end', error);
    }
  }

  turnClosed(turn: TrackedTurn): void {
    this._openTurns.delete(turn);
  }

  addTokens(tokens: number): void {
    // Tokens reported after the session was recorded have nowhere to go.
    if (!this._ended) this._tokens = (this._tokens ?? 0) + tokens;
  }
}
