/** Resolves after `millis`; the timer is the test's own, so it keeps the loop alive meanwhile. */
export function sleep(millis: number): Promise<void> {
  return new Promise((done) => setTimeout(done, millis));
}

/** Keeps the event loop busy, synchronously, for at least `millis`. */
export function blockEventLoop(millis: number): void {
  const end = performance.now() + millis;
  while (performance.now() < end) {
    // spin: the delay and utilization metrics must see a blocked loop
  }
}

/** Polls `check` until it returns true, failing after `timeoutMillis` with `what`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMillis = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`);
    await sleep(10);
  }
}
