/** Waits for a condition, polling every 5 ms, and fails (instead of hanging the test) after `timeoutMs`. */
export async function until(
  condition: () => boolean,
  what = 'the condition',
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
