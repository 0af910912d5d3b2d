// Long work (adding a collection to the bridge's totals, reading and merging a cluster's collections,
// rendering a big scrape) is cut into slices, and the event loop goes round between them, so the app's
// timers and I/O never wait behind a whole scrape. The work is written as a generator that pauses after
// each small step; a SliceBudget decides after each step whether the slice is spent.
//
// What counts is the time since the loop last turned, not only our own work. Waiting for the client is not
// always a pause: on loopback a fast client drains the socket at once, node reports the finished write with
// process.nextTick, and the "wait" ends inside the same turn, after the kernel copied the buffers. Counting
// only our work between such waits let one turn of a plain scrape run well past its budget. A wait across a
// turn of the loop (timers ran meanwhile) starts a fresh slice.

/**
 * How long a slice may run (ms) where no option says otherwise. We aim at no event-loop block over 15 ms,
 * and a scavenge or the end of an incremental mark-compact landing in a slice can lengthen it by several ms
 * on a busy machine: a 5 ms slice leaves room for that.
 */
export const DEFAULT_SLICE_MILLIS = 5;

/** How many points a step of sliced work handles before it pauses. */
export const POINTS_PER_STEP = 256;

/** A slice length given as an option: a number ≥ 0 (0 pauses after every step), else the default. */
export function sliceMillisOption(millis: number | undefined): number {
  return millis !== undefined && millis >= 0 ? millis : DEFAULT_SLICE_MILLIS;
}

/** Runs `steps` to the end at once (the synchronous, pure entry points use it). */
export function runToEnd<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs `steps` to the end in slices of `sliceMillis`, letting the event loop go round between slices. */
export async function runSliced<T>(steps: Generator<void, T, undefined>, sliceMillis: number): Promise<T> {
  const budget = new SliceBudget(sliceMillis);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    const turn = budget.next();
    if (turn !== undefined) await turn;
  }
}

/**
 * Resolves once the event loop has gone round: timers, new I/O and immediates queued meanwhile have all had
 * their turn. One setImmediate is not enough when the caller runs in an I/O callback (the poll phase, where
 * a scrape's collection and a wait for the client end): it fires in the check phase of the same iteration,
 * before any timer, so a timer would see that callback and the next slice as one block. Queued from the
 * check phase, the second setImmediate fires only in the next iteration, after its timers and poll.
 */
export function yieldFullTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** The account of one slice: how long the event loop has gone without a turn. */
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
