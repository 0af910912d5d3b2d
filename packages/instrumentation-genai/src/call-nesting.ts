import { AsyncLocalStorage } from 'node:async_hooks';

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

/**
 * The asynchronous counterpart, for a call whose client goes on working after it returned: an AI SDK
 * model's `doGenerate()` awaits before a provider built on another client (`openai`, `@anthropic-ai/sdk`)
 * calls it. Everything that call starts, synchronously or after an await, runs inside it. Shared through
 * the global object like the depth. The store is entered only by such calls, so an application that makes
 * none pays nothing for it.
 */
const CONTEXT_KEY = Symbol.for('@va/instrumentation-genai.measured-call-context');
const contextSlot = globalThis as { [CONTEXT_KEY]?: AsyncLocalStorage<true> };
contextSlot[CONTEXT_KEY] ??= new AsyncLocalStorage<true>();
const measuredContext = contextSlot[CONTEXT_KEY];

/** True while a measured call is running its client method synchronously, or anything it started. */
export function insideMeasuredCall(): boolean {
  return nesting.depth > 0 || measuredContext.getStore() === true;
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

/**
 * Runs `body` as a measured call whose work goes on after it returns: calls made by it, or by the
 * promises and callbacks it starts, pass through unmeasured.
 */
export function asMeasuredAsyncCall<T>(body: () => T): T {
  return measuredContext.run(true, body);
}
