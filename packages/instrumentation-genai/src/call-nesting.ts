/**
 * How many measured GenAI calls are on the stack right now, whichever client made them. Shared through
 * the global object so the explicit wrappers and the register's patches, of every client and from every
 * copy of these packages (CommonJS and ESM), never record the same call twice: the outermost measured
 * call records, inner ones pass through (a helper such as `messages.stream()` calling
 * `messages.create()` is one call). Only the synchronous part of a call is covered.
 */
const DEPTH_KEY = Symbol.for('@va/instrumentation-genai.call-depth');
const globalSlot = globalThis as { [DEPTH_KEY]?: { depth: number } };
globalSlot[DEPTH_KEY] ??= { depth: 0 };
const nesting = globalSlot[DEPTH_KEY];

/** True while a measured call is running its client method synchronously. */
export function insideMeasuredCall(): boolean {
  return nesting.depth > 0;
}

/** Runs `body` as a measured call's synchronous part: calls it makes pass through unmeasured. */
export function asMeasuredCall<T>(body: () => T): T {
  nesting.depth++;
  try {
    return body();
  } finally {
    nesting.depth--;
  }
}
