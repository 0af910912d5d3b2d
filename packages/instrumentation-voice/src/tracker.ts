import { OpenTurns } from './open-turns.js';
import { resolveSettings, type TrackerSettings, type VoiceTrackerOptions } from './options.js';
import { reportFault } from './report-fault.js';
import { type SessionHost, TrackedSession, type VoiceSession } from './session.js';
import { SweepTimer } from './sweep-timer.js';
import { TrackedTurn, type TurnHost, type TurnSession, type VoiceTurn } from './turn.js';
import { VoiceMetrics } from './voice-metrics.js';

/** Tracks the turns and sessions of one voice agent. No method ever throws. */
export interface VoiceTracker {
  /** Starts a session, counted among the open sessions until it ends. */
  startSession(): VoiceSession;
  /** Starts a turn outside any session, for pipelines without one. */
  startTurn(): VoiceTurn;
  /**
   * Closes the turns idle for `turnTimeoutMs` as `abandoned` and returns how many. Runs by itself on
   * every `startTurn` and on an unref'd timer while turns are open; call it to sweep at a moment of
   * your choosing (tests with a fake clock).
   */
  sweep(): number;
  /** The turns open now. */
  readonly openTurns: number;
}

class Tracker implements VoiceTracker, TurnHost, SessionHost {
  readonly settings: TrackerSettings;
  readonly metrics: VoiceMetrics;
  private readonly _open = new OpenTurns<TrackedTurn>();
  private readonly _timer: SweepTimer;

  constructor(options: VoiceTrackerOptions | undefined) {
    this.settings = resolveSettings(options);
    this.metrics = new VoiceMetrics(this.settings);
    this._timer = new SweepTimer(() => this.sweep(), this.settings.turnTimeoutMs);
  }

  get openTurns(): number {
    return this._open.size;
  }

  startSession(): VoiceSession {
    return new TrackedSession(this);
  }

  startTurn(): VoiceTurn {
    try {
      return this.openTurn(undefined);
    } catch (error) {
      reportFault('startTurn', error);
      return this.endedTurn();
    }
  }

  sweep(): number {
    try {
      return this._closeIdle(this.settings.clock());
    } catch (error) {
      reportFault('sweep', error);
      return 0;
    }
  }

  openTurn(session: TurnSession | undefined): TrackedTurn {
    const now = this.settings.clock();
    // Sweeping here too keeps memory bounded by the timeout even where timers run late.
    this._closeIdle(now);
    while (this._open.size >= this.settings.maxOpenTurns) this._open.takeOldest()?.abandon();
    const turn = new TrackedTurn(this, session);
    this._open.add(turn, now);
    this._timer.start();
    return turn;
  }

  endedTurn(): TrackedTurn {
    return new TrackedTurn(this, undefined, true);
  }

  touch(turn: TrackedTurn, now: number): void {
    this._open.touch(turn, now);
  }

  release(turn: TrackedTurn): void {
    this._open.delete(turn);
    if (this._open.size === 0) this._timer.stop();
  }

  private _closeIdle(now: number): number {
    const idle = this._open.takeIdle(now, this.settings.turnTimeoutMs);
    for (const turn of idle) turn.abandon();
    if (this._open.size === 0) this._timer.stop();
    return idle.length;
  }
}

/**
 * A turn tracker for a voice pipeline: the app marks the moments of each turn, the tracker derives
 * the response latency and the stages, and records them when the turn ends.
 *
 * @example
 * const tracker = createVoiceTracker({ agentName: 'support-agent' });
 * const turn = tracker.startSession().startTurn();
 * turn.mark('user_speech_end');
 * turn.mark('first_audio_out');
 * turn.end();
 */
export function createVoiceTracker(options?: VoiceTrackerOptions): VoiceTracker {
  return new Tracker(options);
}
