import type { GenAICall } from './call.js';
import { observeStream } from './observe-stream.js';
import { readParsedResult } from './read-result.js';
import { reportFault } from './report-fault.js';

/** The parts of the SDK's `APIPromise` we observe through; the same in `openai` 4 to 7. */
interface APIPromiseInternals {
  responsePromise: Promise<unknown>;
  parseResponse: (...args: unknown[]) => unknown;
  asResponse: (...args: unknown[]) => Promise<unknown>;
}

function isAPIPromise(value: unknown): value is APIPromiseInternals {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<APIPromiseInternals>;
  return (
    typeof candidate.responsePromise?.then === 'function' &&
    typeof candidate.parseResponse === 'function' &&
    typeof candidate.asResponse === 'function'
  );
}

function onParsed(call: GenAICall, result: unknown): void {
  try {
    if (call.streamed && result !== null && typeof result === 'object' && observeStream(result, call)) return;
    readParsedResult(call, result);
  } catch (error) {
    reportFault('reading a response', error);
  }
  call.succeed();
}

/**
 * Observes an `APIPromise` in place, so the caller keeps the very object the SDK returned (its
 * class, `.withResponse()`, `.asResponse()`, `_thenUnwrap` helpers) and nothing is parsed that the
 * caller did not ask to parse:
 * - its `responsePromise` is replaced by one that notes failures and rethrows the same error object
 *   (an unawaited failing call still surfaces as an unhandled rejection, as before);
 * - its `parseResponse` is wrapped to read the parsed result, or to instrument the stream;
 * - `.asResponse()` callers take the raw body themselves; their calls are recorded when the
 *   response arrives, without usage.
 */
export function observeAPIPromise(promise: unknown, call: GenAICall): boolean {
  if (!isAPIPromise(promise)) return false;
  const { responsePromise, parseResponse, asResponse } = promise;
  let responseArrived = false;
  let rawRequested = false;
  // Runs after the parse chain (if any) has started, so `withResponse()` is not taken for raw use.
  const finishIfRaw = () =>
    setImmediate(() => {
      if (!call.parseStarted) call.succeed();
    });

  promise.responsePromise = responsePromise.then(
    (props) => {
      responseArrived = true;
      if (rawRequested) finishIfRaw();
      return props;
    },
    (error: unknown) => {
      call.fail(error);
      throw error;
    },
  );

  promise.parseResponse = function parseObserved(this: unknown, ...args: unknown[]) {
    call.parseStarted = true;
    let parsed: unknown;
    try {
      parsed = Reflect.apply(parseResponse, this, args);
    } catch (error) {
      call.fail(error);
      throw error;
    }
    return Promise.resolve(parsed).then(
      (result) => {
        onParsed(call, result);
        return result;
      },
      (error: unknown) => {
        call.fail(error);
        throw error;
      },
    );
  };

  Object.defineProperty(promise, 'asResponse', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function asResponseObserved(this: unknown, ...args: unknown[]) {
      if (!rawRequested) {
        rawRequested = true;
        if (responseArrived) finishIfRaw();
      }
      return Reflect.apply(asResponse, this, args);
    },
  });
  return true;
}
