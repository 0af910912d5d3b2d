// The account of one slice of a long render: how long the event loop has gone without a turn. Rendering
// checks it after every step and lets the loop go round once the budget is spent.
//
// What counts is the time since the loop last turned, not only our own work. Waiting for the client is not
// always a pause: on loopback a fast client drains the socket at once, node reports the finished write with
// process.nextTick, and the "wait" ends inside the same turn, after the kernel copied the buffers (≈ 0.8 ms
// per MB). Counting only our work between such waits let one turn of a plain 43 MB scrape run 13 ms and more
// with a 5 ms budget. A wait across a turn of the loop (timers ran meanwhile) starts a fresh slice.

import { yieldFullTurn } from './yield-to-event-loop.js';

export class SliceBudget {
  private readonly _millis: number;
  private readonly _now: () => number;
  private _sliceStart: number;

  /** Starts the first slice now: create it once the event loop has just gone round. */
  constructor(millis: number, now: () => number = () => performance.now()) {
    this._millis = millis;
    this._now = now;
    this._sliceStart = now();
  }

  /**
   * Waits for `pending` (the client reading what was written). Once the loop has turned during the wait
   * (its check phase ran, so timers come before the wait can end in a later poll phase), a new slice starts
   * at the resumption. Any other wait stays part of the current slice: one that ended within the turn, and
   * one that began in a check phase (where slices start) and ended before the next, which errs on the side
   * of a shorter slice (no timer can tell a turn apart from that: node's timers have 1 ms granularity).
   */
  async wait(pending: Promise<void>): Promise<void> {
    let turned = false;
    const watch = setImmediate(() => {
      turned = true;
    });
    watch.unref();
    try {
      await pending;
    } finally {
      clearImmediate(watch);
    }
    if (turned) this._sliceStart = this._now();
  }

  /**
   * After a step: once the slice's budget is spent, a promise that resolves after a full turn of the event
   * loop, with a new slice started; otherwise `undefined`, so that a step within budget costs no await.
   */
  next(): Promise<void> | undefined {
    if (this._now() - this._sliceStart < this._millis) return undefined;
    return yieldFullTurn().then(() => {
      this._sliceStart = this._now();
    });
  }
}
