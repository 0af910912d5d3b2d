// Long work (rendering a big scrape) is cut into slices; between slices we let I/O callbacks and
// timers run. setImmediate runs after pending I/O, unlike a resolved promise, which would not let
// anything else in.

/** Resolves on the next turn of the event loop, after pending I/O. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
