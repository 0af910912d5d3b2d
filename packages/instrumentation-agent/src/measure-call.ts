import { reportFault } from './report-fault.js';

/** How a measured call ended. `error` is whatever was thrown or rejected, as is. */
export type Outcome = { readonly failed: false } | { readonly failed: true; readonly error: unknown };

const SUCCEEDED: Outcome = { failed: false };

/** Receives the duration of one call, in seconds, once. */
export type CallEnd = (seconds: number, outcome: Outcome) => void;

type Then = (onFulfilled?: unknown, onRejected?: unknown) => unknown;

// Taken once, so a native promise is observed without looking anything up on the caller's object.
const promiseThen = Promise.prototype.then as Then;

/**
 * Calls `call` and reports its duration, returning what it returned and throwing exactly what it
 * threw. A synchronous result is returned as is, at once. A native promise comes back as a promise
 * one link further down its chain, settling with the same value or the same error object; other
 * thenables come back as the very same object, timed until they settle.
 */
export function measureCall<R>(call: () => R, onEnd: CallEnd): R {
  const start = performance.now();
  let ended = false;
  const end = (outcome: Outcome): void => {
    if (ended) return;
    ended = true;
    try {
      onEnd((performance.now() - start) / 1000, outcome);
    } catch (error) {
      reportFault('recording a duration', error);
    }
  };

  let result: R;
  try {
    result = call();
  } catch (error) {
    end({ failed: true, error });
    throw error;
  }
  if (isNativePromise(result)) return settleObserved(result, end) as R;
  try {
    if (!observeSettlement(result, end)) end(SUCCEEDED);
  } catch (error) {
    reportFault('observing a returned thenable', error);
  }
  return result;
}

function isNativePromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Promise.prototype;
}

/**
 * One link in the caller's chain rather than a handler beside it: V8 builds an error's async
 * stack trace only through promises with a single handler, and a rejection nobody awaits must
 * stay an unhandled rejection, as it was without us.
 */
function settleObserved(promise: Promise<unknown>, end: (outcome: Outcome) => void): Promise<unknown> {
  return Reflect.apply(promiseThen, promise, [
    (value: unknown) => {
      end(SUCCEEDED);
      return value;
    },
    (error: unknown) => {
      end({ failed: true, error });
      throw error;
    },
  ]) as Promise<unknown>;
}

/** Arranges for `end` to be called when `value` settles; false when it is not a thenable. */
function observeSettlement(value: unknown, end: (outcome: Outcome) => void): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const then = (value as { then?: unknown }).then;
  if (typeof then !== 'function') return false;
  observeThenCalls(value, then as Then, end);
  return true;
}

/**
 * Any other thenable (a promise subclass, a query builder) may start work or change state when its
 * `then` is called; calling it ourselves could run a query twice. So we watch the caller's own
 * `then` calls instead, on this object only: `await` calls `then` on such objects too. A thenable
 * nobody subscribes to is not recorded.
 */
function observeThenCalls(thenable: object, then: Then, end: (outcome: Outcome) => void): void {
  const observedThen = function (this: unknown, onFulfilled?: unknown, onRejected?: unknown): unknown {
    return Reflect.apply(then, this, [
      (value: unknown) => {
        end(SUCCEEDED);
        return typeof onFulfilled === 'function' ? onFulfilled(value) : value;
      },
      (error: unknown) => {
        end({ failed: true, error });
        if (typeof onRejected === 'function') return onRejected(error);
        throw error;
      },
    ]);
  };
  Object.defineProperty(thenable, 'then', {
    value: observedThen,
    configurable: true,
    writable: true,
    enumerable: false,
  });
}
