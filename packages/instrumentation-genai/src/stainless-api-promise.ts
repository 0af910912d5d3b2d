import type { GenAICall } from './genai-call.js';
import { observeStream, type StreamItemObserver } from './observe-stream.js';

/** How a client instrumentation reads what a Stainless-generated client's call returned. */
export interface ResultReader {
  /** Reads the model and usage of a parsed, non-streamed result into the call. */
  readonly readParsed: (call: GenAICall, result: unknown) => void;
  readonly observeStreamItem: StreamItemObserver;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** The parts of the SDK's `APIPromise` we observe through; present in `openai` 4 to 7 and `@anthropic-ai/sdk`. */
interface APIPromiseInternals {
  parseResponse: AnyFunction;
  parse: () => Promise<unknown>;
  asResponse: () => Promise<unknown>;
  _thenUnwrap: AnyFunction;
}

function isAPIPromise(value: unknown): value is APIPromiseInternals {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<APIPromiseInternals>;
  return (
    typeof candidate.parseResponse === 'function' &&
    typeof candidate.parse === 'function' &&
    typeof candidate.asResponse === 'function' &&
    typeof candidate._thenUnwrap === 'function'
  );
}

/** Replaces a method on this one object only, leaving the SDK's prototype alone. */
function defineOwn(target: object, key: string, value: AnyFunction): void {
  Object.defineProperty(target, key, { configurable: true, writable: true, enumerable: false, value });
}

function onParsed(call: GenAICall, reader: ResultReader, result: unknown): void {
  // A result is read once per call: a promise derived with `_thenUnwrap` may hand us the same one again.
  if (call.resultObserved) return;
  call.resultObserved = true;
  try {
    if (
      call.streamed &&
      result !== null &&
      typeof result === 'object' &&
      observeStream(result, call, reader.observeStreamItem)
    )
      return;
    reader.readParsed(call, result);
  } catch (error) {
    call.recorder.reportFault('reading a response', error);
  }
  call.succeed();
}

/**
 * Observes an `APIPromise` in place, so the caller keeps the very object the SDK returned (its
 * class, `.withResponse()`, `.asResponse()`, `_thenUnwrap` helpers) and nothing is parsed that the
 * caller did not ask to parse. Only this object's own methods are wrapped:
 * - `parseResponse` reads the parsed result, or instruments the stream;
 * - `parse` (behind `then`, `catch`, `finally` and `withResponse`) notes a failure and rethrows
 *   the same error object to the caller;
 * - `_thenUnwrap`, which the SDK's helpers build on, observes the promise it derives for the same call;
 * - `.asResponse()` callers read the body themselves; their calls are recorded when the response
 *   arrives, without usage.
 * A call whose result is never asked for is not recorded: we never subscribe to the request itself,
 * so an unawaited failing call surfaces as an unhandled rejection exactly as it did without us.
 */
export function observeAPIPromise(promise: unknown, call: GenAICall, reader: ResultReader): boolean {
  if (!isAPIPromise(promise)) return false;
  const { parseResponse, parse, asResponse, _thenUnwrap: thenUnwrap } = promise;

  promise.parseResponse = function parseObserved(this: unknown, ...args: unknown[]) {
    call.parseStarted = true;
    const parsed = Reflect.apply(parseResponse, this, args);
    return Promise.resolve(parsed).then((result) => {
      onParsed(call, reader, result);
      return result;
    });
  };

  // One link in the chain, not a branch beside it: V8 builds an error's async stack trace only
  // through promises with a single handler, so the caller keeps the frames of their own `await`.
  let observed: Promise<unknown> | undefined;
  defineOwn(promise, 'parse', function parseWatched(this: unknown) {
    observed ??= (Reflect.apply(parse, this, []) as Promise<unknown>).then(undefined, (error: unknown) => {
      call.fail(error);
      throw error;
    });
    return observed;
  });

  defineOwn(promise, '_thenUnwrap', function thenUnwrapObserved(this: unknown, ...args: unknown[]) {
    const derived = Reflect.apply(thenUnwrap, this, args);
    try {
      observeAPIPromise(derived, call, reader);
    } catch (error) {
      call.recorder.reportFault('observing a derived promise', error);
    }
    return derived;
  });

  defineOwn(promise, 'asResponse', function asResponseObserved(this: unknown) {
    const raw = Reflect.apply(asResponse, this, []) as Promise<unknown>;
    // The caller gets a promise that settles like `raw` (a plain Promise either way); ours also
    // records the call, after the parse chain of a `withResponse()` has had its turn.
    return raw.then(
      (response) => {
        setImmediate(() => {
          if (!call.parseStarted) call.succeed();
        });
        return response;
      },
      (error: unknown) => {
        call.fail(error);
        throw error;
      },
    );
  });
  return true;
}
