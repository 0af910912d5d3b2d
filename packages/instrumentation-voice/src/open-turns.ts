/**
 * The open turns of a tracker, least recently active first. A Map keeps insertion order and a touch
 * re-inserts, so the idle turns are always at the front: a sweep reads only the turns it closes,
 * plus one.
 */
export class OpenTurns<Turn> {
  private readonly _lastActive = new Map<Turn, number>();

  get size(): number {
    return this._lastActive.size;
  }

  add(turn: Turn, now: number): void {
    this._lastActive.set(turn, now);
  }

  touch(turn: Turn, now: number): void {
    if (this._lastActive.delete(turn)) this._lastActive.set(turn, now);
  }

  delete(turn: Turn): void {
    this._lastActive.delete(turn);
  }

  /** Removes and returns the turns without activity for `timeoutMs` or more. */
  takeIdle(now: number, timeoutMs: number): Turn[] {
    const idle: Turn[] = [];
    for (const [turn, lastActive] of this._lastActive) {
      if (now - lastActive < timeoutMs) break;
      idle.push(turn);
    }
    for (const turn of idle) this._lastActive.delete(turn);
    return idle;
  }

  /** Removes and returns the least recently active turn. */
  takeOldest(): Turn | undefined {
    for (const turn of this._lastActive.keys()) {
      this._lastActive.delete(turn);
      return turn;
    }
    return undefined;
  }
}
