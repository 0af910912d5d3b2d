/** Node caps timer delays at 2^31 - 1 ms; a longer one would fire at once, with a warning. */
const LONGEST_DELAY_MS = 2 ** 31 - 1;
/** A tiny timeout must not become a busy timer. */
const SHORTEST_PERIOD_MS = 1_000;

/**
 * Runs the sweep of idle turns while there are open turns, and only then. The timer is unref'd so
 * it never keeps the process alive, and stopped when the last turn closes so a tracker nobody uses
 * holds no timer (a timer would keep the tracker from being garbage collected).
 */
export class SweepTimer {
  private readonly _sweep: () => void;
  private readonly _periodMs: number;
  private _timer: ReturnType<typeof setInterval> | undefined;

  /** Sweeps twice per timeout, so an idle turn is closed between 1 and 1.5 timeouts after its last call. */
  constructor(sweep: () => void, turnTimeoutMs: number) {
    this._sweep = sweep;
    this._periodMs = Math.min(Math.max(turnTimeoutMs / 2, SHORTEST_PERIOD_MS), LONGEST_DELAY_MS);
  }

  start(): void {
    if (this._timer !== undefined) return;
    this._timer = setInterval(this._sweep, this._periodMs);
    this._timer.unref();
  }

  stop(): void {
    if (this._timer === undefined) return;
    clearInterval(this._timer);
    this._timer = undefined;
  }
}
