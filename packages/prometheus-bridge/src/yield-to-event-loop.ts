// Long work (rendering a big scrape) is cut into slices; between slices we let I/O callbacks and
// timers run. setImmediate runs after pending I/O, unlike a resolved promise, which would not let
// anything else in.

/** Resolves on the next turn of the event loop, after pending I/O. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
